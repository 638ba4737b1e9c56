//! `matrix`: every target the compiler knows, classified, with its tier,
//! whether rustup can install it and its Go, Debian and Docker names, in
//! five formats.

use std::fmt::Write as _;

use platform_guard::{Level, Policy, TargetCfg, Verdict};

use serde::Serialize;

use super::{
    build_decision, heading, jobs, note_build_scripts, tests_compile, unmatched, warn_unmatched,
    Subcommand,
};
use crate::args::{self, Args, Key};
use crate::context::{Context, Failure, Output};
use crate::ecosystem::{self, Names};
use crate::installable::{self, Installable};
use crate::policies;
use crate::policies::PackagePolicy;
use crate::report::{self, json, markdown::cell, Build, Format};
use crate::toolchain::Toolchain;

pub const COMMAND: Subcommand = Subcommand {
    name: "matrix",
    summary: "classify every target rustc knows with the policy",
    about: "Asks the compiler for the cfg of every target of `rustc --print target-list`, with \
            the rustflags Cargo would give each build, in parallel and through a cache kept per \
            toolchain and rustflags, and classifies each with the policy. Each row also says \
            whether rustup can install the target (from the toolchain's own rustup channel \
            manifest; unknown without rustup), its Rust tier (from the rustc book's Platform \
            Support page of the release the command was built with) and its Go, Debian and \
            Docker names. A warning names each rule that matches no target.",
    options: &[
        args::POLICY,
        args::COMPILER,
        &[Key::Level, Key::Installable, Key::GithubOutput],
    ],
    positionals: &[],
    formats: &[
        (
            Format::Table,
            "target, arch, OS, pointer width, level, tier, installable by rustup, Go, Debian \
             and Docker names, rule",
        ),
        (Format::Markdown, "the same as a Markdown table"),
        (Format::Json, "one versioned object, one target a line"),
        (
            Format::Github,
            "a GitHub Actions `include` matrix of the targets whose build is allowed and that \
             rustup can install, one job per platform (a sanitizer build of a listed target is \
             left out)",
        ),
        (
            Format::Docker,
            "the Docker platforms of the allowed Linux targets, comma-separated, for `docker \
             buildx build --platform`",
        ),
    ],
    run,
};

/// GitHub Actions runs at most this many jobs from one matrix.
const GITHUB_MATRIX_LIMIT: usize = 256;

/// One classified target of one policy.
struct Row<'a> {
    source: &'a PackagePolicy,
    cfg: &'a TargetCfg,
    rustflags: &'a [String],
    verdict: Verdict,
    maintainers: Option<&'a str>,
    build: Build,
    installable: Option<bool>,
    tier: Option<u8>,
    names: Names,
}

/// Which targets to list.
struct Filters {
    /// The levels kept: `--level`, else for a matrix of jobs or images
    /// (github, docker) only the levels whose programs run (`running`): a
    /// job for a target whose programs refuse to run tests nothing a user
    /// gets. `None`: every level.
    levels: Option<Vec<Level>>,
    /// The levels whose programs run.
    running: Vec<Level>,
    /// Whether `--level` chose the levels.
    level_given: bool,
    /// Keep only targets rustup can (true) or cannot (false) install:
    /// `--installable`, else only installable ones for a GitHub matrix
    /// (`rustup target add` fails for the others), else all (`None`).
    keep: Option<bool>,
}

