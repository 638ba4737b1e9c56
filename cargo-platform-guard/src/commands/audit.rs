//! `audit`: etcd's requirements for a stable platform, checked for
//! every rule: a maintainer named; CI that builds it, runs the unit tests
//! and runs the integration tests (and, optionally, a functional test
//! cluster), each a job the rule names in its `ci` table, read from the
//! workflow file as `pipeline` reads it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use platform_guard::{CiJob, Level, Requirement, Rule, TargetCfg};

use super::{jobs, repository_root, rule_places, Subcommand};
use crate::args::{self, Args, Key};
use crate::context::{Context, Failure, Output};
use crate::pipelines::{self, Job, NoteKind, Workflow};
use crate::policies::{self, PackagePolicy};
use crate::report::{self, AuditedRule, Body, Check, Code, Finding, Format, Need, Part, Status};
use crate::toolchain::Toolchain;

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
            (what they lack to be promoted). With several packages (--workspace, -p), one part \
            per package.",
    options: &[args::POLICY, args::COMPILER, &[Key::Root]],
    positionals: &[],
    formats: &[
        (Format::Text, "one block per rule, one line per requirement"),
        (
            Format::Markdown,
            "a table per rule, for a page or a pull request",
        ),
        (
            Format::Json,
            "one object: per package, each rule with each requirement",
        ),
        (
            Format::Sarif,
            "SARIF 2.1.0, for GitHub code scanning (upload-sarif)",
        ),
        (
            Format::Github,
            "GitHub Actions annotations (errors for stable rules, notices for the others), and \
             the Markdown report appended to $GITHUB_STEP_SUMMARY when it is set",
        ),
    ],
    run,
};

/// What auditing one package's rules needs and remembers: each workflow
/// read once, the cfg of each target a job names asked once.
struct Auditor<'a> {
    toolchain: &'a Toolchain<'a>,
    args: &'a Args,
    root: PathBuf,
    known: &'a [String],
    workflows: HashMap<String, Result<Workflow, String>>,
    cfgs: HashMap<String, TargetCfg>,
}

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let sources = policies::load(ctx, &args.policy())?;
    let toolchain = Toolchain::new(ctx, &args.compiler())?;
    let known = toolchain.target_list()?;
    let mut parts = Vec::new();
    for source in &sources {
        let mut auditor = Auditor {
            toolchain: &toolchain,
            args,
            root: repository_root(ctx, args, source)?,
            known: &known,
            workflows: HashMap::new(),
            cfgs: HashMap::new(),
        };
        parts.push(auditor.part(source)?);
    }
    let found = report::Report {
        command: COMMAND.name,
        parts,
    };
    report::output(ctx, &found, args.format())
}

