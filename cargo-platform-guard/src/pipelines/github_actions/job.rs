//! One job of a workflow, read with the other pieces: the matrix's
//! combinations (`matrix`), then each step (`steps`), then, when a step
//! compiles without naming a target, the runner's host (`runner`).

use super::matrix::{self, Combo};
use super::script::ScriptKind;
use super::{runner, steps};
use crate::pipelines::{Job, Mention, Use};
use crate::yaml::Node;

/// What a job's mentions share: the workflow file, how the workflow uses
/// its targets, and rustc's target list.
pub struct Origin<'a> {
    pub rel: &'a str,
    pub used: Use,
    pub known: &'a [String],
}

/// A job being read: where it is, and what is found so far.
pub struct JobReader<'a> {
    origin: &'a Origin<'a>,
    pub job: Job,
    /// A step compiles without `--target`: for the runner's host.
    pub host: bool,
}

impl JobReader<'_> {
    /// `target` named at `line` (`what`: "matrix", "run", ...): a known
    /// target or an unknown name, each kept once per line.
    pub fn push(&mut self, target: &str, line: usize, what: &str) {
        let context = format!("job {}, {}", self.job.id, what);
        let o = self.origin;
        let m = Mention::new(target, o.rel, line, o.used, context, o.known);
        let list = if m.known {
            &mut self.job.targets
        } else {
            &mut self.job.unknown
        };
        if !list
            .iter()
            .any(|x| x.target == m.target && x.line == m.line)
        {
            list.push(m);
        }
    }

    /// Whether `name` is a target rustc knows.
    pub fn knows(&self, name: &str) -> bool {
        self.origin.known.iter().any(|t| t == name)
    }

    /// What a step's command does, added to the job's.
    pub fn saw(&mut self, kind: ScriptKind) {
        self.job.builds |= kind.builds;
        self.job.tests |= kind.tests;
        self.host |= kind.host;
    }
}

/// Reads the job `id` (its mapping `node`).
pub fn read(id: &Node, node: &Node, origin: &Origin<'_>) -> Job {
    let mut opaque = Vec::new();
    let combos = node
        .get("strategy")
        .and_then(|s| s.get("matrix"))
        .map(|m| matrix::combos(m, &mut opaque))
        .unwrap_or_default();
    let mut r = JobReader {
        origin,
        job: Job {
            id: id.as_str().unwrap_or_default().to_string(),
            line: id.line,
            targets: Vec::new(),
            unknown: Vec::new(),
            builds: false,
            tests: false,
            opaque,
        },
        host: false,
    };
    let named = matrix::mentions(&mut r, &combos);
    // Steps are read once per combination (none: once, as written).
    let each: Vec<Combo> = if combos.is_empty() {
        vec![Vec::new()]
    } else {
        combos
    };
    for step in node.get("steps").map(Node::items).unwrap_or_default() {
        steps::read(&mut r, step, &each);
    }
    if r.host {
        runner::hosts(&mut r, node.get("runs-on"), &each, &named);
    }
    r.job
}
