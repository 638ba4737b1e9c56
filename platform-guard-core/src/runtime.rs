//! The run-time gate behind `enforce!()` and `check!()`.
//!
//! The verdict is fixed at compile time, in the crate that expands the
//! macro. It is that crate's own verdict only when that crate's build script
//! made it for this compile: the build script writes
//! `PLATFORM_GUARD_RUN=<its manifest dir>#<its OUT_DIR>#<run id>` before it
//! does anything else and the same value as `PLATFORM_GUARD_DONE` after the
//! verdict, as `rustc-env` values, and the macros compare `RUN` with the
//! crate's own `CARGO_MANIFEST_DIR` and `OUT_DIR` and `DONE` with `RUN`:
//!
//! - both match: the verdict in the other `PLATFORM_GUARD_*` values is this
//!   crate's, from this run of the build script that Cargo runs for this
//!   compile (its `OUT_DIR` is the compile's: another target, profile or
//!   feature set of the same package has another one; a build script's
//!   `rustc-env` values override the environment, and a `DONE` left over
//!   from another run has another run id). The values the build script
//!   assumed for names Cargo decides per compile (`PLATFORM_GUARD_ASSUMED`,
//!   see `src/compile.rs`) must be this compile's own;
//! - `RUN` matches but `DONE` does not: the build script started the guard
//!   and failed, or ignored a denial, before finishing; that stops the
//!   compile, never a quiet switch to another policy;
//! - otherwise (no build script of its own, one that did not run the guard,
//!   or values that reached the compiler from an enclosing build or the
//!   environment): zero-setup mode, this crate's own verdict, unless the
//!   crate's Cargo.toml states a `[package.metadata.platform-guard]` table,
//!   which no build script read: that stops the compile too. platform-guard's
//!   build.rs classified the target with the default policy and set the
//!   `platform_support` cfg on platform-guard, which `cfg_if!` turns into
//!   the level of the [`Own`] it gives the macros there, and `rustc-env`
//!   values for the rest. The consumer's
//!   macros cannot test `platform_support` themselves: in zero-setup mode
//!   that cfg is undeclared in the consumer's crate, and rustc (1.85+)
//!   reports `unexpected_cfgs` inside external macros.
//!
//! Whatever stops a compile is returned as one message, which the macro
//! panics with in its own `const` (one `evaluation panicked` error at the
//! macro's call site, with no notes pointing into this crate).

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::compile::{self, Compile};
use crate::const_text::{names_var, parse_index, same, split_once, strip_prefix, Text};
use crate::cpu;
use crate::level::Level;
use crate::manifest_scan;
use crate::override_var::package_override_var;
use crate::record::{List, Record};
use crate::verdict::{Refusal, Run, Verdict, NO_RULE};
use crate::zero_setup;

/// What platform-guard's build script found for zero-setup mode: the
/// target classified with the default policy, and `PLATFORM_GUARD_DENY` as
/// it read it. platform-guard (the crate with the build script) makes it
/// from its `platform_support` cfg and its build script's `rustc-env`
/// values; the macros give it to [`Compiled::select`] in [`Found::own`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Own {
    /// The `platform_support` cfg.
    pub level: Level,
    /// `TARGET`.
    pub target: &'static str,
    /// The index of the default policy's rule that matched, as text, or
    /// empty where none did.
    pub rule: &'static str,
    /// `CARGO_CFG_TARGET_ARCH`: the override variable's expected value.
    pub value: &'static str,
    /// `=` and `PLATFORM_GUARD_DENY` as Rust escapes it in a string, where
    /// it is not a level; empty otherwise.
    pub bad_deny: &'static str,
    /// The level `PLATFORM_GUARD_DENY` denies the target at, or empty.
    pub denied_by: &'static str,
    /// The `<PACKAGE>_UNSUPPORTED_ARCH` variables that lift a denial, as
    /// the build script lists them.
    pub lifts: &'static str,
    /// Whether platform-guard was compiled with the CPU gate.
    pub gate: bool,
}

