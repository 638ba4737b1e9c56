//! Bounded work on hostile input, with real processes: manifests and pages
//! that are not regular files or are too large, stand-in compilers that
//! print nothing, garbage or without end, or never finish, a thread that
//! cannot be started, output pipes closed early, terminals without escape
//! codes, and arguments that are not what they should be.

mod common;

use common::{command, pg, real_rustc, scratch, Run};
use std::ffi::OsStr;
use std::process::{Command, Stdio};

const ETCD_CHECK: &[&str] = &[
    "check",
    "--preset",
    "etcd",
    "--target",
    "x86_64-unknown-linux-gnu",
];

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_a_regular_file_is_an_error_at_once() {
    let dir = scratch("not-regular");
    let fifo = dir.join("Cargo.toml");
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap();
    for (args, what) in [
        (vec!["doc", "--manifest-path", f], "manifest"),
        (vec!["doc", "--preset", "etcd", "--check", f], "page"),
    ] {
        let run = pg(&args, &[]).expect(2, "a FIFO");
        assert_eq!(
            run.err,
            format!(
                "cargo-platform-guard: error: cannot read the {} {}: it is a FIFO (named pipe): \
                 expected a regular file\n",
                what, f
            )
        );
    }
    // Found by the search for Cargo.toml, too.
    let run = common::pg_in(&dir, &["doc"], &[]).expect(2, "a FIFO found");
    assert!(run.err.contains("it is a FIFO"), "{}", run.err);
    let run = pg(&["doc", "--manifest-path", "/dev/zero"], &[]).expect(2, "a device");
    assert_eq!(
        run.err,
        "cargo-platform-guard: error: cannot read the manifest /dev/zero: it is a character \
         device: expected a regular file\n"
    );
    let d = dir.to_str().unwrap();
    let run = pg(&["doc", "--manifest-path", d], &[]).expect(2, "a directory");
    assert!(
        run.err
            .contains(": it is a directory: expected a regular file"),
        "{}",
        run.err
    );
}

#[test]
fn a_file_larger_than_16_mib_is_refused_unread() {
    let dir = scratch("large");
    let big = dir.join("Cargo.toml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(16 * 1024 * 1024 + 1).unwrap(); // sparse: no disk used
    let run = pg(&["doc", "--manifest-path", big.to_str().unwrap()], &[]).expect(2, "large");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: cannot read the manifest {}: it is larger than 16 MiB\n",
            big.display()
        )
    );
}

/// The arguments of Cargo's query for x86_64 Linux, as messages show them.
#[cfg(unix)]
const QUERY: &str = "- --crate-name ___ --print=file-names --target x86_64-unknown-linux-gnu \
                     --crate-type bin --crate-type rlib --crate-type dylib --crate-type cdylib \
                     --crate-type staticlib --crate-type proc-macro --print=cfg -Wwarnings";

/// A stand-in compiler: `body` runs for Cargo's target query (`--print=cfg`),
/// the real compiler answers everything else (or `body` answers everything
/// with `all`).
#[cfg(unix)]
fn stand_in(name: &str, body: &str, all: bool) -> std::path::PathBuf {
    let dir = scratch(name);
    let script = if all {
        body.to_string()
    } else {
        format!(
            "case \"$*\" in *\"--print=cfg\"*) {} ;; esac\nexec '{}' \"$@\"\n",
            body,
            real_rustc().display()
        )
    };
    common::script(&dir.join("rustc"), &script)
}

#[cfg(unix)]
fn with_rustc(rustc: &std::path::Path, extra: &[&str]) -> Run {
    let cache = rustc.with_file_name("cache");
    let mut args = ETCD_CHECK.to_vec();
    args.extend(extra);
    command()
        .args(&args)
        .env("RUSTC", rustc)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .expect("runs")
        .into()
}

