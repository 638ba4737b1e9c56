//! `inspect`: shipped programs and libraries (ELF, Mach-O, PE) read from
//! their headers (`crate::artifacts`) and judged by the policy: the target
//! each is for, whether the policy denies it or its programs refuse to run
//! there, and whether it needs more than a floor of its rule allows
//! (`glibc`, `macos`, `windows`, `x86-64`). `pipeline --artifacts DIR`
//! judges a directory's files with [`judge`].

use std::collections::HashMap;
use std::path::PathBuf;

use platform_guard::{
    x86_64_level_features, BuildDecision, EmbeddedRecord, Floor, FloorVersion, Level, Policy,
    TargetCfg,
};

use super::{build_decision, jobs, Subcommand};
use crate::args::{self, Args};
use crate::artifacts::{self, Facts};
use crate::context::{Context, Failure, Output};
use crate::policies::{self, PackagePolicy};
use crate::report::{self, Body, Build, Code, Finding, Format, Inspect, Inspected, Part};
use crate::toolchain::Toolchain;

pub const COMMAND: Subcommand = Subcommand {
    name: "inspect",
    summary: "read shipped programs (ELF, Mach-O, PE) and judge each by the policy and its floors",
    about: "Reads each FILE's headers (never the whole file): its architecture, bitness and byte \
            order; the rustc target it is for (its platform-guard record's, else told from the \
            headers: the ELF machine, ABI byte, interpreter and ABI note, the Mach-O CPU type \
            and platform, the PE machine, subsystem and linker; said when several fit); its C \
            library and the newest GLIBC_, GLIBCXX_, GCC_ and CXXABI_ versions it needs \
            (.gnu.version_r); the oldest macOS (LC_BUILD_VERSION, LC_VERSION_MIN_*) or Windows \
            (the PE optional header) it states; and its platform-guard records (the ELF \
            notes of .note.pguard, Mach-O __TEXT,__pguard) with the CPU features they assume. \
            A file for a target the policy denies, or whose \
            programs refuse to run there (unstable, unsupported), is an error (exit 1), and so \
            is a file that needs more than a floor of its rule allows (glibc, macos, windows, \
            x86-64 in the rule); an experimental target is a warning. A file that is not an \
            ELF, Mach-O or PE program, or cannot be read, is an error naming it (exit 2).",
    options: &[args::POLICY, args::COMPILER],
    positionals: &["FILE..."],
    formats: &[
        (
            Format::Text,
            "per file: what it is, its target and level, C library, oldest system and records; \
             then one line per finding",
        ),
        (
            Format::Github,
            "GitHub Actions annotations, and a Markdown summary appended to \
             $GITHUB_STEP_SUMMARY when it is set",
        ),
        (
            Format::Json,
            "one object: per package, the files read and the findings",
        ),
        (
            Format::Markdown,
            "the files and findings as a Markdown section",
        ),
        (
            Format::Sarif,
            "SARIF 2.1.0, for GitHub code scanning (upload-sarif)",
        ),
    ],
    run,
};

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let mut files = Vec::new();
    for given in &args.positionals {
        let path = PathBuf::from(given);
        files.push((
            path.display().to_string(),
            artifacts::read(&ctx.cwd.join(&path))?,
        ));
    }
    let sources = policies::load(ctx, &args.policy())?;
    let toolchain = Toolchain::new(ctx, &args.compiler())?;
    let targets = Targets::of(&toolchain, &files, jobs(args))?;
    let parts = sources
        .iter()
        .map(|source| part(source, &files, &targets))
        .collect::<Result<Vec<Part>, Failure>>()?;
    let found = report::Report {
        command: COMMAND.name,
        parts,
    };
    report::output(ctx, &found, args.format())
}

/// One package's part: every file judged by its policy.
pub fn part(
    source: &PackagePolicy,
    files: &[(String, Vec<Facts>)],
    targets: &Targets<'_>,
) -> Result<Part, Failure> {
    let (judged, mut findings) = judge_all(&source.policy, files, targets)?;
    findings.sort_by_key(|f| f.severity);
    Ok(Part {
        package: source.package.clone(),
        policy: source.describe(),
        body: Body::Inspect(Inspect { files: judged }),
        findings,
    })
}

/// Every file (and slice) judged by `policy`: the rows and the findings.
pub fn judge_all(
    policy: &Policy,
    files: &[(String, Vec<Facts>)],
    targets: &Targets<'_>,
) -> Result<(Vec<Inspected>, Vec<Finding>), Failure> {
    let mut judged = Vec::new();
    let mut findings = Vec::new();
    for (file, slices) in files {
        for facts in slices {
            let (one, found) = judge(policy, file, facts, targets)?;
            judged.push(one);
            findings.extend(found);
        }
    }
    Ok((judged, findings))
}