/// The manifest table the zero-setup macros look for.
const TABLE: [&str; 3] = ["package", "metadata", "platform-guard"];

/// The largest Cargo.toml the zero-setup macros read at compile time (the
/// compile-time interpreter's budget; real manifests are a few KiB).
const MAX_SCANNED: usize = 64 << 10;

/// The compile-time values the macros found in the crate that expands them
/// (`option_env!`, `env!`, `cfg!()`, `include_bytes!`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Found {
    /// The expanding crate's `CARGO_MANIFEST_DIR`.
    pub this: &'static str,
    /// The expanding crate's `CARGO_PKG_NAME`.
    pub package: &'static str,
    /// The expanding crate's `CARGO_PKG_VERSION`.
    pub version: &'static str,
    /// The expanding crate's `OUT_DIR`: its build script's, when it has one.
    pub out_dir: Option<&'static str>,
    /// The expanding crate's Cargo.toml.
    pub manifest: &'static [u8],
    /// The expanding compile's own per-compile cfg values.
    pub compile: Compile,
    /// The CPU features the expanding compile assumes (`cpu::mask`).
    pub features: u64,
    pub run: Option<&'static str>,
    pub done: Option<&'static str>,
    pub level: Option<&'static str>,
    pub target: Option<&'static str>,
    pub rule_index: Option<&'static str>,
    pub rule: Option<&'static str>,
    pub override_var: Option<&'static str>,
    pub override_value: Option<&'static str>,
    pub assumed: Option<&'static str>,
    /// platform-guard's own verdict, for zero-setup mode.
    pub own: Own,
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
    /// The package's version, for the record.
    version: &'static str,
    /// The CPU features the compile assumes (`cpu::mask`).
    features: u64,
    /// Which `Lift<N>` warning the compile prints (0: none).
    lift: usize,
    /// Whether platform-guard has the CPU gate in this build.
    gate: bool,
}

impl Compiled {
    /// The crate's own verdict when its build script made one for this
    /// compile, else this crate's zero-setup verdict; or the message that
    /// stops the compile. Evaluated in a `const`, so every inconsistency
    /// stops the compile, never surprises the program at run time.
    #[doc(hidden)]
    #[inline]
    pub const fn select(found: Found) -> Result<Compiled, Text> {
        if let Err(stop) = cpu::agrees(found.features) {
            return Err(stop);
        }
        let run_here = match (found.run, found.out_dir) {
            (Some(run), Some(out_dir)) => marks(run, found.this, out_dir),
            _ => false,
        };
        let done_here = match (found.run, found.done) {
            (Some(run), Some(done)) => same(run, done),
            _ => false,
        };
        if run_here && done_here {
            let compiled = Compiled::from_build_script(found);
            if let Ok(compiled) = compiled {
                if let Err(stop) = compile::check(
                    match found.assumed {
                        Some(a) => a,
                        None => "",
                    },
                    found.compile,
                ) {
                    return Err(stop);
                }
                return Ok(compiled);
            }
            return compiled;
        }
        if run_here {
            return Err(Text::new().push(
                "platform-guard: this crate's build script started the guard (Policy::build or \
                 try_build) but did not finish it: the guard failed or denied the build, and \
                 the script went on; fix what its output says (the program is not built on any \
                 other policy)",
            ));
        }
        if found.manifest.len() > MAX_SCANNED {
            return Err(Text::new().push(
                "platform-guard: this package's Cargo.toml is larger than 64 KiB, too large to \
                 check at compile time for a [package.metadata.platform-guard] table that no \
                 build script reads: give the package a build script that runs the guard \
                 (platform_guard::Policy::from_manifest().build(), or \
                 Policy::default_policy(...).build())",
            ));
        }
        if manifest_scan::defines(found.manifest, &TABLE) {
            return Err(Text::new().push(
                "platform-guard: this package's Cargo.toml has a \
                 [package.metadata.platform-guard] table, but no build script of the package \
                 ran the guard, so the table would be ignored (this crate would get the \
                 default policy): add build.rs `fn main() { \
                 platform_guard::Policy::from_manifest().build(); }` with platform-guard as a \
                 build-dependency (features = [\"manifest\"]), or remove the table",
            ));
        }
        Compiled::own(found)
    }

