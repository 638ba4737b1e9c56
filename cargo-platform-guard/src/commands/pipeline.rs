//! `pipeline`: the targets a repository builds, ships and documents (its
//! GitHub workflows, cargo-dist, cross and docs.rs configuration) held
//! against the policy.

use std::collections::HashMap;
use std::path::Path;

use platform_guard::suggest::did_you_mean;
use platform_guard::{BuildDecision, Level, TargetCfg};

use super::inspect::{judge_all, Targets};
use super::{build_decision, jobs, repository_root, rule_places, Subcommand};
use crate::args::{self, Args, Key};
use crate::artifacts::{Facts, Files};
use crate::context::{Context, Failure, Output};
use crate::pipelines::{self, Mention, Repo, Use};
use crate::policies::{self, PackagePolicy};
use crate::report::{self, Body, Build, Code, Finding, Format, Part, Pipeline, TargetUse};
use crate::toolchain::{BuildTarget, Toolchain};

pub const COMMAND: Subcommand = Subcommand {
    name: "pipeline",
    summary: "check the targets the repository's pipelines build and ship against the policy",
    about: "Reads the target lists of the repository (--root, default: the workspace root): \
            GitHub Actions workflows under .github/workflows (each job per matrix combination, \
            GitHub expressions evaluated: the targets its Cargo, cross and maturin commands and \
            Rust actions build, and the runner's host for a compile that names none; \
            `rustup target add` installs, it builds nothing), cargo-dist's targets \
            (dist-workspace.toml [dist], [workspace.metadata.dist]), cross's target tables \
            (Cross.toml, [package.metadata.cross]) and docs.rs's (`targets`, \
            `default-target`). A denied target that a pipeline builds or ships is an error \
            (exit 1); an experimental, unstable or unsupported target that a release ships \
            (cargo-dist's, or a job's that publishes what it builds: a GitHub release upload, a \
            registry or object store, an artifact a publishing job downloads) is a warning, \
            and so is a stable rule none of whose targets any pipeline builds. What the files \
            cannot say (a secret, another job's output, `cargo xtask`) is a notice, once per \
            job. A file that cannot be parsed is an error naming it (exit 2). With several \
            packages (--workspace, -p), one part per package, each against its own policy. \
            --artifacts DIR also judges the programs a build left in DIR, as `inspect` does.",
    options: &[args::POLICY, args::COMPILER, &[Key::Root, Key::Artifacts]],
    positionals: &[],
    formats: &[
        (
            Format::Text,
            "the targets found, where, and their level; then one line per finding",
        ),
        (
            Format::Github,
            "GitHub Actions annotations (::error file=...,line=...::...), and a Markdown \
             summary appended to $GITHUB_STEP_SUMMARY when it is set",
        ),
        (
            Format::Json,
            "one object: per package, the targets found and the findings",
        ),
        (
            Format::Markdown,
            "the targets and findings as a Markdown section",
        ),
        (
            Format::Sarif,
            "SARIF 2.1.0, for GitHub code scanning (upload-sarif)",
        ),
    ],
    run,
};

/// What every part shares: the compiler and every target's cfg, and the
/// programs `--artifacts` found with the targets they may be for.
struct Known<'a> {
    toolchain: &'a Toolchain<'a>,
    targets: &'a [String],
    described: &'a [BuildTarget],
    cfgs: HashMap<&'a str, &'a TargetCfg>,
    artifacts: &'a [(String, Vec<Facts>)],
    artifact_targets: &'a Targets<'a>,
}

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let sources = policies::load(ctx, &args.policy())?;
    let toolchain = Toolchain::new(ctx, &args.compiler())?;
    let targets = toolchain.target_list()?;
    let (described, left_out) = toolchain.describe_all(&targets, jobs(args), true)?;
    toolchain.warn_left_out(&left_out, targets.len());
    let artifacts = artifacts(ctx, args)?;
    let artifact_targets = Targets::of(&toolchain, &artifacts, jobs(args))?;
    let known = Known {
        toolchain: &toolchain,
        targets: &targets,
        described: &described,
        cfgs: described.iter().map(|d| (d.cfg.triple(), &d.cfg)).collect(),
        artifacts: &artifacts,
        artifact_targets: &artifact_targets,
    };
    let parts = sources
        .iter()
        .map(|source| part(ctx, args, source, &known))
        .collect::<Result<Vec<Part>, Failure>>()?;
    let found = report::Report {
        command: COMMAND.name,
        parts,
    };
    report::output(ctx, &found, args.format())
}

