//! What every command works in and answers with: the process's inputs
//! ([`Context`]: the environment through the library's one door to it, the
//! working directory, and how to talk on stderr), its result ([`Output`])
//! and why it stops ([`Failure`]). It imports nothing from the rest of the
//! command, so every module can use it without an import circle.

use std::ffi::OsStr;
use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use platform_guard::BuildEnv;

/// Why the command stops: the exit status, what kind of failure it is and
/// the one-line message.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub cause: Cause,
    pub message: String,
    /// A usage mistake: the message is followed by a pointer to `--help`
    /// (of this subcommand, when known).
    pub help: Option<String>,
}

/// What kind of failure stopped the command, for programs (`--format
/// json` reports it): the library's own error kind is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// A mistake in the arguments.
    Usage,
    /// The library refused a policy, a manifest or a value.
    Library(platform_guard::ErrorKind),
    /// A file, the environment or the compiler.
    Environment,
}

impl Cause {
    /// A stable name: `usage`, the library's kind (`cfg-syntax`, ...) or
    /// `environment`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Usage => "usage",
            Cause::Library(kind) => kind.as_str(),
            Cause::Environment => "environment",
        }
    }
}

impl Failure {
    /// A policy, manifest, environment or compiler error: exit status 2.
    pub fn error(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            cause: Cause::Environment,
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
            cause: Cause::Usage,
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
        Failure {
            cause: Cause::Library(e.kind()),
            ..Failure::error(e.to_string())
        }
    }
}

/// What a subcommand prints on stdout, and its exit status.
pub struct Output {
    pub stdout: String,
    pub code: i32,
}

/// `--color`, as Cargo takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal, `TERM` is not `dumb` and
    /// `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Every choice, as `--color` and `CARGO_TERM_COLOR` spell it.
    pub const ALL: [(ColorChoice, &'static str); 3] = [
        (ColorChoice::Auto, "auto"),
        (ColorChoice::Always, "always"),
        (ColorChoice::Never, "never"),
    ];

    pub fn from_word(word: &str) -> Option<ColorChoice> {
        ColorChoice::ALL
            .iter()
            .find(|(_, w)| *w == word)
            .map(|(c, _)| *c)
    }
}

/// How much the command says on stderr: `-q` (errors only), the default
/// (errors, warnings and notes), `-v` (also what it runs and skips, in
/// detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// How the command talks on stderr, decided once from the arguments and
/// the environment, as Cargo decides it.
#[derive(Debug, Clone, Copy)]
pub struct Shell {
    pub color: bool,
    pub verbosity: Verbosity,
    /// Stderr is a terminal that can take a progress line.
    pub progress: bool,
}

impl Shell {
    /// `--color` (else `CARGO_TERM_COLOR`, else auto), `-q`/`-v` (else
    /// `CARGO_TERM_QUIET`/`CARGO_TERM_VERBOSE`), and the terminal.
    pub fn new(env: &BuildEnv, color: Option<ColorChoice>, verbosity: Option<Verbosity>) -> Shell {
        let var = |k: &str| env.get(k).and_then(OsStr::to_str).filter(|v| !v.is_empty());
        let terminal = std::io::stderr().is_terminal() && var("TERM") != Some("dumb");
        let choice = color
            .or_else(|| var("CARGO_TERM_COLOR").and_then(ColorChoice::from_word))
            .unwrap_or(ColorChoice::Auto);
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && var("NO_COLOR").is_none(),
        };
        let verbosity = verbosity.unwrap_or(
            match (
                var("CARGO_TERM_QUIET") == Some("true"),
                var("CARGO_TERM_VERBOSE") == Some("true"),
            ) {
                (true, _) => Verbosity::Quiet,
                (false, true) => Verbosity::Verbose,
                (false, false) => Verbosity::Normal,
            },
        );
        Shell {
            color,
            verbosity,
            progress: terminal && verbosity > Verbosity::Quiet,
        }
    }

    /// One message on stderr with the command's one prefix:
    /// `cargo-platform-guard: <kind>: <message>` (a closed stderr is
    /// ignored).
    pub fn print(&self, kind: Message, message: &str) {
        let shown = match kind {
            Message::Error => true,
            Message::Warning | Message::Note => self.verbosity >= Verbosity::Normal,
            Message::Verbose => self.verbosity >= Verbosity::Verbose,
        };
        if shown {
            let _ = std::io::stderr().write_all(self.line(kind, message).as_bytes());
        }
    }

    /// The line `print` writes, colour included.
    pub fn line(&self, kind: Message, message: &str) -> String {
        let (word, style) = match kind {
            Message::Error => ("error", "\x1b[1;31m"),
            Message::Warning => ("warning", "\x1b[1;33m"),
            Message::Note | Message::Verbose => ("note", "\x1b[1;92m"),
        };
        if self.color {
            format!("{}: {}{}:\x1b[0m {}\n", PREFIX, style, word, message)
        } else {
            format!("{}: {}: {}\n", PREFIX, word, message)
        }
    }
}

/// The prefix of every message the command prints on stderr.
pub const PREFIX: &str = "cargo-platform-guard";

/// What kind of message a stderr line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    Error,
    Warning,
    /// Something the command could not know and says rather than guesses.
    Note,
    /// A detail shown only with `-v`.
    Verbose,
}

/// The process's inputs, read once: the environment (through the
/// library's one door to it, `BuildEnv`), the working directory and the
/// shell.
pub struct Context {
    pub env: BuildEnv,
    pub cwd: PathBuf,
    pub shell: Shell,
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

    /// One warning line on stderr (not with `-q`).
    pub fn warn(&self, message: &str) {
        self.shell.print(Message::Warning, message);
    }

    /// One note line on stderr (not with `-q`): something the command
    /// could not know and says rather than guesses.
    pub fn note(&self, message: &str) {
        self.shell.print(Message::Note, message);
    }

    /// A detail shown only with `-v` (what the command runs, each thing it
    /// skipped).
    pub fn verbose(&self, message: &str) {
        self.shell.print(Message::Verbose, message);
    }

    /// Whether `-v` was given (a command may then gather details it would
    /// otherwise summarize).
    pub fn is_verbose(&self) -> bool {
        self.shell.verbosity >= Verbosity::Verbose
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_prefix_with_and_without_colour() {
        let plain = Shell {
            color: false,
            verbosity: Verbosity::Normal,
            progress: false,
        };
        assert_eq!(
            plain.line(Message::Warning, "w"),
            "cargo-platform-guard: warning: w\n"
        );
        assert_eq!(
            plain.line(Message::Verbose, "v"),
            "cargo-platform-guard: note: v\n"
        );
        let coloured = Shell {
            color: true,
            ..plain
        };
        assert_eq!(
            coloured.line(Message::Error, "e"),
            "cargo-platform-guard: \x1b[1;31merror:\x1b[0m e\n"
        );
    }
}
