//! The GitHub matrix and Docker platforms as a workflow uses them: without
//! `--level` only the levels whose programs run, with a note saying what
//! was left out; one job per Linux userland for the etcd preset (no
//! OpenHarmony, unikernel, no-libc or sanitizer builds).

mod common;

use common::pg;
use serde_json::Value;

/// `matrix --preset <preset> --format json`, its target rows.
fn json_rows(preset: &str) -> Vec<Value> {
    let out = pg(&["matrix", "--preset", preset, "--format", "json"], &[])
        .expect(0, "json")
        .out;
    let doc: Value = serde_json::from_str(&out).unwrap();
    doc["targets"].as_array().unwrap().clone()
}

fn targets(matrix: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(matrix).expect("a GitHub matrix");
    v["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn without_level_only_the_levels_whose_programs_run_are_listed() {
    // The default policy makes 32- and 16-bit targets unsupported.
    let rows = json_rows("default");
    let unsupported = rows.iter().filter(|r| r["level"] == "unsupported").count();
    assert!(unsupported > 0);
    assert!(rows.iter().all(|r| r["level"] != "unstable"));
    let note = |format: &str| {
        format!(
            "cargo-platform-guard: note: left out {} of {} targets whose programs refuse to run \
             ({} unsupported): without --level, --format {} lists only the levels whose \
             programs run (stable, experimental); `--level stable,experimental,unsupported` \
             includes them\n",
            unsupported,
            rows.len(),
            unsupported,
            format
        )
    };

    let run = pg(
        &["matrix", "--preset", "default", "--format", "github"],
        &[],
    )
    .expect(0, "github");
    assert!(run.err.starts_with(&note("github")), "{}", run.err);
    let v: Value = serde_json::from_str(&run.out).unwrap();
    for entry in v["include"].as_array().unwrap() {
        assert!(
            matches!(entry["level"].as_str(), Some("stable" | "experimental")),
            "{}",
            entry
        );
    }
    let listed = targets(&run.out);
    assert!(listed.iter().any(|t| t == "x86_64-unknown-linux-gnu"));
    assert!(
        !listed.iter().any(|t| t.starts_with("i686-")),
        "{:?}",
        listed
    );
    // --level names the levels, and then nothing is said about them.
    let every = pg(
        &[
            "matrix",
            "--preset",
            "default",
            "--format",
            "github",
            "--level",
            "stable,experimental,unsupported",
        ],
        &[],
    )
    .expect(0, "github, every level");
    assert!(!every.err.contains("refuse to run"), "{}", every.err);
    assert!(targets(&every.out)
        .iter()
        .any(|t| t == "i686-unknown-linux-gnu"));

    let docker = pg(
        &["matrix", "--preset", "default", "--format", "docker"],
        &[],
    )
    .expect(0, "docker");
    assert_eq!(docker.err, note("docker"));
    let explicit = pg(
        &[
            "matrix",
            "--preset",
            "default",
            "--format",
            "docker",
            "--level",
            "stable,experimental",
        ],
        &[],
    )
    .expect(0, "docker, --level stable,experimental");
    assert_eq!(explicit.err, "");
    assert_eq!(docker.out, explicit.out);
    assert!(!docker.out.contains("linux/386"), "{}", docker.out);
    assert!(docker.out.contains("linux/amd64"), "{}", docker.out);
    // Other formats list every level, as before.
    let table = pg(&["matrix", "--preset", "default"], &[]).expect(0, "table");
    assert_eq!(table.err, "");
    assert!(table
        .out
        .lines()
        .any(|l| l.starts_with("i686-unknown-linux-gnu ") && l.contains(" unsupported ")));
}

#[test]
fn the_etcd_matrix_has_one_job_per_linux_userland() {
    let run = pg(&["matrix", "--preset", "etcd", "--format", "github"], &[]).expect(0, "github");
    assert_eq!(
        targets(&run.out),
        [
            "powerpc64le-unknown-linux-gnu",
            "powerpc64le-unknown-linux-musl",
            "x86_64-apple-darwin",
            "x86_64-unknown-linux-gnu",
            "x86_64-unknown-linux-musl",
        ]
    );
    assert!(
        run.err.ends_with(
            "cargo-platform-guard: note: left out 1 sanitizer build of a listed target \
             (x86_64-unknown-linux-gnuasan: x86_64-unknown-linux-gnu with AddressSanitizer): \
             the same platform, with the same cfg and so the same verdict; a sanitizer job is \
             one to add to the workflow by hand\n"
        ),
        "{}",
        run.err
    );
    // The sanitizer build itself is stable (no rule can tell it from the
    // gnu target) and listed by the other formats.
    let rows = json_rows("etcd");
    let level = |t: &str| {
        rows.iter()
            .find(|r| r["target"] == t)
            .map(|r| r["level"].as_str().unwrap().to_string())
    };
    assert_eq!(
        level("x86_64-unknown-linux-gnuasan").as_deref(),
        Some("stable")
    );
    for other in [
        "x86_64-unknown-linux-ohos",
        "x86_64-unikraft-linux-musl",
        "x86_64-unknown-linux-none",
    ] {
        assert_eq!(level(other).as_deref(), Some("unsupported"), "{}", other);
    }
}
