//! `cargo platform-guard`, the real binary, on fixture manifests: every
//! output format read back (JSON through serde_json) and checked against
//! the library's own classification, `check`'s exit codes, `explain`,
//! `doc` against etcd's table, `doc --check`, and the errors.

mod common;

use common::{fixture, pg, pg_in, rustc_target, scratch, target_list, text, Run};
use std::sync::OnceLock;

use platform_guard::{BuildEnv, Level, Policy};
use serde_json::Value;

fn policy_manifest() -> String {
    fixture("cli-policy/Cargo.toml").display().to_string()
}

fn library_policy() -> Policy {
    Policy::from_manifest_path(&fixture("cli-policy/Cargo.toml")).unwrap()
}

/// Targets of several kinds: each level of the fixture policy, 32-bit,
/// x32, big-endian, no OS.
const SAMPLES: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-unknown-linux-gnu",
    "x86_64-unknown-freebsd",
    "i686-unknown-linux-gnu",
    "x86_64-unknown-linux-gnux32",
    "powerpc64-unknown-linux-gnu",
    "thumbv7em-none-eabihf",
    "wasm32-unknown-unknown",
];

const ROW_FIELDS: [&str; 18] = [
    "target",
    "package",
    "arch",
    "os",
    "pointer_width",
    "endian",
    "level",
    "rule",
    "maintainers",
    "override_var",
    "override_value",
    "build",
    "rustflags",
    "installable",
    "tier",
    "go",
    "debian",
    "docker",
];

/// `matrix --format json` for the fixture policy, run once: the document.
fn json_doc() -> &'static (String, Value) {
    static DOC: OnceLock<(String, Value)> = OnceLock::new();
    DOC.get_or_init(|| {
        let m = policy_manifest();
        let out = pg(&["matrix", "--manifest-path", &m, "--format", "json"], &[])
            .expect(0, "matrix --format json")
            .out;
        let v: Value = serde_json::from_str(&out).expect("matrix --format json is JSON");
        (out, v)
    })
}

fn rows() -> &'static [Value] {
    json_doc().1["targets"].as_array().expect("targets")
}

fn row<'a>(rows: &'a [Value], target: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["target"] == target)
        .unwrap_or_else(|| panic!("no row for {}", target))
}

fn build_word(policy: &Policy, triple: &str) -> &'static str {
    let verdict = policy.classify(&rustc_target(triple));
    let empty: [(&str, &str); 0] = [];
    policy
        .build_decision(&verdict, &BuildEnv::from_vars(empty))
        .unwrap()
        .word()
}

// ---------------------------------------------------------------- matrix

#[test]
fn json_is_versioned_and_round_trips_through_serde_json() {
    let (text, doc) = json_doc();
    assert_eq!(doc["format_version"], 1);
    assert!(doc["rustc"].as_str().is_some_and(|r| r.starts_with("1.")));
    assert!(doc["host"].is_string());
    assert_eq!(doc["unmatched_rules"], serde_json::json!([]));
    assert_eq!(doc["left_out"], serde_json::json!([]));
    // Written back by serde_json and read again: the same document.
    let again: Value = serde_json::from_str(&serde_json::to_string(doc).unwrap()).unwrap();
    assert_eq!(&again, doc);
    // One target a line.
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("    {\"target\": "))
        .unwrap();
    assert_eq!(lines.len() - first - 3, rows().len() - 1);
}

#[test]
fn json_has_one_object_per_target_with_the_documented_fields() {
    let listed: Vec<&str> = rows()
        .iter()
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert_eq!(listed, target_list());
    for r in rows() {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = ROW_FIELDS.to_vec();
        want.sort();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort();
        assert_eq!(keys_sorted, want);
        r["level"].as_str().unwrap().parse::<Level>().unwrap();
        assert!(matches!(
            r["build"].as_str(),
            Some("allowed" | "lifted" | "denied")
        ));
        assert!(r["pointer_width"].is_u64() || r["pointer_width"].is_null());
        assert!(r["installable"].is_boolean(), "{}", r);
        assert!(matches!(r["tier"].as_u64(), Some(1..=3)), "{}", r);
        for name in ["go", "debian", "docker"] {
            assert!(r[name].is_string() || r[name].is_null(), "{}", r);
        }
        assert_eq!(r["package"], "cli-policy");
        assert_eq!(r["rustflags"], serde_json::json!([]));
    }
}

