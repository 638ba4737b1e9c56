//! The arguments, in one place: every option is declared once in
//! [`OPTIONS`] with its value, its help and the subcommands that accept
//! it; the help of each subcommand and the checks of what applies where
//! are derived from that table. Parsing is `lexopt`'s (`--name value`,
//! `--name=value`, `-p NAME`, `-pNAME`, options before or after the
//! subcommand, `--` before positional arguments).
//!
//! A subcommand added later (one file in `commands/`) lists itself in
//! `commands::ALL`; the policy options reach it by its `reads_policy`, and
//! options of its own are added here with `Accepts::Commands`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lexopt::{Arg, Parser};
use platform_guard::{Level, Preset};

use crate::commands::{FailOn, Subcommand, ALL};
use crate::report::Format;
use crate::suggest::did_you_mean;
use crate::Failure;

/// Which option a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Help,
    Version,
    ManifestPath,
    Package,
    Workspace,
    Preset,
    OverrideVar,
    Deny,
    Target,
    Jobs,
    NoCache,
    RustcTimeout,
    Format,
    Level,
    Check,
    Name,
    Installable,
    GithubOutput,
    Root,
    FailOn,
    Config,
    Release,
    Profile,
    Features,
    AllFeatures,
    NoDefaultFeatures,
}

/// What an option's value is.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// No value.
    Flag,
    /// UTF-8 text.
    Text,
    /// A path (any bytes the platform allows).
    Path,
    /// One support level.
    Level,
    /// Support levels, comma-separated.
    Levels,
    /// A preset name.
    Preset,
    /// A whole number of at least 1.
    Count,
    /// A positive number of seconds (fractions allowed).
    Seconds,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Names, comma-separated (targets).
    List,
    /// One of the subcommand's own formats (`Subcommand::formats`).
    Format,
    /// A change `diff --fail-on` fails on.
    FailOn,
}

/// Which subcommands accept an option.
#[derive(Debug, Clone, Copy)]
pub enum Accepts {
    /// Every subcommand, and none.
    All,
    /// Every subcommand that reads a policy (`Subcommand::reads_policy`).
    PolicyCommands,
    /// Exactly these subcommands.
    Commands(&'static [&'static str]),
}

/// One option, declared once.
pub struct Opt {
    pub key: Key,
    pub long: &'static str,
    pub short: Option<char>,
    /// The value's name in the help (`PATH`), `None` for a flag.
    pub value: Option<&'static str>,
    pub kind: Kind,
    /// May be given more than once (the values add up).
    pub repeat: bool,
    pub accepts: Accepts,
    /// The help section it is listed in.
    pub section: Section,
    pub help: &'static str,
}

/// The sections of a subcommand's help, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Command,
    Policy,
    Build,
    Compiler,
    General,
}

impl Section {
    const ALL: [Section; 5] = [
        Section::Command,
        Section::Policy,
        Section::Build,
        Section::Compiler,
        Section::General,
    ];

    fn title(self) -> &'static str {
        match self {
            Section::Command => "Options",
            Section::Policy => {
                "Policy (default: the package's table, found as Cargo finds Cargo.toml)"
            }
            Section::Build => "Build (as Cargo takes them: the build this decides for)",
            Section::Compiler => "Compiler",
            Section::General => "General",
        }
    }
}

