//! The subcommands, one file each, listed in [`ALL`]. A subcommand is a
//! [`Subcommand`]: its name, its help, whether it reads a policy (then the
//! policy options of `args::OPTIONS` apply to it), its positional
//! arguments, and the function that runs it. Helpers the subcommands share
//! live here.

use platform_guard::{BuildDecision, BuildEnv, Policy, TargetCfg, Verdict};

use crate::args::{Args, Key};
use crate::source::Source;
use crate::{Context, Failure, Report};

mod check;
mod doc;
mod explain;
mod matrix;

/// One subcommand.
pub struct Subcommand {
    pub name: &'static str,
    /// One line, for the list of commands.
    pub summary: &'static str,
    /// The paragraph of its `--help`.
    pub about: &'static str,
    /// Whether the policy options (`--manifest-path`, `-p`, `--preset`,
    /// ...) apply.
    pub reads_policy: bool,
    /// Its positional arguments' names, all required.
    pub positionals: &'static [&'static str],
    pub run: fn(&Context, &Args) -> Result<Report, Failure>,
}

/// Every subcommand, in the order the help lists them.
pub const ALL: &[&Subcommand] = &[
    &matrix::COMMAND,
    &check::COMMAND,
    &explain::COMMAND,
    &doc::COMMAND,
];

/// `--jobs`, else twice the CPUs.
pub fn jobs(args: &Args) -> usize {
    args.count(Key::Jobs).unwrap_or_else(|| {
        2 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}

/// `rule `...`` or `no rule matched`.
pub fn why(verdict: &Verdict) -> String {
    match verdict.rule() {
        Some(rule) => format!("rule `{}`", rule),
        None => "no rule matched".to_string(),
    }
}

/// What a build of the verdict's target would do in this environment,
/// decided by the function the build script uses.
pub fn decide(
    policy: &Policy,
    verdict: &Verdict,
    env: &BuildEnv,
) -> Result<BuildDecision, Failure> {
    Ok(policy.build_decision(verdict, env)?)
}

/// `allowed`, `lifted` or `denied`.
pub fn build_word(decision: &BuildDecision) -> &'static str {
    match decision {
        BuildDecision::Allowed => "allowed",
        BuildDecision::Lifted { .. } => "lifted",
        _ => "denied",
    }
}

/// The heading of one package's part of the output, when there are
/// several.
pub fn heading(source: &Source) -> String {
    format!(
        "package {}: {}",
        source.package.as_deref().unwrap_or("(none)"),
        source.describe()
    )
}

/// The indexes of the rules that match none of `targets`.
pub fn unmatched(policy: &Policy, targets: &[&TargetCfg]) -> Vec<usize> {
    policy
        .rules()
        .iter()
        .enumerate()
        .filter(|(_, r)| !targets.iter().any(|t| r.cfg().matches(t)))
        .map(|(i, _)| i)
        .collect()
}

/// One warning line per rule that matches no target the compiler knows.
pub fn warn_unmatched(
    ctx: &Context,
    source: &Source,
    rules: &[usize],
    release: &str,
    count: usize,
) {
    for &i in rules {
        let rule = &source.policy.rules()[i];
        ctx.warn(&format!(
            "{}rule {} ({} `{}`) matches none of the {} targets rustc {} knows: a misspelt name \
             or value?",
            source
                .package
                .as_deref()
                .map_or_else(String::new, |p| format!("{}: ", p)),
            i + 1,
            rule.level(),
            rule.cfg(),
            count,
            release
        ));
    }
}

/// cfg names whose value depends on how Cargo compiles the crate, not
/// only on the target.
const BUILD_DEPENDENT: &[&str] = &[
    "debug_assertions",
    "test",
    "doc",
    "doctest",
    "miri",
    "proc_macro",
    "panic",
    "overflow_checks",
];

/// Says so when a rule tests a name the command cannot know for a build.
pub fn note_build_dependent(ctx: &Context, sources: &[Source]) {
    for s in sources {
        for name in s.policy.cfg_names() {
            if BUILD_DEPENDENT.contains(&name) {
                ctx.note(&format!(
                    "{}a rule tests `{}`, which depends on how Cargo compiles the crate (profile, \
                     test or doc build), not only on the target: classified with the value \
                     `rustc --print cfg` reports for the target and its rustflags",
                    s.package
                        .as_deref()
                        .map_or_else(String::new, |p| format!("{}: ", p)),
                    name
                ));
            }
        }
    }
}