#[test]
fn json_agrees_with_the_librarys_classification() {
    let policy = library_policy();
    for triple in SAMPLES {
        let cfg = rustc_target(triple);
        let v = policy.classify(&cfg);
        let r = row(rows(), triple);
        assert_eq!(r["arch"], cfg.arch(), "{}", triple);
        assert_eq!(r["os"].as_str(), cfg.os(), "{}", triple);
        assert_eq!(
            r["pointer_width"].as_u64(),
            Some(cfg.pointer_width().unwrap().parse().unwrap())
        );
        assert_eq!(r["endian"].as_str(), cfg.value("target_endian"));
        assert_eq!(r["level"], v.level().as_str(), "{}", triple);
        assert_eq!(r["rule"].as_str(), v.rule(), "{}", triple);
        let maintainers = v.rule_index().and_then(|i| policy.rules()[i].maintainers());
        assert_eq!(r["maintainers"].as_str(), maintainers, "{}", triple);
        assert_eq!(r["override_var"], v.override_var());
        assert_eq!(r["override_value"], v.override_value(), "{}", triple);
        assert_eq!(r["build"], build_word(&policy, triple), "{}", triple);
    }
    let levels: Vec<&str> = SAMPLES
        .iter()
        .map(|t| row(rows(), t)["level"].as_str().unwrap())
        .collect();
    for level in Level::ALL {
        assert!(levels.contains(&level.as_str()), "{:?}", levels);
    }
    assert_eq!(row(rows(), "i686-unknown-linux-gnu")["build"], "denied");
}

#[test]
fn table_format_agrees_with_json() {
    let m = policy_manifest();
    let run = pg(&["matrix", "--manifest-path", &m], &[]).expect(0, "matrix");
    // stderr is a pipe here, not a terminal: no progress, no warning.
    assert_eq!(run.err, "");
    let out = run.out;
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "TARGET", "ARCH", "OS", "WIDTH", "LEVEL", "TIER", "RUSTUP", "GO", "DEBIAN", "DOCKER",
            "RULE"
        ]
    );
    let rule_at = out.lines().next().unwrap().find("RULE").unwrap();
    assert_eq!(out.lines().count(), rows().len() + 1);
    for (line, r) in out.lines().skip(1).zip(rows()) {
        let (cells, rule) = line.split_at(rule_at);
        let cells: Vec<&str> = cells.split_whitespace().collect();
        let want = [
            r["target"].as_str().unwrap().to_string(),
            r["arch"].as_str().unwrap().to_string(),
            r["os"].as_str().unwrap_or("-").to_string(),
            r["pointer_width"]
                .as_u64()
                .map_or("-".to_string(), |n| n.to_string()),
            r["level"].as_str().unwrap().to_string(),
            r["tier"].as_u64().unwrap().to_string(),
            if r["installable"] == true {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            r["go"].as_str().unwrap_or("-").to_string(),
            r["debian"].as_str().unwrap_or("-").to_string(),
            r["docker"].as_str().unwrap_or("-").to_string(),
        ];
        assert_eq!(cells, want, "{}", line);
        assert_eq!(rule, r["rule"].as_str().unwrap_or("-"), "{}", line);
    }
}

#[test]
fn markdown_format_agrees_with_json_and_filters_levels() {
    let m = policy_manifest();
    let out = pg(
        &[
            "matrix",
            "--manifest-path",
            &m,
            "--format",
            "markdown",
            "--level",
            "stable,unstable",
        ],
        &[],
    )
    .expect(0, "markdown")
    .out;
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "| Target | Arch | OS | Pointer width | Level | Tier | rustup | Go | Debian | Docker \
             | Rule |"
        )
    );
    assert_eq!(
        lines.next(),
        Some("|---|---|---|---|---|---|---|---|---|---|---|")
    );
    let expected: Vec<&Value> = rows()
        .iter()
        .filter(|r| matches!(r["level"].as_str(), Some("stable" | "unstable")))
        .collect();
    let got: Vec<&str> = lines.collect();
    assert_eq!(got.len(), expected.len());
    assert!(!expected.is_empty());
    for (line, r) in got.iter().zip(expected) {
        let cells: Vec<&str> = line
            .strip_prefix("| ")
            .and_then(|l| l.strip_suffix(" |"))
            .unwrap()
            .split(" | ")
            .collect();
        assert_eq!(cells.len(), 11, "{}", line);
        assert_eq!(cells[0], format!("`{}`", r["target"].as_str().unwrap()));
        assert_eq!(cells[4], r["level"].as_str().unwrap());
        assert_eq!(cells[5], r["tier"].as_u64().unwrap().to_string());
        assert_eq!(
            cells[9],
            r["docker"]
                .as_str()
                .map_or(String::new(), |d| format!("`{}`", d))
        );
        assert_eq!(
            cells[10],
            r["rule"]
                .as_str()
                .map_or("no rule matched".to_string(), |x| format!("`{}`", x))
        );
    }
}

