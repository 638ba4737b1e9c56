//! Workflows as release engineers write them, in small: each case of
//! issue 18 (expressions, Cargo's forms, shipping per job, runner labels,
//! target-shaped names) read from a repository written to a scratch
//! directory.

use std::path::PathBuf;

use super::workflows;
use crate::pipelines::{Inputs, Job, NoteKind, Place, Publish, Use, Why, Workflow};

const KNOWN: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-gnu",
    "aarch64-unknown-linux-musl",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "x86_64-pc-windows-gnu",
    "aarch64-pc-windows-msvc",
    "i686-pc-windows-msvc",
    "wasm32-unknown-unknown",
    "wasm32-wasip1",
    "riscv64gc-unknown-linux-gnu",
    "x86_64-unknown-freebsd",
];

/// The workflows of a repository holding `files` (path, text).
fn read(name: &str, files: &[(&str, &str)]) -> Vec<Workflow> {
    let root: PathBuf =
        std::env::temp_dir().join(format!("cpg-gha-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let known: Vec<String> = KNOWN.iter().map(|s| s.to_string()).collect();
    let found = workflows(&Inputs {
        root: &root,
        known: &known,
    })
    .unwrap();
    let _ = std::fs::remove_dir_all(&root);
    found.workflows
}

fn read_one(name: &str, yaml: &str) -> Vec<Workflow> {
    read(name, &[(".github/workflows/w.yml", yaml)])
}

fn job<'a>(ws: &'a [Workflow], id: &str) -> &'a Job {
    ws.iter()
        .flat_map(|w| w.jobs.iter())
        .find(|j| j.id == id)
        .unwrap_or_else(|| panic!("no job {}", id))
}

/// "target use line" for each of the job's targets (known or not).
fn said(j: &Job) -> Vec<String> {
    j.targets
        .iter()
        .chain(&j.unknown)
        .map(|m| format!("{} {} {}", m.target, m.used.word(), m.line))
        .collect()
}

#[test]
fn expressions_are_evaluated_from_env_matrix_and_inputs() {
    let ws = read_one(
        "expr",
        r#"on: push
env:
  TOP: aarch64-unknown-linux-musl
jobs:
  env:
    runs-on: ubuntu-latest
    env:
      TARGET: x86_64-unknown-linux-musl
    steps:
      - uses: dtolnay/rust-toolchain@master
        with:
          target: ${{ env.TARGET }}
      - run: cargo build --target ${{env.TARGET}}
      - run: cargo build --target "$TOP"
      - run: cargo test --target ${{ env.STEP }}
        env:
          STEP: ${{ matrix.nothing || 'wasm32-wasip1' }}
  nested:
    runs-on: ${{ matrix.job.os }}
    strategy:
      matrix:
        job:
          - { target: aarch64-apple-darwin, os: macos-latest }
          - { target: x86_64-pc-windows-msvc, os: windows-latest, cross: true }
        exclude:
          - job: { cross: true }
    steps:
      - run: cargo build --target=${{ matrix.job.target }}
"#,
    );
    let j = job(&ws, "env");
    assert_eq!(
        said(j),
        [
            "x86_64-unknown-linux-musl built 8",
            "aarch64-unknown-linux-musl built 3",
            // A literal of an expression is written where it is used.
            "wasm32-wasip1 built 15"
        ]
    );
    assert_eq!(j.installed, ["x86_64-unknown-linux-musl"]);
    assert!(j.notes.is_empty(), "{:?}", j.notes);
    assert!(j.unknown.is_empty());
    // An object value, and an exclude that matches part of one.
    assert_eq!(said(job(&ws, "nested")), ["aarch64-apple-darwin built 23"]);
}

