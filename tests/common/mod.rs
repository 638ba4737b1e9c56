//! Helpers for integration tests that build real fixture crates with Cargo.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Variables the guard and the builds it runs in read; every test file
/// removes them from the processes it spawns (with its own fixtures'
/// override variables), so the developer's environment cannot change a
/// test's outcome.
pub const GUARD_ENV: &[&str] = &[
    "PLATFORM_GUARD_DENY",
    "DOCS_RS",
    "ETCD_UNSUPPORTED_ARCH",
    "PLATFORM_GUARD_RUN",
    "PLATFORM_GUARD_DONE",
    "PLATFORM_GUARD_LEVEL",
    "PLATFORM_GUARD_TARGET",
    "PLATFORM_GUARD_RULE_INDEX",
    "PLATFORM_GUARD_RULE",
    "PLATFORM_GUARD_OVERRIDE_VAR",
    "PLATFORM_GUARD_OVERRIDE_VALUE",
    "PLATFORM_GUARD_ASSUMED",
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
];

/// The override variables of the fixtures in this file's helpers.
const FIXTURE_VARS: &[&str] = &[
    "REFUSE_UNSUPPORTED_ARCH",
    "DENY32_UNSUPPORTED_ARCH",
    "ZERO_SETUP_UNSUPPORTED_ARCH",
    "TRUST_POLICY_UNSUPPORTED_ARCH",
    "TRUST_RULE",
    "TRUST_MODE",
    "LIFTED_THREADS_UNSUPPORTED_ARCH",
    "WS_CORE_UNSUPPORTED_ARCH",
    "WS_APP_UNSUPPORTED_ARCH",
    "NESTED_OUTER_UNSUPPORTED_ARCH",
    "COMPILE_RULE",
    "COMPILE_DENY",
    "COMPILE_VALUES_UNSUPPORTED_ARCH",
    "NESTED_SELF_LEVEL",
    "NESTED_SELF_UNSUPPORTED_ARCH",
    "NEST_DENY",
    "CODEGEN_UNSUPPORTED_ARCH",
    "CPU_GATE_UNSUPPORTED_ARCH",
    "MANIFEST_CHANGED_UNSUPPORTED_ARCH",
    "TABLE_NO_SCRIPT_UNSUPPORTED_ARCH",
    "CARGO_CFG_DEBUG_ASSERTIONS",
    "CARGO_PROFILE_RELEASE_PANIC",
    "RUSTC_BOOTSTRAP",
    "RULES_APP_ONE_UNSUPPORTED_ARCH",
    "RULES_BY_MEMBER_UNSUPPORTED_ARCH",
    "POINTER_SATELLITE_UNSUPPORTED_ARCH",
];

/// Removes [`GUARD_ENV`] and `extra` from `cmd`'s environment.
pub fn scrub<'a>(cmd: &'a mut Command, extra: &[&str]) -> &'a mut Command {
    for var in GUARD_ENV.iter().chain(extra) {
        cmd.env_remove(var);
    }
    cmd
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(name)
}

/// One target directory for all fixtures, so the guard compiles once.
pub fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fixtures")
}

/// `cargo <args>` in a fixture, with the extra environment `env`.
pub fn cargo(name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    cargo_in(&target_dir(), name, args, env)
}

/// [`cargo`] with a target directory of the test's own, for tests that
/// watch when build scripts run and must not see other tests' builds.
pub fn cargo_in(target: &Path, name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(cargo_program());
    cmd.args(args)
        .current_dir(fixture(name))
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never");
    scrub(&mut cmd, FIXTURE_VARS).envs(env.iter().copied());
    cmd.output().expect("cargo runs")
}

/// Builds a fixture's binary and returns its path; fails the test with
/// Cargo's output when the build fails.
pub fn build_bin(name: &str) -> PathBuf {
    let out = cargo(name, &["build", "--quiet"], &[]);
    assert!(
        out.status.success(),
        "building {} failed:\n{}",
        name,
        text(&out.stderr)
    );
    target_dir().join("debug").join(name)
}

/// Runs a built program with the guard variables removed and `env` added.
pub fn run(bin: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin);
    scrub(&mut cmd, FIXTURE_VARS).envs(env.iter().copied());
    cmd.output().expect("program runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The rustc Cargo would use: `$RUSTC`, else `rustc`. (The tests' one
/// read of their own environment besides [`cargo_program`].)
#[allow(clippy::disallowed_methods)]
pub fn rustc() -> std::ffi::OsString {
    std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())
}

/// The Cargo running the tests: `$CARGO`, else `cargo`.
#[allow(clippy::disallowed_methods)]
pub fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The library's own view of a target: real `rustc --print cfg --target T`
/// output (rustc prints it for any target it knows, with or without its
/// standard library) through `TargetCfg::from_rustc_cfg`.
#[cfg(feature = "policy")]
pub fn rustc_target(triple: &str) -> platform_guard::TargetCfg {
    let out = Command::new(rustc())
        .args(["--print", "cfg", "--target", triple])
        .output()
        .expect("rustc runs");
    assert!(
        out.status.success(),
        "rustc --print cfg --target {}",
        triple
    );
    platform_guard::TargetCfg::from_rustc_cfg(triple, &text(&out.stdout)).unwrap()
}

/// The host triple and its `target_arch`, from the real rustc.
pub fn host() -> (String, String) {
    let rustc = rustc();
    let vv = Command::new(&rustc).arg("-vV").output().expect("rustc -vV");
    let triple = text(&vv.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("host line")
        .to_string();
    let cfg = Command::new(&rustc)
        .args(["--print", "cfg"])
        .output()
        .expect("rustc --print cfg");
    let arch = text(&cfg.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("target_arch=\""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("target_arch")
        .to_string();
    (triple, arch)
}

/// A copy of fixture `name` at `to` (replacing what is there), its
/// dependency on this crate by path made absolute, for tests that edit it.
pub fn copy_fixture(name: &str, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    copy_dir(&fixture(name), to);
    let manifest = to.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("read Cargo.toml");
    let repo = repo();
    let fixed = text.replace(
        "path = \"../../..\"",
        &format!("path = {:?}", repo.to_str().expect("UTF-8 repository path")),
    );
    assert_ne!(text, fixed, "the fixture depends on this crate by path");
    std::fs::write(&manifest, fixed).expect("write Cargo.toml");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == OsStr::new("target") || name == OsStr::new("Cargo.lock") {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}