#[cfg(unix)]
#[test]
fn a_compiler_that_prints_nothing_or_garbage_is_an_error() {
    let silent = stand_in("rustc-silent", "exit 0", true);
    let run = with_rustc(&silent, &[]).expect(2, "silent -vV");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: `{} -vV` printed no `host:` line: expected rustc's \
             version information (is {} rustc? it came from RUSTC)\n",
            silent.display(),
            silent.display()
        )
    );
    let silent_cfg = stand_in("rustc-silent-cfg", "exit 0", false);
    let run = with_rustc(&silent_cfg, &[]).expect(2, "silent cfg");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: cannot read what `{} {}` printed: the compiler's \
             answer to Cargo's target query is malformed: expected a file name for each crate \
             type (--print=file-names)\n",
            silent_cfg.display(),
            QUERY
        )
    );
    let garbage_cfg = stand_in(
        "rustc-garbage-cfg",
        "printf '___\\nlib___.rlib\\nlib___.so\\nlib___.so\\nlib___.a\\nlib___.so\\n\
         target_arch=x86_64 oops\\n'; exit 0",
        false,
    );
    let run = with_rustc(&garbage_cfg, &[]).expect(2, "garbage cfg");
    assert!(
        run.err.starts_with(&format!(
            "cargo-platform-guard: error: cannot read what `{} {}` printed: ",
            garbage_cfg.display(),
            QUERY
        )),
        "{}",
        run.err
    );
    let garbage_list = stand_in(
        "rustc-garbage-list",
        &format!(
            "case \"$*\" in *target-list*) printf 'x86_64-unknown-linux-gnu\\n<html> oops\\n'; \
             exit 0 ;; esac\nexec '{}' \"$@\"\n",
            real_rustc().display()
        ),
        true,
    );
    let run = with_rustc(&garbage_list, &[]).expect(2, "garbage list");
    assert!(
        run.err.contains(
            "--print target-list` printed \"<html> oops\", which is not a target \
                          name: expected one target per line"
        ),
        "{}",
        run.err
    );
    let failing = stand_in(
        "rustc-failing",
        "echo 'error: no such target' >&2; exit 1",
        false,
    );
    let run = with_rustc(&failing, &[]).expect(2, "failing");
    assert!(
        run.err.contains(&format!(
            "{}` failed (exit status: 1): error: no such target",
            QUERY
        )),
        "{}",
        run.err
    );
}

#[cfg(unix)]
#[test]
fn a_compiler_that_prints_without_end_is_stopped() {
    for (name, body, stream) in [
        (
            "rustc-flood",
            "exec yes target_arch=\\\"x86_64\\\"",
            "stdout",
        ),
        ("rustc-flood-err", "exec yes error >&2", "stderr"),
    ] {
        let flood = stand_in(name, body, false);
        let run = with_rustc(&flood, &[]).expect(2, name);
        assert!(
            run.err.contains(&format!(
                "{}` printed more than {} MiB on {}",
                QUERY,
                if stream == "stdout" { 4 } else { 1 },
                stream
            )),
            "{}",
            run.err
        );
    }
}

#[cfg(unix)]
#[test]
fn a_compiler_that_never_finishes_times_out() {
    let hang = stand_in("rustc-hang", "exec sleep 600", false);
    let run = with_rustc(&hang, &["--rustc-timeout", "0.5"]).expect(2, "hang");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: `{} {}` did not finish within 0.5 s: gave up on it \
             (set --rustc-timeout to wait longer)\n",
            hang.display(),
            QUERY
        )
    );
    // Closes its output, then lingers: still bounded.
    let linger = stand_in("rustc-linger", "exec sleep 600 >&- 2>&-", true);
    let run = with_rustc(&linger, &["--rustc-timeout", "0.5"]).expect(2, "linger");
    assert!(
        run.err.contains("-vV` did not finish within 0.5 s"),
        "{}",
        run.err
    );
    let run = pg(&["check", "--preset", "etcd", "--rustc-timeout", "0"], &[]).expect(2, "zero");
    assert!(
        run.err
            .contains("--rustc-timeout: \"0\": expected a positive number of seconds"),
        "{}",
        run.err
    );
}