/// The note `matrix --format FORMAT` without `--level` writes about the
/// targets at levels whose programs refuse to run, from the JSON rows.
fn level_note(rows: &[Value], format: &str) -> String {
    let count = |level: &str| rows.iter().filter(|r| r["level"] == level).count();
    let (unstable, unsupported) = (count("unstable"), count("unsupported"));
    let mut per_level = Vec::new();
    let mut levels = vec!["stable", "experimental"];
    if unstable > 0 {
        per_level.push(format!("{} unstable", unstable));
        levels.push("unstable");
    }
    if unsupported > 0 {
        per_level.push(format!("{} unsupported", unsupported));
        levels.push("unsupported");
    }
    format!(
        "cargo-platform-guard: note: left out {} of {} targets whose programs refuse to run \
         ({}): without --level, --format {} lists only the levels whose programs run (stable, \
         experimental); `--level {}` includes them\n",
        unstable + unsupported,
        rows.len(),
        per_level.join(", "),
        format,
        levels.join(",")
    )
}

#[test]
fn github_format_round_trips_and_lists_the_allowed_targets() {
    let m = policy_manifest();
    let run = pg(
        &["matrix", "--manifest-path", &m, "--format", "github"],
        &[],
    )
    .expect(0, "github");
    let out = run.out;
    assert_eq!(out.lines().count(), 1, "one line, for $GITHUB_OUTPUT");
    // Without --level: the levels whose programs run.
    let running = |r: &&Value| matches!(r["level"].as_str(), Some("stable" | "experimental"));
    // What it left out, and the options that keep them, on stderr.
    let allowed_all: Vec<&str> = rows()
        .iter()
        .filter(running)
        .filter(|r| r["build"] != "denied")
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    let uninstallable: Vec<&str> = rows()
        .iter()
        .filter(running)
        .filter(|r| r["build"] != "denied" && r["installable"] == false)
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert!(!uninstallable.is_empty());
    let shown: Vec<&str> = uninstallable.iter().take(8).copied().collect();
    let sanitizer_note = "cargo-platform-guard: note: left out 1 sanitizer build of a listed \
                          target (x86_64-unknown-linux-gnuasan: x86_64-unknown-linux-gnu with \
                          AddressSanitizer): the same platform, with the same cfg and so the same \
                          verdict; a sanitizer job is one to add to the workflow by hand\n";
    assert_eq!(
        run.err,
        format!(
            "{}cargo-platform-guard: note: left out {} of {} targets that rustup cannot install \
             ({}{}): rustup ships no standard library for them, so `rustup target add` would \
             fail; `--installable any` keeps them\n{}",
            level_note(rows(), "github"),
            uninstallable.len(),
            allowed_all.len(),
            shown.join(", "),
            if uninstallable.len() > 8 { ", ..." } else { "" },
            sanitizer_note
        )
    );
    let every = pg(
        &[
            "matrix",
            "--manifest-path",
            &m,
            "--format",
            "github",
            "--installable",
            "any",
            "--level",
            "stable,experimental",
        ],
        &[],
    )
    .expect(0, "github, --installable any");
    assert_eq!(every.err, sanitizer_note);
    let every: Value = serde_json::from_str(&every.out).unwrap();
    assert_eq!(
        every["include"].as_array().unwrap().len(),
        allowed_all.len() - 1
    );
    let v: Value = serde_json::from_str(&out).expect("github format is JSON");
    let again: Value = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
    assert_eq!(again, v, "round trip");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["include"]);
    let include = v["include"].as_array().unwrap();
    // Allowed, at a level whose programs run, installable by rustup (the
    // defaults for this format), and not a sanitizer build.
    let allowed: Vec<&Value> = rows()
        .iter()
        .filter(running)
        .filter(|r| r["build"] != "denied" && r["installable"] == true)
        .filter(|r| r["target"] != "x86_64-unknown-linux-gnuasan")
        .collect();
    assert_eq!(include.len(), allowed.len());
    assert!(!include.is_empty());
    for (entry, r) in include.iter().zip(allowed) {
        let mut keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["arch", "level", "os", "target"]);
        for key in ["target", "arch", "os", "level"] {
            assert_eq!(entry[key], r[key]);
        }
        assert_ne!(entry["level"], "unsupported");
    }
    // PLATFORM_GUARD_DENY narrows it as it would narrow the builds.
    let out = pg(
        &[
            "matrix",
            "--manifest-path",
            &m,
            "--format",
            "github",
            "--level",
            "stable,experimental",
        ],
        &[("PLATFORM_GUARD_DENY", "experimental")],
    )
    .expect(0, "github, denied experimental")
    .out;
    let v: Value = serde_json::from_str(&out).unwrap();
    let levels: Vec<&str> = v["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["level"].as_str().unwrap())
        .collect();
    assert!(!levels.is_empty());
    assert!(levels.iter().all(|l| *l == "stable"), "{}", out);
}

