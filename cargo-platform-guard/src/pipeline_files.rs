//! The target lists a repository builds and ships, read from where release
//! pipelines keep them, each with its file and line:
//!
//! - GitHub Actions workflows (`.github/workflows/*.yml`, `*.yaml`): per
//!   job, the matrix (its values and `include` entries, expanded as GitHub
//!   expands them, `exclude` applied), `--target T` / `--target=T` and
//!   `rustup target add T...` in `run` scripts (with `${{ matrix.KEY }}`
//!   read from each matrix combination), the `target`/`targets` inputs of
//!   actions (dtolnay/rust-toolchain, actions-rust-lang/setup-rust-toolchain,
//!   actions-rs/toolchain, houseabsolute/actions-rust-cross,
//!   taiki-e/upload-rust-binary-action, ...) and `--target` in an action's
//!   `args`; a job that names no target builds for its runner
//!   (`runs-on: ubuntu-latest` is `x86_64-unknown-linux-gnu`) when it runs
//!   Cargo or cross;
//! - cargo-dist's `targets` (`[dist]` in `dist-workspace.toml`,
//!   `[workspace.metadata.dist]` and `[package.metadata.dist]` in
//!   Cargo.toml);
//! - cross's target tables (`[target.<triple>]` and `[build] default-target`
//!   in `Cross.toml`, `[package.metadata.cross]` and
//!   `[workspace.metadata.cross]` in Cargo.toml);
//! - docs.rs: `[package.metadata.docs.rs]` `targets` and `default-target`.
//!
//! A file that cannot be parsed is an error naming it (and the line), never
//! skipped. A matrix computed at run time (`${{ fromJSON(...) }}`) cannot be
//! read: it is reported as such.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::files;
use crate::yaml::{self, Node};
use crate::Failure;

/// How a pipeline uses a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A CI build (a workflow that is not a release, cross).
    Builds,
    /// A release: cargo-dist's targets, a release workflow's.
    Ships,
    /// docs.rs documents it.
    Documents,
}

impl Use {
    pub fn word(self) -> &'static str {
        match self {
            Use::Builds => "built",
            Use::Ships => "shipped",
            Use::Documents => "documented",
        }
    }
}

/// One target named in one place.
#[derive(Debug, Clone)]
pub struct Mention {
    pub target: String,
    /// Relative to the repository's root, with `/`.
    pub file: String,
    pub line: usize,
    pub used: Use,
    /// Where in the file: "job build, matrix", "cargo-dist targets", ...
    pub context: String,
    /// Whether the text is a target rustc knows.
    pub known: bool,
}

/// A job of a workflow, as far as targets go.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub line: usize,
    /// The targets it builds (known ones), each where it is named; the
    /// runner's host when it names none and runs Cargo or cross.
    pub targets: Vec<Mention>,
    /// Names in target positions that rustc does not know.
    pub unknown: Vec<Mention>,
    /// A step runs Cargo, cross or a Rust build action.
    pub builds: bool,
    /// A step runs tests (`cargo test`, `cargo nextest`, `cross test`, an
    /// action with `command: test`).
    pub tests: bool,
    /// Why some of its targets cannot be known (a matrix from an
    /// expression, a runner label with no known host), with the line.
    pub opaque: Vec<(usize, String)>,
}

/// One workflow file.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub file: String,
    pub jobs: Vec<Job>,
}

/// Everything read from a repository.
pub struct Repo {
    /// The files read, relative to the root.
    pub files: Vec<String>,
    pub workflows: Vec<Workflow>,
    /// Targets named outside workflows (cargo-dist, cross, docs.rs).
    pub other: Vec<Mention>,
}

impl Repo {
    /// Every mention of a target (known or not), workflows first.
    pub fn mentions(&self) -> Vec<&Mention> {
        let mut all: Vec<&Mention> = Vec::new();
        for w in &self.workflows {
            for j in &w.jobs {
                all.extend(j.targets.iter());
                all.extend(j.unknown.iter());
            }
        }
        all.extend(self.other.iter());
        // By file, in the order read, then by line.
        all.sort_by_key(|m| {
            (
                self.files
                    .iter()
                    .position(|f| *f == m.file)
                    .unwrap_or(usize::MAX),
                m.line,
            )
        });
        all
    }
}