/// Every option.
pub const OPTIONS: &[Opt] = &[
    Opt {
        key: Key::Format,
        long: "format",
        short: None,
        value: Some("FORMAT"),
        kind: Kind::Format,
        repeat: false,
        accepts: Accepts::Commands(&["matrix", "check", "pipeline", "audit", "diff"]),
        section: Section::Command,
        help: "the output format:",
    },
    Opt {
        key: Key::Installable,
        long: "installable",
        short: None,
        value: Some("WHICH"),
        kind: Kind::Choice(&["yes", "no", "any"]),
        repeat: false,
        accepts: Accepts::Commands(&["matrix"]),
        section: Section::Command,
        help: "yes: only targets rustup can install (`rustup target add`), per the \
               toolchain's own channel manifest; no: only the others; any: both (the default, \
               except for --format github, which lists only installable targets)",
    },
    Opt {
        key: Key::GithubOutput,
        long: "github-output",
        short: None,
        value: Some("NAME"),
        kind: Kind::Text,
        repeat: false,
        accepts: Accepts::Commands(&["matrix"]),
        section: Section::Command,
        help: "with --format github: append NAME=<the matrix> to the file $GITHUB_OUTPUT \
               names, as a GitHub Actions step sets its output NAME (the matrix is printed too); \
               when the command fails, or GITHUB_OUTPUT is not set or not a regular file, \
               nothing is written and the exit status is 2, so the step fails",
    },
    Opt {
        key: Key::Root,
        long: "root",
        short: None,
        value: Some("DIR"),
        kind: Kind::Path,
        repeat: false,
        accepts: Accepts::Commands(&["pipeline", "audit"]),
        section: Section::Command,
        help: "the repository's root, where .github/workflows, dist-workspace.toml and \
               Cross.toml are (default: the workspace root's directory, else the package's)",
    },
    Opt {
        key: Key::FailOn,
        long: "fail-on",
        short: None,
        value: Some("CHANGE"),
        kind: Kind::FailOn,
        repeat: true,
        accepts: Accepts::Commands(&["diff"]),
        section: Section::Command,
        help: "exit 1 when a target is demoted (its level drops) or newly denied \
               (repeatable); without it diff exits 0",
    },
    Opt {
        key: Key::Level,
        long: "level",
        short: None,
        value: Some("LEVEL,..."),
        kind: Kind::Levels,
        repeat: false,
        accepts: Accepts::Commands(&["matrix"]),
        section: Section::Command,
        help: "only targets at these levels (stable, experimental, unstable, unsupported); \
               default: every level, except for --format github and docker, which list only \
               the levels whose programs run (stable, experimental) and say on stderr how many \
               targets that left out",
    },
    Opt {
        key: Key::Target,
        long: "target",
        short: None,
        value: Some("TRIPLE,..."),
        kind: Kind::List,
        repeat: true,
        accepts: Accepts::Commands(&["check", "explain"]),
        section: Section::Command,
        help: "the targets, comma-separated or repeated (default: Cargo's build.target, else \
               the host); a path to a custom target .json is passed to rustc as is",
    },
    Opt {
        key: Key::Check,
        long: "check",
        short: None,
        value: Some("FILE"),
        kind: Kind::Path,
        repeat: false,
        accepts: Accepts::Commands(&["doc"]),
        section: Section::Command,
        help: "compare FILE with the page instead of printing it: exit 1 and name the first \
               line that differs when it is stale",
    },
    Opt {
        key: Key::Name,
        long: "name",
        short: None,
        value: Some("NAME"),
        kind: Kind::Text,
        repeat: false,
        accepts: Accepts::Commands(&["doc"]),
        section: Section::Command,
        help: "the project's name in the page (default: the package's name, or etcd for \
               --preset etcd)",
    },
    Opt {
        key: Key::ManifestPath,
        long: "manifest-path",
        short: None,
        value: Some("PATH"),
        kind: Kind::Path,
        repeat: false,
        accepts: Accepts::PolicyCommands,
        section: Section::Policy,
        help: "the Cargo.toml to read (default: Cargo.toml in the current directory or the \
               nearest parent that has one)",
    },
    Opt {
        key: Key::Package,
        long: "package",
        short: Some('p'),
        value: Some("NAME"),
        kind: Kind::Text,
        repeat: true,
        accepts: Accepts::PolicyCommands,
        section: Section::Policy,
        help: "the workspace member whose policy to use (repeatable)",
    },
    Opt {
        key: Key::Workspace,
        long: "workspace",
        short: None,
        value: None,
        kind: Kind::Flag,
        repeat: false,
        accepts: Accepts::PolicyCommands,
        section: Section::Policy,
        help: "every workspace member's policy (a member without one is named and skipped)",
    },
    Opt {
        key: Key::Preset,
        long: "preset",
        short: None,
        value: Some("NAME"),
        kind: Kind::Preset,
        repeat: false,
        accepts: Accepts::PolicyCommands,
        section: Section::Policy,
        help: "a built-in policy instead of a manifest's: etcd or default",
    },
    Opt {
        key: Key::OverrideVar,
        long: "override-var",
        short: None,
        value: Some("NAME"),
        kind: Kind::Text,
        repeat: false,
        accepts: Accepts::PolicyCommands,
        section: Section::Policy,
        help: "the override variable instead of the policy's",
    },
    Opt {
        key: Key::Deny,
        long: "deny",
        short: None,
        value: Some("LEVEL"),
        kind: Kind::Level,
        repeat: false,
        accepts: Accepts::PolicyCommands,
        section: Section::Policy,
        help: "deny LEVEL and every less-supported level, as the policy's `deny` \
               (PLATFORM_GUARD_DENY in the environment is honoured too, as in a build)",
    },
    Opt {
        key: Key::Release,
        long: "release",
        short: Some('r'),
        value: None,
        kind: Kind::Flag,
        repeat: false,
        accepts: Accepts::Commands(&["check", "explain"]),
        section: Section::Build,
        help: "decide for the release profile (default: dev), as `cargo build --release`",
    },
    Opt {
        key: Key::Profile,
        long: "profile",
        short: None,
        value: Some("NAME"),
        kind: Kind::Text,
        repeat: false,
        accepts: Accepts::Commands(&["check", "explain"]),
        section: Section::Build,
        help: "decide for this profile: its debug-assertions and panic settings from the \
               workspace root's [profile.NAME], the config files and CARGO_PROFILE_NAME_*",
    },
    Opt {
        key: Key::Features,
        long: "features",
        short: Some('F'),
        value: Some("FEATURES"),
        kind: Kind::List,
        repeat: true,
        accepts: Accepts::Commands(&["check", "explain"]),
        section: Section::Build,
        help: "decide with these features enabled (comma-separated or repeated), and the \
               features they enable",
    },
    Opt {
        key: Key::AllFeatures,
        long: "all-features",
        short: None,
        value: None,
        kind: Kind::Flag,
        repeat: false,
        accepts: Accepts::Commands(&["check", "explain"]),
        section: Section::Build,
        help: "decide with every feature of the package enabled",
    },
    Opt {
        key: Key::NoDefaultFeatures,
        long: "no-default-features",
        short: None,
        value: None,
        kind: Kind::Flag,
        repeat: false,
        accepts: Accepts::Commands(&["check", "explain"]),
        section: Section::Build,
        help: "decide without the default feature",
    },
    Opt {
        key: Key::Config,
        long: "config",
        short: None,
        value: Some("KEY=VALUE|PATH"),
        kind: Kind::Text,
        repeat: true,
        accepts: Accepts::Commands(&["matrix", "check", "explain", "pipeline", "audit", "diff"]),
        section: Section::Build,
        help: "a Cargo configuration value (`build.rustflags = [...]`, `env.NAME = \"...\"`) \
               or file, as `cargo --config` takes it: over the config files (repeatable)",
    },
    Opt {
        key: Key::Jobs,
        long: "jobs",
        short: Some('j'),
        value: Some("N"),
        kind: Kind::Count,
        repeat: false,
        accepts: Accepts::Commands(&["matrix", "check", "explain", "pipeline", "audit", "diff"]),
        section: Section::Compiler,
        help: "compiler processes at once (default: 2 x the CPUs)",
    },
    Opt {
        key: Key::NoCache,
        long: "no-cache",
        short: None,
        value: None,
        kind: Kind::Flag,
        repeat: false,
        accepts: Accepts::Commands(&["matrix", "check", "explain", "pipeline", "audit", "diff"]),
        section: Section::Compiler,
        help: "ask the compiler about every target instead of reading (and writing) the cache \
               of each target's cfg",
    },
    Opt {
        key: Key::RustcTimeout,
        long: "rustc-timeout",
        short: None,
        value: Some("SECONDS"),
        kind: Kind::Seconds,
        repeat: false,
        accepts: Accepts::Commands(&["matrix", "check", "explain", "pipeline", "audit", "diff"]),
        section: Section::Compiler,
        help: "give up on a compiler process that has not answered after SECONDS (default: \
               60)",
    },
    Opt {
        key: Key::Help,
        long: "help",
        short: Some('h'),
        value: None,
        kind: Kind::Flag,
        repeat: true,
        accepts: Accepts::All,
        section: Section::General,
        help: "print this help",
    },
    Opt {
        key: Key::Version,
        long: "version",
        short: Some('V'),
        value: None,
        kind: Kind::Flag,
        repeat: true,
        accepts: Accepts::All,
        section: Section::General,
        help: "print the version",
    },
];

