//! `cargo platform-guard`: read, check and publish a platform-guard policy
//! without writing Rust.
//!
//! The command is thin over the library's public API: every classification
//! is `Policy::classify` on a `TargetCfg` read from the compiler
//! (`TargetCfg::from_rustc_cfg`), every build decision is
//! `Policy::build_decision`, the function the build script uses, and every
//! policy is the library's reading of a manifest table or a preset.
//!
//! Layout: `args` declares every option once (value, help, the subcommands
//! that accept it) and parses with `lexopt`; `commands/` holds one file per
//! subcommand, listed in `commands::ALL`; `source` finds the manifest and
//! the policies as Cargo finds packages; `toolchain` runs the compiler as
//! Cargo would, with bounded output and a timeout, and `rustflags` and
//! `cache` give it the flags that apply and the cfg it already knows.
//!
//! `pipeline_files` reads the target lists of a repository's workflows,
//! cargo-dist, cross and docs.rs configuration (`yaml` is the YAML tree with
//! line numbers), `installable` and `tiers` what rustup can install and each
//! target's tier, `ecosystem` the Go, Debian and Docker names. `report`
//! holds what `pipeline` and `audit` find, as data, and one printer per
//! output format (text, Markdown, JSON, GitHub, SARIF).
//!
//! Exit status: 0 success, 1 a denied target (`check`), a stale page (`doc
//! --check`), a denied target in a pipeline (`pipeline`), an unmet
//! requirement of a stable rule (`audit`) or a change `--fail-on` names
//! (`diff`), 2 a usage, policy, manifest, file or compiler error.

#![forbid(unsafe_code)]

mod args;
mod build_script;
mod cache;
mod commands;
mod compile;
mod ecosystem;
mod files;
mod installable;
mod pipeline_files;
mod report;
mod rustflags;
mod source;
mod suggest;
mod tiers;
mod toolchain;
mod yaml;

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::PathBuf;

use platform_guard::BuildEnv;

/// Why the command stops: the exit status and the one-line message.
#[derive(Debug)]
pub struct Failure {
    code: i32,
    message: String,
    /// A usage mistake: the message is followed by a pointer to `--help`
    /// (of this subcommand, when known).
    help: Option<String>,
}

impl Failure {
    /// A policy, manifest, environment or compiler error: exit status 2.
    pub fn error(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
            help: None,
        }
    }

    /// A mistake in the arguments: exit status 2 and a pointer to the help
    /// of `command` (the global help when `None`).
    pub fn usage(message: impl Into<String>, command: Option<&str>) -> Failure {
        let help = match command {
            Some(c) => format!("cargo platform-guard {} --help", c),
            None => "cargo platform-guard --help".to_string(),
        };
        Failure {
            code: 2,
            message: message.into(),
            help: Some(help),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<platform_guard::Error> for Failure {
    fn from(e: platform_guard::Error) -> Failure {
        Failure::error(e.to_string())
    }
}

/// What a subcommand prints on stdout, and its exit status.
pub struct Report {
    pub stdout: String,
    pub code: i32,
}

/// The process's inputs, read once: the environment (through the
/// library's one door to it, `BuildEnv`) and the working directory.
pub struct Context {
    pub env: BuildEnv,
    pub cwd: PathBuf,
}

impl Context {
    /// A variable's value, if set.
    pub fn var(&self, key: &str) -> Option<&OsStr> {
        self.env.get(key)
    }

    /// A variable's value if it is set and UTF-8.
    pub fn var_str(&self, key: &str) -> Option<&str> {
        self.env.get(key).and_then(OsStr::to_str)
    }

    /// Whether a variable is set to a non-empty value.
    pub fn is_set(&self, key: &str) -> bool {
        self.env.get(key).is_some_and(|v| !v.is_empty())
    }

    /// One warning line on stderr (a closed stderr is ignored).
    pub fn warn(&self, message: &str) {
        let _ = writeln!(
            std::io::stderr(),
            "cargo-platform-guard: warning: {}",
            message
        );
    }

    /// One note line on stderr: something the command could not know and
    /// says rather than guesses.
    pub fn note(&self, message: &str) {
        let _ = writeln!(std::io::stderr(), "cargo-platform-guard: note: {}", message);
    }
}

fn main() {
    std::process::exit(run(std::env::args_os().skip(1).collect()));
}

/// Runs the command line on `args` (after the program name) and returns
/// the exit status.
fn run(args: Vec<OsString>) -> i32 {
    let parsed = match args::parse(args) {
        Ok(p) => p,
        Err(f) => return report(&f),
    };
    let args = match parsed {
        args::Parsed::Print(text) => return write_stdout(&text, 0),
        args::Parsed::Run(args) => args,
    };
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            return report(&Failure::error(format!(
                "cannot read the current directory: {}",
                e
            )))
        }
    };
    let ctx = Context {
        env: BuildEnv::from_process(),
        cwd,
    };
    match (args.command.run)(&ctx, &args) {
        Ok(r) => write_stdout(&r.stdout, r.code),
        Err(f) => report(&f),
    }
}

/// Writes the output. A reader that closed the pipe early (`| head -1`)
/// ends it quietly: the status is the one decided, with no message.
fn write_stdout(text: &str, code: i32) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => code,
        Err(e) => report(&Failure::error(format!("cannot write the output: {}", e))),
    }
}

fn report(f: &Failure) -> i32 {
    let mut text = format!("cargo-platform-guard: error: {}\n", f.message);
    if let Some(help) = &f.help {
        text.push_str(&format!("Run `{}` for the options.\n", help));
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
    f.code
}
