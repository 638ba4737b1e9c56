//! `diff OLD NEW`: what changed in support between two policies, for every
//! target the compiler knows: promoted, demoted, newly denied, newly
//! allowed, with the rule responsible on each side.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use platform_guard::{Level, ManifestPolicy, Policy, Verdict};
use serde::Serialize;

use super::{jobs, Subcommand};
use crate::args::{self, Args, FailOn, Key};
use crate::context::{Context, Failure, Output};
use crate::files;
use crate::report::{self, json, markdown::cell, Format};
use crate::toolchain::Toolchain;

pub const COMMAND: Subcommand = Subcommand {
    name: "diff",
    summary: "show what changed in support between two policies (promotions, demotions, denials)",
    about: "OLD and NEW are Cargo.toml files with a [package.metadata.platform-guard] table (a \
            member's `workspace = true` is followed to its workspace's table), or REV:PATH, the \
            manifest at a git revision as `git show REV:PATH` reads it (PATH from the \
            repository's root, or from the current directory with ./). Every target the \
            compiler knows is classified with both: a target whose level rises is promoted, one \
            whose level drops is demoted; one whose build the new policy's deny refuses and the \
            old one's did not is newly denied, and the reverse newly allowed. Each change names \
            the rules responsible on both sides; a target that changed in two ways (demoted and \
            newly denied) is listed once, under both. Exit 0, or 1 with --fail-on demotion or \
            --fail-on denial when such a change is found (a release gate).",
    options: &[args::COMPILER, &[Key::FailOn]],
    positionals: &["OLD", "NEW"],
    formats: &[
        (
            Format::Text,
            "one block per kind of change, targets grouped by rules",
        ),
        (
            Format::Markdown,
            "a changelog section (### Platform support) to paste as is",
        ),
        (Format::Json, "one object, one changed target a line"),
    ],
    run,
};

/// The kind of change a `--fail-on` value fails on.
fn fails_on(f: FailOn) -> Shift {
    match f {
        FailOn::Demotion => Shift::Demoted,
        FailOn::Denial => Shift::NewlyDenied,
    }
}

/// One side of the diff.
struct Side {
    shown: String,
    policy: Policy,
}

/// Reads `arg`: a manifest path, else `REV:PATH` through git.
fn read_side(ctx: &Context, arg: &OsStr) -> Result<Side, Failure> {
    let text = arg.to_string_lossy().into_owned();
    let path = ctx.cwd.join(arg);
    if path.exists() {
        let m = ManifestPolicy::read(&path)?;
        return Ok(Side {
            shown: text,
            policy: m.into_policy(),
        });
    }
    let Some((rev, file)) = text.split_once(':') else {
        return Err(Failure::error(format!(
            "{}: no such file, and not REV:PATH: expected a Cargo.toml or a git revision and a \
             path, such as v1.0.0:Cargo.toml",
            text
        )));
    };
    if rev.is_empty() || file.is_empty() || rev.starts_with('-') {
        return Err(Failure::error(format!(
            "{:?}: expected REV:PATH with a revision and a path, such as v1.0.0:Cargo.toml",
            text
        )));
    }
    let out = Command::new("git")
        .args(["show", "--no-textconv", &text])
        .current_dir(&ctx.cwd)
        .output()
        .map_err(|e| Failure::error(format!("cannot run `git show {}`: {}", text, e)))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Failure::error(format!(
            "`git show {}` failed: {}",
            text,
            err.lines().next().unwrap_or("no message")
        )));
    }
    if out.stdout.len() as u64 > files::MAX_READ {
        return Err(Failure::error(format!(
            "{}: larger than {} MiB",
            text,
            files::MAX_READ / (1024 * 1024)
        )));
    }
    let body = String::from_utf8(out.stdout)
        .map_err(|_| Failure::error(format!("{}: not UTF-8 text", text)))?;
    let m = ManifestPolicy::parse(&body, &PathBuf::from(&text))?;
    Ok(Side {
        shown: text,
        policy: m.into_policy(),
    })
}

