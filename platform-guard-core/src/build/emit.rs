//! The one writer of build-script directives, in the dialect the toolchain
//! understands.

use std::fmt::Write as _;
use std::io::Write;

use crate::comma_sep::CommaSep;
use crate::error::{Detail, Error};
use crate::level::Level;
use crate::verdict::Verdict;

/// The `rustc-env` values that carry a verdict to the run-time macros
/// (`enforce!()` and `check!()` read them with `option_env!`). `RUN` is
/// written first, before anything can fail, and `DONE` last, only when the
/// guard finished and allowed the build: both hold the crate's manifest
/// directory, so the macros use the values only in the crate they were made
/// for (see `src/runtime.rs`).
pub(crate) const ENV_RUN: &str = "PLATFORM_GUARD_RUN";
pub(crate) const ENV_LEVEL: &str = "PLATFORM_GUARD_LEVEL";
pub(crate) const ENV_TARGET: &str = "PLATFORM_GUARD_TARGET";
pub(crate) const ENV_RULE_INDEX: &str = "PLATFORM_GUARD_RULE_INDEX";
pub(crate) const ENV_RULE: &str = "PLATFORM_GUARD_RULE";
pub(crate) const ENV_OVERRIDE_VAR: &str = "PLATFORM_GUARD_OVERRIDE_VAR";
pub(crate) const ENV_OVERRIDE_VALUE: &str = "PLATFORM_GUARD_OVERRIDE_VALUE";
pub(crate) const ENV_DONE: &str = "PLATFORM_GUARD_DONE";
/// The values the build script decided with for names Cargo decides per
/// compile, which the macros compare with the compile's (`src/compile.rs`).
pub(crate) const ENV_ASSUMED: &str = "PLATFORM_GUARD_ASSUMED";

/// The cfg name the guard sets: `platform_support = "<level>"`.
pub const CFG_NAME: &str = "platform_support";

/// Which build-script directives the running toolchain understands.
///
/// - `cargo::` (double colon) needs Cargo 1.77 *and* a package whose
///   `rust-version`, if stated, is at least 1.77 (Cargo refuses it otherwise).
/// - `cargo::error` needs Cargo 1.84.
/// - `rustc-check-cfg` is respected from 1.80; older Cargo ignores it or
///   warns that it needs `-Zcheck-cfg`, so it is left out there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    double_colon: bool,
    error: bool,
    check_cfg: bool,
}

impl Dialect {
    /// What every Cargo understands: `cargo:` lines, no check-cfg, no
    /// `cargo::error`. Used for the first line, before the toolchain is
    /// known.
    pub const OLDEST: Dialect = Dialect {
        double_colon: false,
        error: false,
        check_cfg: false,
    };

    /// The dialect for Rust `1.<rustc_minor>` building a package whose
    /// `rust-version` is `1.<msrv_minor>` (`None` when it states none).
    pub fn for_toolchain(rustc_minor: u64, msrv_minor: Option<u64>) -> Dialect {
        let double_colon = rustc_minor >= 77 && msrv_minor.map_or(true, |m| m >= 77);
        Dialect {
            double_colon,
            error: double_colon && rustc_minor >= 84,
            check_cfg: rustc_minor >= 80,
        }
    }

    /// Whether `cargo::error` is available (else a failure is a message on
    /// stderr and exit status 1).
    pub fn has_error(self) -> bool {
        self.error
    }

    fn prefix(self) -> &'static str {
        if self.double_colon {
            "cargo::"
        } else {
            "cargo:"
        }
    }
}

