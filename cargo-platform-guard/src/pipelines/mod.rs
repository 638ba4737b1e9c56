//! The target lists a repository builds, ships and documents, read from
//! where release pipelines keep them, each target with its file and line.
//! One reader per source, each in its own file and listed once in
//! [`READERS`]:
//!
//! - `github_actions`: workflows (`.github/workflows/*.yml`, `*.yaml`):
//!   per job and matrix combination, the targets its steps compile for (or
//!   its runner's host), whether it ships them;
//! - `cargo_dist`: cargo-dist's `targets` (`[dist]` in
//!   `dist-workspace.toml`, `[workspace.metadata.dist]` and
//!   `[package.metadata.dist]` in Cargo.toml);
//! - `cross`: cross's target tables (`[target.<triple>]` and `[build]
//!   default-target` in `Cross.toml`, `[package.metadata.cross]` and
//!   `[workspace.metadata.cross]` in Cargo.toml);
//! - `docs_rs`: `[package.metadata.docs.rs]` `targets` and
//!   `default-target`.
//!
//! The commands consume one shape: `pipeline` a [`Repo`] (every
//! [`Mention`] of a target and how it is [`Use`]d, by file, and every
//! [`Note`]), `audit` one [`Workflow`] and its [`Job`]s ([`read_workflow`]).
//!
//! A reader has two parts ([`Reader`]): the files of its own it reads
//! under the repository's root, and what it takes from each Cargo manifest
//! the command gives (several sources keep a table there, and the manifest
//! is read and parsed once for all of them). Files are listed in the order
//! of [`READERS`], each reader's own files first, the manifests last.
//!
//! A file that cannot be parsed is an error naming it (and the line), never
//! skipped. Only a text shaped like a target is a candidate ([`names`]):
//! another tool's value in a target position is not reported. What a
//! reader cannot know (a secret, another job's output, a matrix computed at
//! run time, `cargo xtask`, a runner that is not GitHub's) is a [`Note`]
//! with a [`NoteKind`], said once per job, never a target.
//!
//! # Adding a source
//!
//! Say GitLab CI. Write `src/pipelines/gitlab_ci.rs` with
//!
//! ```text
//! //! GitLab CI: the targets `.gitlab-ci.yml` names.
//! use super::{Found, Inputs, Reader};
//! use crate::context::Failure;
//!
//! pub const READER: Reader = Reader {
//!     files: read,                 // its own files under the root
//!     manifest: super::no_manifest, // or a fn reading its Cargo.toml table
//! };
//!
//! fn read(inputs: &Inputs<'_>) -> Result<Found, Failure> { ... }
//! ```
//!
//! (a CI file with jobs goes to `Found::workflows`, one [`Workflow`] per
//! file, each [`Job`] with its targets, how it ships and its notes;
//! targets named outside jobs go to `Found::mentions`, notes outside jobs
//! to `Found::notes`; a TOML file of its own is read with [`own_toml`]). Then register it below, where the
//! others are: `mod gitlab_ci;` and `gitlab_ci::READER,` in [`READERS`]
//! (where in the list is where its files come in the report). Nothing else
//! changes: `pipeline` reads every reader listed. (The `mod` item is Rust's
//! price for a file; a macro that wrote it from the list would hide the
//! file from rustfmt.)

use std::path::{Path, PathBuf};

use toml::de::DeTable;
use toml::Spanned;

use crate::context::Failure;
use crate::files;
use crate::toml_doc;

mod cargo_dist;
mod cross;
mod docs_rs;
mod github_actions;
pub mod names;

pub use github_actions::read_workflow;

/// Every source, in the order their files are listed.
pub const READERS: &[Reader] = &[
    github_actions::READER,
    cargo_dist::READER,
    cross::READER,
    docs_rs::READER,
];

/// One source of target lists.
pub struct Reader {
    /// Reads the source's own files under the repository's root
    /// (`.github/workflows/*.yml`, `dist-workspace.toml`, `Cross.toml`):
    /// nothing when they are absent, an error naming the file when one does
    /// not parse.
    pub files: fn(&Inputs<'_>) -> Result<Found, Failure>,
    /// The targets the source keeps in one Cargo manifest
    /// (`[package.metadata.dist]`, ...).
    pub manifest: fn(&TomlFile<'_>, &Inputs<'_>) -> Vec<Mention>,
}

/// What every reader is given.
pub struct Inputs<'a> {
    /// The repository's root: files are named relative to it.
    pub root: &'a Path,
    /// The targets rustc knows.
    pub known: &'a [String],
}

/// What one reader found in its own files.
#[derive(Default)]
pub struct Found {
    /// The files read, relative to the root, in order.
    pub files: Vec<String>,
    /// CI files with jobs.
    pub workflows: Vec<Workflow>,
    /// Targets named outside jobs.
    pub mentions: Vec<Mention>,
    /// Notes outside jobs.
    pub notes: Vec<Note>,
}

