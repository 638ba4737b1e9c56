//! GitHub Actions: the targets each job of a workflow
//! (`.github/workflows/*.yml`, `*.yaml`) compiles, tests and ships.
//!
//! A job is read once per matrix combination (`matrix`: values, mappings,
//! `include`, `exclude`, expressions), with GitHub's expressions evaluated,
//! not split into words (`expr`, `functions`, over a `scope`: the matrix,
//! the workflow's, job's and step's `env`, what earlier steps write to
//! `$GITHUB_ENV`, the inputs of reusable workflows and local actions, and
//! the workflow's events for conditions). A step whose condition cannot
//! hold in a combination is skipped. A `run` script is split as a shell
//! splits it (`shell`) and its commands recognised (`command`): Cargo in
//! the forms people write, a program from a variable, `rustup target add`
//! (installed, not built), uploads. Actions that install, build or publish
//! are known by name (`actions`); a composite action of the repository is
//! followed (`steps`). A compile that names no target builds the runner's
//! host (`runner`). Whether a job ships is decided per job, with the jobs it
//! hands artifacts to, across reusable workflows (`shipping`).
//!
//! What cannot be known from the files (a secret, another job's output, a
//! matrix computed at run time, a runner that is not GitHub's, `cargo
//! xtask`) is a note of the job, said once; it is never reported as a
//! target.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::{Found, Inputs as ReaderInputs, Job, Mention, Reader, Use, Workflow};
use crate::context::Failure;
use crate::files;
use crate::yaml::{self, Node};

mod actions;
mod command;
mod expr;
mod functions;
mod job;
mod leg;
mod matrix;
mod runner;
mod scope;
mod script;
mod shell;
mod shipping;
mod steps;
#[cfg(test)]
mod tests;
mod value;

pub use value::Why;

use leg::{Facts, Role};
use scope::{Env, Inputs};
use value::Value;

pub const READER: Reader = Reader {
    files: workflows,
    manifest: super::no_manifest,
};

/// What every job of one workflow shares.
pub struct Wf<'a> {
    pub rel: &'a str,
    pub known: &'a [String],
    /// The workflow's `env`, evaluated.
    pub env: Env,
    /// The inputs whose value the files give.
    pub inputs: Inputs,
    /// The events that start it (`None`: an event not known, such as a
    /// calling workflow's).
    pub events: Vec<Option<String>>,
    pub actions: &'a Actions,
    /// `defaults.run.working-directory` of the workflow.
    pub workdir: Option<String>,
}

/// The composite actions of the repository, each read once.
pub struct Actions {
    root: PathBuf,
    loaded: RefCell<Vec<(String, Option<Rc<Node>>)>>,
    /// The files read, and the first that could not be.
    pub read: RefCell<Vec<String>>,
    pub error: RefCell<Option<Failure>>,
}

impl Actions {
    fn new(root: &Path) -> Actions {
        Actions {
            root: root.to_path_buf(),
            loaded: RefCell::new(Vec::new()),
            read: RefCell::new(Vec::new()),
            error: RefCell::new(None),
        }
    }

    /// The action at `dir` (relative to the root): its `action.yml`.
    pub fn load(&self, dir: &str) -> Option<Rc<Node>> {
        if let Some((_, n)) = self.loaded.borrow().iter().find(|(d, _)| d == dir) {
            return n.clone();
        }
        let node = self.read_action(dir);
        self.loaded
            .borrow_mut()
            .push((dir.to_string(), node.clone()));
        node
    }

    fn read_action(&self, dir: &str) -> Option<Rc<Node>> {
        let base = self.root.join(dir);
        let path = ["action.yml", "action.yaml"]
            .iter()
            .map(|f| base.join(f))
            .find(|p| p.is_file())?;
        let rel = files::relative(&self.root, &path);
        let parsed = files::read_text(&path, "action").and_then(|t| parse(&t, &rel));
        match parsed {
            Ok(doc) => {
                self.read.borrow_mut().push(rel);
                Some(Rc::new(doc))
            }
            Err(e) => {
                self.error.borrow_mut().get_or_insert(e);
                None
            }
        }
    }
}

