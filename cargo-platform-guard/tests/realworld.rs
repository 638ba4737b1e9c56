//! `pipeline` and `audit` on ten real projects' release and CI files,
//! against a ground truth read by hand.
//!
//! The files lie in `../shared/realworld/pipelines/<project>` beside the
//! repository (never copied here); `tests/realworld/<project>.toml` says, per
//! project, which targets its releases ship, what each job builds and tests,
//! which values in target positions are not targets, and what the files
//! cannot say. For each project the real binary runs `pipeline --preset
//! default --root <project>` (JSON and text) and `audit` with a scratch policy
//! naming a few of the project's jobs, and the test compares:
//!
//! - shipped targets: found, missed, invented (against `ships`);
//! - false findings: a finding or a listed target that names something that
//!   is not a Rust target (an expression, a file name, another tool's
//!   `--target`, a Debian or Docker name, a custom target spec);
//! - jobs labelled shipped whose truth is that they ship nothing;
//! - audit: a requirement the truth says is met but reported FAILED, and one
//!   reported met that the truth says is not.
//!
//! It prints a table of these figures (and, for information, the built and
//! documented targets per job) and fails on any miss, invention, false
//! finding, wrong label or wrong audit line.
//!
//! The command's JSON is read in one place, [`said_by_pipeline`] (and
//! [`said_by_audit`] for audit): its shape may change, the comparisons not.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};

use common::{package_dir, pg_in, scratch, target_list};
use serde_json::Value;
use toml::de::{DeTable, DeValue};

// ---------------------------------------------------------------- the files

/// `../shared/realworld/pipelines` beside the repository (also where a clone
/// of it lies elsewhere: the workplace's own copy).
fn pipelines() -> PathBuf {
    let repo = package_dir()
        .parent()
        .expect("the package lies in the repository")
        .to_path_buf();
    [
        repo.join("../shared/realworld/pipelines"),
        PathBuf::from("/work/shared/realworld/pipelines"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
    .expect("../shared/realworld/pipelines (the real projects' files) beside the repository")
}

// ---------------------------------------------------------------- the truth

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Ships,
    Publishes,
    Tests,
    Builds,
    Other,
}

impl Role {
    fn parse(s: &str) -> Role {
        match s {
            "ships" => Role::Ships,
            "publishes" => Role::Publishes,
            "tests" => Role::Tests,
            "builds" => Role::Builds,
            "other" => Role::Other,
            _ => panic!("unknown role {:?}", s),
        }
    }

    /// Whether a job of this role may rightly be called a shipping one.
    fn ships(self) -> bool {
        matches!(self, Role::Ships | Role::Publishes)
    }
}

#[derive(Debug)]
struct TruthJob {
    workflow: String,
    id: String,
    role: Role,
    targets: BTreeSet<String>,
    known: bool,
}

#[derive(Debug)]
struct TruthAudit {
    job: String,
    target: String,
    cfg: String,
    builds: bool,
    tests: bool,
    tests_known: bool,
    why: String,
}

#[derive(Debug)]
struct Truth {
    commit: String,
    ships: BTreeSet<String>,
    documented: BTreeSet<String>,
    not_targets: Vec<String>,
    /// Misspelt triples the command should warn about (none so far).
    misspelt: BTreeSet<String>,
    jobs: Vec<TruthJob>,
    audits: Vec<TruthAudit>,
}

impl Truth {
    fn job(&self, workflow: &str, id: &str) -> Option<&TruthJob> {
        self.jobs
            .iter()
            .find(|j| j.workflow == workflow && j.id == id)
    }
}

fn get<'t, 'i>(t: &'t DeTable<'i>, key: &str) -> Option<&'t DeValue<'i>> {
    t.iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v.get_ref())
}

fn text_of(t: &DeTable<'_>, key: &str, what: &str) -> String {
    get(t, key)
        .and_then(DeValue::as_str)
        .unwrap_or_else(|| panic!("{}: `{}` must be a string", what, key))
        .to_string()
}

