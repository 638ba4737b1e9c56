//! Which jobs ship, decided per job and per matrix combination: a job
//! ships in a combination where one of its steps publishes (a GitHub
//! release upload, a registry, an object store), or where it uploads a
//! workflow artifact that a job needing it (directly or not) downloads and
//! publishes, or hands on to another that does. A job calling a reusable
//! workflow of the repository stands for that workflow's jobs: it publishes
//! when one of them does, its uploads are theirs, and when a later job
//! publishes them, the called jobs that uploaded them ship.

use std::collections::{BTreeSet, HashSet};

use super::job::Facts;
use super::value::{Text, HOLE};
use crate::pipelines::Publish;

/// How deep calls of reusable workflows are followed.
const MAX_CALLS: usize = 4;

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
type Upload = (usize, usize, usize, Text, usize);

/// Shipping for every job of every file (`files[f].jobs[j]` →
/// `result[f][j]`).
pub fn decide(files: &[File<'_>]) -> Vec<Vec<Shipped>> {
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
            if let Some(c) = &j.calls {
                if let Some(how) = publishes_how(files, fi, ji, 0) {
                    mark(&mut out[fi][ji], 0, how, c.line);
                }
            }
        }
    }
    for (fi, f) in files.iter().enumerate() {
        let publishing = publishing(files, fi);
        let downloads: Vec<Vec<Option<Text>>> = (0..f.jobs.len())
            .map(|k| downloads(files, fi, k, 0))
            .collect();
        let anc: Vec<HashSet<usize>> = (0..f.jobs.len()).map(|k| ancestors(f.jobs, k)).collect();
        for (ji, j) in f.jobs.iter().enumerate() {
            for (uf, uj, combo, name, line) in uploads(files, fi, ji, 0) {
                let consumed = (0..f.jobs.len()).any(|k| {
                    k != ji
                        && publishing[k]
                        && anc[k].contains(&ji)
                        && downloads[k].iter().any(|d| matches(d.as_ref(), &name))
                });
                if consumed {
                    mark(&mut out[uf][uj], combo, Publish::Artifact, line);
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

/// Whether each job of file `fi` publishes: itself (or a workflow it
/// calls), or by handing artifacts to a job that does.
fn publishing(files: &[File<'_>], fi: usize) -> Vec<bool> {
    let jobs = files[fi].jobs;
    let mut p: Vec<bool> = (0..jobs.len()).map(|j| direct(files, fi, j, 0)).collect();
    let ups: Vec<Vec<Upload>> = (0..jobs.len()).map(|j| uploads(files, fi, j, 0)).collect();
    let downs: Vec<Vec<Option<Text>>> = (0..jobs.len())
        .map(|k| downloads(files, fi, k, 0))
        .collect();
    let anc: Vec<HashSet<usize>> = (0..jobs.len()).map(|k| ancestors(jobs, k)).collect();
    loop {
        let mut changed = false;
        for j in 0..jobs.len() {
            if p[j] {
                continue;
            }
            let handed = ups[j].iter().any(|(_, _, _, name, _)| {
                (0..jobs.len()).any(|k| {
                    p[k] && anc[k].contains(&j)
                        && downs[k].iter().any(|d| matches(d.as_ref(), name))
                })
            });
            if handed {
                p[j] = true;
                changed = true;
            }
        }
        if !changed {
            return p;
        }
    }
}

/// Whether job `j` of file `fi` publishes by itself (or calls a workflow
/// one of whose jobs does).
fn direct(files: &[File<'_>], fi: usize, j: usize, depth: usize) -> bool {
    publishes_how(files, fi, j, depth).is_some()
}

/// How job `j` of file `fi` publishes by itself (or a job of the workflow
/// it calls).
fn publishes_how(files: &[File<'_>], fi: usize, j: usize, depth: usize) -> Option<Publish> {
    let job = &files[fi].jobs[j];
    if let Some((_, how, _)) = job.publishes.first() {
        return Some(*how);
    }
    let c = job.calls.as_ref().filter(|_| depth < MAX_CALLS)?;
    let cf = callee(files, &c.path)?;
    (0..files[cf].jobs.len()).find_map(|k| publishes_how(files, cf, k, depth + 1))
}

/// The uploads of job `j` of file `fi`: its own, or those of the jobs of
/// the workflow it calls.
fn uploads(files: &[File<'_>], fi: usize, j: usize, depth: usize) -> Vec<Upload> {
    let job = &files[fi].jobs[j];
    let mut out: Vec<Upload> = job
        .uploads
        .iter()
        .map(|(combo, name, line)| (fi, j, *combo, name.clone(), *line))
        .collect();
    if let (Some(c), true) = (&job.calls, depth < MAX_CALLS) {
        if let Some(cf) = callee(files, &c.path) {
            for k in 0..files[cf].jobs.len() {
                out.extend(uploads(files, cf, k, depth + 1));
            }
        }
    }
    out
}

/// The downloads of job `j` of file `fi`: its own, or those of the jobs
/// of the workflow it calls.
fn downloads(files: &[File<'_>], fi: usize, j: usize, depth: usize) -> Vec<Option<Text>> {
    let job = &files[fi].jobs[j];
    let mut out = job.downloads.clone();
    if let (Some(c), true) = (&job.calls, depth < MAX_CALLS) {
        if let Some(cf) = callee(files, &c.path) {
            for k in 0..files[cf].jobs.len() {
                out.extend(downloads(files, cf, k, depth + 1));
            }
        }
    }
    out
}

fn callee(files: &[File<'_>], path: &str) -> Option<usize> {
    files.iter().position(|f| f.rel == path)
}

/// The jobs `k` needs, directly or not (by index).
fn ancestors(jobs: &[Facts], k: usize) -> HashSet<usize> {
    let mut seen = HashSet::new();
    let mut todo = vec![k];
    while let Some(x) = todo.pop() {
        for n in &jobs[x].needs {
            if let Some(i) = jobs.iter().position(|j| j.id == *n) {
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
