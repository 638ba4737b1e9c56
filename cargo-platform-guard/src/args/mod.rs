//! The arguments, in one place: every option is declared once in
//! [`options::OPTIONS`] with its value, its help and its help section;
//! each [`Subcommand`] says which options it takes (option groups and its
//! own); the help and the checks of what applies where are derived from
//! that. Parsing is `lexopt`'s (`--name value`, `--name=value`, `-p NAME`,
//! `-pNAME`, options before or after the subcommand, `--` before
//! positional arguments).
//!
//! The parser is given the list of subcommands (it does not import them),
//! and hands each of the modules below the commands only the group of
//! values it reads ([`PolicyArgs`], [`BuildArgs`], [`CompilerArgs`]), not
//! the whole command line.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use platform_guard::{Level, Preset};

use crate::context::{ColorChoice, Context, Failure, Output, Verbosity};
use crate::report::Format;

mod help;
mod options;
mod parse;

#[cfg(test)]
pub use help::{command_help, global_help, WIDTH};
#[cfg(test)]
pub use options::ValueKind;
pub use options::{FailOn, Key, BUILD, COMPILER, POLICY};

/// Every option (for the tests of the table).
#[cfg(test)]
pub fn options_table() -> &'static [options::Opt] {
    options::OPTIONS
}
pub use parse::{color_ahead, parse};

/// One subcommand: its name, its help, the options it takes, its
/// positional arguments, its formats and the function that runs it.
pub struct Subcommand {
    pub name: &'static str,
    /// One line, for the list of commands.
    pub summary: &'static str,
    /// The paragraph of its `--help`.
    pub about: &'static str,
    /// The option groups and single options it takes besides the general
    /// ones (`--help`, `--color`, ...) and `--format` (taken when it has
    /// formats).
    pub options: &'static [&'static [Key]],
    /// Its positional arguments' names, all required; a last name ending
    /// in `...` (`FILE...`) takes one or more.
    pub positionals: &'static [&'static str],
    /// Its `--format` values with a few words each, the default first
    /// (empty: no `--format`).
    pub formats: &'static [(Format, &'static str)],
    pub run: fn(&Context, &Args) -> Result<Output, Failure>,
}

impl Subcommand {
    /// Whether it takes the option of `key`.
    pub fn takes(&self, key: Key) -> bool {
        options::GENERAL.contains(&key)
            || (key == Key::Format && !self.formats.is_empty())
            || self.options.iter().any(|group| group.contains(&key))
    }
}

/// An option's value, checked against its kind.
#[derive(Debug, Clone)]
enum Value {
    Flag,
    Text(String),
    Path(PathBuf),
    Level(Level),
    Levels(Vec<Level>),
    Preset(Preset),
    Count(usize),
    Seconds(Duration),
    List(Vec<String>),
    Color(ColorChoice),
    Format(Format),
    FailOn(FailOn),
}

/// The parsed command line of a subcommand to run.
pub struct Args {
    pub command: &'static Subcommand,
    values: Vec<(Key, Value)>,
    /// The positional arguments, as many as `Subcommand::positionals`
    /// names (`diff OLD NEW`), or more for a last `FILE...`.
    pub positionals: Vec<OsString>,
}

/// What the policy options say: where the policy comes from and how it is
/// adjusted (for `policies::load`).
pub struct PolicyArgs<'a> {
    /// The subcommand, for usage errors.
    pub command: &'static str,
    pub manifest_path: Option<&'a Path>,
    pub packages: Vec<&'a str>,
    pub workspace: bool,
    pub preset: Option<Preset>,
    pub override_var: Option<&'a str>,
    pub deny: Option<Level>,
}

/// What the build options say: the profile and features a command decides
/// for (for `compile::of`).
pub struct BuildArgs<'a> {
    /// The subcommand, for usage errors.
    pub command: &'static str,
    pub release: bool,
    pub profile: Option<&'a str>,
    pub features: Vec<String>,
    pub all_features: bool,
    pub no_default_features: bool,
}

/// What the compiler options say (for `Toolchain::new`).
pub struct CompilerArgs<'a> {
    /// `--config` values, in order.
    pub config: Vec<&'a str>,
    pub timeout: Option<Duration>,
    pub no_cache: bool,
}

