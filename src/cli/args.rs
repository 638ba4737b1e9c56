//! Hand-written argument parsing (no dependency): `--name value`,
//! `--name=value`, options before or after the command.

use std::ffi::OsString;
use std::path::PathBuf;

use platform_guard::{Level, Preset};

use super::Failure;

pub const USAGE: &str = "\
cargo platform-guard: read, check and publish a platform-guard policy

Usage: cargo platform-guard <COMMAND> [OPTIONS]

Commands:
  matrix    classify every target rustc knows (`rustc --print target-list`)
  check     exit 0 if every --target would build, 1 if one is denied
  explain   show how the policy classifies one --target
  doc       print the \"Supported systems\" page in Markdown

Policy (one of):
  --manifest-path <PATH>   read [package.metadata.platform-guard] from PATH
                           (default: ./Cargo.toml)
  --preset <etcd|default>  use a built-in policy
Policy adjustments:
  --override-var <NAME>    the override variable (with --preset default:
                           default PLATFORM_GUARD_UNSUPPORTED_ARCH)
  --deny <LEVEL>           deny LEVEL and every less-supported level, as
                           the policy's `deny` (PLATFORM_GUARD_DENY in the
                           environment is honoured too, as in a build)

matrix:
  --format <table|markdown|json|github>   output format (default: table);
                           github: a GitHub Actions `include:` matrix (one
                           line of JSON) of the targets whose build is allowed
  --level <LEVEL,...>      only targets at these levels
  --jobs <N>               rustc processes at once (default: 2 x CPUs)
check, explain:
  --target <TRIPLE>        a target (check: repeatable)
doc:
  --check <FILE>           exit 1 if FILE differs from the generated page
  --name <NAME>            the project's name in the page (default: the
                           manifest's package.name, or etcd for --preset etcd)

Exit status: 0 success; 1 a target is denied (check) or FILE differs
(doc --check); 2 a usage, policy or rustc error.
The rustc used is $RUSTC, else `rustc` on PATH (as Cargo finds it).";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Matrix,
    Check,
    Explain,
    Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Github,
}

#[derive(Debug)]
pub struct Args {
    pub command: Command,
    pub manifest_path: Option<PathBuf>,
    pub preset: Option<Preset>,
    pub override_var: Option<String>,
    pub deny: Option<Level>,
    pub format: Format,
    pub levels: Option<Vec<Level>>,
    pub jobs: Option<usize>,
    pub targets: Vec<String>,
    pub check_file: Option<PathBuf>,
    pub name: Option<String>,
}

pub enum Parsed {
    Run(Box<Args>),
    Help,
    Version,
}

fn usage(message: String) -> Failure {
    Failure::usage(format!(
        "{}\nRun `cargo platform-guard --help` for the options.",
        message
    ))
}