impl Opt {
    fn accepted_by(&self, command: &Subcommand) -> bool {
        match self.accepts {
            Accepts::All => true,
            Accepts::PolicyCommands => command.reads_policy,
            Accepts::Commands(names) => names.contains(&command.name),
        }
    }

    /// `-p, --package <NAME>` or `    --format <FORMAT>`.
    fn synopsis(&self) -> String {
        let short = match self.short {
            Some(c) => format!("-{}, ", c),
            None => "    ".to_string(),
        };
        match self.value {
            Some(v) => format!("{}--{} <{}>", short, self.long, v),
            None => format!("{}--{}", short, self.long),
        }
    }

    /// The subcommands that accept it, for messages.
    fn commands(&self) -> Vec<&'static str> {
        ALL.iter()
            .filter(|c| self.accepted_by(c))
            .map(|c| c.name)
            .collect()
    }
}

/// An option's value, checked against its kind.
#[derive(Debug, Clone)]
pub enum Value {
    Flag,
    Text(String),
    Path(PathBuf),
    Level(Level),
    Levels(Vec<Level>),
    Preset(Preset),
    Count(usize),
    Seconds(Duration),
    List(Vec<String>),
    Format(Format),
    FailOn(FailOn),
}

/// The parsed command line of a subcommand to run.
pub struct Args {
    pub command: &'static Subcommand,
    values: Vec<(Key, Value)>,
    /// The positional arguments, as many as `Subcommand::positionals`
    /// names (`diff OLD NEW`).
    pub positionals: Vec<OsString>,
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

