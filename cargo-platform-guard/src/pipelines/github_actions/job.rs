//! One job read, one matrix combination (a "leg") at a time: its
//! environment, its runner, then each step whose condition may hold
//! (`steps`), each compile's targets (or the runner's host), what it
//! installs, tests, publishes, uploads and downloads. Whether the job ships
//! is decided later, with the other jobs (`shipping`).

use std::collections::HashSet;

use super::command::Compile;
use super::expr::{eval, interpolate, whole};
use super::matrix;
use super::runner::{self, Runner};
use super::scope::{Env, Inputs, MatrixCtx, Scope};
use super::value::{Text, Unknown, Value, Why};
use super::Wf;
use crate::pipelines::names::{classify, Name};
use crate::pipelines::{Note, NoteKind, Packages, Place, Publish};
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

/// How a target was found in a combination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Named: a matrix value, `--target`, an action's target input.
    Named,
    /// The runner's host, for a compile that names no target; `artifacts`
    /// when that compile makes binaries.
    Host { artifacts: bool },
}

/// A target found in one combination.
#[derive(Debug, Clone)]
pub struct Found {
    pub target: String,
    pub known: bool,
    pub line: usize,
    pub what: String,
    pub combo: usize,
    pub role: Role,
    /// The packages it is built for.
    pub packages: Packages,
}

/// `defaults.run.working-directory` of a workflow or a job, when the file
/// gives it.
pub fn run_workdir(node: &Node) -> Option<String> {
    node.get("defaults")
        .and_then(|d| d.get("run"))
        .and_then(|r| r.get("working-directory"))
        .and_then(Node::as_str)
        .map(str::to_string)
}

