//! `--format github`: one GitHub Actions workflow command per finding
//! (`::error file=F,line=L,title=T::message`), and the Markdown report
//! appended to the file `$GITHUB_STEP_SUMMARY` names, when it is set.

use std::io::Write;
use std::path::PathBuf;

use super::{markdown, Finding, Report};
use crate::context::{Context, Failure};

pub fn report(ctx: &Context, report: &Report) -> Result<String, Failure> {
    step_summary(ctx, &markdown::report(report))?;
    let mut out = String::new();
    for part in &report.parts {
        // With several packages, the title says whose policy found it.
        let title = match (&part.package, report.several()) {
            (Some(p), true) => format!("{} (package {})", report.title(), p),
            _ => report.title(),
        };
        for f in &part.findings {
            out.push_str(&annotation(f, &title));
            out.push('\n');
        }
    }
    Ok(out)
}

/// A workflow command: `::error file=F,line=L,title=T::M`.
pub fn annotation(f: &Finding, title: &str) -> String {
    let mut props = Vec::new();
    if let Some(file) = &f.file {
        props.push(format!("file={}", property(file)));
    }
    if let Some(l) = f.line {
        props.push(format!("line={}", l));
    }
    props.push(format!("title={}", property(title)));
    format!(
        "::{} {}::{}",
        f.severity.word(),
        props.join(","),
        data(&f.message)
    )
}

/// A workflow command's message: `%`, CR and LF escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Appends `markdown` to the file `GITHUB_STEP_SUMMARY` names, when it is
/// set (as GitHub Actions sets it for each step).
pub fn step_summary(ctx: &Context, markdown: &str) -> Result<(), Failure> {
    let Some(path) = ctx.var("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    let path = ctx.cwd.join(PathBuf::from(path));
    let fail = |e: std::io::Error| {
        Failure::error(format!(
            "cannot write GITHUB_STEP_SUMMARY ({}): {}",
            path.display(),
            e
        ))
    };
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .map_err(fail)?;
    file.write_all(markdown.as_bytes()).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::super::{text, Code};
    use super::*;

    #[test]
    fn workflow_commands_are_escaped() {
        let f = Finding::new(Code::DeniedTarget, "50% done\nnext".to_string())
            .at(Some("a,b:c.yml"), Some(3));
        assert_eq!(
            annotation(&f, "t"),
            "::error file=a%2Cb%3Ac.yml,line=3,title=t::50%25 done%0Anext"
        );
        assert_eq!(text::finding(&f), "a,b:c.yml:3: error: 50% done\nnext");
    }
}
