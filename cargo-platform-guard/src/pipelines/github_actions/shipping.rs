//! Which jobs ship, decided per job and per matrix combination: a job
//! ships in a combination where one of its steps publishes (a GitHub
//! release upload, a registry, an object store), or where it uploads a
//! workflow artifact that a job needing it (directly or not) downloads and
//! publishes, or hands on to another that does. A job calling a reusable
//! workflow of the repository stands for that workflow's jobs: it publishes
//! when one of them does, its uploads are theirs, and when a later job
//! publishes them, the called jobs that uploaded them ship.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::leg::Facts;
use super::value::{Text, HOLE};
use crate::pipelines::Publish;

/// Jobs of one workflow past which artifacts are not followed (a
/// workflow that large is not one a person wrote; its jobs ship only by
/// publishing themselves).
const MAX_JOBS: usize = 1000;

/// A job's shipping: the combinations that ship, and how (the first
/// publishing step, or the artifact's upload, with its line).
#[derive(Debug, Clone, Default)]
pub struct Shipped {
    pub combos: BTreeSet<usize>,
    pub how: Option<(Publish, usize)>,
}

/// One workflow's jobs.
pub struct File<'a> {
    pub rel: &'a str,
    pub jobs: &'a [Facts],
}

/// An upload: the file and job that made it, the combination, its name
/// and line.
type Upload<'a> = (usize, usize, usize, &'a Text, usize);

/// The workflows, with the reusable ones each job stands for.
struct Repo<'a> {
    files: &'a [File<'a>],
    /// Per file, per job: the files it calls, directly or through them.
    calls: Vec<Vec<Vec<usize>>>,
}

impl<'a> Repo<'a> {
    fn new(files: &'a [File<'a>]) -> Repo<'a> {
        let index: HashMap<&str, usize> =
            files.iter().enumerate().map(|(i, f)| (f.rel, i)).collect();
        let callee = |j: &Facts| {
            j.calls
                .as_ref()
                .and_then(|c| index.get(c.path.as_str()).copied())
        };
        let calls = files
            .iter()
            .map(|f| {
                f.jobs
                    .iter()
                    .map(|j| {
                        // The files reached from the callee (each once).
                        let mut seen = Vec::new();
                        let mut todo: Vec<usize> = callee(j).into_iter().collect();
                        while let Some(x) = todo.pop() {
                            if seen.contains(&x) {
                                continue;
                            }
                            seen.push(x);
                            todo.extend(files[x].jobs.iter().filter_map(callee));
                        }
                        seen
                    })
                    .collect()
            })
            .collect();
        Repo { files, calls }
    }

    /// The jobs job `j` of file `f` stands for: itself, and every job of
    /// the workflows it calls.
    fn jobs(&self, f: usize, j: usize) -> impl Iterator<Item = (usize, usize, &'a Facts)> + '_ {
        std::iter::once((f, j, &self.files[f].jobs[j])).chain(self.calls[f][j].iter().flat_map(
            |&cf| {
                self.files[cf]
                    .jobs
                    .iter()
                    .enumerate()
                    .map(move |(k, job)| (cf, k, job))
            },
        ))
    }

    /// How job `j` of file `f` publishes by itself (or a job of a workflow
    /// it calls).
    fn publishes(&self, f: usize, j: usize) -> Option<Publish> {
        self.jobs(f, j)
            .find_map(|(_, _, job)| job.publishes.first().map(|p| p.1))
    }

    fn uploads(&self, f: usize, j: usize) -> Vec<Upload<'a>> {
        self.jobs(f, j)
            .flat_map(|(uf, uj, job)| {
                job.uploads
                    .iter()
                    .map(move |(c, name, line)| (uf, uj, *c, name, *line))
            })
            .collect()
    }

    fn downloads(&self, f: usize, j: usize) -> Vec<Option<&'a Text>> {
        self.jobs(f, j)
            .flat_map(|(_, _, job)| job.downloads.iter().map(Option::as_ref))
            .collect()
    }
}

/// Shipping for every job of every file (`files[f].jobs[j]` →
/// `result[f][j]`).
pub fn decide(files: &[File<'_>]) -> Vec<Vec<Shipped>> {
    let repo = Repo::new(files);
    let mut out: Vec<Vec<Shipped>> = files
        .iter()
        .map(|f| vec![Shipped::default(); f.jobs.len()])
        .collect();
    for (fi, f) in files.iter().enumerate() {
        for (ji, j) in f.jobs.iter().enumerate() {
            for (combo, how, line) in &j.publishes {
                mark(&mut out[fi][ji], *combo, *how, *line);
            }
            // A call of a workflow one of whose jobs publishes.
            if let (Some(c), Some(how)) = (&j.calls, repo.publishes(fi, ji)) {
                mark(&mut out[fi][ji], 0, how, c.line);
            }
        }
    }
    for (fi, f) in files.iter().enumerate() {
        if f.jobs.len() > MAX_JOBS {
            continue;
        }
        let flow = Flow::new(&repo, fi);
        for (ji, j) in f.jobs.iter().enumerate() {
            for (uf, uj, combo, name, line) in &flow.uploads[ji] {
                if flow.consumed(ji, name) {
                    mark(&mut out[*uf][*uj], *combo, Publish::Artifact, *line);
                    if let Some(c) = &j.calls {
                        mark(&mut out[fi][ji], 0, Publish::Artifact, c.line);
                    }
                }
            }
        }
    }
    out
}

fn mark(s: &mut Shipped, combo: usize, how: Publish, line: usize) {
    s.combos.insert(combo);
    s.how.get_or_insert((how, line));
}

/// A job that downloads artifacts: its index, what it downloads, and the
/// jobs it needs (directly or not).
type Consumer<'a> = (usize, Vec<Option<&'a Text>>, HashSet<usize>);

