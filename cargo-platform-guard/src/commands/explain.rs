//! `explain`: how the policy classifies a target, rule by rule.

use std::fmt::Write as _;

use platform_guard::{BuildDecision, BuildEnv, Policy, TargetCfg};

use super::{build_decision, compile_of, heading, named_targets, Subcommand};
use crate::args::{self, Args, Key};
use crate::compile::Compile;
use crate::context::{Context, Failure, Output};
use crate::toolchain::BuildTarget;

pub const COMMAND: Subcommand = Subcommand {
    name: "explain",
    summary: "show how the policy classifies a target, rule by rule",
    about: "For each target (default: Cargo's build.target, else the host): the rustflags the \
            build gets, the cfg values the policy can look at, each rule in order and whether it \
            matched, the verdict, what running and building would do, and the exact value of \
            the override variable.",
    options: &[args::POLICY, args::BUILD, args::COMPILER, &[Key::Target]],
    positionals: &[],
    formats: &[],
    run,
};

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

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let (sources, toolchain, described) = named_targets(ctx, args, None)?;
    let mut text = String::new();
    for source in &sources {
        if sources.len() > 1 {
            writeln!(text, "{}", heading(source)).expect("a String");
        }
        let compile = compile_of(ctx, args, &toolchain, source)?;
        for (i, d) in described.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            explain(
                &toolchain.config.build_env,
                &source.policy,
                d,
                &compile,
                &mut text,
            )?;
        }
    }
    Ok(Output {
        stdout: text,
        code: 0,
    })
}

/// The cfg values the policy can look at, one line each.
fn cfg_values(policy: &Policy, cfg: &TargetCfg) -> Vec<String> {
    let mut lines = vec!["cfg values the policy can look at:".to_string()];
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
            lines.push(format!("  {}: not set", name));
        } else {
            lines.extend(values.into_iter().map(|v| format!("  {}", v)));
        }
    }
    lines
}

/// Each rule in order, and whether it matched.
fn rules_tried(policy: &Policy, cfg: &TargetCfg) -> Vec<String> {
    let mut lines = vec![if policy.rules().is_empty() {
        "rules: none".to_string()
    } else {
        "rules, tried in order (the first match wins):".to_string()
    }];
    let mut first = true;
    for (i, rule) in policy.rules().iter().enumerate() {
        let mark = match (rule.cfg().matches(cfg), first) {
            (true, true) => {
                first = false;
                "yes (first match)"
            }
            (true, false) => "yes (not reached)",
            (false, _) => "no",
        };
        lines.push(format!(
            "  {}. {} `{}`: matched {}",
            i + 1,
            rule.level(),
            rule.cfg(),
            mark
        ));
    }
    lines
}

fn explain(
    env: &BuildEnv,
    policy: &Policy,
    d: &BuildTarget,
    compile: &Compile,
    text: &mut String,
) -> Result<(), Failure> {
    let cfg = &d.cfg.with_compile(&compile.settings);
    let verdict = policy.classify(cfg);
    let decision = build_decision(policy, &verdict, env)?;
    let mut w = |line: String| {
        text.push_str(&line);
        text.push('\n');
    };
    w(format!("target: {}", verdict.target()));
    w(format!("compile: {}", compile.described));
    w(format!(
        "rustflags: {}",
        if d.rustflags.is_empty() {
            "none".to_string()
        } else {
            d.rustflags.join(" ")
        }
    ));
    for line in cfg_values(policy, cfg)
        .into_iter()
        .chain(rules_tried(policy, cfg))
    {
        w(line);
    }
    w(format!(
        "verdict: {} ({})",
        verdict.level(),
        verdict.rule_name()
    ));
    w(format!(
        "run: {}",
        if verdict.level().refuses_to_run() {
            format!(
                "refuses to start unless {}={} is set",
                verdict.override_var(),
                verdict.override_value()
            )
        } else {
            "runs".to_string()
        }
    ));
    w(format!(
        "build: {}",
        match &decision {
            BuildDecision::Allowed => "allowed".to_string(),
            lifted @ BuildDecision::Lifted { .. } => format!("allowed, denial lifted: {}", lifted),
            // Denied, and any decision a newer library adds: its word and
            // its sentence, never a guess.
            other => format!("{}: {}", other.word(), other),
        }
    ));
    w(format!(
        "override: {}={} (exactly this value lifts a refusal or a denial)",
        verdict.override_var(),
        verdict.override_value()
    ));
    Ok(())
}