#[test]
fn what_the_files_do_not_hold_is_said_once_per_job() {
    let ws = read_one(
        "unknown",
        r#"on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      target: ${{ steps.p.outputs.target }}
    steps:
      - id: p
        run: echo "target=x" >> $GITHUB_OUTPUT
  build:
    needs: plan
    runs-on: ubuntu-latest
    steps:
      - run: cargo build --target ${{ needs.plan.outputs.target }}
      - run: cargo test --target ${{ needs.plan.outputs.target }}
      - run: cargo build --target ${{ secrets.TARGET }}
  computed:
    needs: plan
    runs-on: ${{ matrix.os }}
    strategy:
      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}
    steps:
      - run: cargo build --target ${{ matrix.target }}
"#,
    );
    let j = job(&ws, "build");
    assert!(said(j).is_empty(), "{:?}", said(j));
    let kinds: Vec<(NoteKind, &str)> = j
        .notes
        .iter()
        .map(|n| (n.kind, n.subject.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                NoteKind::Unresolved {
                    place: Place::Target,
                    why: Why::JobOutput
                },
                "needs.plan.outputs.target"
            ),
            (
                NoteKind::Unresolved {
                    place: Place::Target,
                    why: Why::Secret
                },
                "secrets.TARGET"
            ),
        ]
    );
    assert_eq!(
        j.notes[0].sentence(),
        "job build: a target comes from `needs.plan.outputs.target`, an output of another job, \
         known only when the workflow runs: its targets are not checked"
    );
    // A computed matrix is said once, for the matrix; its keys are not
    // said again, and no host is guessed.
    let c = job(&ws, "computed");
    assert!(said(c).is_empty());
    assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    assert_eq!(
        c.notes[0].kind,
        NoteKind::Unresolved {
            place: Place::Matrix,
            why: Why::JobOutput
        }
    );
}

const FORMS: &str = r#"on: push
jobs:
  forms:
    runs-on: ubuntu-latest
    env:
      CARGO: cargo
      BUILD_CMD: cross
    strategy:
      matrix:
        include:
          - target: aarch64-unknown-linux-gnu
    steps:
      - run: echo "TARGET_FLAGS=--target ${{ matrix.target }}" >> $GITHUB_ENV
      - run: ${{ env.CARGO }} build --release ${{ env.TARGET_FLAGS }}
      - run: $BUILD_CMD test --target riscv64gc-unknown-linux-gnu
      - run: |
          cargo +nightly --config 'build.rustflags=["-Dwarnings"]' build \
            --target x86_64-unknown-linux-musl
          cargo zigbuild --target aarch64-unknown-linux-musl
          cargo xtask dist
      - run: rustup target add wasm32-wasip1
  tests:
    runs-on: ubuntu-latest
    steps:
      - run: cargo nextest run --workspace
  coverage:
    runs-on: ubuntu-latest
    steps:
      - run: cargo llvm-cov --lcov
  hack:
    runs-on: ubuntu-latest
    steps:
      - run: cargo hack check --each-feature
  setup-cross:
    runs-on: ubuntu-latest
    steps:
      - uses: taiki-e/setup-cross-toolchain-action@v1
        with:
          target: aarch64-unknown-linux-gnu
      - run: cargo test
  tool:
    runs-on: ubuntu-latest
    steps:
      - run: cargo install cargo-deb
  other-tools:
    runs-on: ubuntu-latest
    steps:
      - run: |
          npx vsce package --target alpine-x64
          python scripts/readme.py --target pypi
          docker buildx build --platform linux/arm64 --target runtime .
"#;

#[test]
fn cargo_commands_in_the_forms_people_write() {
    let ws = read_one("forms", FORMS);
    let j = job(&ws, "forms");
    assert_eq!(
        said(j),
        [
            "aarch64-unknown-linux-gnu built 11",
            "riscv64gc-unknown-linux-gnu built 15",
            "x86_64-unknown-linux-musl built 18",
            "aarch64-unknown-linux-musl built 19"
        ]
    );
    assert!(j.builds && j.tests);
    assert_eq!(j.tested, ["riscv64gc-unknown-linux-gnu"]);
    assert_eq!(j.installed, ["wasm32-wasip1"]);
    assert_eq!(j.notes.len(), 1);
    assert_eq!(
        (j.notes[0].kind, j.notes[0].subject.as_str()),
        (NoteKind::NotUnderstood, "cargo xtask")
    );
    for id in ["tests", "coverage"] {
        let j = job(&ws, id);
        assert!(j.builds && j.tests, "{}", id);
        assert_eq!(j.tested, ["x86_64-unknown-linux-gnu"], "{}", id);
    }
    let cross = job(&ws, "setup-cross");
    assert_eq!(said(cross), ["aarch64-unknown-linux-gnu built 39"]);
    assert_eq!(cross.tested, ["aarch64-unknown-linux-gnu"]);
    let hack = job(&ws, "hack");
    assert!(hack.builds && !hack.tests);
    let tool = job(&ws, "tool");
    assert!(!tool.builds && said(tool).is_empty());
    let other = job(&ws, "other-tools");
    assert!(!other.builds && said(other).is_empty() && other.unknown.is_empty());
}

