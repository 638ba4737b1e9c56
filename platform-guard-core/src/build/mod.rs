//! `impl Policy`: the build-script side, `build()` and `try_build()`. Read
//! the build script's environment, classify the target being built, emit.
//!
//! The environment is read through [`BuildEnv`] only, so the whole flow runs
//! in tests with an explicit environment and an in-memory output.

pub(crate) mod decision;
pub(crate) mod emit;
pub(crate) mod env;
mod sources;
pub(crate) mod this_compile;
mod toolchain;

use std::io::{self, Write};

use self::decision::BuildDecision;
use self::emit::{Dialect, Directive, Emitter, ENV_ASSUMED, ENV_DONE, ENV_RUN};
use self::env::{BuildEnv, DENY_VAR, DOCS_RS_VAR};
use self::this_compile::ThisCompile;
use self::toolchain::Compiler;
use crate::error::{Detail, Error};
use crate::level::Level;
use crate::policy::Policy;
use crate::target::TargetCfg;
use crate::verdict::Verdict;

#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
impl Policy {
    /// Runs the guard in a build script: classifies the target Cargo is
    /// building for, writes the directives to standard output and returns
    /// the verdict.
    ///
    /// On a denial or any other error it does not return: it reports
    /// `platform-guard: <the error>` once, as a `cargo::error` directive with
    /// Cargo 1.84+ (the script then exits 0 and Cargo fails the build with
    /// that message and "build script logged errors"), or on standard error
    /// with exit status 1 on older toolchains and before the toolchain is
    /// known (outside Cargo).
    ///
    /// ```no_run
    /// # extern crate platform_guard_core as platform_guard;
    /// // build.rs
    /// platform_guard::Policy::new("MYAPP_UNSUPPORTED_ARCH")
    ///     .stable(r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")"#)
    ///     .deny(platform_guard::Level::Unsupported)
    ///     .build();
    /// ```
    pub fn build(&self) -> Verdict {
        let env = BuildEnv::from_process();
        let stdout = io::stdout();
        let mut out = stdout.lock();
        let (dialect, result) = self.run(&env, &mut out);
        match result {
            Ok(verdict) => verdict,
            Err(e) => {
                let message = format!("platform-guard: {}", e);
                let reported = dialect.map_or(false, |d| {
                    d.has_error()
                        && Emitter::new(&mut out, d)
                            .emit(Directive::Error(&message))
                            .is_ok()
                });
                if reported {
                    std::process::exit(0)
                }
                let _ = writeln!(io::stderr(), "error: {}", message);
                std::process::exit(1)
            }
        }
    }

    /// Like [`Policy::build`], but returns errors (including a denial, as
    /// [`ErrorKind::Denied`](crate::ErrorKind::Denied)) instead of reporting
    /// them and exiting. The program is still not built on a verdict the
    /// guard did not finish: if the script goes on after an error, the
    /// crate's `enforce!()` and `check!()` fail to compile.
    ///
    /// ```no_run
    /// # extern crate platform_guard_core as platform_guard;
    /// // build.rs
    /// if let Err(e) = platform_guard::Policy::etcd().try_build() {
    ///     println!("cargo::error=platform-guard: {}", e);
    /// }
    /// ```
    pub fn try_build(&self) -> Result<Verdict, Error> {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        self.try_build_in(&BuildEnv::from_process(), &mut out)
    }

    /// The build flow with an explicit environment and output.
    pub fn try_build_in(&self, env: &BuildEnv, out: &mut dyn Write) -> Result<Verdict, Error> {
        self.run(env, out).1
    }

