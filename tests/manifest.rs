//! The policy as data: `[package.metadata.platform-guard]` read by the
//! library (`Policy::from_manifest*`, `ManifestPolicy`), its mistakes, and a
//! real consumer crate whose build script is `Policy::from_manifest().build()`.
#![cfg(feature = "manifest")]

mod common;

use common::{fixture, rustc_target, text};
use std::path::{Path, PathBuf};

use std::process::{Command, Output};

use platform_guard::{
    ArchNames, BuildEnv, ErrorKind, Level, ManifestPolicy, Policy, MANIFEST_TABLE,
};

const HEADER: &str = "[package]\nname = \"my-app\"\nversion = \"0.1.0\"\n\n";

fn parse(table: &str) -> Result<ManifestPolicy, platform_guard::Error> {
    ManifestPolicy::parse(&format!("{}{}", HEADER, table), Path::new("app/Cargo.toml"))
}

#[test]
fn the_table_states_what_the_builder_states() {
    let read = parse(
        r#"[package.metadata.platform-guard]
override-var = "MYAPP_UNSUPPORTED_ARCH"
arch-names = "go"
deny = "unstable"
rules = [
  { level = "stable", cfg = 'all(target_arch = "x86_64", target_os = "linux")', maintainers = ["core team", "@alice"] },
  { level = "experimental", cfg = 'cfg(target_os = "macos")', maintainers = "@bob", note = "CI builds only" },
  { level = "unsupported", cfg = "windows" },
  { level = "unstable", cfg = 'target_pointer_width = "64"' },
]
"#,
    )
    .unwrap();
    let built = Policy::new("MYAPP_UNSUPPORTED_ARCH")
        .arch_names(ArchNames::Go)
        .stable(r#"all(target_arch = "x86_64", target_os = "linux")"#)
        .maintainers("core team, @alice")
        .experimental(r#"target_os = "macos""#)
        .maintainers("@bob")
        .note("CI builds only")
        .unsupported("windows")
        .unstable(r#"target_pointer_width = "64""#)
        .deny(Level::Unstable);
    assert_eq!(read.policy(), &built);
    assert_eq!(read.package_name(), "my-app");
    assert_eq!(read.preset(), None);
    assert!(read.known_issues().is_empty());
    assert!(read.policy().source_files().is_empty());
}

#[test]
fn the_override_variable_defaults_to_the_package_name() {
    let read = parse(
        "[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = \"unix\" }]\n",
    )
    .unwrap();
    assert_eq!(read.policy().override_var(), "MY_APP_UNSUPPORTED_ARCH");
    assert_eq!(read.policy().arch_naming(), ArchNames::Rust);
    assert_eq!(read.policy().denied_from(), None);
}

#[test]
fn array_of_tables_syntax_works_too() {
    let read = parse(
        "[[package.metadata.platform-guard.rules]]\nlevel = \"stable\"\ncfg = \"unix\"\n\n\
         [[package.metadata.platform-guard.rules]]\nlevel = \"experimental\"\ncfg = \"windows\"\n",
    )
    .unwrap();
    let levels: Vec<Level> = read.policy().rules().iter().map(|r| r.level()).collect();
    assert_eq!(levels, [Level::Stable, Level::Experimental]);
}

#[test]
fn a_preset_alone_is_the_preset() {
    let etcd = parse("[package.metadata.platform-guard]\npreset = \"etcd\"\n").unwrap();
    assert_eq!(etcd.policy(), &Policy::etcd());
    assert_eq!(etcd.preset(), Some(platform_guard::Preset::Etcd));
    let default = parse("[package.metadata.platform-guard]\npreset = \"default\"\n").unwrap();
    assert_eq!(
        default.policy(),
        &Policy::default_policy("MY_APP_UNSUPPORTED_ARCH")
    );
}

#[test]
fn extra_rules_are_tried_before_the_presets_rules() {
    let read = parse(
        r#"[package.metadata.platform-guard]
preset = "default"
override-var = "APP_ARCH"
deny = "unsupported"
rules = [
  { level = "unsupported", cfg = 'target_os = "windows"', note = "no Windows builds" },
  { level = "experimental", cfg = 'all(target_arch = "x86", target_os = "linux")' },
]
"#,
    )
    .unwrap();
    let p = read.policy();
    assert_eq!(
        p.rules().len(),
        2 + Policy::default_policy("X").rules().len()
    );
    assert_eq!(p.override_var(), "APP_ARCH");
    assert_eq!(p.denied_from(), Some(Level::Unsupported));
    for (triple, want) in [
        // carved out of the preset's stable rule
        ("x86_64-pc-windows-msvc", Level::Unsupported),
        // added where the preset says unsupported (32-bit)
        ("i686-unknown-linux-gnu", Level::Experimental),
        // the preset's own rules still apply
        ("x86_64-unknown-linux-gnu", Level::Stable),
        ("x86_64-unknown-freebsd", Level::Experimental),
        ("armv7-unknown-linux-gnueabihf", Level::Unsupported),
    ] {
        assert_eq!(
            p.classify(&rustc_target(triple)).level(),
            want,
            "{}",
            triple
        );
    }
    // The etcd preset keeps its variable and Go names unless told otherwise.
    let etcd = parse(
        "[package.metadata.platform-guard]\npreset = \"etcd\"\nrules = [{ level = \"experimental\", \
         cfg = 'all(target_arch = \"aarch64\", target_os = \"linux\")' }]\n",
    )
    .unwrap();
    let v = etcd
        .policy()
        .classify(&rustc_target("aarch64-unknown-linux-gnu"));
    assert_eq!(
        (v.level(), v.override_var(), v.override_value()),
        (Level::Experimental, "ETCD_UNSUPPORTED_ARCH", "arm64")
    );
    let v = etcd
        .policy()
        .classify(&rustc_target("powerpc64le-unknown-linux-gnu"));
    assert_eq!(v.level(), Level::Stable);
}

/// Each kind of mistake, from a fixture file: the exact message (file,
/// line:column, key path, what was expected) and the kind.
#[test]
fn every_mistake_names_the_file_the_key_and_what_was_expected() {
    let dir = fixture("manifest-mistakes");
    let cases: &[(&str, ErrorKind, &str)] = &[
        (
            "unknown-key.toml",
            ErrorKind::Manifest,
            "unknown-key.toml:8:1: package.metadata.platform-guard.rulez: unknown key \"rulez\" \
             (did you mean \"rules\"?): expected one of preset, override-var, arch-names, deny, \
             rules, known-issues",
        ),
        (
            "unknown-rule-key.toml",
            ErrorKind::Manifest,
            "unknown-rule-key.toml:8:37: package.metadata.platform-guard.rules[0].maintainer: \
             unknown key \"maintainer\" (did you mean \"maintainers\"?): expected one of level, \
             cfg, maintainers, note, ci, glibc, macos, windows, x86-64",
        ),
        (
            "unknown-level.toml",
            ErrorKind::UnknownLevel,
            "unknown-level.toml:10:13: package.metadata.platform-guard.rules[2].level: unknown \
             support level \"Stable\": expected one of stable, experimental, unstable, \
             unsupported (lowercase)",
        ),
        (
            "malformed-cfg.toml",
            ErrorKind::CfgSyntax,
            "malformed-cfg.toml:8:29: package.metadata.platform-guard.rules[0].cfg: invalid cfg \
             expression \"all(target_os = \\\"linux\\\"\": expected `,` or `)` at column 24, \
             found end of input",
        ),
        (
            "wrong-type.toml",
            ErrorKind::Manifest,
            "wrong-type.toml:8:65: package.metadata.platform-guard.rules[0].maintainers[1]: \
             expected a string, found the integer 7",
        ),
        (
            "missing-cfg.toml",
            ErrorKind::Manifest,
            "missing-cfg.toml:10:1: package.metadata.platform-guard.rules[1].cfg: missing: \
             expected a cfg expression such as 'all(target_arch = \"x86_64\", target_os = \
             \"linux\")'",
        ),
        (
            "missing-table.toml",
            ErrorKind::Manifest,
            "missing-table.toml: no [package.metadata.platform-guard] table ([package.metadata] \
             has no platform-guard key): expected one stating the platform policy, such as \
             `preset = \"default\"` or `rules = [{ level = \"stable\", cfg = 'target_os = \
             \"linux\"' }]`",
        ),
        (
            "no-rules.toml",
            ErrorKind::Manifest,
            "no-rules.toml:6:1: package.metadata.platform-guard: neither `rules` nor `preset` is \
             given: expected a `rules` array (such as rules = [{ level = \"stable\", cfg = \
             'target_os = \"linux\"' }]) or preset = \"etcd\" | \"default\"",
        ),
        (
            "not-toml.toml",
            ErrorKind::Manifest,
            "not-toml.toml:6:33: not valid TOML: unclosed table, expected `]`",
        ),
        (
            "unknown-preset.toml",
            ErrorKind::UnknownPreset,
            "unknown-preset.toml:7:10: package.metadata.platform-guard.preset: unknown preset \
             \"freebsd\": expected one of \"etcd\", \"default\"",
        ),
        (
            "bad-override-var.toml",
            ErrorKind::InvalidVarName,
            "bad-override-var.toml:8:16: package.metadata.platform-guard.override-var: override \
             variable name \"my_arch\" is invalid: expected upper-case ASCII letters, digits and \
             `_`, not starting with a digit (such as MYAPP_UNSUPPORTED_ARCH)",
        ),
    ];
    let mut seen = Vec::new();
    for (file, kind, message) in cases {
        let path = dir.join(file);
        let e = ManifestPolicy::read(&path).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}/{}", dir.display(), message),
            "{}",
            file
        );
        assert_eq!(e.kind(), *kind, "{}", file);
        // The same mistake through Policy::from_manifest_path.
        assert_eq!(
            Policy::from_manifest_path(&path).unwrap_err().to_string(),
            e.to_string()
        );
        seen.push(file.to_string());
    }
    // Every fixture in the directory is a case above.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    seen.sort();
    assert_eq!(files, seen);
}

#[test]
fn rules_name_the_ci_jobs_that_back_them() {
    use platform_guard::Requirement;
    let table = "[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = \"unix\", \
                 ci = { build = \".github/workflows/ci.yml:build\", unit = \"ci.yml:test-unit\" } }]\n";
    let policy = parse(table).unwrap().into_policy();
    let rule = &policy.rules()[0];
    assert_eq!(
        rule.ci(Requirement::Build)
            .map(|j| j.to_string())
            .as_deref(),
        Some(".github/workflows/ci.yml:build")
    );
    assert_eq!(rule.ci(Requirement::Unit).unwrap().job(), "test-unit");
    assert_eq!(rule.ci(Requirement::Integration), None);
    let e = |table: &str| parse(table).unwrap_err().to_string();
    assert_eq!(
        e(
            "[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = \"unix\", \
           ci = { unittest = \"ci.yml:t\" } }]\n"
        ),
        "app/Cargo.toml:6:51: package.metadata.platform-guard.rules[0].ci.unittest: unknown key \
         \"unittest\": expected one of build, unit, integration, functional"
    );
    assert_eq!(
        e(
            "[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = \"unix\", \
           ci = { unit = \"ci.yml\" } }]\n"
        ),
        "app/Cargo.toml:6:58: package.metadata.platform-guard.rules[0].ci.unit: CI job \
         \"ci.yml\" is not <workflow file>:<job id>: expected such as \
         \".github/workflows/ci.yml:test\""
    );
}

#[test]
fn more_mistakes_inline() {
    let e = |table: &str| parse(table).unwrap_err().to_string();
    assert_eq!(
        e("[package.metadata.platform-guard]\nrules = \"stable\"\n"),
        "app/Cargo.toml:6:9: package.metadata.platform-guard.rules: expected an array of \
         tables, found the string \"stable\""
    );
    assert_eq!(
        e("[package.metadata.platform-guard]\nrules = [\"unix\"]\n"),
        "app/Cargo.toml:6:10: package.metadata.platform-guard.rules[0]: expected a table such \
         as { level = \"stable\", cfg = 'target_os = \"linux\"' }, found the string \"unix\""
    );
    assert_eq!(
        e("[package.metadata.platform-guard]\nrules = [{ cfg = \"unix\" }]\n"),
        "app/Cargo.toml:6:10: package.metadata.platform-guard.rules[0].level: missing: expected \
         a level, one of \"stable\", \"experimental\", \"unstable\", \"unsupported\""
    );
    assert_eq!(
        e("[package.metadata.platform-guard]\npreset = \"etcd\"\ndeny = 3\n"),
        "app/Cargo.toml:7:8: package.metadata.platform-guard.deny: expected a string, found the \
         integer 3"
    );
    assert_eq!(
        e("[package.metadata.platform-guard]\npreset = \"etcd\"\narch-names = \"GO\"\n"),
        "app/Cargo.toml:7:14: package.metadata.platform-guard.arch-names: unknown architecture \
         naming \"GO\": expected \"rust\" or \"go\""
    );
    assert_eq!(
        e(
            "[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = \"unix\", \
           maintainers = [] }]\n"
        ),
        "app/Cargo.toml:6:58: package.metadata.platform-guard.rules[0].maintainers: expected \
         one or more non-empty names, such as [\"core team\", \"@alice\"]"
    );
    assert_eq!(
        e(
            "[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = \"unix\", \
           note = \"two\\nlines\" }]\n"
        ),
        "app/Cargo.toml:6:51: package.metadata.platform-guard.rules[0].note: note \"two\\nlines\" \
         contains the control character '\\n' at byte 3: expected one line of printable text"
    );
    // A cfg mistake has the same form as any other: file, line, column, key
    // path (indexes from 0), whatever kind it is.
    assert_eq!(
        e(
            "[package.metadata.platform-guard]\nrules = [\n  { level = \"stable\", cfg = \"unix\" },\n  \
             { level = \"stable\", cfg = 'target_oss = \"linux\"' },\n]\n"
        ),
        "app/Cargo.toml:8:29: package.metadata.platform-guard.rules[1].cfg: unknown cfg name \
         \"target_oss\" (did you mean \"target_os\"?): expected a name rustc sets, such as \
         target_os, or a `--cfg` name of your own outside the target_ prefix"
    );
    assert_eq!(
        e("[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = \"test\" }]\n"),
        "app/Cargo.toml:6:36: package.metadata.platform-guard.rules[0].cfg: cfg name \"test\" \
         differs between the compiles of one package (its library, tests and documentation, or \
         the tool compiling it), while the build script decides once for all of them: expected \
         a name whose value is the same for every compile of the package, such as target_os"
    );
    // And a rule's warnings name the same place.
    let warned = parse(
        "[package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = 'target_os = \"Linux\"' }]\n",
    )
    .unwrap();
    let warnings: Vec<String> = warned
        .policy()
        .warnings()
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        warnings,
        ["app/Cargo.toml:6:36: package.metadata.platform-guard.rules[0].cfg: no target rustc 1.95 \
          knows has target_os = \"Linux\" (did you mean \"linux\"?); it matches only targets of \
          newer toolchains that have it"]
    );
    assert_eq!(
        e("[package.metadata]\nplatform-guard = \"etcd\"\n"),
        "app/Cargo.toml:6:18: package.metadata.platform-guard: expected a table, found the \
         string \"etcd\""
    );
    let no_package = ManifestPolicy::parse("[workspace]\n", Path::new("ws/Cargo.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        no_package.starts_with(
            "ws/Cargo.toml: no [package.metadata.platform-guard] table (it has no [package] table)"
        ),
        "{}",
        no_package
    );
    let nameless = ManifestPolicy::parse(
        "[package]\n[package.metadata.platform-guard]\npreset = \"default\"\n",
        Path::new("p/Cargo.toml"),
    )
    .unwrap_err();
    assert_eq!(nameless.kind(), ErrorKind::Manifest);
    assert_eq!(
        nameless.to_string(),
        "p/Cargo.toml:2:1: package.metadata.platform-guard.override-var: no override-var, and \
         the one derived from package.name (\"_UNSUPPORTED_ARCH\") is not valid: expected an \
         override-var key such as override-var = \"MYAPP_UNSUPPORTED_ARCH\""
    );
    let missing = ManifestPolicy::read(Path::new("/nonexistent/Cargo.toml")).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::Manifest);
    assert!(
        missing
            .to_string()
            .starts_with("cannot read /nonexistent/Cargo.toml: "),
        "{}",
        missing
    );
    // The library's one bounded reader says what a non-file is.
    let dir = ManifestPolicy::read(Path::new("/")).unwrap_err();
    assert_eq!(dir.kind(), ErrorKind::Manifest);
    assert_eq!(
        dir.to_string(),
        "cannot read /: it is a directory: expected a Cargo.toml"
    );
    assert_eq!(MANIFEST_TABLE, "package.metadata.platform-guard");
}