/// `path` relative to `root`, with `/`.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the repository at `root`: its workflows, `dist-workspace.toml`,
/// `Cross.toml`, and the Cargo manifests given (the workspace root's and
/// the packages').
pub fn read(root: &Path, manifests: &[PathBuf], known: &[String]) -> Result<Repo, Failure> {
    let mut repo = Repo {
        files: Vec::new(),
        workflows: Vec::new(),
        other: Vec::new(),
    };
    let dir = root.join(".github").join("workflows");
    if dir.is_dir() {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Failure::error(format!("cannot read {}: {}", dir.display(), e)))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
            .collect();
        paths.sort();
        for p in paths {
            let rel = relative(root, &p);
            let w = read_workflow(&p, &rel, known)?;
            repo.files.push(rel);
            repo.workflows.push(w);
        }
    }
    let dist = root.join("dist-workspace.toml");
    if let Some(text) = files::read(&dist, "cargo-dist configuration", true)? {
        let rel = relative(root, &dist);
        let doc = parse_toml(&text, &rel)?;
        if let Some(t) = table_at(doc.get_ref(), &["dist"]) {
            targets_key(
                t,
                "targets",
                &text,
                &rel,
                "cargo-dist [dist] targets",
                Use::Ships,
                known,
                &mut repo.other,
            );
        }
        repo.files.push(rel);
    }
    let cross = root.join("Cross.toml");
    if let Some(text) = files::read(&cross, "cross configuration", true)? {
        let rel = relative(root, &cross);
        let doc = parse_toml(&text, &rel)?;
        cross_tables(
            doc.get_ref(),
            &text,
            &rel,
            "Cross.toml",
            known,
            &mut repo.other,
        );
        repo.files.push(rel);
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    for m in manifests {
        let c = std::fs::canonicalize(m).unwrap_or_else(|_| m.clone());
        if seen.contains(&c) {
            continue;
        }
        seen.push(c);
        let text = files::read_text(m, "manifest")?;
        let rel = relative(root, m);
        let doc = parse_toml(&text, &rel)?;
        let root_t = doc.get_ref();
        for (path, what, used) in [
            (
                &["workspace", "metadata", "dist"][..],
                "[workspace.metadata.dist] targets",
                Use::Ships,
            ),
            (
                &["package", "metadata", "dist"][..],
                "[package.metadata.dist] targets",
                Use::Ships,
            ),
        ] {
            if let Some(t) = table_at(root_t, path) {
                targets_key(
                    t,
                    "targets",
                    &text,
                    &rel,
                    what,
                    used,
                    known,
                    &mut repo.other,
                );
            }
        }
        for path in [
            &["package", "metadata", "cross"][..],
            &["workspace", "metadata", "cross"][..],
        ] {
            if let Some(t) = table_at(root_t, path) {
                let what = format!("[{}]", path.join("."));
                cross_tables(t, &text, &rel, &what, known, &mut repo.other);
            }
        }
        if let Some(t) = table_at(root_t, &["package", "metadata", "docs", "rs"]) {
            targets_key(
                t,
                "targets",
                &text,
                &rel,
                "[package.metadata.docs.rs] targets",
                Use::Documents,
                known,
                &mut repo.other,
            );
            targets_key(
                t,
                "default-target",
                &text,
                &rel,
                "[package.metadata.docs.rs] default-target",
                Use::Documents,
                known,
                &mut repo.other,
            );
        }
        repo.files.push(rel);
    }
    Ok(repo)
}

fn parse_toml<'t>(text: &'t str, rel: &str) -> Result<Spanned<DeTable<'t>>, Failure> {
    DeTable::parse(text).map_err(|e| {
        let at = e
            .span()
            .map_or_else(String::new, |s| format!(":{}", line_of(text, s.start)));
        Failure::error(format!(
            "{}{}: not valid TOML: {}",
            rel,
            at,
            e.message().trim_end()
        ))
    })
}

/// The line (from 1) of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn table_at<'t, 'i>(t: &'t DeTable<'i>, path: &[&str]) -> Option<&'t DeTable<'i>> {
    let mut here = t;
    for key in path {
        here = here
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .and_then(|(_, v)| v.get_ref().as_table())?;
    }
    Some(here)
}

fn mention(
    target: &str,
    file: &str,
    line: usize,
    used: Use,
    context: String,
    known: &[String],
) -> Mention {
    Mention {
        target: target.to_string(),
        file: file.to_string(),
        line,
        used,
        context,
        known: known.iter().any(|k| k == target),
    }
}

