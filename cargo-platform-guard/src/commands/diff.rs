//! `diff OLD NEW`: what changed in support between two policies, for every
//! target the compiler knows: promoted, demoted, newly denied, newly
//! allowed, with the rule responsible on each side.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use platform_guard::{Level, ManifestPolicy, Policy, Verdict};

use super::{jobs, Subcommand};
use crate::args::{self, Args, Key};
use crate::toolchain::Toolchain;
use crate::{files, json, Context, Failure, Report};

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
            the rules responsible on both sides. Exit 0, or 1 with --fail-on demotion or \
            --fail-on denial when such a change is found (a release gate).",
    options: &[args::COMPILER, &[Key::FailOn]],
    positionals: &["OLD", "NEW"],
    formats: &[
        (
            "text",
            "one block per kind of change, targets grouped by rules",
        ),
        (
            "markdown",
            "a changelog section (### Platform support) to paste as is",
        ),
        ("json", "one object, one changed target a line"),
    ],
    run,
};

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Promoted,
    Demoted,
    NewlyDenied,
    NewlyAllowed,
}

impl Kind {
    const ALL: [Kind; 4] = [
        Kind::Demoted,
        Kind::NewlyDenied,
        Kind::Promoted,
        Kind::NewlyAllowed,
    ];

    fn title(self) -> &'static str {
        match self {
            Kind::Promoted => "promoted",
            Kind::Demoted => "demoted",
            Kind::NewlyDenied => "newly denied",
            Kind::NewlyAllowed => "newly allowed",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Kind::Promoted => "promoted",
            Kind::Demoted => "demoted",
            Kind::NewlyDenied => "newly_denied",
            Kind::NewlyAllowed => "newly_allowed",
        }
    }

    fn of(self, c: &Change) -> bool {
        match self {
            Kind::Promoted => c.new.level() < c.old.level(),
            Kind::Demoted => c.new.level() > c.old.level(),
            Kind::NewlyDenied => c.new_denied && !c.old_denied,
            Kind::NewlyAllowed => c.old_denied && !c.new_denied,
        }
    }
}

fn run(ctx: &Context, args: &Args) -> Result<Report, Failure> {
    let old = read_side(ctx, &args.positionals[0])?;
    let new = read_side(ctx, &args.positionals[1])?;
    old.policy.validate()?;
    new.policy.validate()?;
    let tc = Toolchain::new(ctx, &args.compiler())?;
    let targets = tc.target_list()?;
    let (described, left_out) = tc.describe_all(&targets, jobs(args), true)?;
    tc.warn_left_out(&left_out, targets.len());
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
        if Kind::ALL.iter().any(|k| k.of(&c)) {
            changes.push(c);
        }
    }
    let fail_on = args.texts(Key::FailOn);
    let failed = (fail_on.contains(&"demotion") && changes.iter().any(|c| Kind::Demoted.of(c)))
        || (fail_on.contains(&"denial") && changes.iter().any(|c| Kind::NewlyDenied.of(c)));
    let stdout = match args.text(Key::Format).unwrap_or("text") {
        "markdown" => markdown(&changes, &old, &new),
        "json" => json_doc(&changes, &old, &new, &tc.release, described.len()),
        _ => text(&changes, &old, &new, &tc.release, described.len()),
    };
    Ok(Report {
        stdout,
        code: if failed { 1 } else { 0 },
    })
}

/// `rule 2 `cfg`` or `no rule matched`.
fn rule_of(v: &Verdict) -> String {
    match (v.rule_index(), v.rule()) {
        (Some(i), Some(r)) => format!("rule {} `{}`", i + 1, r),
        _ => "no rule matched".to_string(),
    }
}

fn level_word(level: Level, denied: bool) -> String {
    if denied {
        format!("{}, denied", level)
    } else {
        level.to_string()
    }
}

/// The changes of one kind, grouped by what changed (levels, rules and
/// denials on both sides), in target order.
fn groups(changes: &[Change], kind: Kind) -> Vec<(String, String, Vec<&str>)> {
    let mut out: Vec<(String, String, Vec<&str>)> = Vec::new();
    for c in changes.iter().filter(|c| kind.of(c)) {
        let was = format!(
            "{} ({})",
            level_word(c.old.level(), c.old_denied),
            rule_of(&c.old)
        );
        let now = format!(
            "{} ({})",
            level_word(c.new.level(), c.new_denied),
            rule_of(&c.new)
        );
        match out.iter_mut().find(|(w, n, _)| *w == was && *n == now) {
            Some((_, _, list)) => list.push(&c.target),
            None => out.push((was, now, vec![&c.target])),
        }
    }
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
    for kind in Kind::ALL {
        let g = groups(changes, kind);
        if g.is_empty() {
            continue;
        }
        let n: usize = g.iter().map(|(_, _, t)| t.len()).sum();
        writeln!(out, "\n{} ({}):", kind.title(), n).expect("a String");
        for (was, now, targets) in g {
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
    for kind in Kind::ALL {
        let g = groups(changes, kind);
        if g.is_empty() {
            continue;
        }
        let mut title = kind.title().to_string();
        title[..1].make_ascii_uppercase();
        writeln!(out, "\n#### {}\n", title).expect("a String");
        for (was, now, targets) in g {
            let list: Vec<String> = targets.iter().map(|t| format!("`{}`", t)).collect();
            writeln!(
                out,
                "- {}: was {}; now {}.",
                list.join(", "),
                md(&was),
                md(&now)
            )
            .expect("a String");
        }
    }
    out
}

fn md(text: &str) -> String {
    text.replace('|', "\\|")
}

fn json_doc(changes: &[Change], old: &Side, new: &Side, release: &str, total: usize) -> String {
    let side = |v: &Verdict, denied: bool| {
        format!(
            "{{\"level\": {}, \"rule\": {}, \"rule_index\": {}, \"denied\": {}}}",
            json::string(v.level().as_str()),
            json::opt(v.rule()),
            v.rule_index()
                .map_or_else(|| "null".to_string(), |i| (i + 1).to_string()),
            denied
        )
    };
    let mut out = format!(
        "{{\n  \"format_version\": 1,\n  \"old\": {},\n  \"new\": {},\n  \"rustc\": {},\n  \
         \"targets_compared\": {},\n  \"changes\": [",
        json::string(&old.shown),
        json::string(&new.shown),
        json::string(release),
        total
    );
    for (i, c) in changes.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        let kinds: Vec<&str> = Kind::ALL
            .iter()
            .filter(|k| k.of(c))
            .map(|k| k.key())
            .collect();
        write!(
            out,
            "{{\"target\": {}, \"changes\": {}, \"old\": {}, \"new\": {}}}",
            json::string(&c.target),
            json::strings(kinds),
            side(&c.old, c.old_denied),
            side(&c.new, c.new_denied)
        )
        .expect("a String");
    }
    out.push_str(if changes.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}
