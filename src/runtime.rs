//! The run-time gate behind `enforce!()` and `check!()`.
//!
//! The verdict is fixed at compile time, in the crate that expands the
//! macro. It is that crate's own verdict only when that crate's build script
//! made it: the build script writes `PLATFORM_GUARD_RUN=<its manifest
//! dir>#<run id>` before it does anything else and the same value as
//! `PLATFORM_GUARD_DONE` after the verdict, as `rustc-env` values, and the
//! macros compare `RUN` with the crate's own `CARGO_MANIFEST_DIR` and `DONE`
//! with `RUN`:
//!
//! - both match: the verdict in the other `PLATFORM_GUARD_*` values is this
//!   crate's, from this run (a build script's `rustc-env` values override
//!   the environment, and a `DONE` left over from another run of the same
//!   package has another run id);
//! - `RUN` matches but `DONE` does not: the build script started the guard
//!   and failed, or ignored a denial, before finishing; that is a compile
//!   error, never a quiet switch to another policy;
//! - otherwise (no build script of its own, or values that reached the
//!   compiler from an enclosing build or the environment): zero-setup mode,
//!   this crate's own verdict. Its build.rs classified the target with the
//!   default policy and set the `platform_support` cfg on this crate, which
//!   `cfg-if` turns into a constant here, and `rustc-env` values for the
//!   rest. The consumer's macros cannot test `platform_support` themselves:
//!   in zero-setup mode that cfg is undeclared in the consumer's crate, and
//!   rustc (1.85+) reports `unexpected_cfgs` inside external macros.

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::level::{same, Level};
use crate::override_var::package_override_var;
use crate::verdict::{Refusal, Run, Verdict};
use crate::zero_setup::{self, VAR_SUFFIX};

cfg_if::cfg_if! {
    if #[cfg(platform_support = "stable")] {
        const OWN_LEVEL: Level = Level::Stable;
    } else if #[cfg(platform_support = "experimental")] {
        const OWN_LEVEL: Level = Level::Experimental;
    } else if #[cfg(platform_support = "unstable")] {
        const OWN_LEVEL: Level = Level::Unstable;
    } else if #[cfg(platform_support = "unsupported")] {
        const OWN_LEVEL: Level = Level::Unsupported;
    } else {
        compile_error!("platform-guard's build script did not set the platform_support cfg");
    }
}

/// The compile-time values the macros found in the crate that expands them
/// (`option_env!`, `env!`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Found {
    /// The expanding crate's `CARGO_MANIFEST_DIR`.
    pub this: &'static str,
    /// The expanding crate's `CARGO_PKG_NAME`.
    pub package: &'static str,
    pub run: Option<&'static str>,
    pub done: Option<&'static str>,
    pub level: Option<&'static str>,
    pub target: Option<&'static str>,
    pub rule_index: Option<&'static str>,
    pub rule: Option<&'static str>,
    pub override_var: Option<&'static str>,
    pub override_value: Option<&'static str>,
}

/// A verdict fixed at compile time, as the macros see it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Compiled {
    level: Level,
    target: &'static str,
    rule: Option<(usize, &'static str)>,
    /// `None` in zero-setup mode: the name derives from `package`.
    override_var: Option<&'static str>,
    override_value: &'static str,
    package: &'static str,
}

impl Compiled {
    /// The crate's own verdict when its build script made one for it, else
    /// this crate's zero-setup verdict. Evaluated in a `const`, so every
    /// inconsistency is a compile error, never a run-time surprise.
    #[doc(hidden)]
    #[inline]
    pub const fn select(found: Found) -> Compiled {
        let run_here = matches!(found.run, Some(run) if marks(run, found.this));
        let done_here = match (found.run, found.done) {
            (Some(run), Some(done)) => same(run, done),
            _ => false,
        };
        if run_here && done_here {
            return Compiled::from_build_script(found);
        }
        if run_here {
            panic!(
                "platform-guard: this crate's build script started the guard \
                 (Policy::build or try_build) but did not finish it: the guard failed or denied \
                 the build, and the script went on; fix what its output says (the program is \
                 not built on any other policy)"
            );
        }
        Compiled::own(found.package)
    }