/// The rows listed, and what the filters left out.
struct Selection<'a> {
    rows: Vec<Row<'a>>,
    /// Targets left out as rustup can (or cannot) install them.
    uninstallable: Vec<&'a str>,
    /// Targets the installability filter looked at.
    considered: usize,
    /// Targets the default levels left out, per level (not counted when
    /// --level is given: then the user chose).
    refusing: Vec<(Level, usize)>,
    /// Targets classified, for every policy.
    classified: usize,
}

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let sources = policies::load(ctx, &args.policy())?;
    let format = args.format();
    let toolchain = Toolchain::new(ctx, &args.compiler())?;
    let targets = toolchain.target_list()?;
    let (described, left_out) = toolchain.describe_all(&targets, jobs(args), true)?;
    toolchain.warn_left_out(&left_out, targets.len());
    note_build_scripts(ctx, &sources);
    note_compile(ctx, &sources);
    let cfgs: Vec<&TargetCfg> = described.iter().map(|d| &d.cfg).collect();
    let mut unmatched_rules = Vec::new();
    for source in &sources {
        let rules = unmatched(&source.policy, &cfgs);
        warn_unmatched(ctx, source, &rules, &toolchain.release, targets.len());
        unmatched_rules.push((source, rules));
    }
    let github_output = github_output(ctx, args, format)?;
    let installable = Installable::of(ctx, &toolchain);
    let filters = filters(ctx, args, format, &installable)?;
    let env = &toolchain.config.build_env;
    let sel = select(&sources, &described, &filters, format, env, &installable)?;
    note_left_out(ctx, &sel, &filters, format, args.given(Key::Installable));
    let several = sources.len() > 1;
    let stdout = match format {
        Format::Table => table(&sel.rows, several),
        Format::Markdown => markdown(&sel.rows, several),
        Format::Json => json_doc(
            &sel.rows,
            &unmatched_rules,
            &left_out,
            &toolchain,
            &installable,
        )?,
        Format::Docker => docker(&sel.rows)?,
        Format::Github => github_matrix(ctx, &sources, &sel, &filters, described.len())?,
        other @ (Format::Text | Format::Sarif) => {
            return Err(report::unsupported(other, COMMAND.name))
        }
    };
    if let Some(out) = github_output {
        out.append(&stdout)?;
    }
    Ok(Output { stdout, code: 0 })
}

/// A rule on a value Cargo decides per compile: the matrix classifies for
/// the compiler's defaults.
fn note_compile(ctx: &Context, sources: &[PackagePolicy]) {
    for source in sources.iter().filter(|s| tests_compile(&s.policy)) {
        ctx.note(&format!(
            "{}a rule tests a value Cargo decides per compile (debug_assertions, panic or \
             feature): the matrix classifies for a dev build without features (the compiler's \
             defaults); `check` and `explain` take --release, --profile and --features",
            source
                .package
                .as_deref()
                .map_or_else(String::new, |p| format!("{}: ", p))
        ));
    }
}

/// The filters `--level`, `--installable` and the format ask for; an
/// explicit `--installable` when rustup's list is unknown is an error.
fn filters(
    ctx: &Context,
    args: &Args,
    format: Format,
    installable: &Installable,
) -> Result<Filters, Failure> {
    let running: Vec<Level> = Level::ALL
        .iter()
        .copied()
        .filter(|l| !l.refuses_to_run())
        .collect();
    let levels = match (args.levels(Key::Level), format) {
        (Some(given), _) => Some(given.to_vec()),
        (None, Format::Github | Format::Docker) => Some(running.clone()),
        (None, _) => None,
    };
    let keep = match (args.text(Key::Installable), format) {
        (Some("yes"), _) => Some(true),
        (Some("no"), _) => Some(false),
        (Some(_), _) => None,
        (None, Format::Github) => Some(true),
        (None, _) => None,
    };
    if let (Some(_), Installable::Unknown(why)) = (keep, installable) {
        if args.given(Key::Installable) {
            return Err(Failure::error(format!(
                "--installable {}: which targets rustup can install is {}",
                args.text(Key::Installable).unwrap_or(""),
                why
            )));
        }
        ctx.note(&format!(
            "listing targets whether or not rustup can install them: which it can is {}",
            why
        ));
    }
    Ok(Filters {
        levels,
        running,
        level_given: args.given(Key::Level),
        keep,
    })
}

