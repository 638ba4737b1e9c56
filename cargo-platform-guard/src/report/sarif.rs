//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it
//! (`github/codeql-action/upload-sarif`). One run; the driver lists every
//! finding [`Code`] as a rule (`id` = the code), and each finding is a
//! result with its `ruleId`, `level`, message and, when it has a file, a
//! location relative to the repository's root (`uriBaseId` `%SRCROOT%`)
//! with its line. The package, targets and rules involved go in the
//! result's `properties`.

use serde::Serialize;

use super::{Code, Finding, Report, Severity};
use crate::context::Failure;

/// Where the schema is published; GitHub's documentation names this one.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

const INFORMATION_URI: &str = "https://crates.io/crates/cargo-platform-guard";

#[derive(Serialize)]
struct Log<'r> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'r>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'r> {
    tool: Tool,
    automation_details: Automation,
    results: Vec<Res<'r>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Automation {
    /// The category GitHub keeps this command's alerts under.
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Res<'r> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    properties: Properties<'r>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[derive(Serialize)]
struct Properties<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<&'r str>,
    targets: &'r [String],
    /// The policy's rules involved, counted from 1.
    rules: &'r [usize],
}

pub fn report(report: &Report) -> Result<String, Failure> {
    let results = report
        .parts
        .iter()
        .flat_map(|p| {
            p.findings
                .iter()
                .map(move |f| result(f, p.package.as_deref()))
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool { driver: driver() },
            automation_details: Automation {
                id: format!("platform-guard/{}/", report.command),
            },
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log)
        .map_err(|e| Failure::error(format!("cannot write the SARIF log: {}", e)))?;
    out.push('\n');
    Ok(out)
}

fn driver() -> Driver {
    Driver {
        name: "cargo-platform-guard",
        version: env!("CARGO_PKG_VERSION"),
        semantic_version: env!("CARGO_PKG_VERSION"),
        information_uri: INFORMATION_URI,
        rules: Code::ALL
            .iter()
            .map(|&code| Rule {
                id: code.id(),
                name: camel(code.id()),
                short_description: Text {
                    text: code.summary().to_string(),
                },
                full_description: Text {
                    text: code.summary().to_string(),
                },
                default_configuration: Configuration {
                    level: level(code.severity()),
                },
            })
            .collect(),
    }
}

fn result<'r>(f: &'r Finding, package: Option<&'r str>) -> Res<'r> {
    let locations = f
        .file
        .as_deref()
        .map(|file| Location {
            physical_location: Physical {
                artifact_location: artifact(file),
                region: f.line.filter(|&l| l > 0).map(|l| Region { start_line: l }),
            },
        })
        .into_iter()
        .collect();
    Res {
        rule_id: f.code.id(),
        rule_index: Code::ALL
            .iter()
            .position(|&c| c == f.code)
            .unwrap_or_default(),
        level: level(f.severity),
        message: Text {
            text: f.message.clone(),
        },
        locations,
        properties: Properties {
            package,
            targets: &f.targets,
            rules: &f.rules,
        },
    }
}

/// SARIF's level for a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "note",
    }
}

/// A file relative to the repository's root as a relative URI against
/// `%SRCROOT%`; an absolute path (outside the root) as a `file:` URI.
fn artifact(file: &str) -> Artifact {
    if file.starts_with('/') {
        Artifact {
            uri: format!("file:///{}", encode(file.trim_start_matches('/'))),
            uri_base_id: None,
        }
    } else {
        Artifact {
            uri: encode(file),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// A path as a URI path: every byte but unreserved ones and `/`
/// percent-encoded.
fn encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{:02X}", b));
        }
    }
    out
}

/// `denied-target` -> `DeniedTarget`.
fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_uris() {
        assert_eq!(
            encode(".github/workflows/ci.yml"),
            ".github/workflows/ci.yml"
        );
        assert_eq!(encode("a b/é#.toml"), "a%20b/%C3%A9%23.toml");
        assert_eq!(artifact("/x/Cargo.toml").uri, "file:///x/Cargo.toml");
        assert_eq!(camel("denied-target"), "DeniedTarget");
    }
}
