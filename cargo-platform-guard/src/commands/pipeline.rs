//! `pipeline`: the targets a repository builds, ships and documents (its
//! GitHub workflows, cargo-dist, cross and docs.rs configuration) held
//! against the policy.

use std::collections::HashMap;
use std::fmt::Write as _;

use platform_guard::{BuildDecision, Level, TargetCfg};

use super::{decide, jobs, one_policy, repository_root, rule_name, rule_places, Subcommand};
use crate::args::{self, Args, Key};
use crate::findings::{self, Finding, Severity};
use crate::pipelines::{self, Mention, Use};
use crate::suggest::did_you_mean;
use crate::toolchain::Toolchain;
use crate::{json, source, Context, Failure, Report};

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
            job. A file that cannot be parsed is an error naming it (exit 2).",
    options: &[args::POLICY, args::COMPILER, &[Key::Root]],
    positionals: &[],
    formats: &[
        (
            "text",
            "the targets found, where, and their level; then one line per finding",
        ),
        (
            "github",
            "GitHub Actions annotations (::error file=...,line=...::...), and a Markdown \
             summary appended to $GITHUB_STEP_SUMMARY when it is set",
        ),
        ("json", "one object: the targets found and the findings"),
    ],
    run,
};

const TITLE: &str = "platform-guard pipeline";

/// One target mention, classified.
struct Seen<'r> {
    mention: &'r Mention,
    level: Level,
    rule: Option<String>,
    decision: BuildDecision,
}

fn run(ctx: &Context, args: &Args) -> Result<Report, Failure> {
    let sources = source::load(ctx, &args.policy())?;
    let source = one_policy(&sources, "pipeline")?;
    let policy = &source.policy;
    let root = repository_root(ctx, args, source)?;
    let tc = Toolchain::new(ctx, &args.compiler())?;
    let known = tc.target_list()?;
    let (described, left_out) = tc.describe_all(&known, jobs(args), true)?;
    tc.warn_left_out(&left_out, known.len());
    let cfgs: HashMap<&str, &TargetCfg> =
        described.iter().map(|d| (d.cfg.triple(), &d.cfg)).collect();
    let mut manifests = Vec::new();
    if root.join("Cargo.toml").is_file() {
        manifests.push(root.join("Cargo.toml"));
    }
    for s in &sources {
        if let Some(m) = &s.manifest {
            manifests.push(m.clone());
        }
    }
    let repo = pipelines::read(&root, &manifests, &known)?;

    let mut found: Vec<Finding> = Vec::new();
    let mut seen: Vec<Seen> = Vec::new();
    for m in repo.mentions() {
        let Some(cfg) = cfgs.get(m.target.as_str()) else {
            let hint = did_you_mean(&m.target, known.iter().map(String::as_str))
                .map_or_else(String::new, |h| format!(" ({})", h));
            found.push(Finding::new(
                Severity::Warning,
                Some(&m.file),
                Some(m.line),
                format!(
                    "{:?} ({}) is not a target rustc {} knows{}",
                    m.target,
                    m.place(),
                    tc.release,
                    hint
                ),
            ));
            continue;
        };
        let verdict = policy.classify(cfg);
        let decision = decide(policy, &verdict, &tc.config.build_env)?;
        let level = verdict.level();
        let why = super::why(&verdict);
        match (&decision, m.used) {
            (BuildDecision::Denied(d), Use::Builds | Use::Ships) => found.push(Finding::new(
                Severity::Error,
                Some(&m.file),
                Some(m.line),
                format!(
                    "{} is {} here ({}), but the policy denies it: {}",
                    m.target,
                    m.used.word(),
                    m.place(),
                    d
                ),
            )),
            (BuildDecision::Denied(_), Use::Documents) => found.push(Finding::new(
                Severity::Warning,
                Some(&m.file),
                Some(m.line),
                format!(
                    "docs.rs documents {} ({}), a target the policy denies ({}, {}); docs.rs \
                     builds it anyway (DOCS_RS lifts denials)",
                    m.target,
                    m.place(),
                    level,
                    why
                ),
            )),
            (_, Use::Ships) if level != Level::Stable => found.push(Finding::new(
                Severity::Warning,
                Some(&m.file),
                Some(m.line),
                format!(
                    "{} is shipped here ({}), but it is {} ({})",
                    m.target,
                    m.place(),
                    level,
                    why
                ),
            )),
            _ => {}
        }
        seen.push(Seen {
            mention: m,
            level,
            rule: verdict.rule().map(str::to_string),
            decision,
        });
    }
    for n in repo.notes() {
        found.push(Finding::new(
            Severity::Notice,
            Some(&n.file),
            Some(n.line),
            n.sentence(),
        ));
    }
    // Stable rules none of whose targets a pipeline builds or ships.
    let built: Vec<&str> = seen
        .iter()
        .filter(|s| s.mention.used != Use::Documents)
        .map(|s| s.mention.target.as_str())
        .collect();
    let places = rule_places(source, &root);
    for (i, rule) in policy.rules().iter().enumerate() {
        if rule.level() != Level::Stable {
            continue;
        }
        // Targets whose verdict is this rule (the first match).
        let mine: Vec<&str> = described
            .iter()
            .filter(|d| policy.classify(&d.cfg).rule_index() == Some(i))
            .map(|d| d.cfg.triple())
            .collect();
        if mine.is_empty() || mine.iter().any(|t| built.contains(t)) {
            continue;
        }
        let shown: Vec<&str> = mine.iter().take(4).copied().collect();
        let (file, line) = places[i].clone();
        found.push(Finding::new(
            Severity::Warning,
            file.as_deref(),
            line,
            format!(
                "{}: no pipeline builds any of its {} target{} ({}{})",
                rule_name(policy, i),
                mine.len(),
                if mine.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if mine.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            ),
        ));
    }
    found.sort_by_key(|f| f.severity);
    let code = if found.iter().any(|f| f.severity == Severity::Error) {
        1
    } else {
        0
    };
    let stdout = match args.text(Key::Format).unwrap_or("text") {
        "github" => {
            findings::step_summary(ctx, &markdown(&repo.files, &seen, &found, source))?;
            let mut out = String::new();
            for f in &found {
                out.push_str(&f.github(TITLE));
                out.push('\n');
            }
            out
        }
        "json" => json_doc(&repo.files, &seen, &found, &root),
        _ => text(&repo.files, &seen, &found, source),
    };
    Ok(Report { stdout, code })
}

