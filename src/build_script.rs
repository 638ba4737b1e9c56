//! `Policy::build()`: read the build script's environment, classify, emit.
//!
//! The environment is read through [`BuildEnv`] only, so the whole flow runs
//! in tests with an explicit environment and an in-memory output.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::process::Command;

use crate::decision::BuildDecision;
use crate::emit::{Dialect, Directive, Emitter};
use crate::error::{Error, ErrorKind};
use crate::level::Level;
use crate::policy::Policy;
use crate::target::{env_str, TargetCfg};
use crate::verdict::Verdict;

/// The build environment variable that denies a level (and every
/// less-supported one) without changing code: `PLATFORM_GUARD_DENY=unstable`.
pub const DENY_VAR: &str = "PLATFORM_GUARD_DENY";

/// Set by docs.rs; a denial never fails a documentation build.
pub const DOCS_RS_VAR: &str = "DOCS_RS";

/// The environment a build script sees, captured once.
#[derive(Debug, Clone, Default)]
pub struct BuildEnv {
    vars: Vec<(OsString, OsString)>,
}

impl BuildEnv {
    /// The current process's environment.
    pub fn from_process() -> BuildEnv {
        BuildEnv {
            vars: std::env::vars_os().collect(),
        }
    }

    /// An explicit environment (for tests and tools).
    pub fn from_vars<I, K, V>(vars: I) -> BuildEnv
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        BuildEnv {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&OsStr> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_os_str())
    }

    pub(crate) fn get_str(&self, key: &str) -> Result<Option<String>, Error> {
        self.get(key).map(|v| env_str(key, v)).transpose()
    }
}

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
    /// known (outside Cargo, or an invalid policy).
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
    /// [`ErrorKind::Denied`]) instead of reporting them and exiting.
    pub fn try_build(&self) -> Result<Verdict, Error> {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        self.try_build_in(&BuildEnv::from_process(), &mut out)
    }

    /// The build flow with an explicit environment and output.
    pub fn try_build_in(&self, env: &BuildEnv, out: &mut dyn Write) -> Result<Verdict, Error> {
        self.run(env, out).1
    }

    fn run(
        &self,
        env: &BuildEnv,
        out: &mut dyn Write,
    ) -> (Option<Dialect>, Result<Verdict, Error>) {
        let prepared = self
            .validate()
            .and_then(|()| TargetCfg::from_cargo_env(env.vars.iter().map(|(k, v)| (k, v))))
            .and_then(|target| Ok((target, dialect(env)?)));
        match prepared {
            Err(e) => (None, Err(e)),
            Ok((target, dialect)) => (
                Some(dialect),
                self.guard(env, &target, &mut Emitter::new(out, dialect)),
            ),
        }
    }

    fn guard(
        &self,
        env: &BuildEnv,
        target: &TargetCfg,
        emitter: &mut Emitter<&mut dyn Write>,
    ) -> Result<Verdict, Error> {
        let var = self.override_var();
        for watched in [var, DENY_VAR, DOCS_RS_VAR] {
            emitter.emit(Directive::RerunIfEnvChanged(watched))?;
        }
        if let Some(manifest) = self.source_file() {
            emitter.emit(Directive::RerunIfChanged(manifest))?;
        }
        let verdict = self.classify(target);
        // Decided before anything about the verdict is written, so a bad
        // PLATFORM_GUARD_DENY fails the build before any cfg is set.
        let decision = self.build_decision(&verdict, env)?;
        emitter.emit_verdict(&verdict)?;
        if verdict.level() != Level::Stable {
            emitter.emit(Directive::Warning(&non_stable_warning(&verdict)))?;
        }
        match decision {
            BuildDecision::Allowed => {}
            BuildDecision::Lifted(warning) => emitter.emit(Directive::Warning(&warning))?,
            BuildDecision::Denied(e) => return Err(e),
        }
        Ok(verdict)
    }
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
        verdict.why(),
        consequence
    )
}

/// The directive dialect for the compiler Cargo gave the build script
/// (`RUSTC`) and the package's `rust-version` (`CARGO_PKG_RUST_VERSION`).
fn dialect(env: &BuildEnv) -> Result<Dialect, Error> {
    let rustc = env.get("RUSTC").unwrap_or_else(|| OsStr::new("rustc"));
    let meta = rustc_version::VersionMeta::for_command(Command::new(rustc)).map_err(|e| {
        Error::new(
            ErrorKind::Rustc,
            &rustc.to_string_lossy(),
            format!(
                "cannot learn the compiler version from `{} -vV`: {}",
                rustc.to_string_lossy(),
                e
            ),
        )
    })?;
    let msrv = match env.get_str("CARGO_PKG_RUST_VERSION")? {
        None => None,
        Some(v) if v.is_empty() => None,
        Some(v) => Some(msrv_minor(&v)?),
    };
    Ok(Dialect::for_toolchain(meta.semver.minor, msrv))
}