/// Every target of every policy, classified and filtered. A GitHub matrix
/// keeps its denied rows (to say why it would be empty).
fn select<'a>(
    sources: &'a [PackagePolicy],
    described: &'a [crate::toolchain::BuildTarget],
    filters: &Filters,
    format: Format,
    env: &platform_guard::BuildEnv,
    installable: &Installable,
) -> Result<Selection<'a>, Failure> {
    let mut sel = Selection {
        rows: Vec::new(),
        uninstallable: Vec::new(),
        considered: 0,
        refusing: Vec::new(),
        classified: 0,
    };
    for source in sources {
        for d in described {
            let verdict = source.policy.classify(&d.cfg);
            sel.classified += 1;
            let level = verdict.level();
            if filters.levels.as_ref().is_some_and(|l| !l.contains(&level)) {
                if !filters.level_given {
                    match sel.refusing.iter_mut().find(|(l, _)| *l == level) {
                        Some((_, n)) => *n += 1,
                        None => sel.refusing.push((level, 1)),
                    }
                }
                continue;
            }
            let build = Build::of(&build_decision(&source.policy, &verdict, env)?)?;
            let can = installable.get(d.cfg.triple());
            if format == Format::Github && build == Build::Denied {
                sel.rows.push(row(source, d, verdict, build, can));
                continue;
            }
            sel.considered += 1;
            if let (Some(want), Some(is)) = (filters.keep, can) {
                if want != is {
                    if !sel.uninstallable.contains(&d.cfg.triple()) {
                        sel.uninstallable.push(d.cfg.triple());
                    }
                    continue;
                }
            }
            sel.rows.push(row(source, d, verdict, build, can));
        }
    }
    Ok(sel)
}

/// Notes on what the default filters left out, and how to keep it.
fn note_left_out(
    ctx: &Context,
    sel: &Selection,
    filters: &Filters,
    format: Format,
    installable_given: bool,
) {
    if !sel.refusing.is_empty() {
        let mut refusing = sel.refusing.clone();
        refusing.sort();
        let n: usize = refusing.iter().map(|(_, n)| n).sum();
        let per_level: Vec<String> = refusing
            .iter()
            .map(|(l, n)| format!("{} {}", n, l))
            .collect();
        let running: Vec<&str> = filters.running.iter().map(|l| l.as_str()).collect();
        let all_levels: Vec<&str> = filters
            .running
            .iter()
            .chain(refusing.iter().map(|(l, _)| l))
            .map(|l| l.as_str())
            .collect();
        ctx.note(&format!(
            "left out {} of {} targets whose programs refuse to run ({}): without --level, \
             --format {} lists only the levels whose programs run ({}); `--level {}` includes \
             them",
            n,
            sel.classified,
            per_level.join(", "),
            format,
            running.join(", "),
            all_levels.join(",")
        ));
    }
    if filters.keep == Some(true) && !sel.uninstallable.is_empty() && !installable_given {
        let shown: Vec<&str> = sel.uninstallable.iter().take(8).copied().collect();
        ctx.note(&format!(
            "left out {} of {} targets that rustup cannot install ({}{}): rustup ships no \
             standard library for them, so `rustup target add` would fail; `--installable any` \
             keeps them",
            sel.uninstallable.len(),
            sel.considered,
            shown.join(", "),
            if sel.uninstallable.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        ));
    }
}

/// `--format github`: the matrix of the allowed rows; an empty one is an
/// error saying which filter emptied it.
fn github_matrix(
    ctx: &Context,
    sources: &[PackagePolicy],
    sel: &Selection,
    filters: &Filters,
    total: usize,
) -> Result<String, Failure> {
    let mut allowed: Vec<&Row> = sel
        .rows
        .iter()
        .filter(|r| r.build != Build::Denied)
        .collect();
    sanitizer_builds(ctx, &mut allowed);
    if allowed.is_empty() {
        let levels = filters.levels.as_deref().unwrap_or(&filters.running);
        return Err(empty_github(
            ctx,
            sources,
            (levels, filters.level_given),
            sel.rows.len() + sel.uninstallable.len(),
            total,
            sel.uninstallable.len(),
        ));
    }
    if allowed.len() > GITHUB_MATRIX_LIMIT {
        ctx.warn(&format!(
            "{} targets are allowed, but GitHub Actions runs at most {} jobs from one matrix; \
             narrow it with --level",
            allowed.len(),
            GITHUB_MATRIX_LIMIT
        ));
    }
    github(&allowed, sources.len() > 1)
}