/// A reader with no files of its own (its configuration lives in Cargo
/// manifests only).
pub fn no_files(_: &Inputs<'_>) -> Result<Found, Failure> {
    Ok(Found::default())
}

/// A reader that keeps nothing in Cargo manifests.
pub fn no_manifest(_: &TomlFile<'_>, _: &Inputs<'_>) -> Vec<Mention> {
    Vec::new()
}

/// How a pipeline uses a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Compiled (a CI build or test; a release job's compile for its own
    /// use, such as a man page; cross's target tables).
    Builds,
    /// Compiled by a job that publishes what it makes (see [`Publish`]),
    /// or listed by cargo-dist.
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

/// Which packages of the repository a mention is about: a compile's `-p
/// NAME` (`--package`), its `--manifest-path` or the step's
/// `working-directory`, a package's own metadata table; else every
/// package (a workspace-wide build, cargo-dist's and cross's workspace
/// tables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packages {
    Workspace,
    /// These packages, by name.
    Named(Vec<String>),
    /// The packages in this directory or below it (relative to the root,
    /// with `/`; empty for the root).
    Dir(String),
}

impl Packages {
    /// Whether the package `name` whose manifest is `manifest` (none for a
    /// preset outside any package: every mention is its) is among them;
    /// `root` is the repository's root.
    pub fn cover(&self, name: Option<&str>, manifest: Option<&Path>, root: &Path) -> bool {
        match (self, name, manifest) {
            (Packages::Workspace, _, _) | (_, None, _) | (_, _, None) => true,
            (Packages::Named(names), Some(name), _) => names.iter().any(|n| n == name),
            (Packages::Dir(dir), _, Some(manifest)) => {
                let dir = root.join(dir);
                let dir = dir.canonicalize().unwrap_or(dir);
                let own = manifest.parent().unwrap_or(manifest);
                own.canonicalize()
                    .unwrap_or_else(|_| own.to_path_buf())
                    .starts_with(dir)
            }
        }
    }

    /// For messages: "package x", "packages x, y", "the packages in dir".
    pub fn describe(&self) -> String {
        match self {
            Packages::Workspace => "the workspace".to_string(),
            Packages::Named(n) if n.len() == 1 => format!("package {}", n[0]),
            Packages::Named(n) => format!("packages {}", n.join(", ")),
            Packages::Dir(d) if d.is_empty() => "the packages at the root".to_string(),
            Packages::Dir(d) => format!("the packages in {}", d),
        }
    }
}

/// One target named in one place.
#[derive(Debug, Clone)]
pub struct Mention {
    pub target: String,
    /// Relative to the repository's root, with `/`.
    pub file: String,
    /// Where the target's name is written (a matrix value, an `env` value,
    /// the `--target` argument), or the runner's label for its host.
    pub line: usize,
    pub used: Use,
    /// The CI job, for a workflow's targets.
    pub job: Option<String>,
    /// How it is named: "matrix", "run", "runner ubuntu-latest", "target
    /// input of houseabsolute/actions-rust-cross", "cargo-dist targets", ...
    pub context: String,
    /// Whether the text is a target rustc knows (else it is shaped like
    /// one: a misspelt target; see [`names`]).
    #[allow(dead_code)] // the shape the commands consume; `pipeline` asks rustc
    pub known: bool,
    /// The packages it is built for.
    pub packages: Packages,
}

impl Mention {
    /// `target`, named at `file:line` outside a job; `known` is rustc's
    /// target list.
    pub fn new(
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
            job: None,
            context,
            known: known.iter().any(|k| k == target),
            packages: Packages::Workspace,
        }
    }

    /// Where it is named, for messages: "job test, matrix", or the context
    /// alone outside jobs.
    pub fn place(&self) -> String {
        match &self.job {
            Some(j) => format!("job {}, {}", j, self.context),
            None => self.context.clone(),
        }
    }
}

/// How a job publishes what it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    /// Uploads to a GitHub release (softprops/action-gh-release, `gh
    /// release upload`, taiki-e/upload-rust-binary-action, ...).
    Release,
    /// Pushes to a package registry or image registry (PyPI, npm, a
    /// container registry, a Nix binary cache). `cargo publish` is not one:
    /// it publishes the crate's sources, no target's binaries.
    Registry,
    /// Copies to an object store (`aws s3 cp`, `gsutil cp`, ...).
    ObjectStore,
    /// Uploads a workflow artifact that a job which publishes downloads
    /// (through `needs`).
    Artifact,
}