    #[inline]
    const fn from_build_script(found: Found) -> Result<Compiled, Text> {
        let (level, target, index, rule, var, value) = match (
            found.level,
            found.target,
            found.rule_index,
            found.rule,
            found.override_var,
            found.override_value,
        ) {
            (Some(l), Some(t), Some(i), Some(r), Some(v), Some(x)) => (l, t, i, r, v, x),
            _ => {
                return Err(Text::new().push(
                    "platform-guard: this crate's build script finished the guard but some of \
                     the PLATFORM_GUARD_* values it sets are missing",
                ))
            }
        };
        let level =
            match Level::from_wire(level) {
                Some(level) => level,
                None => return Err(Text::new().push(
                    "platform-guard: PLATFORM_GUARD_LEVEL from this crate's build script is not \
                     stable, experimental, unstable or unsupported",
                )),
            };
        let rule =
            match parse_index(index) {
                Ok(None) => None,
                Ok(Some(i)) => Some((i, rule)),
                Err(()) => return Err(Text::new().push(
                    "platform-guard: PLATFORM_GUARD_RULE_INDEX from this crate's build script is \
                     not a number",
                )),
            };
        Ok(Compiled {
            level,
            target,
            rule,
            override_var: Some(var),
            override_value: value,
            package: found.package,
            version: found.version,
            features: found.features,
            lift: 0,
            gate: found.own.gate,
        })
    }

    /// Zero-setup mode: this crate's own verdict, from its build.rs.
    #[inline]
    const fn own(found: Found) -> Result<Compiled, Text> {
        let package = found.package;
        let own_facts = found.own;
        let broken = "platform-guard: its build script's cfg and rule disagree";
        let rule = match parse_index(own_facts.rule) {
            Ok(None) if same(zero_setup::NO_MATCH, own_facts.level.as_str()) => None,
            Ok(Some(i))
                if i < zero_setup::RULES.len()
                    && same(zero_setup::RULES[i].level, own_facts.level.as_str()) =>
            {
                Some((i, zero_setup::RULES[i].cfg))
            }
            _ => return Err(Text::new().push(broken)),
        };
        let mut own = Compiled {
            level: own_facts.level,
            target: own_facts.target,
            rule,
            override_var: None,
            override_value: own_facts.value,
            package,
            version: found.version,
            features: found.features,
            lift: 0,
            gate: own_facts.gate,
        };
        let bad = own_facts.bad_deny;
        if !bad.is_empty() {
            // `bad` is `=` and the value as Rust escapes it in a string.
            return Err(Text::new()
                .push("platform-guard: PLATFORM_GUARD_DENY: unknown support level \"")
                .push_from(bad, 1)
                .push(
                    "\": expected one of stable, experimental, unstable, unsupported (lowercase)",
                ));
        }
        let denied_by = own_facts.denied_by;
        if !denied_by.is_empty() {
            match lift_of(package, own_facts.lifts) {
                Some(n) => own.lift = n,
                None => return Err(own.denial(denied_by)),
            }
        }
        Ok(own)
    }

    /// The denial's message, as a build script's denial words it.
    #[inline]
    const fn denial(&self, denied_by: &str) -> Text {
        let mut m = Text::new();
        m = m.push("platform-guard: building for ");
        m = m.push(self.level.as_str());
        m = m.push(" target ");
        m = m.push(self.target);
        // `RuleName`'s words, in a `const fn`, which cannot format.
        m = match self.rule {
            Some((_, rule)) => m.push(" (rule `").push(rule).push("`)"),
            None => m.push(" (").push(NO_RULE).push(")"),
        };
        m = m.push(" is denied by PLATFORM_GUARD_DENY=");
        m = m.push(denied_by);
        m = m.push("; set ");
        m = m.push_var(self.package);
        m = m.push("=");
        m = m.push(self.override_value);
        m.push(" to build anyway")
    }

