//! The crate's one error type. Each error keeps the facts (the offending
//! input, a column, a variable's name, the denied verdict, ...) and the
//! sentence is written only in `Display`, one line that names the input and
//! says what was expected.

use std::fmt;

#[cfg(feature = "policy")]
use crate::cfg::Expected;
use crate::comma_sep::CommaSep;
use crate::level::{ArchNames, Level};

/// What went wrong, for callers that want to branch on it.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A cfg expression that does not parse.
    CfgSyntax,
    /// A support level name that is not one of the four.
    UnknownLevel,
    /// A cfg name in a rule that rustc does not set: a `target_` name it
    /// does not know, or a known name misspelt.
    UnknownCfgName,
    /// An architecture naming that is not `rust` or `go`.
    UnknownArchNames,
    /// A preset name that is not one of `Preset::ALL`
    /// (feature `policy`).
    UnknownPreset,
    /// An override variable name that is not `[A-Z_][A-Z0-9_]*`.
    InvalidVarName,
    /// Maintainers or note text that cannot be written safely (line breaks or
    /// other control characters), a builder call in the wrong place, or a
    /// rule over a cfg name whose value differs between the compiles of one
    /// package (`test`, `doc`, ...).
    InvalidPolicy,
    /// The build script runs outside Cargo: `TARGET`,
    /// `CARGO_CFG_TARGET_ARCH` or `CARGO_MANIFEST_DIR` is missing.
    NotInCargo,
    /// An environment variable's value is not valid UTF-8.
    NotUnicode,
    /// A target cfg value Cargo or rustc would never produce, or a
    /// `rust-version` that is not a Rust version.
    InvalidTargetCfg,
    /// A build-script directive value that would break Cargo's line protocol.
    InvalidDirective,
    /// The build is denied for this target by the policy or
    /// `PLATFORM_GUARD_DENY`.
    Denied,
    /// Running `rustc` (its version, or the target's cfg) failed.
    Rustc,
    /// Writing the build-script output failed.
    Io,
    /// A `[package.metadata.platform-guard]` table that cannot be read: the
    /// file is missing or not TOML, the table is missing, or a key is
    /// unknown, missing or of the wrong type (feature `manifest`). A bad
    /// value keeps its own kind ([`ErrorKind::UnknownLevel`],
    /// [`ErrorKind::CfgSyntax`], ...).
    Manifest,
    /// A program's record that cannot be read (feature `manifest`): an
    /// ELF note of `.note.pguard` cut short, of another owner or type or
    /// with padding that is not zero; another format version, a line that
    /// is not `key=value`, bytes that are not UTF-8.
    InvalidRecord,
}

impl ErrorKind {
    /// A stable name for programs (what `cargo platform-guard --format
    /// json` reports): `cfg-syntax`, `unknown-level`, ... It never changes
    /// for a kind.
    #[inline]
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::CfgSyntax => "cfg-syntax",
            ErrorKind::UnknownLevel => "unknown-level",
            ErrorKind::UnknownCfgName => "unknown-cfg-name",
            ErrorKind::UnknownArchNames => "unknown-arch-names",
            ErrorKind::UnknownPreset => "unknown-preset",
            ErrorKind::InvalidVarName => "invalid-var-name",
            ErrorKind::InvalidPolicy => "invalid-policy",
            ErrorKind::NotInCargo => "not-in-cargo",
            ErrorKind::NotUnicode => "not-unicode",
            ErrorKind::InvalidTargetCfg => "invalid-target-cfg",
            ErrorKind::InvalidDirective => "invalid-directive",
            ErrorKind::Denied => "denied",
            ErrorKind::Rustc => "rustc",
            ErrorKind::Io => "io",
            ErrorKind::Manifest => "manifest",
            ErrorKind::InvalidRecord => "invalid-record",
        }
    }
}

/// An error from parsing, validating or applying a policy.
///
/// `Display` is one line that names the offending input and says what was
/// expected; [`Error::kind`], [`Error::input`] and [`Error::column`] give the
/// facts to programs.
#[derive(Clone)]
pub struct Error {
    detail: Box<Detail>,
    /// Where the input came from, outermost first (`file:line:col: key`,
    /// `stable rule 2`, `PLATFORM_GUARD_DENY`).
    context: Vec<String>,
}