impl Auditor<'_> {
    /// Every rule above unsupported, with each requirement.
    fn part(&mut self, source: &PackagePolicy) -> Result<Part, Failure> {
        let policy = &source.policy;
        let places = rule_places(source, &self.root);
        let mut rules = Vec::new();
        for (i, rule) in policy.rules().iter().enumerate() {
            if rule.level() == Level::Unsupported {
                continue;
            }
            let (file, line) = places[i].clone();
            let stable = rule.level() == Level::Stable;
            let mut checks = vec![maintainers(rule, stable, &file, line)];
            for req in Requirement::ALL {
                checks.push(self.check(rule, req, stable, (&file, line))?);
            }
            rules.push(AuditedRule {
                rule: i + 1,
                level: rule.level(),
                cfg: rule.cfg().to_string(),
                ok: checks.iter().all(|c| !c.unmet()),
                requirements: checks,
                name: rule.name(i).to_string(),
                file,
                line,
            });
        }
        Ok(Part {
            package: source.package.clone(),
            policy: source.describe(),
            findings: as_findings(&rules),
            body: Body::Audit(report::Audit { rules }),
        })
    }

    /// Requirement `req` of `rule`, written at `at` in the manifest.
    fn check(
        &mut self,
        rule: &Rule,
        req: Requirement,
        stable: bool,
        at: (&Option<String>, Option<usize>),
    ) -> Result<Check, Failure> {
        let optional = !req.required();
        let Some(job) = rule.ci(req) else {
            let detail = format!(
                "no CI job is named ({} = \"<workflow file>:<job id>\" in the rule's ci table)",
                req.as_str()
            );
            return Ok(checked(
                Need::Ci(req),
                (Outcome::NotMet, optional, stable),
                detail,
                None,
                at,
            ));
        };
        let (met, detail, place) = match self.workflow(job) {
            Err(why) => (Outcome::NotMet, why, (at.0.clone(), at.1)),
            Ok(w) => match w.jobs.iter().find(|j| j.id == job.job()) {
                None => (Outcome::NotMet, no_job(&w, job), (at.0.clone(), at.1)),
                Some(j) => {
                    let (outcome, detail) = self.judge(rule, req, j)?;
                    (outcome, detail, (Some(w.file.clone()), Some(j.line)))
                }
            },
        };
        Ok(checked(
            Need::Ci(req),
            (met, optional, stable),
            detail,
            Some(job.to_string()),
            (&place.0, place.1),
        ))
    }

    /// The workflow `job` names, read once (a clone: the jobs are small).
    fn workflow(&mut self, job: &CiJob) -> Result<Workflow, String> {
        let root = &self.root;
        let known = self.known;
        self.workflows
            .entry(job.workflow().to_string())
            .or_insert_with(|| {
                let Some(rel) = workflow_file(root, job.workflow()) else {
                    return Err(format!(
                        "{} does not exist (relative to {}, or in its .github/workflows)",
                        job.workflow(),
                        root.display()
                    ));
                };
                pipelines::read_workflow(&root.join(&rel), &rel, known).map_err(|f| f.to_string())
            })
            .clone()
    }

    /// The targets job `j` names, each once, with their cfg asked (once).
    fn targets_of(&mut self, j: &Job) -> Result<Vec<String>, Failure> {
        let mut names: Vec<String> = Vec::new();
        for m in &j.targets {
            if !names.contains(&m.target) {
                names.push(m.target.clone());
            }
        }
        let missing: Vec<String> = names
            .iter()
            .filter(|t| !self.cfgs.contains_key(*t))
            .cloned()
            .collect();
        if !missing.is_empty() {
            for d in self
                .toolchain
                .describe_all(&missing, jobs(self.args), false)?
                .0
            {
                self.cfgs.insert(d.cfg.triple().to_string(), d.cfg);
            }
        }
        Ok(names)
    }

    /// Whether job `j` meets `req` for `rule`: it builds (or tests) and at
    /// least one of its targets is one the rule matches.
    fn judge(
        &mut self,
        rule: &Rule,
        req: Requirement,
        j: &Job,
    ) -> Result<(Outcome, String), Failure> {
        let names = self.targets_of(j)?;
        let matched: Vec<&str> = names
            .iter()
            .filter(|t| self.cfgs.get(*t).is_some_and(|c| rule.cfg().matches(c)))
            .map(String::as_str)
            .collect();
        // What the job must do is the requirement's (the library's), not
        // guessed here.
        let builds = j.builds || !req.needs_build();
        let tests = j.tests || !req.needs_tests();
        let what = if req.needs_tests() {
            "tests"
        } else if req.needs_build() {
            "builds"
        } else {
            "runs for"
        };
        // What the files do not show may do what they do not say.
        let hidden = hidden_commands(j);
        let unmet = match hidden {
            Some(_) => Outcome::Unverifiable,
            None => Outcome::NotMet,
        };
        let unseen = |detail: String| match hidden {
            Some(why) => format!("{}; but {}", detail, why),
            None => detail,
        };
        if !builds || !tests {
            return Ok((
                unmet,
                unseen(if !builds {
                    format!(
                        "job {} runs no build (no cargo or cross command that compiles, no Rust \
                         build action)",
                        j.id
                    )
                } else {
                    format!(
                        "job {} runs no tests (no cargo test, cargo nextest or cross test)",
                        j.id
                    )
                }),
            ));
        }
        if !matched.is_empty() {
            return Ok((
                Outcome::Met,
                format!("job {} {} {}", j.id, what, matched.join(", ")),
            ));
        }
        if names.is_empty() {
            let why = j
                .notes
                .first()
                .map_or_else(|| "it names no target".to_string(), |n| n.body());
            return Ok((
                unmet,
                format!(
                    "job {}: {}: none of its targets is known to match",
                    j.id, why
                ),
            ));
        }
        Ok((
            unmet,
            unseen(format!(
                "job {} {} only targets the rule does not match: {}",
                j.id,
                what,
                names.join(", ")
            )),
        ))
    }
}