/// A `uses:` of this repository (`./path`, `$/path`): the path, relative
/// to the root; `None` for another repository's, or a path leaving the
/// root.
pub fn local_path(uses: &str) -> Option<String> {
    let rest = uses
        .strip_prefix("./")
        .or_else(|| uses.strip_prefix("$/"))?;
    let rest = rest.trim_end_matches('/');
    let parts: Vec<&str> = rest
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") || rest.contains('@') {
        return None;
    }
    Some(parts.join("/"))
}

/// Every workflow under `.github/workflows`, by file name.
fn workflows(inputs: &ReaderInputs<'_>) -> Result<Found, Failure> {
    let dir = inputs.root.join(".github").join("workflows");
    if !dir.is_dir() {
        return Ok(Found::default());
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Failure::error(format!("cannot read {}: {}", dir.display(), e)))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    paths.sort();
    let mut docs = Vec::new();
    for p in paths {
        let rel = files::relative(inputs.root, &p);
        let text = files::read_text(&p, "workflow")?;
        let doc = parse(&text, &rel)?;
        docs.push((rel, doc));
    }
    let actions = Actions::new(inputs.root);
    let workflows = read_all(&docs, inputs.known, &actions)?;
    let mut files: Vec<String> = docs.into_iter().map(|(rel, _)| rel).collect();
    files.extend(actions.read.borrow().iter().cloned());
    Ok(Found {
        files,
        workflows,
        ..Found::default()
    })
}

/// Reads one workflow file alone (`rel` names it in messages and
/// mentions; `known` is rustc's target list). Composite actions are read
/// from the repository the file is in.
pub fn read_workflow(path: &Path, rel: &str, known: &[String]) -> Result<Workflow, Failure> {
    let text = files::read_text(path, "workflow")?;
    let doc = parse(&text, rel)?;
    let depth = Path::new(rel).components().count();
    let root = path.ancestors().nth(depth).unwrap_or(Path::new("."));
    let actions = Actions::new(root);
    let mut all = read_all(&[(rel.to_string(), doc)], known, &actions)?;
    Ok(all.remove(0))
}

/// Reads the workflows `docs` (relative path, document) together, so that
/// calls and artifacts between them are followed.
fn read_all(
    docs: &[(String, Node)],
    known: &[String],
    actions: &Actions,
) -> Result<Vec<Workflow>, Failure> {
    let facts: Vec<Vec<Facts>> = docs
        .iter()
        .map(|(rel, doc)| {
            let wf = Wf {
                rel,
                known,
                inputs: inputs_of(rel, doc, docs),
                env: Env::default(),
                events: events(doc),
                actions,
                workdir: leg::run_workdir(doc),
            };
            let wf = Wf {
                env: leg::workflow_env(doc.get("env"), &wf.inputs),
                ..wf
            };
            doc.get("jobs")
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .map(|(id, node)| job::read(id.as_str().unwrap_or_default(), id.line, node, &wf))
                .collect()
        })
        .collect();
    if let Some(e) = actions.error.borrow_mut().take() {
        return Err(e);
    }
    let files: Vec<shipping::File<'_>> = docs
        .iter()
        .zip(&facts)
        .map(|((rel, _), jobs)| shipping::File { rel, jobs })
        .collect();
    let shipped = shipping::decide(&files);
    Ok(docs
        .iter()
        .zip(facts)
        .zip(shipped)
        .map(|(((rel, _), jobs), ships)| Workflow {
            file: rel.clone(),
            jobs: jobs
                .into_iter()
                .zip(ships)
                .map(|(f, s)| finish(rel, f, s))
                .collect(),
        })
        .collect())
}

/// The events that start a workflow (`on:`); a call from another workflow
/// is any event (`None`).
fn events(doc: &Node) -> Vec<Option<String>> {
    let Some(on) = doc.get("on") else {
        return vec![None];
    };
    let names: Vec<String> = match &on.kind {
        yaml::NodeKind::Scalar { value, .. } => vec![value.clone()],
        yaml::NodeKind::Seq(items) => items
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_string)
            .collect(),
        yaml::NodeKind::Map(entries) => entries
            .iter()
            .filter_map(|(k, _)| k.as_str())
            .map(str::to_string)
            .collect(),
    };
    let mut out: Vec<Option<String>> = names
        .iter()
        .filter(|n| *n != "workflow_call")
        .map(|n| Some(n.clone()))
        .collect();
    if out.is_empty() || names.iter().any(|n| n == "workflow_call") {
        out.push(None);
    }
    out
}