/// `key = "triple"` or `key = ["triple", ...]` in `t`.
#[allow(clippy::too_many_arguments)]
fn targets_key(
    t: &DeTable<'_>,
    key: &str,
    text: &str,
    file: &str,
    what: &str,
    used: Use,
    known: &[String],
    out: &mut Vec<Mention>,
) {
    let Some((_, v)) = t.iter().find(|(k, _)| k.get_ref() == key) else {
        return;
    };
    let mut push = |s: &str, span: std::ops::Range<usize>| {
        out.push(mention(
            s,
            file,
            line_of(text, span.start),
            used,
            what.to_string(),
            known,
        ));
    };
    match v.get_ref() {
        DeValue::String(s) => push(s, v.span()),
        DeValue::Array(items) => {
            for i in items {
                if let Some(s) = i.get_ref().as_str() {
                    push(s, i.span());
                }
            }
        }
        _ => {}
    }
}

/// cross's `[target.<triple>]` tables and `[build] default-target`.
fn cross_tables(
    t: &DeTable<'_>,
    text: &str,
    file: &str,
    what: &str,
    known: &[String],
    out: &mut Vec<Mention>,
) {
    if let Some(targets) = table_at(t, &["target"]) {
        for (k, _) in targets.iter() {
            out.push(mention(
                k.get_ref(),
                file,
                line_of(text, k.span().start),
                Use::Builds,
                format!("cross {} target table", what),
                known,
            ));
        }
    }
    if let Some(build) = table_at(t, &["build"]) {
        targets_key(
            build,
            "default-target",
            text,
            file,
            &format!("cross {} default-target", what),
            Use::Builds,
            known,
            out,
        );
    }
}

/// The host of a GitHub-hosted runner label.
pub fn runner_host(label: &str) -> Option<&'static str> {
    let l = label.trim();
    Some(match l {
        _ if l.starts_with("ubuntu-") && l.ends_with("-arm") => "aarch64-unknown-linux-gnu",
        _ if l.starts_with("ubuntu-") => "x86_64-unknown-linux-gnu",
        "macos-13" | "macos-13-large" | "macos-14-large" | "macos-15-large" | "macos-15-intel" => {
            "x86_64-apple-darwin"
        }
        _ if l.starts_with("macos-") => "aarch64-apple-darwin",
        "windows-11-arm" => "aarch64-pc-windows-msvc",
        _ if l.starts_with("windows-") => "x86_64-pc-windows-msvc",
        _ => return None,
    })
}

/// Inputs of actions that name targets.
const TARGET_INPUTS: &[&str] = &["target", "targets", "rust-target", "toolchain-target"];
/// Matrix keys whose values are meant to be targets (a value there that
/// rustc does not know is reported).
const TARGET_KEYS: &[&str] = &["target", "targets", "rust-target", "triple", "rust_target"];

/// One matrix combination: key, value and the value's line.
type Combo = Vec<(String, String, usize)>;

/// The value's text for a combination (a mapping or sequence value is
/// opaque: its scalars are still searched for targets).
fn scalars(node: &Node, out: &mut Vec<(String, usize)>) {
    match &node.kind {
        yaml::Kind::Scalar { value } => out.push((value.clone(), node.line)),
        yaml::Kind::Seq(items) => items.iter().for_each(|i| scalars(i, out)),
        yaml::Kind::Map(entries) => entries.iter().for_each(|(_, v)| scalars(v, out)),
    }
}

