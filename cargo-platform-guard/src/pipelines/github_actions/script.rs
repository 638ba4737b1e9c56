//! A shell script of a step (or of an action's input): its commands split
//! as a shell splits them (`shell`), recognised (`command`), and what each
//! does applied to the leg.

use super::command::{self, Effect};
use super::leg::Leg;
use super::scope::Env;
use super::shell;
use super::value::Text;
use crate::pipelines::NoteKind;

/// Shells inside scripts are read this deep.
const MAX_DEPTH: usize = 4;

/// Shell text at `line` (`what`: its context in mentions).
pub fn script(
    leg: &mut Leg<'_, '_>,
    text: &Text,
    line: usize,
    env: &Env,
    depth: usize,
    what: &str,
) {
    let cmds = shell::commands(text, line, env);
    for (l, e) in command::all(&cmds) {
        match e {
            Effect::Compile(c) => leg.compile(&c, env, l, what),
            Effect::Installs(words) => words.iter().for_each(|w| leg.installs(&w.text)),
            Effect::Toolchain(w) if w.text.is_known() => leg.toolchain = Some(w.s().to_string()),
            Effect::Toolchain(_) => {}
            Effect::SetEnv(k, v) => leg.env.set(&k, v),
            Effect::Publish(p) => leg.publish(p, l),
            Effect::NotUnderstood(s) => leg.facts.note(leg.wf, l, NoteKind::NotUnderstood, &s),
            Effect::Script(w) if depth < MAX_DEPTH => {
                script(leg, &w.text, w.line, env, depth + 1, what)
            }
            Effect::Script(_) => {}
            Effect::External(s) => external(leg, l, s, env),
        }
    }
}

/// A program of the repository run at `line`: remembered as the one most
/// likely to build (one whose step names a target in its `env`, or named
/// for building, else the first), and as given the combination's targets
/// when its environment holds one.
fn external(leg: &mut Leg<'_, '_>, line: usize, program: String, env: &Env) {
    const BUILDING: &[&str] = &[
        "build", "run", "package", "dist", "release", "compile", "make",
    ];
    let score = 2 * u8::from(leg.targeted) + u8::from(BUILDING.iter().any(|b| program.contains(b)));
    let named = |t: &Text| leg.named.contains(&t.s);
    if env.values().any(named) && leg.given.as_ref().is_none_or(|(_, _, best)| score > *best) {
        leg.given = Some((line, program.clone(), score));
    }
    if leg
        .facts
        .external
        .as_ref()
        .is_none_or(|(_, _, best)| score > *best)
    {
        leg.facts.external = Some((line, program, score));
    }
}
