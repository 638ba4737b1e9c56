//! What the commands report, as data, and one printer per format.
//!
//! `pipeline` and `audit` produce a [`Report`]: one [`Part`] per package
//! (its policy, its table of targets or rules, its [`Finding`]s, each with
//! a stable [`Code`]). Every format renders any report with its own file:
//! [`text`], [`markdown`], [`json`] (serde, one `format_version` for every
//! command), [`github`] (annotations and the step summary) and [`sarif`]
//! (SARIF 2.1.0 for GitHub code scanning); [`print()`] picks the printer.
//! The other commands use the shared pieces: [`Format`], the JSON document
//! writer, the Markdown cell escaping and the typed build outcome
//! [`Build`].

use std::fmt;

use platform_guard::{BuildDecision, Level, Requirement};
use serde::{Serialize, Serializer};

use crate::context::{Context, Failure, Output};

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

/// An output format. Each subcommand lists the ones it has
/// (`Subcommand::formats`); `--format` accepts only those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    /// `matrix`'s aligned table.
    Table,
    Markdown,
    Json,
    /// GitHub Actions: annotations (and a step summary), or `matrix`'s job
    /// matrix.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// `matrix`'s Docker platforms.
    Docker,
}

impl Format {
    /// The name `--format` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Docker => "docker",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The usage error for a format the command lists but cannot print (the
/// parser lets through only the command's own formats, so this names a
/// mistake in the command's list, not the user's).
pub fn unsupported(format: Format, command: &str) -> Failure {
    Failure::usage(
        format!("--format {}: `{}` has no such output", format, command),
        Some(command),
    )
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

/// What a finding is about: a stable identifier a program can match
/// (`denied-target`), the same in JSON, SARIF (`ruleId`) and the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A pipeline builds or ships a target the policy denies.
    DeniedTarget,
    /// A release ships a target that is not stable.
    ShippedNotStable,
    /// docs.rs documents a target the policy denies.
    DocumentedDeniedTarget,
    /// A pipeline names a target the compiler does not know.
    UnknownTarget,
    /// A workflow job whose targets cannot be known.
    UncheckedJob,
    /// A stable rule none of whose targets a pipeline builds.
    UnbuiltStableRule,
    /// A stable rule lacks a requirement for a stable platform.
    UnmetRequirement,
    /// A rule below stable lacks a requirement it needs to be promoted.
    PromotionRequirement,
    /// A CI job whose commands the files hide backs a requirement.
    UnverifiableRequirement,
    /// A shipped file is for a target the policy denies.
    DeniedArtifact,
    /// A shipped file is for a target whose programs refuse to run.
    RefusedArtifact,
    /// A shipped file needs more than a floor of its rule allows.
    AboveFloor,
    /// A floor of a shipped file's rule cannot be checked on it.
    UncheckedFloor,
    /// A shipped file fits no target the compiler knows.
    UnknownArtifact,
    /// A shipped file fits several targets that the policy judges apart.
    AmbiguousArtifact,
    /// A shipped file's record names another target than its headers.
    RecordMismatch,
    /// A shipped file's records section (`.note.pguard`, `__TEXT,__pguard`)
    /// cannot be read.
    UnreadableRecord,
}

impl Code {
    pub const ALL: [Code; 17] = [
        Code::DeniedTarget,
        Code::ShippedNotStable,
        Code::DocumentedDeniedTarget,
        Code::UnknownTarget,
        Code::UncheckedJob,
        Code::UnbuiltStableRule,
        Code::UnmetRequirement,
        Code::PromotionRequirement,
        Code::UnverifiableRequirement,
        Code::DeniedArtifact,
        Code::RefusedArtifact,
        Code::AboveFloor,
        Code::UncheckedFloor,
        Code::UnknownArtifact,
        Code::AmbiguousArtifact,
        Code::RecordMismatch,
        Code::UnreadableRecord,
    ];

