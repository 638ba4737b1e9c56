//! Hostile input, end to end: every bad input a user, an environment or a
//! crafted process can hand the guard gets one clear message and exit
//! status, never a panic, a silent allow, a wrong cfg or a directive that
//! Cargo reads differently from what was meant.
//!
//! Most cases build `tests/fixtures/hostile-policy`, whose build script
//! assembles its policy from `HOSTILE_*` variables, with `cargo -vv`, which
//! echoes every line the build script writes as `[hostile-policy 0.1.0] ...`:
//! that is exactly what Cargo read. Unit tests in `src/*.rs` cover the same
//! inputs at the API level; the catalogue in the issue's closing note maps
//! each input to its tests.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use common::{host, text};
// The pure model is behind feature `policy` (`build`, `manifest` and `cli`
// include it); the tests that use it directly are compiled with it only.
#[cfg(feature = "policy")]
use platform_guard::{CfgExpr, ErrorKind, Policy, MAX_DEPTH};

const FIXTURE: &str = "hostile-policy";

/// The fixtures' own variables; removed (with `common::GUARD_ENV`) from
/// every process these tests spawn, so the developer's environment cannot
/// leak in.
const FIXTURE_VARS: &[&str] = &[
    "HOSTILE_UNSUPPORTED_ARCH",
    "HOSTILE_REBUILD_UNSUPPORTED_ARCH",
    "HOSTILE_VAR",
    "HOSTILE_RULE",
    "HOSTILE_DEPTH",
    "HOSTILE_WIDTH",
    "HOSTILE_LEVEL",
    "HOSTILE_MAINTAINERS",
    "HOSTILE_NOTE",
    "HOSTILE_POLICY_DENY",
    "HOSTILE_NONCE",
    "CARGO_BUILD_TARGET",
];

/// Builds of the shared fixture that are followed by reading what they
/// produced (a binary, a build-script path) hold this lock, so a parallel
/// test cannot rebuild the fixture with another policy in between.
static FIXTURE_LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    FIXTURE_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// A value never used before, so that Cargo reruns the fixture's build
/// script (it watches `HOSTILE_NONCE`) and echoes its output.
fn nonce() -> String {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}-{}-{}",
        std::process::id(),
        nanos,
        COUNT.fetch_add(1, Ordering::SeqCst)
    )
}

fn cargo_cmd(dir: &Path, target_dir: &Path, args: &[&str]) -> Command {
    let cargo = common::cargo_program();
    let mut cmd = Command::new(cargo);
    cmd.args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never");
    common::scrub(&mut cmd, FIXTURE_VARS);
    cmd
}

/// One `cargo -vv` run of the fixture, with the build script forced to run.
struct Build {
    /// The package built (every fixture is version 0.1.0).
    package: &'static str,
    out: Output,
    /// Cargo's stderr.
    stderr: String,
    /// Cargo's stdout: with `-vv` it echoes the build script's stdout there
    /// (and its stderr on stderr).
    stdout: String,
}

impl Build {
    /// How `cargo -vv` prefixes each line the build script writes.
    fn echo(&self) -> String {
        format!("[{} 0.1.0] ", self.package)
    }

    fn ok(&self) -> bool {
        self.out.status.success()
    }

    /// The lines the fixture's build script wrote (stdout and stderr), as
    /// Cargo echoed them.
    fn script(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .chain(self.stderr.lines())
            .filter_map(|l| l.strip_prefix(&self.echo()))
            .collect()
    }

    fn context(&self) -> String {
        let tail: Vec<&str> = self
            .stdout
            .lines()
            .chain(self.stderr.lines())
            .filter(|l| !l.trim_start().starts_with("Running `") && !l.contains("Fresh "))
            .collect();
        tail.join("\n")
    }

    /// No panic, no backtrace, and no directive but the guard's own: exactly
    /// one `rustc-cfg` (platform_support), and no line smuggled in.
    fn assert_clean(&self) {
        let ctx = self.context();
        for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace", "overflow"] {
            assert!(
                !self.stderr.contains(bad) && !self.stdout.contains(bad),
                "{:?} in:\n{}",
                bad,
                ctx
            );
        }
        for line in self.script() {
            let directive = line
                .strip_prefix("cargo::")
                .or_else(|| line.strip_prefix("cargo:"));
            if let Some(d) = directive {
                let known = [
                    "rerun-if-env-changed=",
                    "rerun-if-changed=",
                    "rustc-check-cfg=cfg(platform_support, ",
                    "rustc-cfg=platform_support=\"",
                    "rustc-env=PLATFORM_GUARD_",
                    "warning=platform-guard: ",
                    "error=platform-guard: ",
                ];
                assert!(
                    known.iter().any(|k| d.starts_with(k)),
                    "unexpected directive {:?} in:\n{}",
                    line,
                    ctx
                );
                if d.starts_with("rustc-cfg=") {
                    let levels = ["stable", "experimental", "unstable", "unsupported"];
                    assert!(
                        levels
                            .iter()
                            .any(|l| d == format!("rustc-cfg=platform_support=\"{}\"", l)),
                        "{:?} in:\n{}",
                        line,
                        ctx
                    );
                }
            }
        }
        // Nor on any rustc command line Cargo ran for the fixture.
        for line in self.stderr.lines() {
            if line.contains(&format!("--crate-name {}", self.package.replace('-', "_"))) {
                for cfg in ["--cfg injected", "--cfg 'injected", "--cfg \"injected"] {
                    assert!(!line.contains(cfg), "{}", line);
                }
            }
        }
    }

    /// The build failed through one `cargo::error` directive carrying
    /// `message`: denials, and every error found once the toolchain is known
    /// (a malformed policy or manifest table among them).
    fn assert_cargo_error(&self, message: &str) {
        self.assert_clean();
        let ctx = self.context();
        assert!(!self.ok(), "the build succeeded:\n{}", ctx);
        let want = format!("cargo::error=platform-guard: {}", message);
        let errors: Vec<&str> = self
            .script()
            .into_iter()
            .filter(|l| l.starts_with("cargo::error="))
            .collect();
        assert_eq!(errors, [want.as_str()], "in:\n{}", ctx);
        let line = format!("error: {}@0.1.0: platform-guard: {}", self.package, message);
        assert!(
            self.stderr.lines().any(|l| l == line),
            "no line {:?} in:\n{}",
            line,
            ctx
        );
    }

    /// The build succeeded and the build script set `level`, with `rule`
    /// (canonical text, empty for none) as the matched rule.
    fn assert_classified(&self, level: &str, rule: &str) {
        self.assert_clean();
        let ctx = self.context();
        assert!(self.ok(), "the build failed:\n{}", ctx);
        let script = self.script();
        let cfg = format!("cargo::rustc-cfg=platform_support=\"{}\"", level);
        let cfgs: Vec<&&str> = script
            .iter()
            .filter(|l| l.starts_with("cargo::rustc-cfg=") || l.starts_with("cargo:rustc-cfg="))
            .collect();
        assert_eq!(cfgs, [&cfg.as_str()], "in:\n{}", ctx);
        let rule = format!("cargo::rustc-env=PLATFORM_GUARD_RULE={}", rule);
        assert!(
            script.contains(&rule.as_str()),
            "no {:?} in:\n{}",
            rule,
            ctx
        );
    }
}

