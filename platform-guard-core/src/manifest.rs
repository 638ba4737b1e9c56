//! The policy as data: `[package.metadata.platform-guard]` in a Cargo.toml
//! (feature `manifest`).
//!
//! ```toml
//! [package.metadata.platform-guard]
//! override-var = "MYAPP_UNSUPPORTED_ARCH" # default: <PACKAGE>_UNSUPPORTED_ARCH
//! arch-names = "rust"                     # or "go"; default "rust"
//! deny = "unsupported"                    # optional: deny this level and worse
//! rules = [                               # tried in order, first match wins
//!   { level = "stable", cfg = 'all(target_arch = "x86_64", target_os = "linux")', maintainers = ["core team"],
//!     ci = { build = ".github/workflows/ci.yml:build", unit = ".github/workflows/ci.yml:test" } },
//!   { level = "experimental", cfg = 'target_os = "macos"', note = "CI builds only" },
//! ]
//! known-issues = ["32-bit targets are not tested."] # optional, for `doc`
//! ```
//!
//! or a preset, optionally refined by rules of your own, which are tried
//! *before* the preset's rules (so they can carve exceptions out of it as
//! well as add platforms it does not name):
//!
//! ```toml
//! [package.metadata.platform-guard]
//! preset = "etcd"      # or "default"
//! rules = [{ level = "experimental", cfg = 'all(target_arch = "aarch64", target_os = "linux")' }]
//! ```
//!
//! Every mistake is an [`Error`] that names the file, the line and column,
//! the key path (`package.metadata.platform-guard.rules[2].level`, indexes
//! from 0) and what was expected.
//!
//! This file's share of `impl Policy` is `from_manifest*`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::build::env::BuildEnv;
use crate::ci::{CiJob, Requirement};
use crate::comma_sep::CommaSep;
use crate::error::{check_one_line, Detail, Error, ErrorKind, OneLine, Quoted};
use crate::files;
use crate::floor::Floor;
use crate::level::{ArchNames, Level};
use crate::override_var::{self, package_override_var};
use crate::policy::{Policy, Rule};
use crate::preset::Preset;
use crate::suggest::nearest_one as nearest;

/// The table's path in a Cargo.toml.
pub const MANIFEST_TABLE: &str = "package.metadata.platform-guard";

/// The workspace-wide table that members take with `workspace = true`.
pub const WORKSPACE_TABLE: &str = "workspace.metadata.platform-guard";

const KEYS: &[&str] = &[
    "preset",
    "override-var",
    "arch-names",
    "deny",
    "rules",
    "known-issues",
];
/// A rule's keys: its own, then the floors (`Floor::ALL`'s keys).
const RULE_KEYS: &[&str] = &[
    "level",
    "cfg",
    "maintainers",
    "note",
    "ci",
    "glibc",
    "macos",
    "windows",
    "x86-64",
];
/// The keys of a rule's `ci` table: `Requirement::ALL`'s names.
const CI_KEYS: &[&str] = &["build", "unit", "integration", "functional"];

/// A rule's required keys.
#[derive(Clone, Copy)]
pub(crate) enum RuleKey {
    Level,
    Cfg,
}