#[test]
fn an_empty_github_matrix_is_an_error_that_names_the_filter() {
    let m = policy_manifest();
    let run = pg(
        &[
            "matrix",
            "--manifest-path",
            &m,
            "--format",
            "github",
            "--level",
            "unsupported",
        ],
        &[],
    )
    .expect(2, "every unsupported target is denied");
    assert_eq!(run.out, "");
    assert!(
        run.err.starts_with(
            "cargo-platform-guard: error: the GitHub matrix would be empty: the "
        ) && run.err.contains(" targets --level unsupported keeps are all denied (the policy's deny = \"unsupported\")"),
        "{}",
        run.err
    );
    let run = pg(
        &[
            "matrix", "--preset", "etcd", "--format", "github", "--level", "unstable",
        ],
        &[],
    )
    .expect(2, "no unstable target in the etcd preset");
    assert!(
        run.err.contains("--level unstable keeps none of the ")
            && run
                .err
                .contains("GitHub Actions rejects a matrix with no jobs"),
        "{}",
        run.err
    );
    let run = pg(
        &["matrix", "--preset", "etcd", "--format", "github"],
        &[("PLATFORM_GUARD_DENY", "stable")],
    )
    .expect(2, "everything denied");
    assert!(
        run.err.contains(
            " targets the default --level stable,experimental (the levels whose programs run) \
             keeps are all denied (PLATFORM_GUARD_DENY=stable)"
        ),
        "{}",
        run.err
    );
    let run = pg(
        &[
            "matrix",
            "--preset",
            "etcd",
            "--format",
            "github",
            "--level",
            "stable,experimental,unsupported",
        ],
        &[("PLATFORM_GUARD_DENY", "stable")],
    )
    .expect(2, "everything denied, every level");
    assert!(
        run.err.contains(
            " targets --level stable,experimental,unsupported keeps are all denied \
             (PLATFORM_GUARD_DENY=stable)"
        ),
        "{}",
        run.err
    );
}

#[test]
fn a_rule_that_matches_no_target_is_reported() {
    let dir = scratch("unmatched");
    let manifest = dir.join("Cargo.toml");
    std::fs::write(
        &manifest,
        "[package]\nname = \"typo\"\nversion = \"0.1.0\"\n\n[package.metadata.platform-guard]\n\
         rules = [\n  { level = \"stable\", cfg = 'target_os = \"linux\"' },\n  \
         { level = \"experimental\", cfg = 'all(target_os = \"macos\", target_pointer_width = \"16\")' },\n]\n\
         [workspace]\n",
    )
    .unwrap();
    let m = manifest.display().to_string();
    let run = pg(&["matrix", "--manifest-path", &m, "--format", "json"], &[]).expect(0, "matrix");
    let n = target_list().len();
    let warning = format!(
        "cargo-platform-guard: warning: typo: experimental rule 2 `all(target_os = \"macos\", \
         target_pointer_width = \"16\")` matches none of the {} targets rustc ",
        n
    );
    assert!(run.err.starts_with(&warning), "{}", run.err);
    assert_eq!(run.err.lines().count(), 1, "{}", run.err);
    let doc: Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(
        doc["unmatched_rules"],
        serde_json::json!([{
            "package": "typo",
            "rule": 2,
            "level": "experimental",
            "cfg": "all(target_os = \"macos\", target_pointer_width = \"16\")"
        }])
    );
    // check says so too.
    let run = pg(
        &[
            "check",
            "--manifest-path",
            &m,
            "--target",
            "x86_64-unknown-linux-gnu",
        ],
        &[],
    )
    .expect(0, "check");
    assert!(run.err.starts_with(&warning), "{}", run.err);
}