/// `cargo -vv <args>` in the fixture with `env`, the build script forced
/// to run. Hold [`lock`] when the build's products are read afterwards.
fn build_os(args: &[&str], env: &[(&str, &OsStr)]) -> Build {
    let mut all = vec!["-vv"];
    all.extend_from_slice(args);
    let mut cmd = cargo_cmd(&common::fixture(FIXTURE), &common::target_dir(), &all);
    cmd.env("HOSTILE_NONCE", nonce());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("cargo runs");
    let stderr = text(&out.stderr);
    let stdout = text(&out.stdout);
    Build {
        package: FIXTURE,
        out,
        stderr,
        stdout,
    }
}

fn build(env: &[(&str, &str)]) -> Build {
    let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
    build_os(&["build"], &env)
}

/// `quoted()` of the crate's messages: Rust string syntax, cut after 120
/// characters.
fn quoted(s: &str) -> String {
    match s.char_indices().nth(120) {
        None => format!("{:?}", s),
        Some((cut, _)) => format!("{:?}... ({} bytes in all)", &s[..cut], s.len()),
    }
}

// ---------------------------------------------------------------- cfg rules

/// `HOSTILE_RULE` values are decoded by the fixture: `\\` is one backslash.
#[test]
fn malformed_cfg_rules_fail_the_build_with_the_parser_s_message() {
    let cases: &[(&str, &str, &str)] = &[
        // (HOSTILE_RULE, the rule as the policy sees it, expected/column/found)
        (
            "",
            "",
            "an identifier, `all(`, `any(` or `not(` at column 1, found end of input",
        ),
        (
            "   ",
            "   ",
            "an identifier, `all(`, `any(` or `not(` at column 4, found end of input",
        ),
        (
            "all(unix",
            "all(unix",
            "`,` or `)` at column 9, found end of input",
        ),
        (
            "all(unix))",
            "all(unix))",
            "end of input after a complete expression at column 10, found ')'",
        ),
        (
            "unix)",
            "unix)",
            "end of input after a complete expression at column 5, found ')'",
        ),
        (
            "foo(unix)",
            "foo(unix)",
            "`all(`, `any(` or `not(` (the only cfg predicates) at column 1, found 'f'",
        ),
        (
            "target_os = linux",
            "target_os = linux",
            "a quoted string value such as \"linux\" at column 13, found 'l'",
        ),
        (
            "target_os = \"linux",
            "target_os = \"linux",
            "a closing `\"` at column 19, found end of input",
        ),
        (
            "target_os = \"li\\\\\"nux\"",
            "target_os = \"li\\\"nux\"",
            "a value without escapes (cfg values never hold `\\`) at column 16, found '\\\\'",
        ),
        (
            "target_os = \"li\\nnux\"",
            "target_os = \"li\nnux\"",
            "a value without control characters at column 16, found '\\n'",
        ),
        (
            "not()",
            "not()",
            "`not(` with exactly one expression at column 1, found 'n'",
        ),
        (
            "all(,)",
            "all(,)",
            "an identifier, `all(`, `any(` or `not(` at column 5, found ','",
        ),
        (
            "any(unix,,)",
            "any(unix,,)",
            "an identifier, `all(`, `any(` or `not(` at column 10, found ','",
        ),
        // As in Cargo: `true`/`false` are not names, predicates need their
        // parentheses, `not(...)` takes no trailing comma, and only spaces
        // separate tokens.
        (
            "true = \"yes\"",
            "true = \"yes\"",
            "a cfg name (`true` and `false` are not names) at column 1, found 't'",
        ),
        (
            "all(unix, any)",
            "all(unix, any)",
            "`(` after `any` at column 14, found ')'",
        ),
        (
            "not(windows,)",
            "not(windows,)",
            "`not(` with exactly one expression at column 1, found 'n'",
        ),
        (
            "all(\\tunix,\\n\\r)",
            "all(\tunix,\n\r)",
            "an identifier, `all(`, `any(` or `not(` at column 5, found '\\t'",
        ),
        (
            "ünix",
            "ünix",
            "an ASCII identifier (non-ASCII names are not cfg names) at column 1, found 'ü'",
        ),
        (
            "all(unix, tärget_os = \"linux\")",
            "all(unix, tärget_os = \"linux\")",
            "`,` or `)` at column 12, found 'ä'",
        ),
        (
            "r#unix",
            "r#unix",
            "end of input after a complete expression at column 2, found '#'",
        ),
        (
            "unix\u{a0}",
            "unix\u{a0}",
            "end of input after a complete expression at column 5, found '\\u{a0}'",
        ),
    ];
    for (knob, rule, expected) in cases {
        let b = build(&[("HOSTILE_RULE", knob)]);
        b.assert_cargo_error(&format!(
            "stable rule 1: invalid cfg expression {}: expected {}",
            quoted(rule),
            expected
        ));
    }
}