/// Leaves out of a GitHub matrix each target that is a listed target
/// built with a sanitizer (`x86_64-unknown-linux-gnuasan`): the same
/// platform, whose cfg and so whose verdict are the base target's; a job
/// per platform, and a sanitizer job is one to add by hand. Says so on
/// stderr.
fn sanitizer_builds(ctx: &Context, rows: &mut Vec<&Row>) {
    let listed = |rows: &[&Row], source: &PackagePolicy, triple: &str| {
        rows.iter()
            .any(|r| std::ptr::eq(r.source, source) && r.verdict.target() == triple)
    };
    let mut left_out: Vec<String> = Vec::new();
    let all = rows.clone();
    rows.retain(|r| match ecosystem::sanitizer_build(r.verdict.target()) {
        Some((base, sanitizer)) if listed(&all, r.source, base) => {
            let what = format!("{}: {} with {}", r.verdict.target(), base, sanitizer);
            if !left_out.contains(&what) {
                left_out.push(what);
            }
            false
        }
        _ => true,
    });
    if !left_out.is_empty() {
        ctx.note(&format!(
            "left out {} sanitizer build{} of a listed target ({}): the same platform, with the \
             same cfg and so the same verdict; a sanitizer job is one to add to the workflow by \
             hand",
            left_out.len(),
            if left_out.len() == 1 { "" } else { "s" },
            left_out.join("; ")
        ));
    }
}

/// Where `--github-output NAME` appends the matrix: the file
/// `$GITHUB_OUTPUT` names, checked before any work so that a step that
/// cannot set its output fails at once, and written only once the matrix
/// is complete, so a failing command leaves no output behind.
struct GithubOutput {
    name: String,
    path: std::path::PathBuf,
}

fn github_output(
    ctx: &Context,
    args: &Args,
    format: Format,
) -> Result<Option<GithubOutput>, Failure> {
    let Some(name) = args.text(Key::GithubOutput) else {
        return Ok(None);
    };
    let usage = |message: String| Failure::usage(message, Some(COMMAND.name));
    if format != Format::Github {
        return Err(usage(format!(
            "--github-output writes a GitHub Actions matrix: it needs --format github (the \
             format is {})",
            format
        )));
    }
    // GitHub's rule for output names; anything else (`=`, `<<`, a line
    // break) would change what the line means.
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return Err(usage(format!(
            "--github-output: invalid output name {:?}: expected ASCII letters, digits, `-` and \
             `_`, starting with a letter or `_`",
            name
        )));
    }
    let Some(file) = ctx.var("GITHUB_OUTPUT").filter(|v| !v.is_empty()) else {
        return Err(Failure::error(
            "--github-output: GITHUB_OUTPUT is not set: expected the file GitHub Actions names \
             for each step's outputs (run the command in a workflow step, or set GITHUB_OUTPUT \
             to a file)",
        ));
    };
    let path = ctx.cwd.join(file);
    regular_output_file(&path)?;
    Ok(Some(GithubOutput {
        name: name.to_string(),
        path,
    }))
}

/// An error unless `path` is an existing regular file (GitHub creates the
/// file before the step runs; a FIFO or a device would block or swallow
/// the output).
fn regular_output_file(path: &std::path::Path) -> Result<(), Failure> {
    let fail = |why: String| {
        Failure::error(format!(
            "--github-output: cannot write GITHUB_OUTPUT ({}): {}",
            path.display(),
            why
        ))
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail(format!(
            "it is {}: expected a regular file",
            crate::files::kind(&meta)
        )));
    }
    Ok(())
}