fn text(files: &[String], seen: &[Seen], found: &[Finding], source: &source::Source) -> String {
    let mut out = String::new();
    writeln!(out, "policy: {}", source.describe()).expect("a String");
    if files.is_empty() {
        out.push_str("read: no workflow, cargo-dist, cross or docs.rs configuration\n");
    } else {
        writeln!(out, "read: {}", files.join(", ")).expect("a String");
    }
    for s in seen {
        let m = s.mention;
        writeln!(
            out,
            "{}:{}: {} {} ({}): {}{}",
            m.file,
            m.line,
            m.target,
            m.used.word(),
            m.place(),
            s.level,
            match s.decision {
                BuildDecision::Denied(_) => ", denied",
                BuildDecision::Lifted { .. } => ", denial lifted",
                _ => "",
            }
        )
        .expect("a String");
    }
    for f in found {
        writeln!(out, "{}", f.text()).expect("a String");
    }
    writeln!(out, "{}", findings::counts(found)).expect("a String");
    out
}

fn markdown(files: &[String], seen: &[Seen], found: &[Finding], source: &source::Source) -> String {
    let mut out = String::from("## platform-guard: pipeline\n\n");
    writeln!(
        out,
        "Policy: {}. Read: {}.\n",
        findings::cell(&source.describe()),
        if files.is_empty() {
            "nothing".to_string()
        } else {
            files
                .iter()
                .map(|f| format!("`{}`", f))
                .collect::<Vec<_>>()
                .join(", ")
        }
    )
    .expect("a String");
    if !seen.is_empty() {
        out.push_str("| Target | Level | Use | Where |\n|---|---|---|---|\n");
        for s in seen {
            let m = s.mention;
            writeln!(
                out,
                "| `{}` | {}{} | {} | `{}:{}` ({}) |",
                m.target,
                s.level,
                if matches!(s.decision, BuildDecision::Denied(_)) {
                    ", **denied**"
                } else {
                    ""
                },
                m.used.word(),
                m.file,
                m.line,
                findings::cell(&m.place())
            )
            .expect("a String");
        }
        out.push('\n');
    }
    writeln!(out, "**{}**\n", findings::counts(found)).expect("a String");
    out.push_str(&findings::markdown_list(found));
    out.push('\n');
    out
}

fn json_doc(files: &[String], seen: &[Seen], found: &[Finding], root: &std::path::Path) -> String {
    let mut out = format!(
        "{{\n  \"format_version\": 1,\n  \"root\": {},\n  \"files\": {},\n  \"targets\": [",
        json::string(&root.display().to_string()),
        json::strings(files.iter().map(String::as_str))
    );
    for (i, s) in seen.iter().enumerate() {
        let m = s.mention;
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        write!(
            out,
            "{{\"target\": {}, \"file\": {}, \"line\": {}, \"use\": {}, \"context\": {}, \
             \"level\": {}, \"rule\": {}, \"build\": {}}}",
            json::string(&m.target),
            json::string(&m.file),
            m.line,
            json::string(m.used.word()),
            json::string(&m.place()),
            json::string(s.level.as_str()),
            json::opt(s.rule.as_deref()),
            json::string(super::build_word(&s.decision))
        )
        .expect("a String");
    }
    out.push_str(if seen.is_empty() { "],\n" } else { "\n  ],\n" });
    out.push_str("  \"findings\": [");
    for (i, f) in found.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(&f.json());
    }
    out.push_str(if found.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}