/// A thread that cannot be started (here: every thread, since
/// `RUST_MIN_STACK` asks for stacks larger than the address space) is an
/// error, not a panic.
#[cfg(unix)]
#[test]
fn a_thread_that_cannot_start_is_an_error() {
    let run: Run = command()
        .args([
            "matrix",
            "--preset",
            "etcd",
            "--no-cache",
            "--jobs",
            "100000",
        ])
        .env("RUST_MIN_STACK", "4611686018427387904")
        .output()
        .expect("runs")
        .into();
    let run = run.expect(2, "no threads");
    assert!(
        run.err
            .starts_with("cargo-platform-guard: error: cannot start a thread to run `")
            && run
                .err
                .contains("(lower --jobs, or raise the process's limits)"),
        "{}",
        run.err
    );
}

/// A reader that goes away before the output is written: no message and
/// the decided status, in every format.
#[test]
fn a_closed_pipe_ends_quietly() {
    let m = common::fixture("cli-policy/Cargo.toml");
    let m = m.to_str().unwrap();
    for (args, code) in [
        (vec!["matrix", "--manifest-path", m], 0),
        (
            vec!["matrix", "--manifest-path", m, "--format", "markdown"],
            0,
        ),
        (vec!["matrix", "--manifest-path", m, "--format", "json"], 0),
        (
            vec![
                "matrix",
                "--manifest-path",
                m,
                "--format",
                "github",
                "--installable",
                "any",
                // Levels with no sanitizer build, so nothing to note.
                "--level",
                "experimental",
            ],
            0,
        ),
        (vec!["doc", "--manifest-path", m], 0),
        (
            vec![
                "explain",
                "--manifest-path",
                m,
                "--target",
                "i686-unknown-linux-gnu",
            ],
            0,
        ),
        (
            vec![
                "check",
                "--manifest-path",
                m,
                "--target",
                "i686-unknown-linux-gnu",
            ],
            1,
        ),
        (vec!["--help"], 0),
    ] {
        let mut child = command()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        // Close the read end before the command writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("finishes");
        let run: Run = out.into();
        let run = run.expect(code, &format!("{:?} into a closed pipe", args));
        assert_eq!(run.err, "", "{:?}", args);
    }
    // The shell's way: `| head -1` with pipefail.
    let script = format!(
        "set -o pipefail; '{}' matrix --manifest-path '{}' --format json | head -1",
        common::BIN,
        m
    );
    let out = command_in_shell(&script);
    assert_eq!(out.code, Some(0), "{}", out.err);
    assert_eq!(out.out, "{\n");
    assert_eq!(out.err, "");
}

