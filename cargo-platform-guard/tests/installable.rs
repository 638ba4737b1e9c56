//! Installable targets: the README's GitHub Actions job, copied into a
//! fixture and its matrix step run by bash with the real `cargo` (which
//! finds `cargo-platform-guard` on `PATH`), lists only targets whose
//! standard library the toolchain's rustup channel manifest says rustup
//! ships; `matrix --format json` says the same per target; a toolchain
//! rustup did not install makes it "unknown".

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture, pg, rustup_installable, scratch, Run, SCRUB};
use serde_json::Value;

/// The README's workflow, between its ```yaml fence and the next fence.
fn readme_workflow() -> String {
    let readme = std::fs::read_to_string(common::package_dir().join("../README.md")).unwrap();
    let start = readme
        .find("```yaml\n# .github/workflows/platforms.yml")
        .expect("the README's workflow")
        + "```yaml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

/// The `run` of the step with `id: matrix` in the plan job.
fn matrix_step(workflow: &str) -> String {
    let docs = yaml_rust2::YamlLoader::load_from_str(workflow).expect("the workflow is YAML");
    let steps = docs[0]["jobs"]["plan"]["steps"]
        .as_vec()
        .expect("plan steps");
    steps
        .iter()
        .find(|s| s["id"].as_str() == Some("matrix"))
        .and_then(|s| s["run"].as_str())
        .expect("a step with id: matrix")
        .to_string()
}

/// Runs a workflow step's `run` text as GitHub Actions runs it on Linux:
/// written to a file and run by `bash --noprofile --norc -eo pipefail
/// FILE`, in `dir`, with `cargo platform-guard` found by Cargo on `PATH`
/// (CARGO_HOME elsewhere, so no installed copy comes first) and
/// GITHUB_OUTPUT naming a file of its own. Returns the run and what the
/// step wrote to GITHUB_OUTPUT.
#[cfg(unix)]
fn run_step_as_github(step: &str, dir: &Path, scratch: &Path) -> (Run, String) {
    let bin = scratch.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(common::BIN, bin.join("cargo-platform-guard")).unwrap();
    let output = scratch.join("github-output");
    std::fs::write(&output, "").unwrap();
    let script = scratch.join("step.sh");
    std::fs::write(&script, step).unwrap();
    let mut cmd = Command::new("bash");
    for var in SCRUB {
        cmd.env_remove(var);
    }
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .current_dir(dir)
        .env("PATH", common::path_with(&bin))
        .env("CARGO_HOME", scratch.join("cargo-home"))
        .env("GITHUB_OUTPUT", &output)
        .env("XDG_CACHE_HOME", common::shared_cache());
    let run: Run = cmd.output().expect("bash runs").into();
    (run, std::fs::read_to_string(&output).unwrap())
}

/// The README's job, from its fixture (which must equal the README).
fn readme_job() -> (std::path::PathBuf, String) {
    let dir = fixture("readme-workflow");
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/platforms.yml")).unwrap();
    assert_eq!(
        workflow,
        readme_workflow(),
        "the fixture is the README's job"
    );
    (dir, workflow)
}

#[cfg(unix)]
#[test]
fn the_readme_matrix_step_fails_where_the_command_fails() {
    let (_, workflow) = readme_job();
    let step = matrix_step(&workflow);

    // A package in `dir` with `rules` as its policy.
    let package = |dir: &Path, rules: &str| -> std::path::PathBuf {
        let app = dir.join("app");
        std::fs::create_dir_all(app.join("src")).unwrap();
        std::fs::write(app.join("src/lib.rs"), "").unwrap();
        std::fs::write(
            app.join("Cargo.toml"),
            format!(
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                 [package.metadata.platform-guard]\nrules = [\n  {}\n]\n\n[workspace]\n",
                rules
            ),
        )
        .unwrap();
        app
    };

    // A command that works sets the output (the README's recommended rule
    // for x86_64 Linux).
    let works = scratch("readme-step-works");
    let app = package(
        &works,
        r#"{ level = "stable", cfg = 'all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")' }"#,
    );
    let (run, written) = run_step_as_github(&step, &app, &works);
    run.expect(0, "the README's matrix step, working");
    assert_eq!(
        written,
        "matrix={\"include\":[\
         {\"target\":\"x86_64-unknown-linux-gnu\",\"arch\":\"x86_64\",\"os\":\"linux\",\"level\":\"stable\"},\
         {\"target\":\"x86_64-unknown-linux-musl\",\"arch\":\"x86_64\",\"os\":\"linux\",\"level\":\"stable\"}\
         ]}\n"
    );

    // A command that fails (the policy's level is not one) fails the step,
    // and the step sets no output: GitHub stops the job here, not in the
    // jobs that would read an empty matrix.
    let fails = scratch("readme-step-fails");
    let app = package(
        &fails,
        r#"{ level = "Stable", cfg = 'target_os = "linux"' }"#,
    );
    let (run, written) = run_step_as_github(&step, &app, &fails);
    let run = run.expect(2, "the README's matrix step, failing");
    assert_eq!(written, "", "nothing written to GITHUB_OUTPUT");
    assert!(
        run.err
            .contains("unknown support level \"Stable\": expected one of stable, experimental"),
        "{}",
        run.err
    );
    assert_eq!(run.out, "", "no matrix printed");
}

#[cfg(unix)]
#[test]
fn the_readme_job_lists_only_installable_targets() {
    let (dir, workflow) = readme_job();
    let step = matrix_step(&workflow);
    let (run, written) = run_step_as_github(&step, &dir, &scratch("readme-job"));
    let run = run.expect(0, "the README's matrix step");
    let json = written
        .strip_prefix("matrix=")
        .and_then(|j| j.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("GITHUB_OUTPUT holds {:?}", written));
    let matrix: Value = serde_json::from_str(json).unwrap();
    let listed: Vec<&str> = matrix["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();

    // Every target listed can be installed, per the channel manifest.
    let installable = rustup_installable();
    for t in &listed {
        assert!(
            installable.iter().any(|i| i == t),
            "{} is listed but rustup cannot install it",
            t
        );
    }
    // And every stable or experimental target that can is listed.
    let all = pg(
        &[
            "matrix",
            "--manifest-path",
            dir.join("Cargo.toml").to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    )
    .expect(0, "json")
    .out;
    let doc: Value = serde_json::from_str(&all).unwrap();
    let mut want = Vec::new();
    let mut left_out = Vec::new();
    for r in doc["targets"].as_array().unwrap() {
        let t = r["target"].as_str().unwrap();
        if matches!(r["level"].as_str(), Some("stable" | "experimental")) {
            if installable.iter().any(|i| i == t) {
                want.push(t);
            } else {
                left_out.push(t);
            }
        }
    }
    // The gnu target's sanitizer build is the same platform: left out.
    want.retain(|t| *t != "x86_64-unknown-linux-gnuasan");
    assert_eq!(listed, want);
    assert!(listed.contains(&"x86_64-unknown-linux-gnu"));
    // The one the preset allows and rustup cannot install is left out (the
    // Linux triples without a standard library, `x86_64-unknown-linux-none`
    // and `x86_64-unikraft-linux-musl`, are not etcd's Linux).
    assert_eq!(left_out, ["x86_64h-apple-darwin"]);
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: note: left out {} of {} targets that rustup cannot install \
             ({}): rustup ships no standard library for them, so `rustup target add` would \
             fail; `--installable any` keeps them\n\
             cargo-platform-guard: note: left out 1 sanitizer build of a listed target \
             (x86_64-unknown-linux-gnuasan: x86_64-unknown-linux-gnu with AddressSanitizer): \
             the same platform, with the same cfg and so the same verdict; a sanitizer job is \
             one to add to the workflow by hand\n",
            left_out.len(),
            want.len() + 1 + left_out.len(),
            left_out.join(", ")
        )
    );
}

#[test]
fn json_says_what_the_channel_manifest_says() {
    let out = pg(&["matrix", "--preset", "etcd", "--format", "json"], &[])
        .expect(0, "json")
        .out;
    let doc: Value = serde_json::from_str(&out).unwrap();
    let installable = rustup_installable();
    let source = doc["installable_source"].as_str().unwrap();
    assert!(
        source.starts_with("the rustup channel manifest ")
            && source.contains("multirust-channel-manifest.toml (dated "),
        "{}",
        source
    );
    assert!(
        doc["tier_source"]
            .as_str()
            .unwrap()
            .starts_with("the rustc book's Platform Support page of Rust "),
        "{}",
        doc["tier_source"]
    );
    let rows = doc["targets"].as_array().unwrap();
    for r in rows {
        let t = r["target"].as_str().unwrap();
        assert_eq!(
            r["installable"].as_bool(),
            Some(installable.iter().any(|i| i == t)),
            "{}",
            t
        );
        // Tier 3 targets ship no standard library.
        if r["tier"] == 3 {
            assert_eq!(r["installable"], false, "{}", t);
        }
    }
    // Installing is the filter's business: --installable no lists the rest.
    let out = pg(
        &[
            "matrix",
            "--preset",
            "etcd",
            "--format",
            "json",
            "--installable",
            "no",
        ],
        &[],
    )
    .expect(0, "--installable no")
    .out;
    let doc: Value = serde_json::from_str(&out).unwrap();
    let rest = doc["targets"].as_array().unwrap();
    assert_eq!(rest.len(), rows.len() - installable.len());
    assert!(rest.iter().all(|r| r["installable"] == false));
}

/// A compiler that answers like the real one except for its sysroot: a
/// directory without a channel manifest, as a toolchain rustup did not
/// install (Debian's) has.
#[cfg(unix)]
fn rustc_without_rustup(dir: &Path) -> std::path::PathBuf {
    let sysroot = dir.join("sysroot");
    std::fs::create_dir_all(sysroot.join("lib/rustlib")).unwrap();
    common::script(
        &dir.join("rustc"),
        &format!(
            "if [ \"$1 $2\" = '--print sysroot' ]; then echo '{}'; exit 0; fi\nexec '{}' \"$@\"\n",
            sysroot.display(),
            common::real_rustc().display()
        ),
    )
}

#[cfg(unix)]
#[test]
fn without_rustup_installability_is_unknown() {
    let dir = scratch("no-rustup");
    let rustc = rustc_without_rustup(&dir);
    let cache = dir.join("cache");
    let env = [
        ("RUSTC", rustc.to_str().unwrap()),
        ("XDG_CACHE_HOME", cache.to_str().unwrap()),
    ];
    let why = format!(
        "unknown: the toolchain at {} was not installed by rustup (it has no \
         lib/rustlib/multirust-channel-manifest.toml)",
        dir.join("sysroot").display()
    );
    let out = pg(&["matrix", "--preset", "etcd", "--format", "json"], &env)
        .expect(0, "json")
        .out;
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["installable_source"], why.as_str());
    assert!(doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["installable"].is_null()));
    let table = pg(&["matrix", "--preset", "etcd"], &env)
        .expect(0, "table")
        .out;
    let line = table
        .lines()
        .find(|l| l.starts_with("x86_64-unknown-linux-gnu "))
        .unwrap();
    assert!(line.contains(" unknown "), "{}", line);
    // A GitHub matrix cannot be narrowed: it says so and lists them all.
    let run = pg(
        &[
            "matrix",
            "--preset",
            "etcd",
            "--format",
            "github",
            "--level",
            "stable,experimental",
        ],
        &env,
    )
    .expect(0, "github");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: note: listing targets whether or not rustup can install them: \
             which it can is {}\n\
             cargo-platform-guard: note: left out 1 sanitizer build of a listed target \
             (x86_64-unknown-linux-gnuasan: x86_64-unknown-linux-gnu with AddressSanitizer): \
             the same platform, with the same cfg and so the same verdict; a sanitizer job is \
             one to add to the workflow by hand\n",
            why
        )
    );
    assert!(run.out.contains("\"x86_64h-apple-darwin\""), "{}", run.out);
    // Asking for the filter is an error.
    let run = pg(
        &["matrix", "--preset", "etcd", "--installable", "yes"],
        &env,
    )
    .expect(2, "--installable yes without rustup");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: --installable yes: which targets rustup can install is \
             {}\n",
            why
        )
    );
}