/// The combinations of a `strategy.matrix` mapping, as GitHub builds them:
/// the product of its keys' values, `exclude` removed, then each `include`
/// entry added to every combination whose original values it does not
/// change, or as a combination of its own. `None` for a matrix that is an
/// expression; the line and the reason go to `opaque`.
fn combos(matrix: &Node, opaque: &mut Vec<(usize, String)>) -> Vec<Combo> {
    if let Some(s) = matrix.as_str() {
        opaque.push((
            matrix.line,
            format!(
                "the matrix is computed when the workflow runs (`{}`)",
                s.trim()
            ),
        ));
        return Vec::new();
    }
    let mut dims: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    let (mut include, mut exclude) = (Vec::new(), Vec::new());
    for (k, v) in matrix.entries() {
        let key = k.as_str().unwrap_or_default().to_string();
        match key.as_str() {
            "include" | "exclude" => {
                if let Some(s) = v.as_str() {
                    opaque.push((
                        v.line,
                        format!(
                            "matrix {} is computed when the workflow runs (`{}`)",
                            key,
                            s.trim()
                        ),
                    ));
                }
                let list = if key == "include" {
                    &mut include
                } else {
                    &mut exclude
                };
                for item in v.items() {
                    let mut combo: Combo = Vec::new();
                    for (ik, iv) in item.entries() {
                        let mut vals = Vec::new();
                        scalars(iv, &mut vals);
                        for (val, line) in vals {
                            combo.push((ik.as_str().unwrap_or_default().to_string(), val, line));
                        }
                    }
                    list.push(combo);
                }
            }
            _ => {
                if let Some(s) = v.as_str() {
                    if s.contains("${{") {
                        opaque.push((
                            v.line,
                            format!(
                                "matrix {} is computed when the workflow runs (`{}`)",
                                key,
                                s.trim()
                            ),
                        ));
                        continue;
                    }
                }
                let mut vals = Vec::new();
                for item in v.items() {
                    let mut inner = Vec::new();
                    scalars(item, &mut inner);
                    vals.extend(inner);
                }
                if let Some(s) = v.as_str() {
                    vals.push((s.to_string(), v.line));
                }
                dims.push((key, vals));
            }
        }
    }
    let mut product: Vec<Combo> = vec![Vec::new()];
    let total: usize = dims.iter().map(|(_, v)| v.len().max(1)).product();
    if total <= 4096 {
        for (key, vals) in &dims {
            if vals.is_empty() {
                continue;
            }
            let mut next = Vec::new();
            for combo in &product {
                for (val, line) in vals {
                    let mut c = combo.clone();
                    c.push((key.clone(), val.clone(), *line));
                    next.push(c);
                }
            }
            product = next;
        }
    } else {
        // Too large to expand: one combination per value.
        product = dims
            .iter()
            .flat_map(|(k, vals)| {
                vals.iter()
                    .map(move |(v, l)| vec![(k.clone(), v.clone(), *l)])
            })
            .collect();
    }
    if dims.iter().all(|(_, v)| v.is_empty()) {
        product.clear();
    }
    product.retain(|c| {
        !exclude.iter().any(|ex| {
            !ex.is_empty()
                && ex
                    .iter()
                    .all(|(k, v, _)| c.iter().any(|(ck, cv, _)| ck == k && cv == v))
        })
    });
    let originals: Vec<&str> = dims.iter().map(|(k, _)| k.as_str()).collect();
    let base = product.len();
    for inc in include {
        let mut added = false;
        for c in product.iter_mut().take(base) {
            let fits = inc.iter().all(|(k, v, _)| {
                !originals.contains(&k.as_str()) || c.iter().any(|(ck, cv, _)| ck == k && cv == v)
            });
            if fits {
                for (k, v, l) in &inc {
                    if !originals.contains(&k.as_str()) {
                        c.retain(|(ck, _, _)| ck != k);
                        c.push((k.clone(), v.clone(), *l));
                    }
                }
                added = true;
            }
        }
        if !added {
            product.push(inc);
        }
    }
    product
}

/// `${{ matrix.KEY }}` replaced by the combination's values.
fn substitute(text: &str, combo: &Combo) -> String {
    let mut out = text.to_string();
    for (k, v, _) in combo {
        for form in [
            format!("${{{{ matrix.{} }}}}", k),
            format!("${{{{matrix.{}}}}}", k),
        ] {
            out = out.replace(&form, v);
        }
    }
    out
}

/// Words that end a command in a shell line.
fn ends_command(word: &str) -> bool {
    matches!(word, ";" | "&&" | "||" | "|" | "&" | "\\")
}