fn command_in_shell(script: &str) -> Run {
    let mut cmd = Command::new("bash");
    cmd.args(["-c", script]);
    for var in common::SCRUB {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CACHE_HOME", common::shared_cache());
    cmd.output().expect("bash runs").into()
}

/// On a terminal (a pseudo-terminal from util-linux `script`), the
/// progress line shows and clears itself: with an escape code normally,
/// with spaces under `NO_COLOR`, not at all under `TERM=dumb` or `-q`.
#[cfg(target_os = "linux")]
#[test]
fn progress_shows_on_a_terminal_and_honours_term_and_no_color() {
    assert!(
        std::path::Path::new("/usr/bin/script").exists(),
        "this test needs /usr/bin/script (util-linux; Debian package bsdutils)"
    );
    let total = common::target_list().len();
    let progress = format!(
        "\rcargo-platform-guard: asked rustc about {}/{} targets",
        total, total
    );
    let terminal = |env: &str, name: &str| -> String {
        // --no-cache: the progress line is shown only while asking rustc.
        let cache = scratch(name);
        let inner = format!(
            "{} '{}' matrix --preset etcd --no-cache --format github --installable any --level experimental >/dev/null",
            env,
            common::BIN
        );
        let mut cmd = Command::new("/usr/bin/script");
        cmd.args(["-qec", &inner, "/dev/null"]);
        for var in common::SCRUB {
            cmd.env_remove(var);
        }
        cmd.env("XDG_CACHE_HOME", cache).env("TERM", "xterm");
        let out = cmd.output().expect("script runs");
        assert!(out.status.success(), "{}", common::text(&out.stderr));
        common::text(&out.stdout)
    };
    let plain = terminal("", "progress-plain");
    assert!(plain.contains(&progress), "{:?}", plain);
    assert!(plain.ends_with("\r\x1b[2K"), "{:?}", plain);
    let no_color = terminal("NO_COLOR=1", "progress-no-color");
    assert!(no_color.contains(&progress), "{:?}", no_color);
    assert!(!no_color.contains('\x1b'), "{:?}", no_color);
    assert!(
        no_color.ends_with(&format!("\r{}\r", " ".repeat(progress.len() - 1))),
        "{:?}",
        no_color
    );
    let dumb = terminal("TERM=dumb", "progress-dumb");
    assert_eq!(dumb, "", "{:?}", dumb);
    let quiet = terminal("CARGO_TERM_QUIET=true", "progress-quiet");
    assert_eq!(quiet, "", "{:?}", quiet);
}

/// Arguments: one error line, a pointer to the right --help, status 2.
#[test]
fn usage_mistakes_get_one_line_and_a_suggestion() {
    for (args, message, help) in [
        (
            &["frobnicate"][..],
            "unknown command \"frobnicate\": expected one of matrix, check, explain, doc",
            "cargo platform-guard --help",
        ),
        (
            &["matirx"][..],
            "unknown command \"matirx\" (did you mean matrix?): expected one of",
            "cargo platform-guard --help",
        ),
        (
            &[][..],
            "no command given: expected one of matrix, check, explain, doc",
            "cargo platform-guard --help",
        ),
        (
            &["matrix", "--format", "xml"][..],
            "--format: unknown format \"xml\" for `matrix`: expected table, markdown, json, github or \
             docker",
            "cargo platform-guard matrix --help",
        ),
        (
            &["matrix", "--format", "jsno"][..],
            "--format: unknown format \"jsno\" for `matrix` (did you mean json?)",
            "cargo platform-guard matrix --help",
        ),
        (
            &["matrix", "--preset", "bsd"][..],
            "--preset: unknown preset \"bsd\"",
            "cargo platform-guard matrix --help",
        ),
        (
            &["matrix", "--level", "beta"][..],
            "--level: unknown support level \"beta\"",
            "cargo platform-guard matrix --help",
        ),
        (
            &["matrix", "--target", "x"][..],
            "option --target does not apply to `matrix`: it is for check, explain",
            "cargo platform-guard matrix --help",
        ),
        (
            &["doc", "--preset", "etcd", "--manifest-path", "Cargo.toml"][..],
            "--manifest-path and --preset both name a policy: give one",
            "cargo platform-guard doc --help",
        ),
        (
            &["matrix", "--fromat", "json"][..],
            "unknown option \"--fromat\" (did you mean --format?)",
            "cargo platform-guard matrix --help",
        ),
        (
            &["check", "--tagret", "x"][..],
            "unknown option \"--tagret\" (did you mean --target?)",
            "cargo platform-guard check --help",
        ),
        (
            &["matrix", "--format"][..],
            "option --format needs a value <FORMAT>",
            "cargo platform-guard matrix --help",
        ),
        (
            &["matrix", "--no-cache=yes"][..],
            "option --no-cache takes no value, found \"yes\"",
            "cargo platform-guard matrix --help",
        ),
        (
            &["matrix", "--jobs", "0"][..],
            "--jobs: \"0\": expected a whole number of at least 1",
            "cargo platform-guard matrix --help",
        ),
        (
            &["matrix", "--format", "json", "--format", "table"][..],
            "option --format is given twice",
            "cargo platform-guard matrix --help",
        ),
        (
            &["check", "--target", "a,,b"][..],
            "--target: \"a,,b\" has an empty item",
            "cargo platform-guard check --help",
        ),
        (
            &["check", "extra"][..],
            "unexpected argument \"extra\": `check` takes options only",
            "cargo platform-guard check --help",
        ),
    ] {
        let run = pg(args, &[]).expect(2, &format!("{:?}", args));
        let lines: Vec<&str> = run.err.lines().collect();
        assert_eq!(lines.len(), 2, "{:?}: {}", args, run.err);
        assert!(
            lines[0].starts_with("cargo-platform-guard: error: ") && lines[0].contains(message),
            "{:?}: {}",
            args,
            run.err
        );
        assert_eq!(
            lines[1],
            format!("Run `{}` for the options.", help),
            "{:?}",
            args
        );
        assert_eq!(run.out, "");
    }
}

#[test]
fn help_and_version() {
    let global = pg(&["--help"], &[]).expect(0, "--help").out;
    assert!(global.contains("Usage: cargo platform-guard <COMMAND> [OPTIONS]"));
    for c in ["matrix", "check", "explain", "doc"] {
        assert!(global.contains(&format!("\n  {} ", c)), "{}", global);
        let help = pg(&[c, "--help"], &[]).expect(0, "command --help").out;
        assert!(
            help.starts_with(&format!("cargo platform-guard {}: ", c)),
            "{}",
            help
        );
        assert!(help.contains(&format!("Usage: cargo platform-guard {} [OPTIONS]", c)));
        // Each command's own options, not the others'.
        assert_eq!(
            help.contains("--format <FORMAT>"),
            c == "matrix" || c == "check",
            "{}: {}",
            c,
            help
        );
        assert_eq!(
            help.contains("--target <TRIPLE,...>"),
            c == "check" || c == "explain",
            "{}",
            c
        );
        assert_eq!(help.contains("--check <FILE>"), c == "doc", "{}", c);
        assert!(help.contains("-p, --package <NAME>"), "{}", c);
        // The same through `help <COMMAND>`, through Cargo, and with other
        // mistakes on the line.
        assert_eq!(pg(&["help", c], &[]).expect(0, "help").out, help);
        assert_eq!(
            pg(&["platform-guard", c, "-h"], &[]).expect(0, "-h").out,
            help
        );
        assert_eq!(
            pg(&[c, "--bogus", "--help"], &[]).expect(0, "--help").out,
            help
        );
    }
    let version = format!("cargo-platform-guard {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(pg(&["--version"], &[]).expect(0, "--version").out, version);
    assert_eq!(pg(&["-V"], &[]).expect(0, "-V").out, version);
    assert!(global.contains("-V, --version"));
}

/// Hostile values reach no output unquoted; UTF-8 is checked.
#[test]
fn hostile_arguments_are_quoted_on_one_line() {
    let (host, _) = common::host();
    let injected = "x86\ncargo::rustc-cfg=injected";
    let run = pg(&["explain", "--preset", "etcd", "--target", injected], &[]).expect(2, "injected");
    assert_eq!(
        run.err,
        "cargo-platform-guard: error: unknown target \"x86\\ncargo::rustc-cfg=injected\": rustc \
         does not list it in `--print target-list`; see `rustc --print target-list`\n"
    );
    let run = pg(
        &[
            "explain",
            "--preset",
            "default",
            "--override-var",
            "A\nB",
            "--target",
            &host,
        ],
        &[],
    )
    .expect(2, "bad variable");
    assert_eq!(
        run.err,
        "cargo-platform-guard: error: override variable name \"A\\nB\" is invalid: expected \
         upper-case ASCII letters, digits and `_`, not starting with a digit (such as \
         MYAPP_UNSUPPORTED_ARCH)\n"
    );
    let run = pg(
        &["check", "--preset", "default", "--target", &host],
        &[("PLATFORM_GUARD_DENY", "Unstable\ncargo::rustc-cfg=injected")],
    )
    .expect(2, "bad deny");
    assert_eq!(
        run.err,
        "cargo-platform-guard: error: PLATFORM_GUARD_DENY: unknown support level \
         \"Unstable\\ncargo::rustc-cfg=injected\": expected one of stable, experimental, \
         unstable, unsupported (lowercase)\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let run: Run = command()
            .args([
                OsStr::new("explain"),
                OsStr::new("--target"),
                OsStr::from_bytes(b"x86\xff"),
            ])
            .output()
            .unwrap()
            .into();
        let run = run.expect(2, "not UTF-8");
        assert_eq!(
            run.err,
            "cargo-platform-guard: error: argument \"x86\u{fffd}\" is not valid UTF-8: expected \
             UTF-8 text\nRun `cargo platform-guard explain --help` for the options.\n"
        );
    }
}