impl GithubOutput {
    /// Appends `NAME=<matrix>` (the matrix is one line) in one write.
    fn append(&self, matrix: &str) -> Result<(), Failure> {
        use std::io::Write as _;
        let fail = |e: std::io::Error| {
            Failure::error(format!(
                "--github-output: cannot write GITHUB_OUTPUT ({}): {}",
                self.path.display(),
                e
            ))
        };
        regular_output_file(&self.path)?;
        let line = format!("{}={}\n", self.name, matrix.trim_end_matches('\n'));
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(fail)?;
        file.write_all(line.as_bytes()).map_err(fail)
    }
}

fn row<'a>(
    source: &'a PackagePolicy,
    d: &'a crate::toolchain::BuildTarget,
    verdict: Verdict,
    build: Build,
    installable: Option<bool>,
) -> Row<'a> {
    Row {
        source,
        cfg: &d.cfg,
        rustflags: &d.rustflags,
        maintainers: maintainers(&source.policy, &verdict),
        names: ecosystem::names(d.cfg.triple(), &d.cfg),
        tier: installable::tier(d.cfg.triple()),
        verdict,
        build,
        installable,
    }
}

/// `--format docker`: the Docker platforms of the allowed Linux targets,
/// comma-separated, each once, for `docker buildx build --platform`.
fn docker(rows: &[Row]) -> Result<String, Failure> {
    let mut platforms: Vec<&str> = Vec::new();
    for r in rows.iter().filter(|r| r.build != Build::Denied) {
        if let Some(p) = r.names.docker {
            if !platforms.contains(&p) {
                platforms.push(p);
            }
        }
    }
    if platforms.is_empty() {
        return Err(Failure::error(
            "no allowed target (after the filters) has a Docker platform: expected an allowed \
             Linux target with glibc or musl, such as x86_64-unknown-linux-gnu (linux/amd64)",
        ));
    }
    Ok(format!("{}\n", platforms.join(",")))
}

/// `--format github` with nothing to list: GitHub rejects an empty matrix,
/// so say which filter emptied it. `levels` are the levels kept and
/// whether `--level` named them (else they are the default).
fn empty_github(
    ctx: &Context,
    sources: &[PackagePolicy],
    (levels, given): (&[Level], bool),
    at_levels: usize,
    total: usize,
    uninstallable: usize,
) -> Failure {
    let names: Vec<&str> = levels.iter().map(|l| l.as_str()).collect();
    // The level filter as the user sees it.
    let kept_by = if given {
        format!("--level {}", names.join(","))
    } else {
        format!(
            "the default --level {} (the levels whose programs run)",
            names.join(",")
        )
    };
    let mut denied_by: Vec<String> = sources
        .iter()
        .filter_map(|s| {
            s.policy
                .denied_from()
                .map(|l| format!("the policy's deny = \"{}\"", l))
        })
        .collect();
    if let Some(v) = ctx.var_str("PLATFORM_GUARD_DENY") {
        denied_by.push(format!("PLATFORM_GUARD_DENY={}", v));
    }
    denied_by.dedup();
    let why = match at_levels {
        0 => format!(
            "{} keeps none of the {} targets rustc knows",
            kept_by, total
        ),
        n if n == uninstallable => format!(
            "rustup can install none of the {} targets kept by {} (--installable any keeps them)",
            n, kept_by
        ),
        n => format!(
            "the {} targets {} keeps are all denied ({})",
            n,
            kept_by,
            denied_by.join(", ")
        ),
    };
    Failure::error(format!(
        "the GitHub matrix would be empty: {}; GitHub Actions rejects a matrix with no jobs",
        why
    ))
}

/// The maintainers of the rule that matched.
fn maintainers<'p>(policy: &'p Policy, verdict: &Verdict) -> Option<&'p str> {
    policy.rules()[verdict.rule_index()?].maintainers()
}

/// The parts of the output, one per policy (one part when there is one).
fn parts<'r, 'a>(rows: &'r [Row<'a>]) -> Vec<(&'a PackagePolicy, Vec<&'r Row<'a>>)> {
    let mut out: Vec<(&PackagePolicy, Vec<&Row>)> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some((s, list)) if std::ptr::eq(*s, r.source) => list.push(r),
            _ => out.push((r.source, vec![r])),
        }
    }
    out
}