    /// The flow, and the dialect errors can be reported in (once known).
    fn run(
        &self,
        env: &BuildEnv,
        out: &mut dyn Write,
    ) -> (Option<Dialect>, Result<Verdict, Error>) {
        // Before anything can fail: this run of the guard started, for this
        // compile (the crate's manifest dir, the build script's OUT_DIR, which
        // is this compile's, and what tells this run from any other).
        let mark = cargo_var(env, "CARGO_MANIFEST_DIR").and_then(|dir| {
            let out_dir = cargo_var(env, "OUT_DIR")?;
            Ok(format!("{}#{}#{}", dir, out_dir, run_id()))
        });
        let started = mark.and_then(|mark| {
            Emitter::new(&mut *out, Dialect::OLDEST)
                .emit(Directive::Env(ENV_RUN, &mark))
                .map(|()| mark)
        });
        let (mark, cargo_target) =
            match started.and_then(|mark| Ok((mark, TargetCfg::from_cargo_env(env.vars())?))) {
                Ok(started) => started,
                Err(e) => return (None, Err(e)),
            };
        // The compiler's cfg is needed when a rule tests a name whose
        // CARGO_CFG_* value could be left over from an enclosing build; it
        // runs while the version is asked for.
        let compiler = Compiler::from_env(env);
        let asks_compiler = this_compile::needs_compiler(self) && self.validate().is_ok();
        let pending = if asks_compiler {
            Some(compiler.start_cfg(env, cargo_target.triple()))
        } else {
            None
        };
        let (dialect, rustc_minor) = match compiler.dialect(env) {
            Ok(d) => d,
            Err(e) => return (None, Err(e)),
        };
        let compile = self.validate().and_then(|()| {
            let from_rustc = match pending {
                None => None,
                Some(pending) => Some(pending.and_then(|p| p.finish())?),
            };
            this_compile::describe(self, env, cargo_target, from_rustc, rustc_minor)
        });
        let result = compile.and_then(|compile| {
            let mut emitter = Emitter::new(&mut *out, dialect);
            if asks_compiler {
                // The compiler's answer changes with them (unstable cfgs, a
                // target spec found by name).
                for var in ["RUSTC_BOOTSTRAP", "RUST_TARGET_PATH"] {
                    emitter.emit(Directive::RerunIfEnvChanged(var))?;
                }
            }
            for var in &compile.inputs {
                emitter.emit(Directive::RerunIfEnvChanged(var))?;
            }
            self.guard(env, &compile, &mut emitter, &mark)
        });
        (Some(dialect), result)
    }

    /// The guard for the compile `compile` describes; `mark` (the crate's
    /// manifest dir, OUT_DIR and this run's id, already written as
    /// `PLATFORM_GUARD_RUN`) is written as `PLATFORM_GUARD_DONE` once the
    /// build is allowed.
    fn guard<W: Write>(
        &self,
        env: &BuildEnv,
        compile: &ThisCompile,
        emitter: &mut Emitter<W>,
        mark: &str,
    ) -> Result<Verdict, Error> {
        let target = &compile.cfg;
        let var = self.override_var();
        for watched in [var, DENY_VAR, DOCS_RS_VAR] {
            emitter.emit(Directive::RerunIfEnvChanged(watched))?;
        }
        for manifest in self.source_files() {
            emitter.emit(Directive::RerunIfChanged(manifest))?;
        }
        let rule_warnings = self.warnings();
        let warnings = rule_warnings
            .iter()
            .map(ToString::to_string)
            .chain(compile.warnings.iter().cloned())
            .chain(sources::warnings(self, env));
        for warning in warnings {
            emitter.emit(Directive::Warning(&format!("platform-guard: {}", warning)))?;
        }
        let verdict = self.classify(target);
        // Decided before anything about the verdict is written, so a bad
        // PLATFORM_GUARD_DENY fails the build before any cfg is set.
        let decision = self.build_decision(&verdict, env)?;
        emitter.emit_verdict(&verdict)?;
        emitter.emit(Directive::Env(ENV_ASSUMED, &compile.assumed))?;
        if verdict.level() != Level::Stable {
            emitter.emit(Directive::Warning(&non_stable_warning(&verdict)))?;
        }
        if verdict.level().refuses_to_run() && no_environment(target) {
            emitter.emit(Directive::Warning(&format!(
                "platform-guard: programs for {} have no environment and no stderr: their \
                 enforce!() would refuse and could never be lifted, so it does not compile \
                 there; use check!()",
                verdict.target()
            )))?;
        }
        match &decision {
            BuildDecision::Allowed => {}
            BuildDecision::Lifted { .. } => {
                emitter.emit(Directive::Warning(&format!("platform-guard: {}", decision)))?
            }
            BuildDecision::Denied(d) => return Err(Error::new(Detail::Denied(d.clone()))),
        }
        emitter.emit(Directive::Env(ENV_DONE, mark))?;
        Ok(verdict)
    }
}