#[test]
fn the_build_flow_reruns_for_the_manifest_only() {
    let dir = fixture("manifest-consumer");
    let env = BuildEnv::from_vars([
        ("CARGO_MANIFEST_DIR", dir.to_str().unwrap()),
        ("OUT_DIR", "/tmp/manifest-consumer/out"),
        ("TARGET", "x86_64-unknown-linux-gnu"),
        ("CARGO_CFG_TARGET_ARCH", "x86_64"),
        ("CARGO_CFG_TARGET_OS", "linux"),
        ("CARGO_CFG_TARGET_POINTER_WIDTH", "64"),
        ("CARGO_PKG_RUST_VERSION", ""),
    ]);
    let policy = Policy::try_from_manifest_in(&env).unwrap();
    let manifest = dir.join("Cargo.toml");
    assert_eq!(policy.source_files(), [manifest.to_str().unwrap()]);
    assert_eq!(policy.override_var(), "MANIFEST_CONSUMER_UNSUPPORTED_ARCH");
    let mut out = Vec::new();
    let v = policy.try_build_in(&env, &mut out).unwrap();
    assert_eq!(v.level(), Level::Stable);
    let out = text(&out);
    let reruns: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("rerun-if-changed"))
        .collect();
    assert_eq!(
        reruns,
        [format!("cargo::rerun-if-changed={}", manifest.display())]
    );
    assert!(out.contains("cargo::rustc-cfg=platform_support=\"stable\"\n"));

    let e = Policy::try_from_manifest_in(&BuildEnv::from_vars([("PATH", "/bin")])).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotInCargo);
    assert_eq!(
        e.to_string(),
        "not running in a build script started by Cargo: CARGO_MANIFEST_DIR is not set; \
         Policy::from_manifest() finds the manifest through it (outside a build script, use \
         Policy::from_manifest_path)"
    );
}