#[test]
fn works_as_a_cargo_subcommand_and_with_a_preset() {
    let explain = [
        "explain",
        "--preset",
        "etcd",
        "--target",
        "powerpc64le-unknown-linux-gnu",
    ];
    let via_cargo = pg(&[&["platform-guard"][..], &explain].concat(), &[]).expect(0, "via cargo");
    let direct = pg(&explain, &[]).expect(0, "direct");
    assert_eq!(via_cargo.out, direct.out);
    assert!(direct.out.contains("verdict: stable"), "{}", direct.out);
    let out = pg(
        &[
            "platform-guard",
            "matrix",
            "--preset",
            "etcd",
            "--format=github",
            "--level=stable,experimental",
        ],
        &[],
    )
    .expect(0, "github")
    .out;
    let etcd = Policy::etcd();
    let v: Value = serde_json::from_str(&out).unwrap();
    let listed: Vec<&str> = v["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    for triple in [
        "x86_64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "powerpc64le-unknown-linux-gnu",
    ] {
        assert!(listed.contains(&triple), "{:?}", listed);
        assert!(etcd.classify(&rustc_target(triple)).level() <= Level::Experimental);
    }
    for triple in ["aarch64-apple-darwin", "x86_64-unknown-linux-gnux32"] {
        assert!(!listed.contains(&triple), "{:?}", listed);
    }
}

// ----------------------------------------------------------------- check

fn check(targets: &[&str], env: &[(&str, &str)], code: i32) -> Run {
    let m = policy_manifest();
    let mut args = vec!["check", "--manifest-path", m.as_str()];
    for t in targets {
        args.push("--target");
        args.push(t);
    }
    pg(&args, env).expect(code, &format!("check {:?} {:?}", targets, env))
}

#[test]
fn check_exit_codes_and_one_line_per_target() {
    let out = check(
        &["x86_64-unknown-linux-gnu", "x86_64-unknown-freebsd"],
        &[],
        0,
    )
    .out;
    assert_eq!(
        out,
        "x86_64-unknown-linux-gnu: allowed: stable (rule `all(target_arch = \"x86_64\", \
         target_pointer_width = \"64\", any(target_os = \"linux\", target_os = \"macos\"))`)\n\
         x86_64-unknown-freebsd: allowed: unstable (rule `all(target_pointer_width = \"64\", \
         target_os = \"freebsd\")`)\n"
    );
    // A comma-separated list is the same as repeating --target.
    let listed = check(&["x86_64-unknown-linux-gnu,x86_64-unknown-freebsd"], &[], 0).out;
    assert_eq!(listed, out);

    let out = check(
        &["x86_64-unknown-linux-gnu", "i686-unknown-linux-gnu"],
        &[],
        1,
    )
    .out;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("x86_64-unknown-linux-gnu: allowed: stable"));
    assert_eq!(
        lines[1],
        "i686-unknown-linux-gnu: denied: building for unsupported target i686-unknown-linux-gnu \
         (no rule matched) is denied by this crate's policy (deny unsupported and worse); set \
         CLI_POLICY_UNSUPPORTED_ARCH=x86 to build anyway"
    );
    // The override variable lifts the denial, as in a build.
    let out = check(
        &["i686-unknown-linux-gnu"],
        &[("CLI_POLICY_UNSUPPORTED_ARCH", "x86")],
        0,
    )
    .out;
    assert_eq!(
        out,
        "i686-unknown-linux-gnu: allowed, denial lifted: the denial of unsupported target \
         i686-unknown-linux-gnu by this crate's policy (deny unsupported and worse) is lifted \
         because CLI_POLICY_UNSUPPORTED_ARCH=x86 is set\n"
    );
    let out = check(
        &["i686-unknown-linux-gnu"],
        &[("CLI_POLICY_UNSUPPORTED_ARCH", "i686")],
        1,
    )
    .out;
    assert!(out.ends_with(
        "CLI_POLICY_UNSUPPORTED_ARCH is \"i686\", but it must be exactly \"x86\" to build \
         anyway\n"
    ));
    // PLATFORM_GUARD_DENY adds to the policy, and --deny too.
    check(
        &["aarch64-unknown-linux-gnu"],
        &[("PLATFORM_GUARD_DENY", "experimental")],
        1,
    );
    let m = policy_manifest();
    let out = pg(
        &[
            "check",
            "--manifest-path",
            &m,
            "--target",
            "aarch64-unknown-linux-gnu",
            "--deny",
            "experimental",
        ],
        &[],
    )
    .expect(1, "--deny")
    .out;
    assert!(out.contains("(deny experimental and worse)"), "{}", out);
    check(&["aarch64-unknown-linux-gnu"], &[], 0);

    let err = check(
        &["i686-unknown-linux-gnu"],
        &[("PLATFORM_GUARD_DENY", "32bit")],
        2,
    )
    .err;
    assert!(
        err.contains("PLATFORM_GUARD_DENY: unknown support level \"32bit\""),
        "{}",
        err
    );
    let bad = fixture("unknown-level.toml");
    let run = pg(
        &[
            "check",
            "--manifest-path",
            bad.to_str().unwrap(),
            "--target",
            "x86_64-unknown-linux-gnu",
        ],
        &[],
    )
    .expect(2, "a mistake in the table");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: {}:10:13: package.metadata.platform-guard.rules[2].level: \
             unknown support level \"Stable\": expected one of stable, experimental, unstable, \
             unsupported (lowercase)\n",
            bad.display()
        )
    );
}