pub use github_actions::Why;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A value the targets depend on is not in the files (`place`: what
    /// it decides; `why`: where it comes from).
    Unresolved { place: Place, why: Why },
    /// A command that builds in a way the files do not show (`cargo
    /// xtask`, a Cargo alias or plugin, a Dockerfile).
    NotUnderstood,
    /// A program of the repository (`ci/run.bash`) given a target in its
    /// environment, in a job that compiles it no other way: taken to
    /// build it.
    BuiltByProgram,
    /// A runner whose host is not known.
    Runner,
    /// A runner label that is not GitHub-hosted, whose host was read from
    /// its name.
    RunnerFromName,
    /// A custom target specification (a `*.json` path): not checked.
    CustomSpec,
    /// A Nix system name (`x86_64-linux`), not a rustc target.
    NixSystem,
    /// A matrix too large to read every combination's steps.
    Truncated,
}

/// What an unresolved value decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The job's matrix.
    Matrix,
    /// The runner, hence the host of a compile that names no target.
    Runner,
    /// A target.
    Target,
    /// The program that runs a compile (`$BUILD_CMD build`).
    Program,
}

/// Something a reader could not know, said once per job: the kind, where,
/// and the text in question (the expression, the command, the label, the
/// value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub file: String,
    pub line: usize,
    pub job: Option<String>,
    pub kind: NoteKind,
    pub subject: String,
}

impl Note {
    /// The note as a sentence: "job build: a target comes from
    /// `needs.plan.outputs.target`, an output of another job, known only
    /// when the workflow runs: its targets are not checked".
    pub fn sentence(&self) -> String {
        match &self.job {
            Some(j) => format!("job {}: {}", j, self.body()),
            None => self.body(),
        }
    }

    /// The sentence without the job.
    pub fn body(&self) -> String {
        let s = &self.subject;
        match self.kind {
            NoteKind::Unresolved { place, why } => {
                let what = match place {
                    Place::Matrix => "the matrix comes",
                    Place::Runner => "the runner comes",
                    Place::Target => "a target comes",
                    Place::Program => "the program of a compile comes",
                };
                format!(
                    "{} from `{}`, {}: its targets are not checked",
                    what,
                    s,
                    why.words()
                )
            }
            NoteKind::NotUnderstood => format!(
                "`{}` is not read (what it does is defined outside the workflows): what it \
                 builds is not checked",
                s
            ),
            NoteKind::BuiltByProgram => format!(
                "`{}` is given the target in its environment and is taken to build it (the \
                 program is not read: whether it runs tests is not known)",
                s
            ),
            NoteKind::Runner => format!(
                "the runner ({}) is not GitHub-hosted and its label names no platform: the host \
                 of its compiles is not checked",
                s
            ),
            NoteKind::RunnerFromName => format!(
                "the runner ({}) is not GitHub-hosted: its host is taken from its name",
                s
            ),
            NoteKind::CustomSpec => {
                format!("{} is a custom target specification: it is not checked", s)
            }
            NoteKind::NixSystem => {
                format!(
                    "{} is a Nix system name, not a rustc target: it is not checked",
                    s
                )
            }
            NoteKind::Truncated => format!("{}: the other combinations' steps are not read", s),
        }
    }
}

/// A job of a workflow, as far as targets go.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub line: usize,
    /// The targets it compiles for (known ones), each where it is named;
    /// the runner's host for a compile that names none.
    pub targets: Vec<Mention>,
    /// Names in target positions, shaped like targets, that rustc does
    /// not know.
    pub unknown: Vec<Mention>,
    /// Targets whose standard library it installs without compiling for
    /// them (`rustup target add`, a toolchain action's `targets`).
    #[allow(dead_code)] // for the report
    pub installed: Vec<String>,
    /// The targets whose tests it runs.
    #[allow(dead_code)] // for the report
    pub tested: Vec<String>,
    /// A step compiles (Cargo, cross, maturin, a Rust build action).
    pub builds: bool,
    /// A step runs tests (`cargo test`, `cargo nextest run`, `cargo
    /// llvm-cov`, `cross test`, an action running tests).
    pub tests: bool,
    /// How what it makes reaches users, when it does, and the line of the
    /// step that publishes (or uploads the artifact).
    #[allow(dead_code)] // for the report
    pub ships: Option<(Publish, usize)>,
    /// What could not be known about it.
    pub notes: Vec<Note>,
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
    /// Notes outside workflows (a custom target specification in
    /// Cross.toml).
    pub notes: Vec<Note>,
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
        all.sort_by_key(|m| (self.order(&m.file), m.line));
        all
    }

    /// Every note, jobs' and others', by file and line.
    pub fn notes(&self) -> Vec<&Note> {
        let mut all: Vec<&Note> = self
            .workflows
            .iter()
            .flat_map(|w| w.jobs.iter().flat_map(|j| j.notes.iter()))
            .chain(self.notes.iter())
            .collect();
        all.sort_by_key(|n| (self.order(&n.file), n.line));
        all
    }

    fn order(&self, file: &str) -> usize {
        self.files
            .iter()
            .position(|f| f == file)
            .unwrap_or(usize::MAX)
    }
}