// ---------------------------------------------------------------------------
// A real consumer crate.

/// Copies the fixture crate to a fresh directory (the dependency path made
/// absolute) so the test can edit its Cargo.toml.
fn consumer_copy(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("src")).unwrap();
    let src = fixture("manifest-consumer");
    let repo = env!("CARGO_MANIFEST_DIR");
    let manifest = std::fs::read_to_string(src.join("Cargo.toml"))
        .unwrap()
        .replace("path = \"../../..\"", &format!("path = {:?}", repo));
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    for file in ["build.rs", "src/main.rs"] {
        std::fs::copy(src.join(file), root.join(file)).unwrap();
    }
    root
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = common::cargo_program();
    Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("PLATFORM_GUARD_DENY")
        .env_remove("MANIFEST_CONSUMER_UNSUPPORTED_ARCH")
        .env_remove("DOCS_RS")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn run_ok(dir: &Path) -> (String, String) {
    let out = cargo(dir, &["run", "-v"]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{}", err);
    (text(&out.stdout), err)
}

#[test]
fn a_consumer_builds_with_the_manifest_policy_and_reruns_when_the_table_changes() {
    let dir = consumer_copy("manifest-consumer");
    let (stdout, err) = run_ok(&dir);
    assert_eq!(
        stdout,
        "cfg stable verdict stable MANIFEST_CONSUMER_UNSUPPORTED_ARCH\n"
    );
    assert!(err.contains("build-script-build`"), "{}", err);

    // Nothing changed: the build script does not run again.
    let (_, err) = run_ok(&dir);
    assert!(!err.contains("build-script-build`"), "{}", err);

    // An unrelated source change recompiles the crate, not the build script.
    let main = dir.join("src/main.rs");
    let code = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{}\n// touched\n", code)).unwrap();
    let (_, err) = run_ok(&dir);
    assert!(err.contains("Compiling manifest-consumer"), "{}", err);
    assert!(!err.contains("build-script-build`"), "{}", err);

    // The table changes: the build script reruns and the cfg follows.
    let manifest = dir.join("Cargo.toml");
    let toml = std::fs::read_to_string(&manifest).unwrap();
    let edited = toml.replace("level = \"stable\"", "level = \"experimental\"");
    assert_ne!(edited, toml);
    std::fs::write(&manifest, edited).unwrap();
    let (stdout, err) = run_ok(&dir);
    assert!(err.contains("build-script-build`"), "{}", err);
    assert_eq!(
        stdout,
        "cfg experimental verdict experimental MANIFEST_CONSUMER_UNSUPPORTED_ARCH\n"
    );
    assert!(
        err.contains("platform-guard: target ") && err.contains(" is experimental (rule `all()`)"),
        "{}",
        err
    );

    // A mistake in the table fails the build with the manifest's message.
    let broken = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("level = \"experimental\"", "level = \"beta\"");
    std::fs::write(&manifest, broken).unwrap();
    let out = cargo(&dir, &["build"]);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{}", err);
    assert!(
        err.contains(&format!(
            "platform-guard: {}:12:13: package.metadata.platform-guard.rules[0].level: unknown \
             support level \"beta\": expected one of stable, experimental, unstable, \
             unsupported (lowercase)",
            manifest.display()
        )),
        "{}",
        err
    );
}

// ---------------------------------------------------------------------------
// A workspace-wide table, taken with `workspace = true`.

#[test]
fn members_take_the_workspace_table_and_a_published_copy_fails_saying_why() {
    let ws = fixture("manifest-workspace");
    for member in ["member", "crates/other"] {
        let path = ws.join(member).join("Cargo.toml");
        let read = ManifestPolicy::read(&path).unwrap();
        assert_eq!(
            read.workspace_manifest(),
            Some(
                std::fs::canonicalize(ws.join("Cargo.toml"))
                    .unwrap()
                    .as_path()
            )
        );
        assert_eq!(
            read.policy().rules()[0].cfg().to_string(),
            "target_os = \"none\""
        );
        let policy = Policy::from_manifest_path(&path).unwrap();
        assert_eq!(policy.source_files().len(), 2);
    }
    let read = ManifestPolicy::read(&ws.join("member/Cargo.toml")).unwrap();
    assert_eq!(read.package_name(), "ws-member");
    assert_eq!(read.policy().override_var(), "WS_MEMBER_UNSUPPORTED_ARCH");
    // The pure reader cannot look for the workspace, and says so.
    let text = std::fs::read_to_string(ws.join("member/Cargo.toml")).unwrap();
    let e = ManifestPolicy::parse(&text, Path::new("member/Cargo.toml")).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "member/Cargo.toml: [package.metadata.platform-guard] says workspace = true: the \
             policy is the workspace's [workspace.metadata.platform-guard], which only \
             ManifestPolicy::read or Policy::from_manifest_path can find"
        ),
        "{}",
        e
    );

    // Outside any workspace, as a published package is (the system's
    // temporary folder, not this repository's): an error, never another
    // policy.
    let alone = outside_any_workspace("published-member");
    let _ = std::fs::remove_dir_all(&alone);
    std::fs::create_dir_all(&alone).unwrap();
    std::fs::write(alone.join("Cargo.toml"), &text).unwrap();
    let e = ManifestPolicy::read(&alone.join("Cargo.toml")).unwrap_err();
    let _ = std::fs::remove_dir_all(&alone);
    assert_eq!(e.kind(), ErrorKind::Manifest);
    assert_eq!(
        e.to_string(),
        format!(
            "{}: [package.metadata.platform-guard] says workspace = true, but no workspace \
             lists this package (a published package keeps no [workspace]): expected the \
             workspace's [workspace.metadata.platform-guard] table copied into the package's \
             own before publishing",
            alone.join("Cargo.toml").display()
        )
    );
    // A workspace that does not list the package.
    let stray = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("stray-ws");
    let _ = std::fs::remove_dir_all(&stray);
    std::fs::create_dir_all(stray.join("pkg")).unwrap();
    std::fs::write(stray.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    std::fs::write(stray.join("pkg/Cargo.toml"), &text).unwrap();
    let e = ManifestPolicy::read(&stray.join("pkg/Cargo.toml")).unwrap_err();
    assert!(
        e.to_string()
            .contains("does not list this package among its members"),
        "{}",
        e
    );
    // `workspace = true` takes the whole table.
    let e = parse("[package.metadata.platform-guard]\nworkspace = true\ndeny = \"unsupported\"\n")
        .unwrap_err();
    assert!(
        e.to_string().ends_with(
            "workspace = true takes the workspace's whole table: expected no other key beside it"
        ),
        "{}",
        e
    );
}