/// The targets the files may be for: the ones the compiler knows, each
/// with its cfg as the build sees it.
pub struct Targets<'t> {
    toolchain: &'t Toolchain<'t>,
    cfgs: HashMap<String, TargetCfg>,
}

impl<'t> Targets<'t> {
    /// Asks the compiler (or its cache) about every target a file's record
    /// or headers name.
    pub fn of(
        toolchain: &'t Toolchain<'t>,
        files: &[(String, Vec<Facts>)],
        jobs: usize,
    ) -> Result<Targets<'t>, Failure> {
        let list = toolchain.target_list()?;
        let mut wanted: Vec<String> = Vec::new();
        for facts in files.iter().flat_map(|(_, f)| f) {
            let named = facts.records.iter().filter_map(|r| r.target());
            for t in facts.candidates.iter().map(String::as_str).chain(named) {
                if list.iter().any(|k| k == t) && !wanted.iter().any(|w| w == t) {
                    wanted.push(t.to_string());
                }
            }
        }
        let (described, _) = toolchain.describe_all(&wanted, jobs, true)?;
        let cfgs = described
            .into_iter()
            .map(|d| (d.cfg.triple().to_string(), d.cfg))
            .collect();
        Ok(Targets { toolchain, cfgs })
    }

    fn known(&self, triple: &str) -> bool {
        self.cfgs.contains_key(triple)
    }
}

/// The target a file is judged as, and where that comes from.
struct Chosen {
    target: Option<String>,
    from: String,
    findings: Vec<Finding>,
}

/// One file (or slice), judged by `policy`: its row and its findings.
pub fn judge(
    policy: &Policy,
    file: &str,
    facts: &Facts,
    targets: &Targets<'_>,
) -> Result<(Inspected, Vec<Finding>), Failure> {
    // The subject of every message (the finding names the file).
    let label = match &facts.slice {
        Some(s) => format!("its {} slice", s),
        None => "it".to_string(),
    };
    let record = facts.records.iter().find(|r| r.target().is_some());
    let mut chosen = choose(policy, &label, facts, record, targets);
    if let Some((section, why)) = &facts.record_error {
        chosen.findings.push(
            Finding::new(
                Code::UnreadableRecord,
                format!(
                    "{} has a {} section that cannot be read: {}",
                    label, section, why
                ),
            )
            .at(Some(file), None),
        );
    }
    let mut row = Inspected {
        file: file.to_string(),
        facts: facts.clone(),
        target: chosen.target.clone(),
        target_from: chosen.from.clone(),
        level: None,
        rule: None,
        build: None,
        records: facts.records.iter().map(record_doc).collect(),
    };
    let mut findings = chosen.findings;
    if let Some(triple) = &chosen.target {
        let cfg = with_features(&targets.cfgs[triple], record)?;
        if let Some(libc) = row.facts.libc.as_mut().filter(|l| l.name == "unknown") {
            libc.name = match cfg.value("target_env") {
                Some("gnu") => "glibc",
                Some("musl") => "musl",
                _ => "unknown",
            };
        }
        findings.extend(verdict(
            policy, &label, file, facts, record, &cfg, targets, &mut row,
        )?);
    }
    for f in &mut findings {
        if f.file.is_none() {
            f.file = Some(file.to_string());
        }
    }
    Ok((row, findings))
}

/// The target to judge: the record's (checked against the headers), else
/// the one target the headers fit (or the first of several the policy
/// judges alike).
fn choose(
    policy: &Policy,
    label: &str,
    facts: &Facts,
    record: Option<&EmbeddedRecord>,
    targets: &Targets<'_>,
) -> Chosen {
    let mut findings = Vec::new();
    if let Some(t) = record.and_then(EmbeddedRecord::target) {
        if !facts.candidates.is_empty() && !facts.candidates.iter().any(|c| c == t) {
            findings.push(Finding::new(
                Code::RecordMismatch,
                format!(
                    "{} carries a platform-guard record for {}, but its headers fit {} ({})",
                    label,
                    t,
                    or_list(&facts.candidates),
                    facts.clues.join("; ")
                ),
            ));
        }
        if targets.known(t) {
            return Chosen {
                target: Some(t.to_string()),
                from: "its platform-guard record".to_string(),
                findings,
            };
        }
    }
    let fits: Vec<&String> = facts
        .candidates
        .iter()
        .filter(|c| targets.known(c))
        .collect();
    let from = facts.clues.join("; ");
    match fits.as_slice() {
        [] => {
            findings.push(unknown(label, facts, targets));
            Chosen {
                target: None,
                from,
                findings,
            }
        }
        [one] => Chosen {
            target: Some(one.to_string()),
            from,
            findings,
        },
        several => ambiguous(policy, label, several, from, findings, targets),
    }
}