    #[inline]
    const fn from_build_script(found: Found) -> Compiled {
        match (
            found.level,
            found.target,
            found.rule_index,
            found.rule,
            found.override_var,
            found.override_value,
        ) {
            (Some(level), Some(target), Some(index), Some(rule), Some(var), Some(value)) => {
                Compiled {
                    level: match Level::from_wire(level) {
                        Some(level) => level,
                        None => panic!(
                            "platform-guard: PLATFORM_GUARD_LEVEL from this crate's build script \
                             is not stable, experimental, unstable or unsupported"
                        ),
                    },
                    target,
                    rule: match parse_index(index) {
                        Ok(None) => None,
                        Ok(Some(i)) => Some((i, rule)),
                        Err(()) => panic!(
                            "platform-guard: PLATFORM_GUARD_RULE_INDEX from this crate's build \
                             script is not a number"
                        ),
                    },
                    override_var: Some(var),
                    override_value: value,
                    package: found.package,
                }
            }
            _ => panic!(
                "platform-guard: this crate's build script finished the guard but some of the \
                 PLATFORM_GUARD_* values it sets are missing"
            ),
        }
    }

    /// Zero-setup mode: this crate's own verdict, from its build.rs.
    #[inline]
    const fn own(package: &'static str) -> Compiled {
        let rule = match parse_index(env!("PLATFORM_GUARD_OWN_RULE")) {
            Ok(None) => {
                if !same(zero_setup::NO_MATCH, OWN_LEVEL.as_str()) {
                    panic!("platform-guard: its build script's cfg and rule disagree");
                }
                None
            }
            Ok(Some(i)) if i < zero_setup::RULES.len() => {
                if !same(zero_setup::RULES[i].level, OWN_LEVEL.as_str()) {
                    panic!("platform-guard: its build script's cfg and rule disagree");
                }
                Some((i, zero_setup::RULES[i].cfg))
            }
            _ => panic!("platform-guard: its build script wrote no valid rule index"),
        };
        let own = Compiled {
            level: OWN_LEVEL,
            target: env!("PLATFORM_GUARD_OWN_TARGET"),
            rule,
            override_var: None,
            override_value: env!("PLATFORM_GUARD_OWN_VALUE"),
            package,
        };
        own.refuse_bad_deny(env!("PLATFORM_GUARD_OWN_BAD_DENY"));
        own.deny_unless_lifted(
            env!("PLATFORM_GUARD_OWN_DENIED_BY"),
            env!("PLATFORM_GUARD_OWN_LIFTS"),
        );
        own
    }

    /// Zero-setup mode: `PLATFORM_GUARD_DENY` set to something that is not
    /// a level (`bad` is `=` and the value as Rust escapes it in a string,
    /// empty when it is fine) is a compile error, worded as a build script
    /// words it.
    #[inline]
    const fn refuse_bad_deny(&self, bad: &str) {
        if bad.is_empty() {
            return;
        }
        let mut m = Text::new();
        m = m.push("platform-guard: PLATFORM_GUARD_DENY: unknown support level \"");
        m = m.push_from(bad, 1);
        m = m.push("\": expected one of stable, experimental, unstable, unsupported (lowercase)");
        panic!("{}", m.as_str());
    }

    /// Zero-setup mode under `PLATFORM_GUARD_DENY`: this crate's build.rs
    /// noted the level denying this target (`denied_by`, empty for none) and
    /// every `*_UNSUPPORTED_ARCH` variable holding the target's exact value
    /// (`lifts`, comma-separated). Unless this package's own variable is one
    /// of them, the build is denied: a compile error with the message a
    /// build script's denial gives.
    #[inline]
    const fn deny_unless_lifted(&self, denied_by: &str, lifts: &str) {
        if denied_by.is_empty() || lifts_for(self.package, lifts) {
            return;
        }
        panic!("{}", self.denial(denied_by).as_str());
    }

    /// The denial's message, as a build script's denial words it.
    #[inline]
    const fn denial(&self, denied_by: &str) -> Text {
        let mut m = Text::new();
        m = m.push("platform-guard: building for ");
        m = m.push(self.level.as_str());
        m = m.push(" target ");
        m = m.push(self.target);
        m = match self.rule {
            Some((_, rule)) => m.push(" (rule `").push(rule).push("`)"),
            None => m.push(" (no rule matched)"),
        };
        m = m.push(" is denied by PLATFORM_GUARD_DENY=");
        m = m.push(denied_by);
        m = m.push("; set ");
        m = m.push_var(self.package);
        m = m.push("=");
        m = m.push(self.override_value);
        m.push(" to build anyway")
    }