/// The facts of one error; `Display` writes the sentence.
#[derive(Clone)]
pub(crate) enum Detail {
    #[cfg(feature = "policy")]
    CfgSyntax {
        input: String,
        expected: Expected,
        /// 1-based, in characters.
        column: usize,
        found: Option<char>,
    },
    UnknownLevel(String),
    UnknownArchNames(String),
    #[cfg(feature = "policy")]
    UnknownPreset(String),
    /// A CI requirement name that is not one of `Requirement::ALL`.
    #[cfg(feature = "policy")]
    UnknownRequirement(String),
    /// A CI job that is not `<workflow file>:<job id>`.
    #[cfg(feature = "policy")]
    InvalidCiJob(String),
    /// A floor's value that is not a version (or an x86-64 level).
    #[cfg(feature = "policy")]
    InvalidFloor {
        floor: crate::floor::Floor,
        text: String,
    },
    /// A floor name that is not one of `Floor::ALL`.
    #[cfg(feature = "policy")]
    UnknownFloor(String),
    /// A cfg name rustc does not set; the nearest known name, if any.
    #[cfg(feature = "policy")]
    UnknownCfgName {
        name: String,
        nearest: Option<&'static str>,
    },
    /// A cfg name whose value differs between the crates of one package.
    #[cfg(feature = "policy")]
    PerCrateName(String),
    #[cfg(feature = "policy")]
    InvalidVarName(String),
    /// `what` (maintainers, note, ...) holds the control character `c` at
    /// byte `at`.
    #[cfg(feature = "policy")]
    ControlChar {
        what: &'static str,
        text: String,
        at: usize,
        c: char,
    },
    /// `maintainers(...)` or `note(...)` before any rule.
    #[cfg(feature = "policy")]
    AnnotationBeforeRule {
        what: &'static str,
        text: String,
    },
    /// Not run by Cargo: `missing` is not set; `hint` says what to do.
    #[cfg(feature = "policy")]
    NotInCargo {
        missing: &'static str,
        hint: &'static str,
    },
    #[cfg(feature = "policy")]
    NotUnicode {
        var: String,
        lossy: String,
    },
    /// `source` gave a cfg name that is not an identifier.
    #[cfg(feature = "policy")]
    NotIdentifier {
        source: String,
        name: String,
    },
    /// `source` gave `name = value`, a value rustc never produces.
    #[cfg(feature = "policy")]
    ImpossibleValue {
        source: String,
        name: String,
        value: String,
    },
    #[cfg(feature = "policy")]
    SeveralValues {
        triple: String,
        name: String,
    },
    #[cfg(feature = "policy")]
    NotTriple(String),
    #[cfg(feature = "policy")]
    RustcCfgLine(String),
    /// The compiler's answer to Cargo's target query lacks `.0`.
    #[cfg(feature = "policy")]
    CargoQuery(&'static str),
    #[cfg(feature = "build")]
    RustVersion(String),
    /// A directive value holding the control character `c`.
    #[cfg(feature = "build")]
    DirectiveControlChar {
        c: char,
        value: String,
    },
    #[cfg(feature = "build")]
    DirectiveTooLong {
        key: String,
        value: String,
        limit: usize,
    },
    #[cfg(feature = "build")]
    ErrorDirectiveUnsupported(String),
    #[cfg(feature = "build")]
    Denied(crate::build::decision::Denial),
    /// Asking the compiler (`command`) for `asked` failed; `message` is what
    /// the failure said.
    #[cfg(feature = "build")]
    Rustc {
        asked: &'static str,
        command: String,
        message: String,
    },
    #[cfg(feature = "build")]
    Io {
        line: String,
        message: String,
    },
    #[cfg(feature = "manifest")]
    Manifest(crate::manifest::Problem),
    /// A record in `section` with `what` in the line at byte `at`.
    #[cfg(feature = "manifest")]
    InvalidRecord {
        section: &'static str,
        at: usize,
        what: &'static str,
        line: String,
    },
    /// A note of `section` (`.note.pguard`) at byte `at` that cannot be
    /// read.
    #[cfg(feature = "manifest")]
    InvalidNote {
        section: &'static str,
        at: usize,
        problem: crate::record::NoteProblem,
    },
}

impl Error {
    #[inline]
    pub(crate) fn new(detail: Detail) -> Error {
        Error {
            detail: Box::new(detail),
            context: Vec::new(),
        }
    }