/// One package's part: the repository's pipelines against its policy.
fn part(
    ctx: &Context,
    args: &Args,
    source: &PackagePolicy,
    known: &Known,
) -> Result<Part, Failure> {
    let root = repository_root(ctx, args, source)?;
    let mut manifests = Vec::new();
    if root.join("Cargo.toml").is_file() {
        manifests.push(root.join("Cargo.toml"));
    }
    manifests.extend(source.manifest.clone());
    let repo = pipelines::read(&root, &manifests, known.targets)?;
    let mut findings = Vec::new();
    let mut targets = Vec::new();
    // The known targets a pipeline builds or ships.
    let mut built: Vec<&str> = Vec::new();
    let mut others = 0;
    for m in repo.mentions() {
        if !m
            .packages
            .cover(source.package.as_deref(), source.manifest.as_deref(), &root)
        {
            // Built for another package (`-p`, `--manifest-path`, a
            // working directory, its own metadata table): its policy, not
            // this one, judges it.
            others += 1;
            ctx.verbose(&format!(
                "{}:{}: {} ({}) is built for {}: not judged under the policy of {}",
                m.file,
                m.line,
                m.target,
                m.place(),
                m.packages.describe(),
                source.package.as_deref().unwrap_or("this package")
            ));
            continue;
        }
        let (seen, finding) = classify(source, m, known)?;
        if seen.is_some() && m.used != Use::Documents {
            built.push(&m.target);
        }
        targets.extend(seen);
        findings.extend(finding);
    }
    if others > 0 && !ctx.is_verbose() {
        ctx.note(&format!(
            "{} {} for other packages than {} (-p, --manifest-path, a working directory): not \
             judged under its policy (-v names them)",
            others,
            if others == 1 {
                "target is built"
            } else {
                "targets are built"
            },
            source.package.as_deref().unwrap_or("this package")
        ));
    }
    findings.extend(unchecked(&repo));
    let (artifacts, found) = judge_all(&source.policy, known.artifacts, known.artifact_targets)?;
    findings.extend(found);
    // A program in an artifacts directory was built too.
    built.extend(artifacts.iter().filter_map(|a| a.target.as_deref()));
    findings.extend(unbuilt(source, &root, known, &built));
    findings.sort_by_key(|f| f.severity);
    Ok(Part {
        package: source.package.clone(),
        policy: source.describe(),
        body: Body::Pipeline(Pipeline {
            root: root.display().to_string(),
            files: repo.files.clone(),
            targets,
            artifacts,
        }),
        findings,
    })
}

