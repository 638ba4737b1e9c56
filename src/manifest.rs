//! The policy as data: `[package.metadata.platform-guard]` in a Cargo.toml
//! (feature `manifest`).
//!
//! ```toml
//! [package.metadata.platform-guard]
//! override-var = "MYAPP_UNSUPPORTED_ARCH" # default: <PACKAGE>_UNSUPPORTED_ARCH
//! arch-names = "rust"                     # or "go"; default "rust"
//! deny = "unsupported"                    # optional: deny this level and worse
//! rules = [                               # tried in order, first match wins
//!   { level = "stable", cfg = 'all(target_arch = "x86_64", target_os = "linux")', maintainers = ["core team"] },
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

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::build_script::BuildEnv;
use crate::cfg::CfgExpr;
use crate::error::{check_one_line, quoted, Error, ErrorKind};
use crate::level::{ArchNames, Level};
use crate::policy::{check_var_name, Policy};
use crate::suggest::edit_distance;

/// The table's path in a Cargo.toml.
pub const MANIFEST_TABLE: &str = "package.metadata.platform-guard";

const KEYS: &[&str] = &[
    "preset",
    "override-var",
    "arch-names",
    "deny",
    "rules",
    "known-issues",
];
const RULE_KEYS: &[&str] = &["level", "cfg", "maintainers", "note"];

/// A `[package.metadata.platform-guard]` table, read: the policy, and what
/// a "Supported systems" document needs besides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestPolicy {
    policy: Policy,
    package: String,
    preset: Option<&'static str>,
    known_issues: Vec<String>,
}

impl ManifestPolicy {
    /// Reads the table from the text of a Cargo.toml. `path` only names the
    /// file in error messages; nothing is read from it.
    pub fn parse(text: &str, path: &Path) -> Result<ManifestPolicy, Error> {
        let file = path.display().to_string();
        let cx = Cx { file: &file, text };
        let doc = DeTable::parse(text).map_err(|e| {
            cx.error(
                ErrorKind::Manifest,
                e.span(),
                None,
                "",
                format!("not valid TOML: {}", e.message()),
            )
        })?;
        let root = doc.get_ref();
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
        cx.read_table(table, table_span, package_name)
    }

    /// Reads the table from the Cargo.toml at `path`.
    pub fn read(path: &Path) -> Result<ManifestPolicy, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::Manifest,
                &path.display().to_string(),
                format!(
                    "cannot read {}: {}: expected a Cargo.toml with a [{}] table",
                    path.display(),
                    e,
                    MANIFEST_TABLE
                ),
            )
        })?;
        ManifestPolicy::parse(&text, path)
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

    /// The preset the table starts from (`"etcd"` or `"default"`), if any.
    pub fn preset(&self) -> Option<&'static str> {
        self.preset
    }

    /// The `known-issues` lines, for documents.
    pub fn known_issues(&self) -> &[String] {
        &self.known_issues
    }
}

impl Policy {
    /// The policy of the `[package.metadata.platform-guard]` table in the
    /// text of a Cargo.toml; `path` only names the file in error messages.
    /// Pure: reads no file and no environment.
    pub fn from_manifest_str(text: &str, path: &Path) -> Result<Policy, Error> {
        ManifestPolicy::parse(text, path).map(ManifestPolicy::into_policy)
    }

    /// The policy of the table in the Cargo.toml at `path`. The policy
    /// remembers the file ([`Policy::source_file`]), so [`Policy::build`]
    /// emits `rerun-if-changed` for it: the build script reruns when the
    /// manifest changes, and for no other file.
    pub fn from_manifest_path(path: &Path) -> Result<Policy, Error> {
        let source = path.to_str().map(str::to_string).ok_or_else(|| {
            Error::new(
                ErrorKind::Manifest,
                &path.to_string_lossy(),
                format!(
                    "manifest path {} is not valid UTF-8: expected a UTF-8 path (Cargo's \
                     rerun-if-changed needs one)",
                    quoted(&path.to_string_lossy())
                ),
            )
        })?;
        Ok(ManifestPolicy::read(path)?
            .into_policy()
            .with_source(source))
    }

    /// The policy of the table in `$CARGO_MANIFEST_DIR/Cargo.toml`, with
    /// `CARGO_MANIFEST_DIR` taken from `env` (see
    /// [`Policy::from_manifest_path`]).
    pub fn try_from_manifest_in(env: &BuildEnv) -> Result<Policy, Error> {
        let dir = env.get("CARGO_MANIFEST_DIR").ok_or_else(|| {
            Error::new(
                ErrorKind::NotInCargo,
                "",
                "CARGO_MANIFEST_DIR is not set: Policy::from_manifest() must run in a build \
                 script started by Cargo (or use Policy::from_manifest_path)"
                    .to_string(),
            )
        })?;
        Policy::from_manifest_path(&Path::new(dir).join("Cargo.toml"))
    }