/// Several targets fit: judged as the first when the policy judges them
/// alike, else a warning naming each one's level.
fn ambiguous(
    policy: &Policy,
    label: &str,
    several: &[&String],
    from: String,
    mut findings: Vec<Finding>,
    targets: &Targets<'_>,
) -> Chosen {
    let verdicts: Vec<(Level, Option<usize>)> = several
        .iter()
        .map(|t| {
            let v = policy.classify(&targets.cfgs[t.as_str()]);
            (v.level(), v.rule_index())
        })
        .collect();
    let names: Vec<String> = several.iter().map(|t| t.to_string()).collect();
    if verdicts.iter().all(|v| *v == verdicts[0]) {
        return Chosen {
            target: Some(names[0].clone()),
            from: format!(
                "{}; also fits {} (judged alike)",
                from,
                names[1..].join(", ")
            ),
            findings,
        };
    }
    let each: Vec<String> = names
        .iter()
        .zip(&verdicts)
        .map(|(t, (level, _))| format!("{} ({})", t, level))
        .collect();
    let mut f = Finding::new(
        Code::AmbiguousArtifact,
        format!(
            "{} fits {}, which the policy judges apart: not judged ({}; a platform-guard \
             record would say which)",
            label,
            each.join(", "),
            from
        ),
    );
    f.targets = names;
    findings.push(f);
    Chosen {
        target: None,
        from,
        findings,
    }
}

fn unknown(label: &str, facts: &Facts, targets: &Targets<'_>) -> Finding {
    let what = if facts.candidates.is_empty() {
        "no rustc target".to_string()
    } else {
        format!(
            "{}, which rustc {} does not know",
            or_list(&facts.candidates),
            targets.toolchain.release
        )
    };
    Finding::new(
        Code::UnknownArtifact,
        format!(
            "{} is a {} {} for {} ({}-bit {}-endian) that fits {}: not judged ({})",
            label,
            facts.format,
            facts.kind,
            facts.arch,
            facts.bits,
            facts.endian,
            what,
            facts.clues.join("; ")
        ),
    )
}

/// The target's cfg with the CPU features the record says the program was
/// compiled with, so that a rule on `target_feature` judges the program.
fn with_features(cfg: &TargetCfg, record: Option<&EmbeddedRecord>) -> Result<TargetCfg, Failure> {
    let Some(record) = record.filter(|r| !r.features().is_empty()) else {
        return Ok(cfg.clone());
    };
    let mut text = String::new();
    for (name, value) in cfg.iter() {
        match value {
            Some(v) => text.push_str(&format!("{}=\"{}\"\n", name, v)),
            None => text.push_str(&format!("{}\n", name)),
        }
    }
    for f in record.features() {
        if !cfg.has_value("target_feature", f) {
            text.push_str(&format!("target_feature=\"{}\"\n", f));
        }
    }
    Ok(TargetCfg::from_rustc_cfg(cfg.triple(), &text)?)
}

/// The verdict on the chosen target, the row's level, rule and build, and
/// the findings: denied, refused, experimental, above or unchecked floors.
#[allow(clippy::too_many_arguments)]
fn verdict(
    policy: &Policy,
    label: &str,
    file: &str,
    facts: &Facts,
    record: Option<&EmbeddedRecord>,
    cfg: &TargetCfg,
    targets: &Targets<'_>,
    row: &mut Inspected,
) -> Result<Vec<Finding>, Failure> {
    let v = policy.classify(cfg);
    let decision = build_decision(policy, &v, &targets.toolchain.config.build_env)?;
    row.level = Some(v.level());
    row.rule = v.rule().map(str::to_string);
    row.build = Some(Build::of(&decision)?);
    let triple = cfg.triple();
    let why = v.rule_name();
    let mut out = Vec::new();
    let message = match (&decision, v.level()) {
        (BuildDecision::Denied(d), _) => Some((
            Code::DeniedArtifact,
            format!(
                "{} is built for {}, which the policy denies: {}",
                label, triple, d
            ),
        )),
        (_, level) if level.refuses_to_run() => Some((
            Code::RefusedArtifact,
            format!(
                "{} is built for {}, {} ({}): its programs refuse to run there unless {}={} is set",
                label,
                triple,
                level,
                why,
                v.override_var(),
                v.override_value()
            ),
        )),
        (_, Level::Experimental) => Some((
            Code::ShippedNotStable,
            format!("{} is built for {}, experimental ({})", label, triple, why),
        )),
        _ => None,
    };
    if let Some((code, text)) = message {
        out.push(Finding::new(code, text));
    }
    if let Some(i) = v.rule_index() {
        let rule = &policy.rules()[i];
        for floor in rule.floors() {
            let name = format!("the {} floor {} of {}", floor.floor(), floor, rule.name(i));
            out.extend(floor_finding(label, facts, record, *floor, &name));
        }
    }
    for f in &mut out {
        f.targets.push(triple.to_string());
        if let Some(i) = v.rule_index() {
            f.rules.push(i + 1);
        }
        f.file = Some(file.to_string());
    }
    Ok(out)
}

