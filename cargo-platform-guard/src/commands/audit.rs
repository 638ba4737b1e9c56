//! `audit`: the seed's requirements for a stable platform, checked for
//! every rule: a maintainer named; CI that builds it, runs the unit tests
//! and runs the integration tests (and, optionally, a functional test
//! cluster), each a job the rule names in its `ci` table, read from the
//! workflow file as `pipeline` reads it.

use std::collections::HashMap;
use std::fmt::Write as _;

use platform_guard::{Level, Requirement, Rule, TargetCfg};

use super::{jobs, one_policy, repository_root, rule_name, rule_places, Subcommand};
use crate::args::{self, Args, Key};
use crate::findings::{self, Finding, Severity};
use crate::pipelines::{self, Job, Workflow};
use crate::toolchain::Toolchain;
use crate::{json, source, Context, Failure, Report};

pub const COMMAND: Subcommand = Subcommand {
    name: "audit",
    summary: "check that every stable rule meets the requirements for a stable platform",
    about: "For every stable rule: a maintainer is named, and each CI job its `ci` table names \
            (ci = { build = \"<workflow file>:<job id>\", unit = ..., integration = ..., \
            functional = ... }) exists in that workflow (relative to --root), parses, and builds \
            (build) or runs tests (unit, integration) for at least one target the rule matches: \
            a target of its matrix or of its --target arguments, or its runner's host when it \
            names none. build, unit and integration are required; functional is optional, and \
            checked when named. Exit 1 lists each unmet requirement of a stable rule, with the \
            file and line; experimental and unstable rules get the same report as information \
            (what they lack to be promoted).",
    options: &[args::POLICY, args::COMPILER, &[Key::Root]],
    positionals: &[],
    formats: &[
        ("text", "one block per rule, one line per requirement"),
        ("markdown", "a table per rule, for a page or a pull request"),
        ("json", "one object: each rule with each requirement"),
        (
            "github",
            "GitHub Actions annotations (errors for stable rules, notices for the others), and \
             the Markdown report appended to $GITHUB_STEP_SUMMARY when it is set",
        ),
    ],
    run,
};

const TITLE: &str = "platform-guard audit";

/// One requirement of one rule.
struct Check {
    /// `maintainers`, `build`, `unit`, `integration`, `functional`.
    name: &'static str,
    met: bool,
    /// Not required (the functional test cluster).
    optional: bool,
    /// What meets it, or why it is not met.
    detail: String,
    /// The CI job named, if any.
    job: Option<String>,
    file: Option<String>,
    line: Option<usize>,
}

struct Audited {
    index: usize,
    level: Level,
    name: String,
    file: Option<String>,
    line: Option<usize>,
    checks: Vec<Check>,
}

impl Audited {
    fn unmet(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.met && !c.optional)
    }
}

fn requirement_words(r: Requirement) -> &'static str {
    match r {
        Requirement::Build => "CI that builds it",
        Requirement::Unit => "CI that runs the unit tests",
        Requirement::Integration => "CI that runs the integration tests",
        _ => "a functional test cluster",
    }
}