/// A mistake in a manifest; the error's context says where it is.
#[derive(Clone)]
pub(crate) enum Problem {
    CannotRead {
        path: String,
        message: String,
    },
    PathNotUnicode(String),
    NotToml(String),
    MissingTable(&'static str),
    WrongType {
        expected: &'static str,
        found: String,
    },
    UnknownKey {
        key: String,
        suggestion: Option<&'static str>,
        known: &'static [&'static str],
    },
    NoOverrideVar,
    NeitherRulesNorPreset,
    /// A rule's required key: `level` or `cfg`.
    Missing(RuleKey),
    EmptyMaintainers,
    /// The path, and what it is instead (`a directory`, ...).
    NotAFile(String, &'static str),
    TooLarge(String),
    /// `workspace = true` met by the pure reader: the member's manifest.
    WorkspaceNotRead(String),
    WorkspaceAndOwnKeys,
    /// No workspace lists the package (whose manifest this is).
    NoWorkspace(String),
    /// The workspace root (`.0`) does not list the package (`.1`).
    NotMember(String, String),
    /// The root has no workspace table; the member's manifest.
    NoWorkspaceTable(String),
    /// The package at `package` is below the workspace root `root`, which
    /// does not list it (Cargo: "current package believes it's in a
    /// workspace when it's not").
    OutsideWorkspace {
        root: String,
        package: String,
    },
    /// The root found for `package` (through `package.workspace`) is
    /// missing or has no `[workspace]` table.
    NotAWorkspaceRoot {
        root: String,
        package: String,
    },
    /// The workspace at `root` lists the directory `member` (through the
    /// glob `pattern`), which has no Cargo.toml.
    MissingMember {
        root: String,
        member: String,
        pattern: Option<String>,
    },
    /// The path dependency `dependency` of the package at `manifest` has no
    /// Cargo.toml in `path`.
    MissingPathDependency {
        manifest: String,
        dependency: String,
        path: String,
    },
    /// A `members` or `default-members` pattern of the workspace at `root`
    /// that the glob crate refuses; `message` is what it said.
    MemberPattern {
        root: String,
        pattern: String,
        message: String,
    },
    /// `default-members` of the workspace at `root` names `path` (through
    /// the glob `pattern`), which is not a member.
    DefaultMemberNotMember {
        root: String,
        path: String,
        pattern: Option<String>,
    },
}

impl Problem {
    pub(crate) fn kind(&self) -> ErrorKind {
        match self {
            Problem::EmptyMaintainers => ErrorKind::InvalidPolicy,
            _ => ErrorKind::Manifest,
        }
    }