/// Whether the file keeps to one floor: an above-floor error naming what
/// raised it, an unchecked-floor notice when the file cannot say, or
/// nothing.
fn floor_finding(
    label: &str,
    facts: &Facts,
    record: Option<&EmbeddedRecord>,
    floor: FloorVersion,
    name: &str,
) -> Option<Finding> {
    let above = |what: String| {
        Some(Finding::new(
            Code::AboveFloor,
            format!("{} {}, above {}", label, what, name),
        ))
    };
    let unchecked = |why: &str| {
        Some(Finding::new(
            Code::UncheckedFloor,
            format!("{} cannot be checked on {}: {}", name, label, why),
        ))
    };
    match floor.floor() {
        Floor::Glibc => glibc_floor(facts, floor, above),
        Floor::Macos => os_floor(facts, floor, "macos", "Mach-O", above, unchecked),
        Floor::Windows => os_floor(facts, floor, "windows", "PE", above, unchecked),
        Floor::X86_64 => x86_64_floor(facts, record, floor, above, unchecked),
        _ => None,
    }
}

/// The glibc floor: the newest `GLIBC_` version the file needs.
fn glibc_floor(
    facts: &Facts,
    floor: FloorVersion,
    above: impl Fn(String) -> Option<Finding>,
) -> Option<Finding> {
    let need = facts.needs.iter().find(|n| n.prefix() == "GLIBC")?;
    let found = Floor::Glibc.parse_version(need.number()).ok()?;
    if found <= floor {
        return None;
    }
    let by = if need.symbols.is_empty() {
        String::new()
    } else {
        format!(" (for {})", need.symbols.join(", "))
    };
    above(format!(
        "needs {} from {}{}",
        need.version, need.library, by
    ))
}

/// The macOS or Windows floor: the oldest version the file states (a
/// Mach-O or PE file that states none cannot be checked).
fn os_floor(
    facts: &Facts,
    floor: FloorVersion,
    os: &str,
    format: &str,
    above: impl Fn(String) -> Option<Finding>,
    unchecked: impl Fn(&str) -> Option<Finding>,
) -> Option<Finding> {
    let Some(m) = facts.min_os.as_ref().filter(|m| m.os == os) else {
        return if facts.format == format {
            unchecked("it states no oldest version")
        } else {
            None
        };
    };
    let found = floor.floor().parse_version(&m.version).ok()?;
    if found <= floor {
        return None;
    }
    above(format!(
        "states {} {} as its oldest ({})",
        os, m.version, m.from
    ))
}

/// The x86-64 floor: the record's CPU features beyond the level.
fn x86_64_floor(
    facts: &Facts,
    record: Option<&EmbeddedRecord>,
    floor: FloorVersion,
    above: impl Fn(String) -> Option<Finding>,
    unchecked: impl Fn(&str) -> Option<Finding>,
) -> Option<Finding> {
    if facts.arch != "x86_64" {
        return None;
    }
    let Some(record) = record else {
        return unchecked(
            "it carries no platform-guard record saying which CPU features it was compiled for",
        );
    };
    let allowed = x86_64_level_features(floor.numbers()[0]);
    let beyond: Vec<&str> = record
        .features()
        .into_iter()
        .filter(|f| !allowed.contains(f))
        .collect();
    if beyond.is_empty() {
        return None;
    }
    let level = record
        .x86_64_level()
        .map_or_else(String::new, |l| format!(", x86-64-level={}", l));
    above(format!(
        "needs the CPU features {} (its record: features beyond the baseline{})",
        beyond.join(", "),
        level
    ))
}

fn record_doc(r: &EmbeddedRecord) -> serde_json::Map<String, serde_json::Value> {
    let mut m: serde_json::Map<String, serde_json::Value> = r
        .fields()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().into()))
        .collect();
    if r.is_cut() {
        m.insert("cut".to_string(), true.into());
    }
    m
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}
