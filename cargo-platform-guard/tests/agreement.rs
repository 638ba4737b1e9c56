//! `check` decides as the build does, for the same target, profile,
//! features, rustflags and environment configuration: each case runs the
//! command and a real Cargo build of the same package and compares, and
//! where the command cannot know (a build script that changes the policy
//! in code), it says so.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{pg_in, scratch, text, Run};

fn write(path: &Path, body: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

/// A package `name` in a scratch directory of that name (Cargo hashes a
/// path package's build directory by its name, version and path within
/// its workspace, so each needs a name of its own to share one target
/// directory): `table` is its `[package.metadata.platform-guard]` (the
/// override variable is `AGREE_UNSUPPORTED_ARCH`), `extra` more manifest
/// text; its
/// build script reads the table (`build_rs` replaces it), and its program
/// calls `enforce!()`.
fn package(name: &str, table: &str, extra: &str, build_rs: Option<&str>) -> PathBuf {
    let dir = scratch(name);
    let repo = common::package_dir().parent().unwrap().to_path_buf();
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = {:?}\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nplatform-guard = {{ path = {:?} }}\n\n\
             [build-dependencies]\nplatform-guard = {{ path = {:?}, features = [\"manifest\"] }}\n\n\
             [package.metadata.platform-guard]\noverride-var = \"AGREE_UNSUPPORTED_ARCH\"\n{}\n{}\n\
             [workspace]\n",
            name, repo, repo, table, extra
        ),
    );
    write(
        &dir.join("build.rs"),
        build_rs
            .unwrap_or("fn main() {\n    platform_guard::Policy::from_manifest().build();\n}\n"),
    );
    write(
        &dir.join("src/main.rs"),
        "fn main() {\n    platform_guard::enforce!();\n}\n",
    );
    dir
}

/// `cargo <args>` in `dir`, as a user runs it (one target directory for
/// these tests, so the guard compiles once).
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(common::cargo_program());
    cmd.args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("agreement"),
        )
        .env("CARGO_TERM_COLOR", "never");
    for var in common::SCRUB {
        cmd.env_remove(var);
    }
    cmd.env_remove("AGREE_UNSUPPORTED_ARCH");
    cmd.envs(env.iter().copied());
    cmd.output().expect("cargo runs")
}

/// Whether the build was denied by the guard (and otherwise succeeded).
fn build_denied(out: &Output) -> bool {
    let err = text(&out.stderr);
    if out.status.success() {
        return false;
    }
    assert!(
        err.contains("platform-guard: building for "),
        "the build failed for another reason:\n{}",
        err
    );
    true
}

fn check(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    common::command()
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env_remove("AGREE_UNSUPPORTED_ARCH")
        .envs(env.iter().copied())
        .output()
        .expect("runs")
        .into()
}

/// Runs `check` and `cargo build` with the same profile and feature
/// arguments and environment, and asserts they agree on `denied`.
fn agree(dir: &Path, args: &[&str], env: &[(&str, &str)], denied: bool) {
    let run = check(dir, args, env);
    assert_eq!(
        run.code,
        Some(if denied { 1 } else { 0 }),
        "check {:?}\n{}\n{}",
        args,
        run.out,
        run.err
    );
    let mut build = vec!["build", "--quiet"];
    build.extend_from_slice(args);
    let out = cargo(dir, &build, env);
    assert_eq!(
        build_denied(&out),
        denied,
        "cargo {:?}\n{}",
        build,
        text(&out.stderr)
    );
}

#[test]
fn features_and_profiles_are_decided_as_the_build_decides_them() {
    let dir = package(
        "agree-features",
        "deny = \"unsupported\"\nrules = [\n  { level = \"unsupported\", cfg = 'feature = \"legacy\"' },\n  \
         { level = \"unsupported\", cfg = 'all(feature = \"strict\", debug_assertions)' },\n  \
         { level = \"stable\", cfg = \"all()\" },\n]\n",
        "[features]\ndefault = [\"strict\"]\nlegacy = []\nstrict = []\nold = [\"legacy\"]\n\n\
         [profile.checked]\ninherits = \"release\"\ndebug-assertions = true\n",
        None,
    );
    // dev: default feature `strict` with debug assertions.
    agree(&dir, &[], &[], true);
    agree(&dir, &["--no-default-features"], &[], false);
    agree(&dir, &["--release"], &[], false);
    agree(&dir, &["--profile", "checked"], &[], true);
    agree(&dir, &["--release", "--features", "legacy"], &[], true);
    // A feature that enables another.
    agree(&dir, &["--release", "--features", "old"], &[], true);
    agree(
        &dir,
        &["--release"],
        &[("CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS", "true")],
        true,
    );
    // What check decided for is said.
    let run = check(&dir, &["--release", "--features", "old"], &[]);
    assert!(
        run.err.contains(
            "note: deciding for profile `release` (debug-assertions off, panic the target's), \
             features: default, legacy, old, strict"
        ),
        "{}",
        run.err
    );
    let explain = pg_in(&dir, &["explain", "--release"], &[]).expect(0, "explain");
    assert!(
        explain.out.contains(
            "\ncompile: profile `release` (debug-assertions off, panic the target's), features: \
             default, strict\n"
        ),
        "{}",
        explain.out
    );
    let unknown = pg_in(&dir, &["check", "--features", "nope"], &[]).expect(2, "unknown feature");
    assert!(
        unknown.err.contains("does not contain this feature: nope"),
        "{}",
        unknown.err
    );
}

