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

// ------------------------------------------- 10. values Cargo decides per compile

/// Runs `cargo <args>` on the compile-values fixture with `rule` as its one
/// unsupported rule (and a denial with `deny`), then its program; returns
/// the build's output and the program's line (`None` when it did not build).
fn compile_values(
    t: &Path,
    args: &[&str],
    rule: &str,
    deny: bool,
    env: &[(&str, &str)],
) -> (Output, Option<String>) {
    let mut vars = vec![("COMPILE_RULE", rule)];
    if deny {
        vars.push(("COMPILE_DENY", "1"));
    }
    vars.extend_from_slice(env);
    let out = cargo_in(t, "compile-values", args, &vars);
    if !out.status.success() {
        return (out, None);
    }
    let profile = if args.contains(&"--release") {
        "release"
    } else {
        "debug"
    };
    let ran = run(&t.join(profile).join("compile-values"), &[]);
    (out, Some(text(&ran.stdout)))
}

/// A rule over a Cargo feature, the debug assertions or the panic strategy
/// is decided with the values of the compile Cargo runs, as Cargo gives
/// them to build scripts, never with a plain `rustc --print cfg` (which
/// always has `debug_assertions` and the target's strategy).
#[test]
fn features_and_debug_assertions_are_the_compile_s() {
    let t = target("trust-compile-values");
    let feature = r#"feature = "legacy""#;
    let (_, line) = compile_values(&t, &["build", "--release"], feature, false, &[]);
    assert_eq!(line.as_deref(), Some("stable\n"));
    let (_, line) = compile_values(
        &t,
        &["build", "--release", "--features", "legacy"],
        feature,
        false,
        &[],
    );
    assert_eq!(line.as_deref(), Some("refused\n"));
    let (out, line) = compile_values(
        &t,
        &["build", "--release", "--features", "legacy"],
        feature,
        true,
        &[],
    );
    assert_eq!(line, None);
    assert!(
        text(&out.stderr).contains("is denied by this crate's policy"),
        "{}",
        text(&out.stderr)
    );
    // debug_assertions: on in dev, off in release.
    let (_, line) = compile_values(&t, &["build"], "debug_assertions", false, &[]);
    assert_eq!(line.as_deref(), Some("refused\n"));
    let (out, line) = compile_values(&t, &["build", "--release"], "debug_assertions", false, &[]);
    assert_eq!(line.as_deref(), Some("stable\n"), "{}", text(&out.stderr));
    // A CARGO_CFG_DEBUG_ASSERTIONS left over from an enclosing build cannot
    // make a release compile take a debug verdict: it stops the compile.
    let (out, line) = compile_values(
        &t,
        &["build", "--release"],
        "debug_assertions",
        false,
        &[("CARGO_CFG_DEBUG_ASSERTIONS", "")],
    );
    assert_eq!(line, None);
    assert!(
        text(&out.stderr).contains(
            "platform-guard: this crate's build script decided its verdict with \
             debug_assertions = \"on\", but this compile has debug_assertions = \"off\""
        ),
        "{}",
        text(&out.stderr)
    );
}

/// Cargo tells build scripts the target's panic strategy, not the
/// profile's: the build says so, and a compile with another strategy stops
/// with one message; with the strategy in the rustflags, the build script
/// sees it and decides for it.
#[test]
fn the_panic_strategy_of_a_profile_is_never_decided_in_silence() {
    let t = target("trust-panic");
    let rule = r#"panic = "abort""#;
    let (out, line) = compile_values(
        &t,
        &["build", "--release"],
        rule,
        false,
        &[("CARGO_PROFILE_RELEASE_PANIC", "abort")],
    );
    assert_eq!(line, None, "built: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "warning: compile-values@0.1.0: platform-guard: a rule tests `panic`: decided with \
             panic = \"unwind\""
        ),
        "{}",
        stderr
    );
    assert!(
        stderr.contains(
            "error[E0080]: evaluation panicked: platform-guard: this crate's build script \
             decided its verdict with panic = \"unwind\", but this compile has panic = \"abort\""
        ),
        "{}",
        stderr
    );
    let (out, line) = compile_values(
        &t,
        &["build", "--release"],
        rule,
        false,
        &[("RUSTFLAGS", "-Cpanic=abort")],
    );
    assert_eq!(line.as_deref(), Some("refused\n"), "{}", text(&out.stderr));
    let (_, line) = compile_values(&t, &["build", "--release"], rule, false, &[]);
    assert_eq!(line.as_deref(), Some("stable\n"));
}