#[cfg(feature = "policy")]
#[test]
fn nesting_past_the_limit_is_refused_without_overflowing_the_stack() {
    for depth in [MAX_DEPTH + 1, 100_000] {
        let rule = format!("{}unix{}", "all(".repeat(depth), ")".repeat(depth));
        let b = build(&[("HOSTILE_DEPTH", &depth.to_string())]);
        b.assert_cargo_error(&format!(
            "stable rule 1: invalid cfg expression {}: expected at most {} levels of nested \
             all/any/not at column {}, found 'a'",
            quoted(&rule),
            MAX_DEPTH,
            MAX_DEPTH * 4 + 1
        ));
    }
    // The limit itself is fine, and the rule is written back in full.
    let b = build(&[("HOSTILE_DEPTH", &MAX_DEPTH.to_string())]);
    let canonical = format!("{}unix{}", "all(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    b.assert_classified("stable", &canonical);
}

/// A matched rule reaches rustc as an environment variable; one too long
/// for that is refused with a message, not left to fail in Cargo with
/// "Argument list too long".
#[test]
fn rules_too_long_for_rustc_s_environment_fail_the_build_clearly() {
    let b = build(&[("HOSTILE_WIDTH", "60000")]);
    let rule = format!("any(unix{})", ", a".repeat(60_000));
    b.assert_cargo_error(&format!(
        "refusing to write the build-script directive rustc-env=PLATFORM_GUARD_RULE: its value {} \
         is longer than the 32000 bytes an environment variable can hold for rustc on every \
         platform (shorten the rule)",
        quoted(&rule)
    ));
    assert!(
        !b.stderr.contains("Argument list too long"),
        "{}",
        b.context()
    );
    // Just under the limit, the build and the program work.
    let rule = format!("any(unix{})", ", a".repeat(10_000));
    build(&[("HOSTILE_WIDTH", "10000")]).assert_classified("stable", &rule);
}

#[test]
fn cfg_forms_cargo_accepts_classify_as_cargo_would() {
    // (rule, level the host gets, canonical rule or "" for no match);
    // every host these tests run on is a unix that is not Windows.
    let cases: &[(&str, &str, &str)] = &[
        ("all()", "stable", "all()"),
        ("any()", "unsupported", ""),
        ("not(any())", "stable", "not(any())"),
        ("all(unix,)", "stable", "all(unix)"),
        ("any(windows, unix,)", "stable", "any(windows, unix)"),
        ("cfg(unix)", "stable", "unix"),
        (
            "cfg( all ( unix ,target_family=\"unix\" , ) )",
            "stable",
            "all(unix, target_family = \"unix\")",
        ),
        // `true` and `false`, as Cargo 1.88+ reads them.
        ("true", "stable", "true"),
        ("cfg(false)", "unsupported", ""),
        (
            "any(false, not(true), unix)",
            "stable",
            "any(false, not(true), unix)",
        ),
        // Non-ASCII values are values: they just match nothing here.
        ("target_os = \"ünix\"", "unsupported", ""),
        // `cfg` alone is a plain name, not a wrapper.
        ("cfg", "unsupported", ""),
    ];
    for (rule, level, canonical) in cases {
        build(&[("HOSTILE_RULE", rule)]).assert_classified(level, canonical);
    }
}

// ------------------------------------------------- names, maintainers, notes

#[test]
fn invalid_override_variable_names_fail_the_build() {
    // HOSTILE_VAR values, decoded by the fixture, and the name the policy got.
    let cases: &[(&str, &str)] = &[
        ("", ""),
        ("A=B", "A=B"),
        ("A\\0B", "A\0B"),
        ("A B", "A B"),
        (" A", " A"),
        ("A\\tB", "A\tB"),
        ("my_unsupported_arch", "my_unsupported_arch"),
        ("My_ARCH", "My_ARCH"),
        ("1ARCH", "1ARCH"),
        ("ÄRCH", "ÄRCH"),
        (
            "A\\ncargo::rustc-cfg=injected",
            "A\ncargo::rustc-cfg=injected",
        ),
        (
            "A\\rcargo:rustc-cfg=injected",
            "A\rcargo:rustc-cfg=injected",
        ),
        ("cargo::rustc-cfg=injected", "cargo::rustc-cfg=injected"),
    ];
    for (knob, name) in cases {
        let b = build(&[("HOSTILE_VAR", knob)]);
        b.assert_cargo_error(&format!(
            "override variable name {} is invalid: expected upper-case ASCII letters, digits and \
             `_`, not starting with a digit (such as MYAPP_UNSUPPORTED_ARCH)",
            quoted(name)
        ));
    }
}

#[test]
fn maintainers_and_notes_with_line_breaks_fail_the_build_and_emit_no_verdict() {
    let cases: &[(&str, &str, &str, usize)] = &[
        // (knob, decoded text, character, byte)
        (
            "team\\ncargo::rustc-cfg=injected",
            "team\ncargo::rustc-cfg=injected",
            "'\\n'",
            4,
        ),
        (
            "team\\rcargo:rustc-cfg=injected",
            "team\rcargo:rustc-cfg=injected",
            "'\\r'",
            4,
        ),
        ("\\0", "\0", "'\\0'", 0),
        ("a\u{85}b", "a\u{85}b", "'\\u{85}'", 1),
        ("tab\\there", "tab\there", "'\\t'", 3),
    ];
    for (knob, decoded, ch, at) in cases {
        for (what, var) in [
            ("maintainers", "HOSTILE_MAINTAINERS"),
            ("note", "HOSTILE_NOTE"),
        ] {
            let b = build(&[(var, knob)]);
            b.assert_cargo_error(&format!(
                "{} {} contains the control character {} at byte {}: expected one line of \
                 printable text",
                what,
                quoted(decoded),
                ch,
                at
            ));
            // Nothing the guard writes comes before that check but the mark
            // that it started (which keeps the program from building).
            let script = b.script();
            let written: Vec<&&str> = script
                .iter()
                .filter(|l| l.starts_with("cargo:") && !l.contains("=HOSTILE_"))
                .collect();
            assert_eq!(written.len(), 2, "{}", b.context());
            assert!(
                written[0].starts_with("cargo:rustc-env=PLATFORM_GUARD_RUN="),
                "{}",
                b.context()
            );
        }
    }
}

/// `cargo:` text with no line break cannot start a directive: it is
/// accepted, and only ever written inside another directive's value.
#[test]
fn directive_text_without_a_line_break_stays_inert() {
    let _guard = lock();
    let rule = "any(unix, target_os = \"cargo::rustc-cfg=injected\")";
    let b = build(&[
        ("HOSTILE_RULE", rule),
        ("HOSTILE_LEVEL", "unstable"),
        ("HOSTILE_MAINTAINERS", "cargo::rustc-cfg=injected"),
        ("HOSTILE_NOTE", "cargo:rustc-cfg=injected"),
    ]);
    b.assert_classified("unstable", rule);
    let (triple, arch) = host();
    let warning = format!(
        "cargo::warning=platform-guard: target {} is unstable (rule `{}`); its programs refuse \
         to run unless HOSTILE_UNSUPPORTED_ARCH={} is set",
        triple, rule, arch
    );
    assert!(b.script().contains(&warning.as_str()), "{}", b.context());
    // main.rs has `#[cfg(injected)] compile_error!(..)`: it compiled, and
    // the program sees the rule as one value.
    let bin = common::target_dir().join("debug").join(FIXTURE);
    let out = run(&bin, &[("HOSTILE_UNSUPPORTED_ARCH", OsStr::new(&arch))]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "unstable {} HOSTILE_UNSUPPORTED_ARCH={} rule: {}\ncfg: unstable\n",
            triple, arch, rule
        )
    );
}

// --------------------------------------------------- build-time overrides

