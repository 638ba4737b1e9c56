//! The subcommands, one file each, listed in [`ALL`]. A subcommand is a
//! [`Subcommand`]: its name, its help, whether it reads a policy (then the
//! policy options of `args::OPTIONS` apply to it), its positional
//! arguments, and the function that runs it. Helpers the subcommands share
//! live here.

use std::path::{Path, PathBuf};

use platform_guard::{BuildDecision, BuildEnv, Policy, TargetCfg, Verdict};

use crate::args::{Args, Key};
use crate::context::{Context, Failure};
use crate::ecosystem::{self, Resolved};
use crate::policies::{self, PackagePolicy};
use crate::toml_doc;
use crate::toolchain::{BuildTarget, Toolchain};

mod audit;
mod check;
mod diff;
mod doc;
mod explain;
pub mod inspect;
mod matrix;
mod pipeline;

pub use crate::args::Subcommand;

/// Every subcommand, in the order the help lists them.
pub const ALL: &[&Subcommand] = &[
    &matrix::COMMAND,
    &check::COMMAND,
    &explain::COMMAND,
    &doc::COMMAND,
    &pipeline::COMMAND,
    &audit::COMMAND,
    &diff::COMMAND,
    &inspect::COMMAND,
];

/// The repository's root: `--root`, else the workspace root's directory
/// (or the package's), else for a preset the current directory.
pub fn repository_root(
    ctx: &Context,
    args: &Args,
    source: &PackagePolicy,
) -> Result<PathBuf, Failure> {
    if let Some(dir) = args.path(Key::Root) {
        let dir = ctx.cwd.join(dir);
        if !dir.is_dir() {
            return Err(Failure::error(format!(
                "--root {}: not a directory",
                dir.display()
            )));
        }
        return Ok(dir);
    }
    match &source.manifest {
        Some(m) => crate::policies::repository_dir(m),
        None => Ok(crate::policies::find_manifest(&ctx.cwd)
            .and_then(|m| crate::policies::repository_dir(&m).ok())
            .unwrap_or_else(|| ctx.cwd.clone())),
    }
}

/// Where each of the policy's rules is written, by index: the manifest
/// (relative to `root`) and the line of the rule's entry in `rules`; a
/// preset's rules point at the `preset` key; a built-in policy has none.
pub fn rule_places(source: &PackagePolicy, root: &Path) -> Vec<(Option<String>, Option<usize>)> {
    let n = source.policy.rules().len();
    let Some((manifest, table)) = crate::policies::policy_table(source) else {
        let file = source
            .manifest
            .as_deref()
            .map(|m| crate::files::relative(root, m));
        return vec![(file, None); n];
    };
    let rel = crate::files::relative(root, &manifest);
    let text = crate::files::read_text(&manifest, "manifest").unwrap_or_default();
    let line_of = |at: usize| toml_doc::line_of(&text, at);
    let mut lines: Vec<usize> = Vec::new();
    let mut preset_line = None;
    if let Ok(doc) = toml_doc::parse(&text, &rel) {
        if let Some(t) = toml_doc::table_at(doc.get_ref(), table) {
            if let Some(items) = toml_doc::get(t, "rules").and_then(|v| v.as_array()) {
                lines = items.iter().map(|i| line_of(i.span().start)).collect();
            }
            if let Some((k, _)) = toml_doc::entry(t, "preset") {
                preset_line = Some(line_of(k.span().start));
            }
        }
    }
    (0..n)
        .map(|i| {
            let line = lines.get(i).copied().or(preset_line);
            (Some(rel.clone()), line)
        })
        .collect()
}

/// The targets of `--target`, a Debian architecture (`armhf`) or a Docker
/// platform (`linux/arm/v7`) replaced by the one triple it names, with a
/// note; a name that could mean several triples is an error listing them.
pub fn resolve_targets(ctx: &Context, names: Vec<String>) -> Result<Vec<String>, Failure> {
    names
        .into_iter()
        .map(|name| match ecosystem::resolve(&name) {
            Resolved::Triple => Ok(name),
            Resolved::One(triple, kind) => {
                ctx.note(&format!("{} is the {} of {}", name, kind, triple));
                Ok(triple.to_string())
            }
            Resolved::Many(kind, triples) => Err(Failure::error(format!(
                "{:?} is a {} that could mean {} targets: {}; give one of them with --target",
                name,
                kind,
                triples.len(),
                triples.join(", ")
            ))),
        })
        .collect()
}