    pub(crate) fn input(&self) -> &str {
        match self {
            Problem::CannotRead { path, .. }
            | Problem::PathNotUnicode(path)
            | Problem::NotAFile(path, _)
            | Problem::TooLarge(path)
            | Problem::WorkspaceNotRead(path)
            | Problem::NoWorkspace(path)
            | Problem::NotMember(_, path)
            | Problem::NoWorkspaceTable(path)
            | Problem::OutsideWorkspace { package: path, .. }
            | Problem::NotAWorkspaceRoot { root: path, .. }
            | Problem::MissingMember { member: path, .. }
            | Problem::MissingPathDependency { path, .. }
            | Problem::DefaultMemberNotMember { path, .. } => path,
            Problem::MemberPattern { pattern, .. } => pattern,
            Problem::UnknownKey { key, .. } => key,
            Problem::WrongType { found, .. } => found,
            _ => "",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::CannotRead { path, message } => write!(
                f,
                "cannot read {}: {}: expected a Cargo.toml with a [{}] table",
                OneLine(path),
                OneLine(message),
                MANIFEST_TABLE
            ),
            Problem::PathNotUnicode(path) => write!(
                f,
                "manifest path {} is not valid UTF-8: expected a UTF-8 path (Cargo's \
                 rerun-if-changed needs one)",
                Quoted(path)
            ),
            Problem::NotToml(message) => write!(f, "not valid TOML: {}", OneLine(message)),
            Problem::MissingTable(why) => write!(
                f,
                "no [{}] table ({}): expected one stating the platform policy, such as \
                 `preset = \"default\"` or `rules = [{{ level = \"stable\", cfg = \
                 'target_os = \"linux\"' }}]`",
                MANIFEST_TABLE, why
            ),
            Problem::WrongType { expected, found } => {
                write!(f, "expected {}, found {}", expected, found)
            }
            Problem::UnknownKey {
                key,
                suggestion,
                known,
            } => {
                write!(f, "unknown key {}", Quoted(key))?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean {:?}?)", s)?;
                }
                write!(f, ": expected one of {}", CommaSep(known))
            }
            Problem::NoOverrideVar => f.write_str(
                "no override-var, and the one derived from package.name (\"_UNSUPPORTED_ARCH\") \
                 is not valid: expected an override-var key such as override-var = \
                 \"MYAPP_UNSUPPORTED_ARCH\"",
            ),
            Problem::NeitherRulesNorPreset => {
                let names: Vec<String> = Preset::ALL
                    .iter()
                    .map(|p| format!("{:?}", p.as_str()))
                    .collect();
                write!(
                    f,
                    "neither `rules` nor `preset` is given: expected a `rules` array (such as \
                     rules = [{{ level = \"stable\", cfg = 'target_os = \"linux\"' }}]) or preset = \
                     {}",
                    names.join(" | ")
                )
            }
            Problem::Missing(RuleKey::Level) => {
                let names = Level::ALL.map(|l| format!("{:?}", l.as_str()));
                write!(f, "missing: expected a level, one of {}", CommaSep(&names))
            }
            Problem::Missing(RuleKey::Cfg) => f.write_str(
                "missing: expected a cfg expression such as 'all(target_arch = \"x86_64\", \
                 target_os = \"linux\")'",
            ),
            Problem::EmptyMaintainers => f.write_str(
                "expected one or more non-empty names, such as [\"core team\", \"@alice\"]",
            ),
            Problem::NotAFile(path, kind) => write!(
                f,
                "cannot read {}: it is {}: expected a Cargo.toml",
                OneLine(path),
                kind
            ),
            Problem::TooLarge(path) => write!(
                f,
                "cannot read {}: it is larger than {} MiB: expected a Cargo.toml",
                OneLine(path),
                files::MAX_READ >> 20
            ),
            Problem::WorkspaceNotRead(path) => write!(
                f,
                "{}: [{}] says workspace = true: the policy is the workspace's [{}], which only \
                 ManifestPolicy::read or Policy::from_manifest_path can find",
                OneLine(path),
                MANIFEST_TABLE,
                WORKSPACE_TABLE
            ),
            Problem::WorkspaceAndOwnKeys => f.write_str(
                "workspace = true takes the workspace's whole table: expected no other key \
                 beside it",
            ),
            Problem::NoWorkspace(path) => write!(
                f,
                "{}: [{}] says workspace = true, but no workspace lists this package (a \
                 published package keeps no [workspace]): expected the workspace's [{}] table \
                 copied into the package's own before publishing",
                OneLine(path),
                MANIFEST_TABLE,
                WORKSPACE_TABLE
            ),
            Problem::NotMember(root, path) => write!(
                f,
                "{}: [{}] says workspace = true, but the workspace at {} does not list this \
                 package among its members: expected it in [workspace] members (or the package's \
                 own table)",
                OneLine(path),
                MANIFEST_TABLE,
                OneLine(root)
            ),
            Problem::NoWorkspaceTable(path) => write!(
                f,
                "no [{}] table, which {} takes with workspace = true: expected one stating the \
                 platform policy",
                WORKSPACE_TABLE,
                OneLine(path)
            ),
            Problem::OutsideWorkspace { root, package } => write!(
                f,
                "{} is below the workspace at {}, which does not list it among its members \
                 (Cargo refuses it too): expected it in that root's [workspace] members or \
                 exclude, or an empty [workspace] table in the package's own manifest",
                OneLine(package),
                OneLine(root)
            ),
            Problem::NotAWorkspaceRoot { root, package } => write!(
                f,
                "{}: the workspace root that package.workspace names, {}, is not a workspace \
                 root: expected package.workspace to name the directory of a Cargo.toml with a \
                 [workspace] table",
                OneLine(package),
                OneLine(root)
            ),
            Problem::MissingMember {
                root,
                member,
                pattern,
            } => {
                write!(
                    f,
                    "the workspace at {} has the member {}",
                    OneLine(root),
                    OneLine(member)
                )?;
                if let Some(pattern) = pattern {
                    write!(f, " (by the pattern {})", Quoted(pattern))?;
                }
                f.write_str(
                    ", which has no Cargo.toml: expected a package there, or the path in \
                     [workspace] exclude",
                )
            }
            Problem::MissingPathDependency {
                manifest,
                dependency,
                path,
            } => write!(
                f,
                "{}: the path dependency {} has no Cargo.toml in {}: expected a package there",
                OneLine(manifest),
                Quoted(dependency),
                OneLine(path)
            ),
            Problem::MemberPattern {
                root,
                pattern,
                message,
            } => write!(
                f,
                "the workspace at {} has the member pattern {}, which cannot be expanded: {}: \
                 expected a glob pattern such as \"crates/*\"",
                OneLine(root),
                Quoted(pattern),
                OneLine(message)
            ),
            Problem::DefaultMemberNotMember {
                root,
                path,
                pattern,
            } => {
                write!(
                    f,
                    "the workspace at {} has {} in default-members",
                    OneLine(root),
                    OneLine(path)
                )?;
                if let Some(pattern) = pattern {
                    write!(f, " (by the pattern {})", Quoted(pattern))?;
                }
                f.write_str(", which is not a member: expected default-members among its members")
            }
        }
    }
}

pub(crate) fn problem(p: Problem) -> Error {
    Error::new(Detail::Manifest(p))
}

