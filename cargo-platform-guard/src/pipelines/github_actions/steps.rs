//! A job's steps, in one combination: a step whose condition cannot hold
//! is skipped; a `run` script's `${{ }}` are replaced, its commands split
//! (`shell`) and recognised (`command`); a `uses` step runs an action
//! (`actions`), or a composite action of this repository
//! (`./.github/actions/x`, `$/...`), whose steps are read with its inputs.

use super::actions;
use super::expr::interpolate;
use super::leg::{env_of, Leg};
use super::scope::{Env, Inputs};
use super::script::script;
use super::value::{Text, Value};
use crate::yaml::Node;

/// Composite actions inside composite actions, and shells inside
/// scripts, read this deep.
const MAX_DEPTH: usize = 4;

/// Reads `steps` (of the job, or of a composite action with `inputs`).
pub fn read_all(leg: &mut Leg<'_, '_>, steps: &[Node], inputs: &Inputs, depth: usize) {
    for step in steps {
        let base = leg.env.clone();
        if !leg.may_run(step.get("if"), &base, inputs) {
            continue;
        }
        let env = env_of(step.get("env"), leg, &base, inputs);
        // The step's own `env` names a target (`TARGET: ${{ matrix.target }}`).
        let own = env_of(step.get("env"), leg, &Env::default(), inputs);
        leg.targeted = own.values().any(|v| leg.wf.known.contains(&v.s));
        if let Some(run) = step.get("run") {
            let job_dir = leg.workdir.clone();
            if let Some(dir) = step.get("working-directory").and_then(Node::as_str) {
                leg.workdir = Some(dir.to_string());
            }
            run_step(leg, run, &env, inputs, depth);
            leg.workdir = job_dir;
        }
        if let Some(uses) = step.get("uses").and_then(Node::as_str) {
            let line = step.get("uses").map_or(0, |n| n.line);
            let with = with_values(step.get("with"), leg, &env, inputs);
            match super::local_path(uses) {
                Some(path) => composite(leg, &path, &with, depth),
                None => actions::uses(leg, uses, &with, &env, line),
            }
        }
    }
}

/// A `run` script.
fn run_step(leg: &mut Leg<'_, '_>, node: &Node, env: &Env, inputs: &Inputs, depth: usize) {
    let Some(src) = node.as_str() else { return };
    let text = interpolate(&Text::plain(src), &leg.scope(env, inputs, None));
    script(leg, &text, node.text_line(), env, depth, "run");
}

/// A step's `with` inputs, evaluated: (name, value, line).
pub fn with_values(
    node: Option<&Node>,
    leg: &Leg<'_, '_>,
    env: &Env,
    inputs: &Inputs,
) -> Vec<(String, Text, usize)> {
    let scope = leg.scope(env, inputs, None);
    node.map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| {
            let text = match v.as_str() {
                Some(s) => interpolate(&Text::at(s, v.line), &scope),
                None => Value::from_node(v).to_text(),
            };
            Some((k.as_str()?.to_string(), text, v.line))
        })
        .collect()
}

/// A composite action of this repository at `path`: its steps, with its
/// inputs (those given, else their defaults).
fn composite(leg: &mut Leg<'_, '_>, path: &str, with: &[(String, Text, usize)], depth: usize) {
    if depth >= MAX_DEPTH {
        return;
    }
    let Some(doc) = leg.wf.actions.load(path) else {
        return;
    };
    let runs = doc.get("runs");
    if runs.and_then(|r| r.get("using")).and_then(Node::as_str) != Some("composite") {
        // A JavaScript or Docker action of the repository: what it does
        // is in its code.
        return;
    }
    let mut inputs: Inputs = Vec::new();
    for (k, v) in doc.get("inputs").map(Node::entries).unwrap_or_default() {
        let Some(name) = k.as_str() else { continue };
        let given = with.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(name));
        let value = match (given, v.get("default")) {
            (Some((_, t, _)), _) => Value::Str(t.clone()),
            (None, Some(d)) => Value::from_node(d),
            (None, None) => Value::str(""),
        };
        inputs.push((name.to_string(), value));
    }
    let steps = runs
        .and_then(|r| r.get("steps"))
        .map(Node::items)
        .unwrap_or_default();
    read_all(leg, steps, &inputs, depth + 1);
}
