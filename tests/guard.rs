//! The guard end to end: real Cargo builds of fixture crates under
//! tests/fixtures that depend on this crate by path, and real runs of the
//! programs they produce.

mod common;

use common::{build_bin, cargo, host, run, text};

#[test]
fn unsupported_host_refuses_to_run_without_the_override() {
    let (triple, arch) = host();
    let bin = build_bin("refuse");
    let out = run(&bin, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        format!(
            "platform-guard: refusing to run on unsupported target {} (no rule matched); set \
             REFUSE_UNSUPPORTED_ARCH={} to run anyway\n",
            triple, arch
        )
    );
}

#[test]
fn exact_override_runs_with_one_warning_line() {
    let (triple, arch) = host();
    let bin = build_bin("refuse");
    let out = run(&bin, &[("REFUSE_UNSUPPORTED_ARCH", &arch)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!(
            "platform-guard: warning: running on unsupported target {} (no rule matched) because \
             REFUSE_UNSUPPORTED_ARCH={} is set\n",
            triple, arch
        )
    );
    assert_eq!(
        text(&out.stdout),
        format!(
            "running with platform_support=unsupported\ncheck: ok unsupported {} \
             REFUSE_UNSUPPORTED_ARCH={}\n",
            triple, arch
        )
    );
}

#[test]
fn wrong_override_values_are_refused_and_the_expected_value_named() {
    let (triple, arch) = host();
    let bin = build_bin("refuse");
    let upper = arch.to_uppercase();
    let padded = format!(" {}", arch);
    for wrong in ["", upper.as_str(), padded.as_str(), "amd64"] {
        let out = run(&bin, &[("REFUSE_UNSUPPORTED_ARCH", wrong)]);
        assert_eq!(out.status.code(), Some(1), "value {:?}", wrong);
        assert_eq!(
            text(&out.stderr),
            format!(
                "platform-guard: refusing to run on unsupported target {} (no rule matched); \
                 REFUSE_UNSUPPORTED_ARCH is {:?}, but it must be exactly {:?} to run anyway\n",
                triple, wrong, arch
            )
        );
        assert_eq!(text(&out.stdout), "");
    }
}

#[cfg(unix)]
#[test]
fn refusal_with_stderr_closed_exits_1_without_a_panic() {
    let bin = build_bin("refuse");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("\"$0\" 2>&-; echo \"status $?\"")
        .arg(&bin)
        .env_remove("REFUSE_UNSUPPORTED_ARCH")
        .output()
        .expect("sh runs");
    assert_eq!(text(&out.stdout), "status 1\n");
    assert_eq!(text(&out.stderr), "");
}

#[cfg(unix)]
#[test]
fn non_utf8_override_is_a_refusal_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let bin = build_bin("refuse");
    let out = std::process::Command::new(&bin)
        .env(
            "REFUSE_UNSUPPORTED_ARCH",
            std::ffi::OsStr::from_bytes(b"x86\xff_64"),
        )
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("REFUSE_UNSUPPORTED_ARCH is not valid UTF-8 (\"x86\u{fffd}_64\"), but it must be exactly"),
        "{}",
        err
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn build_warns_once_declares_its_cfg_and_does_not_rerun_when_nothing_changed() {
    let (triple, arch) = host();
    let own = common::target_dir().with_file_name("fixtures-rebuild");
    let _ = std::fs::remove_dir_all(&own);
    let out = common::cargo_in(&own, "refuse", &["build"], &[]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{}", err);
    assert!(
        err.contains(&format!(
            "warning: refuse@0.1.0: platform-guard: target {} is unsupported (no rule matched); \
             its programs refuse to run unless REFUSE_UNSUPPORTED_ARCH={} is set",
            triple, arch
        )),
        "{}",
        err
    );
    // main.rs denies unexpected_cfgs and all warnings: the cfg is declared.
    assert!(!err.contains("unexpected"), "{}", err);

    let again = common::cargo_in(&own, "refuse", &["build", "-v"], &[]);
    let err = text(&again.stderr);
    assert!(again.status.success(), "{}", err);
    assert!(err.contains("Fresh refuse v0.1.0"), "{}", err);
    assert!(!err.contains("build-script-build`"), "{}", err);
    assert!(!err.contains("Compiling"), "{}", err);
}

#[test]
fn denied_32_bit_target_fails_in_the_build_script_with_the_guard_message() {
    let out = cargo(
        "deny32",
        &[
            "check",
            "--keep-going",
            "--target",
            "i686-unknown-linux-gnu",
        ],
        &[],
    );
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{}", err);
    assert!(
        err.contains(
            "error: deny32@0.1.0: platform-guard: building for unsupported target \
             i686-unknown-linux-gnu (no rule matched) is denied by this crate's policy (deny \
             unsupported and worse); set DENY32_UNSUPPORTED_ARCH=x86 to build anyway\n"
        ),
        "{}",
        err
    );
    assert!(err.contains("error: build script logged errors"), "{}", err);
}

#[test]
fn override_at_build_time_lifts_the_denial_with_a_warning() {
    let out = cargo(
        "deny32",
        &[
            "check",
            "--keep-going",
            "--target",
            "i686-unknown-linux-gnu",
        ],
        &[("DENY32_UNSUPPORTED_ARCH", "x86")],
    );
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "warning: deny32@0.1.0: platform-guard: the denial of unsupported target \
             i686-unknown-linux-gnu by this crate's policy (deny unsupported and worse) is \
             lifted because DENY32_UNSUPPORTED_ARCH=x86 is set"
        ),
        "{}",
        err
    );
    assert!(!err.contains("is denied"), "{}", err);
}

