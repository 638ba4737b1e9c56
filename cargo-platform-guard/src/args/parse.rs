//! The command line read with `lexopt` and checked against the options
//! and the subcommands: each value against its option's kind, each option
//! against the subcommand, the positional arguments against its names.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use lexopt::{Arg, Parser};
use platform_guard::suggest::did_you_mean;
use platform_guard::Level;

use super::help::{command_help, global_help};
use super::options::{FailOn, Key, Opt, ValueKind, OPTIONS};
use super::{Args, Parsed, Subcommand, Value};
use crate::context::{ColorChoice, Failure};

/// The subcommands, as the parser is given them.
type Commands = &'static [&'static Subcommand];

/// What the loop over the arguments collected.
struct Collected {
    command: Option<&'static Subcommand>,
    given: Vec<(&'static Opt, Value)>,
    positionals: Vec<OsString>,
    /// `help` was the command: its topic, if one was named.
    help_topic: Option<Option<String>>,
}

/// Parses the arguments after the program name (and after the
/// `platform-guard` that Cargo passes when run as `cargo platform-guard`).
pub fn parse(mut raw: Vec<OsString>, all: Commands) -> Result<Parsed, Failure> {
    if raw.first().is_some_and(|a| a == "platform-guard") {
        raw.remove(0);
    }
    if let Some(help) = help_wanted(&raw, all) {
        return Ok(Parsed::Print(help));
    }
    let c = match collect(raw, all)? {
        Ok(c) => c,
        Err(print) => return Ok(Parsed::Print(print)),
    };
    if let Some(topic) = c.help_topic {
        return match topic {
            None => Ok(Parsed::Print(global_help(all))),
            Some(name) => find(all, &name)
                .map(|c| Parsed::Print(command_help(c)))
                .ok_or_else(|| unknown_command(all, &name)),
        };
    }
    let command = c.command.ok_or_else(|| {
        Failure::usage(
            format!(
                "no command given: expected one of {}",
                names(all).join(", ")
            ),
            None,
        )
    })?;
    let mut c = c;
    check_options(all, command, &c.given)?;
    type_formats(command, &mut c.given)?;
    check_positionals(command, &c.positionals)?;
    Ok(Parsed::Run(Box::new(Args {
        command,
        values: c.given.into_iter().map(|(o, v)| (o.key, v)).collect(),
        positionals: c.positionals,
    })))
}

/// `--color`'s value read ahead of the parse, so that an error in the
/// other arguments is printed in the colour asked for (a value that is not
/// a colour choice is ignored here; the parse names it).
pub fn color_ahead(raw: &[OsString]) -> Option<ColorChoice> {
    let mut words = raw
        .iter()
        .take_while(|a| *a != "--")
        .filter_map(|a| a.to_str());
    let mut found = None;
    while let Some(w) = words.next() {
        let value = match w.strip_prefix("--color") {
            Some("") => words.next(),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        if let Some(c) = value.and_then(ColorChoice::from_word) {
            found = Some(c);
        }
    }
    found
}

/// `--help` anywhere (before `--`) wins over every other mistake: the
/// help of the first subcommand named, else the global help.
fn help_wanted(raw: &[OsString], all: Commands) -> Option<String> {
    let mut named = None;
    let mut wants_help = false;
    for a in raw.iter().take_while(|a| *a != "--") {
        if a == "-h" || a == "--help" {
            wants_help = true;
        } else if named.is_none() {
            named = a.to_str().and_then(|n| find(all, n));
        }
    }
    wants_help.then(|| named.map_or_else(|| global_help(all), command_help))
}

/// Every argument read and typed; `Err(text)` when one asks to print
/// something instead (`--version`).
fn collect(raw: Vec<OsString>, all: Commands) -> Result<Result<Collected, String>, Failure> {
    let mut parser = Parser::from_args(raw);
    let mut c = Collected {
        command: None,
        given: Vec::new(),
        positionals: Vec::new(),
        help_topic: None,
    };
    loop {
        let cmd_name = c.command.map(|c| c.name);
        let arg = match parser.next() {
            Ok(Some(arg)) => arg,
            Ok(None) => break,
            Err(e) => return Err(lexopt_error(e, cmd_name)),
        };
        let opt = match arg {
            Arg::Value(v) => {
                positional(&mut c, v, all)?;
                continue;
            }
            Arg::Long(name) => {
                let name = name.to_string();
                OPTIONS
                    .iter()
                    .find(|o| o.long == name)
                    .ok_or_else(|| unknown_option(all, &format!("--{}", name), c.command))?
            }
            Arg::Short(s) => OPTIONS
                .iter()
                .find(|o| o.short == Some(s))
                .ok_or_else(|| unknown_option(all, &format!("-{}", s), c.command))?,
        };
        let value = match opt.kind {
            ValueKind::Flag => Value::Flag,
            _ => {
                let raw = parser.value().map_err(|e| lexopt_error(e, cmd_name))?;
                typed(opt, raw, cmd_name)?
            }
        };
        if opt.key == Key::Version {
            return Ok(Err(version()));
        }
        if !opt.repeat && c.given.iter().any(|(o, _)| o.key == opt.key) {
            return Err(Failure::usage(
                format!("option --{} is given twice", opt.long),
                cmd_name,
            ));
        }
        c.given.push((opt, value));
    }
    Ok(Ok(c))
}

/// A word that is not an option: the subcommand, `help`'s topic, or a
/// positional argument.
fn positional(c: &mut Collected, v: OsString, all: Commands) -> Result<(), Failure> {
    if let Some(topic) = &mut c.help_topic {
        if topic.is_none() {
            *topic = Some(utf8(v, None)?);
        }
        return Ok(());
    }
    if c.command.is_none() && c.positionals.is_empty() {
        let name = utf8(v, None)?;
        if name == "help" {
            c.help_topic = Some(None);
            return Ok(());
        }
        c.command = Some(find(all, &name).ok_or_else(|| unknown_command(all, &name))?);
    } else {
        c.positionals.push(v);
    }
    Ok(())
}

/// Each option given applies to the subcommand, `-q` and `-v` are not
/// both given, and `--format` names one of the subcommand's formats.
fn check_options(
    all: Commands,
    command: &Subcommand,
    given: &[(&'static Opt, Value)],
) -> Result<(), Failure> {
    for (opt, _) in given {
        if !command.takes(opt.key) {
            let takers: Vec<&str> = all
                .iter()
                .filter(|c| c.takes(opt.key))
                .map(|c| c.name)
                .collect();
            return Err(Failure::usage(
                format!(
                    "option --{} does not apply to `{}`: it is for {}",
                    opt.long,
                    command.name,
                    takers.join(", ")
                ),
                Some(command.name),
            ));
        }
    }
    let has = |key: Key| given.iter().any(|(o, _)| o.key == key);
    if has(Key::Quiet) && has(Key::Verbose) {
        return Err(Failure::usage(
            "--quiet and --verbose both given: choose one",
            Some(command.name),
        ));
    }
    Ok(())
}

/// `--format`'s value, checked against the subcommand's formats and
/// typed.
fn type_formats(command: &Subcommand, given: &mut [(&'static Opt, Value)]) -> Result<(), Failure> {
    for (opt, value) in given.iter_mut() {
        let (ValueKind::Format, Value::Text(text)) = (opt.kind, &*value) else {
            continue;
        };
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
    Ok(())
}

/// As many positional arguments as the subcommand names (a last name
/// ending in `...`, such as `FILE...`, takes one or more).
fn check_positionals(command: &Subcommand, positionals: &[OsString]) -> Result<(), Failure> {
    let repeats = command
        .positionals
        .last()
        .is_some_and(|p| p.ends_with("..."));
    if let (Some(extra), false) = (positionals.get(command.positionals.len()), repeats) {
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
    Ok(())
}

fn version() -> String {
    format!("cargo-platform-guard {}\n", env!("CARGO_PKG_VERSION"))
}

fn find(all: Commands, name: &str) -> Option<&'static Subcommand> {
    all.iter().copied().find(|c| c.name == name)
}

fn names(all: Commands) -> Vec<&'static str> {
    all.iter().map(|c| c.name).collect()
}

fn unknown_command(all: Commands, name: &str) -> Failure {
    let hint = did_you_mean(name, names(all).into_iter().chain(["help"]))
        .map_or_else(String::new, |h| format!(" ({})", h));
    Failure::usage(
        format!(
            "unknown command {:?}{}: expected one of {}",
            name,
            hint,
            names(all).join(", ")
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

/// The value checked against the option's kind.
fn typed(opt: &Opt, raw: OsString, command: Option<&str>) -> Result<Value, Failure> {
    let bad = |what: String| Failure::usage(format!("--{}: {}", opt.long, what), command);
    if let ValueKind::Path = opt.kind {
        if raw.is_empty() {
            return Err(bad("expected a path, found an empty value".to_string()));
        }
        return Ok(Value::Path(PathBuf::from(raw)));
    }
    let text = utf8(raw, command)?;
    Ok(match opt.kind {
        ValueKind::Flag | ValueKind::Path => unreachable!("handled above"),
        // Checked against the subcommand's formats once it is known.
        ValueKind::Format | ValueKind::Text => Value::Text(text),
        ValueKind::List => Value::List(list(&text).map_err(bad)?),
        ValueKind::Level => Value::Level(text.parse().map_err(|e| bad(format!("{}", e)))?),
        ValueKind::Levels => Value::Levels(
            list(&text)
                .map_err(bad)?
                .iter()
                .map(|l| l.parse::<Level>())
                .collect::<Result<_, _>>()
                .map_err(|e| bad(format!("{}", e)))?,
        ),
        ValueKind::Preset => Value::Preset(text.parse().map_err(|e| bad(format!("{}", e)))?),
        ValueKind::Count => Value::Count(
            text.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| bad(format!("{:?}: expected a whole number of at least 1", text)))?,
        ),
        ValueKind::Seconds => Value::Seconds(
            text.parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0 && *s <= 1e9)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| bad(format!("{:?}: expected a positive number of seconds", text)))?,
        ),
        ValueKind::Choice(words) => Value::Text(choice(opt, &text, words).map_err(bad)?),
        ValueKind::FailOn => {
            let words: Vec<&str> = FailOn::ALL.iter().map(|f| f.as_str()).collect();
            choice(opt, &text, &words).map_err(bad)?;
            match FailOn::ALL.iter().find(|f| f.as_str() == text) {
                Some(f) => Value::FailOn(*f),
                None => unreachable!("checked against FailOn::ALL"),
            }
        }
        ValueKind::Color => {
            let words: Vec<&str> = ColorChoice::ALL.iter().map(|(_, w)| *w).collect();
            choice(opt, &text, &words).map_err(bad)?;
            match ColorChoice::from_word(&text) {
                Some(c) => Value::Color(c),
                None => unreachable!("checked against ColorChoice::ALL"),
            }
        }
    })
}

/// A comma-separated list, without empty items.
fn list(text: &str) -> Result<Vec<String>, String> {
    text.split(',')
        .map(|item| {
            let item = item.trim();
            if item.is_empty() {
                Err(format!(
                    "{:?} has an empty item: expected a comma-separated list",
                    text
                ))
            } else {
                Ok(item.to_string())
            }
        })
        .collect()
}

/// `text` if it is one of `words`.
fn choice(opt: &Opt, text: &str, words: &[&str]) -> Result<String, String> {
    if words.contains(&text) {
        return Ok(text.to_string());
    }
    let hint =
        did_you_mean(text, words.iter().copied()).map_or_else(String::new, |h| format!(" ({})", h));
    Err(format!(
        "unknown {} {:?}{}: expected {}",
        opt.long,
        text,
        hint,
        or_list(words)
    ))
}

/// `a, b or c`.
pub fn or_list(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}

fn unknown_option(all: Commands, given: &str, command: Option<&'static Subcommand>) -> Failure {
    // Suggest among the options that apply here first, then all.
    let applies: Vec<String> = OPTIONS
        .iter()
        .filter(|o| command.is_none_or(|c| c.takes(o.key)))
        .map(|o| format!("--{}", o.long))
        .collect();
    let every: Vec<String> = OPTIONS
        .iter()
        .filter(|o| all.iter().any(|c| c.takes(o.key)))
        .map(|o| format!("--{}", o.long))
        .collect();
    let hint = did_you_mean(given, applies.iter().map(String::as_str))
        .or_else(|| did_you_mean(given, every.iter().map(String::as_str)))
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