    /// Every name of a list option, over all its occurrences.
    pub fn list(&self, key: Key) -> Vec<String> {
        self.get(key)
            .flat_map(|v| match v {
                Value::List(l) => l.clone(),
                _ => Vec::new(),
            })
            .collect()
    }
}

/// What the command line asks for.
pub enum Parsed {
    /// Print this (help or version) and exit 0.
    Print(String),
    Run(Box<Args>),
}

fn version() -> String {
    format!("cargo-platform-guard {}\n", env!("CARGO_PKG_VERSION"))
}

fn find_command(name: &str) -> Option<&'static Subcommand> {
    ALL.iter().copied().find(|c| c.name == name)
}

fn command_names() -> Vec<&'static str> {
    ALL.iter().map(|c| c.name).collect()
}

fn unknown_command(name: &str) -> Failure {
    let hint = did_you_mean(name, command_names().into_iter().chain(["help"]))
        .map_or_else(String::new, |h| format!(" ({})", h));
    Failure::usage(
        format!(
            "unknown command {:?}{}: expected one of {}",
            name,
            hint,
            command_names().join(", ")
        ),
        None,
    )
}

fn utf8(value: OsString, command: Option<&str>) -> Result<String, Failure> {
    value.into_string().map_err(|v| {
        Failure::usage(
            format!(
                "argument {:?} is not valid UTF-8: expected UTF-8 text",
                v.to_string_lossy()
            ),
            command,
        )
    })
}

