//! A job's steps: a `run` step's script, and a `uses` step's action with
//! its inputs (`with`), each read once per matrix combination.

use super::expr::substitute;
use super::job::JobReader;
use super::matrix::Combo;
use super::script;
use crate::yaml::Node;

/// Inputs of actions that name targets.
const TARGET_INPUTS: &[&str] = &["target", "targets", "rust-target", "toolchain-target"];

/// Actions that build Rust code.
fn builds_action(uses: &str) -> bool {
    let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
    [
        "actions-rs/cargo",
        "houseabsolute/actions-rust-cross",
        "taiki-e/upload-rust-binary-action",
        "messense/maturin-action",
        "pyo3/maturin-action",
        "rust-build/rust-build.action",
    ]
    .contains(&name.as_str())
}

/// Reads one step, for each combination of `each`.
pub fn read(r: &mut JobReader<'_>, step: &Node, each: &[Combo]) {
    if let Some(run) = step.get("run") {
        if let Some(text) = run.as_str() {
            run_step(r, text, run.text_line(), each);
        }
    }
    if let Some(uses) = step.get("uses").and_then(Node::as_str) {
        uses_step(r, uses, step.get("with"), each);
    }
}

/// A `run` script (its text starts at `line`): what its commands do and
/// the targets it names. A name that came from the matrix was already
/// taken from the matrix.
fn run_step(r: &mut JobReader<'_>, text: &str, line: usize, each: &[Combo]) {
    r.saw(script::kind(text));
    for c in each {
        for (target, offset) in script::targets(&substitute(text, c)) {
            if target.contains("${{") || target.contains('$') || target.is_empty() {
                continue;
            }
            if c.iter().any(|(_, v, _)| *v == target) && text.contains("matrix.") {
                continue;
            }
            r.push(&target, line + offset, "run");
        }
    }
}

/// A `uses` step: an action that builds, an action running a Cargo
/// `command` (actions-rs/cargo), and the targets its inputs name. A
/// building action given no target input builds for the runner's host.
fn uses_step(r: &mut JobReader<'_>, uses: &str, with: Option<&Node>, each: &[Combo]) {
    if builds_action(uses) {
        r.job.builds = true;
    }
    if let Some(cmd) = with.and_then(|w| w.get("command")).and_then(Node::as_str) {
        let args = with
            .and_then(|w| w.get("args"))
            .and_then(Node::as_str)
            .unwrap_or("");
        r.saw(script::kind(&format!("cargo {} {}", cmd.trim(), args)));
    } else if builds_action(uses)
        && !with.is_some_and(|w| TARGET_INPUTS.iter().any(|i| w.get(i).is_some()))
    {
        r.host = true;
    }
    for (k, v) in with.map(Node::entries).unwrap_or_default() {
        input(r, uses, k.as_str().unwrap_or_default(), v, each);
    }
}

/// One input `key` of the action `uses`: a target input's names (split at
/// commas, spaces and lines, per combination), or `--target` in `args`.
fn input(r: &mut JobReader<'_>, uses: &str, key: &str, v: &Node, each: &[Combo]) {
    let Some(value) = v.as_str() else { return };
    let mut names: Vec<(String, usize)> = Vec::new();
    if TARGET_INPUTS.contains(&key) {
        for c in each {
            let text = substitute(value, c);
            for (n, l) in text.lines().enumerate() {
                for t in l.split([',', ' ', '\t']) {
                    names.push((t.trim().to_string(), n));
                }
            }
        }
    } else if key == "args" {
        names.extend(script::targets(value));
    }
    let what = format!("{} input of {}", key, uses);
    for (t, offset) in names {
        if t.is_empty() || t.contains("${{") {
            continue;
        }
        let from_matrix =
            value.contains("matrix.") && each.iter().any(|c| c.iter().any(|(_, cv, _)| *cv == t));
        if from_matrix {
            continue;
        }
        r.push(&t, v.text_line() + offset, &what);
    }
}
