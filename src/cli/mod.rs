//! `cargo platform-guard`: read, check and publish a platform-guard policy
//! without writing Rust. The binary is thin: every classification goes
//! through the library's pure `Policy::classify` (fed by
//! `TargetCfg::from_rustc_cfg`), and every build decision through
//! `Policy::build_decision`, the function the build script uses.
//!
//! Exit status: 0 success, 1 a denied target (`check`) or a stale document
//! (`doc --check`), 2 a usage, policy or rustc error.

mod args;
mod doc;
mod matrix;
mod rustc;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use platform_guard::{BuildDecision, BuildEnv, ManifestPolicy, Policy, TargetCfg, Verdict};

use args::{Args, Command, Parsed};
use rustc::Rustc;

/// Why the command stops: the exit status and the message for stderr.
#[derive(Debug)]
pub struct Failure {
    code: i32,
    message: String,
}

impl Failure {
    /// A usage, policy or rustc error: exit status 2.
    fn error(message: String) -> Failure {
        Failure { code: 2, message }
    }

    fn usage(message: String) -> Failure {
        Failure::error(message)
    }
}

impl From<platform_guard::Error> for Failure {
    fn from(e: platform_guard::Error) -> Failure {
        Failure::error(e.to_string())
    }
}

/// The policy and what the `doc` page says besides it.
pub struct Source {
    pub policy: Policy,
    pub project: String,
    pub known_issues: Vec<String>,
}

/// Runs the command line on `args` (without the program name) and returns
/// the exit status.
pub fn main(args: Vec<OsString>) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match args::parse(args) {
        Ok(Parsed::Help) => writeln!(out, "{}", args::USAGE)
            .map(|()| 0)
            .map_err(write_failure),
        Ok(Parsed::Version) => writeln!(out, "cargo-platform-guard {}", env!("CARGO_PKG_VERSION"))
            .map(|()| 0)
            .map_err(write_failure),
        Ok(Parsed::Run(args)) => run(&args, &mut out),
        Err(f) => Err(f),
    };
    let flushed = out.flush();
    match result {
        Ok(code) => match flushed {
            Ok(()) => code,
            Err(e) => report(&write_failure(e)),
        },
        Err(f) => report(&f),
    }
}

fn report(f: &Failure) -> i32 {
    let _ = writeln!(
        std::io::stderr(),
        "cargo-platform-guard: error: {}",
        f.message
    );
    f.code
}

fn write_failure(e: std::io::Error) -> Failure {
    Failure::error(format!("cannot write the output: {}", e))
}

fn run(args: &Args, out: &mut dyn Write) -> Result<i32, Failure> {
    let source = load(args)?;
    match args.command {
        Command::Doc => doc::run(&source, args.check_file.as_deref(), out),
        Command::Matrix => matrix::run(&source.policy, args, out),
        Command::Check => check(&source.policy, &args.targets, out),
        Command::Explain => explain(&source.policy, &args.targets[0], out),
    }
}

/// The policy from `--preset` or `--manifest-path` (default
/// `./Cargo.toml`), adjusted by `--override-var` and `--deny`.
fn load(args: &Args) -> Result<Source, Failure> {
    let mut source = match args.preset {
        Some(preset) => Source {
            policy: preset.policy(
                args.override_var
                    .as_deref()
                    .or(preset.override_var())
                    .unwrap_or("PLATFORM_GUARD_UNSUPPORTED_ARCH"),
            ),
            project: preset.project().unwrap_or("this project").to_string(),
            known_issues: preset
                .known_issues()
                .iter()
                .map(|s| s.to_string())
                .collect(),
        },
        None => {
            let path = args
                .manifest_path
                .clone()
                .unwrap_or_else(|| PathBuf::from("Cargo.toml"));
            if args.manifest_path.is_none() && !path.exists() {
                return Err(Failure::error(
                    "no Cargo.toml in the current directory: expected --manifest-path <PATH> \
                     (a Cargo.toml with a [package.metadata.platform-guard] table) or --preset \
                     etcd|default"
                        .to_string(),
                ));
            }
            let manifest = ManifestPolicy::read(&path)?;
            let project = match manifest.package_name() {
                "" => "this project".to_string(),
                name => name.to_string(),
            };
            Source {
                project,
                known_issues: manifest.known_issues().to_vec(),
                policy: manifest.into_policy(),
            }
        }
    };
    if let (Some(var), None) = (&args.override_var, args.preset) {
        source.policy = source.policy.with_override_var(var.as_str());
    }
    if let Some(level) = args.deny {
        source.policy = source.policy.deny(level);
    }
    if let Some(name) = &args.name {
        source.project = name.clone();
    }
    source.policy.validate()?;
    Ok(source)
}

