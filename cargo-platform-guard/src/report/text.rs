//! `--format text`: what a person reads in a terminal. Each part starts
//! with its policy (`policy: ...`, or `package NAME: ...` when there are
//! several), then its table and findings; parts are separated by a blank
//! line.

use std::fmt::Write as _;

use platform_guard::Level;

use super::{
    counts, plural, Audit, AuditedRule, Body, Build, Finding, Inspect, Inspected, Part, Pipeline,
    Report,
};

pub fn report(report: &Report) -> String {
    let mut out = String::new();
    for (i, part) in report.parts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if report.several() {
            writeln!(out, "{}", part.heading()).expect("a String");
        } else {
            writeln!(out, "policy: {}", part.policy).expect("a String");
        }
        match &part.body {
            Body::Pipeline(p) => pipeline(&mut out, p, part),
            Body::Audit(a) => audit(&mut out, a),
            Body::Inspect(i) => inspect(&mut out, i, part),
        }
    }
    out
}

/// `file:line: error: message`.
pub fn finding(f: &Finding) -> String {
    format!("{}{}: {}", f.place(), f.severity.word(), f.message)
}

fn pipeline(out: &mut String, p: &Pipeline, part: &Part) {
    if p.files.is_empty() {
        out.push_str("read: no workflow, cargo-dist, cross or docs.rs configuration\n");
    } else {
        writeln!(out, "read: {}", p.files.join(", ")).expect("a String");
    }
    for t in &p.targets {
        writeln!(
            out,
            "{}:{}: {} {} ({}): {}{}",
            t.file,
            t.line,
            t.target,
            t.used,
            t.context,
            t.level,
            match t.build {
                Build::Denied => ", denied",
                Build::Lifted => ", denial lifted",
                Build::Allowed => "",
            }
        )
        .expect("a String");
    }
    for a in &p.artifacts {
        let slice = a
            .facts
            .slice
            .as_ref()
            .map_or_else(String::new, |s| format!(" ({} slice)", s));
        writeln!(
            out,
            "{}{}: {} {} for {}{}",
            a.file,
            slice,
            a.facts.format,
            a.facts.kind,
            a.target.as_deref().unwrap_or("an unknown target"),
            a.level.map_or_else(String::new, |l| format!(": {}", l))
        )
        .expect("a String");
    }
    for f in &part.findings {
        writeln!(out, "{}", finding(f)).expect("a String");
    }
    writeln!(out, "{}", counts(&part.findings)).expect("a String");
}

fn audit(out: &mut String, a: &Audit) {
    for rule in &a.rules {
        audited(out, rule);
    }
    let stable: Vec<&AuditedRule> = a
        .rules
        .iter()
        .filter(|r| r.level == Level::Stable)
        .collect();
    let failing = stable.iter().filter(|r| !r.ok).count();
    writeln!(
        out,
        "\nstable rules that meet every requirement: {} of {}",
        stable.len() - failing,
        stable.len()
    )
    .expect("a String");
}

/// One rule's block: its verdict, then one line per requirement.
fn audited(out: &mut String, r: &AuditedRule) {
    let place = match (&r.file, r.line) {
        (Some(f), Some(l)) => format!(" ({}:{})", f, l),
        (Some(f), None) => format!(" ({})", f),
        _ => String::new(),
    };
    let unmet = r.unmet().count();
    let unseen = r
        .requirements
        .iter()
        .filter(|c| c.status == super::Status::Unverifiable)
        .count();
    let verdict = match (r.level == Level::Stable, unmet) {
        (true, 0) if unseen > 0 => format!(
            "no unmet requirement, but {} cannot be verified from the files",
            plural(unseen, "requirement")
        ),
        (true, 0) => "meets every requirement for a stable platform".to_string(),
        (true, n) => format!("{} unmet", plural(n, "requirement")),
        (false, 0) => "would meet every requirement for a stable platform".to_string(),
        (false, n) => format!(
            "to be promoted to stable it lacks {}",
            plural(n, "requirement")
        ),
    };
    writeln!(out, "\n{}{}: {}", r.name, place, verdict).expect("a String");
    for c in &r.requirements {
        let job = c
            .job
            .as_deref()
            .map_or_else(String::new, |j| format!(" [{}]", j));
        let at = match (&c.file, c.line, c.unmet()) {
            (Some(f), Some(l), true) => format!(" ({}:{})", f, l),
            _ => String::new(),
        };
        let status = match c.status {
            super::Status::Met => "met",
            super::Status::Optional => "optional",
            super::Status::Failed => "FAILED",
            super::Status::Missing => "missing",
            super::Status::Unverifiable => "unverifiable",
        };
        writeln!(
            out,
            "  {:<8}  {}{}: {}{}",
            status,
            c.requirement.as_str(),
            job,
            c.detail,
            at
        )
        .expect("a String");
    }
}

fn inspect(out: &mut String, i: &Inspect, part: &Part) {
    for file in &i.files {
        inspected(out, file);
    }
    for f in &part.findings {
        writeln!(out, "{}", finding(f)).expect("a String");
    }
    writeln!(out, "{}", counts(&part.findings)).expect("a String");
}

/// One file's block: what it is, its target and verdict, then one line
/// each for its C library, its OS floor and its records.
fn inspected(out: &mut String, i: &Inspected) {
    let f = &i.facts;
    let slice = f
        .slice
        .as_ref()
        .map_or_else(String::new, |s| format!(" ({} slice)", s));
    writeln!(
        out,
        "{}{}: {} {}, {} {}-bit {}-endian",
        i.file, slice, f.format, f.kind, f.arch, f.bits, f.endian
    )
    .expect("a String");
    let verdict = match (i.level, &i.rule) {
        (Some(level), Some(rule)) => format!(": {} (`{}`)", level, rule),
        (Some(level), None) => format!(": {} (no rule matched)", level),
        _ => String::new(),
    };
    let denied = match i.build {
        Some(Build::Denied) => ", denied",
        Some(Build::Lifted) => ", denial lifted",
        _ => "",
    };
    let target = i.target.as_deref().unwrap_or("unknown");
    writeln!(
        out,
        "  target: {} ({}){}{}",
        target, i.target_from, verdict, denied
    )
    .expect("a String");
    if let Some(libc) = &f.libc {
        let needs: Vec<String> = f.needs.iter().map(need).collect();
        let needs = if needs.is_empty() {
            String::new()
        } else {
            format!("; needs {}", needs.join(", "))
        };
        writeln!(out, "  libc: {}, {}{}", libc.name, libc.linking, needs).expect("a String");
    }
    if let Some(m) = &f.min_os {
        writeln!(out, "  oldest {}: {} ({})", m.os, m.version, m.from).expect("a String");
    }
    for r in &i.records {
        let fields: Vec<String> = r
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    k,
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect();
        writeln!(out, "  record: {}", fields.join(" ")).expect("a String");
    }
}

/// `GLIBC_2.34 (libc.so.6: __libc_start_main, ...)`.
fn need(n: &crate::artifacts::Need) -> String {
    if n.symbols.is_empty() {
        return format!("{} ({})", n.version, n.library);
    }
    format!("{} ({}: {})", n.version, n.library, n.symbols.join(", "))
}