fn flag_of(t: &DeTable<'_>, key: &str, default: bool) -> bool {
    get(t, key).and_then(DeValue::as_bool).unwrap_or(default)
}

fn list_of(t: &DeTable<'_>, key: &str) -> Vec<String> {
    match get(t, key) {
        None => Vec::new(),
        Some(DeValue::Array(items)) => items
            .iter()
            .map(|i| {
                i.get_ref()
                    .as_str()
                    .unwrap_or_else(|| panic!("`{}` holds strings", key))
                    .to_string()
            })
            .collect(),
        Some(_) => panic!("`{}` must be an array", key),
    }
}

fn tables_of<'t, 'i>(t: &'t DeTable<'i>, key: &str) -> Vec<&'t DeTable<'i>> {
    match get(t, key) {
        None => Vec::new(),
        Some(DeValue::Array(items)) => items
            .iter()
            .map(|i| i.get_ref().as_table().expect("an array of tables"))
            .collect(),
        Some(_) => panic!("`{}` must be an array of tables", key),
    }
}

fn read_truth(project: &str) -> Truth {
    let path = package_dir()
        .join("tests/realworld")
        .join(format!("{}.toml", project));
    let text = std::fs::read_to_string(&path).expect("the truth file");
    let doc = DeTable::parse(&text).unwrap_or_else(|e| panic!("{}: {}", path.display(), e));
    let t = doc.get_ref();
    assert_eq!(text_of(t, "project", project), project);
    let jobs = tables_of(t, "job")
        .into_iter()
        .map(|j| {
            let id = text_of(j, "id", "[[job]]");
            TruthJob {
                workflow: text_of(j, "workflow", &id),
                role: Role::parse(&text_of(j, "role", &id)),
                targets: list_of(j, "targets").into_iter().collect(),
                known: flag_of(j, "known", true),
                id,
            }
        })
        .collect();
    let audits = tables_of(t, "audit")
        .into_iter()
        .map(|a| {
            let job = text_of(a, "job", "[[audit]]");
            TruthAudit {
                target: text_of(a, "target", &job),
                cfg: text_of(a, "cfg", &job),
                builds: flag_of(a, "builds", false),
                tests: flag_of(a, "tests", false),
                tests_known: flag_of(a, "tests_known", true),
                why: text_of(a, "why", &job),
                job,
            }
        })
        .collect();
    Truth {
        commit: text_of(t, "commit", project),
        ships: list_of(t, "ships").into_iter().collect(),
        documented: list_of(t, "documented").into_iter().collect(),
        not_targets: list_of(t, "not_targets"),
        misspelt: list_of(t, "misspelt").into_iter().collect(),
        jobs,
        audits,
    }
}

// ------------------------------------------------- what the command said

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Usage {
    Ships,
    Builds,
    Documents,
}

/// One target the command lists.
#[derive(Debug, Clone)]
struct Mention {
    target: String,
    /// Relative to the project's root.
    file: String,
    line: u64,
    usage: Usage,
    /// The workflow's file name and the job's id, for a workflow's mention.
    job: Option<(String, String)>,
}

/// One finding (error, warning, notice).
#[derive(Debug, Clone)]
struct Finding {
    file: String,
    line: u64,
    message: String,
    /// The name the finding says is not a target, when it says so.
    not_a_target: Option<String>,
}

#[derive(Debug, Default)]
struct Said {
    mentions: Vec<Mention>,
    findings: Vec<Finding>,
}

/// `job X, ...` in a mention's context, with the workflow's file name.
fn job_of(file: &str, context: &str) -> Option<(String, String)> {
    let workflow = file.strip_prefix(".github/workflows/")?;
    let id = context.strip_prefix("job ")?.split(',').next()?.trim();
    Some((workflow.to_string(), id.to_string()))
}