#[test]
fn cargo_s_env_table_and_config_reach_the_decision() {
    let dir = package(
        "agree-env",
        "rules = [{ level = \"experimental\", cfg = \"all()\" }]\n",
        "",
        None,
    );
    agree(&dir, &[], &[], false);
    write(
        &dir.join(".cargo/config.toml"),
        "[env]\nPLATFORM_GUARD_DENY = \"experimental\"\n",
    );
    agree(&dir, &[], &[], true);
    // A value in the environment wins over a table entry that is not forced
    // ("unsupported" denies nothing here)...
    agree(&dir, &[], &[("PLATFORM_GUARD_DENY", "unsupported")], false);
    // ... and loses to a forced one.
    write(
        &dir.join(".cargo/config.toml"),
        "[env]\nPLATFORM_GUARD_DENY = { value = \"experimental\", force = true }\n",
    );
    agree(&dir, &[], &[("PLATFORM_GUARD_DENY", "unsupported")], true);
    // The override variable set there lifts the denial, in both.
    let (_, arch) = common::host();
    write(
        &dir.join(".cargo/config.toml"),
        &format!(
            "[env]\nPLATFORM_GUARD_DENY = \"experimental\"\nAGREE_UNSUPPORTED_ARCH = {:?}\n",
            arch
        ),
    );
    agree(&dir, &[], &[], false);
    let run = check(&dir, &[], &[]);
    assert!(
        run.out.contains(": allowed, denial lifted: "),
        "{}",
        run.out
    );
    // `--config` on both command lines.
    std::fs::remove_file(dir.join(".cargo/config.toml")).unwrap();
    let config = "env.PLATFORM_GUARD_DENY=\"experimental\"";
    let run = check(&dir, &["--config", config], &[]);
    assert_eq!(run.code, Some(1), "{}{}", run.out, run.err);
    let out = cargo(&dir, &["--config", config, "build", "--quiet"], &[]);
    assert!(build_denied(&out));
    // Names Cargo refuses in [env] are refused here too.
    write(
        &dir.join(".cargo/config.toml"),
        "[env]\nCARGO_HOME = \"/x\"\n",
    );
    let run = check(&dir, &[], &[]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.err.contains("setting the `CARGO_HOME` environment variable is not supported in the `[env]` configuration table"),
        "{}",
        run.err
    );
}

/// Cargo asks the compiler about a target with its own crate types, which
/// leave `crt-static` out of musl's cfg: a `[target.'cfg(target_feature =
/// "crt-static")']` table's rustflags do not apply to the build, and not in
/// `check` either.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn the_compiler_is_asked_as_cargo_asks_it() {
    let dir = package(
        "agree-crt-static",
        "deny = \"unsupported\"\nrules = [\n  { level = \"unsupported\", cfg = \"crt_static_flags\" },\n  \
         { level = \"stable\", cfg = \"all()\" },\n]\n",
        "",
        None,
    );
    write(
        &dir.join(".cargo/config.toml"),
        "[target.'cfg(target_feature = \"crt-static\")']\nrustflags = [\"--cfg\", \"crt_static_flags\"]\n",
    );
    let target = "x86_64-unknown-linux-musl";
    let run = check(&dir, &["--target", target], &[]);
    assert_eq!(run.code, Some(0), "{}{}", run.out, run.err);
    // The real build script (the crate itself may lack musl's standard
    // library here: --keep-going runs the script anyway).
    let out = cargo(
        &dir,
        &["check", "-vv", "--keep-going", "--target", target],
        &[],
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("cargo::rustc-env=PLATFORM_GUARD_LEVEL=stable"),
        "{}\n{}",
        stdout,
        text(&out.stderr)
    );
}

/// `Policy::from_manifest().deny(Level::Unstable).build()`: the build
/// denies while the table alone allows; `check` says the build script
/// changes the policy in code, as the build does.
#[test]
fn a_policy_changed_in_build_rs_is_said_by_the_command() {
    let dir = package(
        "agree-code",
        "rules = [{ level = \"unstable\", cfg = \"all()\" }]\n",
        "",
        Some(
            "fn main() {\n    platform_guard::Policy::from_manifest()\n        .deny(platform_guard::Level::Unstable)\n        .build();\n}\n",
        ),
    );
    let run = check(&dir, &[], &[]);
    assert!(
        run.err
            .contains("may change the policy in code after reading the table"),
        "{}",
        run.err
    );
    let out = cargo(&dir, &["build"], &[]);
    assert!(build_denied(&out), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("build.rs changes the policy it read from"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_dependency_s_feature_enables_the_optional_dependency_s_implicit_feature() {
    let dir = package(
        "agree-dep-feature",
        "deny = \"unsupported\"\nrules = [\n  { level = \"unsupported\", cfg = 'feature = \"extras\"' },\n  \
         { level = \"stable\", cfg = \"all()\" },\n]\n",
        "[dependencies.extras]\npath = \"extras\"\noptional = true\n",
        None,
    );
    write(
        &dir.join("extras/Cargo.toml"),
        "[package]\nname = \"extras\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [features]\nloud = []\n",
    );
    write(&dir.join("extras/src/lib.rs"), "");
    agree(&dir, &[], &[], false);
    // `extras/loud` turns on the optional dependency, so the package's
    // implicit feature `extras`; `extras?/loud` does not.
    agree(&dir, &["--features", "extras/loud"], &[], true);
    agree(&dir, &["--features", "extras?/loud"], &[], false);
}