/// The artifacts of one workflow: who uploads what, who downloads what
/// and needs whom, and which jobs publish (themselves, or by handing
/// their artifacts to a job that does).
struct Flow<'a> {
    uploads: Vec<Vec<Upload<'a>>>,
    /// The jobs that download, with their downloads and the jobs they
    /// need (directly or not).
    consumers: Vec<Consumer<'a>>,
    publishing: Vec<bool>,
}

impl<'a> Flow<'a> {
    fn new(repo: &Repo<'a>, fi: usize) -> Flow<'a> {
        let jobs = repo.files[fi].jobs;
        let index: HashMap<&str, usize> = jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (j.id.as_str(), i))
            .collect();
        let consumers = (0..jobs.len())
            .filter_map(|k| {
                let d = repo.downloads(fi, k);
                (!d.is_empty()).then(|| (k, d, ancestors(jobs, &index, k)))
            })
            .collect();
        let mut flow = Flow {
            uploads: (0..jobs.len()).map(|j| repo.uploads(fi, j)).collect(),
            consumers,
            publishing: (0..jobs.len())
                .map(|j| repo.publishes(fi, j).is_some())
                .collect(),
        };
        // Publishing spreads back along artifacts: each consumer that
        // publishes makes the jobs it takes artifacts from publish.
        let mut todo: Vec<usize> = (0..flow.consumers.len())
            .filter(|&c| flow.publishing[flow.consumers[c].0])
            .collect();
        while let Some(c) = todo.pop() {
            let (k, downloads, needs) = &flow.consumers[c];
            let handed: Vec<usize> = needs
                .iter()
                .copied()
                .filter(|&j| {
                    j != *k
                        && !flow.publishing[j]
                        && flow.uploads[j]
                            .iter()
                            .any(|u| downloads.iter().any(|d| matches(*d, u.3)))
                })
                .collect();
            for j in handed {
                flow.publishing[j] = true;
                todo.extend(flow.consumers.iter().position(|x| x.0 == j));
            }
        }
        flow
    }

    /// Whether a publishing job that needs job `j` downloads the artifact
    /// `name`.
    fn consumed(&self, j: usize, name: &Text) -> bool {
        self.consumers.iter().any(|(k, downloads, needs)| {
            *k != j
                && self.publishing[*k]
                && needs.contains(&j)
                && downloads.iter().any(|d| matches(*d, name))
        })
    }
}

/// The jobs job `k` needs, directly or not (by index).
fn ancestors(jobs: &[Facts], index: &HashMap<&str, usize>, k: usize) -> HashSet<usize> {
    let mut seen = HashSet::new();
    let mut todo = vec![k];
    while let Some(x) = todo.pop() {
        for n in &jobs[x].needs {
            if let Some(&i) = index.get(n.as_str()) {
                if seen.insert(i) {
                    todo.push(i);
                }
            }
        }
    }
    seen
}

/// Whether a download (a name or a glob; `None`: every artifact) takes
/// the artifact `name`. A part of either not known when the workflow is
/// read may be anything: then the known text before and after it must
/// agree.
fn matches(download: Option<&Text>, name: &Text) -> bool {
    let Some(d) = download else { return true };
    let (d, n) = (d.s.trim(), name.s.trim());
    if !d.contains(HOLE) && !n.contains(HOLE) {
        return glob(d.as_bytes(), n.as_bytes());
    }
    let wild = |c: char| c == HOLE || c == '*' || c == '?';
    let (dp, np) = (prefix(d, wild), prefix(n, wild));
    let (ds, ns) = (suffix(d, wild), suffix(n, wild));
    (dp.starts_with(np) || np.starts_with(dp)) && (ds.ends_with(ns) || ns.ends_with(ds))
}

fn prefix(s: &str, wild: impl Fn(char) -> bool) -> &str {
    s.find(wild).map_or(s, |i| &s[..i])
}

fn suffix(s: &str, wild: impl Fn(char) -> bool) -> &str {
    s.rfind(wild).map_or(s, |i| &s[i + 1..])
}

/// `*` and `?` globbing (iterative, so no pattern can make it slow).
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) && p[pi] != b'*' {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_not_known_match_on_what_is_known() {
        let hole = |s: &str| {
            let mut t = Text::default();
            for (i, part) in s.split('?').enumerate() {
                if i > 0 {
                    t.push(&Text::unknown(super::super::value::Unknown::new(
                        super::super::value::Why::RunContext,
                        "github.sha",
                    )));
                }
                t.push_str(part);
            }
            t
        };
        assert!(!matches(
            Some(&hole("uv-linux-libc-?")),
            &hole("uv-linux-aarch64-?")
        ));
        assert!(matches(
            Some(&hole("uv-linux-libc-?")),
            &hole("uv-linux-libc-?")
        ));
        assert!(matches(
            Some(&Text::plain("artifacts-*")),
            &hole("artifacts-?")
        ));
        assert!(!matches(
            Some(&Text::plain("wheels_*")),
            &hole("artifacts-?")
        ));
        assert!(matches(None, &Text::plain("x")));
    }

    #[test]
    fn globs_match_artifact_names() {
        assert!(glob(b"artifacts-*", b"artifacts-x86_64-apple-darwin"));
        assert!(glob(b"*", b""));
        assert!(!glob(b"wheels_*", b"artifacts-x"));
        assert!(glob(b"a?c", b"abc"));
        assert!(!glob(
            &[b'*'; 64].iter().copied().chain(*b"x").collect::<Vec<_>>(),
            &[b'a'; 64]
        ));
    }
}