/// A real build of a member, then of the same member alone (as `cargo
/// package` ships it): the first uses the workspace's policy, the second
/// fails its build saying why.
#[test]
fn a_member_builds_with_the_workspace_policy_and_alone_it_does_not_build() {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("manifest-workspace");
    let out = common::cargo_in(
        &target,
        "manifest-workspace",
        &["build", "-p", "ws-member"],
        &[("WS_MEMBER_UNSUPPORTED_ARCH", "")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let run = common::run(&target.join("debug").join("ws-member"), &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("(no rule matched); set WS_MEMBER_UNSUPPORTED_ARCH="),
        "{}",
        text(&run.stderr)
    );
    // The member alone, as `cargo package` ships it (no workspace around
    // it), its path dependencies made absolute.
    let alone = outside_any_workspace("ws-member-alone");
    std::fs::create_dir_all(alone.join("src")).unwrap();
    let member = fixture("manifest-workspace").join("member");
    let manifest = std::fs::read_to_string(member.join("Cargo.toml"))
        .unwrap()
        .replace("../../../..", common::repo().to_str().unwrap());
    std::fs::write(alone.join("Cargo.toml"), manifest).unwrap();
    for f in ["build.rs", "src/main.rs"] {
        std::fs::copy(member.join(f), alone.join(f)).unwrap();
    }
    let out = std::process::Command::new(common::cargo_program())
        .args(["build"])
        .current_dir(&alone)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains(
            "says workspace = true, but no workspace lists this package (a published package \
             keeps no [workspace])"
        ),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&alone);
}

/// A fresh folder in the system's temporary folder, which no workspace
/// encloses (this repository's does, for its target directory).
fn outside_any_workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("platform-guard-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut up = dir.parent();
    while let Some(d) = up {
        assert!(
            !d.join("Cargo.toml").exists(),
            "{} has a Cargo.toml: it may be a workspace",
            d.display()
        );
        up = d.parent();
    }
    dir
}

// ---------------------------------------------------------------------------
// `workspace = true` wherever Cargo makes the package a member, and nowhere
// else: the fixtures workspace-rules, workspace-pointer and
// workspace-satellite, each package's root also asked of Cargo (`cargo
// locate-project --workspace`, which loads the workspace as a build does).

/// The root manifest Cargo finds for the package in `dir`, or Cargo's
/// error.
fn cargo_root(dir: &Path) -> Result<PathBuf, String> {
    let out = Command::new(common::cargo_program())
        .args([
            "locate-project",
            "--workspace",
            "--message-format",
            "plain",
            "--offline",
        ])
        .current_dir(dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs");
    if out.status.success() {
        Ok(PathBuf::from(text(&out.stdout).trim_end()))
    } else {
        Err(text(&out.stderr))
    }
}

/// The package in the fixture directory `member` is, for Cargo, a member of
/// the workspace whose root is the fixture directory `root`, and its
/// `workspace = true` reads that root's table.
fn assert_member_of(member: &str, root: &str) {
    let dir = fixture(member);
    let root = fixture(root).join("Cargo.toml");
    assert_eq!(
        cargo_root(&dir).as_ref(),
        Ok(&root),
        "Cargo's root of {}",
        member
    );
    let read = ManifestPolicy::read(&dir.join("Cargo.toml"))
        .unwrap_or_else(|e| panic!("{}: {}", member, e));
    assert_eq!(
        read.workspace_manifest(),
        Some(root.as_path()),
        "{}",
        member
    );
    assert_eq!(
        read.policy().rules()[0].cfg().to_string(),
        "target_os = \"none\"",
        "{}",
        member
    );
}

/// The package in the fixture directory `package` is, for Cargo, a
/// workspace of its own, and its `workspace = true` says that no workspace
/// lists it.
fn assert_outside_any_workspace(package: &str) {
    let dir = fixture(package);
    let manifest = dir.join("Cargo.toml");
    assert_eq!(
        cargo_root(&dir).as_ref(),
        Ok(&manifest),
        "Cargo's root of {}",
        package
    );
    let e = ManifestPolicy::read(&manifest).unwrap_err();
    assert!(
        e.to_string()
            .contains("says workspace = true, but no workspace lists this package"),
        "{}: {}",
        package,
        e
    );
}

#[test]
fn workspace_true_in_members_listed_by_globs() {
    for member in [
        "crates/app-one",             // crates/app-*
        "crates/app-two",             // crates/app-*
        "tools/t1",                   // tools/t[0-9]
        "nested/group/deeper/leaf-a", // nested/**/leaf-*
        "nested/leaf-b",              // nested/**/leaf-*, ** as no directory
    ] {
        assert_member_of(&format!("workspace-rules/{}", member), "workspace-rules");
    }
    // Below the root, matched by no pattern: not a member, as for Cargo.
    let dir = fixture("workspace-rules/tools/tx");
    let cargo = cargo_root(&dir).unwrap_err();
    assert!(
        cargo.contains("current package believes it's in a workspace when it's not"),
        "{}",
        cargo
    );
    let e = ManifestPolicy::read(&dir.join("Cargo.toml")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Manifest);
    assert_eq!(
        e.to_string(),
        format!(
            "{}: [package.metadata.platform-guard] says workspace = true, but the workspace at \
             {} does not list this package among its members: expected it in [workspace] \
             members (or the package's own table)",
            dir.join("Cargo.toml").display(),
            fixture("workspace-rules/Cargo.toml").display()
        )
    );
}

#[test]
fn workspace_true_in_path_dependencies_that_cargo_makes_members() {
    for member in [
        "deps/by-root",    // of the root's package
        "deps/by-member",  // of a member
        "deps/transitive", // of a path dependency
        "deps/dev-only",   // [target.'cfg(windows)'.dev-dependencies]
        "deps/inherited",  // `workspace = true`, the path from [workspace.dependencies]
    ] {
        assert_member_of(&format!("workspace-rules/{}", member), "workspace-rules");
    }
}

#[test]
fn exclude_as_cargo_reads_it() {
    // A member written out wins over `exclude`.
    assert_member_of("workspace-rules/excluded/listed", "workspace-rules");
    // Excluded packages are workspaces of their own (the repository's
    // workspace above excludes tests/fixtures too).
    assert_outside_any_workspace("workspace-rules/crates/app-excluded");
    assert_outside_any_workspace("workspace-rules/excluded/other");
    // Excluded by the workspace nearest to it, listed by the one above.
    assert_member_of("workspace-rules/inner/pkg", "workspace-rules");
}

#[test]
fn package_workspace_points_to_the_root() {
    // Its own package.workspace, outside the root's directory.
    assert_member_of("workspace-satellite", "workspace-pointer");
    // The package.workspace of the manifest above it.
    assert_member_of("workspace-satellite/sub", "workspace-pointer");
}

/// `cargo package` verifies a package in `target/package/<name>-<version>`,
/// where Cargo looks for no workspace above: a member relying on
/// `workspace = true` is then a package without a workspace.
#[test]
fn a_package_being_verified_by_cargo_package_has_no_workspace() {
    let ws = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ws-packaged");
    let _ = std::fs::remove_dir_all(&ws);
    let member = "[package]\nname = \"packaged\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                  [package.metadata.platform-guard]\nworkspace = true\n";
    let verified = ws.join("target/package/packaged-0.1.0");
    for dir in [ws.join("member"), verified.clone()] {
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("Cargo.toml"), member).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    }
    std::fs::write(
        ws.join("Cargo.toml"),
        "[workspace]\nmembers = [\"member\"]\n\n[workspace.metadata.platform-guard]\npreset = \
         \"default\"\n",
    )
    .unwrap();
    assert_eq!(cargo_root(&ws.join("member")), Ok(ws.join("Cargo.toml")));
    ManifestPolicy::read(&ws.join("member/Cargo.toml")).unwrap();
    let manifest = verified.join("Cargo.toml");
    assert_eq!(cargo_root(&verified), Ok(manifest.clone()));
    let e = ManifestPolicy::read(&manifest).unwrap_err();
    assert!(
        e.to_string()
            .contains("says workspace = true, but no workspace lists this package"),
        "{}",
        e
    );
}

/// Real builds: a member by a glob, its path dependency and a member by
/// package.workspace build with the workspace's policy (under which the
/// host is unsupported: no rule matches it).
#[test]
fn members_by_glob_path_dependency_and_pointer_build_with_the_workspace_policy() {
    let unsupported = |package: &str, var: &str| {
        format!(
            "{}@0.1.0: platform-guard: target {} is unsupported (no rule matched); its programs \
             refuse to run unless {}=",
            package,
            common::host().0,
            var
        )
    };
    let out = common::cargo("workspace-rules", &["build", "-p", "rules-app-one"], &[]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{}", err);
    assert!(
        err.contains(&unsupported(
            "rules-app-one",
            "RULES_APP_ONE_UNSUPPORTED_ARCH"
        )),
        "{}",
        err
    );
    assert!(
        err.contains(&unsupported(
            "rules-by-member",
            "RULES_BY_MEMBER_UNSUPPORTED_ARCH"
        )),
        "{}",
        err
    );
    let bin = common::target_dir().join("debug").join("rules-app-one");
    let run = common::run(&bin, &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("(no rule matched); set RULES_APP_ONE_UNSUPPORTED_ARCH="),
        "{}",
        text(&run.stderr)
    );

    let out = common::cargo(
        "workspace-pointer",
        &["build", "-p", "pointer-satellite"],
        &[],
    );
    let err = text(&out.stderr);
    assert!(out.status.success(), "{}", err);
    assert!(
        err.contains(&unsupported(
            "pointer-satellite",
            "POINTER_SATELLITE_UNSUPPORTED_ARCH"
        )),
        "{}",
        err
    );
}