#[test]
fn check_and_explain_default_to_the_host() {
    let (host, _) = common::host();
    let m = policy_manifest();
    let out = pg(&["check", "--manifest-path", &m], &[]).out;
    assert!(out.starts_with(&format!("{}: ", host)), "{}", out);
    assert_eq!(out.lines().count(), 1);
    let out = pg(&["explain", "--manifest-path", &m], &[])
        .expect(0, "explain")
        .out;
    assert!(out.starts_with(&format!("target: {}\n", host)), "{}", out);
    // Cargo's build.target is what a plain build builds: checked instead.
    let dir = scratch("build-target");
    std::fs::create_dir_all(dir.join(".cargo")).unwrap();
    std::fs::write(
        dir.join(".cargo/config.toml"),
        "[build]\ntarget = [\"i686-unknown-linux-gnu\", \"x86_64-unknown-freebsd\"]\n",
    )
    .unwrap();
    let run = pg_in(&dir, &["check", "--manifest-path", &m], &[]).expect(1, "build.target");
    assert!(
        run.out.starts_with("i686-unknown-linux-gnu: denied: "),
        "{}",
        run.out
    );
    assert!(
        run.out
            .contains("\nx86_64-unknown-freebsd: allowed: unstable"),
        "{}",
        run.out
    );
    assert!(
        run.err.contains(&format!(
            "note: checking the targets of build.target in {}: i686-unknown-linux-gnu, \
             x86_64-unknown-freebsd",
            dir.join(".cargo/config.toml").display()
        )),
        "{}",
        run.err
    );
}

#[test]
fn an_unknown_target_gets_the_nearest_names() {
    let run = pg(
        &[
            "check",
            "--preset",
            "etcd",
            "--target",
            "x86_64-unknown-linux-gun",
        ],
        &[],
    )
    .expect(2, "unknown target");
    assert_eq!(run.out, "");
    assert!(
        run.err.starts_with(
            "cargo-platform-guard: error: unknown target \"x86_64-unknown-linux-gun\": rustc \
             does not list it in `--print target-list`; did you mean x86_64-unknown-linux-gnu"
        ),
        "{}",
        run.err
    );
    let run = pg(
        &[
            "explain",
            "--preset",
            "etcd",
            "--target",
            "powerpc64le-linux",
        ],
        &[],
    )
    .expect(2, "unknown target");
    assert!(
        run.err.contains("did you mean") && run.err.contains("powerpc64le-unknown-linux-"),
        "{}",
        run.err
    );
}

// --------------------------------------------------------------- explain