/// Parses the arguments after the program name (and after the
/// `platform-guard` that Cargo passes when run as `cargo platform-guard`).
pub fn parse(args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut args: Vec<String> = args
        .into_iter()
        .map(|a| {
            a.into_string().map_err(|a| {
                usage(format!(
                    "argument {:?} is not valid UTF-8: expected UTF-8 text",
                    a.to_string_lossy()
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    if args.first().map(String::as_str) == Some("platform-guard") {
        args.remove(0);
    }
    let mut command = None;
    let mut manifest_path = None;
    let mut preset = None;
    let mut override_var = None;
    let mut deny = None;
    let mut format = None;
    let mut levels = None;
    let mut jobs = None;
    let mut targets = Vec::new();
    let mut check_file = None;
    let mut name = None;

    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" || arg == "help" {
            return Ok(Parsed::Help);
        }
        if arg == "-V" || arg == "--version" {
            return Ok(Parsed::Version);
        }
        if !arg.starts_with('-') || arg == "-" {
            if command.is_some() {
                return Err(usage(format!("unexpected argument {:?}", arg)));
            }
            command = Some(match arg.as_str() {
                "matrix" => Command::Matrix,
                "check" => Command::Check,
                "explain" => Command::Explain,
                "doc" => Command::Doc,
                other => {
                    return Err(usage(format!(
                        "unknown command {:?}: expected matrix, check, explain or doc",
                        other
                    )))
                }
            });
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let known = [
            "--manifest-path",
            "--preset",
            "--override-var",
            "--deny",
            "--format",
            "--level",
            "--jobs",
            "--target",
            "--check",
            "--name",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(usage(format!("unknown option {:?}", flag)));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .ok_or_else(|| usage(format!("option {} needs a value", flag)))?,
        };
        let once = |slot_is_set: bool| {
            if slot_is_set {
                Err(usage(format!("option {} is given twice", flag)))
            } else {
                Ok(())
            }
        };
        match flag.as_str() {
            "--manifest-path" => {
                once(manifest_path.is_some())?;
                manifest_path = Some(PathBuf::from(value));
            }
            "--preset" => {
                once(preset.is_some())?;
                preset = Some(
                    value
                        .parse::<Preset>()
                        .map_err(|e| usage(format!("--preset: {}", e)))?,
                );
            }
            "--override-var" => {
                once(override_var.is_some())?;
                override_var = Some(value);
            }
            "--deny" => {
                once(deny.is_some())?;
                deny = Some(
                    value
                        .parse::<Level>()
                        .map_err(|e| usage(format!("--deny: {}", e)))?,
                );
            }
            "--format" => {
                once(format.is_some())?;
                format = Some(match value.as_str() {
                    "table" => Format::Table,
                    "markdown" => Format::Markdown,
                    "json" => Format::Json,
                    "github" => Format::Github,
                    _ => {
                        return Err(usage(format!(
                            "unknown format {:?}: expected table, markdown, json or github",
                            value
                        )))
                    }
                });
            }
            "--level" => {
                once(levels.is_some())?;
                let list = value
                    .split(',')
                    .map(|l| l.trim().parse::<Level>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| usage(format!("--level: {}", e)))?;
                levels = Some(list);
            }
            "--jobs" => {
                once(jobs.is_some())?;
                jobs = Some(
                    value
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| {
                            usage(format!(
                                "--jobs {:?}: expected a positive whole number",
                                value
                            ))
                        })?,
                );
            }
            "--target" => targets.push(value),
            "--check" => {
                once(check_file.is_some())?;
                check_file = Some(PathBuf::from(value));
            }
            "--name" => {
                once(name.is_some())?;
                name = Some(value);
            }
            _ => unreachable!("every known option is handled"),
        }
    }
    let command = command.ok_or_else(|| {
        usage("no command given: expected matrix, check, explain or doc".to_string())
    })?;
    if manifest_path.is_some() && preset.is_some() {
        return Err(usage(
            "--manifest-path and --preset both name a policy: give one".to_string(),
        ));
    }
    let allowed: &[&str] = match command {
        Command::Matrix => &["--format", "--level", "--jobs"],
        Command::Check => &["--target"],
        Command::Explain => &["--target"],
        Command::Doc => &["--check", "--name"],
    };
    for (flag, given) in [
        ("--format", format.is_some()),
        ("--level", levels.is_some()),
        ("--jobs", jobs.is_some()),
        ("--target", !targets.is_empty()),
        ("--check", check_file.is_some()),
        ("--name", name.is_some()),
    ] {
        if given && !allowed.contains(&flag) {
            return Err(usage(format!(
                "option {} does not apply to this command",
                flag
            )));
        }
    }
    match command {
        Command::Check if targets.is_empty() => {
            return Err(usage(
                "check needs at least one --target <TRIPLE>".to_string(),
            ))
        }
        Command::Explain if targets.len() != 1 => {
            return Err(usage(
                "explain needs exactly one --target <TRIPLE>".to_string(),
            ))
        }
        _ => {}
    }
    Ok(Parsed::Run(Box::new(Args {
        command,
        manifest_path,
        preset,
        override_var,
        deny,
        format: format.unwrap_or(Format::Table),
        levels,
        jobs,
        targets,
        check_file,
        name,
    })))
}
