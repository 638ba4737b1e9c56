//! One job read, one matrix combination (a "leg") at a time: its
//! environment, its runner, then each step whose condition may hold
//! (`steps`), each compile's targets (or the runner's host), what it
//! installs, tests, publishes, uploads and downloads. Whether the job ships
//! is decided later, with the other jobs (`shipping`).

use super::expr::{eval, interpolate, whole};
use super::leg::{condition, env_of, run_workdir, Call, Facts, Found, Leg, Role};
use super::matrix;
use super::runner::{self, Runner};
use super::scope::{MatrixCtx, Scope};
use super::value::{Text, Value};
use super::Wf;
use crate::pipelines::names::{classify, Name};
use crate::pipelines::{NoteKind, Packages, Place};
use crate::yaml::{self, Node};

/// Matrix keys whose values are meant to be targets (a value there shaped
/// like a target that rustc does not know is reported).
const TARGET_KEYS: &[&str] = &[
    "target",
    "targets",
    "rust-target",
    "rust_target",
    "triple",
    "target-triple",
    "target_triple",
];

/// Combinations times steps read for one job; past it, the first
/// combinations only.
const MAX_WORK: usize = 20_000;

/// Reads job `id` (its mapping `node`, at `line`).
pub fn read(id: &str, line: usize, node: &Node, wf: &Wf<'_>) -> Facts {
    let mut facts = Facts {
        id: id.to_string(),
        line,
        needs: list(node.get("needs")),
        ..Facts::default()
    };
    if let Some(uses) = node.get("uses").and_then(Node::as_str) {
        call(&mut facts, uses, node, wf);
        return facts;
    }
    let scope = Scope {
        env: &wf.env,
        inputs: &wf.inputs,
        ..Scope::empty()
    };
    let m = matrix::read(node.get("strategy").and_then(|s| s.get("matrix")), &scope);
    for (l, u) in &m.unknown {
        facts.unresolved(wf, *l, Place::Matrix, u);
    }
    let events = job_events(node.get("if"), wf);
    if events.is_empty() {
        return facts;
    }
    let steps = node.get("steps").map(Node::items).unwrap_or_default();
    let legs: Vec<MatrixCtx<'_>> = if m.computed {
        vec![MatrixCtx::Computed]
    } else if m.combos.is_empty() {
        vec![MatrixCtx::None]
    } else if m.partial {
        m.combos.iter().map(MatrixCtx::Partial).collect()
    } else {
        m.combos.iter().map(MatrixCtx::Combo).collect()
    };
    let most = (MAX_WORK / steps.len().max(1)).max(1);
    if legs.len() > most {
        let what = format!(
            "the matrix has {} combinations; the steps of the first {} are read",
            legs.len(),
            most
        );
        facts.note(wf, line, NoteKind::Truncated, &what);
    }
    for (index, matrix) in legs.into_iter().enumerate() {
        let named = match matrix {
            MatrixCtx::Combo(c) | MatrixCtx::Partial(c) => matrix_targets(&mut facts, wf, index, c),
            _ => Vec::new(),
        };
        if index < most {
            let combo = Combo {
                index,
                matrix,
                named,
            };
            leg(&mut facts, wf, node, steps, &events, combo);
        }
    }
    // Targets named, nothing that compiles: the build is in a program of
    // the repository.
    if !facts.builds && facts.found.iter().any(|f| f.role == Role::Named) {
        if let Some((l, program, _)) = facts.external.clone() {
            facts.note(wf, l, NoteKind::NotUnderstood, &program);
        }
    }
    facts
}

/// The events the job may run for (one `None` when they are not known);
/// none when its condition never holds.
fn job_events(cond: Option<&Node>, wf: &Wf<'_>) -> Vec<Option<String>> {
    let Some(src) = cond.and_then(condition) else {
        return wf.events.clone();
    };
    wf.events
        .iter()
        .filter(|e| {
            let scope = Scope {
                env: &wf.env,
                inputs: &wf.inputs,
                event: e.as_deref(),
                ..Scope::empty()
            };
            eval(&src, &scope).truthy() != Some(false)
        })
        .cloned()
        .collect()
}

/// One combination: its index, its matrix values, the targets they name.
struct Combo<'a> {
    index: usize,
    matrix: MatrixCtx<'a>,
    named: Vec<String>,
}