#[test]
fn build_time_override_must_be_exact_and_is_never_echoed_raw() {
    let (triple, arch) = host();
    let denied = format!(
        "building for unsupported target {} (no rule matched) is denied by this crate's policy \
         (deny unsupported and worse); ",
        triple
    );
    let upper = arch.to_uppercase();
    let padded = format!(" {}", arch);
    let trailing = format!("{} ", arch);
    let injected = format!("{}\ncargo::rustc-cfg=injected", arch);
    for value in [
        "",
        upper.as_str(),
        padded.as_str(),
        trailing.as_str(),
        injected.as_str(),
    ] {
        let b = build_os(
            &["build"],
            &[
                ("HOSTILE_POLICY_DENY", OsStr::new("unsupported")),
                ("HOSTILE_UNSUPPORTED_ARCH", OsStr::new(value)),
            ],
        );
        b.assert_cargo_error(&format!(
            "{}HOSTILE_UNSUPPORTED_ARCH is {:?}, but it must be exactly {:?} to build anyway",
            denied, value, arch
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let b = build_os(
            &["build"],
            &[
                ("HOSTILE_POLICY_DENY", OsStr::new("unsupported")),
                (
                    "HOSTILE_UNSUPPORTED_ARCH",
                    OsStr::from_bytes(b"x86\xff\ncargo::rustc-cfg=injected"),
                ),
            ],
        );
        b.assert_cargo_error(&format!(
            "{}HOSTILE_UNSUPPORTED_ARCH is not valid UTF-8 (\"x86\u{fffd}\\ncargo::rustc-cfg=\
             injected\"), but it must be exactly {:?} to build anyway",
            denied, arch
        ));
    }
    let b = build(&[
        ("HOSTILE_POLICY_DENY", "unsupported"),
        ("HOSTILE_UNSUPPORTED_ARCH", &arch),
    ]);
    b.assert_classified("unsupported", "");
    let lifted = format!(
        "cargo::warning=platform-guard: the denial of unsupported target {} by this crate's \
         policy (deny unsupported and worse) is lifted because HOSTILE_UNSUPPORTED_ARCH={} is set",
        triple, arch
    );
    assert!(b.script().contains(&lifted.as_str()), "{}", b.context());
}

#[test]
fn unknown_platform_guard_deny_levels_fail_the_build() {
    for value in [
        "Unstable",
        "UNSUPPORTED",
        "",
        " unstable",
        "unstable ",
        "32-bit",
        "deny",
        "unstable\ncargo::rustc-cfg=injected",
    ] {
        let b = build_os(&["build"], &[("PLATFORM_GUARD_DENY", OsStr::new(value))]);
        b.assert_cargo_error(&format!(
            "PLATFORM_GUARD_DENY: unknown support level {:?}: expected one of stable, \
             experimental, unstable, unsupported (lowercase)",
            value
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let b = build_os(
            &["build"],
            &[("PLATFORM_GUARD_DENY", OsStr::from_bytes(b"unstable\xff"))],
        );
        b.assert_cargo_error(
            "environment variable PLATFORM_GUARD_DENY is not valid UTF-8 (lossy: \
             \"unstable\u{fffd}\"): expected UTF-8 text",
        );
    }
}

// ------------------------------------------- the build script run by hand

/// The fixture's compiled build script, built by Cargo.
fn build_script_binary() -> PathBuf {
    let out = cargo_cmd(
        &common::fixture(FIXTURE),
        &common::target_dir(),
        &["build", "--message-format=json"],
    )
    .output()
    .expect("cargo runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    let line = json
        .lines()
        .find(|l| {
            l.contains("\"reason\":\"compiler-artifact\"")
                && l.contains("hostile-policy")
                && l.contains("\"kind\":[\"custom-build\"]")
        })
        .unwrap_or_else(|| panic!("no build-script artifact in:\n{}", json));
    let start = line.find("\"filenames\":[\"").expect("filenames") + "\"filenames\":[\"".len();
    let end = start + line[start..].find('"').expect("closing quote");
    PathBuf::from(&line[start..end])
}

fn sysroot_rustc() -> PathBuf {
    let rustc = common::rustc();
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    PathBuf::from(text(&out.stdout).trim())
        .join("bin")
        .join("rustc")
}

/// Runs `bin` with exactly `env` (nothing inherited).
fn run_bare(bin: &Path, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env_clear().envs(env.iter().copied());
    cmd
}

fn run(bin: &Path, env: &[(&str, &OsStr)]) -> Output {
    let mut cmd = Command::new(bin);
    common::scrub(&mut cmd, FIXTURE_VARS);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("program runs")
}

fn no_panic(out: &Output) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{}", err);
    assert!(!err.contains("backtrace"), "{}", err);
    assert_ne!(out.status.code(), Some(101), "{}", err);
}

const NOT_IN_CARGO: &str = "error: platform-guard: not running in a build script started by \
                            Cargo: CARGO_MANIFEST_DIR is not set\n";
const NO_TARGET: &str = "error: platform-guard: not running in a build script started by \
                         Cargo: TARGET and CARGO_CFG_TARGET_ARCH are not set\n";
const NO_OUT_DIR: &str = "error: platform-guard: not running in a build script started by \
                          Cargo: OUT_DIR is not set\n";

/// A copy of the shared fixture's compiled build script, named `name`, so
/// running it cannot race with later builds of the fixture.
fn build_script_copy(name: &str) -> PathBuf {
    let _guard = lock();
    let script = build_script_binary();
    let copy = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::copy(&script, &copy).expect("copy the build script");
    copy
}

#[test]
fn build_script_run_outside_cargo_exits_1_with_one_line() {
    let script = build_script_copy("hostile-build-script");
    let out = run_bare(&script, &[]).output().expect("runs");
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), NOT_IN_CARGO);
    // Only the fixture's own lines: the guard wrote nothing to stdout.
    assert!(
        text(&out.stdout)
            .lines()
            .all(|l| l.starts_with("cargo:rerun-if-env-changed=HOSTILE_")),
        "{}",
        text(&out.stdout)
    );
    // With stderr on a full device or closed, still status 1 and no panic
    // (a panic would be status 101).
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let status = run_bare(&script, &[])
            .stdout(Stdio::null())
            .stderr(full)
            .status()
            .expect("runs");
        assert_eq!(status.code(), Some(1));
    }
    #[cfg(unix)]
    {
        let out = Command::new("sh")
            .arg("-c")
            .arg("env -i \"$0\" >/dev/null 2>&-; echo \"status $?\"")
            .arg(&script)
            .output()
            .expect("sh runs");
        assert_eq!(text(&out.stdout), "status 1\n");
        assert_eq!(text(&out.stderr), "");
    }
    // Half of Cargo's environment is still outside Cargo.
    for (env, message) in [
        (&[("TARGET", "x86_64-unknown-linux-gnu")][..], NOT_IN_CARGO),
        (&[("CARGO_MANIFEST_DIR", "/src/x")][..], NO_OUT_DIR),
        (
            &[("CARGO_MANIFEST_DIR", "/src/x"), ("OUT_DIR", "/src/x/out")][..],
            NO_TARGET,
        ),
        (
            &[
                ("CARGO_MANIFEST_DIR", "/src/x"),
                ("OUT_DIR", "/src/x/out"),
                ("CARGO_CFG_TARGET_ARCH", "x86_64"),
            ][..],
            NO_TARGET,
        ),
        (
            &[
                ("CARGO_MANIFEST_DIR", "/src/x"),
                ("OUT_DIR", "/src/x/out"),
                ("TARGET", ""),
                ("CARGO_CFG_TARGET_ARCH", "x86_64"),
            ][..],
            NO_TARGET,
        ),
    ] {
        let out = run_bare(&script, env).output().expect("runs");
        no_panic(&out);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(text(&out.stderr), message);
    }
}

#[test]
fn target_values_cargo_never_produces_are_refused_by_the_build_script() {
    let script = build_script_copy("hostile-build-script-cfg");
    let rustc = sysroot_rustc();
    let rustc = rustc.to_str().expect("UTF-8 path");
    let base = [
        ("TARGET", "x86_64-unknown-linux-gnu"),
        ("CARGO_CFG_TARGET_ARCH", "x86_64"),
        ("CARGO_CFG_TARGET_OS", "linux"),
        ("RUSTC", rustc),
        ("CARGO_MANIFEST_DIR", "/src/hostile"),
        ("OUT_DIR", "/src/hostile/out"),
    ];
    let cases: &[(&str, &str, &str)] = &[
        (
            "CARGO_CFG_TARGET_POINTER_WIDTH",
            "sixty-four",
            "CARGO_CFG_TARGET_POINTER_WIDTH: target_pointer_width = \"sixty-four\" is not a \
             value rustc produces",
        ),
        (
            "CARGO_CFG_TARGET_POINTER_WIDTH",
            "",
            "CARGO_CFG_TARGET_POINTER_WIDTH: target_pointer_width = \"\" is not a value rustc \
             produces",
        ),
        (
            "CARGO_CFG_TARGET_POINTER_WIDTH",
            "32,64",
            "CARGO_CFG_TARGET_POINTER_WIDTH: target_pointer_width = \"32,64\" is not a value \
             rustc produces",
        ),
        (
            "CARGO_CFG_TARGET_ENDIAN",
            "middle",
            "CARGO_CFG_TARGET_ENDIAN: target_endian = \"middle\" is not a value rustc produces",
        ),
        (
            "CARGO_CFG_TARGET_OS",
            "",
            "CARGO_CFG_TARGET_OS: target_os = \"\" is not a value rustc produces",
        ),
        (
            "CARGO_CFG_TARGET_OS",
            "linux\ncargo::rustc-cfg=injected",
            "CARGO_CFG_TARGET_OS: target_os = \"linux\\ncargo::rustc-cfg=injected\" is not a \
             value rustc produces",
        ),
        (
            "CARGO_CFG_TARGET_ENV",
            "gnu\"",
            "CARGO_CFG_TARGET_ENV: target_env = \"gnu\\\"\" is not a value rustc produces",
        ),
        (
            "CARGO_CFG_TARGET_ARCH",
            "x86_64,aarch64",
            "CARGO_CFG_TARGET_ARCH: target_arch = \"x86_64,aarch64\" is not a value rustc \
             produces",
        ),
        (
            "TARGET",
            "x86_64-unknown-linux-gnu\ncargo::rustc-cfg=injected",
            "target \"x86_64-unknown-linux-gnu\\ncargo::rustc-cfg=injected\" is not a target \
             name: expected printable text without spaces",
        ),
    ];
    for (key, value, message) in cases {
        let mut env: Vec<(&str, &str)> = base.iter().filter(|(k, _)| k != key).copied().collect();
        env.push((key, value));
        let out = run_bare(&script, &env).output().expect("runs");
        no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{}={:?}", key, value);
        assert_eq!(
            text(&out.stderr),
            format!("error: platform-guard: {}\n", message),
            "{}={:?}",
            key,
            value
        );
        assert!(
            !text(&out.stdout).contains("cargo::"),
            "{}",
            text(&out.stdout)
        );
    }

    // Variables Cargo does not set for every target may be left over from
    // an enclosing build: never read, so crafted ones change nothing.
    for (key, value) in [
        ("CARGO_CFG_target_os", "windows"),
        ("CARGO_CFG_X\ncargo::rustc-cfg", "injected"),
        ("CARGO_CFG_FOO", "a\tb\\c\u{7f}"),
        ("CARGO_CFG_WINDOWS", ""),
    ] {
        let mut env = base.to_vec();
        env.push(("CARGO_CFG_TARGET_POINTER_WIDTH", "64"));
        env.push((key, value));
        let out = run_bare(&script, &env).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            !text(&out.stdout).contains("injected"),
            "{}",
            text(&out.stdout)
        );
    }

    // A well-formed crafted environment is classified; an architecture
    // nobody has heard of is simply unsupported, with its own name as the
    // override value.
    let mut env = base.to_vec();
    env[1] = ("CARGO_CFG_TARGET_ARCH", "quantum");
    env.push(("CARGO_CFG_TARGET_POINTER_WIDTH", "64"));
    let out = run_bare(&script, &env).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("cargo::rustc-env=PLATFORM_GUARD_OVERRIDE_VALUE=quantum\n"),
        "{}",
        stdout
    );
    assert!(
        stdout.contains("cargo::rustc-cfg=platform_support=\"unsupported\"\n"),
        "{}",
        stdout
    );

    // stdout on a full device: the first directive cannot be written; the
    // script says so on stderr and exits 1, no panic.
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = run_bare(&script, &env).stdout(full).output().expect("runs");
        no_panic(&out);
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(
            err.starts_with(
                "error: platform-guard: cannot write the build-script directive \
                 \"rustc-env=PLATFORM_GUARD_RUN=/src/hostile#"
            ) && err.ends_with("\": No space left on device (os error 28)\n")
                && err.lines().count() == 1,
            "{}",
            err
        );
    }
}