    /// The stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            Code::DeniedTarget => "denied-target",
            Code::ShippedNotStable => "shipped-not-stable",
            Code::DocumentedDeniedTarget => "documented-denied-target",
            Code::UnknownTarget => "unknown-target",
            Code::UncheckedJob => "unchecked-job",
            Code::UnbuiltStableRule => "unbuilt-stable-rule",
            Code::UnmetRequirement => "unmet-requirement",
            Code::PromotionRequirement => "promotion-requirement",
            Code::UnverifiableRequirement => "unverifiable-requirement",
            Code::DeniedArtifact => "denied-artifact",
            Code::RefusedArtifact => "refused-artifact",
            Code::AboveFloor => "above-floor",
            Code::UncheckedFloor => "unchecked-floor",
            Code::UnknownArtifact => "unknown-artifact",
            Code::AmbiguousArtifact => "ambiguous-artifact",
            Code::RecordMismatch => "record-mismatch",
            Code::UnreadableRecord => "unreadable-record",
        }
    }

    /// One sentence: what it means.
    pub fn summary(self) -> &'static str {
        match self {
            Code::DeniedTarget => "A pipeline builds or ships a target the policy denies.",
            Code::ShippedNotStable => {
                "A release ships a target that is experimental, unstable or unsupported."
            }
            Code::DocumentedDeniedTarget => "docs.rs documents a target the policy denies.",
            Code::UnknownTarget => "A pipeline names a target the compiler does not know.",
            Code::UncheckedJob => "A workflow job's targets cannot be known, so are not checked.",
            Code::UnbuiltStableRule => "No pipeline builds any target of a stable rule.",
            Code::UnmetRequirement => {
                "A stable rule does not meet a requirement for a stable platform."
            }
            Code::PromotionRequirement => {
                "A rule below stable lacks a requirement it needs to be promoted to stable."
            }
            Code::UnverifiableRequirement => {
                "A CI job's commands are hidden from the files, so a requirement it backs cannot \
                 be verified."
            }
            Code::DeniedArtifact => "A shipped file is built for a target the policy denies.",
            Code::RefusedArtifact => {
                "A shipped file is built for an unstable or unsupported target, where its \
                 programs refuse to run."
            }
            Code::AboveFloor => {
                "A shipped file needs a newer system or CPU than a floor of its rule allows."
            }
            Code::UncheckedFloor => "A floor of a shipped file's rule cannot be checked on it.",
            Code::UnknownArtifact => "A shipped file fits no target the compiler knows.",
            Code::AmbiguousArtifact => {
                "A shipped file fits several targets, which the policy judges differently."
            }
            Code::RecordMismatch => {
                "A shipped file's platform-guard record names a target its headers do not fit."
            }
            Code::UnreadableRecord => {
                "A shipped file's .note.pguard or __TEXT,__pguard section cannot be read."
            }
        }
    }

    /// The severity its findings have.
    pub fn severity(self) -> Severity {
        match self {
            Code::DeniedTarget
            | Code::UnmetRequirement
            | Code::DeniedArtifact
            | Code::RefusedArtifact
            | Code::AboveFloor => Severity::Error,
            Code::UncheckedJob | Code::PromotionRequirement | Code::UncheckedFloor => {
                Severity::Notice
            }
            Code::UnknownArtifact
            | Code::AmbiguousArtifact
            | Code::RecordMismatch
            | Code::UnreadableRecord
            | Code::ShippedNotStable
            | Code::DocumentedDeniedTarget
            | Code::UnknownTarget
            | Code::UnbuiltStableRule
            | Code::UnverifiableRequirement => Severity::Warning,
        }
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One thing a command found: its code, severity, place, the targets and
/// rules involved, and the message.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Relative to the repository's root, with `/`.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub targets: Vec<String>,
    /// The policy's rules involved, counted from 1.
    pub rules: Vec<usize>,
    pub message: String,
}

impl Finding {
    /// A finding with its code's severity, no place, no targets, no rules.
    pub fn new(code: Code, message: String) -> Finding {
        Finding {
            code,
            severity: code.severity(),
            file: None,
            line: None,
            targets: Vec::new(),
            rules: Vec::new(),
            message,
        }
    }

    pub fn at(mut self, file: Option<&str>, line: Option<usize>) -> Finding {
        self.file = file.map(str::to_string);
        self.line = line;
        self
    }

    pub fn target(mut self, target: &str) -> Finding {
        self.targets.push(target.to_string());
        self
    }