    /// In a build script: the policy of the consumer's
    /// `[package.metadata.platform-guard]` table, found through
    /// `CARGO_MANIFEST_DIR`, ready for [`Policy::build`]:
    ///
    /// ```no_run
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
struct Cx<'a> {
    file: &'a str,
    text: &'a str,
}

type Table<'i> = DeTable<'i>;
type Value<'i> = Spanned<DeValue<'i>>;

fn find<'t, 'i>(table: &'t Table<'i>, key: &str) -> Option<&'t Value<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

impl<'a> Cx<'a> {
    /// `file:line:col: key: message` (the location is the file alone when
    /// the span is unknown; the key is left out when empty).
    fn error(
        &self,
        kind: ErrorKind,
        span: Option<Range<usize>>,
        input: Option<&str>,
        key: &str,
        message: String,
    ) -> Error {
        Error::new(
            kind,
            input.unwrap_or(self.file),
            format!("{}{}", self.prefix(span, key), message),
        )
    }

    fn prefix(&self, span: Option<Range<usize>>, key: &str) -> String {
        let location = match span.filter(|s| s.start <= self.text.len()) {
            Some(span) if self.text.is_char_boundary(span.start) => {
                let before = &self.text[..span.start];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("{}:{}:{}", self.file, line, column)
            }
            _ => self.file.to_string(),
        };
        if key.is_empty() {
            format!("{}: ", location)
        } else {
            format!("{}: {}: ", location, key)
        }
    }

    /// Adds the location and key path to an error from a value's own
    /// parser, keeping its kind.
    fn within(&self, e: Error, span: Range<usize>, key: &str) -> Error {
        let prefix = self.prefix(Some(span), key);
        e.context(prefix.trim_end_matches(": "))
    }

    fn missing_table(&self, why: &str) -> Error {
        self.error(
            ErrorKind::Manifest,
            None,
            None,
            "",
            format!(
                "no [{}] table ({}): expected one stating the platform policy, such as \
                 `preset = \"default\"` or `rules = [{{ level = \"stable\", cfg = \
                 'target_os = \"linux\"' }}]`",
                MANIFEST_TABLE, why
            ),
        )
    }

    fn wrong_type(&self, v: &Value<'_>, key: &str, expected: &str) -> Error {
        self.error(
            ErrorKind::Manifest,
            Some(v.span()),
            None,
            key,
            format!("expected {}, found {}", expected, describe(v.get_ref())),
        )
    }

    fn table<'t, 'i>(&self, v: &'t Value<'i>, key: &str) -> Result<&'t Table<'i>, Error> {
        v.get_ref()
            .as_table()
            .ok_or_else(|| self.wrong_type(v, key, "a table"))
    }

    fn string<'t>(&self, v: &'t Value<'_>, key: &str) -> Result<&'t str, Error> {
        v.get_ref()
            .as_str()
            .ok_or_else(|| self.wrong_type(v, key, "a string"))
    }