// ------------------------------------------------------------------ docs.rs

#[test]
fn docs_rs_builds_are_never_denied_even_for_i686_windows() {
    let target = "i686-pc-windows-msvc";
    let lifted = format!(
        "cargo::warning=platform-guard: the denial of unsupported target {} by this crate's \
         policy (deny unsupported and worse) is lifted because DOCS_RS is set (a docs.rs build)",
        target
    );
    for (cmd, docs_rs) in [("check", true), ("doc", true), ("check", false)] {
        let mut env = vec![("HOSTILE_POLICY_DENY", OsStr::new("unsupported"))];
        if docs_rs {
            env.push(("DOCS_RS", OsStr::new("1")));
        }
        let b = build_os(&[cmd, "--keep-going", "--target", target], &env);
        b.assert_clean();
        let script = b.script();
        // There is no standard library for that target here: the build
        // fails later, but not in the build script.
        assert!(!b.ok());
        if docs_rs {
            assert!(script.contains(&lifted.as_str()), "{}", b.context());
            assert!(
                script.contains(&"cargo::rustc-cfg=platform_support=\"unsupported\""),
                "{}",
                b.context()
            );
            assert!(!b.stderr.contains("is denied"), "{}", b.context());
            assert!(
                !b.stderr.contains("failed to run custom build command"),
                "{}",
                b.context()
            );
            assert!(
                !b.stderr.contains("build script logged errors"),
                "{}",
                b.context()
            );
        } else {
            assert!(
                script.iter().any(|l| l.starts_with(&format!(
                    "cargo::error=platform-guard: building for unsupported target {} (no rule \
                     matched) is denied",
                    target
                ))),
                "{}",
                b.context()
            );
        }
        assert!(
            b.stderr.contains("can't find crate for `core`")
                || b.stderr.contains("can't find crate for `std`"),
            "{}",
            b.context()
        );
    }
}