/// Parses the arguments after the program name (and after the
/// `platform-guard` that Cargo passes when run as `cargo platform-guard`).
pub fn parse(mut raw: Vec<OsString>) -> Result<Parsed, Failure> {
    if raw.first().is_some_and(|a| a == "platform-guard") {
        raw.remove(0);
    }
    // `--help` anywhere (before `--`) wins over every other mistake: the
    // help of the first subcommand named, else the global help.
    let before_dashes = raw.iter().take_while(|a| *a != "--");
    let mut named = None;
    let mut wants_help = false;
    for a in before_dashes {
        if a == "-h" || a == "--help" {
            wants_help = true;
        } else if named.is_none() {
            named = a.to_str().and_then(find_command);
        }
    }
    if wants_help {
        return Ok(Parsed::Print(named.map_or_else(global_help, command_help)));
    }

    let mut parser = Parser::from_args(raw);
    let mut command: Option<&'static Subcommand> = None;
    let mut given: Vec<(&'static Opt, Value)> = Vec::new();
    let mut positionals = Vec::new();
    let mut help_topic: Option<Option<String>> = None;
    loop {
        let cmd_name = command.map(|c| c.name);
        let arg = match parser.next() {
            Ok(Some(arg)) => arg,
            Ok(None) => break,
            Err(e) => return Err(lexopt_error(e, cmd_name)),
        };
        let opt = match arg {
            Arg::Value(v) => {
                if let Some(topic) = &mut help_topic {
                    if topic.is_none() {
                        *topic = Some(utf8(v, None)?);
                    }
                    continue;
                }
                if command.is_none() && positionals.is_empty() {
                    let name = utf8(v, None)?;
                    if name == "help" {
                        help_topic = Some(None);
                        continue;
                    }
                    command = Some(find_command(&name).ok_or_else(|| unknown_command(&name))?);
                } else {
                    positionals.push(v);
                }
                continue;
            }
            Arg::Long(name) => {
                let name = name.to_string();
                match OPTIONS.iter().find(|o| o.long == name) {
                    Some(o) => o,
                    None => return Err(unknown_option(&format!("--{}", name), command)),
                }
            }
            Arg::Short(c) => match OPTIONS.iter().find(|o| o.short == Some(c)) {
                Some(o) => o,
                None => return Err(unknown_option(&format!("-{}", c), command)),
            },
        };
        let value = match opt.kind {
            Kind::Flag => Value::Flag,
            _ => {
                let raw = parser.value().map_err(|e| lexopt_error(e, cmd_name))?;
                typed(opt, raw, cmd_name)?
            }
        };
        if opt.key == Key::Version {
            return Ok(Parsed::Print(version()));
        }
        if !opt.repeat && given.iter().any(|(o, _)| o.key == opt.key) {
            return Err(Failure::usage(
                format!("option --{} is given twice", opt.long),
                cmd_name,
            ));
        }
        given.push((opt, value));
    }
    if let Some(topic) = help_topic {
        return match topic {
            None => Ok(Parsed::Print(global_help())),
            Some(name) => find_command(&name)
                .map(|c| Parsed::Print(command_help(c)))
                .ok_or_else(|| unknown_command(&name)),
        };
    }
    let command = command.ok_or_else(|| {
        Failure::usage(
            format!(
                "no command given: expected one of {}",
                command_names().join(", ")
            ),
            None,
        )
    })?;
    for (opt, _) in &given {
        if !opt.accepted_by(command) {
            return Err(Failure::usage(
                format!(
                    "option --{} does not apply to `{}`: it is for {}",
                    opt.long,
                    command.name,
                    opt.commands().join(", ")
                ),
                Some(command.name),
            ));
        }
    }
    for (opt, value) in &mut given {
        if let (Kind::Format, Value::Text(text)) = (opt.kind, &*value) {
            let names: Vec<&str> = command.formats.iter().map(|(f, _)| f.as_str()).collect();
            let Some((format, _)) = command.formats.iter().find(|(f, _)| f.as_str() == text) else {
                let hint = did_you_mean(text, names.iter().copied())
                    .map_or_else(String::new, |h| format!(" ({})", h));
                return Err(Failure::usage(
                    format!(
                        "--format: unknown format {:?} for `{}`{}: expected {}",
                        text,
                        command.name,
                        hint,
                        or_list(&names)
                    ),
                    Some(command.name),
                ));
            };
            *value = Value::Format(*format);
        }
    }
    if positionals.len() > command.positionals.len() {
        let extra = &positionals[command.positionals.len()];
        return Err(Failure::usage(
            format!(
                "unexpected argument {:?}: `{}` takes {}",
                extra.to_string_lossy(),
                command.name,
                match command.positionals {
                    [] => "options only".to_string(),
                    names => names.join(" "),
                }
            ),
            Some(command.name),
        ));
    }
    if positionals.len() < command.positionals.len() {
        return Err(Failure::usage(
            format!(
                "`{}` needs {}",
                command.name,
                command.positionals[positionals.len()..].join(" ")
            ),
            Some(command.name),
        ));
    }
    Ok(Parsed::Run(Box::new(Args {
        command,
        values: given.into_iter().map(|(o, v)| (o.key, v)).collect(),
        positionals,
    })))
}

/// The value checked against the option's kind.
fn typed(opt: &Opt, raw: OsString, command: Option<&str>) -> Result<Value, Failure> {
    let bad = |what: String| Failure::usage(format!("--{}: {}", opt.long, what), command);
    if let Kind::Path = opt.kind {
        if raw.is_empty() {
            return Err(bad("expected a path, found an empty value".to_string()));
        }
        return Ok(Value::Path(PathBuf::from(raw)));
    }
    let text = utf8(raw, command)?;
    if let Kind::Format = opt.kind {
        // Checked against the subcommand's formats once it is known.
        return Ok(Value::Text(text));
    }
    let list = |text: &str| -> Result<Vec<String>, Failure> {
        text.split(',')
            .map(|item| {
                let item = item.trim();
                if item.is_empty() {
                    Err(bad(format!(
                        "{:?} has an empty item: expected a comma-separated list",
                        text
                    )))
                } else {
                    Ok(item.to_string())
                }
            })
            .collect()
    };
    Ok(match opt.kind {
        Kind::Flag | Kind::Path | Kind::Format => unreachable!("handled above"),
        Kind::FailOn => match FailOn::ALL.iter().find(|f| f.as_str() == text) {
            Some(f) => Value::FailOn(*f),
            None => {
                let words: Vec<&str> = FailOn::ALL.iter().map(|f| f.as_str()).collect();
                return Err(choice_error(opt, &text, &words, command));
            }
        },
        Kind::Text => Value::Text(text),
        Kind::List => Value::List(list(&text)?),
        Kind::Level => Value::Level(text.parse().map_err(|e| bad(format!("{}", e)))?),
        Kind::Levels => Value::Levels(
            list(&text)?
                .iter()
                .map(|l| l.parse::<Level>())
                .collect::<Result<_, _>>()
                .map_err(|e| bad(format!("{}", e)))?,
        ),
        Kind::Preset => Value::Preset(text.parse().map_err(|e| bad(format!("{}", e)))?),
        Kind::Count => Value::Count(
            text.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| bad(format!("{:?}: expected a whole number of at least 1", text)))?,
        ),
        Kind::Seconds => Value::Seconds(
            text.parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0 && *s <= 1e9)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| bad(format!("{:?}: expected a positive number of seconds", text)))?,
        ),
        Kind::Choice(words) => {
            if !words.contains(&text.as_str()) {
                return Err(choice_error(opt, &text, words, command));
            }
            Value::Text(text)
        }
    })
}

