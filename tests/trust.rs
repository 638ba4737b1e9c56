//! A guard you can trust: no path to a silently wrong verdict. Real Cargo
//! builds of fixture crates, each with a target directory of its own, and
//! real runs of the programs they produce.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{cargo_in, fixture, host, run, text};

/// A target directory of the test's own.
fn target(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn built(out: &Output) {
    assert!(
        out.status.success(),
        "the build failed:\n{}",
        text(&out.stderr)
    );
}

fn program(target: &Path, name: &str) -> PathBuf {
    target.join("debug").join(name)
}

/// The default policy's stable rule, as the zero-setup crate names it.
const DEFAULT_STABLE: &str = r#"all(target_pointer_width = "64", any(target_arch = "x86_64", target_arch = "aarch64"), any(target_os = "linux", target_os = "macos", target_os = "windows"))"#;

/// The default policy's level for the host, and its rule.
fn host_default() -> (&'static str, Option<&'static str>) {
    let (triple, _) = host();
    let wide = !triple.starts_with("i686") && !triple.starts_with("arm-");
    let stable = (triple.starts_with("x86_64") || triple.starts_with("aarch64"))
        && (triple.contains("linux") || triple.contains("apple") || triple.contains("windows"));
    match (stable, wide) {
        (true, _) => ("stable", Some(DEFAULT_STABLE)),
        (false, true) => ("experimental", Some(r#"target_pointer_width = "64""#)),
        _ => ("unsupported", None),
    }
}

// ------------------------------------------------ 1. a verdict and its crate

/// `cargo run` puts a build script's rustc-env values into the program's
/// environment; a nested `cargo build` started from there (an xtask, a
/// compile-test harness) compiles a zero-setup crate, which must classify
/// as it would on its own, not take the outer crate's verdict.
#[test]
fn a_nested_build_started_by_cargo_run_classifies_on_its_own() {
    let (triple, arch) = host();
    let outer_target = target("trust-nested-outer");
    let inner_target = target("trust-nested-inner");
    let zero = fixture("zero-setup");
    let out = cargo_in(
        &outer_target,
        "nested-outer",
        &[
            "run",
            "--quiet",
            "--",
            zero.to_str().unwrap(),
            inner_target.to_str().unwrap(),
            "zero-setup",
        ],
        &[],
    );
    let (level, rule) = host_default();
    assert_eq!(
        out.status.code(),
        Some(if level == "unsupported" { 1 } else { 0 }),
        "{}",
        text(&out.stderr)
    );
    if level != "unsupported" {
        assert_eq!(
            text(&out.stdout),
            format!(
                "{} {} ZERO_SETUP_UNSUPPORTED_ARCH {} {}\n",
                level,
                triple,
                arch,
                rule.unwrap()
            )
        );
        assert_eq!(text(&out.stderr), "");
    }
}

// ------------------------------------------- 2. leftover CARGO_CFG_* values

/// Cargo sets the `CARGO_CFG_*` variables of the target it builds but
/// removes no others: a build script started inside another build inherits
/// the outer target's. A rule over such a name is decided by the compiler,
/// never by a leftover.
#[test]
fn leftover_cfg_variables_do_not_decide_a_verdict() {
    let t = target("trust-leftover");
    let (triple, _) = host();
    let windows_host = triple.contains("windows");
    // On a unix host, an outer Windows build's CARGO_CFG_WINDOWS; on a
    // Windows host, an outer unix build's CARGO_CFG_UNIX.
    let (rule, leftover) = if windows_host {
        ("unix", "CARGO_CFG_UNIX")
    } else {
        ("windows", "CARGO_CFG_WINDOWS")
    };
    for (i, (env, why)) in [
        (vec![("TRUST_RULE", rule)], "no leftover"),
        (vec![("TRUST_RULE", rule), (leftover, "")], "a leftover"),
        (
            vec![
                ("TRUST_RULE", rule),
                (leftover, ""),
                ("CARGO_CFG_TARGET_FAMILY", "windows"),
            ],
            "leftovers",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        // A new nonce each time: the build script runs with this
        // environment, whatever ran before.
        let nonce = format!("{}-{:?}", i, std::time::SystemTime::now());
        let mut env = env;
        env.push(("TRUST_NONCE", &nonce));
        let out = cargo_in(&t, "trust-policy", &["build", "-vv"], &env);
        built(&out);
        // Cargo echoes the build script's lines on stdout with -vv.
        let script = text(&out.stdout);
        assert!(
            script.contains("] cargo:rustc-env=PLATFORM_GUARD_LEVEL=unsupported\n"),
            "{}: {}",
            why,
            script
        );
        let out = run(&program(&t, "trust-policy"), &[]);
        assert_eq!(out.status.code(), Some(1), "{}", why);
    }
}

// ------------------------------------------- 3. zero setup and the switch

/// `PLATFORM_GUARD_DENY` denies a crate without a build script of its own
/// exactly as it denies one with a policy: the same message, lifted by the
/// package's `<PACKAGE>_UNSUPPORTED_ARCH`, never by docs.rs, and rechecked
/// when any of them changes.
#[test]
fn zero_setup_honours_platform_guard_deny() {
    let t = target("trust-zero-deny");
    let (triple, arch) = host();
    let (level, rule) = host_default();
    let why = match rule {
        Some(rule) => format!("rule `{}`", rule),
        None => "no rule matched".to_string(),
    };
    let denied = format!(
        "error[E0080]: evaluation panicked: platform-guard: building for {} target {} ({}) is \
         denied by PLATFORM_GUARD_DENY={}; set ZERO_SETUP_UNSUPPORTED_ARCH={} to build anyway",
        level, triple, why, level, arch
    );
    let build = |env: &[(&str, &str)]| cargo_in(&t, "zero-setup", &["build"], env);

    let out = build(&[("PLATFORM_GUARD_DENY", level)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).lines().any(|l| l == denied),
        "no line {:?} in:\n{}",
        denied,
        text(&out.stderr)
    );
    // The package's own variable lifts it; set later, it is still seen.
    built(&build(&[
        ("PLATFORM_GUARD_DENY", level),
        ("ZERO_SETUP_UNSUPPORTED_ARCH", &arch),
    ]));
    // Another package's variable, or a wrong value, does not.
    for (var, value) in [
        ("OTHER_UNSUPPORTED_ARCH", arch.as_str()),
        ("ZERO_SETUP_UNSUPPORTED_ARCH", "X"),
    ] {
        let out = build(&[("PLATFORM_GUARD_DENY", level), (var, value)]);
        assert!(!out.status.success(), "{}={}", var, value);
        assert!(text(&out.stderr).contains(&denied), "{}", text(&out.stderr));
    }
    // Unset again: denied again.
    assert!(!build(&[("PLATFORM_GUARD_DENY", level)]).status.success());
    // A less supported level is not denied; docs.rs is never denied.
    if level != "unsupported" {
        built(&build(&[("PLATFORM_GUARD_DENY", "unsupported")]));
    }
    built(&build(&[("PLATFORM_GUARD_DENY", level), ("DOCS_RS", "1")]));
    built(&build(&[]));
    // Empty or unknown: an error where the macros expand, worded as for a
    // crate with a policy.
    for bad in ["", "Stable", "32bit", "a\"b\\c"] {
        let out = build(&[("PLATFORM_GUARD_DENY", bad)]);
        assert!(!out.status.success(), "{:?}", bad);
        let want = format!(
            "platform-guard: PLATFORM_GUARD_DENY: unknown support level {:?}: expected one of \
             stable, experimental, unstable, unsupported (lowercase)",
            bad
        );
        assert!(
            text(&out.stderr).contains(&want),
            "no {:?} in:\n{}",
            want,
            text(&out.stderr)
        );
    }
    // A crate with a policy of its own reports it from its build script;
    // platform-guard's own build does not fail on it.
    let out = cargo_in(
        &t,
        "trust-policy",
        &["build"],
        &[("PLATFORM_GUARD_DENY", "Stable")],
    );
    assert!(!out.status.success());
    assert!(
        !text(&out.stderr).contains("failed to run custom build command for `platform-guard"),
        "{}",
        text(&out.stderr)
    );
}

// ------------------------------------------- 4. a failed guard run

/// A build script that called the guard and failed before finishing (an
/// error it only printed, or a denial it ignored) never leaves the program
/// on another policy: the program does not build.
#[test]
fn a_guard_run_that_did_not_finish_stops_the_program_from_building() {
    let t = target("trust-failed");
    let stopped = "evaluation panicked: platform-guard: this crate's build script started the \
                   guard (Policy::build or try_build) but did not finish it: the guard failed or \
                   denied the build, and the script went on; fix what its output says (the \
                   program is not built on any other policy)";
    for (env, printed) in [
        (
            // A typo meant to make the build stricter.
            vec![
                ("TRUST_MODE", "print"),
                ("TRUST_RULE", r#"target_oss = "linux""#),
            ],
            "ignored: stable rule 1: unknown cfg name \"target_oss\" (did you mean \
             \"target_os\"?)",
        ),
        (
            vec![("TRUST_MODE", "print"), ("TRUST_RULE", "all(unix")],
            "ignored: stable rule 1: invalid cfg expression \"all(unix\"",
        ),
        (
            // A denial the script ignores.
            vec![("TRUST_MODE", "deny"), ("TRUST_RULE", "all()")],
            "ignored: building for stable target",
        ),
    ] {
        let out = cargo_in(&t, "trust-policy", &["build", "-vv"], &env);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{:?} built:\n{}", env, stderr);
        assert!(stderr.contains(printed), "{:?}: {}", env, stderr);
        assert!(stderr.contains(stopped), "{:?}: {}", env, stderr);
    }
    // The same script, finishing: the program builds.
    built(&cargo_in(
        &t,
        "trust-policy",
        &["build"],
        &[("TRUST_MODE", "print"), ("TRUST_RULE", "all()")],
    ));
}

// ------------------------------------------- 7. valid but unusual inputs

/// A `--cfg` value no rule mentions, with a backslash, a tab or DEL, and
/// `rust-version = "1"` (the fixture's), never break a build, also when a
/// rule makes the build script ask the compiler.
#[test]
fn unusual_but_valid_cfg_values_and_rust_version_build() {
    let t = target("trust-unusual");
    // `--cfg` values are Rust string literals: `a\\b` is a backslash.
    let flags =
        "--cfg\u{1f}odd=\"a\\\\b\"\u{1f}--cfg\u{1f}tab=\"a\tb\"\u{1f}--cfg\u{1f}del=\"a\u{7f}b\"";
    for rule in ["unix", "all()"] {
        let out = cargo_in(
            &t,
            "trust-policy",
            &["build", "-vv"],
            &[("TRUST_RULE", rule), ("CARGO_ENCODED_RUSTFLAGS", flags)],
        );
        built(&out);
        let out = run(&program(&t, "trust-policy"), &[]);
        let (triple, _) = host();
        if rule == "all()" || !triple.contains("windows") {
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            assert!(
                text(&out.stdout).starts_with("stable"),
                "{}",
                text(&out.stdout)
            );
        }
    }
}

// ------------------------------------------- 9. small things that mislead

/// The lifted-guard warning is printed once per process, not per call.
#[test]
fn the_lifted_warning_is_printed_once_per_process() {
    let t = target("trust-threads");
    built(&cargo_in(&t, "lifted-threads", &["build"], &[]));
    let (triple, arch) = host();
    let out = run(
        &program(&t, "lifted-threads"),
        &[("LIFTED_THREADS_UNSUPPORTED_ARCH", &arch)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "6400 calls\n");
    assert_eq!(
        text(&out.stderr),
        format!(
            "platform-guard: warning: running on unsupported target {} (no rule matched) \
             because LIFTED_THREADS_UNSUPPORTED_ARCH={} is set\n",
            triple, arch
        )
    );
}

/// A workspace whose policy sits in a library's build script: binaries
/// enforce it through a function of that library; a binary's own
/// `enforce!()` (no build script of its own) is the default policy.
#[test]
fn a_library_s_policy_is_enforced_by_its_binaries() {
    let t = target("trust-workspace");
    let out = cargo_in(&t, "lib-policy-ws", &["build", "--workspace"], &[]);
    built(&out);
    let (triple, arch) = host();
    let app = program(&t, "ws-app");
    let out = run(&app, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "platform-guard: refusing to run on unsupported target {} (no rule matched); set \
             WS_CORE_UNSUPPORTED_ARCH={} to run anyway\n",
            triple, arch
        )
    );
    let out = run(&app, &[("WS_CORE_UNSUPPORTED_ARCH", &arch)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "workspace policy: runs\n");
    let mut own = std::process::Command::new(&app);
    common::scrub(&mut own, &["WS_APP_UNSUPPORTED_ARCH"]).arg("own");
    let out = own.output().expect("runs");
    let (level, _) = host_default();
    assert_eq!(
        out.status.code(),
        Some(if level == "unsupported" { 1 } else { 0 })
    );
    if level != "unsupported" {
        assert_eq!(text(&out.stdout), "own: runs\n");
    }
}
