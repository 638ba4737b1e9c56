//! The GitHub matrix and Docker platforms as a workflow uses them: without
//! `--level` only the levels whose programs run, with a note saying what
//! was left out; `--github-output NAME`, which sets the step's output
//! itself and writes nothing when anything fails; one job per Linux
//! userland for the etcd preset (no OpenHarmony, unikernel, no-libc or
//! sanitizer builds).

mod common;

use std::path::Path;

use common::{pg, pg_in, scratch, Run};
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

/// `matrix` with `args` in `dir`, GITHUB_OUTPUT set to `output` when given.
fn with_output(dir: &Path, args: &[&str], output: Option<&Path>) -> Run {
    let value = output.map(|p| p.display().to_string());
    let env: Vec<(&str, &str)> = value
        .as_deref()
        .map(|v| vec![("GITHUB_OUTPUT", v)])
        .unwrap_or_default();
    pg_in(dir, args, &env)
}

const ETCD_OUTPUT: &[&str] = &[
    "matrix",
    "--preset",
    "etcd",
    "--format",
    "github",
    "--github-output",
    "matrix",
];

#[test]
fn github_output_appends_the_matrix_to_the_step_s_output_file() {
    let dir = scratch("github-output");
    let file = dir.join("output");
    std::fs::write(&file, "earlier=1\n").unwrap();
    let run = with_output(&dir, ETCD_OUTPUT, Some(&file)).expect(0, "--github-output");
    assert_eq!(targets(&run.out).len(), 5, "{}", run.out);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("earlier=1\nmatrix={}", run.out),
        "appended, one line"
    );
}

#[test]
fn github_output_writes_nothing_when_anything_fails() {
    let dir = scratch("github-output-errors");
    let file = dir.join("output");
    std::fs::write(&file, "").unwrap();
    let error = |run: Run, what: &str| -> String {
        let run = run.expect(2, what);
        assert_eq!(run.out, "", "{}", what);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "", "{}", what);
        run.err
            .lines()
            .find(|l| l.starts_with("cargo-platform-guard: error: "))
            .unwrap_or_else(|| panic!("{}: no error line in {:?}", what, run.err))
            .to_string()
    };

    // GITHUB_OUTPUT unset, empty, a directory, missing, a FIFO.
    assert_eq!(
        error(with_output(&dir, ETCD_OUTPUT, None), "unset"),
        "cargo-platform-guard: error: --github-output: GITHUB_OUTPUT is not set: expected the \
         file GitHub Actions names for each step's outputs (run the command in a workflow step, \
         or set GITHUB_OUTPUT to a file)"
    );
    assert!(
        error(pg_in(&dir, ETCD_OUTPUT, &[("GITHUB_OUTPUT", "")]), "empty")
            .contains("GITHUB_OUTPUT is not set")
    );
    assert_eq!(
        error(with_output(&dir, ETCD_OUTPUT, Some(&dir)), "a directory"),
        format!(
            "cargo-platform-guard: error: --github-output: cannot write GITHUB_OUTPUT ({}): it is \
             a directory: expected a regular file",
            dir.display()
        )
    );
    let missing = dir.join("missing");
    assert!(
        error(with_output(&dir, ETCD_OUTPUT, Some(&missing)), "missing").starts_with(&format!(
            "cargo-platform-guard: error: --github-output: cannot write GITHUB_OUTPUT ({}): ",
            missing.display()
        ))
    );
    assert!(!missing.exists(), "not created");
    #[cfg(unix)]
    {
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        assert!(
            error(with_output(&dir, ETCD_OUTPUT, Some(&fifo)), "a FIFO")
                .ends_with("it is a FIFO (named pipe): expected a regular file"),
            "a FIFO is refused at once, never opened"
        );
    }

    // The option's own mistakes: another format, a name GitHub would read
    // differently.
    assert_eq!(
        error(
            with_output(
                &dir,
                &[
                    "matrix",
                    "--preset",
                    "etcd",
                    "--format",
                    "json",
                    "--github-output",
                    "matrix"
                ],
                Some(&file)
            ),
            "--format json"
        ),
        "cargo-platform-guard: error: --github-output writes a GitHub Actions matrix: it needs \
         --format github (the format is json)"
    );
    for name in ["a=b", "1st", "m<<EOF", "-x", "ma trix"] {
        assert_eq!(
            error(
                with_output(
                    &dir,
                    &[
                        "matrix",
                        "--preset",
                        "etcd",
                        "--format",
                        "github",
                        "--github-output",
                        name
                    ],
                    Some(&file)
                ),
                name
            ),
            format!(
                "cargo-platform-guard: error: --github-output: invalid output name {:?}: expected \
                 ASCII letters, digits, `-` and `_`, starting with a letter or `_`",
                name
            )
        );
    }

    // The command itself fails: a policy that does not parse, a matrix
    // that would be empty.
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("Cargo.toml"),
        "[package]\nname = \"bad\"\nversion = \"0.1.0\"\n\n[package.metadata.platform-guard]\n\
         rules = [{ level = \"Stable\", cfg = 'target_os = \"linux\"' }]\n\n[workspace]\n",
    )
    .unwrap();
    assert!(error(
        with_output(
            &bad,
            &["matrix", "--format", "github", "--github-output", "matrix"],
            Some(&file)
        ),
        "a policy that does not parse"
    )
    .contains("unknown support level \"Stable\""));
    assert!(error(
        pg_in(
            &dir,
            ETCD_OUTPUT,
            &[
                ("GITHUB_OUTPUT", file.to_str().unwrap()),
                ("PLATFORM_GUARD_DENY", "stable")
            ]
        ),
        "an empty matrix"
    )
    .contains("the GitHub matrix would be empty"));
}
