//! `matrix`: every target rustc knows, classified, in four formats.

use std::io::Write;

use platform_guard::{BuildDecision, BuildEnv, Policy, TargetCfg, Verdict};

use super::args::{Args, Format};
use super::rustc::Rustc;
use super::{decide, write_failure, Failure};

/// GitHub Actions runs at most this many jobs from one matrix.
const GITHUB_MATRIX_LIMIT: usize = 256;

/// One classified target.
struct Row<'p> {
    cfg: TargetCfg,
    verdict: Verdict,
    maintainers: Option<&'p str>,
    build: &'static str,
}

pub fn run(policy: &Policy, args: &Args, out: &mut dyn Write) -> Result<i32, Failure> {
    let env = BuildEnv::from_process();
    let rustc = Rustc::from_env(&env).resolve()?;
    let targets = rustc.target_list()?;
    let jobs = args.jobs.unwrap_or_else(|| {
        2 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let cfgs = rustc.cfgs(&targets, jobs)?;
    let mut rows = Vec::new();
    for cfg in cfgs {
        let verdict = policy.classify(&cfg);
        if let Some(levels) = &args.levels {
            if !levels.contains(&verdict.level()) {
                continue;
            }
        }
        let build = match decide(policy, &verdict, &env)? {
            BuildDecision::Allowed => "allowed",
            BuildDecision::Lifted { .. } => "lifted",
            _ => "denied",
        };
        rows.push(Row {
            maintainers: maintainers(policy, &verdict),
            cfg,
            verdict,
            build,
        });
    }
    let text = match args.format {
        Format::Table => table(&rows),
        Format::Markdown => markdown(&rows),
        Format::Json => json(&rows),
        Format::Github => {
            let allowed: Vec<&Row> = rows.iter().filter(|r| r.build != "denied").collect();
            if allowed.len() > GITHUB_MATRIX_LIMIT {
                let _ = writeln!(
                    std::io::stderr(),
                    "cargo-platform-guard: warning: {} targets are allowed, but GitHub Actions \
                     runs at most {} jobs from one matrix; narrow it with --level",
                    allowed.len(),
                    GITHUB_MATRIX_LIMIT
                );
            }
            github(&allowed)
        }
    };
    out.write_all(text.as_bytes()).map_err(write_failure)?;
    Ok(0)
}

/// The maintainers of the rule that matched.
fn maintainers<'p>(policy: &'p Policy, verdict: &Verdict) -> Option<&'p str> {
    policy.rules()[verdict.rule_index()?].maintainers()
}

fn table(rows: &[Row]) -> String {
    let header = ["TARGET", "ARCH", "OS", "WIDTH", "LEVEL", "RULE"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.verdict.target().to_string(),
                r.cfg.arch().to_string(),
                r.cfg.os().unwrap_or("-").to_string(),
                r.cfg.pointer_width().unwrap_or("-").to_string(),
                r.verdict.level().to_string(),
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
    let mut text = String::new();
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
    text
}

fn markdown(rows: &[Row]) -> String {
    let mut text = String::from(
        "| Target | Arch | OS | Pointer width | Level | Rule |\n|---|---|---|---|---|---|\n",
    );
    for r in rows {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            r.verdict.target(),
            md(r.cfg.arch()),
            md(r.cfg.os().unwrap_or("")),
            md(r.cfg.pointer_width().unwrap_or("")),
            r.verdict.level(),
            r.verdict.rule().map_or_else(
                || "no rule matched".to_string(),
                |rule| format!("`{}`", md(rule))
            )
        ));
    }
    text
}

/// A Markdown table cell: `|` escaped.
fn md(text: &str) -> String {
    text.replace('|', "\\|")
}

/// One JSON object per target, one per line, in a JSON array. Field names
/// are stable (see the README).
fn json(rows: &[Row]) -> String {
    let mut text = String::from("[\n");
    for (i, r) in rows.iter().enumerate() {
        let v = &r.verdict;
        text.push_str(&format!(
            "  {{\"target\": {}, \"arch\": {}, \"os\": {}, \"pointer_width\": {}, \"endian\": {}, \
             \"level\": {}, \"rule\": {}, \"maintainers\": {}, \"override_var\": {}, \
             \"override_value\": {}, \"build\": {}}}{}\n",
            string(v.target()),
            string(r.cfg.arch()),
            opt(r.cfg.os()),
            r.cfg
                .pointer_width()
                .and_then(|w| w.parse::<u32>().ok())
                .map_or_else(|| "null".to_string(), |w| w.to_string()),
            opt(r.cfg.value("target_endian")),
            string(v.level().as_str()),
            opt(v.rule()),
            opt(r.maintainers),
            string(v.override_var()),
            string(v.override_value()),
            string(r.build),
            if i + 1 < rows.len() { "," } else { "" }
        ));
    }
    text.push_str("]\n");
    text
}

/// A GitHub Actions matrix: `{"include":[{...},...]}` on one line, ready
/// for `echo "matrix=$(...)" >> "$GITHUB_OUTPUT"` and `fromJSON`.
fn github(rows: &[&Row]) -> String {
    let entries: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{{\"target\":{},\"arch\":{},\"os\":{},\"level\":{}}}",
                string(r.verdict.target()),
                string(r.cfg.arch()),
                opt(r.cfg.os()),
                string(r.verdict.level().as_str())
            )
        })
        .collect();
    format!("{{\"include\":[{}]}}\n", entries.join(","))
}

fn opt(value: Option<&str>) -> String {
    value.map_or_else(|| "null".to_string(), string)
}

/// A JSON string literal.
fn string(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(string("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        assert_eq!(opt(None), "null");
    }
}