/// Reads the repository at `root`: every reader's own files, then the
/// Cargo manifests given (the workspace root's and the packages'; each
/// once), each handed to every reader.
pub fn read(root: &Path, manifests: &[PathBuf], known: &[String]) -> Result<Repo, Failure> {
    let inputs = Inputs { root, known };
    let mut repo = Repo {
        files: Vec::new(),
        workflows: Vec::new(),
        other: Vec::new(),
        notes: Vec::new(),
    };
    for reader in READERS {
        let found = (reader.files)(&inputs)?;
        repo.files.extend(found.files);
        repo.workflows.extend(found.workflows);
        repo.other.extend(found.mentions);
        repo.notes.extend(found.notes);
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    for m in manifests {
        let c = std::fs::canonicalize(m).unwrap_or_else(|_| m.clone());
        if seen.contains(&c) {
            continue;
        }
        seen.push(c);
        let text = files::read_text(m, "manifest")?;
        let file = TomlFile::parse(files::relative(root, m), &text)?;
        for reader in READERS {
            let (mentions, notes) = split_names((reader.manifest)(&file, &inputs), &inputs);
            repo.other.extend(mentions);
            repo.notes.extend(notes);
        }
        repo.files.push(file.rel);
    }
    Ok(repo)
}

/// A TOML file a reader reads: its name, text and parsed document.
pub struct TomlFile<'t> {
    /// Relative to the repository's root.
    pub rel: String,
    pub text: &'t str,
    pub doc: Spanned<DeTable<'t>>,
}

impl<'t> TomlFile<'t> {
    /// Parses `text`, the file `rel`; an error names it and the line.
    pub fn parse(rel: String, text: &'t str) -> Result<TomlFile<'t>, Failure> {
        let doc = toml_doc::parse(text, &rel)?;
        Ok(TomlFile { rel, text, doc })
    }

    /// The document's root table.
    pub fn root(&self) -> &DeTable<'t> {
        self.doc.get_ref()
    }

    /// `mentions`, made about this manifest's own package (they come from
    /// a `[package.metadata.*]` table); unchanged for a file without a
    /// package.
    pub fn of_package(&self, mut mentions: Vec<Mention>) -> Vec<Mention> {
        let name = toml_doc::table(self.root(), "package")
            .and_then(|p| toml_doc::get(p, "name"))
            .and_then(|v| v.as_str());
        if let Some(name) = name {
            for m in &mut mentions {
                m.packages = Packages::Named(vec![name.to_string()]);
            }
        }
        mentions
    }

    /// The line (from 1) of byte `at`.
    pub fn line(&self, at: usize) -> usize {
        toml_doc::line_of(self.text, at)
    }

    /// The targets of `key = "triple"` or `key = ["triple", ...]` in
    /// `table` (a table of this file), each at its own line; `what` says
    /// where, for messages.
    pub fn targets(
        &self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
        used: Use,
        known: &[String],
    ) -> Vec<Mention> {
        toml_doc::strings(table, key)
            .into_iter()
            .map(|(s, at)| Mention::new(s, &self.rel, self.line(at), used, what.to_string(), known))
            .collect()
    }
}

/// A reader's own TOML file `name` under the root, if it exists, parsed
/// and handed to `read`; `what` names the file in messages ("cross
/// configuration").
pub fn own_toml(
    inputs: &Inputs<'_>,
    name: &str,
    what: &str,
    read: impl FnOnce(&TomlFile<'_>) -> Vec<Mention>,
) -> Result<Found, Failure> {
    let path = inputs.root.join(name);
    let Some(text) = files::read(&path, what, true)? else {
        return Ok(Found::default());
    };
    let file = TomlFile::parse(files::relative(inputs.root, &path), &text)?;
    let (mentions, notes) = split_names(read(&file), inputs);
    Ok(Found {
        files: vec![file.rel],
        workflows: Vec::new(),
        mentions,
        notes,
    })
}

/// A TOML reader's mentions, those that are a custom target
/// specification or a Nix system name taken out as notes (a misspelt
/// target stays a mention rustc does not know).
fn split_names(all: Vec<Mention>, inputs: &Inputs<'_>) -> (Vec<Mention>, Vec<Note>) {
    let mut mentions = Vec::new();
    let mut notes = Vec::new();
    for m in all {
        let kind = match names::classify(&m.target, inputs.known) {
            names::Name::Spec => NoteKind::CustomSpec,
            names::Name::Nix => NoteKind::NixSystem,
            _ => {
                mentions.push(m);
                continue;
            }
        };
        notes.push(Note {
            file: m.file,
            line: m.line,
            job: None,
            kind,
            subject: m.target,
        });
    }
    (mentions, notes)
}