impl Args {
    fn get(&self, key: Key) -> impl Iterator<Item = &Value> {
        self.values
            .iter()
            .filter(move |(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    pub fn given(&self, key: Key) -> bool {
        self.get(key).next().is_some()
    }

    pub fn flag(&self, key: Key) -> bool {
        self.given(key)
    }

    pub fn text(&self, key: Key) -> Option<&str> {
        self.get(key).find_map(|v| match v {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// Every value of a repeatable text option.
    pub fn texts(&self, key: Key) -> Vec<&str> {
        self.get(key)
            .filter_map(|v| match v {
                Value::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Every value of a repeatable path option.
    pub fn paths(&self, key: Key) -> Vec<&Path> {
        self.get(key)
            .filter_map(|v| match v {
                Value::Path(p) => Some(p.as_path()),
                _ => None,
            })
            .collect()
    }

    pub fn path(&self, key: Key) -> Option<&Path> {
        self.get(key).find_map(|v| match v {
            Value::Path(p) => Some(p.as_path()),
            _ => None,
        })
    }

    pub fn level(&self, key: Key) -> Option<Level> {
        self.get(key).find_map(|v| match v {
            Value::Level(l) => Some(*l),
            _ => None,
        })
    }

    pub fn levels(&self, key: Key) -> Option<&[Level]> {
        self.get(key).find_map(|v| match v {
            Value::Levels(l) => Some(l.as_slice()),
            _ => None,
        })
    }

    pub fn preset(&self, key: Key) -> Option<Preset> {
        self.get(key).find_map(|v| match v {
            Value::Preset(p) => Some(*p),
            _ => None,
        })
    }

    pub fn count(&self, key: Key) -> Option<usize> {
        self.get(key).find_map(|v| match v {
            Value::Count(n) => Some(*n),
            _ => None,
        })
    }

    pub fn seconds(&self, key: Key) -> Option<Duration> {
        self.get(key).find_map(|v| match v {
            Value::Seconds(d) => Some(*d),
            _ => None,
        })
    }

    /// Every name of a list option, over all its occurrences.
    pub fn list(&self, key: Key) -> Vec<String> {
        self.get(key)
            .flat_map(|v| match v {
                Value::List(l) => l.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// `--format`, else the subcommand's default (its first format; text
    /// for a subcommand with none).
    pub fn format(&self) -> Format {
        self.get(Key::Format)
            .find_map(|v| match v {
                Value::Format(f) => Some(*f),
                _ => None,
            })
            .or_else(|| self.command.formats.first().map(|(f, _)| *f))
            .unwrap_or(Format::Text)
    }

    /// Every `--fail-on` value.
    pub fn fail_on(&self) -> Vec<FailOn> {
        self.get(Key::FailOn)
            .filter_map(|v| match v {
                Value::FailOn(f) => Some(*f),
                _ => None,
            })
            .collect()
    }

    /// `--color`, if given.
    pub fn color(&self) -> Option<ColorChoice> {
        self.get(Key::Color).find_map(|v| match v {
            Value::Color(c) => Some(*c),
            _ => None,
        })
    }

    /// `-q` or `-v`, if given (the parser refuses both).
    pub fn verbosity(&self) -> Option<Verbosity> {
        match (self.flag(Key::Quiet), self.flag(Key::Verbose)) {
            (true, _) => Some(Verbosity::Quiet),
            (false, true) => Some(Verbosity::Verbose),
            (false, false) => None,
        }
    }

    /// The policy options' values.
    pub fn policy(&self) -> PolicyArgs<'_> {
        PolicyArgs {
            command: self.command.name,
            manifest_path: self.path(Key::ManifestPath),
            packages: self.texts(Key::Package),
            workspace: self.flag(Key::Workspace),
            preset: self.preset(Key::Preset),
            override_var: self.text(Key::OverrideVar),
            deny: self.level(Key::Deny),
        }
    }

    /// The build options' values.
    pub fn build(&self) -> BuildArgs<'_> {
        BuildArgs {
            command: self.command.name,
            release: self.flag(Key::Release),
            profile: self.text(Key::Profile),
            features: self.list(Key::Features),
            all_features: self.flag(Key::AllFeatures),
            no_default_features: self.flag(Key::NoDefaultFeatures),
        }
    }

    /// The compiler options' values.
    pub fn compiler(&self) -> CompilerArgs<'_> {
        CompilerArgs {
            config: self.texts(Key::Config),
            timeout: self.seconds(Key::RustcTimeout),
            no_cache: self.flag(Key::NoCache),
        }
    }

    /// `--jobs`, else twice the CPUs.
    pub fn jobs(&self) -> usize {
        self.count(Key::Jobs).unwrap_or_else(|| {
            2 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
    }
}

/// What the command line asks for.
pub enum Parsed {
    /// Print this (help or version) and exit 0.
    Print(String),
    Run(Box<Args>),
}