    /// Whether this verdict can refuse to run (a constant after inlining).
    #[doc(hidden)]
    #[inline(always)]
    pub const fn may_refuse(&self) -> bool {
        self.level.refuses_to_run()
    }

    /// [`Compiled::may_refuse`] for `enforce!()`, which is a compile error
    /// where a refusal could neither be seen nor lifted: a WebAssembly
    /// target without an operating system has no environment and no stderr,
    /// so the program would only trap.
    #[doc(hidden)]
    #[inline]
    pub const fn may_refuse_here(&self) -> bool {
        let may = self.may_refuse();
        if may && NO_ENVIRONMENT {
            panic!(
                "platform-guard: enforce!() could refuse on this target, but a program for a \
                 WebAssembly target without an operating system (such as \
                 wasm32-unknown-unknown) has no environment to lift the guard and no stderr to \
                 say why; use check!() and handle the refusal, or give the target a level that \
                 runs"
            );
        }
        may
    }

    /// The verdict as a value.
    #[inline]
    fn verdict(&self) -> Verdict {
        let var = match self.override_var {
            Some(var) => Cow::Borrowed(var),
            None => Cow::Owned(package_override_var(self.package)),
        };
        Verdict::new(
            Cow::Borrowed(self.target),
            self.level,
            match self.rule {
                Some((i, text)) => Some((i, Cow::Borrowed(text))),
                None => None,
            },
            var,
            Cow::Borrowed(self.override_value),
        )
    }
}

/// Whether programs for this target have no environment and no stderr.
const NO_ENVIRONMENT: bool = cfg!(all(target_family = "wasm", target_os = "unknown"));

/// Whether `lifts` (comma-separated variable names) holds `package`'s
/// `<PACKAGE>_UNSUPPORTED_ARCH`.
#[inline]
const fn lifts_for(package: &str, lifts: &str) -> bool {
    let lifts = lifts.as_bytes();
    let mut start = 0;
    while start < lifts.len() {
        let mut end = start;
        while end < lifts.len() && lifts[end] != b',' {
            end += 1;
        }
        if names_var(package, lifts, start, end) {
            return true;
        }
        start = end + 1;
    }
    false
}

/// Whether `text[start..end]` is `package`'s `<PACKAGE>_UNSUPPORTED_ARCH`
/// (as `package_override_var` writes it).
#[inline]
const fn names_var(package: &str, text: &[u8], start: usize, end: usize) -> bool {
    let pkg = package.as_bytes();
    let suffix = VAR_SUFFIX.as_bytes();
    let mut at = start;
    let mut i = 0;
    while i < pkg.len() {
        // One `_` or upper-case letter for each character: skip UTF-8
        // continuation bytes.
        if pkg[i] & 0xC0 != 0x80 {
            if at >= end || text[at] != var_byte(pkg[i]) {
                return false;
            }
            at += 1;
        }
        i += 1;
    }
    let mut j = 0;
    while j < suffix.len() {
        if at >= end || text[at] != suffix[j] {
            return false;
        }
        at += 1;
        j += 1;
    }
    at == end
}

/// The override variable's byte for a package name's first byte of a
/// character: ASCII letters upper-cased, digits kept, anything else `_`.
#[inline]
const fn var_byte(b: u8) -> u8 {
    if b.is_ascii_alphanumeric() {
        b.to_ascii_uppercase()
    } else {
        b'_'
    }
}

/// Text built in a `const fn`, which cannot allocate: a fixed buffer, cut
/// at its end.
struct Text {
    bytes: [u8; 1024],
    len: usize,
}

impl Text {
    #[inline]
    const fn new() -> Text {
        Text {
            bytes: [0; 1024],
            len: 0,
        }
    }

    #[inline]
    const fn push(self, s: &str) -> Text {
        self.push_from(s, 0)
    }