/// The targets a script names, each with its line offset in the script:
/// `--target T`, `--target=T`, `rustup target add T...`.
fn script_targets(script: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (n, line) in script.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let clean = |w: &str| {
            w.trim_matches(|c| c == '"' || c == '\'')
                .trim_end_matches(';')
                .to_string()
        };
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            if w == "--target" {
                if let Some(t) = words.get(i + 1) {
                    out.push((clean(t), n));
                }
                i += 2;
                continue;
            }
            if let Some(t) = w.strip_prefix("--target=") {
                out.push((clean(t), n));
            }
            if w == "rustup"
                && words.get(i + 1) == Some(&"target")
                && words.get(i + 2) == Some(&"add")
            {
                let mut j = i + 3;
                while let Some(t) = words.get(j) {
                    if ends_command(t) || t.starts_with('#') {
                        break;
                    }
                    if !t.starts_with('-') {
                        out.push((clean(t), n));
                    } else if *t == "--toolchain" {
                        j += 1;
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            i += 1;
        }
    }
    out
}

/// What the commands of a script do.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct ScriptKind {
    /// A Cargo or cross command that compiles (build, check, test, ...).
    builds: bool,
    /// One that runs tests (`test`, `nextest`, through `hack`, `llvm-cov`,
    /// ...).
    tests: bool,
    /// One that compiles without `--target`: for the runner's host.
    host: bool,
}

/// Cargo subcommands that compile the package.
const COMPILES: &[&str] = &[
    "build",
    "b",
    "check",
    "c",
    "test",
    "t",
    "run",
    "r",
    "nextest",
    "bench",
    "clippy",
    "doc",
    "d",
    "install",
    "rustc",
    "zigbuild",
    "xwin",
    "llvm-cov",
    "hack",
    "miri",
    "careful",
    "tarpaulin",
    "auditable",
    "binstall",
    "dist",
];

/// The commands of a script: for each command line (split at `;`, `&&`,
/// `||`, `|`), its first word after environment assignments and `sudo`,
/// `time`, `exec`, `env`.
fn script_kind(script: &str) -> ScriptKind {
    let mut kind = ScriptKind::default();
    for line in script.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut start = true;
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            if ends_command(w) {
                start = true;
                i += 1;
                continue;
            }
            if w.starts_with('#') && start {
                break;
            }
            if !start {
                i += 1;
                continue;
            }
            if w.contains('=') && !w.starts_with('-')
                || matches!(w, "sudo" | "time" | "exec" | "env" | "then" | "do" | "!")
            {
                i += 1;
                continue;
            }
            start = false;
            let tool = w.rsplit('/').next().unwrap_or(w);
            if !matches!(tool, "cargo" | "cross" | "cargo-zigbuild" | "cargo-xwin") {
                i += 1;
                continue;
            }
            let rest: Vec<&str> = words[i + 1..]
                .iter()
                .copied()
                .take_while(|x| !ends_command(x))
                .collect();
            let subs: Vec<&str> = rest
                .iter()
                .copied()
                .filter(|x| !x.starts_with('+') && !x.starts_with('-'))
                .take(2)
                .collect();
            let sub = match tool {
                "cargo-zigbuild" | "cargo-xwin" => "build",
                _ => subs.first().copied().unwrap_or(""),
            };
            if COMPILES.contains(&sub) {
                kind.builds = true;
                let second = subs.get(1).copied().unwrap_or("");
                if matches!(sub, "test" | "t" | "nextest" | "tarpaulin")
                    || (matches!(sub, "hack" | "llvm-cov" | "miri" | "careful")
                        && matches!(second, "test" | "nextest" | ""))
                {
                    kind.tests = true;
                }
                if !rest
                    .iter()
                    .any(|x| *x == "--target" || x.starts_with("--target="))
                {
                    kind.host = true;
                }
            }
            i += 1;
        }
    }
    kind
}

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

