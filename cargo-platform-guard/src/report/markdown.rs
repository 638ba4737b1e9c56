//! `--format markdown` (and the GitHub step summary): a section for a page
//! or a pull request. [`cell`] is the one Markdown escaping every command
//! uses.

use std::fmt::Write as _;

use super::{
    counts, plural, Audit, Body, Build, Finding, Inspect, Part, Pipeline, Report, Severity, Status,
};

/// Text for a Markdown table cell or list item: `|` escaped, no line
/// breaks.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

pub fn report(report: &Report) -> String {
    let mut out = format!("## platform-guard: {}\n\n", report.command);
    for part in &report.parts {
        if report.several() {
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            writeln!(out, "### {}\n", cell(&part.heading())).expect("a String");
        }
        match &part.body {
            Body::Pipeline(p) => pipeline(&mut out, p, part),
            Body::Audit(a) => audit(&mut out, a, part),
            Body::Inspect(i) => inspect(&mut out, i, part),
        }
    }
    out
}

/// The list of findings, one item each.
pub fn findings(findings: &[Finding]) -> String {
    let mut text = String::new();
    for f in findings {
        let place = match (&f.file, f.line) {
            (Some(file), Some(l)) => format!("`{}:{}`: ", file, l),
            (Some(file), None) => format!("`{}`: ", file),
            _ => String::new(),
        };
        writeln!(
            text,
            "- **{}** {}{}",
            f.severity.word(),
            place,
            cell(&f.message)
        )
        .expect("a String");
    }
    text
}

fn pipeline(out: &mut String, p: &Pipeline, part: &Part) {
    let read = if p.files.is_empty() {
        "nothing".to_string()
    } else {
        let files: Vec<String> = p.files.iter().map(|f| format!("`{}`", f)).collect();
        files.join(", ")
    };
    writeln!(out, "Policy: {}. Read: {}.\n", cell(&part.policy), read).expect("a String");
    if !p.targets.is_empty() {
        out.push_str("| Target | Level | Use | Where |\n|---|---|---|---|\n");
        for t in &p.targets {
            writeln!(
                out,
                "| `{}` | {}{} | {} | `{}:{}` ({}) |",
                t.target,
                t.level,
                if t.build == Build::Denied {
                    ", **denied**"
                } else {
                    ""
                },
                t.used,
                t.file,
                t.line,
                cell(&t.context)
            )
            .expect("a String");
        }
        out.push('\n');
    }
    writeln!(out, "**{}**\n", counts(&part.findings)).expect("a String");
    out.push_str(&findings(&part.findings));
    out.push('\n');
}

fn audit(out: &mut String, a: &Audit, part: &Part) {
    writeln!(out, "Policy: {}.\n", cell(&part.policy)).expect("a String");
    out.push_str(
        "| Rule | Level | Maintainers | Build | Unit tests | Integration tests | Functional \
         tests |\n|---|---|---|---|---|---|---|\n",
    );
    for r in &a.rules {
        let cells: Vec<String> = r
            .requirements
            .iter()
            .map(|c| {
                let mark = match c.status {
                    Status::Met => "✅",
                    Status::Optional => "➖",
                    Status::Failed => "❌",
                    Status::Missing => "⬜",
                    Status::Unverifiable => "❔",
                };
                let job = c
                    .job
                    .as_deref()
                    .map_or_else(String::new, |j| format!(" `{}`", j));
                format!("{}{} {}", mark, job, cell(&c.detail))
            })
            .collect();
        writeln!(
            out,
            "| {}. `{}` | {} | {} |",
            r.rule,
            cell(&r.cfg),
            r.level,
            cells.join(" | ")
        )
        .expect("a String");
    }
    let errors = part
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let summary = if errors == 0 {
        "Every stable rule meets the requirements.".to_string()
    } else {
        format!("{} of stable rules.", plural(errors, "unmet requirement"))
    };
    writeln!(out, "\n**{}**\n", summary).expect("a String");
    out.push_str(&findings(&part.findings));
}

fn inspect(out: &mut String, i: &Inspect, part: &Part) {
    writeln!(out, "Policy: {}.\n", cell(&part.policy)).expect("a String");
    if !i.files.is_empty() {
        out.push_str(
            "| File | Format | Target | Level | C library | Oldest system |\n|---|---|---|---|---|---|\n",
        );
        for f in &i.files {
            let libc = f.facts.libc.as_ref().map_or_else(String::new, |l| {
                let newest = f
                    .facts
                    .needs
                    .iter()
                    .map(|n| n.version.as_str())
                    .collect::<Vec<_>>();
                format!("{}, {} {}", l.name, l.linking, newest.join(" "))
            });
            let oldest = f
                .facts
                .min_os
                .as_ref()
                .map_or_else(String::new, |m| format!("{} {}", m.os, m.version));
            writeln!(
                out,
                "| `{}` | {} {} {} | `{}` | {}{} | {} | {} |",
                cell(&f.file),
                f.facts.format,
                f.facts.arch,
                f.facts.bits,
                f.target.as_deref().unwrap_or("unknown"),
                f.level.map_or("", |l| l.as_str()),
                if f.build == Some(Build::Denied) {
                    ", **denied**"
                } else {
                    ""
                },
                cell(libc.trim()),
                cell(&oldest)
            )
            .expect("a String");
        }
        out.push('\n');
    }
    writeln!(out, "**{}**\n", counts(&part.findings)).expect("a String");
    out.push_str(&findings(&part.findings));
    out.push('\n');
}