/// A directory as written in a workflow (`./crates/x/`), relative to the
/// root with `/`; `None` when it leaves the root or holds an expression.
pub fn clean_dir(dir: &str) -> Option<String> {
    if dir.contains("${{") || dir.contains('$') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for p in dir.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A reusable workflow a job calls.
#[derive(Debug, Clone)]
pub struct Call {
    /// Relative to the root, with `/`.
    pub path: String,
    /// The line of `uses:`.
    pub line: usize,
}

/// What one job was found to do.
#[derive(Debug, Default)]
pub struct Facts {
    pub id: String,
    pub line: usize,
    pub needs: Vec<String>,
    pub calls: Option<Call>,
    pub found: Vec<Found>,
    pub installed: Vec<String>,
    pub tested: Vec<String>,
    pub builds: bool,
    pub tests: bool,
    /// (combination, how, line).
    pub publishes: Vec<(usize, Publish, usize)>,
    /// (combination, artifact name, line).
    pub uploads: Vec<(usize, Text, usize)>,
    /// Names or patterns of the artifacts it downloads (`None`: all).
    pub downloads: Vec<Option<Text>>,
    pub notes: Vec<Note>,
    /// The program of the repository most likely to build that a step
    /// runs (`ci/run.bash`), with its score.
    pub external: Option<(usize, String, u8)>,
    seen: HashSet<(String, usize, usize, bool)>,
}

impl Facts {
    /// A note about this job, kept once.
    pub fn note(&mut self, wf: &Wf<'_>, line: usize, kind: NoteKind, subject: &str) {
        if self
            .notes
            .iter()
            .any(|n| n.kind == kind && n.subject == subject)
        {
            return;
        }
        self.notes.push(Note {
            file: wf.rel.to_string(),
            line,
            job: Some(self.id.clone()),
            kind,
            subject: subject.to_string(),
        });
    }

    /// A note that `u` decides `place`; a computed matrix's keys are said
    /// once, with the matrix.
    pub fn unresolved(&mut self, wf: &Wf<'_>, line: usize, place: Place, u: &Unknown) {
        if u.why != Why::ComputedMatrix {
            self.note(
                wf,
                line,
                NoteKind::Unresolved { place, why: u.why },
                &u.expr,
            );
        }
    }
}

/// One combination being read.
pub struct Leg<'a, 'w> {
    pub wf: &'a Wf<'w>,
    pub facts: &'a mut Facts,
    pub combo: usize,
    pub matrix: MatrixCtx<'a>,
    /// The job's environment and what steps wrote to `$GITHUB_ENV`.
    pub env: Env,
    pub events: &'a [Option<String>],
    /// The runner's labels (as written) and what they say.
    pub labels: (String, usize),
    pub runner: Runner,
    /// `rustup default` or a toolchain action's toolchain.
    pub toolchain: Option<String>,
    /// The step being read names a target in its own `env`.
    pub targeted: bool,
    /// A step of this combination compiles.
    pub compiled: bool,
    /// The targets the combination names (its matrix values, `--target`).
    pub named: Vec<String>,
    /// The first program of the repository run with one of the
    /// combination's targets in its environment.
    pub given: Option<(usize, String, u8)>,
    /// The step's working directory (its own, else the job's or the
    /// workflow's default), as written.
    pub workdir: Option<String>,
    /// The packages the compile being read builds.
    pub packages: Packages,
}

impl<'a, 'w> Leg<'a, 'w> {
    pub fn scope<'s>(
        &'s self,
        env: &'s Env,
        inputs: &'s Inputs,
        event: Option<&'s str>,
    ) -> Scope<'s> {
        Scope {
            matrix: self.matrix,
            env,
            inputs,
            event,
            runner: self.runner.triple().map(runner::context),
        }
    }

    /// Whether a step or job condition may hold, for some event the job
    /// runs for.
    pub fn may_run(&self, cond: Option<&Node>, env: &Env, inputs: &Inputs) -> bool {
        let Some(src) = cond.and_then(condition) else {
            return true;
        };
        self.events
            .iter()
            .any(|e| eval(&src, &self.scope(env, inputs, e.as_deref())).truthy() != Some(false))
    }

    /// `text` named in a target position at `line` (`what`: "run", ...),
    /// with the role it has.
    pub fn target(&mut self, text: &Text, line: usize, what: &str, role: Role) {
        let text = text.trimmed();
        let line = text.line().unwrap_or(line);
        if let Some(u) = text.unknown_part().cloned() {
            self.facts.unresolved(self.wf, line, Place::Target, &u);
            return;
        }
        let known = match classify(&text.s, self.wf.known) {
            Name::Known => true,
            Name::Unknown => false,
            Name::Spec => {
                return self
                    .facts
                    .note(self.wf, line, NoteKind::CustomSpec, &text.s)
            }
            Name::Nix => return self.facts.note(self.wf, line, NoteKind::NixSystem, &text.s),
            Name::Other => return,
        };
        self.push(&text.s, known, line, what, role);
    }

    fn push(&mut self, target: &str, known: bool, line: usize, what: &str, role: Role) {
        if role == Role::Named && !self.named.iter().any(|n| n == target) {
            self.named.push(target.to_string());
        }
        let key = (target.to_string(), line, self.combo, role == Role::Named);
        if !self.facts.seen.insert(key) {
            return;
        }
        self.facts.found.push(Found {
            target: target.to_string(),
            known,
            line,
            what: what.to_string(),
            combo: self.combo,
            role,
            packages: self.packages.clone(),
        });
    }

    /// The runner's host for a compile that names no target (with
    /// `toolchain`, which may name another), pushed; a note when it is not
    /// known.
    pub fn host(&mut self, toolchain: Option<&str>, artifacts: bool) -> Option<String> {
        let base = self.runner.triple();
        let chain = toolchain.or(self.toolchain.as_deref());
        let over = chain.and_then(|t| runner::toolchain_host(t, base, self.wf.known));
        let (label, label_line) = self.labels.clone();
        let Some(host) = over.clone().or(base.map(str::to_string)) else {
            if !label.is_empty() {
                self.facts
                    .note(self.wf, label_line, NoteKind::Runner, &label);
            }
            return None;
        };
        if matches!(self.runner, Runner::FromName(_)) && over.is_none() {
            self.facts
                .note(self.wf, label_line, NoteKind::RunnerFromName, &label);
        }
        let what = match chain.filter(|_| over.is_some()) {
            Some(t) => format!("runner {}, toolchain {}", label, t),
            None => format!("runner {}", label),
        };
        let known = self.wf.known.contains(&host);
        self.push(&host, known, label_line, &what, Role::Host { artifacts });
        Some(host)
    }

    /// A compile at `line` of a step (`what`: its context).
    pub fn compile(&mut self, c: &Compile, env: &Env, line: usize, what: &str) {
        self.packages = self.packages_of(c);
        self.compile_packages(c, env, line, what);
        self.packages = Packages::Workspace;
    }

    /// The packages `c` builds: its `-p` names, else the packages of its
    /// `--manifest-path` or of the step's working directory (a directory
    /// that leaves the root or holds an expression: every package).
    fn packages_of(&self, c: &Compile) -> Packages {
        if !c.packages.is_empty() {
            return Packages::Named(c.packages.clone());
        }
        let base = self.workdir.as_deref().unwrap_or("");
        let dir = match &c.manifest_path {
            Some(m) => {
                let m = m.strip_suffix("Cargo.toml").unwrap_or(m);
                format!("{}/{}", base, m)
            }
            None => base.to_string(),
        };
        match clean_dir(&dir) {
            Some(d) if !d.is_empty() => Packages::Dir(d),
            _ => Packages::Workspace,
        }
    }

    fn compile_packages(&mut self, c: &Compile, env: &Env, line: usize, what: &str) {
        self.facts.builds = true;
        self.compiled = true;
        self.facts.tests |= c.tests;
        if let Some(u) = c
            .program
            .as_ref()
            .and_then(|p| p.text.unknown_part().cloned())
        {
            self.facts.unresolved(self.wf, line, Place::Program, &u);
        }
        let mut named: Vec<(Text, usize)> =
            c.targets.iter().map(|w| (w.text.clone(), w.line)).collect();
        if named.is_empty() {
            if let Some(t) = c
                .env_target
                .clone()
                .or_else(|| env.get("CARGO_BUILD_TARGET").cloned())
            {
                named.push((t, line));
            }
        }
        if let (true, Some(u)) = (named.is_empty(), &c.hidden) {
            self.facts.unresolved(self.wf, line, Place::Target, u);
            return;
        }
        if named.is_empty() {
            if let Some(h) = self.host(c.toolchain.as_deref(), c.artifacts) {
                if c.tests {
                    self.tested(&h);
                }
            }
            return;
        }
        for (t, l) in named {
            self.target(&t, l, what, Role::Named);
            if c.tests && t.is_known() {
                self.tested(t.trimmed().s.as_str());
            }
        }
    }

    pub fn tested(&mut self, target: &str) {
        if self.wf.known.iter().any(|k| k == target)
            && !self.facts.tested.iter().any(|t| t == target)
        {
            self.facts.tested.push(target.to_string());
        }
    }

    pub fn installs(&mut self, text: &Text) {
        let t = text.trimmed();
        if t.is_known()
            && classify(&t.s, self.wf.known) == Name::Known
            && !self.facts.installed.contains(&t.s)
        {
            self.facts.installed.push(t.s);
        }
    }

    pub fn publish(&mut self, how: Publish, line: usize) {
        self.facts.publishes.push((self.combo, how, line));
    }
}