/// `--NAME: unknown NAME "x" (did you mean y?): expected a or b`.
fn choice_error(opt: &Opt, text: &str, words: &[&str], command: Option<&str>) -> Failure {
    let hint =
        did_you_mean(text, words.iter().copied()).map_or_else(String::new, |h| format!(" ({})", h));
    Failure::usage(
        format!(
            "--{}: unknown {} {:?}{}: expected {}",
            opt.long,
            opt.long,
            text,
            hint,
            or_list(words)
        ),
        command,
    )
}

/// `a, b or c`.
fn or_list(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}

fn unknown_option(given: &str, command: Option<&'static Subcommand>) -> Failure {
    // Suggest among the options that apply here first, then all.
    let applies: Vec<String> = OPTIONS
        .iter()
        .filter(|o| command.is_none_or(|c| o.accepted_by(c)))
        .map(|o| format!("--{}", o.long))
        .collect();
    let all: Vec<String> = OPTIONS.iter().map(|o| format!("--{}", o.long)).collect();
    let hint = did_you_mean(given, applies.iter().map(String::as_str))
        .or_else(|| did_you_mean(given, all.iter().map(String::as_str)))
        .map_or_else(String::new, |h| format!(" ({})", h));
    Failure::usage(
        format!("unknown option {:?}{}", given, hint),
        command.map(|c| c.name),
    )
}

