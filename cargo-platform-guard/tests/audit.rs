//! `audit` on fixture repositories: a policy whose stable rule meets every
//! requirement, one whose stable rule names no maintainer, one whose
//! referenced job does not exist, one whose build job builds only a target
//! the rule does not match; exact text output (each fixture's
//! `expected.txt`, `{manifest}` standing for its Cargo.toml), exit codes,
//! Markdown, JSON and GitHub annotations; and the etcd preset, whose
//! maintainers are named and which references no CI.

mod common;

use common::{fixture, pg, pg_in, scratch};
use serde_json::Value;

fn audit(name: &str, code: i32) {
    let manifest = fixture(&format!("audit/{}/Cargo.toml", name));
    let m = manifest.display().to_string();
    let run = pg(&["audit", "--manifest-path", &m], &[]).expect(code, name);
    let want = std::fs::read_to_string(fixture(&format!("audit/{}/expected.txt", name)))
        .unwrap()
        .replace("{manifest}", &m);
    assert_eq!(run.out, want, "{}", name);
    assert_eq!(run.err, "", "{}", name);
}

#[test]
fn a_policy_that_meets_every_requirement_passes() {
    audit("complete", 0);
}

#[test]
fn a_stable_rule_without_maintainers_fails() {
    audit("no-maintainers", 1);
}

#[test]
fn a_referenced_job_that_does_not_exist_fails() {
    audit("missing-job", 1);
}

#[test]
fn a_job_that_builds_only_other_targets_fails() {
    audit("wrong-target", 1);
}

#[test]
fn the_etcd_preset_names_maintainers_and_no_ci() {
    let dir = scratch("audit-etcd");
    let run = pg_in(&dir, &["audit", "--preset", "etcd"], &[]).expect(1, "etcd");
    let want = std::fs::read_to_string(fixture("audit/etcd-expected.txt")).unwrap();
    assert_eq!(run.out, want);
    for stable in ["stable rule 2 ", "stable rule 3 "] {
        let block: Vec<&str> = run
            .out
            .split("\n\n")
            .find(|b| b.starts_with(stable))
            .unwrap()
            .lines()
            .collect();
        assert!(
            block[1].starts_with("  met       maintainers: etcd maintainers"),
            "{:?}",
            block
        );
        for (line, req) in block[2..5].iter().zip(["build", "unit", "integration"]) {
            assert_eq!(
                *line,
                format!(
                    "  FAILED    {}: no CI job is named ({} = \"<workflow file>:<job id>\" in the \
                     rule's ci table)",
                    req, req
                )
            );
        }
    }
}

#[test]
fn markdown_json_and_github_formats_say_the_same() {
    let m = fixture("audit/missing-job/Cargo.toml")
        .display()
        .to_string();
    let md = pg(
        &["audit", "--manifest-path", &m, "--format", "markdown"],
        &[],
    )
    .expect(1, "markdown")
    .out;
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| 1. ") || l.starts_with("| 2. "))
        .collect();
    assert_eq!(rows.len(), 2, "{}", md);
    let cells: Vec<&str> = rows[0].split(" | ").collect();
    assert_eq!(cells.len(), 7, "{}", rows[0]);
    assert_eq!(cells[1], "stable");
    assert_eq!(cells[2], "✅ core team");
    assert_eq!(
        cells[4],
        "❌ `.github/workflows/ci.yml:unit-tests` .github/workflows/ci.yml has no job \
         \"unit-tests\" (its jobs: build, test, integration)"
    );
    assert!(
        md.contains("\n**1 unmet requirement of stable rules.**\n"),
        "{}",
        md
    );

    let json = pg(&["audit", "--manifest-path", &m, "--format", "json"], &[])
        .expect(1, "json")
        .out;
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["command"], "audit");
    assert_eq!(doc["parts"].as_array().unwrap().len(), 1);
    let part = &doc["parts"][0];
    assert_eq!(part["package"], "audited");
    let rules = part["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["ok"], false);
    let unit = &rules[0]["requirements"][2];
    assert_eq!(unit["requirement"], "unit");
    assert_eq!(unit["status"], "failed");
    assert_eq!(unit["job"], ".github/workflows/ci.yml:unit-tests");
    assert_eq!(unit["file"], "Cargo.toml");
    assert_eq!(unit["line"], 9);
    assert_eq!(rules[1]["requirements"][0]["status"], "missing");
    // The findings, with their codes: the one error, and what the others
    // lack to be promoted.
    let codes: Vec<&str> = part["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "unmet-requirement",
            "promotion-requirement",
            "promotion-requirement",
            "promotion-requirement"
        ]
    );
    assert_eq!(part["findings"][0]["rules"], serde_json::json!([1]));

    let dir = scratch("audit-github");
    let summary = dir.join("summary.md");
    let gh = pg(
        &["audit", "--manifest-path", &m, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    )
    .expect(1, "github");
    let lines: Vec<&str> = gh.out.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=Cargo.toml,line=9,title=platform-guard audit::stable rule 1 \
         `all(target_arch = \"x86_64\", target_pointer_width = \"64\", target_os = \"linux\")`: CI \
         that runs the unit tests: .github/workflows/ci.yml has no job \"unit-tests\" (its jobs: \
         build, test, integration)"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1..]
        .iter()
        .all(|l| l.starts_with("::notice file=Cargo.toml,line=10,")));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), md);

    // The wrong-target failure points at the job in the workflow.
    let m = fixture("audit/wrong-target/Cargo.toml")
        .display()
        .to_string();
    let gh = pg(&["audit", "--manifest-path", &m, "--format", "github"], &[]).expect(1, "github");
    assert!(
        gh.out.starts_with(
            "::error file=.github/workflows/ci.yml,line=5,title=platform-guard audit::stable rule \
             1 `all(target_arch = \"x86_64\", target_pointer_width = \"64\", target_os = \
             \"linux\")`: CI that builds it: job build builds only targets the rule does not \
             match: aarch64-unknown-linux-gnu\n"
        ),
        "{}",
        gh.out
    );
}

