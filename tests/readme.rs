//! The README's examples whose output it shows, run for real and compared
//! line for line, so the README and the program cannot drift apart (in the
//! spirit of trycmd). Each shown block is marked in README.md with
//! `<!-- readme-test: <case> -->`; every marker must have a case here and
//! every case a marker. The fixtures are the README's `myapp`.
//!
//! Cases that build or run an i686 program need that target's standard
//! library (`rustup target add i686-unknown-linux-gnu`, and a C toolchain
//! that links 32-bit programs, such as Debian's gcc-multilib): `.ci/run`
//! installs them; elsewhere those cases are skipped and named on stderr.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{fixture, scrub, text};

const I686: &str = "i686-unknown-linux-gnu";

/// The lines of the block after `<!-- readme-test: case -->` in README.md.
fn shown(readme: &str, case: &str) -> Vec<String> {
    let marker = format!("<!-- readme-test: {} -->", case);
    let at = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {}", marker));
    let mut lines = readme[at + marker.len()..].lines().skip(1);
    let open = lines.next().expect("a code block after the marker");
    assert_eq!(open.trim(), "```text", "{}: expected a text block", case);
    lines
        .take_while(|l| l.trim() != "```")
        .map(|l| l.trim().to_string())
        .collect()
}

/// `cargo <args>` in a README fixture, with its own target directory (the
/// fixtures are all the package `myapp`).
fn cargo(name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("readme-{}", name));
    let mut cmd = Command::new(common::cargo_program());
    cmd.args(args)
        .current_dir(fixture(name))
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never");
    scrub(&mut cmd, &["MYAPP_UNSUPPORTED_ARCH", "README_RULE"]).envs(env.iter().copied());
    cmd.output().expect("cargo runs")
}

/// Whether this toolchain has i686 Linux's standard library.
fn has_i686() -> bool {
    let out = Command::new(common::rustc())
        .args(["--print", "target-libdir", "--target", I686])
        .output()
        .expect("rustc runs");
    let dir = PathBuf::from(text(&out.stdout).trim());
    std::fs::read_dir(&dir).map_or(false, |entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
    })
}

/// Asserts that every shown line is a whole line of `output`.
fn lines_of(case: &str, shown: &[String], output: &str) {
    for line in shown {
        assert!(
            output.lines().any(|l| l == line),
            "{}: the README shows\n  {}\nbut the program printed:\n{}",
            case,
            line,
            output
        );
    }
}

/// One case: `Some(output)` to compare with, or `None` when it needs what
/// this machine lacks (named on stderr).
fn run(case: &str, i686: bool) -> Option<String> {
    let i686_only = |what: &str| {
        eprintln!(
            "readme: {}: skipped: needs the i686 standard library ({})",
            case, what
        );
        None
    };
    Some(match case {
        "zero-refuse" | "zero-lifted" => {
            if !i686 {
                return i686_only("an i686 program");
            }
            let out = cargo("readme-myapp-zero", &["build", "--target", I686], &[]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let program = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("readme-readme-myapp-zero")
                .join(I686)
                .join("debug")
                .join("myapp");
            let mut cmd = Command::new(&program);
            scrub(&mut cmd, &["MYAPP_UNSUPPORTED_ARCH"]);
            if case == "zero-lifted" {
                cmd.env("MYAPP_UNSUPPORTED_ARCH", "x86");
            }
            let ran = cmd.output().expect("the program runs");
            assert_eq!(
                ran.status.code(),
                Some(if case == "zero-lifted" { 0 } else { 1 })
            );
            text(&ran.stderr)
        }
        "rule-unknown" | "rule-syntax" => {
            let rule = if case == "rule-unknown" {
                "target_oss = \"linux\""
            } else {
                "all(unix"
            };
            let out = cargo("readme-myapp", &["build"], &[("README_RULE", rule)]);
            assert!(!out.status.success());
            // The message is the build's error, after its prefix.
            text(&out.stderr)
                .lines()
                .filter_map(|l| l.strip_prefix("error: myapp@0.1.0: platform-guard: "))
                .collect::<Vec<_>>()
                .join("\n")
        }
        "release-deny" => {
            // The README's command; without i686's library, with
            // `--keep-going` so that the build script (a host program) runs
            // although the dependencies cannot compile.
            let mut args = vec!["build", "--release", "--target", I686];
            if !i686 {
                args.push("--keep-going");
            }
            let out = cargo(
                "readme-myapp",
                &args,
                &[("PLATFORM_GUARD_DENY", "unsupported")],
            );
            assert!(!out.status.success());
            text(&out.stderr)
        }
        "zero-denied" | "zero-lift-warning" => {
            if !i686 {
                return i686_only("an i686 compile");
            }
            let mut env = vec![("PLATFORM_GUARD_DENY", "unsupported")];
            if case == "zero-lift-warning" {
                env.push(("MYAPP_UNSUPPORTED_ARCH", "x86"));
            }
            let out = cargo("readme-myapp-zero", &["build", "--target", I686], &env);
            assert_eq!(out.status.success(), case == "zero-lift-warning");
            text(&out.stderr)
        }
        "manifest-mistake" => {
            let out = cargo("readme-myapp-mistake", &["build"], &[]);
            assert!(!out.status.success());
            let dir = fixture("readme-myapp-mistake");
            text(&out.stderr).replace(dir.to_str().expect("UTF-8"), "/src/myapp")
        }
        other => panic!("README.md marks an example `{}` that no case runs", other),
    })
}

#[test]
fn the_readme_s_examples_print_what_it_shows() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let marked: Vec<&str> = readme
        .match_indices("<!-- readme-test: ")
        .map(|(at, m)| {
            let rest = &readme[at + m.len()..];
            &rest[..rest.find(" -->").expect("a closed marker")]
        })
        .collect();
    let cases = [
        "zero-refuse",
        "zero-lifted",
        "rule-unknown",
        "rule-syntax",
        "release-deny",
        "zero-denied",
        "zero-lift-warning",
        "manifest-mistake",
    ];
    assert_eq!(
        marked, cases,
        "the README's marked examples and this test's cases"
    );
    let i686 = has_i686();
    for case in cases {
        let lines = shown(&readme, case);
        assert!(!lines.is_empty(), "{}: an empty block", case);
        if let Some(output) = run(case, i686) {
            lines_of(case, &lines, &output);
        }
    }
}