    /// `s` from byte `from` on (past an ASCII mark).
    #[inline]
    const fn push_from(mut self, s: &str, from: usize) -> Text {
        let s = s.as_bytes();
        let mut i = from;
        while i < s.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = s[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// `<PACKAGE>_UNSUPPORTED_ARCH` for `package`.
    #[inline]
    const fn push_var(mut self, package: &str) -> Text {
        let pkg = package.as_bytes();
        let mut i = 0;
        while i < pkg.len() && self.len < self.bytes.len() {
            if pkg[i] & 0xC0 != 0x80 {
                self.bytes[self.len] = var_byte(pkg[i]);
                self.len += 1;
            }
            i += 1;
        }
        self.push(VAR_SUFFIX)
    }

    #[inline]
    const fn as_str(&self) -> &str {
        let mut s: &[u8] = &self.bytes;
        while s.len() > self.len {
            if let [rest @ .., _] = s {
                s = rest;
            }
        }
        match core::str::from_utf8(s) {
            Ok(s) => s,
            // Cut inside a character: only possible past 1024 bytes.
            Err(_) => "platform-guard: this build is denied by PLATFORM_GUARD_DENY",
        }
    }
}

/// Whether a guard run's mark (`<manifest dir>#<run id>`) names the crate
/// whose manifest dir is `this`.
#[inline]
const fn marks(mark: &str, this: &str) -> bool {
    let (mark, this) = (mark.as_bytes(), this.as_bytes());
    if mark.len() <= this.len() + 1 || mark[this.len()] != b'#' {
        return false;
    }
    let mut i = 0;
    while i < this.len() {
        if mark[i] != this[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `""` is no rule; otherwise a decimal index.
#[inline]
const fn parse_index(text: &str) -> Result<Option<usize>, ()> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes.len() > 9 {
        return Err(());
    }
    let mut n = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            return Err(());
        }
        n = n * 10 + (bytes[i] - b'0') as usize;
        i += 1;
    }
    Ok(Some(n))
}

/// Whether the lifted-guard warning was printed by this process.
static WARNED: AtomicBool = AtomicBool::new(false);

/// The override variable's value, read from the process environment: the
/// runtime gate's one read of it (the crate's only other door to the
/// environment is `BuildEnv`, for build scripts).
#[inline]
#[allow(clippy::disallowed_methods)]
fn override_value(verdict: &Verdict) -> Option<std::ffi::OsString> {
    std::env::var_os(verdict.override_var())
}

/// `check!()`: the verdict, or why the program must not run.
#[doc(hidden)]
#[inline]
pub fn check(compiled: &Compiled) -> Result<Verdict, Refusal> {
    let verdict = compiled.verdict();
    if !compiled.may_refuse() {
        return Ok(verdict);
    }
    let value = override_value(&verdict);
    verdict.clone().decide(value.as_deref()).map(|_| verdict)
}

/// `enforce!()` on a target that may refuse: decide, print one line, and
/// exit with status 1 on a refusal. The lifted-guard warning is printed
/// once per process, however often it is called. Never panics, even when
/// stderr is closed or broken.
#[doc(hidden)]
#[inline]
#[cold]
pub fn enforce(compiled: &Compiled) {
    let verdict = compiled.verdict();
    let value = override_value(&verdict);
    match verdict.clone().decide(value.as_deref()) {
        Ok(Run::Runs) => {}
        Ok(Run::Lifted) => {
            if !WARNED.swap(true, Ordering::Relaxed) {
                let _ = writeln!(std::io::stderr(), "{}", verdict.lifted_warning());
            }
        }
        Err(refusal) => {
            let _ = writeln!(std::io::stderr(), "{}", refusal);
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: &str = "/src/app";
    const RUN: &str = "/src/app#7.8";

    const fn found(run: Option<&'static str>, done: Option<&'static str>) -> Found {
        Found {
            this: HERE,
            package: "my-app",
            run,
            done,
            level: Some("unstable"),
            target: Some("i686-unknown-linux-gnu"),
            rule_index: Some("1"),
            rule: Some("unix"),
            override_var: Some("APP_ARCH"),
            override_value: Some("x86"),
        }
    }

    #[test]
    fn the_build_script_s_verdict_is_used_only_for_its_own_crate() {
        const MINE: Compiled = Compiled::select(found(Some(RUN), Some(RUN)));
        let v = MINE.verdict();
        assert_eq!(v.level(), Level::Unstable);
        assert_eq!(v.rule(), Some("unix"));
        assert_eq!(v.rule_index(), Some(1));
        assert_eq!(v.override_var(), "APP_ARCH");
        assert!(MINE.may_refuse());
        // Another crate's values, or values from the environment: ignored.
        for (run, done) in [
            (Some("/src/outer#1.1"), Some("/src/outer#1.1")),
            (None, None),
            (None, Some(RUN)),
            (Some("/src/app/#7.8"), Some("/src/app/#7.8")),
            (Some(HERE), Some(HERE)),
            (Some("/src/ap#7.8"), Some("/src/ap#7.8")),
        ] {
            let c = Compiled::select(found(run, done));
            assert_eq!(c.level, OWN_LEVEL, "{:?} {:?}", run, done);
            assert_eq!(c.verdict().override_var(), "MY_APP_UNSUPPORTED_ARCH");
        }
    }

    #[test]
    fn only_the_package_s_own_variable_lifts_a_zero_setup_denial() {
        assert!(lifts_for("my-app", "MY_APP_UNSUPPORTED_ARCH"));
        assert!(lifts_for(
            "my-app",
            "A_UNSUPPORTED_ARCH,MY_APP_UNSUPPORTED_ARCH"
        ));
        assert!(lifts_for("größe", "GR__E_UNSUPPORTED_ARCH"));
        assert!(!lifts_for("my-app", ""));
        assert!(!lifts_for("my-app", "MY_APPUNSUPPORTED_ARCH"));
        assert!(!lifts_for("my-app", "MY_APP_UNSUPPORTED_ARCH_"));
        assert!(!lifts_for("my", "MY_APP_UNSUPPORTED_ARCH"));
        assert!(!lifts_for("my-app", "XMY_APP_UNSUPPORTED_ARCH"));
    }

    /// The compile error of a denied zero-setup build says what a build
    /// script's denial says.
    #[cfg(feature = "build")]
    #[test]
    fn a_zero_setup_denial_reads_as_a_build_script_s() {
        use crate::{BuildEnv, Policy};
        let triple = "i686-unknown-linux-gnu";
        let cfg = crate::TargetCfg::from_rustc_cfg(
            triple,
            "target_arch=\"x86\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"32\"\n",
        )
        .unwrap();
        let policy = Policy::default_policy(package_override_var("größe-app"));
        let verdict = policy.classify(&cfg);
        let env = BuildEnv::from_vars([("PLATFORM_GUARD_DENY", "unsupported")]);
        let engine = policy.build_decision(&verdict, &env).unwrap();
        let c = Compiled {
            level: Level::Unsupported,
            target: triple,
            rule: None,
            override_var: None,
            override_value: "x86",
            package: "größe-app",
        };
        assert_eq!(
            c.denial("unsupported").as_str(),
            format!("platform-guard: {}", engine)
        );
        let long = Compiled {
            target: "x",
            rule: Some((0, "a")),
            ..c
        };
        assert!(long.denial("stable").as_str().contains("(rule `a`)"));
    }

    /// `DONE` from another run of the same package (an enclosing build's,
    /// left in the environment) does not finish this run.
    #[test]
    #[should_panic(expected = "this crate's build script started the guard")]
    fn an_end_mark_of_another_run_does_not_finish_this_one() {
        Compiled::select(found(Some(RUN), Some("/src/app#1.1")));
    }

    #[test]
    fn rule_indexes_parse_exactly() {
        assert_eq!(parse_index(""), Ok(None));
        assert_eq!(parse_index("0"), Ok(Some(0)));
        assert_eq!(parse_index("12"), Ok(Some(12)));
        assert_eq!(parse_index("1a"), Err(()));
        assert_eq!(parse_index("-1"), Err(()));
        assert_eq!(parse_index("1234567890"), Err(()));
    }

    #[test]
    fn the_crate_s_own_verdict_comes_from_its_build_script() {
        let own = Compiled::own("zero");
        assert_eq!(own.level, OWN_LEVEL);
        assert_eq!(own.target, env!("PLATFORM_GUARD_OWN_TARGET"));
        match own.rule {
            Some((i, text)) => assert_eq!(text, zero_setup::RULES[i].cfg),
            None => assert_eq!(OWN_LEVEL.as_str(), zero_setup::NO_MATCH),
        }
    }
}