// ------------------------------------------------------------------ runtime

/// The fixture's program under its default policy: the host is unsupported.
fn refusing_program() -> PathBuf {
    let _guard = lock();
    let b = build(&[]);
    assert!(b.ok(), "{}", b.context());
    let bin = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile-refusing-program");
    std::fs::copy(common::target_dir().join("debug").join(FIXTURE), &bin).expect("copy");
    bin
}

#[test]
fn runtime_override_values_are_refused_on_one_line() {
    let (triple, arch) = host();
    let bin = refusing_program();
    let forged = format!(
        "{}\nplatform-guard: warning: running on unsupported target {} because \
         HOSTILE_UNSUPPORTED_ARCH={} is set",
        arch, triple, arch
    );
    let tab = format!("{}\t", arch);
    let nul_free_control = format!("{}\u{1b}[2K", arch);
    for value in [forged.as_str(), tab.as_str(), nul_free_control.as_str()] {
        let out = run(&bin, &[("HOSTILE_UNSUPPORTED_ARCH", OsStr::new(value))]);
        no_panic(&out);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            text(&out.stderr),
            format!(
                "platform-guard: refusing to run on unsupported target {} (no rule matched); \
                 HOSTILE_UNSUPPORTED_ARCH is {:?}, but it must be exactly {:?} to run anyway\n",
                triple, value, arch
            )
        );
        assert_eq!(text(&out.stdout), "");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn refusal_on_a_full_or_broken_stderr_exits_1_without_a_panic() {
    let (_, arch) = host();
    let bin = refusing_program();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let status = Command::new(&bin)
        .env_remove("HOSTILE_UNSUPPORTED_ARCH")
        .stderr(full())
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(1));
    // The lifted-guard warning cannot be written either: the program runs.
    let out = Command::new(&bin)
        .env("HOSTILE_UNSUPPORTED_ARCH", &arch)
        .stderr(full())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).starts_with("unsupported "),
        "{}",
        text(&out.stdout)
    );
    // A pipe whose reader is gone (EPIPE; Rust ignores SIGPIPE): the reader
    // `true` exits at once, the program starts a moment later.
    let out = Command::new("bash")
        .arg("-c")
        .arg("( sleep 0.3; exec \"$0\" ) 2>&1 >/dev/null | true; echo \"status ${PIPESTATUS[0]}\"")
        .arg(&bin)
        .env_remove("HOSTILE_UNSUPPORTED_ARCH")
        .output()
        .expect("bash runs");
    assert_eq!(text(&out.stdout), "status 1\n");
}

// ---------------------------------------------------------- rebuild hygiene

/// Builds a copy of `fixture` with `cargo build -v` through a series of
/// changes and checks after each whether Cargo reran the fixture's build
/// script (and never platform-guard's own). `var` is the fixture's override
/// variable; `table_edit`, if any, rewrites its manifest's policy table.
fn check_rebuilds(fixture: &'static str, var: &str, table_edit: Option<(&str, &str)>) {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(fixture);
    let dir = base.join("src");
    let target = base.join("target");
    common::copy_fixture(fixture, &dir);
    let _ = std::fs::remove_dir_all(&target);
    let step = |what: &str, env: &[(&str, &str)]| -> (bool, bool, String) {
        let out = cargo_cmd(&dir, &target, &["build", "-v"])
            .envs(env.iter().copied())
            .output()
            .expect("cargo runs");
        let err = text(&out.stderr);
        assert!(out.status.success(), "{}: {}", what, err);
        let ran = |pkg: &str| {
            err.lines().any(|l| {
                l.trim_start().starts_with("Running `")
                    && l.contains(&format!("build{}{}-", std::path::MAIN_SEPARATOR, pkg))
                    && l.contains("build-script-build`")
            })
        };
        (ran(fixture), ran("platform-guard"), err)
    };
    // Edits a file with a newer modification time than the last build's.
    let edit = |file: &str, f: &dyn Fn(String) -> String| {
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let path = dir.join(file);
        let old = std::fs::read_to_string(&path).expect("read");
        let new = f(old.clone());
        assert_ne!(old, new, "{} unchanged", file);
        std::fs::write(&path, new).expect("write");
    };
    let (ran, _, err) = step("first build", &[]);
    assert!(ran, "first build: {}", err);

    type Change<'a> = (&'a str, &'a dyn Fn(), &'a [(&'a str, &'a str)]);
    let unrelated: [Change; 4] = [
        ("nothing changed", &|| {}, &[]),
        (
            "src/main.rs edited",
            &|| edit("src/main.rs", &|s| s + "// edited by tests/hostile.rs\n"),
            &[],
        ),
        (
            "notes.txt edited",
            &|| edit("notes.txt", &|s| s + "edited\n"),
            &[],
        ),
        (
            "unrelated variables set",
            &|| {},
            &[("HOSTILE_UNRELATED", "1"), ("PLATFORM_GUARD_OTHER", "x")],
        ),
    ];
    for (what, change, env) in unrelated {
        change();
        let (ran, own, err) = step(what, env);
        assert!(!ran, "{}: the build script reran:\n{}", what, err);
        assert!(
            !own,
            "{}: platform-guard's build script reran:\n{}",
            what, err
        );
        if what == "src/main.rs edited" {
            assert!(err.contains(&format!("Compiling {}", fixture)), "{}", err);
        } else {
            assert!(
                err.contains(&format!("Fresh {}", fixture)),
                "{}: {}",
                what,
                err
            );
        }
    }

    // (what changed, the environment, whether platform-guard's own build
    // script reruns: it reads PLATFORM_GUARD_DENY and DOCS_RS for crates
    // without a guard of their own, and nothing else that can change).
    type Step<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);
    let steps: [Step; 5] = [
        ("the override variable set", &[(var, "x86_64")], false),
        ("the override variable changed", &[(var, "aarch64")], false),
        (
            "PLATFORM_GUARD_DENY set",
            &[("PLATFORM_GUARD_DENY", "unsupported")],
            true,
        ),
        ("DOCS_RS set", &[("DOCS_RS", "1")], true),
        ("everything unset again", &[], true),
    ];
    for (what, env, own_reruns) in steps {
        let (ran, own, err) = step(what, env);
        assert!(ran, "{}: the build script did not rerun:\n{}", what, err);
        assert_eq!(
            own, own_reruns,
            "{}: platform-guard's build script reran: {}\n{}",
            what, own, err
        );
    }
    if let Some((from, to)) = table_edit {
        edit("Cargo.toml", &|s| s.replace(from, to));
        let (ran, own, err) = step("the policy table edited", &[]);
        assert!(ran, "the policy table edited: no rerun:\n{}", err);
        assert!(!own, "platform-guard's build script reran:\n{}", err);
        let (ran, _, err) = step("nothing changed after the table edit", &[]);
        assert!(!ran, "the build script reran:\n{}", err);
    }
}