/// A `[package.metadata.platform-guard]` table, read: the policy, and what
/// a "Supported systems" document needs besides it.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::{Level, ManifestPolicy, Preset};
/// use std::path::Path;
///
/// let text = r#"
/// [package]
/// name = "my-app"
/// [package.metadata.platform-guard]
/// preset = "default"
/// deny = "unsupported"
/// "#;
/// let table = ManifestPolicy::parse(text, Path::new("Cargo.toml"))?;
/// assert_eq!(table.preset(), Some(Preset::Default));
/// assert_eq!(table.policy().override_var(), "MY_APP_UNSUPPORTED_ARCH");
/// assert_eq!(table.policy().denied_from(), Some(Level::Unsupported));
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestPolicy {
    policy: Policy,
    package: String,
    preset: Option<Preset>,
    known_issues: Vec<String>,
    /// The workspace root's manifest, when the table is the workspace's.
    workspace: Option<PathBuf>,
}

/// What a package's own table says.
enum Own {
    /// A policy of its own.
    Policy(ManifestPolicy),
    /// `workspace = true`: the workspace's table, for this package.
    Workspace { package: String },
}

impl ManifestPolicy {
    /// Reads the table from the text of a Cargo.toml. `path` only names the
    /// file in error messages; nothing is read from it, so a table that says
    /// `workspace = true` is an error here: [`ManifestPolicy::read`] finds
    /// the workspace's table.
    pub fn parse(text: &str, path: &Path) -> Result<ManifestPolicy, Error> {
        match ManifestPolicy::parse_own(text, path)? {
            Own::Policy(table) => Ok(table),
            Own::Workspace { .. } => Err(problem(Problem::WorkspaceNotRead(
                path.display().to_string(),
            ))),
        }
    }

    fn parse_own(text: &str, path: &Path) -> Result<Own, Error> {
        let file = path.display().to_string();
        let cx = Cx { file: &file, text };
        let root = cx.document()?;
        let root = root.get_ref();
        let package = match find(root, "package") {
            None => return Err(cx.missing_table("it has no [package] table")),
            Some(v) => cx.table(v, "package")?,
        };
        let metadata = match find(package, "metadata") {
            None => return Err(cx.missing_table("[package] has no metadata")),
            Some(v) => cx.table(v, "package.metadata")?,
        };
        let (table_span, table) = match metadata
            .iter()
            .find(|(k, _)| k.get_ref() == "platform-guard")
        {
            None => return Err(cx.missing_table("[package.metadata] has no platform-guard key")),
            Some((_, v)) => (v.span(), cx.table(v, MANIFEST_TABLE)?),
        };
        let package_name = match find(package, "name") {
            Some(v) => cx.string(v, "package.name")?.to_string(),
            None => String::new(),
        };
        if let Some(v) = find(table, "workspace") {
            let key = format!("{}.workspace", MANIFEST_TABLE);
            match v.get_ref() {
                DeValue::Boolean(true) if table.len() == 1 => {
                    return Ok(Own::Workspace {
                        package: package_name,
                    })
                }
                DeValue::Boolean(true) => {
                    return Err(cx.error(
                        Some(table_span),
                        &key,
                        problem(Problem::WorkspaceAndOwnKeys),
                    ))
                }
                _ => return Err(cx.wrong_type(v, &key, "true (the workspace's table)")),
            }
        }
        cx.read_table(MANIFEST_TABLE, table, table_span, package_name)
            .map(Own::Policy)
    }

    /// Reads the table from the Cargo.toml at `path`; with `workspace =
    /// true`, the `[workspace.metadata.platform-guard]` table of the
    /// workspace that lists the package as a member (Cargo's inheritance
    /// idiom). A published package keeps no workspace: relying on one there
    /// is an error that says so, never another policy.
    ///
    /// Files that are not regular files, and files over 16 MiB, are
    /// refused without being read to the end.
    pub fn read(path: &Path) -> Result<ManifestPolicy, Error> {
        let text = read_manifest(path)?;
        let package = match ManifestPolicy::parse_own(&text, path)? {
            Own::Policy(table) => return Ok(table),
            Own::Workspace { package } => package,
        };
        let root = crate::workspace::member_root(path)?;
        let root_text = read_manifest(&root)?;
        let file = root.display().to_string();
        let cx = Cx {
            file: &file,
            text: &root_text,
        };
        let doc = cx.document()?;
        let table = find(doc.get_ref(), "workspace")
            .and_then(|w| w.get_ref().as_table())
            .and_then(|w| find(w, "metadata"))
            .and_then(|m| m.get_ref().as_table())
            .and_then(|m| m.iter().find(|(k, _)| k.get_ref() == "platform-guard"))
            .map(|(_, v)| v);
        let table = match table {
            Some(v) => (v.span(), cx.table(v, WORKSPACE_TABLE)?),
            None => {
                return Err(cx.error(
                    None,
                    "",
                    problem(Problem::NoWorkspaceTable(path.display().to_string())),
                ))
            }
        };
        let mut read = cx.read_table(WORKSPACE_TABLE, table.1, table.0, package)?;
        read.workspace = Some(root);
        Ok(read)
    }