fn lexopt_error(e: lexopt::Error, command: Option<&str>) -> Failure {
    let message = match e {
        lexopt::Error::MissingValue { option: Some(o) } => {
            let name = o.trim_start_matches('-');
            let value = OPTIONS
                .iter()
                .find(|opt| opt.long == name || opt.short.is_some_and(|c| c.to_string() == name))
                .and_then(|opt| opt.value)
                .unwrap_or("VALUE");
            format!("option {} needs a value <{}>", o, value)
        }
        lexopt::Error::UnexpectedValue { option, value } => format!(
            "option {} takes no value, found {:?}",
            option,
            value.to_string_lossy()
        ),
        lexopt::Error::NonUnicodeValue(v) => format!(
            "argument {:?} is not valid UTF-8: expected UTF-8 text",
            v.to_string_lossy()
        ),
        other => other.to_string(),
    };
    Failure::usage(message, command)
}

/// Wraps `text` at `width` columns, every line after the first indented by
/// `indent` spaces.
fn wrap(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.len() > width.saturating_sub(indent) {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

const WIDTH: usize = 80;

/// `cargo platform-guard --help`.
pub fn global_help() -> String {
    let mut h = format!(
        "cargo platform-guard {}: check and publish a platform-guard support policy\n\n\
         Usage: cargo platform-guard <COMMAND> [OPTIONS]\n\nCommands:\n",
        env!("CARGO_PKG_VERSION")
    );
    let width = ALL.iter().map(|c| c.name.len()).max().unwrap_or(4).max(4);
    for c in ALL {
        h.push_str(&format!(
            "  {:<w$}  {}\n",
            c.name,
            wrap(c.summary, width + 4, WIDTH),
            w = width
        ));
    }
    h.push_str(&format!(
        "  {:<w$}  print this help, or a command's (help <COMMAND>)\n",
        "help",
        w = width
    ));
    h.push_str("\nOptions:\n");
    for o in OPTIONS.iter().filter(|o| o.section == Section::General) {
        h.push_str(&format!("  {:<17}  {}\n", o.synopsis(), o.help));
    }
    h.push_str(&format!(
        "\n{}\n\n{}\n",
        wrap(
            "See `cargo platform-guard <COMMAND> --help` for each command's options. The policy \
             is the current package's [package.metadata.platform-guard] table (Cargo.toml found \
             as Cargo finds it), a workspace's [workspace.metadata.platform-guard] for members \
             that say `workspace = true`, the default policy for a package that only depends \
             on platform-guard, or --preset.",
            0,
            WIDTH
        ),
        wrap(EXIT_STATUS, 0, WIDTH)
    ));
    h
}

const EXIT_STATUS: &str = "Exit status: 0 success; 1 a denied target (check), a stale page \
                           (doc --check), a denied target a pipeline builds or ships \
                           (pipeline), an unmet requirement of a stable rule (audit) or a \
                           change named by --fail-on (diff); 2 a usage, policy, manifest, \
                           file or compiler error.";

/// `cargo platform-guard <COMMAND> --help`.
pub fn command_help(command: &Subcommand) -> String {
    let mut usage = format!("cargo platform-guard {} [OPTIONS]", command.name);
    for p in command.positionals {
        usage.push_str(&format!(" <{}>", p));
    }
    let mut h = format!(
        "{}\n\nUsage: {}\n\n{}\n",
        wrap(
            &format!("cargo platform-guard {}: {}", command.name, command.summary),
            2,
            WIDTH
        ),
        usage,
        wrap(command.about, 0, WIDTH)
    );
    let opts: Vec<&Opt> = OPTIONS.iter().filter(|o| o.accepted_by(command)).collect();
    let col = opts.iter().map(|o| o.synopsis().len()).max().unwrap_or(0) + 4;
    for section in Section::ALL {
        let here: Vec<&&Opt> = opts.iter().filter(|o| o.section == section).collect();
        if here.is_empty() {
            continue;
        }
        h.push_str(&format!("\n{}:\n", section.title()));
        for o in here {
            let syn = o.synopsis();
            h.push_str(&format!(
                "  {}{}{}\n",
                syn,
                " ".repeat(col - 2 - syn.len()),
                wrap(o.help, col, WIDTH)
            ));
            if o.key == Key::Format {
                for (i, (format, what)) in command.formats.iter().enumerate() {
                    let line = format!(
                        "{}{}: {}",
                        format,
                        if i == 0 { " (the default)" } else { "" },
                        what
                    );
                    h.push_str(&format!(
                        "{}- {}\n",
                        " ".repeat(col),
                        wrap(&line, col + 2, WIDTH)
                    ));
                }
            }
        }
    }
    h.push_str(&format!("\n{}\n", wrap(EXIT_STATUS, 0, WIDTH)));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_declared_once_and_applies_somewhere() {
        for (i, o) in OPTIONS.iter().enumerate() {
            assert!(
                OPTIONS[..i]
                    .iter()
                    .all(|p| p.long != o.long && p.key != o.key),
                "--{} declared twice",
                o.long
            );
            if let Some(c) = o.short {
                assert!(OPTIONS[..i].iter().all(|p| p.short != Some(c)), "-{}", c);
            }
            assert!(
                !o.commands().is_empty(),
                "--{} applies to no command",
                o.long
            );
            assert_eq!(
                o.value.is_none(),
                matches!(o.kind, Kind::Flag),
                "--{}",
                o.long
            );
            if let Accepts::Commands(names) = o.accepts {
                for n in names {
                    assert!(find_command(n).is_some(), "--{}: no command {}", o.long, n);
                }
            }
        }
    }

    #[test]
    fn help_lines_fit_the_terminal() {
        for c in ALL {
            for line in command_help(c).lines().chain(global_help().lines()) {
                assert!(line.chars().count() <= WIDTH, "{:?}", line);
            }
        }
    }

    #[test]
    fn lists_and_repeats_add_up() {
        let args: Vec<OsString> = [
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
        let Parsed::Run(args) = parse(args).unwrap_or_else(|f| panic!("{}", f)) else {
            panic!("expected a command to run")
        };
        assert_eq!(args.list(Key::Target), ["a", "b", "c"]);
        assert_eq!(args.texts(Key::Package), ["one", "two"]);
    }
}
