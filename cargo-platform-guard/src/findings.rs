//! What `pipeline` and `audit` report, one finding at a time, and the ways
//! they print it: a text line (`file:line: error: ...`), a GitHub Actions
//! workflow command (`::error file=...,line=...::...`) and the Markdown
//! summary appended to `$GITHUB_STEP_SUMMARY`.

use std::io::Write;
use std::path::PathBuf;

use crate::{json, Context, Failure};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    /// Relative to the repository's root.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl Finding {
    pub fn new(
        severity: Severity,
        file: Option<&str>,
        line: Option<usize>,
        message: String,
    ) -> Finding {
        Finding {
            severity,
            file: file.map(str::to_string),
            line,
            message,
        }
    }

    /// `file:line: error: message`.
    pub fn text(&self) -> String {
        format!("{}{}: {}", self.place(), self.severity.word(), self.message)
    }

    /// `file:line: ` (or `file: `, or nothing).
    pub fn place(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{}:{}: ", f, l),
            (Some(f), None) => format!("{}: ", f),
            _ => String::new(),
        }
    }

    /// A GitHub Actions workflow command: `::error file=F,line=L,title=T::M`.
    pub fn github(&self, title: &str) -> String {
        let mut props = Vec::new();
        if let Some(f) = &self.file {
            props.push(format!("file={}", property(f)));
        }
        if let Some(l) = self.line {
            props.push(format!("line={}", l));
        }
        props.push(format!("title={}", property(title)));
        format!(
            "::{} {}::{}",
            self.severity.word(),
            props.join(","),
            data(&self.message)
        )
    }

    /// One JSON object.
    pub fn json(&self) -> String {
        format!(
            "{{\"severity\": {}, \"file\": {}, \"line\": {}, \"message\": {}}}",
            json::string(self.severity.word()),
            json::opt(self.file.as_deref()),
            self.line
                .map_or_else(|| "null".to_string(), |l| l.to_string()),
            json::string(&self.message)
        )
    }
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

/// `1 error, 2 warnings`.
pub fn counts(findings: &[Finding]) -> String {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let plural = |n: usize, word: &str| format!("{} {}{}", n, word, if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(n(Severity::Error), "error"),
        plural(n(Severity::Warning), "warning")
    )
}

/// A Markdown table cell: `|` escaped, no line breaks.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown list of findings.
pub fn markdown_list(findings: &[Finding]) -> String {
    let mut text = String::new();
    for f in findings {
        let place = match (&f.file, f.line) {
            (Some(file), Some(l)) => format!("`{}:{}`: ", file, l),
            (Some(file), None) => format!("`{}`: ", file),
            _ => String::new(),
        };
        text.push_str(&format!(
            "- **{}** {}{}\n",
            f.severity.word(),
            place,
            cell(&f.message)
        ));
    }
    text
}

/// Appends `markdown` to the file `GITHUB_STEP_SUMMARY` names, when it is
/// set (as GitHub Actions sets it for each step).
pub fn step_summary(ctx: &Context, markdown: &str) -> Result<(), Failure> {
    let Some(path) = ctx.var("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    let path = ctx.cwd.join(PathBuf::from(path));
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .map_err(|e| {
            Failure::error(format!(
                "cannot open GITHUB_STEP_SUMMARY ({}): {}",
                path.display(),
                e
            ))
        })?;
    file.write_all(markdown.as_bytes()).map_err(|e| {
        Failure::error(format!(
            "cannot write GITHUB_STEP_SUMMARY ({}): {}",
            path.display(),
            e
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped() {
        let f = Finding::new(
            Severity::Error,
            Some("a,b:c.yml"),
            Some(3),
            "50% done\nnext".to_string(),
        );
        assert_eq!(
            f.github("t"),
            "::error file=a%2Cb%3Ac.yml,line=3,title=t::50%25 done%0Anext"
        );
        assert_eq!(f.text(), "a,b:c.yml:3: error: 50% done\nnext");
    }
}