#[test]
fn explain_shows_flags_cfg_rules_verdict_and_override() {
    let m = policy_manifest();
    let out = pg(
        &[
            "explain",
            "--manifest-path",
            &m,
            "--target",
            "x86_64-apple-darwin",
        ],
        &[],
    )
    .expect(0, "explain")
    .out;
    for line in [
        "target: x86_64-apple-darwin",
        "rustflags: none",
        "  target_arch = \"x86_64\"",
        "  target_os = \"macos\"",
        "  target_pointer_width = \"64\"",
        "  1. stable `all(target_arch = \"x86_64\", target_pointer_width = \"64\", any(target_os = \
         \"linux\", target_os = \"macos\"))`: matched yes (first match)",
        "  2. experimental `all(target_arch = \"aarch64\", target_os = \"linux\")`: matched no",
        "  3. unstable `all(target_pointer_width = \"64\", target_os = \"freebsd\")`: matched no",
        "verdict: stable (rule `all(target_arch = \"x86_64\", target_pointer_width = \"64\", \
         any(target_os = \"linux\", target_os = \"macos\"))`)",
        "run: runs",
        "build: allowed",
        "override: CLI_POLICY_UNSUPPORTED_ARCH=x86_64 (exactly this value lifts a refusal or a \
         denial)",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {:?} in\n{}", line, out);
    }
    let out = pg(
        &[
            "explain",
            "--preset",
            "etcd",
            "--target",
            "i686-unknown-linux-gnu",
        ],
        &[],
    )
    .expect(0, "explain etcd")
    .out;
    assert!(out.contains("  target_pointer_width = \"32\"\n"), "{}", out);
    assert_eq!(out.matches(": matched no\n").count(), 3, "{}", out);
    assert!(
        out.contains("verdict: unsupported (no rule matched)\n"),
        "{}",
        out
    );
    assert!(
        out.contains("run: refuses to start unless ETCD_UNSUPPORTED_ARCH=386 is set\n"),
        "{}",
        out
    );
    // Two targets: two blocks.
    let out = pg(
        &[
            "explain",
            "--preset",
            "etcd",
            "--target",
            "i686-unknown-linux-gnu,x86_64-unknown-linux-gnu",
        ],
        &[],
    )
    .expect(0, "explain two")
    .out;
    assert_eq!(out.matches("target: ").count(), 2);
    assert!(
        out.contains("\n\ntarget: x86_64-unknown-linux-gnu\n"),
        "{}",
        out
    );
}

// ------------------------------------------------------------------- doc