    /// A string, or an array of non-empty strings.
    fn strings(&self, v: &Value<'_>, key: &str) -> Result<Vec<String>, Error> {
        let expected = "a string or an array of strings";
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
            _ => Err(self.wrong_type(v, key, expected)),
        }
    }

    fn unknown_keys(&self, table: &Table<'_>, path: &str, known: &[&str]) -> Result<(), Error> {
        for (k, _) in table.iter() {
            let name: &str = k.get_ref();
            if !known.contains(&name) {
                let hint = nearest(name, known)
                    .map(|n| format!(" (did you mean {:?}?)", n))
                    .unwrap_or_default();
                return Err(self.error(
                    ErrorKind::Manifest,
                    Some(k.span()),
                    Some(name),
                    &format!("{}.{}", path, name),
                    format!(
                        "unknown key {}{}: expected one of {}",
                        quoted(name),
                        hint,
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    fn read_table(
        &self,
        table: &Table<'_>,
        table_span: Range<usize>,
        package: String,
    ) -> Result<ManifestPolicy, Error> {
        let t = MANIFEST_TABLE;
        self.unknown_keys(table, t, KEYS)?;
        let key = |k: &str| format!("{}.{}", t, k);

        let preset = match find(table, "preset") {
            None => None,
            Some(v) => match self.string(v, &key("preset"))? {
                "etcd" => Some("etcd"),
                "default" => Some("default"),
                other => {
                    return Err(self.error(
                        ErrorKind::Manifest,
                        Some(v.span()),
                        Some(other),
                        &key("preset"),
                        format!(
                            "unknown preset {}: expected \"etcd\" or \"default\"",
                            quoted(other)
                        ),
                    ))
                }
            },
        };

        let var = match find(table, "override-var") {
            Some(v) => {
                let name = self.string(v, &key("override-var"))?;
                check_var_name(name).map_err(|e| self.within(e, v.span(), &key("override-var")))?;
                name.to_string()
            }
            None if preset == Some("etcd") => "ETCD_UNSUPPORTED_ARCH".to_string(),
            None => {
                let derived =
                    format!("{}_UNSUPPORTED_ARCH", package.to_ascii_uppercase()).replace('-', "_");
                let valid = if package.is_empty() {
                    Err(ErrorKind::Manifest)
                } else {
                    check_var_name(&derived).map_err(|e| e.kind())
                };
                valid.map_err(|kind| {
                    self.error(
                        kind,
                        Some(table_span.clone()),
                        Some(&derived),
                        &key("override-var"),
                        format!(
                            "no override-var, and the one derived from package.name ({}) is \
                             not valid: expected an override-var key such as \
                             override-var = \"MYAPP_UNSUPPORTED_ARCH\"",
                            quoted(&derived)
                        ),
                    )
                })?;
                derived
            }
        };

        let arch_names = match find(table, "arch-names") {
            Some(v) => self
                .string(v, &key("arch-names"))?
                .parse::<ArchNames>()
                .map_err(|e| self.within(e, v.span(), &key("arch-names")))?,
            None if preset == Some("etcd") => ArchNames::Go,
            None => ArchNames::Rust,
        };

        let deny = match find(table, "deny") {
            Some(v) => Some(
                self.string(v, &key("deny"))?
                    .parse::<Level>()
                    .map_err(|e| self.within(e, v.span(), &key("deny")))?,
            ),
            None => None,
        };

        let known_issues = match find(table, "known-issues") {
            Some(v) => {
                let lines = self.strings(v, &key("known-issues"))?;
                for line in &lines {
                    check_one_line("known issue", line)
                        .map_err(|e| self.within(e, v.span(), &key("known-issues")))?;
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
                    ErrorKind::Manifest,
                    Some(table_span),
                    None,
                    t,
                    "neither `rules` nor `preset` is given: expected a `rules` array (such as \
                     rules = [{ level = \"stable\", cfg = 'target_os = \"linux\"' }]) or \
                     preset = \"etcd\" | \"default\""
                        .to_string(),
                ))
            }
            None => {}
        }
        let base = match preset {
            Some("etcd") => Some(Policy::etcd()),
            Some(_) => Some(Policy::default_policy("PLATFORM_GUARD_UNSUPPORTED_ARCH")),
            None => None,
        };
        for rule in base.iter().flat_map(|p| p.rules()) {
            policy = policy.rule(rule.level(), &rule.cfg().to_string());
            if let Some(m) = rule.maintainers() {
                policy = policy.maintainers(m);
            }
            if let Some(n) = rule.note() {
                policy = policy.note(n);
            }
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
        let required = |k: &str, what: &str| {
            find(table, k).ok_or_else(|| {
                self.error(
                    ErrorKind::Manifest,
                    Some(item.span()),
                    None,
                    &key(k),
                    format!("missing: expected {}", what),
                )
            })
        };
        let v = required(
            "level",
            "a level: \"stable\", \"experimental\", \"unstable\" or \"unsupported\"",
        )?;
        let level = self
            .string(v, &key("level"))?
            .parse::<Level>()
            .map_err(|e| self.within(e, v.span(), &key("level")))?;
        let v = required(
            "cfg",
            "a cfg expression such as 'all(target_arch = \"x86_64\", target_os = \"linux\")'",
        )?;
        let text = self.string(v, &key("cfg"))?;
        CfgExpr::parse(text).map_err(|e| self.within(e, v.span(), &key("cfg")))?;
        let mut policy = policy.rule(level, text);
        if let Some(v) = find(table, "maintainers") {
            let names = self.strings(v, &key("maintainers"))?;
            if names.is_empty() || names.iter().any(|n| n.trim().is_empty()) {
                return Err(self.error(
                    ErrorKind::InvalidPolicy,
                    Some(v.span()),
                    None,
                    &key("maintainers"),
                    "expected one or more non-empty names, such as [\"core team\", \"@alice\"]"
                        .to_string(),
                ));
            }
            let joined = names.join(", ");
            check_one_line("maintainers", &joined)
                .map_err(|e| self.within(e, v.span(), &key("maintainers")))?;
            policy = policy.maintainers(&joined);
        }
        if let Some(v) = find(table, "note") {
            let note = self.string(v, &key("note"))?;
            check_one_line("note", note).map_err(|e| self.within(e, v.span(), &key("note")))?;
            policy = policy.note(note);
        }
        Ok(policy)
    }
}

/// A value's type and, for short scalars, the value itself.
fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the string {}", quoted(s)),
        DeValue::Integer(i) => format!("the integer {}", i.as_str()),
        DeValue::Float(f) => format!("the float {}", f.as_str()),
        DeValue::Boolean(b) => format!("the boolean {}", b),
        other => format!("a {}", other.type_str()),
    }
}

/// The known name closest to `name`, if it is close (a typo).
fn nearest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}