/// Reads one combination's steps.
fn leg(
    facts: &mut Facts,
    wf: &Wf<'_>,
    node: &Node,
    steps: &[Node],
    events: &[Option<String>],
    combo: Combo<'_>,
) {
    let mut leg = Leg {
        wf,
        facts,
        combo: combo.index,
        matrix: combo.matrix,
        named: combo.named,
        env: wf.env.clone(),
        events,
        labels: (String::new(), node.line),
        runner: Runner::Unknown,
        toolchain: None,
        targeted: false,
        compiled: false,
        given: None,
        workdir: run_workdir(node).or_else(|| wf.workdir.clone()),
        packages: Packages::Workspace,
    };
    let env = env_of(node.get("env"), &leg, &leg.env.clone(), &wf.inputs);
    leg.env = env;
    runs_on(&mut leg, node.get("runs-on"));
    super::steps::read_all(&mut leg, steps, &wf.inputs, 0);
    // Nothing compiles the combination's targets but a program given
    // them: it is taken to build them.
    if let (false, Some((line, program, _))) = (leg.compiled, leg.given.take()) {
        leg.facts.builds = true;
        leg.facts.note(wf, line, NoteKind::BuiltByProgram, &program);
    }
}

/// `runs-on`: its labels in this combination, and what they say.
fn runs_on(leg: &mut Leg<'_, '_>, node: Option<&Node>) {
    let Some(node) = node else { return };
    let scope = leg.scope(&leg.env, &leg.wf.inputs, None);
    let eval_text =
        |n: &Node| interpolate(&Text::at(n.as_str().unwrap_or_default(), n.line), &scope);
    let texts: Vec<Text> = match &node.kind {
        yaml::NodeKind::Scalar { .. } => {
            match node.as_str().and_then(whole).map(|src| eval(src, &scope)) {
                Some(Value::Array(items)) => items.iter().map(Value::to_text).collect(),
                _ => vec![eval_text(node)],
            }
        }
        yaml::NodeKind::Seq(items) => items.iter().map(eval_text).collect(),
        yaml::NodeKind::Map(_) => match node.get("labels") {
            Some(l) if l.as_str().is_some() => vec![eval_text(l)],
            Some(l) => l.items().iter().map(eval_text).collect(),
            None => Vec::new(),
        },
    };
    let line = texts.iter().find_map(Text::line).unwrap_or(node.line);
    if let Some(u) = texts.iter().find_map(|t| t.unknown_part().cloned()) {
        leg.facts.unresolved(leg.wf, line, Place::Runner, &u);
        return;
    }
    let labels: Vec<String> = texts.into_iter().map(|t| t.s).collect();
    leg.runner = runner::runner(&labels);
    leg.labels = (labels.join(", "), line);
}

/// The values of the matrix's target keys, and rustc's targets under any
/// key, as the combination's named targets.
fn matrix_targets(facts: &mut Facts, wf: &Wf<'_>, combo: usize, c: &Value) -> Vec<String> {
    let mut named = Vec::new();
    let mut leaves = Vec::new();
    leaves_of(c, "", &mut leaves, 0);
    for (key, text) in leaves {
        let line = text.line().unwrap_or(facts.line);
        let name = classify(&text.s, wf.known);
        let target_key = TARGET_KEYS.contains(&key.as_str());
        let (known, what) = match name {
            Name::Known => (true, "matrix".to_string()),
            Name::Unknown if target_key => (false, format!("matrix {}", key)),
            Name::Spec if target_key => {
                facts.note(wf, line, NoteKind::CustomSpec, &text.s);
                continue;
            }
            Name::Nix if target_key => {
                facts.note(wf, line, NoteKind::NixSystem, &text.s);
                continue;
            }
            _ => continue,
        };
        named.push(text.s.clone());
        let key = (text.s.clone(), line, combo, true);
        if facts.seen.insert(key) {
            facts.found.push(Found {
                target: text.s,
                known,
                line,
                what,
                combo,
                role: Role::Named,
                packages: Packages::Workspace,
            });
        }
    }
    named
}

/// The string leaves of a matrix value, each with the key it is under.
fn leaves_of(v: &Value, key: &str, out: &mut Vec<(String, Text)>, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Str(t) => out.push((key.to_string(), t.clone())),
        Value::Array(items) => items.iter().for_each(|i| leaves_of(i, key, out, depth + 1)),
        Value::Object(entries) => entries
            .iter()
            .for_each(|(k, i)| leaves_of(i, k, out, depth + 1)),
        _ => {}
    }
}

/// `needs: a` or `needs: [a, b]`.
fn list(node: Option<&Node>) -> Vec<String> {
    match node {
        Some(n) => match n.as_str() {
            Some(s) => vec![s.to_string()],
            None => n
                .items()
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect(),
        },
        None => Vec::new(),
    }
}

/// A job that calls a reusable workflow (`uses:`): in this repository
/// (`./.github/workflows/x.yml`, `$/...`), or another's.
fn call(facts: &mut Facts, uses: &str, node: &Node, wf: &Wf<'_>) {
    let line = node.get("uses").map_or(facts.line, |n| n.line);
    match super::local_path(uses) {
        Some(path) => facts.calls = Some(Call { path, line }),
        None => facts.note(wf, line, NoteKind::NotUnderstood, uses),
    }
}