fn run(ctx: &Context, args: &Args) -> Result<Report, Failure> {
    let sources = source::load(ctx, &args.policy())?;
    let source = one_policy(&sources, "audit")?;
    let policy = &source.policy;
    let root = repository_root(ctx, args, source)?;
    let tc = Toolchain::new(ctx, &args.compiler())?;
    let known = tc.target_list()?;
    let places = rule_places(source, &root);
    let mut workflows: HashMap<String, Result<Workflow, String>> = HashMap::new();
    let mut audited = Vec::new();
    // The cfg of every target a referenced job names, asked once.
    let mut cfgs: HashMap<String, TargetCfg> = HashMap::new();
    for (i, rule) in policy.rules().iter().enumerate() {
        if rule.level() == Level::Unsupported {
            continue;
        }
        let (file, line) = places[i].clone();
        let mut checks = Vec::new();
        checks.push(
            match rule.maintainers().map(str::trim).filter(|m| !m.is_empty()) {
                Some(m) => Check {
                    name: "maintainers",
                    met: true,
                    optional: false,
                    detail: m.to_string(),
                    job: None,
                    file: file.clone(),
                    line,
                },
                None => Check {
                    name: "maintainers",
                    met: false,
                    optional: false,
                    detail: "no maintainer is named (maintainers = [\"...\"] in the rule)"
                        .to_string(),
                    job: None,
                    file: file.clone(),
                    line,
                },
            },
        );
        for req in Requirement::ALL {
            let check = match rule.ci(req) {
                None => Check {
                    name: req.as_str(),
                    met: false,
                    optional: !req.required(),
                    detail: format!(
                        "no CI job is named ({} = \"<workflow file>:<job id>\" in the rule's ci \
                         table)",
                        req.as_str()
                    ),
                    job: None,
                    file: file.clone(),
                    line,
                },
                Some(job) => {
                    let wf = workflows
                        .entry(job.workflow().to_string())
                        .or_insert_with(|| {
                            let path = root.join(job.workflow());
                            if !path.is_file() {
                                return Err(format!(
                                    "{} does not exist (relative to {})",
                                    job.workflow(),
                                    root.display()
                                ));
                            }
                            pipelines::read_workflow(&path, job.workflow(), &known)
                                .map_err(|f| f.to_string())
                        });
                    let (met, detail, at) = match wf {
                        Err(why) => (false, why.clone(), (file.clone(), line)),
                        Ok(w) => match w.jobs.iter().find(|j| j.id == job.job()) {
                            None => (
                                false,
                                format!(
                                    "{} has no job {:?} (its jobs: {})",
                                    w.file,
                                    job.job(),
                                    if w.jobs.is_empty() {
                                        "none".to_string()
                                    } else {
                                        w.jobs
                                            .iter()
                                            .map(|j| j.id.as_str())
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    }
                                ),
                                (file.clone(), line),
                            ),
                            Some(j) => {
                                let (met, detail) = judge(&tc, &mut cfgs, rule, req, j, args)?;
                                (met, detail, (Some(w.file.clone()), Some(j.line)))
                            }
                        },
                    };
                    Check {
                        name: req.as_str(),
                        met,
                        optional: !req.required(),
                        detail,
                        job: Some(job.to_string()),
                        file: at.0,
                        line: at.1,
                    }
                }
            };
            checks.push(check);
        }
        audited.push(Audited {
            index: i,
            level: rule.level(),
            name: rule_name(policy, i),
            file,
            line,
            checks,
        });
    }
    let failing = audited
        .iter()
        .any(|a| a.level == Level::Stable && a.unmet().next().is_some());
    let code = if failing { 1 } else { 0 };
    let stdout = match args.text(Key::Format).unwrap_or("text") {
        "markdown" => markdown(&audited, source),
        "json" => json_doc(&audited, source),
        "github" => {
            findings::step_summary(ctx, &markdown(&audited, source))?;
            let mut out = String::new();
            for f in as_findings(&audited) {
                out.push_str(&f.github(TITLE));
                out.push('\n');
            }
            out
        }
        _ => text(&audited, source),
    };
    Ok(Report { stdout, code })
}