/// The inputs of workflow `rel` whose value the files give: an input of
/// `workflow_call` that every caller in `docs` gives the same literal
/// value, or none gives and that has a default. An input given by hand
/// (`workflow_dispatch`) is not known.
fn inputs_of(rel: &str, doc: &Node, docs: &[(String, Node)]) -> Inputs {
    let Some(declared) = doc
        .get("on")
        .and_then(|o| o.get("workflow_call"))
        .and_then(|c| c.get("inputs"))
    else {
        return Vec::new();
    };
    let dispatched = doc
        .get("on")
        .and_then(|o| o.get("workflow_dispatch"))
        .is_some();
    let calls: Vec<&Node> = docs
        .iter()
        .flat_map(|(_, d)| d.get("jobs").map(Node::entries).unwrap_or_default())
        .map(|(_, j)| j)
        .filter(|j| {
            j.get("uses")
                .and_then(Node::as_str)
                .and_then(local_path)
                .as_deref()
                == Some(rel)
        })
        .collect();
    let mut out = Vec::new();
    for (k, v) in declared.entries() {
        let Some(name) = k.as_str() else { continue };
        let given: Vec<Option<&str>> = calls
            .iter()
            .map(|c| {
                c.get("with")
                    .and_then(|w| w.get(name))
                    .and_then(Node::as_str)
            })
            .collect();
        let literal = |s: &&str| !s.contains("${{");
        let value = match given.first() {
            Some(Some(first)) if literal(first) && given.iter().all(|g| *g == Some(*first)) => {
                Some(Value::str(first))
            }
            _ if given.iter().all(Option::is_none) && !dispatched => {
                v.get("default").map(Value::from_node)
            }
            _ => None,
        };
        if let Some(value) = value {
            out.push((name.to_string(), value));
        }
    }
    out
}

/// A job's facts and shipping as the commands see them: each target once
/// per line, shipped where its combination ships (the host of a compile
/// only when it makes binaries and the combination names no target).
fn finish(rel: &str, f: Facts, s: shipping::Shipped) -> Job {
    let named: std::collections::HashSet<usize> = f
        .found
        .iter()
        .filter(|x| x.role == Role::Named)
        .map(|x| x.combo)
        .collect();
    let mut targets: Vec<Mention> = Vec::new();
    let mut unknown: Vec<Mention> = Vec::new();
    for x in &f.found {
        let ships = s.combos.contains(&x.combo)
            && match x.role {
                Role::Named => true,
                Role::Host { artifacts } => artifacts && !named.contains(&x.combo),
            };
        let used = if ships { Use::Ships } else { Use::Builds };
        let list = if x.known { &mut targets } else { &mut unknown };
        match list
            .iter_mut()
            .find(|m| m.target == x.target && m.line == x.line && m.packages == x.packages)
        {
            Some(m) => {
                if used == Use::Ships {
                    m.used = Use::Ships;
                }
            }
            None => list.push(Mention {
                target: x.target.clone(),
                file: rel.to_string(),
                line: x.line,
                used,
                job: Some(f.id.clone()),
                context: x.what.clone(),
                known: x.known,
                packages: x.packages.clone(),
            }),
        }
    }
    Job {
        id: f.id,
        line: f.line,
        targets,
        unknown,
        installed: f.installed,
        tested: f.tested,
        builds: f.builds,
        tests: f.tests,
        ships: s.how.filter(|_| !s.combos.is_empty()),
        notes: f.notes,
    }
}

/// The workflow's YAML: a mapping, else an error naming the file and line.
fn parse(text: &str, rel: &str) -> Result<Node, Failure> {
    let doc = yaml::parse(text).map_err(|(line, col, why)| {
        Failure::error(format!("{}:{}:{}: not valid YAML: {}", rel, line, col, why))
    })?;
    if !matches!(doc.kind, yaml::NodeKind::Map(_)) {
        return Err(Failure::error(format!(
            "{}:{}: expected a GitHub Actions workflow (a mapping with `jobs`), found {}",
            rel,
            doc.line,
            match doc.kind {
                yaml::NodeKind::Seq(_) => "a sequence",
                _ => "a scalar",
            }
        )));
    }
    Ok(doc)
}