    /// The record of this verdict that the program carries (`src/record.rs`)
    /// for `enforce!()` (`mode` "enforce") or `check!()` ("check").
    #[doc(hidden)]
    #[inline]
    pub const fn record(&self, mode: &str) -> Record {
        let mut r = Record::new()
            .line(&["target=", self.target])
            .line(&["level=", self.level.as_str()]);
        r = match self.override_var {
            Some(var) => r.line(&["override-var=", var]),
            None => {
                let var = Text::new().push_var(self.package);
                r.line(&["override-var=", var.as_str()])
            }
        };
        r = r.line(&["override-value=", self.override_value]);
        let mut features = List::new();
        let mut i = 0;
        while i < cpu::TABLE.len() {
            if self.features & (1 << i) != 0 {
                features = features.push(cpu::TABLE[i]);
            }
            i += 1;
        }
        r = r.line(&["features=", features.as_str()]);
        let level = cpu::x86_64_level(self.features);
        if level > 0 {
            let digits = ["0", "1", "2", "3", "4"];
            r = r.line(&["x86-64-level=", digits[level]]);
        }
        r = r.line(&["cpu-gate=", if self.gate { mode } else { "none" }]);
        r = r.line(&["package=", self.package, " ", self.version]);
        r.line(&["guard=", env!("CARGO_PKG_VERSION")]).end()
    }

    /// Which `Lift<N>` warning the compile prints (0: none).
    #[doc(hidden)]
    #[inline(always)]
    pub const fn lift(&self) -> usize {
        self.lift
    }

    /// Whether this verdict can refuse to run (a constant after inlining).
    #[doc(hidden)]
    #[inline(always)]
    pub const fn may_refuse(&self) -> bool {
        self.level.refuses_to_run()
    }