    /// What kind of mistake this is.
    #[inline]
    pub fn kind(&self) -> ErrorKind {
        self.detail.facts().0
    }

    /// The offending input (an expression, a name, a value, a target), as
    /// given.
    #[inline]
    pub fn input(&self) -> &str {
        self.detail.facts().1
    }

    /// For a cfg syntax error, the 1-based column (in characters) where the
    /// expression stops making sense.
    #[inline]
    pub fn column(&self) -> Option<usize> {
        match &*self.detail {
            #[cfg(feature = "policy")]
            Detail::CfgSyntax { column, .. } => Some(*column),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn unknown_level(input: &str) -> Error {
        Error::new(Detail::UnknownLevel(input.to_string()))
    }

    #[inline]
    pub(crate) fn unknown_arch_names(input: &str) -> Error {
        Error::new(Detail::UnknownArchNames(input.to_string()))
    }

    /// Says where the input came from, such as `PLATFORM_GUARD_DENY`, a rule
    /// (`stable rule 2`) or a manifest location; the message then starts
    /// with it. Only the policy side uses it.
    #[cfg_attr(not(feature = "policy"), allow(dead_code))]
    pub(crate) fn context(mut self, what: impl Into<String>) -> Error {
        self.context.insert(0, what.into());
        self
    }
}

impl fmt::Display for Error {
    #[cfg_attr(not(feature = "policy"), inline)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for what in &self.context {
            write!(f, "{}: ", OneLine(what))?;
        }
        write!(f, "{}", self.detail)
    }
}

impl std::error::Error for Error {}

impl fmt::Debug for Error {
    /// The kind and the sentence (the facts are reached through the
    /// accessors).
    #[cfg_attr(not(feature = "policy"), inline)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind())
            .field("message", &self.to_string())
            .finish()
    }
}

impl PartialEq for Error {
    /// Errors are equal when they are of the same kind and say the same.
    #[cfg_attr(not(feature = "policy"), inline)]
    fn eq(&self, other: &Error) -> bool {
        self.kind() == other.kind() && self.to_string() == other.to_string()
    }
}

impl Eq for Error {}

impl Detail {
    /// The kind and the offending input.
    #[cfg_attr(not(feature = "policy"), inline)]
    fn facts(&self) -> (ErrorKind, &str) {
        match self {
            Detail::UnknownLevel(s) => (ErrorKind::UnknownLevel, s),
            Detail::UnknownArchNames(s) => (ErrorKind::UnknownArchNames, s),
            #[cfg(feature = "policy")]
            Detail::CfgSyntax { input, .. } => (ErrorKind::CfgSyntax, input),
            #[cfg(feature = "policy")]
            Detail::UnknownPreset(s) => (ErrorKind::UnknownPreset, s),
            #[cfg(feature = "policy")]
            Detail::UnknownCfgName { name, .. } => (ErrorKind::UnknownCfgName, name),
            #[cfg(feature = "policy")]
            Detail::UnknownRequirement(s) | Detail::InvalidCiJob(s) => {
                (ErrorKind::InvalidPolicy, s)
            }
            #[cfg(feature = "policy")]
            Detail::PerCrateName(s) | Detail::UnknownFloor(s) => (ErrorKind::InvalidPolicy, s),
            #[cfg(feature = "policy")]
            Detail::InvalidFloor { text, .. } => (ErrorKind::InvalidPolicy, text),
            #[cfg(feature = "policy")]
            Detail::InvalidVarName(s) => (ErrorKind::InvalidVarName, s),
            #[cfg(feature = "policy")]
            Detail::ControlChar { text, .. } | Detail::AnnotationBeforeRule { text, .. } => {
                (ErrorKind::InvalidPolicy, text)
            }
            #[cfg(feature = "policy")]
            Detail::NotInCargo { .. } => (ErrorKind::NotInCargo, ""),
            #[cfg(feature = "policy")]
            Detail::NotUnicode { lossy, .. } => (ErrorKind::NotUnicode, lossy),
            #[cfg(feature = "policy")]
            Detail::NotIdentifier { name, .. } | Detail::SeveralValues { name, .. } => {
                (ErrorKind::InvalidTargetCfg, name)
            }
            #[cfg(feature = "policy")]
            Detail::ImpossibleValue { value, .. } => (ErrorKind::InvalidTargetCfg, value),
            #[cfg(feature = "policy")]
            Detail::NotTriple(s) | Detail::RustcCfgLine(s) => (ErrorKind::InvalidTargetCfg, s),
            #[cfg(feature = "policy")]
            Detail::CargoQuery(_) => (ErrorKind::InvalidTargetCfg, ""),
            #[cfg(feature = "build")]
            Detail::RustVersion(s) => (ErrorKind::InvalidTargetCfg, s),
            #[cfg(feature = "build")]
            Detail::DirectiveControlChar { value, .. } | Detail::DirectiveTooLong { value, .. } => {
                (ErrorKind::InvalidDirective, value)
            }
            #[cfg(feature = "build")]
            Detail::ErrorDirectiveUnsupported(s) => (ErrorKind::InvalidDirective, s),
            #[cfg(feature = "build")]
            Detail::Denied(d) => (ErrorKind::Denied, d.verdict().target()),
            #[cfg(feature = "build")]
            Detail::Rustc { command, .. } => (ErrorKind::Rustc, command),
            #[cfg(feature = "build")]
            Detail::Io { line, .. } => (ErrorKind::Io, line),
            #[cfg(feature = "manifest")]
            Detail::Manifest(p) => (p.kind(), p.input()),
            #[cfg(feature = "manifest")]
            Detail::InvalidRecord { line, .. } => (ErrorKind::InvalidRecord, line),
            #[cfg(feature = "manifest")]
            Detail::InvalidNote { section, .. } => (ErrorKind::InvalidRecord, section),
        }
    }
}