    /// The workspace root's Cargo.toml, when the policy is the workspace's
    /// table (`workspace = true`).
    pub fn workspace_manifest(&self) -> Option<&Path> {
        self.workspace.as_deref()
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The policy, taken out.
    pub fn into_policy(self) -> Policy {
        self.policy
    }

    /// The manifest's `package.name` (empty if it has none).
    pub fn package_name(&self) -> &str {
        &self.package
    }

    /// The preset the table starts from, if any.
    pub fn preset(&self) -> Option<Preset> {
        self.preset
    }

    /// The `known-issues` lines, for documents.
    pub fn known_issues(&self) -> &[String] {
        &self.known_issues
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
impl Policy {
    /// The policy of the `[package.metadata.platform-guard]` table in the
    /// text of a Cargo.toml; `path` only names the file in error messages.
    /// Pure: reads no file and no environment.
    pub fn from_manifest_str(text: &str, path: &Path) -> Result<Policy, Error> {
        ManifestPolicy::parse(text, path).map(ManifestPolicy::into_policy)
    }

    /// The policy of the table in the Cargo.toml at `path` (or, with
    /// `workspace = true`, of its workspace's table: see
    /// [`ManifestPolicy::read`]). The policy remembers the files
    /// ([`Policy::source_files`]), so [`Policy::build`] emits
    /// `rerun-if-changed` for them: the build script reruns when a manifest
    /// changes, and for no other file.
    pub fn from_manifest_path(path: &Path) -> Result<Policy, Error> {
        let utf8 = |path: &Path| {
            path.to_str().map(str::to_string).ok_or_else(|| {
                problem(Problem::PathNotUnicode(path.to_string_lossy().into_owned()))
            })
        };
        let source = utf8(path)?;
        let read = ManifestPolicy::read(path)?;
        let root = read.workspace_manifest().map(utf8).transpose()?;
        let mut policy = read.into_policy().with_source(source);
        if let Some(root) = root {
            policy = policy.with_source(root);
        }
        Ok(policy)
    }

    /// The policy of the table in `$CARGO_MANIFEST_DIR/Cargo.toml`, with
    /// `CARGO_MANIFEST_DIR` taken from `env` (see
    /// [`Policy::from_manifest_path`]).
    pub fn try_from_manifest_in(env: &BuildEnv) -> Result<Policy, Error> {
        let dir = env.get("CARGO_MANIFEST_DIR").ok_or_else(|| {
            Error::new(Detail::NotInCargo {
                missing: "CARGO_MANIFEST_DIR",
                hint: "; Policy::from_manifest() finds the manifest through it (outside a build \
                       script, use Policy::from_manifest_path)",
            })
        })?;
        Policy::from_manifest_path(&Path::new(dir).join("Cargo.toml"))
    }

    /// In a build script: the policy of the consumer's
    /// `[package.metadata.platform-guard]` table, found through
    /// `CARGO_MANIFEST_DIR`, ready for [`Policy::build`]:
    ///
    /// ```no_run
    /// # extern crate platform_guard_core as platform_guard;
    /// // build.rs: the whole of it
    /// platform_guard::Policy::from_manifest().build();
    /// ```
    ///
    /// `build()` then also emits `rerun-if-changed` for that Cargo.toml (and
    /// for no other file). A mistake in the table does not panic here: it is
    /// kept and reported by [`Policy::validate`] and `build()`, which fails
    /// the build with a message naming the file, the key and what was
    /// expected. Builder calls may follow (`.deny(...)`).
    pub fn from_manifest() -> Policy {
        Policy::try_from_manifest_in(&BuildEnv::from_process()).unwrap_or_else(Policy::failed)
    }
}

/// Where errors point: the file and its text (for line and column).
pub(crate) struct Cx<'a> {
    pub(crate) file: &'a str,
    pub(crate) text: &'a str,
}

pub(crate) type Table<'i> = DeTable<'i>;
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

pub(crate) fn find<'t, 'i>(table: &'t Table<'i>, key: &str) -> Option<&'t Value<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

impl<'a> Cx<'a> {
    /// The whole document, or an error naming the file and the position.
    pub(crate) fn document(&self) -> Result<Spanned<DeTable<'a>>, Error> {
        DeTable::parse(self.text).map_err(|e| {
            self.error(
                e.span(),
                "",
                problem(Problem::NotToml(e.message().to_string())),
            )
        })
    }

    /// `e` located: `file:line:col: key: ...` (the location is the file
    /// alone when the span is unknown; the key is left out when empty).
    fn error(&self, span: Option<Range<usize>>, key: &str, e: Error) -> Error {
        let e = if key.is_empty() { e } else { e.context(key) };
        e.context(self.location(span))
    }

    /// `file:line:col` (the file alone when the span is unknown).
    fn location(&self, span: Option<Range<usize>>) -> String {
        match span.filter(|s| s.start <= self.text.len()) {
            Some(span) if self.text.is_char_boundary(span.start) => {
                let before = &self.text[..span.start];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("{}:{}:{}", self.file, line, column)
            }
            _ => self.file.to_string(),
        }
    }

    /// `file:line:col: key`, as errors name a place.
    fn place(&self, span: Option<Range<usize>>, key: &str) -> String {
        format!("{}: {}", self.location(span), key)
    }

    fn missing_table(&self, why: &'static str) -> Error {
        self.error(None, "", problem(Problem::MissingTable(why)))
    }

    pub(crate) fn wrong_type(&self, v: &Value<'_>, key: &str, expected: &'static str) -> Error {
        self.error(
            Some(v.span()),
            key,
            problem(Problem::WrongType {
                expected,
                found: describe(v.get_ref()),
            }),
        )
    }

    pub(crate) fn table<'t, 'i>(
        &self,
        v: &'t Value<'i>,
        key: &str,
    ) -> Result<&'t Table<'i>, Error> {
        v.get_ref()
            .as_table()
            .ok_or_else(|| self.wrong_type(v, key, "a table"))
    }

    pub(crate) fn string<'t>(&self, v: &'t Value<'_>, key: &str) -> Result<&'t str, Error> {
        v.get_ref()
            .as_str()
            .ok_or_else(|| self.wrong_type(v, key, "a string"))
    }

    /// A string, or an array of strings.
    fn strings(&self, v: &Value<'_>, key: &str) -> Result<Vec<String>, Error> {
        match v.get_ref() {
            DeValue::String(s) => Ok(vec![s.to_string()]),
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    item.get_ref().as_str().map(str::to_string).ok_or_else(|| {
                        self.wrong_type(item, &format!("{}[{}]", key, i), "a string")
                    })
                })
                .collect(),
            _ => Err(self.wrong_type(v, key, "a string or an array of strings")),
        }
    }

    fn unknown_keys(
        &self,
        table: &Table<'_>,
        path: &str,
        known: &'static [&'static str],
    ) -> Result<(), Error> {
        for (k, _) in table.iter() {
            let name: &str = k.get_ref();
            if !known.contains(&name) {
                return Err(self.error(
                    Some(k.span()),
                    &format!("{}.{}", path, name),
                    problem(Problem::UnknownKey {
                        key: name.to_string(),
                        suggestion: nearest(name, known),
                        known,
                    }),
                ));
            }
        }
        Ok(())
    }

    fn read_table(
        &self,
        t: &str,
        table: &Table<'_>,
        table_span: Range<usize>,
        package: String,
    ) -> Result<ManifestPolicy, Error> {
        self.unknown_keys(table, t, KEYS)?;
        let key = |k: &str| format!("{}.{}", t, k);

        let preset = match find(table, "preset") {
            None => None,
            Some(v) => Some(
                self.string(v, &key("preset"))?
                    .parse::<Preset>()
                    .map_err(|e| self.error(Some(v.span()), &key("preset"), e))?,
            ),
        };

        let var = match (
            find(table, "override-var"),
            preset.and_then(Preset::override_var),
        ) {
            (Some(v), _) => {
                let name = self.string(v, &key("override-var"))?;
                override_var::check_name(name)
                    .map_err(|e| self.error(Some(v.span()), &key("override-var"), e))?;
                name.to_string()
            }
            (None, Some(var)) => var.to_string(),
            (None, None) if package.is_empty() => {
                return Err(self.error(
                    Some(table_span),
                    &key("override-var"),
                    problem(Problem::NoOverrideVar),
                ))
            }
            (None, None) => package_override_var(&package),
        };

        let arch_names = match find(table, "arch-names") {
            Some(v) => self
                .string(v, &key("arch-names"))?
                .parse::<ArchNames>()
                .map_err(|e| self.error(Some(v.span()), &key("arch-names"), e))?,
            None => preset.map_or(ArchNames::Rust, Preset::arch_names),
        };

        let deny = match find(table, "deny") {
            Some(v) => Some(
                self.string(v, &key("deny"))?
                    .parse::<Level>()
                    .map_err(|e| self.error(Some(v.span()), &key("deny"), e))?,
            ),
            None => None,
        };

        let known_issues = match find(table, "known-issues") {
            Some(v) => {
                let lines = self.strings(v, &key("known-issues"))?;
                for line in &lines {
                    check_one_line("known issue", line)
                        .map_err(|e| self.error(Some(v.span()), &key("known-issues"), e))?;
                }
                lines
            }
            None => Vec::new(),
        };

        let mut policy = Policy::new(var).arch_names(arch_names);
        match find(table, "rules") {
            Some(v) => {
                let rules = match v.get_ref() {
                    DeValue::Array(items) => items,
                    _ => return Err(self.wrong_type(v, &key("rules"), "an array of tables")),
                };
                for (i, item) in rules.iter().enumerate() {
                    policy = self.read_rule(policy, item, &format!("{}.rules[{}]", t, i))?;
                }
            }
            None if preset.is_none() => {
                return Err(self.error(
                    Some(table_span),
                    t,
                    problem(Problem::NeitherRulesNorPreset),
                ))
            }
            None => {}
        }
        if let Some(preset) = preset {
            let base = preset.policy(policy.override_var());
            policy = policy.with_rules(base.rules());
        }
        if let Some(level) = deny {
            policy = policy.deny(level);
        }
        // Every value was checked above; this only guards against a mistake
        // here, and still names the file.
        policy
            .validate()
            .map_err(|e| e.context(self.file))
            .map(|()| ManifestPolicy {
                policy,
                package,
                preset,
                known_issues,
                workspace: None,
            })
    }

    fn read_rule(&self, policy: Policy, item: &Value<'_>, path: &str) -> Result<Policy, Error> {
        let table = match item.get_ref() {
            DeValue::Table(t) => t,
            _ => {
                return Err(self.wrong_type(
                    item,
                    path,
                    "a table such as { level = \"stable\", cfg = 'target_os = \"linux\"' }",
                ))
            }
        };
        self.unknown_keys(table, path, RULE_KEYS)?;
        let key = |k: &str| format!("{}.{}", path, k);
        let required = |k: &str, what: RuleKey| {
            find(table, k).ok_or_else(|| {
                self.error(Some(item.span()), &key(k), problem(Problem::Missing(what)))
            })
        };
        let v = required("level", RuleKey::Level)?;
        let level = self
            .string(v, &key("level"))?
            .parse::<Level>()
            .map_err(|e| self.error(Some(v.span()), &key("level"), e))?;
        let v = required("cfg", RuleKey::Cfg)?;
        let text = self.string(v, &key("cfg"))?;
        // Every mistake in the expression (syntax, an unknown name, a name
        // no build script can decide) names the place, as for other keys.
        Rule::check_cfg(text).map_err(|e| self.error(Some(v.span()), &key("cfg"), e))?;
        let place = self.place(Some(v.span()), &key("cfg"));
        let mut policy = policy.rule(level, text).at(place);
        if let Some(v) = find(table, "maintainers") {
            let names = self.strings(v, &key("maintainers"))?;
            if names.is_empty() || names.iter().any(|n| n.trim().is_empty()) {
                return Err(self.error(
                    Some(v.span()),
                    &key("maintainers"),
                    problem(Problem::EmptyMaintainers),
                ));
            }
            let joined = names.join(", ");
            check_one_line("maintainers", &joined)
                .map_err(|e| self.error(Some(v.span()), &key("maintainers"), e))?;
            policy = policy.maintainers(&joined);
        }
        if let Some(v) = find(table, "note") {
            let note = self.string(v, &key("note"))?;
            check_one_line("note", note)
                .map_err(|e| self.error(Some(v.span()), &key("note"), e))?;
            policy = policy.note(note);
        }
        if let Some(v) = find(table, "ci") {
            policy = self.read_ci(policy, v, &key("ci"))?;
        }
        self.read_floors(policy, table, path)
    }

    /// A rule's `ci` table, at `key`.
    fn read_ci(&self, mut policy: Policy, v: &Value<'_>, key: &str) -> Result<Policy, Error> {
        let jobs = self.table(v, key)?;
        self.unknown_keys(jobs, key, CI_KEYS)?;
        for (k, job) in jobs.iter() {
            let at = format!("{}.{}", key, k.get_ref());
            let requirement = k
                .get_ref()
                .parse::<Requirement>()
                .map_err(|e| self.error(Some(k.span()), &at, e))?;
            let text = self.string(job, &at)?;
            text.parse::<CiJob>()
                .map_err(|e| self.error(Some(job.span()), &at, e))?;
            policy = policy.ci(requirement, text);
        }
        Ok(policy)
    }

    /// A rule's floors (`glibc = "2.28"`, ...), each a string.
    fn read_floors(
        &self,
        mut policy: Policy,
        table: &Table<'_>,
        path: &str,
    ) -> Result<Policy, Error> {
        for floor in Floor::ALL {
            if let Some(v) = find(table, floor.key()) {
                let at = format!("{}.{}", path, floor.key());
                let text = self.string(v, &at)?;
                floor
                    .parse_version(text)
                    .map_err(|e| self.error(Some(v.span()), &at, e))?;
                policy = policy.floor(floor, text);
            }
        }
        Ok(policy)
    }
}

