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
//! `pipelines` reads the target lists of a repository's workflows,
//! cargo-dist, cross and docs.rs configuration (`yaml` is the YAML tree with
//! line numbers), `installable` and `tiers` what rustup can install and each
//! target's tier, `ecosystem` the Go, Debian and Docker names, `artifacts`
//! what a shipped program's headers say (ELF, Mach-O, PE). `report`
//! holds what `pipeline` and `audit` find, as data, and one printer per
//! output format (text, Markdown, JSON, GitHub, SARIF).
//!
//! Exit status: 0 success, 1 a denied target (`check`), a stale page (`doc
//! --check`), a denied target in a pipeline (`pipeline`), an unmet
//! requirement of a stable rule (`audit`), a change `--fail-on` names
//! (`diff`) or a shipped file that is denied, refused or above a floor
//! (`inspect`), 2 a usage, policy, manifest, file or compiler error.

#![forbid(unsafe_code)]

mod args;
mod artifacts;
mod bounded;
mod build_script;
mod cache;
mod commands;
mod compile;
mod context;
mod ecosystem;
mod files;
mod installable;
mod pipelines;
mod policies;
mod report;
mod rustflags;
mod tiers;
mod toml_doc;
mod toolchain;
mod yaml;

use std::ffi::OsString;
use std::io::{ErrorKind, Write};

use platform_guard::BuildEnv;

use context::{Cause, Message, Shell};
use context::{Context, Failure};

fn main() {
    std::process::exit(run(std::env::args_os().skip(1).collect()));
}

/// Runs the command line on `args` (after the program name) and returns
/// the exit status.
fn run(args: Vec<OsString>) -> i32 {
    let env = BuildEnv::from_process();
    let early = Shell::new(&env, args::color_ahead(&args), None);
    let parsed = match args::parse(args, commands::ALL) {
        Ok(p) => p,
        Err(f) => return print_failure(&early, &f),
    };
    let args = match parsed {
        args::Parsed::Print(text) => return write_stdout(&early, &text, 0),
        args::Parsed::Run(args) => args,
    };
    let shell = Shell::new(&env, args.color(), args.verbosity());
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            return print_failure(
                &shell,
                &Failure::error(format!("cannot read the current directory: {}", e)),
            )
        }
    };
    let ctx = Context { env, cwd, shell };
    match (args.command.run)(&ctx, &args) {
        Ok(r) => write_stdout(&shell, &r.stdout, r.code),
        // A document for programs; a usage mistake is for the person who
        // typed the command (a mistake the parser finds has no format).
        Err(f) if args.format() == report::Format::Json && f.cause != Cause::Usage => {
            if let Ok(doc) = report::json::failure(args.command.name, &f) {
                let _ = std::io::stdout().write_all(doc.as_bytes());
            }
            print_failure(&shell, &f)
        }
        Err(f) => print_failure(&shell, &f),
    }
}

/// Writes the output. A reader that closed the pipe early (`| head -1`)
/// ends it quietly: the status is the one decided, with no message.
fn write_stdout(shell: &Shell, text: &str, code: i32) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => code,
        Err(e) => print_failure(
            shell,
            &Failure::error(format!("cannot write the output: {}", e)),
        ),
    }
}

fn print_failure(shell: &Shell, f: &Failure) -> i32 {
    shell.print(Message::Error, &f.message);
    if let Some(help) = &f.help {
        let _ = writeln!(std::io::stderr(), "Run `{}` for the options.", help);
    }
    f.code
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use crate::args::{self, command_help, global_help, Key, Parsed};
    use crate::commands::ALL;

    #[test]
    fn every_option_is_declared_once_and_applies_somewhere() {
        let opts = args::options_table();
        for (i, o) in opts.iter().enumerate() {
            assert!(
                opts[..i].iter().all(|p| p.long != o.long && p.key != o.key),
                "--{} declared twice",
                o.long
            );
            if let Some(c) = o.short {
                assert!(opts[..i].iter().all(|p| p.short != Some(c)), "-{}", c);
            }
            assert!(
                ALL.iter().any(|c| c.takes(o.key)),
                "--{} applies to no command",
                o.long
            );
            assert_eq!(
                o.value.is_none(),
                matches!(o.kind, args::ValueKind::Flag),
                "--{}",
                o.long
            );
        }
        for c in ALL {
            for group in c.options {
                for key in *group {
                    assert!(opts.iter().any(|o| o.key == *key), "{:?}", key);
                }
            }
        }
    }

    #[test]
    fn help_lines_fit_the_terminal() {
        for c in ALL {
            for line in command_help(c).lines().chain(global_help(ALL).lines()) {
                assert!(line.chars().count() <= args::WIDTH, "{:?}", line);
            }
        }
    }

    #[test]
    fn lists_and_repeats_add_up() {
        let raw: Vec<OsString> = [
            "check",
            "--target",
            "a,b",
            "--target=c",
            "-pone",
            "-p",
            "two",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let Parsed::Run(args) = args::parse(raw, ALL).unwrap_or_else(|f| panic!("{}", f)) else {
            panic!("expected a command to run")
        };
        assert_eq!(args.list(Key::Target), ["a", "b", "c"]);
        assert_eq!(args.texts(Key::Package), ["one", "two"]);
    }
}