    /// The rule at `index` (from 0) is involved.
    pub fn rule(mut self, index: usize) -> Finding {
        self.rules.push(index + 1);
        self
    }

    /// `file:line: ` (or `file: `, or nothing).
    pub fn place(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{}:{}: ", f, l),
            (Some(f), None) => format!("{}: ", f),
            _ => String::new(),
        }
    }
}

/// What a build of a target would do in this environment: the typed form
/// of the library's `BuildDecision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Build {
    Allowed,
    /// Denied, but the override variable (or `DOCS_RS`) lifts the denial.
    Lifted,
    Denied,
}

impl Build {
    /// The outcome of `decision`; an outcome this command does not know
    /// is an error, not a guess.
    pub fn of(decision: &BuildDecision) -> Result<Build, Failure> {
        match decision {
            BuildDecision::Allowed => Ok(Build::Allowed),
            BuildDecision::Lifted { .. } => Ok(Build::Lifted),
            BuildDecision::Denied(_) => Ok(Build::Denied),
            other => Err(Failure::error(format!(
                "a build decision this version of the command does not know: {}",
                other
            ))),
        }
    }
}

/// A level as its wire name (`stable`).
pub fn level_str<S: Serializer>(level: &Level, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(level.as_str())
}

/// One command's report: one part per package.
#[derive(Debug)]
pub struct Report {
    /// The subcommand (`pipeline`), for titles.
    pub command: &'static str,
    pub parts: Vec<Part>,
}

impl Report {
    /// 1 when a finding is an error, else 0.
    pub fn code(&self) -> i32 {
        let error = self
            .parts
            .iter()
            .flat_map(|p| &p.findings)
            .any(|f| f.severity == Severity::Error);
        i32::from(error)
    }

    /// `platform-guard pipeline`: the annotations' title, the tool's name
    /// in summaries.
    pub fn title(&self) -> String {
        format!("platform-guard {}", self.command)
    }

    /// Whether the parts need headings (several packages).
    pub fn several(&self) -> bool {
        self.parts.len() > 1
    }
}

/// One package's part.
#[derive(Debug)]
pub struct Part {
    pub package: Option<String>,
    /// Where its policy comes from (`PackagePolicy::describe`).
    pub policy: String,
    pub body: Body,
    pub findings: Vec<Finding>,
}

impl Part {
    /// `package NAME: <policy>`, as headings name a part.
    pub fn heading(&self) -> String {
        format!(
            "package {}: {}",
            self.package.as_deref().unwrap_or("(none)"),
            self.policy
        )
    }
}

/// What a part holds besides its findings.
#[derive(Debug)]
pub enum Body {
    Pipeline(Pipeline),
    Audit(Audit),
    Inspect(Inspect),
}

/// `inspect`: every file read, with what its headers say and its verdict.
#[derive(Debug, Serialize)]
pub struct Inspect {
    pub files: Vec<Inspected>,
}

/// One shipped file (or one slice of a universal Mach-O file), judged.
#[derive(Debug, Serialize)]
pub struct Inspected {
    /// As given on the command line (or found in the directory).
    pub file: String,
    #[serde(flatten)]
    pub facts: crate::artifacts::Facts,
    /// The target judged: its record's, else the one target its headers
    /// fit; null when that is not one target rustc knows.
    pub target: Option<String>,
    /// Where the target comes from.
    pub target_from: String,
    #[serde(serialize_with = "opt_level_str")]
    pub level: Option<Level>,
    pub rule: Option<String>,
    pub build: Option<Build>,
    /// Its platform-guard records, each key and value as written.
    pub records: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// An optional level as its wire name, or null.
pub fn opt_level_str<S: Serializer>(level: &Option<Level>, s: S) -> Result<S::Ok, S::Error> {
    match level {
        Some(l) => s.serialize_str(l.as_str()),
        None => s.serialize_none(),
    }
}

/// `pipeline`: the files read and every target they name, classified.
#[derive(Debug, Serialize)]
pub struct Pipeline {
    pub root: String,
    pub files: Vec<String>,
    pub targets: Vec<TargetUse>,
    /// The programs `--artifacts` found, judged as `inspect` judges them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Inspected>,
}

/// One target named in one place of a pipeline.
#[derive(Debug, Serialize)]
pub struct TargetUse {
    pub target: String,
    pub file: String,
    pub line: usize,
    #[serde(rename = "use")]
    pub used: &'static str,
    pub context: String,
    #[serde(serialize_with = "level_str")]
    pub level: Level,
    pub rule: Option<String>,
    pub build: Build,
}

/// `audit`: every rule above unsupported, with each requirement.
#[derive(Debug, Serialize)]
pub struct Audit {
    pub rules: Vec<AuditedRule>,
}

#[derive(Debug, Serialize)]
pub struct AuditedRule {
    /// Counted from 1.
    pub rule: usize,
    #[serde(serialize_with = "level_str")]
    pub level: Level,
    pub cfg: String,
    /// Meets every required requirement.
    pub ok: bool,
    pub requirements: Vec<Check>,
    /// `stable rule 1 `cfg``, as messages name it.
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub file: Option<String>,
    #[serde(skip)]
    pub line: Option<usize>,
}

impl AuditedRule {
    pub fn unmet(&self) -> impl Iterator<Item = &Check> {
        self.requirements.iter().filter(|c| c.unmet())
    }
}

/// A requirement for a stable platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A named maintainer.
    Maintainers,
    /// A CI job that builds, or runs tests, or a functional test cluster.
    Ci(Requirement),
}