fn table(rows: &[Row], several: bool) -> String {
    let header = [
        "TARGET", "ARCH", "OS", "WIDTH", "LEVEL", "TIER", "RUSTUP", "GO", "DEBIAN", "DOCKER",
        "RULE",
    ];
    let mut text = String::new();
    for (n, (source, rows)) in parts(rows).into_iter().enumerate() {
        if several {
            if n > 0 {
                text.push('\n');
            }
            writeln!(text, "{}", heading(source)).expect("a String");
        }
        let cells: Vec<[String; 11]> = rows
            .iter()
            .map(|r| {
                [
                    r.verdict.target().to_string(),
                    r.cfg.arch().to_string(),
                    r.cfg.os().unwrap_or("-").to_string(),
                    r.cfg.pointer_width().unwrap_or("-").to_string(),
                    r.verdict.level().to_string(),
                    r.tier.map_or_else(|| "-".to_string(), |t| t.to_string()),
                    yes_no(r.installable).to_string(),
                    r.names.go.clone().unwrap_or_else(|| "-".to_string()),
                    r.names.debian.unwrap_or("-").to_string(),
                    r.names.docker.unwrap_or("-").to_string(),
                    r.verdict.rule().unwrap_or("-").to_string(),
                ]
            })
            .collect();
        let mut width = header.map(str::len);
        for row in &cells {
            for (w, c) in width.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut line = |row: &[&str]| {
            let mut l = String::new();
            for (i, c) in row.iter().enumerate() {
                if i + 1 == row.len() {
                    l.push_str(c);
                } else {
                    l.push_str(&format!("{:<w$}  ", c, w = width[i]));
                }
            }
            text.push_str(l.trim_end());
            text.push('\n');
        };
        line(&header);
        for row in &cells {
            line(&row.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
    text
}

fn markdown(rows: &[Row], several: bool) -> String {
    let mut text = String::new();
    for (n, (source, rows)) in parts(rows).into_iter().enumerate() {
        if several {
            if n > 0 {
                text.push('\n');
            }
            writeln!(text, "### {}\n", cell(&heading(source))).expect("a String");
        }
        text.push_str(
            "| Target | Arch | OS | Pointer width | Level | Tier | rustup | Go | Debian | Docker \
             | Rule |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
        );
        for r in rows {
            writeln!(
                text,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.verdict.target(),
                cell(r.cfg.arch()),
                cell(r.cfg.os().unwrap_or("")),
                cell(r.cfg.pointer_width().unwrap_or("")),
                r.verdict.level(),
                r.tier.map_or_else(String::new, |t| t.to_string()),
                yes_no(r.installable),
                r.names
                    .go
                    .as_deref()
                    .map_or_else(String::new, |g| format!("`{}`", g)),
                r.names
                    .debian
                    .map_or_else(String::new, |d| format!("`{}`", d)),
                r.names
                    .docker
                    .map_or_else(String::new, |d| format!("`{}`", d)),
                r.verdict.rule().map_or_else(
                    || r.verdict.rule_name().to_string(),
                    |rule| format!("`{}`", cell(rule))
                )
            )
            .expect("a String");
        }
    }
    text
}

/// Whether rustup can install a target: `yes`, `no` or `unknown`.
fn yes_no(installable: Option<bool>) -> &'static str {
    match installable {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

/// A rule that matches no target, in the JSON document.
#[derive(Serialize)]
struct UnmatchedDoc<'a> {
    package: Option<&'a str>,
    /// Counted from 1.
    rule: usize,
    level: &'a str,
    cfg: String,
}

/// A target the compiler fails on with the rustflags that apply.
#[derive(Serialize)]
struct LeftOutDoc<'a> {
    target: &'a str,
    error: &'a str,
}

/// One target of one policy, in the JSON document (field names are
/// stable: see the README).
#[derive(Serialize)]
struct RowDoc<'a> {
    target: &'a str,
    package: Option<&'a str>,
    arch: &'a str,
    os: Option<&'a str>,
    pointer_width: Option<u32>,
    endian: Option<&'a str>,
    level: &'a str,
    rule: Option<&'a str>,
    maintainers: Option<&'a str>,
    override_var: &'a str,
    override_value: &'a str,
    build: Build,
    rustflags: &'a [String],
    installable: Option<bool>,
    tier: Option<u8>,
    go: Option<&'a str>,
    debian: Option<&'a str>,
    docker: Option<&'a str>,
}

impl<'a> RowDoc<'a> {
    fn of(r: &'a Row) -> RowDoc<'a> {
        let v = &r.verdict;
        RowDoc {
            target: v.target(),
            package: r.source.package.as_deref(),
            arch: r.cfg.arch(),
            os: r.cfg.os(),
            pointer_width: r.cfg.pointer_width().and_then(|w| w.parse().ok()),
            endian: r.cfg.value("target_endian"),
            level: v.level().as_str(),
            rule: v.rule(),
            maintainers: r.maintainers,
            override_var: v.override_var(),
            override_value: v.override_value(),
            build: r.build,
            rustflags: r.rustflags,
            installable: r.installable,
            tier: r.tier,
            go: r.names.go.as_deref(),
            debian: r.names.debian,
            docker: r.names.docker,
        }
    }
}

#[derive(Serialize)]
struct MatrixDoc<'a> {
    rustc: &'a str,
    host: &'a str,
    installable_source: &'a str,
    tier_source: String,
    unmatched_rules: Vec<UnmatchedDoc<'a>>,
    left_out: Vec<LeftOutDoc<'a>>,
    targets: Vec<RowDoc<'a>>,
}

/// The JSON document: its format version, the compiler, the rules that
/// match no target, and one object per target (one per line).
fn json_doc(
    rows: &[Row],
    unmatched: &[(&PackagePolicy, Vec<usize>)],
    left_out: &[(String, String)],
    toolchain: &Toolchain,
    installable: &Installable,
) -> Result<String, Failure> {
    let unmatched_rules = unmatched
        .iter()
        .flat_map(|(source, rules)| {
            rules.iter().map(|&i| {
                let rule = &source.policy.rules()[i];
                UnmatchedDoc {
                    package: source.package.as_deref(),
                    rule: i + 1,
                    level: rule.level().as_str(),
                    cfg: rule.cfg().to_string(),
                }
            })
        })
        .collect();
    let doc = MatrixDoc {
        rustc: &toolchain.release,
        host: &toolchain.host,
        installable_source: installable.source(),
        tier_source: installable::tier_source(),
        unmatched_rules,
        left_out: left_out
            .iter()
            .map(|(target, error)| LeftOutDoc { target, error })
            .collect(),
        targets: rows.iter().map(RowDoc::of).collect(),
    };
    json::document(COMMAND.name, &doc)
}

/// One job of the GitHub matrix (`package` only when several packages are
/// listed).
#[derive(Serialize)]
struct JobDoc<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<Option<&'a str>>,
    target: &'a str,
    arch: &'a str,
    os: Option<&'a str>,
    level: &'a str,
}

#[derive(Serialize)]
struct IncludeDoc<'a> {
    include: Vec<JobDoc<'a>>,
}

/// A GitHub Actions matrix: `{"include":[{...},...]}` on one line, ready
/// for `--github-output` and `fromJSON`. (GitHub reads every top-level key
/// as a matrix dimension, so this format has no version field: its shape
/// is GitHub's.)
fn github(rows: &[&Row], several: bool) -> Result<String, Failure> {
    let doc = IncludeDoc {
        include: rows
            .iter()
            .map(|r| JobDoc {
                package: several.then_some(r.source.package.as_deref()),
                target: r.verdict.target(),
                arch: r.cfg.arch(),
                os: r.cfg.os(),
                level: r.verdict.level().as_str(),
            })
            .collect(),
    };
    let line = serde_json::to_string(&doc)
        .map_err(|e| Failure::error(format!("cannot write the matrix: {}", e)))?;
    Ok(line + "\n")
}