/// The rows of the page's first table.
fn support_table(page: &str) -> Vec<Vec<String>> {
    let start = page
        .find("| Architecture | Operating system | Status | Maintainers |\n|---|---|---|---|\n")
        .expect("the support table");
    page[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn doc_for_the_etcd_preset_has_etcds_table_row_for_row() {
    let page = pg(&["doc", "--preset", "etcd"], &[]).expect(0, "doc").out;
    let etcd = [
        ["amd64", "Darwin", "Experimental", "etcd maintainers"],
        ["amd64", "Linux", "Stable", "etcd maintainers"],
        ["ppc64le", "Linux", "Stable", "etcd maintainers, @mkumatag"],
    ];
    assert_eq!(
        support_table(&page),
        etcd.map(|r| r.map(String::from).to_vec())
    );
    for part in [
        "# Supported systems\n",
        "The following table lists etcd support status for common architectures and operating \
         systems:",
        Level::Experimental.definition(),
        "Unlisted architecture and operating system pairs are currently unsupported; caveat \
         emptor.",
        "2. Set up CI for build; etcd must compile.",
        "etcd has known issues on 32-bit systems",
        "`ETCD_UNSUPPORTED_ARCH` is not set to the target architecture.",
        "| x86 (32-bit) | `386` |",
        "Currently amd64 and ppc64le architectures are officially supported by etcd.",
    ] {
        assert!(page.contains(part), "missing {:?} in\n{}", part, page);
    }
}

#[test]
fn doc_for_a_manifest_policy_derives_names_from_its_rules() {
    let m = policy_manifest();
    let page = pg(&["doc", "--manifest-path", &m], &[])
        .expect(0, "doc")
        .out;
    let rows = [
        ["x86_64", "Linux", "Stable", "core team, @alice"],
        ["x86_64", "macOS", "Stable", "core team, @alice"],
        ["aarch64", "Linux", "Experimental", "@bob"],
        ["any 64-bit", "FreeBSD", "Unstable", "(none named)"],
    ];
    assert_eq!(
        support_table(&page),
        rows.map(|r| r.map(String::from).to_vec())
    );
    for part in [
        "lists cli-policy support status",
        "Big-endian targets are not tested.",
        "`CLI_POLICY_UNSUPPORTED_ARCH`",
        "Currently the x86_64 architecture is officially supported by cli-policy.",
    ] {
        assert!(page.contains(part), "missing {:?} in\n{}", part, page);
    }
    let named = pg(&["doc", "--manifest-path", &m, "--name", "Acme"], &[])
        .expect(0, "doc")
        .out;
    assert!(named.contains("lists Acme support status"));
}

#[test]
fn doc_check_catches_a_changed_line() {
    let dir = scratch("doc-check");
    let file = dir.join("SUPPORTED.md");
    let f = file.to_str().unwrap();
    let page = pg(&["doc", "--preset", "etcd"], &[]).expect(0, "doc").out;
    std::fs::write(&file, &page).unwrap();
    let out = pg(&["doc", "--preset", "etcd", "--check", f], &[])
        .expect(0, "fresh")
        .out;
    assert_eq!(out, format!("{} is up to date with the policy\n", f));
    let edited = page.replace(
        "| amd64 | Darwin | Experimental |",
        "| amd64 | Darwin | Stable |",
    );
    assert_ne!(edited, page);
    std::fs::write(&file, &edited).unwrap();
    let line = page
        .lines()
        .position(|l| l.starts_with("| amd64 | Darwin"))
        .unwrap()
        + 1;
    let out = pg(&["doc", "--preset", "etcd", "--check", f], &[])
        .expect(1, "stale")
        .out;
    assert_eq!(
        out,
        format!(
            "{f}:{line}: differs from the page the policy generates\n  in the file: \"| amd64 | \
             Darwin | Stable | etcd maintainers |\"\n  generated:   \"| amd64 | Darwin | \
             Experimental | etcd maintainers |\"\nregenerate it with: cargo platform-guard doc > \
             {f}\n",
            f = f,
            line = line
        )
    );
    // Relative to the current directory, and named as given.
    std::fs::write(&file, &page).unwrap();
    let out = pg_in(
        &dir,
        &["doc", "--preset", "etcd", "--check", "SUPPORTED.md"],
        &[],
    )
    .expect(0, "relative")
    .out;
    assert_eq!(out, "SUPPORTED.md is up to date with the policy\n");
    let missing = dir.join("missing.md");
    let err = pg(
        &[
            "doc",
            "--preset",
            "etcd",
            "--check",
            missing.to_str().unwrap(),
        ],
        &[],
    )
    .expect(2, "missing")
    .err;
    assert!(err.contains("cannot read the page"), "{}", err);
}

/// `$RUSTC` is run as given, as Cargo runs it: every call goes through it,
/// and a second run answers from the cache after `-vV` alone.
#[cfg(unix)]
#[test]
fn rustc_from_the_environment_is_used_as_given() {
    let dir = scratch("rustc-as-given");
    let log = dir.join("calls.log");
    let wrapper = common::script(
        &dir.join("rustc"),
        &format!(
            "echo \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            common::real_rustc().display()
        ),
    );
    let cache = dir.join("cache");
    let env = [
        ("RUSTC", wrapper.to_str().unwrap()),
        ("XDG_CACHE_HOME", cache.to_str().unwrap()),
    ];
    let args = [
        "explain",
        "--preset",
        "etcd",
        "--target",
        "x86_64-unknown-linux-gnu",
    ];
    let out = pg(&args, &env).expect(0, "explain").out;
    assert!(out.contains("verdict: stable"));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "-vV\n--print target-list\n- --crate-name ___ --print=file-names --target \
         x86_64-unknown-linux-gnu --crate-type bin --crate-type rlib --crate-type dylib \
         --crate-type cdylib --crate-type staticlib --crate-type proc-macro --print=cfg \
         -Wwarnings\n"
    );
    std::fs::remove_file(&log).unwrap();
    let again = pg(&args, &env).expect(0, "explain, warm").out;
    assert_eq!(again, out);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "-vV\n");
    let _ = text(b"");
}