impl fmt::Display for Detail {
    #[cfg_attr(not(feature = "policy"), inline)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "policy")]
            Detail::CfgSyntax {
                input,
                expected,
                column,
                found,
            } => {
                write!(
                    f,
                    "invalid cfg expression {}: expected {} at column {}, found ",
                    Quoted(input),
                    expected,
                    column
                )?;
                match found {
                    None => f.write_str("end of input"),
                    Some(c) => write!(f, "{:?}", c),
                }
            }
            Detail::UnknownLevel(input) => write!(
                f,
                "unknown support level {}: expected one of {} (lowercase)",
                Quoted(input),
                CommaSep(&Level::ALL)
            ),
            Detail::UnknownArchNames(input) => write!(
                f,
                "unknown architecture naming {}: expected \"{}\" or \"{}\"",
                Quoted(input),
                ArchNames::Rust,
                ArchNames::Go
            ),
            #[cfg(feature = "policy")]
            Detail::UnknownPreset(input) => {
                write!(f, "unknown preset {}: expected one of ", Quoted(input))?;
                preset_names(f)
            }
            #[cfg(feature = "policy")]
            Detail::UnknownRequirement(s) => write!(
                f,
                "unknown CI requirement {}: expected one of {}",
                Quoted(s),
                crate::ci::RequirementNames
            ),
            #[cfg(feature = "policy")]
            Detail::InvalidCiJob(s) => write!(
                f,
                "CI job {} is not <workflow file>:<job id>: expected such as \
                 \".github/workflows/ci.yml:test\"",
                Quoted(s)
            ),
            #[cfg(feature = "policy")]
            Detail::InvalidFloor { floor, text } => {
                write!(f, "{} floor {}: expected ", floor, Quoted(text))?;
                match floor {
                    crate::floor::Floor::X86_64 => {
                        f.write_str("a level v1, v2, v3 or v4 (or x86-64-v2, ...)")
                    }
                    _ => write!(
                        f,
                        "a version of one to three numbers such as \"{}\"",
                        floor.example()
                    ),
                }
            }
            #[cfg(feature = "policy")]
            Detail::UnknownFloor(name) => write!(
                f,
                "unknown floor {}: expected one of {}",
                Quoted(name),
                CommaSep(&crate::floor::Floor::ALL)
            ),
            #[cfg(feature = "policy")]
            Detail::UnknownCfgName { name, nearest } => {
                write!(f, "unknown cfg name {}", Quoted(name))?;
                if let Some(n) = nearest {
                    write!(f, " (did you mean {:?}?)", n)?;
                }
                f.write_str(
                    ": expected a name rustc sets, such as target_os, or a `--cfg` name of your \
                     own outside the target_ prefix",
                )
            }
            #[cfg(feature = "policy")]
            Detail::PerCrateName(name) => write!(
                f,
                "cfg name {} differs between the compiles of one package (its library, tests and \
                 documentation, or the tool compiling it), while the build script decides once \
                 for all of them: expected a name whose value is the same for every compile of \
                 the package, such as target_os",
                Quoted(name)
            ),
            #[cfg(feature = "policy")]
            Detail::InvalidVarName(name) => write!(
                f,
                "override variable name {} is invalid: expected upper-case ASCII letters, \
                 digits and `_`, not starting with a digit (such as MYAPP_UNSUPPORTED_ARCH)",
                Quoted(name)
            ),
            #[cfg(feature = "policy")]
            Detail::ControlChar { what, text, at, c } => write!(
                f,
                "{} {} contains the control character {:?} at byte {}: expected one line of \
                 printable text",
                what,
                Quoted(text),
                c,
                at
            ),
            #[cfg(feature = "policy")]
            Detail::AnnotationBeforeRule { what, text } => write!(
                f,
                "{}({}) was called before any rule: expected it right after the rule it \
                 describes",
                what,
                Quoted(text)
            ),
            #[cfg(feature = "policy")]
            Detail::NotInCargo { missing, hint } => write!(
                f,
                "not running in a build script started by Cargo: {} {} not set{}",
                missing,
                if missing.contains(" and ") {
                    "are"
                } else {
                    "is"
                },
                hint
            ),
            #[cfg(feature = "policy")]
            Detail::NotUnicode { var, lossy } => write!(
                f,
                "environment variable {} is not valid UTF-8 (lossy: {}): expected UTF-8 text",
                OneLine(var),
                Quoted(lossy)
            ),
            #[cfg(feature = "policy")]
            Detail::NotIdentifier { source, name } => write!(
                f,
                "{}: cfg name {} is not an identifier",
                OneLine(source),
                Quoted(name)
            ),
            #[cfg(feature = "policy")]
            Detail::ImpossibleValue {
                source,
                name,
                value,
            } => write!(
                f,
                "{}: {} = {} is not a value rustc produces",
                OneLine(source),
                name,
                Quoted(value)
            ),
            #[cfg(feature = "policy")]
            Detail::SeveralValues { triple, name } => write!(
                f,
                "target {} has several values for {}: expected exactly one",
                OneLine(triple),
                name
            ),
            #[cfg(feature = "policy")]
            Detail::NotTriple(triple) => write!(
                f,
                "target {} is not a target name: expected printable text without spaces",
                Quoted(triple)
            ),
            #[cfg(feature = "policy")]
            Detail::RustcCfgLine(line) => write!(
                f,
                "rustc --print cfg line {}: expected name or name=\"value\"",
                Quoted(line)
            ),
            #[cfg(feature = "policy")]
            Detail::CargoQuery(what) => write!(
                f,
                "the compiler's answer to Cargo's target query is malformed: expected {}",
                what
            ),
            #[cfg(feature = "build")]
            Detail::RustVersion(v) => write!(
                f,
                "CARGO_PKG_RUST_VERSION {} is not a Rust version: expected 1[.<minor>[.<patch>]]",
                Quoted(v)
            ),
            #[cfg(feature = "build")]
            Detail::DirectiveControlChar { c, value } => write!(
                f,
                "refusing to write a build-script directive value holding the control \
                 character {:?}: {}",
                c,
                Quoted(value)
            ),
            #[cfg(feature = "build")]
            Detail::DirectiveTooLong { key, value, limit } => write!(
                f,
                "refusing to write the build-script directive rustc-env={}: its value {} is \
                 longer than the {} bytes an environment variable can hold for rustc on every \
                 platform (shorten the rule)",
                OneLine(key),
                Quoted(value),
                limit
            ),
            #[cfg(feature = "build")]
            Detail::ErrorDirectiveUnsupported(message) => write!(
                f,
                "the cargo::error directive needs Cargo 1.84 (message: {})",
                Quoted(message)
            ),
            #[cfg(feature = "build")]
            Detail::Denied(denial) => fmt::Display::fmt(denial, f),
            #[cfg(feature = "build")]
            Detail::Rustc {
                asked,
                command,
                message,
            } => write!(
                f,
                "cannot learn {} from `{}`: {}",
                asked,
                OneLine(command),
                OneLine(message)
            ),
            #[cfg(feature = "build")]
            Detail::Io { line, message } => write!(
                f,
                "cannot write the build-script directive {}: {}",
                Quoted(line),
                OneLine(message)
            ),
            #[cfg(feature = "manifest")]
            Detail::Manifest(problem) => fmt::Display::fmt(problem, f),
            #[cfg(feature = "manifest")]
            Detail::InvalidNote {
                section,
                at,
                problem,
            } => write!(f, "the {} section at byte {} has {}", section, at, problem),
            #[cfg(feature = "manifest")]
            Detail::InvalidRecord {
                section,
                at,
                what,
                line,
            } => {
                write!(f, "the {} section at byte {} has {}: ", section, at, what)?;
                if line.is_empty() {
                    f.write_str("expected text lines")
                } else {
                    write!(f, "{}", Quoted(line))
                }
            }
        }
    }
}

