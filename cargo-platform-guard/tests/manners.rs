//! Cargo's manners: `--color` (and `CARGO_TERM_COLOR`), `-q`, `-v`, and one
//! prefix on every line the command prints on stderr.

mod common;

use common::pg;

const RED_ERROR: &str = "cargo-platform-guard: \x1b[1;31merror:\x1b[0m ";

/// A run that prints a note (`armhf` is resolved to its triple) and
/// succeeds.
fn noted(extra: &[&str], env: &[(&str, &str)]) -> common::Run {
    let mut args = vec!["check", "--preset", "default", "--target", "armhf"];
    args.extend_from_slice(extra);
    pg(&args, env)
}

#[test]
fn color_always_never_and_cargo_term_color() {
    // A usage error (an unknown preset) says "error:" in red only when
    // asked to.
    let always = pg(&["check", "--preset", "nope", "--color", "always"], &[]);
    let always = always.expect(2, "--color always");
    assert!(always.err.starts_with(RED_ERROR), "{:?}", always.err);

    let never = pg(
        &["check", "--preset", "nope", "--color", "never"],
        &[("CARGO_TERM_COLOR", "always")],
    )
    .expect(2, "--color never over CARGO_TERM_COLOR=always");
    assert!(
        never.err.starts_with("cargo-platform-guard: error: ") && !never.err.contains('\x1b'),
        "{:?}",
        never.err
    );

    let from_env = pg(
        &["check", "--preset", "nope"],
        &[("CARGO_TERM_COLOR", "always")],
    )
    .expect(2, "CARGO_TERM_COLOR=always");
    assert!(from_env.err.starts_with(RED_ERROR), "{:?}", from_env.err);

    // Not a terminal: auto is plain.
    let auto = pg(&["check", "--preset", "nope"], &[]).expect(2, "auto");
    assert!(!auto.err.contains('\x1b'), "{:?}", auto.err);

    let bad = pg(&["check", "--color", "sometimes"], &[]).expect(2, "--color sometimes");
    assert!(
        bad.err
            .contains("--color: unknown color \"sometimes\": expected auto, always or never"),
        "{}",
        bad.err
    );
}

#[test]
fn quiet_drops_notes_and_warnings_verbose_adds_details() {
    let normal = noted(&[], &[]).expect(0, "check armhf");
    assert!(
        normal
            .err
            .contains("cargo-platform-guard: note: armhf is the Debian architecture of"),
        "{}",
        normal.err
    );

    let quiet = noted(&["-q"], &[]).expect(0, "check armhf -q");
    assert_eq!(quiet.err, "", "-q prints nothing on stderr");
    assert_eq!(quiet.out, normal.out, "-q changes only stderr");

    let quiet_env = noted(&[], &[("CARGO_TERM_QUIET", "true")]).expect(0, "CARGO_TERM_QUIET");
    assert_eq!(quiet_env.err, "");

    // -v: what the command runs (the compiler's version query, always
    // asked), besides the notes.
    let verbose = noted(&["-v", "--no-cache"], &[]).expect(0, "check armhf -v");
    assert!(
        verbose
            .err
            .contains("cargo-platform-guard: note: running `")
            && verbose.err.contains("-vV`"),
        "{}",
        verbose.err
    );
    assert!(verbose.err.contains("armhf is the Debian architecture of"));

    let both = noted(&["-q", "-v"], &[]).expect(2, "-q -v");
    assert!(
        both.err
            .contains("--quiet and --verbose both given: choose one"),
        "{}",
        both.err
    );
    // Errors are printed under -q.
    let error = pg(&["check", "--preset", "nope", "-q"], &[]).expect(2, "an error under -q");
    assert!(error.err.starts_with("cargo-platform-guard: error: "));
}

#[test]
fn every_stderr_line_has_the_one_prefix() {
    let runs = [
        noted(&["-v", "--no-cache"], &[]).expect(0, "notes"),
        pg(&["check", "--preset", "nope"], &[]).expect(2, "usage error"),
        pg(&["frobnicate"], &[]).expect(2, "unknown command"),
        pg(&["matrix", "--preset", "etcd", "--level", "stable"], &[]).expect(0, "matrix"),
    ];
    for run in runs {
        for line in run.err.lines() {
            assert!(
                line.starts_with("cargo-platform-guard: ")
                    || line.starts_with("Run `cargo platform-guard"),
                "a stderr line without the prefix: {:?}\nin:\n{}",
                line,
                run.err
            );
        }
    }
}