#[test]
fn build_script_reruns_only_for_the_variables_it_reads() {
    check_rebuilds("hostile-rebuild", "HOSTILE_REBUILD_UNSUPPORTED_ARCH", None);
}

#[test]
fn manifest_build_script_reruns_for_its_table_and_variables_only() {
    check_rebuilds(
        "hostile-manifest",
        "HOSTILE_MANIFEST_UNSUPPORTED_ARCH",
        Some((
            r#"rules = [{ level = "stable", cfg = "unix" }]"#,
            r#"rules = [{ level = "experimental", cfg = "unix" }]"#,
        )),
    );
}

// ------------------------------------------------------- hostile manifests

/// A copy of `hostile-manifest` whose policy table is `table`, built with
/// `cargo -vv build`; the manifest's text is returned for locating errors.
fn build_manifest(table: &str) -> (Build, String, PathBuf) {
    let _guard = lock();
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile-manifest-cases");
    let dir = base.join("src");
    common::copy_fixture("hostile-manifest", &dir);
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let start = text
        .find("[package.metadata.platform-guard]\n")
        .expect("table")
        + 34;
    let end = text.find("\n[dependencies]").expect("dependencies");
    let manifest = format!("{}{}\n{}", &text[..start], table, &text[end..]);
    std::fs::write(&path, &manifest).expect("write");
    let out = cargo_cmd(&dir, &base.join("target"), &["-vv", "build"])
        .output()
        .expect("cargo runs");
    let b = Build {
        package: "hostile-manifest",
        stderr: text_of(&out.stderr),
        stdout: text_of(&out.stdout),
        out,
    };
    (b, manifest, path)
}

fn text_of(bytes: &[u8]) -> String {
    text(bytes)
}

/// `file:line:col` of the first `anchor` in `manifest`.
fn location(path: &Path, manifest: &str, anchor: &str) -> String {
    let at = manifest
        .find(anchor)
        .unwrap_or_else(|| panic!("{:?} not in the manifest", anchor));
    let before = &manifest[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{}:{}:{}", path.display(), line, column)
}

#[test]
fn hostile_manifest_tables_fail_the_build_on_one_line() {
    let t = "package.metadata.platform-guard";
    #[allow(unused_mut)] // only pushed to with feature `policy`
    let mut cases: Vec<(String, &str, String)> = vec![
        (
            // A quoted key holding a line break and a directive.
            "\"bad\\ncargo::rustc-cfg=injected\" = 1\nrules = []".to_string(),
            "\"bad",
            format!(
                "{}.bad\\ncargo::rustc-cfg=injected: unknown key \"bad\\ncargo::rustc-cfg=\
                 injected\": expected one of preset, override-var, arch-names, deny, rules, \
                 known-issues",
                t
            ),
        ),
        (
            "rules = [{ level = \"stable\", cfg = \"unix\", \"k\\r\" = 1 }]".to_string(),
            "\"k",
            format!(
                "{}.rules[0].k\\r: unknown key \"k\\r\": expected one of level, cfg, \
                 maintainers, note, ci, glibc, macos, windows, x86-64",
                t
            ),
        ),
        (
            "rules = [{ level = \"stable\", cfg = \"unix\\ncargo::rustc-cfg=injected\" }]"
                .to_string(),
            "\"unix",
            format!(
                "{}.rules[0].cfg: invalid cfg expression \"unix\\ncargo::rustc-cfg=injected\": \
                 expected end of input after a complete expression at column 5, found '\\n'",
                t
            ),
        ),
        (
            "rules = [{ level = \"stable\", cfg = \"unix\", maintainers = \
             [\"team\\ncargo::rustc-cfg=injected\"] }]"
                .to_string(),
            "[\"team",
            format!(
                "{}.rules[0].maintainers: maintainers \"team\\ncargo::rustc-cfg=injected\" \
                 contains the control character '\\n' at byte 4: expected one line of printable \
                 text",
                t
            ),
        ),
        (
            "rules = [{ level = \"stable\", cfg = \"unix\", note = \"\\u001b[2J\" }]".to_string(),
            "\"\\u001b",
            format!(
                "{}.rules[0].note: note \"\\u{{1b}}[2J\" contains the control character \
                 '\\u{{1b}}' at byte 0: expected one line of printable text",
                t
            ),
        ),
        (
            "override-var = \"A\\ncargo::rustc-cfg=injected\"\nrules = []".to_string(),
            "\"A",
            format!(
                "{}.override-var: override variable name \"A\\ncargo::rustc-cfg=injected\" is \
                 invalid: expected upper-case ASCII letters, digits and `_`, not starting with a \
                 digit (such as MYAPP_UNSUPPORTED_ARCH)",
                t
            ),
        ),
        (
            "deny = \"Unsupported\"\nrules = []".to_string(),
            "\"Unsupported",
            format!(
                "{}.deny: unknown support level \"Unsupported\": expected one of stable, \
                 experimental, unstable, unsupported (lowercase)",
                t
            ),
        ),
    ];
    // The nesting limit is the parser's `MAX_DEPTH` (feature `policy`).
    #[cfg(feature = "policy")]
    {
        let deep = format!("{}unix{}", "all(".repeat(100_000), ")".repeat(100_000));
        let deep_table = format!("rules = [{{ level = \"stable\", cfg = \"{}\" }}]", deep);
        cases.push((
            deep_table,
            "\"all(",
            format!(
                "{}.rules[0].cfg: invalid cfg expression {}: expected at most {} levels of \
                 nested all/any/not at column {}, found 'a'",
                t,
                quoted(&deep),
                MAX_DEPTH,
                MAX_DEPTH * 4 + 1
            ),
        ));
    }
    for (table, anchor, message) in cases {
        let (b, manifest, path) = build_manifest(&table);
        b.assert_cargo_error(&format!(
            "{}: {}",
            location(&path, &manifest, anchor),
            message
        ));
    }
}

// ------------------------------------------------------ messages and README

/// An error message names its input but stays one short line, however
/// large or strange the input.
#[cfg(feature = "policy")]
#[test]
fn error_messages_stay_one_bounded_line() {
    let huge = format!("all({}", "unix, ".repeat(200_000));
    let e = CfgExpr::parse(&huge).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CfgSyntax);
    assert_eq!(e.input(), huge);
    let msg = e.to_string();
    assert!(msg.len() < 400, "{} bytes", msg.len());
    assert_eq!(
        msg,
        format!(
            "invalid cfg expression {}: expected an identifier, `all(`, `any(` or `not(` at \
             column {}, found end of input",
            quoted(&huge),
            huge.chars().count() + 1
        )
    );
    for bad in ["a\nb", "\u{1b}[31mred", "x\u{2028}y", "\0"] {
        let name_err = Policy::new(bad).validate().unwrap_err().to_string();
        let note_err = Policy::new("X")
            .stable("unix")
            .note(&format!("n{}", bad))
            .validate()
            .err()
            .map(|e| e.to_string());
        for m in std::iter::once(name_err).chain(note_err) {
            assert!(
                !m.contains('\n') && !m.contains('\r') && !m.contains('\u{1b}'),
                "{:?}",
                m
            );
        }
    }
}