/// One target whose support changed.
struct Change {
    target: String,
    old: Verdict,
    new: Verdict,
    old_denied: bool,
    new_denied: bool,
}

/// How a target's support moved between the two policies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shift {
    Promoted,
    Demoted,
    NewlyDenied,
    NewlyAllowed,
}

impl Shift {
    const ALL: [Shift; 4] = [
        Shift::Demoted,
        Shift::NewlyDenied,
        Shift::Promoted,
        Shift::NewlyAllowed,
    ];

    fn title(self) -> &'static str {
        match self {
            Shift::Promoted => "promoted",
            Shift::Demoted => "demoted",
            Shift::NewlyDenied => "newly denied",
            Shift::NewlyAllowed => "newly allowed",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Shift::Promoted => "promoted",
            Shift::Demoted => "demoted",
            Shift::NewlyDenied => "newly_denied",
            Shift::NewlyAllowed => "newly_allowed",
        }
    }

    fn of(self, c: &Change) -> bool {
        match self {
            Shift::Promoted => c.new.level() < c.old.level(),
            Shift::Demoted => c.new.level() > c.old.level(),
            Shift::NewlyDenied => c.new_denied && !c.old_denied,
            Shift::NewlyAllowed => c.old_denied && !c.new_denied,
        }
    }
}

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let old = read_side(ctx, &args.positionals[0])?;
    let new = read_side(ctx, &args.positionals[1])?;
    old.policy.validate()?;
    new.policy.validate()?;
    let toolchain = Toolchain::new(ctx, &args.compiler())?;
    let targets = toolchain.target_list()?;
    let (described, left_out) = toolchain.describe_all(&targets, jobs(args), true)?;
    toolchain.warn_left_out(&left_out, targets.len());
    let mut changes = Vec::new();
    for d in &described {
        let o = old.policy.classify(&d.cfg);
        let n = new.policy.classify(&d.cfg);
        let c = Change {
            target: d.cfg.triple().to_string(),
            old_denied: old.policy.denies(o.level()),
            new_denied: new.policy.denies(n.level()),
            old: o,
            new: n,
        };
        if Shift::ALL.iter().any(|k| k.of(&c)) {
            changes.push(c);
        }
    }
    let failed = args
        .fail_on()
        .iter()
        .any(|f| changes.iter().any(|c| fails_on(*f).of(c)));
    let stdout = match args.format() {
        Format::Text => text(&changes, &old, &new, &toolchain.release, described.len()),
        Format::Markdown => markdown(&changes, &old, &new),
        Format::Json => json_doc(&changes, &old, &new, &toolchain.release, described.len())?,
        other @ (Format::Table | Format::Github | Format::Sarif | Format::Docker) => {
            return Err(report::unsupported(other, COMMAND.name))
        }
    };
    Ok(Output {
        stdout,
        code: if failed { 1 } else { 0 },
    })
}

fn level_word(level: Level, denied: bool) -> String {
    if denied {
        format!("{}, denied", level)
    } else {
        level.to_string()
    }
}

/// The kinds of change of `c`, in [`Shift::ALL`]'s order.
fn kinds(c: &Change) -> Vec<Shift> {
    Shift::ALL.into_iter().filter(|k| k.of(c)).collect()
}

/// `demoted and newly denied`.
fn title(kinds: &[Shift]) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| k.title()).collect();
    words.join(" and ")
}

/// Targets that changed alike: was, now, and the targets.
type Group<'c> = (String, String, Vec<&'c str>);