/// The minor version of a `rust-version` such as `1.77` or `1.77.0`.
fn msrv_minor(v: &str) -> Result<u64, Error> {
    let mut parts = v.split('.');
    match (parts.next(), parts.next().map(str::parse::<u64>)) {
        (Some("1"), Some(Ok(minor))) => Ok(minor),
        _ => Err(Error::new(
            ErrorKind::InvalidTargetCfg,
            v,
            format!(
                "CARGO_PKG_RUST_VERSION {:?} is not a Rust version: expected 1.<minor>[.<patch>]",
                v
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The i686 build environment plus `extra`.
    fn env(extra: &[(&str, &str)]) -> BuildEnv {
        let mut vars: Vec<(&str, &str)> = vec![
            ("TARGET", "i686-unknown-linux-gnu"),
            ("CARGO_CFG_TARGET_ARCH", "x86"),
            ("CARGO_CFG_TARGET_OS", "linux"),
            ("CARGO_CFG_TARGET_POINTER_WIDTH", "32"),
            ("CARGO_CFG_TARGET_ENDIAN", "little"),
            ("CARGO_CFG_UNIX", ""),
            ("CARGO_PKG_RUST_VERSION", ""),
        ];
        vars.extend_from_slice(extra);
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
        let target = TargetCfg::from_cargo_env(env.vars.iter().map(|(k, v)| (k, v))).unwrap();
        let mut out = Vec::new();
        let result = policy.validate().and_then(|()| {
            policy.guard(
                &env,
                &target,
                &mut Emitter::new(&mut out as &mut dyn Write, dialect),
            )
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
        assert!(out.contains("cargo::rerun-if-env-changed=ETCD_UNSUPPORTED_ARCH\n"));
        assert!(out.contains("cargo::rerun-if-env-changed=PLATFORM_GUARD_DENY\n"));
        assert!(out.contains("cargo::rerun-if-env-changed=DOCS_RS\n"));
        assert!(out.contains(
            "cargo::warning=platform-guard: target i686-unknown-linux-gnu is unsupported (no rule \
             matched); its programs refuse to run unless ETCD_UNSUPPORTED_ARCH=386 is set\n"
        ));
        assert!(!out.contains("rerun-if-changed"));
    }

    #[test]
    fn stable_targets_get_no_warning() {
        let p = Policy::new("A_ARCH").stable(r#"target_arch = "x86""#);
        let (v, out) = run(&p, &[]);
        assert_eq!(v.unwrap().level(), Level::Stable);
        assert!(!out.contains("warning"), "{}", out);
    }

    #[test]
    fn denial_is_an_error_naming_target_rule_and_override() {
        let p = Policy::default_policy("APP_UNSUPPORTED_ARCH").deny(Level::Unsupported);
        let e = run(&p, &[]).0.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Denied);
        assert_eq!(
            e.to_string(),
            "building for unsupported target i686-unknown-linux-gnu (no rule \
             matched) is denied by this crate's policy (deny unsupported and worse); set \
             APP_UNSUPPORTED_ARCH=x86 to build anyway"
        );
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
        let e = run(&p, &[("PLATFORM_GUARD_DENY", "32bit")]).0.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownLevel);
        assert_eq!(
            e.to_string(),
            "PLATFORM_GUARD_DENY: unknown support level \"32bit\": expected one of stable, \
             experimental, unstable, unsupported (lowercase)"
        );
        assert!(run(&p, &[("PLATFORM_GUARD_DENY", "")]).0.is_err());
    }

    #[test]
    fn the_dialect_follows_the_real_rustc_and_the_package_rust_version() {
        let minor = rustc_version::version().unwrap().minor;
        let d = dialect(&env(&[("CARGO_PKG_RUST_VERSION", "1.63")])).unwrap();
        assert_eq!(d, Dialect::for_toolchain(minor, Some(63)));
        let d = dialect(&env(&[("CARGO_PKG_RUST_VERSION", "1.80.1")])).unwrap();
        assert_eq!(d, Dialect::for_toolchain(minor, Some(80)));
        assert_eq!(
            dialect(&env(&[])).unwrap(),
            Dialect::for_toolchain(minor, None)
        );
        let e = dialect(&env(&[("CARGO_PKG_RUST_VERSION", "one")])).unwrap_err();
        assert!(e.to_string().contains("expected 1.<minor>[.<patch>]"));
        // Through the whole flow, with whatever rustc runs the tests.
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
        assert_eq!(
            out.contains("cargo:rustc-check-cfg="),
            minor >= 80,
            "{}",
            out
        );
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
    fn outside_cargo_and_bad_policies_fail_before_any_output() {
        let mut out = Vec::new();
        let e = Policy::etcd()
            .try_build_in(&BuildEnv::from_vars([("PATH", "/bin")]), &mut out)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotInCargo);
        assert!(out.is_empty());
        let mut out = Vec::new();
        let r = Policy::new("bad name").try_build_in(&env(&[]), &mut out);
        assert_eq!(r.unwrap_err().kind(), ErrorKind::InvalidVarName);
        assert!(out.is_empty());
    }

    #[test]
    fn a_missing_rustc_is_named() {
        let env = env(&[("RUSTC", "/nonexistent/rustc")]);
        let e = Policy::etcd()
            .try_build_in(&env, &mut Vec::new())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Rustc);
        assert!(e
            .to_string()
            .starts_with("cannot learn the compiler version from `/nonexistent/rustc -vV`"));
    }
}