// ------------------------------------------- 11. a nested build of the same package

/// A package built again from inside its own `cargo run --example`: the
/// inner build's script skips the guard (feature `noguard`), and the outer
/// run's `PLATFORM_GUARD_*` values, which `cargo run` put into the
/// example's environment, belong to another compile of the same package:
/// the inner program classifies on its own (zero setup), in both
/// directions.
#[test]
fn a_nested_build_of_the_same_package_takes_its_own_verdict() {
    let (level, _) = host_default();
    let outer = target("trust-nested-self-outer");
    let inner = target("trust-nested-self-inner");
    let nest = |outer_level: &str, env: &[(&str, &str)]| {
        let mut vars = vec![("NESTED_SELF_LEVEL", outer_level)];
        // NEST_DENY: PLATFORM_GUARD_DENY for the nested build only.
        vars.extend_from_slice(env);
        cargo_in(
            &outer,
            "nested-self",
            &[
                "run",
                "--quiet",
                "--example",
                "nest",
                "--",
                inner.to_str().unwrap(),
            ],
            &vars,
        )
    };
    // The outer verdict is unstable; the inner compile's own is the
    // default policy's for the host.
    let out = nest("unstable", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let own = if level == "unsupported" {
        "refused\n".to_string()
    } else {
        format!("{}\n", level)
    };
    assert_eq!(text(&out.stdout), own);
    // The outer verdict is stable, and PLATFORM_GUARD_DENY denies the inner
    // compile's own level: the inner build fails.
    let out = nest("stable", &[("NEST_DENY", level)]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(&format!(
            "is denied by PLATFORM_GUARD_DENY={}; set NESTED_SELF_UNSUPPORTED_ARCH=",
            level
        )),
        "{}",
        text(&out.stderr)
    );
}

// ------------------------------------------- 12. a custom target spec named like a built-in one

/// A target spec file named `x86_64-unknown-linux-gnu.json` that differs
/// from the built-in target (it adds `avx2`): Cargo gives build scripts the
/// file's stem and the spec's cfg but not its path, so the guard cannot ask
/// the compiler about it, and says so instead of deciding for the built-in
/// target. (`RUSTC_BOOTSTRAP=1` lets the stable toolchain take
/// `-Zjson-target-spec`; the crate itself then fails for lack of `core`,
/// after the build script ran.)
#[test]
fn a_custom_target_spec_named_like_a_built_in_one_is_not_taken_for_it() {
    let (triple, _) = host();
    if triple != "x86_64-unknown-linux-gnu" {
        return;
    }
    let t = target("trust-json-spec");
    let spec_dir = t.join("spec");
    std::fs::create_dir_all(&spec_dir).unwrap();
    let json = std::process::Command::new(common::rustc())
        .args([
            "-Zunstable-options",
            "--print",
            "target-spec-json",
            "--target",
            &triple,
        ])
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .expect("rustc runs");
    assert!(json.status.success(), "{}", text(&json.stderr));
    let json = text(&json.stdout);
    let modified = json.replacen(
        "\"cpu\": \"x86-64\",",
        "\"cpu\": \"x86-64\",\n  \"features\": \"+avx2\",",
        1,
    );
    assert_ne!(json, modified, "the spec names its features");
    let spec = spec_dir.join(format!("{}.json", triple));
    std::fs::write(&spec, modified).unwrap();
    let out = cargo_in(
        &t,
        "trust-policy",
        &[
            "check",
            "-vv",
            "--keep-going",
            "-Zjson-target-spec",
            "--target",
            spec.to_str().unwrap(),
        ],
        &[
            ("RUSTC_BOOTSTRAP", "1"),
            ("TRUST_RULE", r#"target_feature = "avx2""#),
        ],
    );
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("but Cargo says target_feature = ")
            && stderr.contains(
                "a custom target spec named like the built-in target x86_64-unknown-linux-gnu?"
            ),
        "{}",
        stderr
    );
    assert!(
        !text(&out.stdout).contains("PLATFORM_GUARD_DONE"),
        "{}",
        text(&out.stdout)
    );
}

// ------------------------------------------- 13. a policy the build never reads

/// A `[package.metadata.platform-guard]` table in a package whose build
/// runs no guard: the program does not build, saying why.
#[test]
fn a_table_no_build_script_reads_stops_the_build() {
    let t = target("trust-table-no-script");
    let out = cargo_in(&t, "table-no-script", &["build"], &[]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "error[E0080]: evaluation panicked: platform-guard: this package's Cargo.toml has a \
             [package.metadata.platform-guard] table, but no build script of the package ran the \
             guard"
        ),
        "{}",
        stderr
    );
}