fn usage_of(word: &str) -> Usage {
    match word {
        "shipped" => Usage::Ships,
        "built" | "tested" => Usage::Builds,
        "documented" => Usage::Documents,
        _ => panic!("unknown use {:?}", word),
    }
}

/// The one reader of `pipeline --format json` (format_version 1): each
/// part's `targets` (`target`, `file`, `line`, `use`, `context` "job <id>,
/// ...") and `findings` (`code`, `file`, `line`, `message`, where an
/// `unknown-target` finding's message starts with the name it took for a
/// target, quoted).
fn said_by_pipeline(json: &str) -> Said {
    let doc: Value = serde_json::from_str(json).expect("pipeline --format json prints JSON");
    let mut said = Said::default();
    let parts = doc["parts"].as_array().expect("parts");
    let targets = parts
        .iter()
        .flat_map(|p| p["targets"].as_array().expect("targets"));
    let findings = parts
        .iter()
        .flat_map(|p| p["findings"].as_array().expect("findings"));
    for t in targets {
        let file = t["file"].as_str().unwrap_or_default().to_string();
        let context = t["context"].as_str().unwrap_or_default();
        said.mentions.push(Mention {
            target: t["target"].as_str().expect("target").to_string(),
            line: t["line"].as_u64().unwrap_or(0),
            usage: usage_of(t["use"].as_str().expect("use")),
            job: job_of(&file, context),
            file,
        });
    }
    for f in findings {
        let message = f["message"].as_str().unwrap_or_default().to_string();
        let not_a_target = if f["code"] == "unknown-target" {
            message
                .strip_prefix('"')
                .and_then(|m| m.split_once('"'))
                .map(|(name, _)| name.to_string())
        } else {
            None
        };
        said.findings.push(Finding {
            file: f["file"].as_str().unwrap_or_default().to_string(),
            line: f["line"].as_u64().unwrap_or(0),
            message,
            not_a_target,
        });
    }
    said
}

/// The targets `pipeline --format text` lists: `FILE:LINE: TARGET USE
/// (CONTEXT): LEVEL`, as (target, use).
fn said_by_pipeline_text(text: &str) -> BTreeSet<(String, Usage)> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        if words.len() < 4 || !words[0].ends_with(':') || !words[3].starts_with('(') {
            continue;
        }
        if let "shipped" | "built" | "tested" | "documented" = words[2] {
            out.insert((words[1].to_string(), usage_of(words[2])));
        }
    }
    out
}

/// The one reader of `audit --format json`: the first rule's requirements,
/// each as (status, detail).
fn said_by_audit(json: &str) -> BTreeMap<String, (String, String)> {
    let doc: Value = serde_json::from_str(json).expect("audit --format json prints JSON");
    let rule = &doc["parts"][0]["rules"][0];
    rule["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .map(|r| {
            (
                r["requirement"].as_str().unwrap_or_default().to_string(),
                (
                    r["status"].as_str().unwrap_or_default().to_string(),
                    r["detail"].as_str().unwrap_or_default().to_string(),
                ),
            )
        })
        .collect()
}

// ---------------------------------------------------------------- running

fn known_targets() -> &'static BTreeSet<String> {
    static KNOWN: OnceLock<BTreeSet<String>> = OnceLock::new();
    KNOWN.get_or_init(|| target_list().into_iter().collect())
}

/// Runs the command in a scratch directory; 0 or 1 (a denied target), never
/// 2 or a panic.
fn run(name: &str, args: &[&str]) -> String {
    // The first run fills the shared cache of target cfgs alone, so ten
    // projects do not ask the compiler about every target at once.
    static WARM: Once = Once::new();
    let dir = scratch(name);
    let mut out = None;
    WARM.call_once(|| out = Some(pg_in(&dir, args, &[])));
    let r = out.unwrap_or_else(|| pg_in(&dir, args, &[]));
    assert!(
        matches!(r.code, Some(0) | Some(1)),
        "{:?}: exit {:?}\n{}",
        args,
        r.code,
        r.err
    );
    assert!(!r.err.contains("panicked"), "{:?}: {}", args, r.err);
    r.out
}

