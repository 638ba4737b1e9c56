//! `check`: would a build for each target be allowed?

use std::fmt::Write as _;

use platform_guard::{BuildDecision, Level};
use serde::Serialize;

use super::{
    build_decision, compile_of, heading, jobs, named_targets, tests_compile, unmatched,
    warn_unmatched, Subcommand,
};
use crate::args::{self, Args, Key};
use crate::compile::Compile;
use crate::context::{Context, Failure, Output};
use crate::policies::PackagePolicy;
use crate::report::{self, json, Build, Format};
use crate::toolchain::BuildTarget;

pub const COMMAND: Subcommand = Subcommand {
    name: "check",
    summary: "exit 0 when each target's build would be allowed, 1 when one is denied",
    about: "Decides for each target (default: Cargo's build.target, else the host) exactly as \
            the build script does, with the same function: the policy's deny, \
            PLATFORM_GUARD_DENY, the override variable's exact value and DOCS_RS, from the \
            environment as the build gets it (Cargo's [env] table and --config applied). The \
            target's cfg is the compiler's, asked as Cargo asks it, with the rustflags Cargo \
            would give the build (RUSTFLAGS, CARGO_ENCODED_RUSTFLAGS, [build] and [target] \
            rustflags in .cargo/config.toml), for the profile and features given (default: dev, \
            the default features). One line per target; a warning for each rule that matches no \
            target the compiler knows.",
    options: &[args::POLICY, args::BUILD, args::COMPILER, &[Key::Target]],
    positionals: &[],
    formats: &[
        (Format::Text, "one line per target"),
        (
            Format::Json,
            "one object, one target (of each package) a line: its level, rule and build",
        ),
    ],
    run,
};

/// One target's decision for one package.
#[derive(Serialize)]
struct Decided {
    package: Option<String>,
    target: String,
    #[serde(serialize_with = "report::level_str")]
    level: Level,
    rule: Option<String>,
    /// Counted from 1.
    rule_index: Option<usize>,
    build: Build,
    /// Why the build is denied, or what lifted the denial.
    message: Option<String>,
    /// The compile decided for (profile, features).
    compile: String,
    /// `rule `...`` or `no rule matched`.
    #[serde(skip)]
    why: String,
}

#[derive(Serialize)]
struct CheckDoc<'d> {
    targets: &'d [Decided],
}

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let (sources, toolchain, described) = named_targets(ctx, args, Some("checking"))?;
    let mut decided = Vec::new();
    for source in &sources {
        let compile = compile_of(ctx, args, &toolchain, source)?;
        if tests_compile(&source.policy) {
            ctx.note(&format!("deciding for {}", compile.described));
        }
        for d in &described {
            note_panic(ctx, source, d, &compile);
            decided.push(decide_one(
                source,
                d,
                &compile,
                &toolchain.config.build_env,
            )?);
        }
    }
    // Rules that match nothing: every target's cfg (the cache keeps this
    // cheap after the first run).
    let all = toolchain.target_list()?;
    let (every, left_out) = toolchain.describe_all(&all, jobs(args), true)?;
    toolchain.warn_left_out(&left_out, all.len());
    let cfgs: Vec<_> = every.iter().map(|d| &d.cfg).collect();
    for source in &sources {
        warn_unmatched(
            ctx,
            source,
            &unmatched(&source.policy, &cfgs),
            &toolchain.release,
            all.len(),
        );
    }
    let stdout = match args.format() {
        Format::Text => text(&sources, &decided),
        Format::Json => json::document(COMMAND.name, &CheckDoc { targets: &decided })?,
        other @ (Format::Table
        | Format::Markdown
        | Format::Github
        | Format::Sarif
        | Format::Docker) => return Err(report::unsupported(other, COMMAND.name)),
    };
    let denied = decided.iter().any(|d| d.build == Build::Denied);
    Ok(Output {
        stdout,
        code: i32::from(denied),
    })
}

/// A rule on `panic` decides with the target's strategy, which a profile's
/// `panic` setting does not change for build scripts: say so.
fn note_panic(ctx: &Context, source: &PackagePolicy, d: &BuildTarget, compile: &Compile) {
    let target_panic = d.cfg.value("panic").unwrap_or("");
    let profile_panic = compile.settings.panic.as_str();
    if source.policy.cfg_names().contains(&"panic")
        && !profile_panic.is_empty()
        && profile_panic != target_panic
    {
        ctx.note(&format!(
            "{}: the profile sets panic = \"{}\", which build scripts do not see (they get \
             \"{}\", the target's): a build's enforce!() and check!() stop the compile there, as \
             the verdict was made for another strategy",
            d.cfg.triple(),
            profile_panic,
            target_panic
        ));
    }
}

/// The decision for one target and one package, as the build script
/// decides.
fn decide_one(
    source: &PackagePolicy,
    d: &BuildTarget,
    compile: &Compile,
    env: &platform_guard::BuildEnv,
) -> Result<Decided, Failure> {
    let verdict = source
        .policy
        .classify(&d.cfg.with_compile(&compile.settings));
    let decision = build_decision(&source.policy, &verdict, env)?;
    Ok(Decided {
        package: source.package.clone(),
        target: verdict.target().to_string(),
        level: verdict.level(),
        rule: verdict.rule().map(str::to_string),
        rule_index: verdict.rule_index().map(|i| i + 1),
        build: Build::of(&decision)?,
        message: (decision != BuildDecision::Allowed).then(|| decision.to_string()),
        compile: compile.described.clone(),
        why: verdict.rule_name().to_string(),
    })
}

/// One line per target, under a heading per package when there are
/// several.
fn text(sources: &[PackagePolicy], decided: &[Decided]) -> String {
    let mut out = String::new();
    for source in sources {
        if sources.len() > 1 {
            writeln!(out, "{}", heading(source)).expect("a String");
        }
        for d in decided.iter().filter(|d| d.package == source.package) {
            let line = match (d.build, &d.message) {
                (Build::Allowed, _) => {
                    format!("{}: allowed: {} ({})", d.target, d.level, d.why)
                }
                (Build::Lifted, m) => format!(
                    "{}: allowed, denial lifted: {}",
                    d.target,
                    m.as_deref().unwrap_or("")
                ),
                (Build::Denied, m) => {
                    format!("{}: denied: {}", d.target, m.as_deref().unwrap_or(""))
                }
            };
            writeln!(out, "{}", line).expect("a String");
        }
    }
    out
}