#[cfg(feature = "policy")]
fn preset_names(f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let names = crate::preset::Preset::ALL.map(|p| Quoted(p.as_str()));
    write!(f, "{}", CommaSep(&names))
}

/// Text written with each control character as its Rust escape (`\n`,
/// `\u{1b}`): the guarantee that a message stays one line, whatever crafted
/// name, key or path it names unquoted.
pub(crate) struct OneLine<'a>(pub(crate) &'a str);

impl fmt::Display for OneLine<'_> {
    #[cfg_attr(not(feature = "policy"), inline)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// An input quoted for a message: Rust string syntax (so control characters
/// and quotes are escaped and the message stays one line), cut after 120
/// characters so a huge input does not make a huge message.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    #[cfg_attr(not(feature = "policy"), inline)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LIMIT: usize = 120;
        match self.0.char_indices().nth(LIMIT) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => write!(f, "{:?}... ({} bytes in all)", &self.0[..cut], self.0.len()),
        }
    }
}

/// Checks that `text` (maintainers, a note, a known issue) holds no
/// character that could end a build-script directive line or hide one:
/// line breaks and other control characters are refused.
#[cfg(feature = "policy")]
pub(crate) fn check_one_line(what: &'static str, text: &str) -> Result<(), Error> {
    match text.char_indices().find(|&(_, c)| c.is_control()) {
        None => Ok(()),
        Some((at, c)) => Err(Error::new(Detail::ControlChar {
            what,
            text: text.to_string(),
            at,
            c,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "policy")]
    #[test]
    fn messages_are_one_line_whatever_they_hold() {
        let e = Error::new(Detail::NotUnicode {
            var: "A\nB".to_string(),
            lossy: "x\u{1b}[2K".to_string(),
        });
        assert_eq!(
            e.to_string(),
            "environment variable A\\nB is not valid UTF-8 (lossy: \"x\\u{1b}[2K\"): expected \
             UTF-8 text"
        );
        assert_eq!(e.input(), "x\u{1b}[2K");
        assert_eq!(
            e.context("file\n.toml").to_string(),
            "file\\n.toml: environment variable A\\nB is not valid UTF-8 (lossy: \
             \"x\\u{1b}[2K\"): expected UTF-8 text"
        );
        // Printable text and non-ASCII are left alone.
        assert_eq!(OneLine("ü \"x\" \\ ok").to_string(), "ü \"x\" \\ ok");
    }

    #[test]
    fn quoting_cuts_long_inputs() {
        assert_eq!(Quoted("a\"b").to_string(), "\"a\\\"b\"");
        let long = "x".repeat(200);
        assert_eq!(
            Quoted(&long).to_string(),
            format!("{:?}... (200 bytes in all)", "x".repeat(120))
        );
    }

    #[test]
    fn level_names_in_messages_come_from_the_type() {
        let e = Error::unknown_level("Stable");
        assert_eq!(e.kind(), ErrorKind::UnknownLevel);
        assert_eq!(
            e.to_string(),
            "unknown support level \"Stable\": expected one of stable, experimental, unstable, \
             unsupported (lowercase)"
        );
    }
}