impl Need {
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Maintainers => "maintainers",
            Need::Ci(r) => r.as_str(),
        }
    }
}

impl Serialize for Need {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a rule stands on one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Met,
    /// Not met, and not required (the functional test cluster).
    Optional,
    /// Not met by a stable rule.
    Failed,
    /// Not met by a rule below stable (what it lacks to be promoted).
    Missing,
    /// Not shown by the files: the job's commands are hidden (a program of
    /// the repository, `cargo xtask`, a value known only when it runs).
    Unverifiable,
}

/// One requirement of one rule.
#[derive(Debug, Serialize)]
pub struct Check {
    pub requirement: Need,
    pub status: Status,
    /// The CI job the rule names for it.
    pub job: Option<String>,
    /// What meets it, or why it is not met.
    pub detail: String,
    pub file: Option<String>,
    pub line: Option<usize>,
}

impl Check {
    /// Not met, and required.
    pub fn unmet(&self) -> bool {
        matches!(self.status, Status::Failed | Status::Missing)
    }
}

/// `1 error, 2 warnings`.
pub fn counts(findings: &[Finding]) -> String {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    format!(
        "{}, {}",
        plural(n(Severity::Error), "error"),
        plural(n(Severity::Warning), "warning")
    )
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{} {}{}", n, word, if n == 1 { "" } else { "s" })
}

/// What a command that reports findings outputs: `report` in `format`,
/// and exit status 1 when a finding is an error.
pub fn output(ctx: &Context, report: &Report, format: Format) -> Result<Output, Failure> {
    Ok(Output {
        stdout: print(ctx, report, format)?,
        code: report.code(),
    })
}

/// Renders `report` in `format` (the GitHub printer also appends the
/// step summary).
pub fn print(ctx: &Context, report: &Report, format: Format) -> Result<String, Failure> {
    match format {
        Format::Text => Ok(text::report(report)),
        Format::Markdown => Ok(markdown::report(report)),
        Format::Json => json::report(report),
        Format::Github => github::report(ctx, report),
        Format::Sarif => sarif::report(report),
        Format::Table | Format::Docker => Err(unsupported(format, report.command)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table of finding codes lists each code once, with its
    /// severity, and no other.
    #[test]
    fn the_readme_lists_every_code_with_its_severity() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
            .expect("the repository's README");
        let rows: Vec<&str> = readme
            .lines()
            .filter(|l| {
                l.starts_with("| `")
                    && ["error", "warning", "notice"]
                        .iter()
                        .any(|s| l.contains(&format!("` | {} |", s)))
            })
            .collect();
        assert_eq!(rows.len(), Code::ALL.len(), "{:#?}", rows);
        for code in Code::ALL {
            let row = format!("| `{}` | {} |", code.id(), code.severity().word());
            assert_eq!(
                rows.iter().filter(|r| r.starts_with(&row)).count(),
                1,
                "README: no row {:?}",
                row
            );
        }
    }
}
