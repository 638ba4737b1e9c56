//! The state of one matrix combination of a job being read (a "leg"):
//! what it compiles (each target, or the runner's host), installs, tests,
//! publishes, and the notes on what the files do not say; and the facts
//! gathered for the whole job. `job` drives it, `steps`, `actions` and
//! `script` feed it.

use std::collections::HashSet;

use super::command::Compile;
use super::expr::{eval, interpolate, whole};
use super::runner::{self, Runner};
use super::scope::{Env, Inputs, MatrixCtx, Scope};
use super::value::{Text, Unknown, Value, Why};
use super::Wf;
use crate::pipelines::names::{classify, Name};
use crate::pipelines::{Note, NoteKind, Packages, Place, Publish};
use crate::yaml::Node;

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
    pub seen: HashSet<(String, usize, usize, bool)>,
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

/// A condition's expression (`if: x`, `if: ${{ x }}`).
pub fn condition(node: &Node) -> Option<String> {
    let s = node.as_str()?;
    Some(whole(s).unwrap_or(s).to_string())
}