/// Several packages (`-p`, `--workspace`): one part per package (it
/// refused before unless they shared a policy); a failing part fails the
/// run.
#[test]
fn several_packages_give_one_part_each() {
    let ws = fixture("workspace");
    let run = pg_in(&ws, &["audit", "-p", "app", "-p", "tool"], &[]).expect(1, "two parts");
    let headings: Vec<&str> = run
        .out
        .lines()
        .filter(|l| l.starts_with("package "))
        .collect();
    assert_eq!(headings.len(), 2, "{}", run.out);
    assert!(headings[0].starts_with("package app: "));
    assert!(headings[1].starts_with("package tool: "));
    assert!(!run.out.contains("\npolicy: "), "{}", run.out);
    assert!(run
        .out
        .ends_with("\nstable rules that meet every requirement: 0 of 2\n"));
    let md = pg_in(
        &ws,
        &["audit", "-p", "app", "-p", "tool", "--format", "markdown"],
        &[],
    )
    .expect(1, "markdown")
    .out;
    assert!(
        md.starts_with("## platform-guard: audit\n\n### package app: "),
        "{}",
        md
    );
    assert!(md.contains("\n\n### package tool: "), "{}", md);
}

/// A bare workflow file name (`ci.yml:build`), as GitHub's own tools name
/// workflows, is the file in `.github/workflows`.
#[test]
fn a_bare_workflow_file_name_is_found_in_github_workflows() {
    let dir = scratch("audit-bare-name");
    let complete = fixture("audit/complete");
    let manifest = std::fs::read_to_string(complete.join("Cargo.toml"))
        .unwrap()
        .replace(".github/workflows/ci.yml:", "ci.yml:");
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    std::fs::copy(
        complete.join(".github/workflows/ci.yml"),
        dir.join(".github/workflows/ci.yml"),
    )
    .unwrap();
    let run = pg_in(&dir, &["audit"], &[]).expect(0, "bare workflow names");
    assert!(
        run.out.contains(
            "  met       build [ci.yml:build]: job build builds x86_64-unknown-linux-gnu\n"
        ),
        "{}",
        run.out
    );
    // A bare name that is in neither place says where it looked.
    let missing = std::fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .replace("ci.yml:", "nope.yml:");
    std::fs::write(dir.join("Cargo.toml"), missing).unwrap();
    let run = pg_in(&dir, &["audit"], &[]).expect(1, "a missing bare name");
    assert!(
        run.out.contains("nope.yml does not exist (relative to "),
        "{}",
        run.out
    );
    assert!(
        run.out.contains(", or in its .github/workflows)"),
        "{}",
        run.out
    );
}

/// A job whose commands the files hide (a repository script, `cargo
/// xtask`) cannot be shown to build or test: its requirement is
/// unverifiable, a warning, never FAILED.
#[test]
fn a_job_whose_commands_are_hidden_is_unverifiable_not_failed() {
    let dir = scratch("audit-unverifiable");
    let complete = fixture("audit/complete");
    std::fs::copy(complete.join("Cargo.toml"), dir.join("Cargo.toml")).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    std::fs::write(
        dir.join(".github/workflows/ci.yml"),
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      \
         - run: cargo build --target x86_64-unknown-linux-gnu\n  \
         test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo xtask test\n  \
         integration:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n",
    )
    .unwrap();
    let run = pg_in(&dir, &["audit"], &[]).expect(0, "an unverifiable requirement");
    assert!(
        run.out.contains(
            "stable rule 1 `all(target_arch = \"x86_64\", target_pointer_width = \"64\", \
             target_os = \"linux\")` (Cargo.toml:9): no unmet requirement, but 1 requirement \
             cannot be verified from the files"
        ),
        "{}",
        run.out
    );
    assert!(
        run.out.contains(
            "  unverifiable  unit [.github/workflows/ci.yml:test]: job test runs no tests"
        ),
        "{}",
        run.out
    );
    let json = pg_in(&dir, &["audit", "--format", "json"], &[]).expect(0, "json");
    let doc: Value = serde_json::from_str(&json.out).unwrap();
    let findings = doc["parts"][0]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "unverifiable-requirement" && f["severity"] == "warning"),
        "{}",
        json.out
    );
    // The same job without the hidden command is FAILED.
    let ci = std::fs::read_to_string(dir.join(".github/workflows/ci.yml"))
        .unwrap()
        .replace("cargo xtask test", "echo no tests");
    std::fs::write(dir.join(".github/workflows/ci.yml"), ci).unwrap();
    let run = pg_in(&dir, &["audit"], &[]).expect(1, "a job that shows no tests");
    assert!(
        run.out
            .contains("  FAILED    unit [.github/workflows/ci.yml:test]: job test runs no tests"),
        "{}",
        run.out
    );
}