fn pipeline(project: &str, root: &Path, format: &str) -> String {
    run(
        &format!("realworld-{}-{}", project, format),
        &[
            "pipeline",
            "--preset",
            "default",
            "--root",
            root.to_str().unwrap(),
            "--format",
            format,
        ],
    )
}

fn audit(
    project: &str,
    root: &Path,
    i: usize,
    a: &TruthAudit,
) -> BTreeMap<String, (String, String)> {
    let dir = scratch(&format!("realworld-{}-audit-{}", project, i));
    let manifest = dir.join("Cargo.toml");
    std::fs::write(
        &manifest,
        format!(
            "[package]\nname = \"realworld-audit\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [package.metadata.platform-guard]\nrules = [\n  {{ level = \"stable\", cfg = '{}', \
             maintainers = [\"truth\"], ci = {{ build = \"{job}\", unit = \"{job}\", \
             integration = \"{job}\" }} }},\n]\n\n[workspace]\n",
            a.cfg,
            job = a.job
        ),
    )
    .unwrap();
    let json = run(
        &format!("realworld-{}-audit-{}-run", project, i),
        &[
            "audit",
            "--manifest-path",
            manifest.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    said_by_audit(&json)
}

// ---------------------------------------------------------------- judging

fn shown<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let v: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    if v.is_empty() {
        "-".to_string()
    } else {
        v.join(", ")
    }
}

fn check(project: &str) {
    let root = pipelines().join(project);
    assert!(root.is_dir(), "{}", root.display());
    let truth = read_truth(project);
    let known = known_targets();
    for t in truth
        .ships
        .iter()
        .chain(&truth.documented)
        .chain(truth.jobs.iter().flat_map(|j| &j.targets))
    {
        assert!(
            known.contains(t),
            "{}: truth names {:?}, not a rustc target",
            project,
            t
        );
    }

    let json = pipeline(project, &root, "json");
    let said = said_by_pipeline(&json);
    let text = pipeline(project, &root, "text");
    let text_targets = said_by_pipeline_text(&text);

    let mut failures: Vec<String> = Vec::new();
    // One example per kind of disagreement, for the figures' reader.
    let mut examples: Vec<String> = Vec::new();

    // Shipped targets.
    let shipped: BTreeSet<String> = said
        .mentions
        .iter()
        .filter(|m| m.usage == Usage::Ships)
        .map(|m| m.target.clone())
        .collect();
    let found: Vec<&String> = truth.ships.intersection(&shipped).collect();
    let missed: Vec<&String> = truth.ships.difference(&shipped).collect();
    let invented: Vec<&String> = shipped.difference(&truth.ships).collect();
    let where_shipped = |t: &str| {
        said.mentions
            .iter()
            .filter(|m| m.usage == Usage::Ships && m.target == t)
            .map(|m| format!("{}:{}", m.file, m.line))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let invented_at: Vec<String> = invented
        .iter()
        .map(|t| format!("{} ({})", t, where_shipped(t)))
        .collect();
    if let Some(e) = missed.first() {
        examples.push(format!("missed shipped target: {}", e));
    }
    if let Some(e) = invented_at.first() {
        examples.push(format!("invented shipped target: {}", e));
    }
    if !missed.is_empty() {
        failures.push(format!("missed shipped targets: {}", shown(&missed)));
    }
    if !invented.is_empty() {
        failures.push(format!("invented shipped targets: {}", shown(&invented_at)));
    }

    // False findings: anything that treats a non-target as a target.
    let mut false_findings: Vec<String> = Vec::new();
    for f in &said.findings {
        let names_non_target = f
            .not_a_target
            .as_ref()
            .is_some_and(|n| !truth.misspelt.contains(n));
        // A finding names its subject first (`"NAME" (...) is not a
        // target`, `TARGET is shipped here`); a rule's text later in the
        // message may quote an architecture legitimately.
        let names_listed = truth.not_targets.iter().any(|n| {
            f.message.starts_with(&format!("{:?}", n)) || f.message.starts_with(&format!("{} ", n))
        });
        if names_non_target || names_listed {
            false_findings.push(format!("{}:{}: {}", f.file, f.line, f.message));
        }
    }
    for m in &said.mentions {
        if !known.contains(&m.target) || truth.not_targets.contains(&m.target) {
            false_findings.push(format!(
                "{}:{}: {:?} listed as a target",
                m.file, m.line, m.target
            ));
        }
    }
    for (t, _) in &text_targets {
        if truth.not_targets.contains(t) || !known.contains(t) {
            false_findings.push(format!("text output lists {:?} as a target", t));
        }
    }
    if let Some(e) = false_findings.first() {
        examples.push(format!("false finding: {}", e));
    }
    if !false_findings.is_empty() {
        failures.push(format!(
            "findings that name non-targets:\n      {}",
            false_findings.join("\n      ")
        ));
    }

    // The text output lists what the JSON lists.
    let json_targets: BTreeSet<(String, Usage)> = said
        .mentions
        .iter()
        .map(|m| (m.target.clone(), m.usage))
        .collect();
    if json_targets != text_targets {
        failures.push(format!(
            "text and JSON disagree: only in JSON {:?}, only in text {:?}",
            json_targets.difference(&text_targets).collect::<Vec<_>>(),
            text_targets.difference(&json_targets).collect::<Vec<_>>()
        ));
    }

    // Jobs labelled shipped.
    let mut by_job: BTreeMap<(String, String), (BTreeSet<String>, bool)> = BTreeMap::new();
    for m in &said.mentions {
        if let Some(job) = &m.job {
            let e = by_job.entry(job.clone()).or_default();
            e.0.insert(m.target.clone());
            e.1 |= m.usage == Usage::Ships;
        }
    }
    let mut wrong_labels: Vec<String> = Vec::new();
    for ((wf, id), (_, labelled)) in &by_job {
        let role = truth.job(wf, id).map_or(Role::Other, |j| j.role);
        if *labelled && !role.ships() {
            let at = said
                .mentions
                .iter()
                .find(|m| {
                    m.usage == Usage::Ships && m.job.as_ref() == Some(&(wf.clone(), id.clone()))
                })
                .map(|m| format!("{}:{} {}", m.file, m.line, m.target))
                .unwrap_or_default();
            wrong_labels.push(format!(
                "{}:{} ({:?}; said shipped at {})",
                wf, id, role, at
            ));
        }
    }
    let unlabelled: Vec<String> = truth
        .jobs
        .iter()
        .filter(|j| j.role == Role::Ships && j.known && !j.targets.is_empty())
        .filter(|j| {
            !by_job
                .get(&(j.workflow.clone(), j.id.clone()))
                .is_some_and(|(_, l)| *l)
        })
        .map(|j| format!("{}:{}", j.workflow, j.id))
        .collect();
    if let Some(e) = wrong_labels.first() {
        examples.push(format!("job labelled shipped: {}", e));
    }
    if !wrong_labels.is_empty() {
        failures.push(format!(
            "jobs labelled shipped that ship nothing: {}",
            shown(&wrong_labels)
        ));
    }

    // Built targets per job (information).
    let (mut b_truth, mut b_missed, mut b_invented) = (0, Vec::new(), Vec::new());
    let mut jobs_seen: BTreeSet<(String, String)> = by_job.keys().cloned().collect();
    jobs_seen.extend(
        truth
            .jobs
            .iter()
            .map(|j| (j.workflow.clone(), j.id.clone())),
    );
    let empty = BTreeSet::new();
    for (wf, id) in &jobs_seen {
        let t = truth.job(wf, id);
        if t.is_some_and(|t| !t.known) {
            continue;
        }
        let want = t.map_or(&empty, |t| &t.targets);
        let got = by_job
            .get(&(wf.clone(), id.clone()))
            .map_or(&empty, |(g, _)| g);
        b_truth += want.len();
        b_missed.extend(want.difference(got).map(|x| format!("{}:{} {}", wf, id, x)));
        b_invented.extend(got.difference(want).map(|x| format!("{}:{} {}", wf, id, x)));
    }
    if let Some(e) = b_missed.first() {
        examples.push(format!("(information) job target missed: {}", e));
    }
    if let Some(e) = b_invented.first() {
        examples.push(format!("(information) job target invented: {}", e));
    }
    let documented: BTreeSet<String> = said
        .mentions
        .iter()
        .filter(|m| m.usage == Usage::Documents)
        .map(|m| m.target.clone())
        .collect();
    // Audit.
    let (mut false_failed, mut false_met) = (Vec::new(), Vec::new());
    for (i, a) in truth.audits.iter().enumerate() {
        let said = audit(project, &root, i, a);
        let mut judge = |req: &str, want: bool| {
            let (status, detail) = said
                .get(req)
                .cloned()
                .unwrap_or_else(|| ("absent".to_string(), String::new()));
            let met = status == "met";
            let line = format!(
                "{} {} [{}] {}: {} ({})",
                a.job, req, a.target, status, detail, a.why
            );
            if want && !met {
                false_failed.push(line);
            } else if !want && met {
                false_met.push(line);
            }
        };
        judge("build", a.builds);
        if a.tests_known {
            judge("unit", a.tests);
            judge("integration", a.tests);
        }
    }
    if let Some(e) = false_failed.first() {
        examples.push(format!("audit FAILED, truth met: {}", e));
    }
    if let Some(e) = false_met.first() {
        examples.push(format!("audit met, truth not: {}", e));
    }
    if !false_failed.is_empty() {
        failures.push(format!(
            "audit FAILED where the truth is met:\n      {}",
            false_failed.join("\n      ")
        ));
    }
    if !false_met.is_empty() {
        failures.push(format!(
            "audit met where the truth is not:\n      {}",
            false_met.join("\n      ")
        ));
    }

    eprintln!(
        "{:<9} {:>7} | ships {:>2}: found {:>2}, missed {:>2}, invented {:>2} | false findings {:>2} | \
         jobs wrongly labelled shipped {:>2} | audit: {:>2} named, false FAILED {:>2}, false met {:>2} | \
         (information) shipping jobs unlabelled {}, job targets {}: missed {}, invented {}; documented {}/{}\n  {}",
        project,
        &truth.commit[..7.min(truth.commit.len())],
        truth.ships.len(),
        found.len(),
        missed.len(),
        invented.len(),
        false_findings.len(),
        wrong_labels.len(),
        truth.audits.len(),
        false_failed.len(),
        false_met.len(),
        unlabelled.len(),
        b_truth,
        b_missed.len(),
        b_invented.len(),
        truth.documented.intersection(&documented).count(),
        truth.documented.len(),
        examples.join("\n  ")
    );
    assert!(
        failures.is_empty(),
        "{}: {} disagreement(s) with tests/realworld/{}.toml:\n  - {}",
        project,
        failures.len(),
        project,
        failures.join("\n  - ")
    );
}

macro_rules! projects {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// Every project folder has a truth file, and every truth file a test.
        #[test]
        fn every_project_has_a_truth() {
            let tested: BTreeSet<&str> = [$(stringify!($name)),*].into_iter().collect();
            let folders: BTreeSet<String> = std::fs::read_dir(pipelines())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            let truths: BTreeSet<String> = std::fs::read_dir(package_dir().join("tests/realworld"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".toml").to_string())
                .collect();
            assert_eq!(folders.iter().map(String::as_str).collect::<BTreeSet<_>>(), tested);
            assert_eq!(truths.iter().map(String::as_str).collect::<BTreeSet<_>>(), tested);
        }
    };
}

projects!(ripgrep, bat, fd, starship, just, helix, uv, rustup, cross, tokio);
