//! `diff OLD NEW` on two versions of a fixture manifest (a demotion, a
//! new denial, two promotions, a newly allowed platform): as files, and as
//! `REV:path` read through git from a throwaway repository; text, the
//! Markdown changelog section and JSON; `--fail-on demotion|denial` turn
//! the changes into exit 1.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture, pg_in, scratch, target_list};
use serde_json::Value;

const AARCH64: &str = "all(target_arch = \"aarch64\", target_pointer_width = \"64\", target_os = \
                       \"linux\", target_env = \"gnu\", target_endian = \"little\")";
const FREEBSD: &str = "all(target_arch = \"x86_64\", target_os = \"freebsd\")";
const RISCV: &str = "all(target_arch = \"riscv64\", target_os = \"linux\", target_env = \"gnu\")";

/// The RISC-V Linux targets with glibc this toolchain knows.
fn riscv() -> Vec<String> {
    target_list()
        .into_iter()
        .filter(|t| t.starts_with("riscv64") && t.ends_with("-unknown-linux-gnu"))
        .collect()
}

fn release() -> String {
    let out = Command::new(common::rustc()).arg("-vV").output().unwrap();
    common::text(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("release: "))
        .unwrap()
        .to_string()
}

fn expected_text(old: &str, new: &str) -> String {
    let n = riscv().len();
    let riscv = riscv().join(", ");
    format!(
        "{old} -> {new}: {changed} of the {total} targets rustc {release} knows changed\n\
         \n\
         demoted and newly denied (1):\n  aarch64-unknown-linux-gnu\n    was: stable (rule 2 \
         `{a}`)\n    now: unstable, denied (rule 2 `{a}`)\n\
         \n\
         promoted (1):\n  x86_64-unknown-freebsd\n    was: experimental (rule 3 `{f}`)\n    \
         now: stable (rule 3 `{f}`)\n\
         \n\
         promoted and newly allowed ({n}):\n  {riscv}\n    was: unsupported, denied (no rule \
         matched)\n    now: experimental (rule 4 `{r}`)\n",
        old = old,
        new = new,
        changed = 2 + n,
        total = target_list().len(),
        release = release(),
        a = AARCH64,
        f = FREEBSD,
        r = RISCV,
        riscv = riscv,
        n = n
    )
}

#[test]
fn two_manifests_show_promotions_demotions_and_denials() {
    let dir = fixture("diff");
    let run = pg_in(&dir, &["diff", "v1.toml", "v2.toml"], &[]).expect(0, "diff");
    assert_eq!(run.out, expected_text("v1.toml", "v2.toml"));
    assert_eq!(run.err, "");
    // The release gate.
    pg_in(
        &dir,
        &["diff", "v1.toml", "v2.toml", "--fail-on", "demotion"],
        &[],
    )
    .expect(1, "a demotion");
    pg_in(
        &dir,
        &["diff", "v1.toml", "v2.toml", "--fail-on", "denial"],
        &[],
    )
    .expect(1, "a new denial");
    // Backwards there is no demotion: 2.0 -> 1.0 only promotes aarch64.
    let back = pg_in(
        &dir,
        &["diff", "v2.toml", "v1.toml", "--fail-on", "demotion"],
        &[],
    );
    let back = back.expect(1, "riscv is demoted going back");
    assert!(
        back.out
            .contains("\npromoted and newly allowed (1):\n  aarch64-unknown-linux-gnu\n"),
        "{}",
        back.out
    );
    let same = pg_in(
        &dir,
        &[
            "diff",
            "v1.toml",
            "v1.toml",
            "--fail-on",
            "demotion",
            "--fail-on",
            "denial",
        ],
        &[],
    )
    .expect(0, "no change");
    assert_eq!(
        same.out,
        format!(
            "v1.toml -> v1.toml: 0 of the {} targets rustc {} knows changed\n",
            target_list().len(),
            release()
        )
    );
}

/// A target that changed in two ways (demoted and newly denied, promoted
/// and newly allowed) was printed in two identical blocks, one under each
/// kind: now each changed target is printed once, under both kinds.
#[test]
fn a_target_that_changed_in_two_ways_is_printed_once() {
    let dir = fixture("diff");
    for format in ["text", "markdown"] {
        let out = pg_in(
            &dir,
            &["diff", "v1.toml", "v2.toml", "--format", format],
            &[],
        )
        .expect(0, format)
        .out;
        let mut targets = vec!["aarch64-unknown-linux-gnu".to_string()];
        targets.extend(riscv());
        for t in targets {
            let times = out
                .split(|c: char| c.is_whitespace() || c == ',' || c == '`')
                .filter(|w| *w == t)
                .count();
            assert_eq!(times, 1, "{} in --format {}:\n{}", t, format, out);
        }
        let blocks: Vec<&str> = out.split("\n\n").collect();
        for (i, b) in blocks.iter().enumerate() {
            assert!(!blocks[..i].contains(b), "printed twice: {:?}", b);
        }
    }
}