/// A condition's expression (`if: x`, `if: ${{ x }}`).
fn condition(node: &Node) -> Option<String> {
    let s = node.as_str()?;
    Some(whole(s).unwrap_or(s).to_string())
}

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
        yaml::Kind::Scalar { .. } => {
            match node.as_str().and_then(whole).map(|src| eval(src, &scope)) {
                Some(Value::Array(items)) => items.iter().map(Value::to_text).collect(),
                _ => vec![eval_text(node)],
            }
        }
        yaml::Kind::Seq(items) => items.iter().map(eval_text).collect(),
        yaml::Kind::Map(_) => match node.get("labels") {
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

/// An `env` mapping evaluated over `base` (values keep their lines).
pub fn env_of(node: Option<&Node>, leg: &Leg<'_, '_>, base: &Env, inputs: &Inputs) -> Env {
    let mut env = base.clone();
    for (k, v) in node.map(Node::entries).unwrap_or_default() {
        let Some(name) = k.as_str() else { continue };
        let text = match v.as_str() {
            Some(s) => interpolate(&Text::at(s, v.line), &leg.scope(&env, inputs, None)),
            None => Value::from_node(v).to_text(),
        };
        env.set(name, text);
    }
    env
}

/// A workflow's `env` (no matrix; `scope` gives the inputs).
pub fn workflow_env(node: Option<&Node>, inputs: &Inputs) -> Env {
    let mut env = Env::default();
    for (k, v) in node.map(Node::entries).unwrap_or_default() {
        let Some(name) = k.as_str() else { continue };
        let scope = Scope {
            env: &env,
            inputs,
            ..Scope::empty()
        };
        let text = match v.as_str() {
            Some(s) => interpolate(&Text::at(s, v.line), &scope),
            None => Value::from_node(v).to_text(),
        };
        env.set(name, text);
    }
    env
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