#[test]
fn maturin_action_architectures_follow_the_runner() {
    let ws = read_one(
        "maturin",
        r#"on: push
jobs:
  mac:
    runs-on: macos-14
    steps:
      - uses: PyO3/maturin-action@v1
        with:
          target: x86_64
          args: --release
  linux:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        platform:
          - { target: aarch64, manylinux: musllinux_1_2 }
    steps:
      - uses: PyO3/maturin-action@v1
        with:
          target: ${{ matrix.platform.target }}
          manylinux: ${{ matrix.platform.manylinux }}
  sdist:
    runs-on: ubuntu-latest
    steps:
      - uses: PyO3/maturin-action@v1
        with:
          command: sdist
"#,
    );
    assert_eq!(said(job(&ws, "mac")), ["x86_64-apple-darwin built 8"]);
    assert_eq!(
        said(job(&ws, "linux")),
        ["aarch64-unknown-linux-musl built 19"]
    );
    assert!(!job(&ws, "sdist").builds);
}

const SHIPPING: &str = r#"on:
  push:
    tags: ['v*']
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: cargo clippy -- -D warnings
  pages:
    runs-on: ubuntu-latest
    steps:
      - run: cargo run -p gen-book && mdbook build
      - uses: peaceiris/actions-gh-pages@v4
        with:
          publish_dir: book
  build:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        include:
          - { os: ubuntu-latest, target: x86_64-unknown-linux-musl }
          - { os: macos-latest, target: aarch64-apple-darwin }
    steps:
      - run: cargo build --release   # a man page, for the runner
      - run: cargo build --release --target ${{ matrix.target }}
      - uses: actions/upload-artifact@v4
        with:
          name: bin-${{ matrix.target }}
          path: target
  native:
    runs-on: windows-latest
    steps:
      - run: cargo build --release
      - uses: softprops/action-gh-release@v2
        with:
          files: target/release/app.exe
  release:
    needs: [build]
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          pattern: bin-*
      - run: gh release upload "$TAG" bin-*/*
      - run: gh release create "$TAG" --draft --title "$TAG"
  crate:
    runs-on: ubuntu-latest
    steps:
      - run: cargo publish
"#;

#[test]
fn shipping_is_decided_per_job() {
    let ws = read("ship", &[(".github/workflows/release.yml", SHIPPING)]);
    assert_eq!(said(job(&ws, "lint")), ["x86_64-unknown-linux-gnu built 6"]);
    assert!(job(&ws, "lint").ships.is_none());
    assert_eq!(
        said(job(&ws, "pages")),
        ["x86_64-unknown-linux-gnu built 10"]
    );
    // The matrix targets ship through the artifact the release job
    // uploads; the runner's host (a man page) is built only (named where
    // the runner is: the matrix's `os`).
    assert_eq!(
        said(job(&ws, "build")),
        [
            "x86_64-unknown-linux-musl shipped 21",
            "x86_64-unknown-linux-gnu built 21",
            "aarch64-apple-darwin shipped 22"
        ]
    );
    assert_eq!(job(&ws, "build").ships, Some((Publish::Artifact, 26)));
    // A plain build on a runner, uploaded: the host ships.
    assert_eq!(
        said(job(&ws, "native")),
        ["x86_64-pc-windows-msvc shipped 31"]
    );
    assert_eq!(job(&ws, "native").ships, Some((Publish::Release, 34)));
    assert_eq!(job(&ws, "release").ships, Some((Publish::Release, 44)));
    // `cargo publish` publishes sources: it builds, ships no target.
    assert_eq!(
        said(job(&ws, "crate")),
        ["x86_64-unknown-linux-gnu built 47"]
    );
    assert!(job(&ws, "crate").ships.is_none());
}

#[test]
fn reusable_workflows_and_local_actions_are_followed() {
    let ws = read(
        "reuse",
        &[
            (
                ".github/workflows/release.yml",
                r#"on:
  push:
    tags: ['*']
jobs:
  binaries:
    uses: ./.github/workflows/binaries.yml
    with:
      target: x86_64-unknown-linux-musl
  publish:
    needs: binaries
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
      - run: aws s3 cp --recursive dist s3://bucket/releases
"#,
            ),
            (
                ".github/workflows/binaries.yml",
                r#"on:
  workflow_call:
    inputs:
      target:
        type: string
        required: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.github/actions/build
        with:
          target: ${{ inputs.target }}
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist
"#,
            ),
            (
                ".github/actions/build/action.yml",
                r#"name: build
inputs:
  target:
    required: true
  profile:
    default: release
runs:
  using: composite
  steps:
    - run: cargo build --profile ${{ inputs.profile }} --target ${{ inputs.target }}
      shell: bash
"#,
            ),
        ],
    );
    // The input's value comes from the caller's `with`, at its line there.
    let b = job(&ws, "build");
    assert_eq!(b.targets.len(), 1);
    assert_eq!(
        (b.targets[0].target.as_str(), b.targets[0].used),
        ("x86_64-unknown-linux-musl", Use::Ships)
    );
    assert_eq!(job(&ws, "publish").ships, Some((Publish::ObjectStore, 14)));
    assert_eq!(
        job(&ws, "binaries").ships.map(|s| s.0),
        Some(Publish::Artifact)
    );
}

#[test]
fn conditions_decide_which_combinations_run_which_steps() {
    let ws = read_one(
        "cond",
        r#"on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        mode: [dev, release]
        target: [x86_64-unknown-linux-musl]
    steps:
      - run: cargo build --target ${{ matrix.target }}
      - if: github.event_name == 'push' && matrix.mode == 'release'
        run: aws s3 cp target/x s3://b/x
  pr-only:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - run: cargo build --release
      - if: github.event_name == 'push'
        run: gh release upload v1 target/release/app
"#,
    );
    // Shipped in the release combination only; one mention per line.
    assert_eq!(
        said(job(&ws, "build")),
        ["x86_64-unknown-linux-musl shipped 8"]
    );
    // The upload needs a push; the job runs for pull requests only.
    assert_eq!(
        said(job(&ws, "pr-only")),
        ["x86_64-unknown-linux-gnu built 15"]
    );
    assert!(job(&ws, "pr-only").ships.is_none());
}

#[test]
fn runners_as_github_names_them() {
    let ws = read_one(
        "runners",
        r#"on: push
jobs:
  test:
    runs-on: ${{ matrix.platform.runner }}
    strategy:
      matrix:
        platform:
          - runner: macOS-latest
          - runner: macos-13
          - runner: macos-latest-large
          - runner: ubuntu-24.04-arm
          - runner: windows-11-arm
    steps:
      - run: cargo test
  default:
    runs-on: ${{ matrix.os || 'windows-latest' }}
    steps:
      - run: cargo test
  toolchain:
    runs-on: windows-latest
    steps:
      - uses: dtolnay/rust-toolchain@master
        with:
          toolchain: nightly-x86_64-gnu
      - run: cargo test
  self-hosted:
    runs-on: [self-hosted, my-runner]
    steps:
      - run: cargo test
"#,
    );
    assert_eq!(
        said(job(&ws, "test")),
        [
            "aarch64-apple-darwin built 8",
            "x86_64-apple-darwin built 9",
            "x86_64-apple-darwin built 10",
            "aarch64-unknown-linux-gnu built 11",
            "aarch64-pc-windows-msvc built 12"
        ]
    );
    assert_eq!(
        said(job(&ws, "default")),
        ["x86_64-pc-windows-msvc built 16"]
    );
    assert_eq!(
        said(job(&ws, "toolchain")),
        ["x86_64-pc-windows-gnu built 20"]
    );
    let s = job(&ws, "self-hosted");
    assert!(said(s).is_empty());
    assert_eq!(s.notes[0].kind, NoteKind::Runner);
}

#[test]
fn only_target_shaped_names_are_candidates() {
    let ws = read_one(
        "names",
        r#"on: push
jobs:
  web:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: [web, nodejs, x86_64-unknown-linux-gnux]
    steps:
      - run: wasm-pack build --target ${{ matrix.target }}
  specs:
    runs-on: ubuntu-latest
    steps:
      - run: cargo build --target target-specs/i686-unknown-linux-gnu.json
      - run: cargo test --target target-specs/i686-unknown-linux-gnu.json
  nix:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: [x86_64-linux]
    steps:
      - run: nix build .#packages.${{ matrix.target }}.default
"#,
    );
    let w = job(&ws, "web");
    // `web` is wasm-pack's; the misspelt triple is reported.
    assert_eq!(
        said(w),
        [
            "wasm32-unknown-unknown built 9",
            "x86_64-unknown-linux-gnux built 7"
        ]
    );
    assert!(!w.unknown[0].known);
    let s = job(&ws, "specs");
    assert!(said(s).is_empty());
    assert_eq!(s.notes.len(), 1);
    assert_eq!(s.notes[0].kind, NoteKind::CustomSpec);
    let n = job(&ws, "nix");
    assert_eq!(n.notes[0].kind, NoteKind::NixSystem);
    assert_eq!(n.notes[0].subject, "x86_64-linux");
}

#[test]
fn hostile_workflows_are_read_within_bounds() {
    // A matrix of 4096 combinations and 20 steps each: the steps of the
    // first combinations are read, and said so.
    let keys: String = (0..4)
        .map(|k| {
            format!(
                "        k{}: [{}]\n",
                k,
                (0..8).map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    let steps: String = (0..20)
        .map(|i| format!("      - run: cargo build -p p{}\n", i))
        .collect();
    let yaml = format!(
        "on: push\njobs:\n  big:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n{}    steps:\n{}",
        keys, steps
    );
    let ws = read_one("hostile", &yaml);
    let j = job(&ws, "big");
    assert_eq!(said(j), ["x86_64-unknown-linux-gnu built 4"]);
    assert!(j.notes.iter().any(|n| n.kind == NoteKind::Truncated));
    // Deeply nested expressions and a long script.
    let deep = format!("${{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
    let long = "cargo build --target x86_64-unknown-linux-musl; ".repeat(20_000);
    let yaml = format!(
        "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {}\n      - run: {}\n",
        deep, long
    );
    let ws = read_one("hostile2", &yaml);
    assert_eq!(said(job(&ws, "j")), ["x86_64-unknown-linux-musl built 7"]);
}

#[test]
fn a_program_given_the_target_is_taken_to_build_it() {
    let ws = read_one(
        "program",
        r#"on: push
jobs:
  package:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: [aarch64-unknown-linux-musl]
    steps:
      - run: ci/install-packages
      - run: ./bin/package
        env:
          TARGET: ${{ matrix.target }}
  notarize:
    runs-on: macos-latest
    strategy:
      matrix:
        target: [aarch64-apple-darwin]
    steps:
      - run: bash ci/notarize.sh
"#,
    );
    let p = job(&ws, "package");
    assert!(p.builds && !p.tests);
    assert_eq!(p.notes.len(), 1);
    assert_eq!(
        (p.notes[0].kind, p.notes[0].subject.as_str()),
        (NoteKind::BuiltByProgram, "./bin/package")
    );
    // No target in its environment: not taken to build; said.
    let n = job(&ws, "notarize");
    assert!(!n.builds);
    assert_eq!(
        (n.notes[0].kind, n.notes[0].subject.as_str()),
        (NoteKind::NotUnderstood, "bash ci/notarize.sh")
    );
}

#[test]
fn many_jobs_handing_artifacts_are_read_within_bounds() {
    // 800 jobs, each needing the one before, uploading and downloading,
    // the last publishing: every one ships, found without quadratic
    // blow-ups; and a workflow past the bound is read too.
    for (n, name) in [(800, "chain"), (1200, "chain-big")] {
        let mut yaml = String::from("on: push\njobs:\n");
        for i in 0..n {
            let needs = if i == 0 {
                String::new()
            } else {
                format!("    needs: j{}\n", i - 1)
            };
            yaml.push_str(&format!(
                "  j{i}:\n{needs}    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/download-artifact@v4\n      - run: cargo build --release\n      - uses: actions/upload-artifact@v4\n        with:\n          name: a{i}\n",
            ));
        }
        yaml.push_str(&format!(
            "  publish:\n    needs: j{}\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/download-artifact@v4\n      - run: gh release upload v1 a/*\n",
            n - 1
        ));
        let ws = read_one(name, &yaml);
        let shipped = ws[0].jobs.iter().filter(|j| j.ships.is_some()).count();
        // Past the bound only the publishing job is known to ship.
        assert_eq!(shipped, if n <= 1000 { n + 1 } else { 1 }, "{}", name);
    }
}

#[test]
fn an_argument_not_known_may_hide_a_target() {
    let ws = read_one(
        "hidden",
        r#"on: push
jobs:
  flags:
    runs-on: ubuntu-latest
    steps:
      - run: cargo build --release ${{ needs.plan.outputs.flags }}
  values:
    runs-on: ubuntu-latest
    steps:
      - run: cargo build -j $(nproc) --features ${{ inputs.features }}
      - run: cargo publish --token ${{ secrets.TOKEN }} ${{ github.ref_type == 'tag' && '' || '--dry-run' }}
"#,
    );
    let f = job(&ws, "flags");
    assert!(said(f).is_empty() && f.builds);
    assert_eq!(
        f.notes[0].kind,
        NoteKind::Unresolved {
            place: Place::Target,
            why: Why::JobOutput
        }
    );
    // An option's value, a shell value, the run's context: the host.
    let v = job(&ws, "values");
    assert_eq!(said(v), ["x86_64-unknown-linux-gnu built 8"]);
    assert!(v.notes.is_empty(), "{:?}", v.notes);
}