/// Reads one workflow file (`rel` names it in messages and mentions).
pub fn read_workflow(path: &Path, rel: &str, known: &[String]) -> Result<Workflow, Failure> {
    let text = files::read_text(path, "workflow")?;
    let doc = yaml::parse(&text).map_err(|(line, col, why)| {
        Failure::error(format!("{}:{}:{}: not valid YAML: {}", rel, line, col, why))
    })?;
    if !matches!(doc.kind, yaml::Kind::Map(_)) {
        return Err(Failure::error(format!(
            "{}:{}: expected a GitHub Actions workflow (a mapping with `jobs`), found {}",
            rel,
            doc.line,
            match doc.kind {
                yaml::Kind::Seq(_) => "a sequence",
                _ => "a scalar",
            }
        )));
    }
    let release = is_release(&doc, rel);
    let used = if release { Use::Ships } else { Use::Builds };
    let mut jobs = Vec::new();
    for (id, job) in doc.get("jobs").map(Node::entries).unwrap_or_default() {
        let id_text = id.as_str().unwrap_or_default().to_string();
        let mut opaque = Vec::new();
        let combos_list = job
            .get("strategy")
            .and_then(|s| s.get("matrix"))
            .map(|m| combos(m, &mut opaque))
            .unwrap_or_default();
        let mut j = Job {
            id: id_text.clone(),
            line: id.line,
            targets: Vec::new(),
            unknown: Vec::new(),
            builds: false,
            tests: false,
            opaque,
        };
        let ctx = |what: &str| format!("job {}, {}", id_text, what);
        let push = |j: &mut Job, target: &str, line: usize, what: String| {
            let m = mention(target, rel, line, used, what, known);
            let list = if m.known {
                &mut j.targets
            } else {
                &mut j.unknown
            };
            if !list
                .iter()
                .any(|x| x.target == m.target && x.line == m.line)
            {
                list.push(m);
            }
        };
        // Matrix values: known triples wherever they are; unknown ones
        // under a target-like key.
        let mut combo_has_target = Vec::new();
        for c in &combos_list {
            let mut has = false;
            for (k, v, line) in c {
                if known.iter().any(|t| t == v) {
                    push(&mut j, v, *line, ctx("matrix"));
                    has = true;
                } else if TARGET_KEYS.contains(&k.as_str()) && !v.contains("${{") && !v.is_empty() {
                    push(&mut j, v, *line, ctx(&format!("matrix {}", k)));
                    has = true;
                }
            }
            combo_has_target.push(has);
        }
        let one: Vec<Combo> = if combos_list.is_empty() {
            vec![Vec::new()]
        } else {
            combos_list.clone()
        };
        // Steps: scripts and action inputs, once per combination.
        let mut host = false;
        for step in job.get("steps").map(Node::items).unwrap_or_default() {
            if let Some(run) = step
                .get("run")
                .and_then(|r| r.as_str().map(|s| (s, r.text_line())))
            {
                let k = script_kind(run.0);
                j.builds |= k.builds;
                j.tests |= k.tests;
                host |= k.host;
                for c in &one {
                    for (target, offset) in script_targets(&substitute(run.0, c)) {
                        if target.contains("${{") || target.contains('$') || target.is_empty() {
                            continue;
                        }
                        // A value that came from the matrix is already there.
                        if c.iter().any(|(_, v, _)| *v == target) && run.0.contains("matrix.") {
                            continue;
                        }
                        push(&mut j, &target, run.1 + offset, ctx("run"));
                    }
                }
            }
            if let Some(uses) = step.get("uses").and_then(Node::as_str) {
                if builds_action(uses) {
                    j.builds = true;
                }
                let with = step.get("with");
                if let Some(cmd) = with.and_then(|w| w.get("command")).and_then(Node::as_str) {
                    let args = with
                        .and_then(|w| w.get("args"))
                        .and_then(Node::as_str)
                        .unwrap_or("");
                    let k = script_kind(&format!("cargo {} {}", cmd.trim(), args));
                    j.builds |= k.builds;
                    j.tests |= k.tests;
                    host |= k.host;
                } else if builds_action(uses)
                    && !with.is_some_and(|w| TARGET_INPUTS.iter().any(|i| w.get(i).is_some()))
                {
                    host = true;
                }
                for (k, v) in with.map(Node::entries).unwrap_or_default() {
                    let key = k.as_str().unwrap_or_default();
                    let Some(value) = v.as_str() else { continue };
                    let mut names: Vec<(String, usize)> = Vec::new();
                    if TARGET_INPUTS.contains(&key) {
                        for c in &one {
                            let text = substitute(value, c);
                            for (n, l) in text.lines().enumerate() {
                                for t in l.split([',', ' ', '\t']) {
                                    names.push((t.trim().to_string(), n));
                                }
                            }
                        }
                    } else if key == "args" {
                        names.extend(script_targets(value));
                    }
                    for (t, offset) in names {
                        if t.is_empty() || t.contains("${{") {
                            continue;
                        }
                        let from_matrix = value.contains("matrix.")
                            && one.iter().any(|c| c.iter().any(|(_, cv, _)| *cv == t));
                        if from_matrix {
                            continue;
                        }
                        push(
                            &mut j,
                            &t,
                            v.text_line() + offset,
                            ctx(&format!("{} input of {}", key, uses)),
                        );
                    }
                }
            }
        }
        // A compile without --target builds for the runner, in each
        // combination that names no target.
        if host {
            let runs_on = job.get("runs-on");
            for (i, c) in one.iter().enumerate() {
                if combo_has_target.get(i).copied().unwrap_or(false) {
                    continue;
                }
                let Some(node) = runs_on else { continue };
                let mut labels = Vec::new();
                match &node.kind {
                    yaml::Kind::Scalar { value } => labels.push(substitute(value, c)),
                    yaml::Kind::Seq(items) => labels.extend(
                        items
                            .iter()
                            .filter_map(Node::as_str)
                            .map(|s| substitute(s, c)),
                    ),
                    yaml::Kind::Map(_) => labels.extend(
                        node.get("labels")
                            .map(|l| match l.as_str() {
                                Some(s) => vec![s.to_string()],
                                None => l
                                    .items()
                                    .iter()
                                    .filter_map(Node::as_str)
                                    .map(str::to_string)
                                    .collect(),
                            })
                            .unwrap_or_default(),
                    ),
                }
                let host = labels.iter().find_map(|l| runner_host(l));
                // The line of the value the label came from, else runs-on's.
                let line = c
                    .iter()
                    .find(|(_, v, _)| labels.contains(v))
                    .map_or(node.line, |(_, _, l)| *l);
                match host {
                    Some(h) => push(
                        &mut j,
                        h,
                        line,
                        ctx(&format!("runner {}", labels.join(", "))),
                    ),
                    None => {
                        let why = format!(
                            "no target is named and the runner ({}) is not a GitHub-hosted one \
                             whose host is known",
                            labels.join(", ")
                        );
                        if !j.opaque.iter().any(|(_, w)| *w == why) {
                            j.opaque.push((line, why));
                        }
                    }
                }
            }
        }
        jobs.push(j);
    }
    Ok(Workflow {
        file: rel.to_string(),
        jobs,
    })
}