/// Whether a requirement a job backs is met, not met, or hidden from the
/// files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Met,
    NotMet,
    /// Not shown as met, and the job's commands are hidden (a program of
    /// the repository, `cargo xtask`, a value known only when it runs):
    /// said, never FAILED.
    Unverifiable,
}

impl From<bool> for Outcome {
    fn from(met: bool) -> Outcome {
        if met {
            Outcome::Met
        } else {
            Outcome::NotMet
        }
    }
}

/// Why a job's commands may do more than the files show, if they may:
/// its first note of a kind that hides a compile.
fn hidden_commands(j: &Job) -> Option<String> {
    j.notes
        .iter()
        .find(|n| match n.kind {
            NoteKind::NotUnderstood
            | NoteKind::BuiltByProgram
            | NoteKind::Unresolved { .. }
            | NoteKind::Truncated => true,
            NoteKind::Runner
            | NoteKind::RunnerFromName
            | NoteKind::CustomSpec
            | NoteKind::NixSystem => false,
        })
        .map(|n| n.body())
}

/// The workflow file a CI job names, relative to the repository's root:
/// the path as written, or a bare file name (`ci.yml`) in
/// `.github/workflows`, as GitHub's own tools name workflows.
fn workflow_file(root: &Path, named: &str) -> Option<String> {
    if root.join(named).is_file() {
        return Some(named.to_string());
    }
    let bare = !named.contains(['/', '\\']);
    let in_workflows = format!(".github/workflows/{}", named);
    (bare && root.join(&in_workflows).is_file()).then_some(in_workflows)
}

/// A requirement's check from whether it is met, optional, and of a
/// stable rule.
fn checked(
    requirement: Need,
    (met, optional, stable): (Outcome, bool, bool),
    detail: String,
    job: Option<String>,
    (file, line): (&Option<String>, Option<usize>),
) -> Check {
    let status = match (met, optional, stable) {
        (Outcome::Met, _, _) => Status::Met,
        (Outcome::Unverifiable, _, _) => Status::Unverifiable,
        (Outcome::NotMet, true, _) => Status::Optional,
        (Outcome::NotMet, false, true) => Status::Failed,
        (Outcome::NotMet, false, false) => Status::Missing,
    };
    Check {
        requirement,
        status,
        job,
        detail,
        file: file.clone(),
        line,
    }
}

/// The first requirement: a named maintainer.
fn maintainers(rule: &Rule, stable: bool, file: &Option<String>, line: Option<usize>) -> Check {
    let (met, detail) = match rule.maintainers().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => (true, m.to_string()),
        None => (
            false,
            "no maintainer is named (maintainers = [\"...\"] in the rule)".to_string(),
        ),
    };
    checked(
        Need::Maintainers,
        (Outcome::from(met), false, stable),
        detail,
        None,
        (file, line),
    )
}

/// `ci.yml has no job "x" (its jobs: a, b)`.
fn no_job(w: &Workflow, job: &CiJob) -> String {
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
    )
}

fn as_findings(rules: &[AuditedRule]) -> Vec<Finding> {
    let mut out = Vec::new();
    for a in rules {
        for c in a
            .requirements
            .iter()
            .filter(|c| c.status == Status::Unverifiable)
        {
            out.push(
                Finding::new(
                    Code::UnverifiableRequirement,
                    format!(
                        "{}: {}: cannot be verified from the files: {}",
                        a.name,
                        requirement_title(c.requirement),
                        c.detail
                    ),
                )
                .at(c.file.as_deref(), c.line)
                .rule(a.rule - 1),
            );
        }
        for c in a.unmet() {
            let title = requirement_title(c.requirement);
            let (code, message) = if a.level == Level::Stable {
                (
                    Code::UnmetRequirement,
                    format!("{}: {}: {}", a.name, title, c.detail),
                )
            } else {
                (
                    Code::PromotionRequirement,
                    format!(
                        "{}: to be promoted to stable it needs {}: {}",
                        a.name, title, c.detail
                    ),
                )
            };
            out.push(
                Finding::new(code, message)
                    .at(c.file.as_deref(), c.line)
                    .rule(a.rule - 1),
            );
        }
    }
    out
}

/// A requirement's name in reports.
fn requirement_title(need: Need) -> &'static str {
    match need {
        Need::Maintainers => "a named maintainer",
        Need::Ci(r) => r.describe(),
    }
}