    /// [`Compiled::may_refuse`] for `enforce!()`, which stops the compile
    /// where a refusal could neither be seen nor lifted: a WebAssembly
    /// target without an operating system has no environment and no stderr,
    /// so the program would only trap.
    #[doc(hidden)]
    #[inline]
    pub const fn may_refuse_here(&self) -> Result<bool, Text> {
        let may = self.may_refuse();
        if may && NO_ENVIRONMENT {
            return Err(Text::new().push(
                "platform-guard: enforce!() could refuse on this target, but a program for a \
                 WebAssembly target without an operating system (such as \
                 wasm32-unknown-unknown) has no environment to lift the guard and no stderr to \
                 say why; use check!() and handle the refusal, or give the target a level that \
                 runs",
            ));
        }
        Ok(may)
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

/// Where `package`'s `<PACKAGE>_UNSUPPORTED_ARCH` stands in `lifts`
/// (comma-separated variable names), counted from 1: the `Lift<N>` whose
/// warning names it.
#[inline]
const fn lift_of(package: &str, lifts: &str) -> Option<usize> {
    let mut rest = lifts.as_bytes();
    let mut n = 1;
    while !rest.is_empty() {
        let (name, more) = split_once(rest, b',');
        if names_var(package, name) {
            return Some(n);
        }
        rest = more;
        n += 1;
    }
    None
}

/// Whether a guard run's mark (`<manifest dir>#<OUT_DIR>#<run id>`) was
/// made for the compile whose manifest dir is `this` and whose `OUT_DIR`
/// is `out_dir`.
#[inline]
const fn marks(mark: &str, this: &str, out_dir: &str) -> bool {
    let rest = match strip_prefix(mark.as_bytes(), this.as_bytes()) {
        Some([b'#', rest @ ..]) => rest,
        _ => return false,
    };
    match strip_prefix(rest, out_dir.as_bytes()) {
        Some([b'#', id @ ..]) => !id.is_empty(),
        _ => false,
    }
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

/// `check!()`: the verdict, or why the program must not run; `missing` is
/// what the CPU gate found missing before `main` (always 0 where the build
/// has no gate).
#[doc(hidden)]
#[inline]
pub fn check(compiled: &Compiled, missing: u64) -> Result<Verdict, Refusal> {
    let verdict = compiled.verdict();
    if missing != 0 {
        return Err(Refusal::cpu(verdict, missing));
    }
    if !compiled.may_refuse() {
        return Ok(verdict);
    }
    let value = override_value(&verdict);
    verdict.clone().decide(value.as_deref()).map(|_| verdict)
}

/// What `enforce!()` calls: nothing where the verdict cannot refuse
/// (`MayRefuse<false>`), so that a program compiles nothing of the refusal
/// path there, not even to look at it; [`enforce`] where it can.
#[doc(hidden)]
pub struct MayRefuse<const MAY: bool>;

/// See [`MayRefuse`].
#[doc(hidden)]
pub trait Enforce {
    /// Decides, and refuses to run if the verdict says so.
    fn enforce(compiled: &Compiled);
}

impl Enforce for MayRefuse<false> {
    #[inline(always)]
    fn enforce(_: &Compiled) {}
}

impl Enforce for MayRefuse<true> {
    #[inline(always)]
    fn enforce(compiled: &Compiled) {
        enforce(compiled)
    }
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
    const OUT: &str = "/src/app/target/debug/build/app-1/out";
    const RUN: &str = "/src/app#/src/app/target/debug/build/app-1/out#7.8";
    const DEBUG: Compile = Compile {
        debug_assertions: true,
        panic: "unwind",
    };

    /// platform-guard's own verdict, as its build script could give it.
    const OWN: Own = Own {
        level: Level::Stable,
        target: "x86_64-unknown-linux-gnu",
        rule: "0",
        value: "x86_64",
        bad_deny: "",
        denied_by: "",
        lifts: "",
        gate: false,
    };

    const fn found(run: Option<&'static str>, done: Option<&'static str>) -> Found {
        Found {
            this: HERE,
            package: "my-app",
            version: "1.2.3",
            out_dir: Some(OUT),
            manifest: b"[package]\nname = \"my-app\"\n",
            compile: DEBUG,
            features: 0,
            run,
            done,
            level: Some("unstable"),
            target: Some("i686-unknown-linux-gnu"),
            rule_index: Some("1"),
            rule: Some("unix"),
            override_var: Some("APP_ARCH"),
            override_value: Some("x86"),
            assumed: Some(""),
            own: OWN,
        }
    }

    fn select(found: Found) -> Compiled {
        match Compiled::select(found) {
            Ok(c) => c,
            Err(stop) => panic!("{}", stop.as_str()),
        }
    }

    #[test]
    fn the_build_script_s_verdict_is_used_only_for_its_own_compile() {
        const MINE: Compiled = match Compiled::select(found(Some(RUN), Some(RUN))) {
            Ok(c) => c,
            Err(_) => panic!("not selected"),
        };
        let v = MINE.verdict();
        assert_eq!(v.level(), Level::Unstable);
        assert_eq!(v.rule(), Some("unix"));
        assert_eq!(v.rule_index(), Some(1));
        assert_eq!(v.override_var(), "APP_ARCH");
        assert!(MINE.may_refuse());
        // Another crate's or compile's values, or values from the
        // environment: ignored.
        let other_out = "/src/app#/src/app/target/wasm32-unknown-unknown/debug/build/app-2/out#7.8";
        for (run, done) in [
            (Some("/src/outer#/o#1.1"), Some("/src/outer#/o#1.1")),
            (None, None),
            (None, Some(RUN)),
            (Some(other_out), Some(other_out)),
            (
                Some("/src/app/#/src/app/target/debug/build/app-1/out#7.8"),
                Some("/src/app/#/src/app/target/debug/build/app-1/out#7.8"),
            ),
            (Some(HERE), Some(HERE)),
            (Some("/src/app#7.8"), Some("/src/app#7.8")),
            (
                Some("/src/app#/src/app/target/debug/build/app-1/out#"),
                Some("/src/app#/src/app/target/debug/build/app-1/out#"),
            ),
            (
                Some("/src/ap#/src/app/target/debug/build/app-1/out#7.8"),
                Some("/src/ap#/src/app/target/debug/build/app-1/out#7.8"),
            ),
        ] {
            let c = select(found(run, done));
            assert_eq!(c.level, OWN.level, "{:?} {:?}", run, done);
            assert_eq!(c.verdict().override_var(), "MY_APP_UNSUPPORTED_ARCH");
        }
        // A crate without a build script has no OUT_DIR of its own: a mark
        // never matches then.
        let no_out = Found {
            out_dir: None,
            ..found(Some(RUN), Some(RUN))
        };
        assert_eq!(select(no_out).level, OWN.level);
    }

    #[test]
    fn the_compile_must_have_the_values_the_build_script_assumed() {
        let assumed = |a: &'static str| Found {
            assumed: Some(a),
            ..found(Some(RUN), Some(RUN))
        };
        assert!(Compiled::select(assumed("debug_assertions=on,panic=unwind")).is_ok());
        let stop = Compiled::select(assumed("panic=abort")).unwrap_err();
        assert!(stop
            .as_str()
            .contains("decided its verdict with panic = \"abort\""));
        assert!(Compiled::select(assumed("debug_assertions=off")).is_err());
    }

    #[test]
    fn a_table_no_build_script_read_stops_a_zero_setup_compile() {
        let with_table = Found {
            manifest:
                b"[package]\nname = \"a\"\n[package.metadata.platform-guard]\npreset = \"etcd\"\n",
            ..found(None, None)
        };
        let stop = Compiled::select(with_table).unwrap_err();
        assert!(stop.as_str().starts_with(
            "platform-guard: this package's Cargo.toml has a [package.metadata.platform-guard] \
             table, but no build script of the package ran the guard"
        ));
        // With a finished guard run the table is the build script's business.
        let read = Found {
            run: Some(RUN),
            done: Some(RUN),
            ..with_table
        };
        assert!(Compiled::select(read).is_ok());
        static HUGE: [u8; MAX_SCANNED + 1] = [b' '; MAX_SCANNED + 1];
        let too_large = Found {
            manifest: &HUGE,
            ..found(None, None)
        };
        assert!(Compiled::select(too_large)
            .unwrap_err()
            .as_str()
            .contains("larger than 64 KiB"));
    }

    #[test]
    fn only_the_package_s_own_variable_lifts_a_zero_setup_denial() {
        assert_eq!(lift_of("my-app", "MY_APP_UNSUPPORTED_ARCH"), Some(1));
        assert_eq!(
            lift_of("my-app", "A_UNSUPPORTED_ARCH,MY_APP_UNSUPPORTED_ARCH"),
            Some(2)
        );
        assert_eq!(lift_of("größe", "GR__E_UNSUPPORTED_ARCH"), Some(1));
        for (package, lifts) in [
            ("my-app", ""),
            ("my-app", "MY_APPUNSUPPORTED_ARCH"),
            ("my-app", "MY_APP_UNSUPPORTED_ARCH_"),
            ("my", "MY_APP_UNSUPPORTED_ARCH"),
            ("my-app", "XMY_APP_UNSUPPORTED_ARCH"),
        ] {
            assert_eq!(lift_of(package, lifts), None, "{} {}", package, lifts);
        }
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
            version: "0.1.0",
            features: 0,
            lift: 0,
            gate: false,
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
    fn an_end_mark_of_another_run_does_not_finish_this_one() {
        let stop = Compiled::select(found(
            Some(RUN),
            Some("/src/app#/src/app/target/debug/build/app-1/out#1.1"),
        ))
        .unwrap_err();
        assert!(stop
            .as_str()
            .contains("this crate's build script started the guard"));
    }

    #[test]
    fn the_crate_s_own_verdict_comes_from_its_build_script() {
        let own = select(found(None, None));
        assert_eq!(own.level, OWN.level);
        assert_eq!(own.target, OWN.target);
        match own.rule {
            Some((i, text)) => assert_eq!(text, zero_setup::RULES[i].cfg),
            None => assert_eq!(OWN.level.as_str(), zero_setup::NO_MATCH),
        }
    }
}
