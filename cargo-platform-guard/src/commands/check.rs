//! `check`: would a build for each target be allowed?

use std::fmt::Write as _;

use platform_guard::BuildDecision;

use super::{
    compile_of, decide, heading, jobs, named_targets, tests_compile, unmatched, warn_unmatched,
    why, Subcommand,
};
use crate::args::{self, Args, Key};
use crate::{Context, Failure, Report};

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
    formats: &[],
    run,
};

fn run(ctx: &Context, args: &Args) -> Result<Report, Failure> {
    let (sources, tc, described) = named_targets(ctx, args, Some("checking"))?;
    let mut out = String::new();
    let mut denied = false;
    for source in &sources {
        if sources.len() > 1 {
            writeln!(out, "{}", heading(source)).expect("a String");
        }
        let compile = compile_of(ctx, args, &tc, source)?;
        if tests_compile(&source.policy) {
            ctx.note(&format!("deciding for {}", compile.described));
        }
        for d in &described {
            let target_panic = d.cfg.value("panic").unwrap_or("");
            let profile_panic = compile.settings.panic.as_str();
            if source.policy.cfg_names().contains(&"panic")
                && !profile_panic.is_empty()
                && profile_panic != target_panic
            {
                ctx.note(&format!(
                    "{}: the profile sets panic = \"{}\", which build scripts do not see (they \
                     get \"{}\", the target's): a build's enforce!() and check!() stop the compile \
                     there, as the verdict was made for another strategy",
                    d.cfg.triple(),
                    profile_panic,
                    target_panic
                ));
            }
            let verdict = source
                .policy
                .classify(&d.cfg.with_compile(&compile.settings));
            let line = match decide(&source.policy, &verdict, &tc.config.build_env)? {
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
            writeln!(out, "{}", line).expect("a String");
        }
    }
    // Rules that match nothing: every target's cfg (the cache keeps this
    // cheap after the first run).
    let all = tc.target_list()?;
    let (every, left_out) = tc.describe_all(&all, jobs(args), true)?;
    tc.warn_left_out(&left_out, all.len());
    let cfgs: Vec<_> = every.iter().map(|d| &d.cfg).collect();
    for source in &sources {
        warn_unmatched(
            ctx,
            source,
            &unmatched(&source.policy, &cfgs),
            &tc.release,
            all.len(),
        );
    }
    Ok(Report {
        stdout: out,
        code: if denied { 1 } else { 0 },
    })
}