/// Checks that every name is a target rustc knows (a path to a custom
/// target `.json` is passed to rustc as is); suggests the nearest names.
fn known_targets(rustc: &Rustc, names: &[String]) -> Result<(), Failure> {
    let list = rustc.target_list()?;
    for name in names {
        if name.ends_with(".json") || list.iter().any(|t| t == name) {
            continue;
        }
        let near = rustc::nearest(name, &list);
        let hint = if near.is_empty() {
            "see `rustc --print target-list`".to_string()
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        return Err(Failure::error(format!(
            "unknown target {:?}: rustc does not list it in `--print target-list`; {}",
            name, hint
        )));
    }
    Ok(())
}

/// The build decision for one target, read from the process environment as
/// the build script reads its own (`PLATFORM_GUARD_DENY`, the override
/// variable, `DOCS_RS`).
pub fn decide(
    policy: &Policy,
    verdict: &Verdict,
    env: &BuildEnv,
) -> Result<BuildDecision, Failure> {
    Ok(policy.build_decision(verdict, env)?)
}

/// `(rule `...`)` or `(no rule matched)`.
pub fn why(verdict: &Verdict) -> String {
    match verdict.rule() {
        Some(rule) => format!("rule `{}`", rule),
        None => "no rule matched".to_string(),
    }
}

fn check(policy: &Policy, targets: &[String], out: &mut dyn Write) -> Result<i32, Failure> {
    let env = BuildEnv::from_process();
    let rustc = Rustc::from_env(&env).resolve()?;
    known_targets(&rustc, targets)?;
    let cfgs = rustc.cfgs(targets, 4)?;
    let mut lines = Vec::new();
    let mut denied = false;
    for cfg in &cfgs {
        let verdict = policy.classify(cfg);
        let line = match decide(policy, &verdict, &env)? {
            BuildDecision::Allowed => format!(
                "{}: allowed: {} ({})",
                verdict.target(),
                verdict.level(),
                why(&verdict)
            ),
            lifted @ BuildDecision::Lifted { .. } => {
                format!("{}: allowed, denial lifted: {}", verdict.target(), lifted)
            }
            BuildDecision::Denied(d) => {
                denied = true;
                format!("{}: denied: {}", verdict.target(), d)
            }
            _ => format!("{}: undecided", verdict.target()),
        };
        lines.push(line);
    }
    for line in lines {
        writeln!(out, "{}", line).map_err(write_failure)?;
    }
    Ok(if denied { 1 } else { 0 })
}

/// The cfg names `explain` shows: the usual ones and every name the rules
/// mention.
fn relevant_names(policy: &Policy) -> Vec<String> {
    let mut names: Vec<String> = [
        "target_arch",
        "target_os",
        "target_family",
        "target_env",
        "target_abi",
        "target_vendor",
        "target_pointer_width",
        "target_endian",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for name in policy.cfg_names() {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

fn explain(policy: &Policy, target: &str, out: &mut dyn Write) -> Result<i32, Failure> {
    let env = BuildEnv::from_process();
    let rustc = Rustc::from_env(&env).resolve()?;
    known_targets(&rustc, &[target.to_string()])?;
    let cfg: TargetCfg = rustc.cfg(target)?;
    let verdict = policy.classify(&cfg);
    let decision = decide(policy, &verdict, &env)?;
    let mut text = String::new();
    text.push_str(&format!("target: {}\n", verdict.target()));
    text.push_str("cfg values the policy can look at:\n");
    for name in relevant_names(policy) {
        let values: Vec<String> = cfg
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(n, v)| match v {
                Some(v) => format!("{} = {:?}", n, v),
                None => n.to_string(),
            })
            .collect();
        if values.is_empty() {
            text.push_str(&format!("  {}: not set\n", name));
        } else {
            for v in values {
                text.push_str(&format!("  {}\n", v));
            }
        }
    }
    if policy.rules().is_empty() {
        text.push_str("rules: none\n");
    } else {
        text.push_str("rules, tried in order (the first match wins):\n");
    }
    let mut first = true;
    for (i, rule) in policy.rules().iter().enumerate() {
        let matched = rule.cfg().matches(&cfg);
        let mark = match (matched, first) {
            (true, true) => {
                first = false;
                "yes (first match)"
            }
            (true, false) => "yes (not reached)",
            (false, _) => "no",
        };
        text.push_str(&format!(
            "  {}. {} `{}`: matched {}\n",
            i + 1,
            rule.level(),
            rule.cfg(),
            mark
        ));
    }
    text.push_str(&format!(
        "verdict: {} ({})\n",
        verdict.level(),
        why(&verdict)
    ));
    let run = if verdict.level().refuses_to_run() {
        format!(
            "refuses to start unless {}={} is set",
            verdict.override_var(),
            verdict.override_value()
        )
    } else {
        "runs".to_string()
    };
    text.push_str(&format!("run: {}\n", run));
    let build = match &decision {
        BuildDecision::Allowed => "allowed".to_string(),
        lifted @ BuildDecision::Lifted { .. } => format!("allowed, denial lifted: {}", lifted),
        BuildDecision::Denied(d) => format!("denied: {}", d),
        _ => "undecided".to_string(),
    };
    text.push_str(&format!("build: {}\n", build));
    text.push_str(&format!(
        "override: {}={} (exactly this value lifts a refusal or a denial)\n",
        verdict.override_var(),
        verdict.override_value()
    ));
    out.write_all(text.as_bytes()).map_err(write_failure)?;
    Ok(0)
}