/// `Policy::from_manifest().deny(Level::Unstable).build()`: the build says
/// that it changes the table's policy in code, which the command cannot
/// see.
#[test]
fn a_table_changed_in_build_rs_is_said() {
    let t = target("trust-manifest-changed");
    let out = cargo_in(&t, "manifest-changed", &["build"], &[]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{}", stderr);
    assert!(
        stderr.contains(
            "platform-guard: build.rs changes the policy it read from \
             [package.metadata.platform-guard] in code (.deny(unstable)): `cargo platform-guard`, \
             which reads the table, decides without these changes"
        ),
        "{}",
        stderr
    );
}

// ------------------------------------------- 14. messages that land

/// A zero-setup denial is one error at the macro's call site, worded as a
/// build script's, with no notes pointing into this crate's sources; a
/// lifted one is one warning, as in build-script mode.
#[test]
fn zero_setup_denials_and_lifts_are_one_message_each() {
    let t = target("trust-zero-messages");
    let (triple, arch) = host();
    let (level, _) = host_default();
    let out = cargo_in(
        &t,
        "zero-setup",
        &["build"],
        &[("PLATFORM_GUARD_DENY", level)],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error[")).collect();
    // One per macro call (the fixture calls enforce!() and check!()).
    assert_eq!(errors.len(), 2, "{}", stderr);
    assert!(errors.iter().all(|e| e.contains(&format!(
        "platform-guard: building for {} target {}",
        level, triple
    ))));
    assert!(!stderr.contains("inside `"), "{}", stderr);
    assert!(!stderr.contains("src/runtime.rs"), "{}", stderr);
    let out = cargo_in(
        &t,
        "zero-setup",
        &["build"],
        &[
            ("PLATFORM_GUARD_DENY", level),
            ("ZERO_SETUP_UNSUPPORTED_ARCH", &arch),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let want = format!(
        "platform-guard: the denial of {} target {} by PLATFORM_GUARD_DENY={} is lifted because \
         ZERO_SETUP_UNSUPPORTED_ARCH={} is set",
        level, triple, level, arch
    );
    assert!(text(&out.stderr).contains(&want), "{}", text(&out.stderr));
}

// ------------------------------------------- 15. the build script's rerun rule

/// A build script that generates code from a data file and prints no
/// rerun-if line relied on Cargo rerunning it when any package file
/// changes; the guard's rerun-if-env-changed lines end that. The build says
/// so, and the line it names brings the regeneration back.
#[test]
fn a_script_that_relied_on_cargo_s_rerun_rule_is_told() {
    let base = target("trust-codegen");
    let dir = base.join("src");
    common::copy_fixture("codegen", &dir);
    let build = || {
        let out = std::process::Command::new(common::cargo_program())
            .arg("build")
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", base.join("target"))
            .env_remove("PLATFORM_GUARD_DENY")
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "{}", text(&out.stderr));
        out
    };
    let out = build();
    assert!(
        text(&out.stderr).contains(
            "platform-guard: build.rs prints no rerun-if directive of its own and reads files \
             (fs::, read_to_string, OUT_DIR), so Cargo reran it whenever a file of the package \
             changed"
        ),
        "{}",
        text(&out.stderr)
    );
    let program = base.join("target").join("debug").join("codegen");
    assert_eq!(text(&run(&program, &[]).stdout), "first\n");
    // What the warning says to print restores the regeneration.
    let script = std::fs::read_to_string(dir.join("build.rs")).unwrap();
    std::fs::write(
        dir.join("build.rs"),
        script.replace(
            "fn main() {",
            "fn main() {\n    println!(\"cargo:rerun-if-changed=data.txt\");",
        ),
    )
    .unwrap();
    let out = build();
    assert!(
        !text(&out.stderr).contains("rerun-if directive"),
        "{}",
        text(&out.stderr)
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(dir.join("data.txt"), "second\n").unwrap();
    build();
    assert_eq!(text(&run(&program, &[]).stdout), "second\n");
}