/// Whether job `j` meets `req` for `rule`: it builds (or tests) and at
/// least one of its targets is one the rule matches.
fn judge(
    tc: &Toolchain,
    cfgs: &mut HashMap<String, TargetCfg>,
    rule: &Rule,
    req: Requirement,
    j: &Job,
    args: &Args,
) -> Result<(bool, String), Failure> {
    let names: Vec<String> =
        j.targets
            .iter()
            .map(|m| m.target.clone())
            .fold(Vec::new(), |mut v, t| {
                if !v.contains(&t) {
                    v.push(t);
                }
                v
            });
    let missing: Vec<String> = names
        .iter()
        .filter(|t| !cfgs.contains_key(*t))
        .cloned()
        .collect();
    if !missing.is_empty() {
        for d in tc.describe_all(&missing, jobs(args), false)?.0 {
            cfgs.insert(d.cfg.triple().to_string(), d.cfg);
        }
    }
    let matched: Vec<&str> = names
        .iter()
        .filter(|t| cfgs.get(*t).is_some_and(|c| rule.cfg().matches(c)))
        .map(String::as_str)
        .collect();
    let does = match req {
        Requirement::Build => j.builds,
        Requirement::Unit | Requirement::Integration => j.tests,
        _ => true,
    };
    let what = match req {
        Requirement::Build => "builds",
        Requirement::Unit | Requirement::Integration => "tests",
        _ => "runs for",
    };
    if !does {
        return Ok((
            false,
            match req {
                Requirement::Build => format!(
                    "job {} runs no build (no cargo or cross command that compiles, no Rust \
                     build action)",
                    j.id
                ),
                _ => format!(
                    "job {} runs no tests (no cargo test, cargo nextest or cross test)",
                    j.id
                ),
            },
        ));
    }
    if !matched.is_empty() {
        return Ok((
            true,
            format!("job {} {} {}", j.id, what, matched.join(", ")),
        ));
    }
    if names.is_empty() {
        let why = j
            .notes
            .first()
            .map_or_else(|| "it names no target".to_string(), |n| n.body());
        return Ok((
            false,
            format!(
                "job {}: {}: none of its targets is known to match",
                j.id, why
            ),
        ));
    }
    Ok((
        false,
        format!(
            "job {} {} only targets the rule does not match: {}",
            j.id,
            what,
            names.join(", ")
        ),
    ))
}

fn as_findings(audited: &[Audited]) -> Vec<Finding> {
    let mut out = Vec::new();
    for a in audited {
        for c in a.unmet() {
            let (severity, message) = if a.level == Level::Stable {
                (
                    Severity::Error,
                    format!("{}: {}: {}", a.name, requirement_title(c.name), c.detail),
                )
            } else {
                (
                    Severity::Notice,
                    format!(
                        "{}: to be promoted to stable it needs {}: {}",
                        a.name,
                        requirement_title(c.name),
                        c.detail
                    ),
                )
            };
            out.push(Finding::new(severity, c.file.as_deref(), c.line, message));
        }
    }
    out
}

/// A requirement's name in reports.
fn requirement_title(name: &str) -> &'static str {
    match name {
        "maintainers" => "a named maintainer",
        "build" => requirement_words(Requirement::Build),
        "unit" => requirement_words(Requirement::Unit),
        "integration" => requirement_words(Requirement::Integration),
        _ => requirement_words(Requirement::Functional),
    }
}

fn status(a: &Audited, c: &Check) -> &'static str {
    match (c.met, c.optional, a.level == Level::Stable) {
        (true, _, _) => "met",
        (false, true, _) => "optional",
        (false, false, true) => "FAILED",
        (false, false, false) => "missing",
    }
}