/// A release workflow: triggered by `release` or by pushed tags, or named
/// for releases (its name or file name holds "release").
fn is_release(doc: &Node, rel: &str) -> bool {
    let named = doc
        .get("name")
        .and_then(Node::as_str)
        .is_some_and(|n| n.to_ascii_lowercase().contains("release"))
        || rel
            .rsplit('/')
            .next()
            .is_some_and(|f| f.to_ascii_lowercase().contains("release"));
    let on = match doc.get("on") {
        Some(on) => on,
        None => return named,
    };
    let triggered = match &on.kind {
        yaml::Kind::Scalar { value } => value == "release",
        yaml::Kind::Seq(items) => items.iter().any(|i| i.as_str() == Some("release")),
        yaml::Kind::Map(_) => {
            on.get("release").is_some() || on.get("push").is_some_and(|p| p.get("tags").is_some())
        }
    };
    triggered || named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_targets() {
        assert_eq!(
            script_targets("cargo build --target a-b-c\nrustup target add x y --toolchain s z && cargo test\ncross build --target=q"),
            [
                ("a-b-c".to_string(), 0),
                ("x".to_string(), 1),
                ("y".to_string(), 1),
                ("z".to_string(), 1),
                ("q".to_string(), 2)
            ]
        );
        let k = |b, t, h| ScriptKind {
            builds: b,
            tests: t,
            host: h,
        };
        assert_eq!(
            script_kind("cargo +nightly test --workspace"),
            k(true, true, true)
        );
        assert_eq!(
            script_kind("RUSTFLAGS=-Dwarnings cargo build --release --target x"),
            k(true, false, false)
        );
        assert_eq!(script_kind("cargo nextest run"), k(true, true, true));
        assert_eq!(
            script_kind("echo \"no cargo here\"; make"),
            k(false, false, false)
        );
        assert_eq!(script_kind("cargo fmt --check"), k(false, false, false));
    }

    #[test]
    fn matrices_expand_as_github_expands_them() {
        let doc = yaml::parse(
            "os: [a, b]\ntarget: [x, y]\nexclude:\n  - os: b\n    target: y\ninclude:\n  - os: a\n    extra: e\n  - target: z\n",
        )
        .unwrap();
        let mut opaque = Vec::new();
        let c = combos(&doc, &mut opaque);
        let shown: Vec<String> = c
            .iter()
            .map(|c| {
                c.iter()
                    .map(|(k, v, _)| format!("{}={}", k, v))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            shown,
            [
                "os=a target=x extra=e",
                "os=a target=y extra=e",
                "os=b target=x",
                "target=z"
            ]
        );
        assert!(opaque.is_empty());
    }
}