/// A variable Cargo sets for every build script, as UTF-8; its absence
/// means the script runs outside Cargo.
fn cargo_var(env: &BuildEnv, key: &'static str) -> Result<String, Error> {
    env.get_str(key)?.ok_or_else(|| {
        Error::new(Detail::NotInCargo {
            missing: key,
            hint: "",
        })
    })
}

/// What tells this run of the guard from any other: a value of
/// `PLATFORM_GUARD_DONE` left over from another run (an enclosing build of
/// the same package) never matches this run's `PLATFORM_GUARD_RUN`.
fn run_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}.{}", std::process::id(), nanos)
}

/// WebAssembly without an operating system: no environment, no stderr.
fn no_environment(target: &TargetCfg) -> bool {
    matches!(target.arch(), "wasm32" | "wasm64") && target.os() == Some("unknown")
}

fn non_stable_warning(verdict: &Verdict) -> String {
    let consequence = if verdict.level().refuses_to_run() {
        format!(
            "its programs refuse to run unless {}={} is set",
            verdict.override_var(),
            verdict.override_value()
        )
    } else {
        "it is not fully supported".to_string()
    };
    format!(
        "platform-guard: target {} is {} ({}); {}",
        verdict.target(),
        verdict.level(),
        verdict.rule_name(),
        consequence
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const DIR: &str = "/src/app";
    const OUT: &str = "/src/app/target/i686-unknown-linux-gnu/debug/build/app-1/out";
    const MARK: &str = "/src/app#1.2";

    /// The i686 build environment as Cargo writes it (its `CARGO_CFG_*`
    /// from the real compiler), with `extra` replacing or adding values.
    fn env(extra: &[(&str, &str)]) -> BuildEnv {
        let mut vars: Vec<(String, String)> =
            crate::testing::cargo_cfg_env("i686-unknown-linux-gnu");
        for (k, v) in [
            ("CARGO_MANIFEST_DIR", DIR),
            ("OUT_DIR", OUT),
            ("TARGET", "i686-unknown-linux-gnu"),
            ("CARGO_PKG_RUST_VERSION", ""),
            ("OPT_LEVEL", "0"),
        ] {
            vars.push((k.into(), v.into()));
        }
        vars.retain(|(k, _)| extra.iter().all(|(e, _)| e != k));
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        BuildEnv::from_vars(vars)
    }

    /// The guard in `dialect`, whatever rustc is installed: the directives'
    /// content does not depend on the toolchain running the tests (which
    /// may be Rust 1.63 in `ci/check-msrv`).
    fn run_in(
        policy: &Policy,
        extra: &[(&str, &str)],
        dialect: Dialect,
    ) -> (Result<Verdict, Error>, String) {
        let env = env(extra);
        let target = TargetCfg::from_cargo_env(env.vars()).unwrap();
        let mut out = Vec::new();
        let result = policy.validate().and_then(|()| {
            let compile = this_compile::describe(policy, &env, target, None, 95)?;
            policy.guard(&env, &compile, &mut Emitter::new(&mut out, dialect), MARK)
        });
        (result, String::from_utf8(out).unwrap())
    }

    /// [`run_in`] with Rust 1.95's dialect.
    fn run(policy: &Policy, extra: &[(&str, &str)]) -> (Result<Verdict, Error>, String) {
        run_in(policy, extra, Dialect::for_toolchain(95, None))
    }

    #[test]
    fn emits_cfg_env_and_a_warning_for_a_non_stable_target() {
        let (v, out) = run(&Policy::etcd(), &[]);
        let v = v.unwrap();
        assert_eq!(v.level(), Level::Unsupported);
        assert!(
            out.contains("cargo::rustc-cfg=platform_support=\"unsupported\"\n"),
            "{}",
            out
        );
        assert!(out.contains(
            "cargo::rustc-check-cfg=cfg(platform_support, values(\"stable\", \"experimental\", \
             \"unstable\", \"unsupported\"))\n"
        ));
        assert!(out.contains("cargo::rustc-env=PLATFORM_GUARD_OVERRIDE_VALUE=386\n"));
        assert!(out.contains("cargo::rustc-env=PLATFORM_GUARD_RULE_INDEX=\n"));
        assert!(out.contains("cargo::rerun-if-env-changed=ETCD_UNSUPPORTED_ARCH\n"));
        assert!(out.contains("cargo::rerun-if-env-changed=PLATFORM_GUARD_DENY\n"));
        assert!(out.contains("cargo::rerun-if-env-changed=DOCS_RS\n"));
        assert!(out.contains(
            "cargo::warning=platform-guard: target i686-unknown-linux-gnu is unsupported (no rule \
             matched); its programs refuse to run unless ETCD_UNSUPPORTED_ARCH=386 is set\n"
        ));
        assert!(!out.contains("rerun-if-changed"));
        // The verdict is finished last: the run-time macros trust it then.
        assert!(out.ends_with("cargo::rustc-env=PLATFORM_GUARD_DONE=/src/app#1.2\n"));
    }

    #[test]
    fn stable_targets_get_no_warning() {
        let p = Policy::new("A_ARCH").stable(r#"target_arch = "x86""#);
        let (v, out) = run(&p, &[]);
        let v = v.unwrap();
        assert_eq!(v.level(), Level::Stable);
        assert_eq!(v.rule_index(), Some(0));
        assert!(out.contains("cargo::rustc-env=PLATFORM_GUARD_RULE_INDEX=0\n"));
        assert!(!out.contains("warning"), "{}", out);
    }

    #[test]
    fn denial_is_an_error_naming_target_rule_and_override_and_nothing_is_finished() {
        let p = Policy::default_policy("APP_UNSUPPORTED_ARCH").deny(Level::Unsupported);
        let (r, out) = run(&p, &[]);
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Denied);
        assert_eq!(
            e.to_string(),
            "building for unsupported target i686-unknown-linux-gnu (no rule \
             matched) is denied by this crate's policy (deny unsupported and worse); set \
             APP_UNSUPPORTED_ARCH=x86 to build anyway"
        );
        assert!(!out.contains("PLATFORM_GUARD_DONE"), "{}", out);
        let e = run(&p, &[("APP_UNSUPPORTED_ARCH", "X86")]).0.unwrap_err();
        assert!(e.to_string().ends_with(
            "APP_UNSUPPORTED_ARCH is \"X86\", but it must be exactly \"x86\" to build anyway"
        ));
    }

    #[test]
    fn exact_override_or_docs_rs_lifts_a_denial_with_a_warning() {
        let p = Policy::default_policy("APP_UNSUPPORTED_ARCH").deny(Level::Unsupported);
        let (v, out) = run(&p, &[("APP_UNSUPPORTED_ARCH", "x86")]);
        assert_eq!(v.unwrap().level(), Level::Unsupported);
        assert!(out.contains(
            "cargo::warning=platform-guard: the denial of unsupported target \
             i686-unknown-linux-gnu by this crate's policy (deny unsupported and worse) is \
             lifted because APP_UNSUPPORTED_ARCH=x86 is set\n"
        ));
        assert!(out.ends_with("PLATFORM_GUARD_DONE=/src/app#1.2\n"));
        let (v, out) = run(&p, &[("DOCS_RS", "1")]);
        assert!(v.is_ok());
        assert!(out.contains("lifted because DOCS_RS is set (a docs.rs build)"));
    }

    #[test]
    fn platform_guard_deny_adds_to_the_policy() {
        let p = Policy::default_policy("APP_UNSUPPORTED_ARCH");
        assert!(run(&p, &[]).0.is_ok());
        let e = run(&p, &[("PLATFORM_GUARD_DENY", "unstable")])
            .0
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("is denied by PLATFORM_GUARD_DENY=unstable;"),
            "{}",
            e
        );
        let (r, out) = run(&p, &[("PLATFORM_GUARD_DENY", "32bit")]);
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownLevel);
        assert_eq!(
            e.to_string(),
            "PLATFORM_GUARD_DENY: unknown support level \"32bit\": expected one of stable, \
             experimental, unstable, unsupported (lowercase)"
        );
        assert!(!out.contains("platform_support"), "{}", out);
        assert!(run(&p, &[("PLATFORM_GUARD_DENY", "")]).0.is_err());
    }

    #[test]
    fn wasm_without_an_os_is_warned_about() {
        let env = BuildEnv::from_vars([
            ("CARGO_MANIFEST_DIR", DIR),
            ("TARGET", "wasm32-unknown-unknown"),
            ("CARGO_CFG_TARGET_ARCH", "wasm32"),
            ("CARGO_CFG_TARGET_OS", "unknown"),
            ("CARGO_CFG_TARGET_POINTER_WIDTH", "32"),
        ]);
        let target = TargetCfg::from_cargo_env(env.vars()).unwrap();
        let mut out = Vec::new();
        let p = Policy::default_policy("APP_UNSUPPORTED_ARCH");
        let compile = this_compile::describe(&p, &env, target, None, 95).unwrap();
        p.guard(
            &env,
            &compile,
            &mut Emitter::new(&mut out, Dialect::for_toolchain(95, None)),
            MARK,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(
            "cargo::warning=platform-guard: programs for wasm32-unknown-unknown have no \
             environment and no stderr: their enforce!() would refuse and could never be \
             lifted, so it does not compile there; use check!()\n"
        ));
    }

    #[test]
    fn the_whole_flow_follows_the_real_rustc_and_the_package_rust_version() {
        let minor = rustc_version::version().unwrap().minor;
        let mut out = Vec::new();
        let env = env(&[("CARGO_PKG_RUST_VERSION", "1.63")]);
        Policy::etcd().try_build_in(&env, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.lines()
                .all(|l| l.starts_with("cargo:") && !l.starts_with("cargo::")),
            "{}",
            out
        );
        assert!(out.starts_with(&format!(
            "cargo:rustc-env=PLATFORM_GUARD_RUN=/src/app#{}#",
            OUT
        )));
        // The end mark is the start mark: this run's.
        let run = out.lines().next().unwrap().rsplit('=').next().unwrap();
        assert!(
            out.ends_with(&format!("PLATFORM_GUARD_DONE={}\n", run)),
            "{}",
            out
        );
        assert_eq!(
            out.contains("cargo:rustc-check-cfg="),
            minor >= 80,
            "{}",
            out
        );
        let mut out = Vec::new();
        let e = Policy::etcd()
            .try_build_in(&self::env(&[("CARGO_PKG_RUST_VERSION", "one")]), &mut out)
            .unwrap_err();
        assert!(e.to_string().contains("expected 1[.<minor>[.<patch>]]"));
    }

    #[test]
    fn rules_over_names_cargo_may_leave_over_are_read_from_the_compiler() {
        // `unix` from the environment is a leftover here: the real compiler
        // says this (i686 Linux) target is unix, and a leftover `windows`
        // is not believed.
        let p = Policy::new("A_ARCH").stable("windows").experimental("unix");
        let mut out = Vec::new();
        let env = env(&[("CARGO_CFG_WINDOWS", "")]);
        let v = p.try_build_in(&env, &mut out).unwrap();
        assert_eq!(v.level(), Level::Experimental);
        // The rule over a leftover is decided without it, and says so.
        let out = String::from_utf8(out).unwrap();
        assert!(
            // (`cargo:` or `cargo::`: the dialect is the installed rustc's.)
            out.contains(
                ":warning=platform-guard: a rule tests `windows`, which Cargo's \
                 CARGO_CFG_WINDOWS sets but `rustc` does not report for i686-unknown-linux-gnu"
            ),
            "{}",
            out
        );
        // Cargo and the compiler must describe the same target: on the
        // names Cargo sets for every target, and on every other name the
        // target defines (a custom target spec named like a built-in one).
        for (var, value, name) in [
            (
                "CARGO_CFG_TARGET_OS",
                "windows",
                "target_os = linux, but Cargo says target_os = windows (CARGO_CFG_TARGET_OS)",
            ),
            (
                "CARGO_CFG_TARGET_HAS_ATOMIC",
                "16,32,8,ptr",
                "but Cargo says target_has_atomic = 16,32,8,ptr (CARGO_CFG_TARGET_HAS_ATOMIC)",
            ),
            (
                "CARGO_CFG_TARGET_FAMILY",
                "wasm",
                "but Cargo says target_family = wasm (CARGO_CFG_TARGET_FAMILY)",
            ),
        ] {
            let env = self::env(&[(var, value)]);
            let e = p.try_build_in(&env, &mut Vec::new()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Rustc);
            assert!(e.to_string().contains(name), "{}", e);
            assert!(
                e.to_string().contains(
                    "expected the same target (a custom target spec named like the built-in \
                     target i686-unknown-linux-gnu?"
                ),
                "{}",
                e
            );
        }
    }

    #[test]
    fn old_toolchains_and_old_msrv_get_single_colon_directives() {
        let p = Policy::etcd();
        let (_, out) = run_in(&p, &[], Dialect::for_toolchain(95, Some(63)));
        assert!(
            out.lines()
                .all(|l| l.starts_with("cargo:") && !l.starts_with("cargo::")),
            "{}",
            out
        );
        // rust-version 1.63 on a current rustc: check-cfg is still declared.
        assert!(out.contains("cargo:rustc-check-cfg=cfg(platform_support"));
        let (_, out) = run_in(&p, &[], Dialect::for_toolchain(63, None));
        assert!(out.lines().all(|l| !l.starts_with("cargo::")), "{}", out);
        assert!(!out.contains("rustc-check-cfg"), "{}", out);
        assert!(out.contains("cargo:rustc-cfg=platform_support=\"unsupported\"\n"));
    }

    #[test]
    fn outside_cargo_fails_before_any_output_and_bad_policies_after_the_start() {
        let mut out = Vec::new();
        let e = Policy::etcd()
            .try_build_in(&BuildEnv::from_vars([("PATH", "/bin")]), &mut out)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotInCargo);
        assert_eq!(
            e.to_string(),
            "not running in a build script started by Cargo: CARGO_MANIFEST_DIR is not set"
        );
        assert!(out.is_empty());
        let mut out = Vec::new();
        let r = Policy::new("bad name").try_build_in(&env(&[]), &mut out);
        assert_eq!(r.unwrap_err().kind(), ErrorKind::InvalidVarName);
        // The start is written, the end never: the program cannot build.
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("cargo:rustc-env=PLATFORM_GUARD_RUN=/src/app#")
                && out.lines().count() == 1,
            "{}",
            out
        );
    }

    #[test]
    fn a_missing_rustc_is_named() {
        let env = env(&[("RUSTC", "/nonexistent/rustc")]);
        let e = Policy::etcd()
            .try_build_in(&env, &mut Vec::new())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Rustc);
        assert!(
            e.to_string()
                .starts_with("cannot learn the compiler version from `/nonexistent/rustc -vV`"),
            "{}",
            e
        );
    }
}