/// The link and image targets in Markdown `text` that are relative to the
/// repository: inline `[..](target)`, reference definitions `[..]: target`
/// and HTML `href`/`src`; absolute URLs and `#anchors` are fine.
fn relative_links(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').unwrap_or(after.len());
        targets.push(after[..end].trim().to_string());
        rest = after;
    }
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            if let Some(i) = t.find("]:") {
                targets.push(t[i + 2..].trim().to_string());
            }
        }
        for attr in ["href=\"", "src=\""] {
            let mut r = t;
            while let Some(i) = r.find(attr) {
                let after = &r[i + attr.len()..];
                let end = after.find('"').unwrap_or(after.len());
                targets.push(after[..end].to_string());
                r = after;
            }
        }
    }
    targets
        .into_iter()
        .filter(|t| {
            let t = t.split_whitespace().next().unwrap_or("");
            !(t.starts_with("https://")
                || t.starts_with("http://")
                || t.starts_with("mailto:")
                || t.starts_with('#'))
        })
        .collect()
}

/// crates.io renders README.md without the repository around it: a link or
/// image relative to the repository would be broken there.
#[test]
fn readme_has_no_links_relative_to_the_repository() {
    let sample = "See [the design](docs/DESIGN.md), ![logo](logo.png \"Logo\"), \
                  [ok](https://example.org/x) and [here](#levels).\n\
                  [license]: ./LICENSE-MIT\n[site]: https://example.org\n\
                  <a href=\"CHANGELOG.md\">log</a> <img src=\"https://example.org/i.png\">\n";
    assert_eq!(
        relative_links(sample),
        [
            "docs/DESIGN.md",
            "logo.png \"Logo\"",
            "./LICENSE-MIT",
            "CHANGELOG.md"
        ]
    );
    let readme = std::fs::read_to_string(common::repo().join("README.md")).expect("README.md");
    let relative = relative_links(&readme);
    assert!(
        relative.is_empty(),
        "README.md links relative to the repository (broken on crates.io): {:?}",
        relative
    );
}

// The command line's hostile arguments: cargo-platform-guard/tests/hostile.rs.

/// TOML nested past the parser's recursion limit, and a table deeper than
/// any policy needs, are errors, not stack overflows.
#[cfg(feature = "manifest")]
#[test]
fn deeply_nested_toml_is_an_error_not_a_stack_overflow() {
    let head = "[package]\nname = \"deep\"\n[package.metadata.platform-guard]\n";
    for body in [
        format!("rules = {}", "[".repeat(100_000)),
        format!("rules = {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("rules = {}", "{ a = ".repeat(100_000)),
        format!("{} = 1", "a.".repeat(100_000) + "b"),
    ] {
        let text = format!("{}{}\n", head, body);
        let e = platform_guard::ManifestPolicy::parse(&text, Path::new("Cargo.toml"))
            .expect_err("too deep");
        assert_eq!(e.kind(), ErrorKind::Manifest);
        let m = e.to_string();
        assert!(m.starts_with("Cargo.toml:"), "{}", m);
        assert!(m.contains(": not valid TOML: "), "{}", m);
        assert!(!m.contains('\n') && m.len() < 1000, "{}", m);
    }
}

// ---------------------------------------- the guard's own variables, stray

/// `PLATFORM_GUARD_*` are a build script's channel to the run-time macros
/// of its own crate. Set in the build environment of a crate without that
/// build script (by hand, or left over from an enclosing build), they are
/// ignored: the crate classifies as it would on its own.
#[test]
fn stray_platform_guard_variables_in_the_build_environment_are_ignored() {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile-stray");
    let (triple, arch) = host();
    let other = common::fixture("refuse");
    let other = other.to_str().expect("UTF-8 path");
    let zero = common::fixture("zero-setup");
    let zero = zero.to_str().expect("UTF-8 path");
    for stray in [
        // Another crate's finished verdict (what `cargo run` passes on).
        &[
            ("PLATFORM_GUARD_RUN", other),
            ("PLATFORM_GUARD_DONE", other),
            ("PLATFORM_GUARD_LEVEL", "unsupported"),
            ("PLATFORM_GUARD_TARGET", triple.as_str()),
            ("PLATFORM_GUARD_RULE_INDEX", ""),
            ("PLATFORM_GUARD_RULE", ""),
            ("PLATFORM_GUARD_OVERRIDE_VAR", "REFUSE_UNSUPPORTED_ARCH"),
            ("PLATFORM_GUARD_OVERRIDE_VALUE", arch.as_str()),
        ][..],
        // Some values by hand, garbage included.
        &[("PLATFORM_GUARD_LEVEL", "Stable")][..],
        &[("PLATFORM_GUARD_DONE", zero), ("PLATFORM_GUARD_LEVEL", "x")][..],
    ] {
        let out = cargo_cmd(&common::fixture("zero-setup"), &target, &["build"])
            .envs(stray.iter().copied())
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = run(&target.join("debug").join("zero-setup"), &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with(&format!(
                "stable {} ZERO_SETUP_UNSUPPORTED_ARCH {} ",
                triple, arch
            )),
            "{:?}: {}",
            stray,
            text(&out.stdout)
        );
    }
    // A crate with the build script is not affected: Cargo's rustc-env
    // values win over the environment.
    let _guard = lock();
    let b = build_os(
        &["build"],
        &[
            ("PLATFORM_GUARD_LEVEL", OsStr::new("stable")),
            ("PLATFORM_GUARD_RULE", OsStr::new("all()")),
        ],
    );
    b.assert_classified("unsupported", "");
    let bin = common::target_dir().join("debug").join(FIXTURE);
    let out = run(&bin, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("platform-guard: refusing to run on unsupported target"),
        "{}",
        text(&out.stderr)
    );
}