/// One mention, classified: the row of the table (none for a name the
/// compiler does not know) and what is wrong with it, if anything.
fn classify(
    source: &PackagePolicy,
    m: &Mention,
    known: &Known,
) -> Result<(Option<TargetUse>, Option<Finding>), Failure> {
    let policy = &source.policy;
    let Some(cfg) = known.cfgs.get(m.target.as_str()) else {
        let hint = did_you_mean(&m.target, known.targets.iter().map(String::as_str))
            .map_or_else(String::new, |h| format!(" ({})", h));
        let message = format!(
            "{:?} ({}) is not a target rustc {} knows{}",
            m.target,
            m.place(),
            known.toolchain.release,
            hint
        );
        return Ok((None, Some(found(Code::UnknownTarget, m, message))));
    };
    let verdict = policy.classify(cfg);
    let decision = build_decision(policy, &verdict, &known.toolchain.config.build_env)?;
    let level = verdict.level();
    let why = verdict.rule_name();
    let finding = match (&decision, m.used) {
        (BuildDecision::Denied(d), Use::Builds | Use::Ships) => Some(found(
            Code::DeniedTarget,
            m,
            format!(
                "{} is {} here ({}), but the policy denies it: {}",
                m.target,
                m.used.word(),
                m.place(),
                d
            ),
        )),
        (BuildDecision::Denied(_), Use::Documents) => Some(found(
            Code::DocumentedDeniedTarget,
            m,
            format!(
                "docs.rs documents {} ({}), a target the policy denies ({}, {}); docs.rs \
                 builds it anyway (DOCS_RS lifts denials)",
                m.target,
                m.place(),
                level,
                why
            ),
        )),
        (_, Use::Ships) if level != Level::Stable => Some(found(
            Code::ShippedNotStable,
            m,
            format!(
                "{} is shipped here ({}), but it is {} ({})",
                m.target,
                m.place(),
                level,
                why
            ),
        )),
        _ => None,
    };
    let finding = finding.map(|f| match verdict.rule_index() {
        Some(i) => f.rule(i),
        None => f,
    });
    let seen = TargetUse {
        target: m.target.clone(),
        file: m.file.clone(),
        line: m.line,
        used: m.used.word(),
        context: m.place(),
        level,
        rule: verdict.rule().map(str::to_string),
        build: Build::of(&decision)?,
    };
    Ok((Some(seen), finding))
}

/// The programs in each `--artifacts` directory (none without it).
fn artifacts(ctx: &Context, args: &Args) -> Result<Files, Failure> {
    let mut all = Vec::new();
    for dir in args.paths(Key::Artifacts) {
        let (found, skipped) = crate::artifacts::read_dir(&ctx.cwd.join(dir), dir)?;
        ctx.verbose(&format!(
            "--artifacts {}: {} read, {} skipped",
            dir.display(),
            report::plural(found.len(), "program"),
            report::plural(skipped, "other file")
        ));
        if found.is_empty() {
            ctx.warn(&format!(
                "--artifacts {}: no program or library (ELF, Mach-O or PE) there",
                dir.display()
            ));
        }
        all.extend(found);
    }
    Ok(all)
}

/// A finding about a mention: its place and target.
fn found(code: Code, m: &Mention, message: String) -> Finding {
    Finding::new(code, message)
        .at(Some(&m.file), Some(m.line))
        .target(&m.target)
}

/// What the files cannot say about a job (an unresolved expression, a
/// program not read, a runner that is not GitHub's, ...): once per job.
fn unchecked(repo: &Repo) -> Vec<Finding> {
    repo.notes()
        .into_iter()
        .map(|n| Finding::new(Code::UncheckedJob, n.sentence()).at(Some(&n.file), Some(n.line)))
        .collect()
}

/// Stable rules none of whose targets a pipeline builds or ships.
fn unbuilt(source: &PackagePolicy, root: &Path, known: &Known, built: &[&str]) -> Vec<Finding> {
    let policy = &source.policy;
    let places = rule_places(source, root);
    let mut out = Vec::new();
    for (i, rule) in policy.rules().iter().enumerate() {
        if rule.level() != Level::Stable {
            continue;
        }
        // Targets whose verdict is this rule (the first match).
        let mine: Vec<&str> = known
            .described
            .iter()
            .filter(|d| policy.classify(&d.cfg).rule_index() == Some(i))
            .map(|d| d.cfg.triple())
            .collect();
        if mine.is_empty() || mine.iter().any(|t| built.contains(t)) {
            continue;
        }
        let shown: Vec<&str> = mine.iter().take(4).copied().collect();
        let (file, line) = places[i].clone();
        let mut f = Finding::new(
            Code::UnbuiltStableRule,
            format!(
                "{}: no pipeline builds any of its {} ({}{})",
                policy.rules()[i].name(i),
                report::plural(mine.len(), "target"),
                shown.join(", "),
                if mine.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            ),
        )
        .at(file.as_deref(), line)
        .rule(i);
        f.targets = mine.iter().map(|t| t.to_string()).collect();
        out.push(f);
    }
    out
}