/// The text of the manifest at `path`: a regular file of at most 16 MiB
/// (a FIFO or a device is refused before it is read), through the one
/// bounded reader ([`files::read_text`]).
pub(crate) fn read_manifest(path: &Path) -> Result<String, Error> {
    files::read_text(path).map_err(|e| {
        let path = path.display().to_string();
        problem(match e.why {
            files::Why::NotAFile(kind) => Problem::NotAFile(path, kind),
            files::Why::TooLarge => Problem::TooLarge(path),
            files::Why::Io(_) | files::Why::NotUtf8(_) => Problem::CannotRead {
                message: e.reason().to_string(),
                path,
            },
        })
    })
}

/// A value's type and, for short scalars, the value itself.
fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the string {}", Quoted(s)),
        DeValue::Integer(i) => format!("the integer {}", i.as_str()),
        DeValue::Float(f) => format!("the float {}", f.as_str()),
        DeValue::Boolean(b) => format!("the boolean {}", b),
        other => format!("a {}", other.type_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_take_every_floor_and_check_its_value() {
        for floor in Floor::ALL {
            assert!(RULE_KEYS.contains(&floor.key()), "{}", floor);
        }
        let text = r#"
[package]
name = "app"
[package.metadata.platform-guard]
rules = [
  { level = "stable", cfg = "unix", glibc = "2.28", x86-64 = "v2" },
  { level = "experimental", cfg = "windows", windows = "10.0", macos = "11" },
]
"#;
        let policy = Policy::from_manifest_str(text, Path::new("Cargo.toml")).unwrap();
        let rules = policy.rules();
        assert_eq!(rules[0].floor(Floor::Glibc).unwrap().to_string(), "2.28");
        assert_eq!(rules[0].floor(Floor::X86_64).unwrap().to_string(), "v2");
        assert_eq!(rules[0].floor(Floor::Macos), None);
        assert_eq!(rules[1].floors().len(), 2);
        let bad = text.replace("\"2.28\"", "\"2.x\"");
        let e = Policy::from_manifest_str(&bad, Path::new("Cargo.toml")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Cargo.toml:6:45: package.metadata.platform-guard.rules[0].glibc: glibc floor \"2.x\": \
             expected a version of one to three numbers such as \"2.28\""
        );
        let typo = text.replace("glibc =", "glib =");
        let e = Policy::from_manifest_str(&typo, Path::new("Cargo.toml")).unwrap_err();
        assert!(e.to_string().contains("(did you mean \"glibc\"?)"), "{}", e);
    }
}