/// What `check` and `explain` work on: the policies, the toolchain, and the
/// cfg of each target `--target` names (default: Cargo's `build.target`,
/// else the host). With `announce`, a default taken from Cargo's
/// configuration is noted as "`announce` the targets of `where`: ...".
pub fn named_targets<'c>(
    ctx: &'c Context,
    args: &Args,
    announce: Option<&str>,
) -> Result<(Vec<PackagePolicy>, Toolchain<'c>, Vec<BuildTarget>), Failure> {
    let sources = policies::load(ctx, &args.policy())?;
    note_build_scripts(ctx, &sources);
    let toolchain = Toolchain::new(ctx, &args.compiler())?;
    let mut targets = resolve_targets(ctx, args.list(Key::Target))?;
    if targets.is_empty() {
        targets = toolchain.default_targets();
        if let (Some(verb), Some((_, from))) = (announce, &toolchain.config.build_target) {
            ctx.note(&format!(
                "{} the targets of {}: {}",
                verb,
                from,
                targets.join(", ")
            ));
        }
    }
    toolchain.known(&targets)?;
    let described = toolchain.describe_all(&targets, jobs(args), false)?.0;
    Ok((sources, toolchain, described))
}

/// What the build script of each package whose table the command read
/// may do with it that the command cannot see (`build_script::note`).
pub fn note_build_scripts(ctx: &Context, sources: &[PackagePolicy]) {
    for s in sources {
        if let (Some(manifest), policies::Origin::Table | policies::Origin::Workspace(_)) =
            (&s.manifest, &s.origin)
        {
            if let Some(note) = crate::build_script::note(manifest, s.depends_on_guard) {
                ctx.note(&note);
            }
        }
    }
}

/// The compile `check` and `explain` decide for, for one package (its
/// profile and features, `--release`, `--features`, ...); for a preset
/// outside any package, the profile's settings and no features.
pub fn compile_of(
    ctx: &Context,
    args: &Args,
    toolchain: &Toolchain<'_>,
    source: &PackagePolicy,
) -> Result<crate::compile::Compile, Failure> {
    let manifest = source
        .manifest
        .clone()
        .or_else(|| policies::find_manifest(&ctx.cwd));
    let root = match &manifest {
        Some(m) => policies::repository_dir(m)
            .ok()
            .map(|d| d.join("Cargo.toml")),
        None => None,
    };
    crate::compile::of(
        ctx,
        &args.build(),
        &toolchain.config,
        source.package.as_deref().unwrap_or(""),
        source.manifest.as_deref(),
        root.as_deref(),
    )
}

/// Whether a rule tests a name Cargo decides per compile, so that the
/// compile `check` decides for matters.
pub fn tests_compile(policy: &Policy) -> bool {
    policy
        .cfg_names()
        .iter()
        .any(|n| matches!(*n, "debug_assertions" | "panic" | "feature"))
}

/// `--jobs`, else twice the CPUs.
pub fn jobs(args: &Args) -> usize {
    args.jobs()
}

/// What a build of the verdict's target would do in this environment,
/// decided by the function the build script uses.
pub fn build_decision(
    policy: &Policy,
    verdict: &Verdict,
    env: &BuildEnv,
) -> Result<BuildDecision, Failure> {
    Ok(policy.build_decision(verdict, env)?)
}

/// The heading of one package's part of the output, when there are
/// several.
pub fn heading(source: &PackagePolicy) -> String {
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
    source: &PackagePolicy,
    rules: &[usize],
    release: &str,
    count: usize,
) {
    for &i in rules {
        ctx.warn(&format!(
            "{}{} matches none of the {} targets rustc {} knows: a misspelt name or value?",
            source
                .package
                .as_deref()
                .map_or_else(String::new, |p| format!("{}: ", p)),
            source.policy.rules()[i].name(i),
            count,
            release
        ));
    }
}