#[test]
fn markdown_is_a_changelog_section_and_json_reads_back() {
    let dir = fixture("diff");
    let md = pg_in(
        &dir,
        &["diff", "v1.toml", "v2.toml", "--format", "markdown"],
        &[],
    )
    .expect(0, "markdown")
    .out;
    let riscv: Vec<String> = riscv().iter().map(|t| format!("`{}`", t)).collect();
    assert_eq!(
        md,
        format!(
            "### Platform support\n\nChanges from `v1.toml` to `v2.toml`.\n\n#### Demoted and newly \
             denied\n\n- \
             `aarch64-unknown-linux-gnu`: was stable (rule 2 `{a}`); now unstable, denied (rule 2 \
             `{a}`).\n\n#### Promoted\n\n- `x86_64-unknown-freebsd`: was experimental (rule 3 \
             `{f}`); now stable (rule 3 `{f}`).\n\n#### Promoted and newly allowed\n\n- {riscv}: \
             was unsupported, denied (no rule matched); now experimental (rule 4 `{r}`).\n",
            a = AARCH64,
            f = FREEBSD,
            r = RISCV,
            riscv = riscv.join(", ")
        )
    );
    let json = pg_in(
        &dir,
        &["diff", "v1.toml", "v2.toml", "--format", "json"],
        &[],
    )
    .expect(0, "json")
    .out;
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["command"], "diff");
    assert_eq!(doc["targets_compared"], target_list().len());
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2 + riscv.len());
    let arm = changes
        .iter()
        .find(|c| c["target"] == "aarch64-unknown-linux-gnu")
        .unwrap();
    assert_eq!(
        arm["changes"],
        serde_json::json!(["demoted", "newly_denied"])
    );
    assert_eq!(arm["old"]["level"], "stable");
    assert_eq!(arm["new"]["level"], "unstable");
    assert_eq!(arm["new"]["denied"], true);
    assert_eq!(arm["new"]["rule_index"], 2);
    assert_eq!(arm["new"]["rule"], AARCH64);
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {:?}: {}",
        args,
        common::text(&out.stderr)
    );
}

#[test]
fn revisions_are_read_through_git() {
    let dir = scratch("diff-git");
    git(&dir, &["init", "-q", "-b", "main"]);
    std::fs::copy(fixture("diff/v1.toml"), dir.join("Cargo.toml")).unwrap();
    git(&dir, &["add", "Cargo.toml"]);
    git(&dir, &["commit", "-q", "-m", "1.0"]);
    git(&dir, &["tag", "v1.0.0"]);
    std::fs::copy(fixture("diff/v2.toml"), dir.join("Cargo.toml")).unwrap();
    git(&dir, &["commit", "-q", "-am", "2.0"]);
    let run = pg_in(&dir, &["diff", "v1.0.0:Cargo.toml", "HEAD:Cargo.toml"], &[])
        .expect(0, "git revisions");
    assert_eq!(
        run.out,
        expected_text("v1.0.0:Cargo.toml", "HEAD:Cargo.toml")
    );
    // A revision and the working tree's file.
    let run = pg_in(
        &dir,
        &[
            "diff",
            "v1.0.0:Cargo.toml",
            "Cargo.toml",
            "--fail-on",
            "demotion",
        ],
        &[],
    )
    .expect(1, "working tree");
    assert_eq!(run.out, expected_text("v1.0.0:Cargo.toml", "Cargo.toml"));
    // Mistakes name what was given.
    let run = pg_in(&dir, &["diff", "v9:Cargo.toml", "Cargo.toml"], &[]).expect(2, "no such rev");
    assert!(
        run.err
            .starts_with("cargo-platform-guard: error: `git show v9:Cargo.toml` failed: "),
        "{}",
        run.err
    );
    let run = pg_in(&dir, &["diff", "nothing.toml", "Cargo.toml"], &[]).expect(2, "no such file");
    assert_eq!(
        run.err,
        "cargo-platform-guard: error: nothing.toml: no such file, and not REV:PATH: expected a \
         Cargo.toml or a git revision and a path, such as v1.0.0:Cargo.toml\n"
    );
    let run = pg_in(&dir, &["diff", "Cargo.toml"], &[]).expect(2, "one argument");
    assert!(run.err.contains("`diff` needs NEW"), "{}", run.err);
}