#[test]
fn platform_guard_deny_fails_a_build_the_code_allows() {
    let (triple, arch) = host();
    let ok = cargo("deny32", &["check"], &[]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let out = cargo("deny32", &["check"], &[("PLATFORM_GUARD_DENY", "stable")]);
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!(
            "error: deny32@0.1.0: platform-guard: building for stable target {} (rule \
             `all(target_pointer_width = \"64\", any(target_arch = \"x86_64\", target_arch = \
             \"aarch64\"), any(target_os = \"linux\", target_os = \"macos\", target_os = \
             \"windows\"))`) is denied by PLATFORM_GUARD_DENY=stable; set \
             DENY32_UNSUPPORTED_ARCH={} to build anyway",
            triple, arch
        )),
        "{}",
        err
    );
    let bad = cargo("deny32", &["check"], &[("PLATFORM_GUARD_DENY", "32-bit")]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains(
            "PLATFORM_GUARD_DENY: unknown support level \"32-bit\": expected one of stable, \
             experimental, unstable, unsupported (lowercase)"
        ),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn zero_setup_uses_the_default_policy_and_the_package_variable() {
    let (triple, arch) = host();
    let bin = build_bin("zero-setup");
    let out = run(&bin, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    // This test runs on 64-bit x86_64/aarch64 Linux or macOS hosts, which
    // the default policy calls stable.
    assert_eq!(
        text(&out.stdout),
        format!(
            "stable {} ZERO_SETUP_UNSUPPORTED_ARCH {} all(target_pointer_width = \"64\", \
             any(target_arch = \"x86_64\", target_arch = \"aarch64\"), any(target_os = \"linux\", \
             target_os = \"macos\", target_os = \"windows\"))\n",
            triple, arch
        )
    );
}

#[test]
fn zero_setup_build_has_no_warnings_and_no_rustc_version() {
    let out = cargo("zero-setup", &["tree", "--edges", "normal,build"], &[]);
    let tree = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Zero setup compiles nothing but platform-guard, its implementation
    // and cfg-if: the packages under the fixture's own line.
    let mut packages: Vec<&str> = tree
        .lines()
        .skip(1)
        .filter_map(|l| {
            l.trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
                .split(' ')
                .next()
        })
        .filter(|name| !name.is_empty())
        .collect();
    packages.sort_unstable();
    packages.dedup();
    assert_eq!(
        packages,
        ["cfg-if", "platform-guard", "platform-guard-core"],
        "{}",
        tree
    );
    assert!(!tree.contains("rustc_version"), "{}", tree);
    assert!(!tree.contains("semver"), "{}", tree);
}