/// The changed targets grouped once each: by their kinds of change (a
/// target demoted and newly denied is one group, not one in each), then by
/// what changed (levels, rules and denials on both sides), in target
/// order.
fn groups(changes: &[Change]) -> Vec<(Vec<Shift>, Vec<Group<'_>>)> {
    let mut out: Vec<(Vec<Shift>, Vec<Group>)> = Vec::new();
    for c in changes {
        let kinds = kinds(c);
        let was = format!(
            "{} ({})",
            level_word(c.old.level(), c.old_denied),
            c.old.rule_name().numbered()
        );
        let now = format!(
            "{} ({})",
            level_word(c.new.level(), c.new_denied),
            c.new.rule_name().numbered()
        );
        let at = match out.iter().position(|(k, _)| *k == kinds) {
            Some(at) => at,
            None => {
                out.push((kinds, Vec::new()));
                out.len() - 1
            }
        };
        let list = &mut out[at].1;
        match list.iter_mut().find(|(w, n, _)| *w == was && *n == now) {
            Some((_, _, targets)) => targets.push(&c.target),
            None => list.push((was, now, vec![&c.target])),
        }
    }
    // In the order of the kinds (demotions first).
    let rank = |k: &Shift| Shift::ALL.iter().position(|x| x == k);
    out.sort_by_key(|(kinds, _)| kinds.iter().map(rank).collect::<Vec<_>>());
    out
}

fn text(changes: &[Change], old: &Side, new: &Side, release: &str, total: usize) -> String {
    let mut out = format!(
        "{} -> {}: {} of the {} targets rustc {} knows changed\n",
        old.shown,
        new.shown,
        changes.len(),
        total,
        release
    );
    for (kinds, groups) in groups(changes) {
        let n: usize = groups.iter().map(|(_, _, t)| t.len()).sum();
        writeln!(out, "\n{} ({}):", title(&kinds), n).expect("a String");
        for (was, now, targets) in groups {
            writeln!(out, "  {}", targets.join(", ")).expect("a String");
            writeln!(out, "    was: {}", was).expect("a String");
            writeln!(out, "    now: {}", now).expect("a String");
        }
    }
    out
}

fn markdown(changes: &[Change], old: &Side, new: &Side) -> String {
    let mut out = String::from("### Platform support\n\n");
    if changes.is_empty() {
        writeln!(
            out,
            "No target changed level or denial between `{}` and `{}`.",
            old.shown, new.shown
        )
        .expect("a String");
        return out;
    }
    writeln!(out, "Changes from `{}` to `{}`.", old.shown, new.shown).expect("a String");
    for (kinds, groups) in groups(changes) {
        let mut title = title(&kinds);
        title[..1].make_ascii_uppercase();
        writeln!(out, "\n#### {}\n", title).expect("a String");
        for (was, now, targets) in groups {
            let list: Vec<String> = targets.iter().map(|t| format!("`{}`", t)).collect();
            writeln!(
                out,
                "- {}: was {}; now {}.",
                list.join(", "),
                cell(&was),
                cell(&now)
            )
            .expect("a String");
        }
    }
    out
}

/// One side of a change in the JSON document.
#[derive(Serialize)]
struct SideDoc<'v> {
    #[serde(serialize_with = "report::level_str")]
    level: Level,
    rule: Option<&'v str>,
    /// Counted from 1.
    rule_index: Option<usize>,
    denied: bool,
}

impl<'v> SideDoc<'v> {
    fn of(v: &'v Verdict, denied: bool) -> SideDoc<'v> {
        SideDoc {
            level: v.level(),
            rule: v.rule(),
            rule_index: v.rule_index().map(|i| i + 1),
            denied,
        }
    }
}

#[derive(Serialize)]
struct ChangeDoc<'v> {
    target: &'v str,
    changes: Vec<&'static str>,
    old: SideDoc<'v>,
    new: SideDoc<'v>,
}

#[derive(Serialize)]
struct DiffDoc<'v> {
    old: &'v str,
    new: &'v str,
    rustc: &'v str,
    targets_compared: usize,
    changes: Vec<ChangeDoc<'v>>,
}

fn json_doc(
    changes: &[Change],
    old: &Side,
    new: &Side,
    release: &str,
    total: usize,
) -> Result<String, Failure> {
    let doc = DiffDoc {
        old: &old.shown,
        new: &new.shown,
        rustc: release,
        targets_compared: total,
        changes: changes
            .iter()
            .map(|c| ChangeDoc {
                target: &c.target,
                changes: kinds(c).iter().map(|k| k.key()).collect(),
                old: SideDoc::of(&c.old, c.old_denied),
                new: SideDoc::of(&c.new, c.new_denied),
            })
            .collect(),
    };
    json::document(COMMAND.name, &doc)
}