/// One build-script directive.
#[non_exhaustive]
#[derive(Debug, Clone, Copy)]
pub enum Directive<'a> {
    /// `rustc-cfg=NAME="VALUE"`.
    Cfg(&'a str, &'a str),
    /// `rustc-check-cfg=cfg(NAME, values("A", "B"))` (left out where the
    /// dialect does not support it).
    CheckCfg(&'a str, &'a [&'a str]),
    /// `rustc-env=KEY=VALUE`.
    Env(&'a str, &'a str),
    /// `warning=MESSAGE`.
    Warning(&'a str),
    /// `error=MESSAGE` (only where the dialect has it).
    Error(&'a str),
    /// `rerun-if-env-changed=VAR`.
    RerunIfEnvChanged(&'a str),
    /// `rerun-if-changed=PATH`.
    RerunIfChanged(&'a str),
}

/// A value written in double quotes (check-cfg lists).
struct InQuotes<'a>(&'a str);

impl std::fmt::Display for InQuotes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
}

/// Writes directives to a build script's standard output (or any writer).
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::{Dialect, Directive, Emitter};
///
/// let mut out = Vec::new();
/// let mut emitter = Emitter::new(&mut out, Dialect::for_toolchain(95, None));
/// emitter.emit(Directive::RerunIfEnvChanged("MYAPP_UNSUPPORTED_ARCH"))?;
/// assert!(emitter.emit(Directive::Warning("two\nlines")).is_err());
/// assert_eq!(out, b"cargo::rerun-if-env-changed=MYAPP_UNSUPPORTED_ARCH\n");
/// # Ok::<(), platform_guard::Error>(())
/// ```
pub struct Emitter<W> {
    out: W,
    dialect: Dialect,
}

impl<W: Write> Emitter<W> {
    /// An emitter writing `dialect` to `out`.
    pub fn new(out: W, dialect: Dialect) -> Emitter<W> {
        Emitter { out, dialect }
    }

    /// The dialect in use.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Writes one directive. Refuses (and writes nothing) when a value holds
    /// a line break or other control character, which would end the
    /// directive early and let the rest be read as another one.
    pub fn emit(&mut self, directive: Directive<'_>) -> Result<(), Error> {
        let mut line = String::new();
        match directive {
            Directive::Cfg(name, value) => {
                check(name)?;
                check(value)?;
                let _ = write!(line, "rustc-cfg={}=\"{}\"", name, value);
            }
            Directive::CheckCfg(name, values) => {
                if !self.dialect.check_cfg {
                    return Ok(());
                }
                check(name)?;
                values.iter().try_for_each(|v| check(v))?;
                let quoted: Vec<InQuotes<'_>> = values.iter().map(|v| InQuotes(v)).collect();
                let _ = write!(
                    line,
                    "rustc-check-cfg=cfg({}, values({}))",
                    name,
                    CommaSep(&quoted)
                );
            }
            Directive::Env(key, value) => {
                check(key)?;
                check(value)?;
                check_env_size(key, value)?;
                let _ = write!(line, "rustc-env={}={}", key, value);
            }
            Directive::Warning(message) => {
                check(message)?;
                let _ = write!(line, "warning={}", message);
            }
            Directive::Error(message) => {
                check(message)?;
                if !self.dialect.error {
                    return Err(Error::new(Detail::ErrorDirectiveUnsupported(
                        message.to_string(),
                    )));
                }
                let _ = write!(line, "error={}", message);
            }
            Directive::RerunIfEnvChanged(var) => {
                check(var)?;
                let _ = write!(line, "rerun-if-env-changed={}", var);
            }
            Directive::RerunIfChanged(path) => {
                check(path)?;
                let _ = write!(line, "rerun-if-changed={}", path);
            }
        }
        writeln!(self.out, "{}{}", self.dialect.prefix(), line)
            .and_then(|()| self.out.flush())
            .map_err(|e| {
                Error::new(Detail::Io {
                    line,
                    message: e.to_string(),
                })
            })
    }

    /// Declares and sets `platform_support = "<level>"` and passes the
    /// verdict to the compiler as `rustc-env` values (an empty rule index
    /// means no rule matched). The marks that tie the verdict to its crate
    /// (`PLATFORM_GUARD_RUN`, `PLATFORM_GUARD_DONE`) are not written here:
    /// [`Policy::build`](crate::Policy::build) writes them around the whole
    /// guard run, so the run-time macros use a verdict written this way only
    /// after a finished run.
    pub fn emit_verdict(&mut self, verdict: &Verdict) -> Result<(), Error> {
        let names = Level::ALL.map(Level::as_str);
        self.emit(Directive::CheckCfg(CFG_NAME, &names))?;
        self.emit(Directive::Cfg(CFG_NAME, verdict.level().as_str()))?;
        self.emit(Directive::Env(ENV_LEVEL, verdict.level().as_str()))?;
        self.emit(Directive::Env(ENV_TARGET, verdict.target()))?;
        let index = verdict.rule_index().map(|i| i.to_string());
        self.emit(Directive::Env(
            ENV_RULE_INDEX,
            index.as_deref().unwrap_or(""),
        ))?;
        self.emit(Directive::Env(ENV_RULE, verdict.rule().unwrap_or("")))?;
        self.emit(Directive::Env(ENV_OVERRIDE_VAR, verdict.override_var()))?;
        self.emit(Directive::Env(ENV_OVERRIDE_VALUE, verdict.override_value()))
    }
}

/// The longest `rustc-env` value written: Cargo passes it to rustc as an
/// environment variable, and Windows holds at most 32 767 characters in one
/// (Linux 128 KiB). Past that rustc cannot even be started ("Argument list
/// too long"), an error that names nothing; a cfg rule that long is refused
/// here instead.
const MAX_ENV_VALUE: usize = 32_000;

fn check_env_size(key: &str, value: &str) -> Result<(), Error> {
    if value.len() <= MAX_ENV_VALUE {
        return Ok(());
    }
    Err(Error::new(Detail::DirectiveTooLong {
        key: key.to_string(),
        value: value.to_string(),
        limit: MAX_ENV_VALUE,
    }))
}

fn check(value: &str) -> Result<(), Error> {
    match value.chars().find(|c| c.is_control()) {
        None => Ok(()),
        Some(c) => Err(Error::new(Detail::DirectiveControlChar {
            c,
            value: value.to_string(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn written(dialect: Dialect, directives: &[Directive<'_>]) -> String {
        let mut e = Emitter::new(Vec::new(), dialect);
        for d in directives {
            e.emit(*d).unwrap();
        }
        String::from_utf8(e.out).unwrap()
    }

    #[test]
    fn dialect_follows_the_toolchain_and_the_package_msrv() {
        let old = Dialect::for_toolchain(63, None);
        assert_eq!(
            old,
            Dialect {
                double_colon: false,
                error: false,
                check_cfg: false
            }
        );
        let d77 = Dialect::for_toolchain(77, None);
        assert_eq!(
            d77,
            Dialect {
                double_colon: true,
                error: false,
                check_cfg: false
            }
        );
        assert!(!Dialect::for_toolchain(95, Some(63)).double_colon);
        assert!(!Dialect::for_toolchain(95, Some(63)).error);
        assert!(Dialect::for_toolchain(95, Some(63)).check_cfg);
        assert!(Dialect::for_toolchain(83, Some(77)).double_colon);
        assert!(!Dialect::for_toolchain(83, Some(77)).error);
        assert!(Dialect::for_toolchain(84, Some(80)).error);
    }

    #[test]
    fn writes_each_directive_in_each_dialect() {
        let all = [
            Directive::CheckCfg(CFG_NAME, &["stable", "experimental"]),
            Directive::Cfg(CFG_NAME, "stable"),
            Directive::Env("PLATFORM_GUARD_LEVEL", "stable"),
            Directive::Warning("w = \"x\""),
            Directive::RerunIfEnvChanged("DOCS_RS"),
            Directive::RerunIfChanged("Cargo.toml"),
        ];
        assert_eq!(
            written(Dialect::for_toolchain(63, None), &all),
            "cargo:rustc-cfg=platform_support=\"stable\"\n\
             cargo:rustc-env=PLATFORM_GUARD_LEVEL=stable\n\
             cargo:warning=w = \"x\"\n\
             cargo:rerun-if-env-changed=DOCS_RS\n\
             cargo:rerun-if-changed=Cargo.toml\n"
        );
        assert_eq!(
            written(Dialect::for_toolchain(95, None), &all),
            "cargo::rustc-check-cfg=cfg(platform_support, values(\"stable\", \"experimental\"))\n\
             cargo::rustc-cfg=platform_support=\"stable\"\n\
             cargo::rustc-env=PLATFORM_GUARD_LEVEL=stable\n\
             cargo::warning=w = \"x\"\n\
             cargo::rerun-if-env-changed=DOCS_RS\n\
             cargo::rerun-if-changed=Cargo.toml\n"
        );
        assert_eq!(
            written(Dialect::for_toolchain(95, None), &[Directive::Error("no")]),
            "cargo::error=no\n"
        );
    }

    #[test]
    fn refuses_values_that_would_inject_directives() {
        let mut e = Emitter::new(Vec::new(), Dialect::for_toolchain(95, None));
        for d in [
            Directive::Warning("ok\ncargo::rustc-cfg=evil"),
            Directive::Env("K", "v\rcargo::rustc-cfg=evil"),
            Directive::Cfg("platform_support", "stable\n"),
            Directive::RerunIfEnvChanged("A\nB"),
        ] {
            let err = e.emit(d).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidDirective);
            assert!(err
                .to_string()
                .starts_with("refusing to write a build-script directive"));
        }
        assert!(e.out.is_empty());
        let mut old = Emitter::new(Vec::new(), Dialect::for_toolchain(83, None));
        assert!(old.emit(Directive::Error("x")).is_err());
    }

    #[test]
    fn refuses_env_values_rustc_could_not_be_started_with() {
        let mut e = Emitter::new(Vec::new(), Dialect::for_toolchain(95, None));
        let longest = "a".repeat(MAX_ENV_VALUE);
        e.emit(Directive::Env("PLATFORM_GUARD_RULE", &longest))
            .unwrap();
        let written = e.out.len();
        let too_long = format!("any(unix{})", ", a".repeat(20_000));
        let err = e
            .emit(Directive::Env("PLATFORM_GUARD_RULE", &too_long))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidDirective);
        assert_eq!(
            err.to_string(),
            format!(
                "refusing to write the build-script directive rustc-env=PLATFORM_GUARD_RULE: its \
                 value {} is longer than the 32000 bytes an environment variable can hold for \
                 rustc on every platform (shorten the rule)",
                crate::error::Quoted(&too_long)
            )
        );
        assert_eq!(e.out.len(), written);
    }
}