fn text(audited: &[Audited], source: &source::Source) -> String {
    let mut out = String::new();
    writeln!(out, "policy: {}", source.describe()).expect("a String");
    for a in audited {
        let place = match (&a.file, a.line) {
            (Some(f), Some(l)) => format!(" ({}:{})", f, l),
            (Some(f), None) => format!(" ({})", f),
            _ => String::new(),
        };
        let unmet = a.unmet().count();
        let verdict = match (a.level == Level::Stable, unmet) {
            (true, 0) => "meets every requirement for a stable platform".to_string(),
            (true, n) => format!("{} requirement{} unmet", n, if n == 1 { "" } else { "s" }),
            (false, 0) => "would meet every requirement for a stable platform".to_string(),
            (false, n) => format!(
                "to be promoted to stable it lacks {} requirement{}",
                n,
                if n == 1 { "" } else { "s" }
            ),
        };
        writeln!(out, "\n{}{}: {}", a.name, place, verdict).expect("a String");
        for c in &a.checks {
            let job = c
                .job
                .as_deref()
                .map_or_else(String::new, |j| format!(" [{}]", j));
            let at = match (&c.file, c.line, c.met || c.optional) {
                (Some(f), Some(l), false) => format!(" ({}:{})", f, l),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {:<8}  {}{}: {}{}",
                status(a, c),
                c.name,
                job,
                c.detail,
                at
            )
            .expect("a String");
        }
    }
    let stable: Vec<&Audited> = audited
        .iter()
        .filter(|a| a.level == Level::Stable)
        .collect();
    let failing = stable.iter().filter(|a| a.unmet().next().is_some()).count();
    writeln!(
        out,
        "\nstable rules that meet every requirement: {} of {}",
        stable.len() - failing,
        stable.len()
    )
    .expect("a String");
    out
}

fn markdown(audited: &[Audited], source: &source::Source) -> String {
    let mut out = String::from("## platform-guard: audit\n\n");
    writeln!(out, "Policy: {}.\n", findings::cell(&source.describe())).expect("a String");
    out.push_str(
        "| Rule | Level | Maintainers | Build | Unit tests | Integration tests | Functional \
         tests |\n|---|---|---|---|---|---|---|\n",
    );
    for a in audited {
        let cells: Vec<String> = a
            .checks
            .iter()
            .map(|c| {
                let mark = match status(a, c) {
                    "met" => "✅",
                    "optional" => "➖",
                    "FAILED" => "❌",
                    _ => "⬜",
                };
                let job = c
                    .job
                    .as_deref()
                    .map_or_else(String::new, |j| format!(" `{}`", j));
                format!("{}{} {}", mark, job, findings::cell(&c.detail))
            })
            .collect();
        writeln!(
            out,
            "| {}. `{}` | {} | {} |",
            a.index + 1,
            findings::cell(&source.policy.rules()[a.index].cfg().to_string()),
            a.level,
            cells.join(" | ")
        )
        .expect("a String");
    }
    let list = as_findings(audited);
    let errors = list
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    writeln!(
        out,
        "\n**{}**\n",
        if errors == 0 {
            "Every stable rule meets the requirements.".to_string()
        } else {
            format!(
                "{} unmet requirement{} of stable rules.",
                errors,
                if errors == 1 { "" } else { "s" }
            )
        }
    )
    .expect("a String");
    out.push_str(&findings::markdown_list(&list));
    out
}

fn json_doc(audited: &[Audited], source: &source::Source) -> String {
    let mut out = format!(
        "{{\n  \"format_version\": 1,\n  \"policy\": {},\n  \"rules\": [",
        json::string(&source.describe())
    );
    for (i, a) in audited.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        let checks: Vec<String> = a
            .checks
            .iter()
            .map(|c| {
                format!(
                    "{{\"requirement\": {}, \"status\": {}, \"job\": {}, \"detail\": {}, \"file\": \
                     {}, \"line\": {}}}",
                    json::string(c.name),
                    json::string(&status(a, c).to_ascii_lowercase()),
                    json::opt(c.job.as_deref()),
                    json::string(&c.detail),
                    json::opt(c.file.as_deref()),
                    c.line.map_or_else(|| "null".to_string(), |l| l.to_string())
                )
            })
            .collect();
        write!(
            out,
            "{{\"rule\": {}, \"level\": {}, \"cfg\": {}, \"ok\": {}, \"requirements\": [{}]}}",
            a.index + 1,
            json::string(a.level.as_str()),
            json::string(&source.policy.rules()[a.index].cfg().to_string()),
            a.unmet().next().is_none(),
            checks.join(", ")
        )
        .expect("a String");
    }
    out.push_str(if audited.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}
