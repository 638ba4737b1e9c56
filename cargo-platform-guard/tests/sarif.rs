//! `--format sarif` of `pipeline` and `audit`: what GitHub code scanning
//! reads (the driver and its rules, each result's rule, level, message and
//! location relative to the repository's root), and the whole log checked
//! against the official SARIF 2.1.0 JSON schema with Python's `jsonschema`.
//!
//! `ci/sarif-schema` (run by `.ci/run` before the tests) installs both, the
//! schema into `<target dir>/sarif/`. Elsewhere, without them, the schema
//! check is skipped and named on stderr; under `CI=true` it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, pg, scratch};
use serde_json::Value;

/// Whether this is CI (`CI=true`, as `.ci/run` runs), where a missing
/// schema or validator is a failure. (This file's one read of its own
/// environment.)
#[allow(clippy::disallowed_methods)]
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| v == "true")
}

fn schema() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target dir>/tmp.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("sarif")
        .join("sarif-schema-2.1.0.json")
}

const VALIDATE: &str = r#"
import json, sys
try:
    import jsonschema
except ImportError:
    print("no-jsonschema")
    sys.exit(3)
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors:
    print("/".join(str(p) for p in e.path) + ": " + e.message)
sys.exit(1 if errors else 0)
"#;

/// Validates `doc` against the schema: `Some(errors)` (empty when valid),
/// or `None` when the schema or the validator is missing outside CI.
fn validate(name: &str, doc: &Value) -> Option<String> {
    let skip = |what: &str| {
        assert!(
            !in_ci(),
            "CI=true and {}: ci/sarif-schema installs it (see .ci/run)",
            what
        );
        eprintln!("sarif: {}: schema check skipped: {}", name, what);
        None
    };
    let schema = schema();
    if !schema.is_file() {
        return skip(&format!("no {} (run ci/sarif-schema)", schema.display()));
    }
    let file = scratch(&format!("sarif-{}", name)).join("log.sarif");
    std::fs::write(&file, serde_json::to_string(doc).unwrap()).unwrap();
    let out = match Command::new("python3")
        .args(["-c", VALIDATE])
        .arg(&schema)
        .arg(&file)
        .output()
    {
        Ok(out) => out,
        Err(e) => return skip(&format!("python3 does not run: {}", e)),
    };
    let text = common::text(&out.stdout);
    match out.status.code() {
        Some(0) => Some(String::new()),
        Some(1) => Some(text),
        Some(3) => skip("Python's jsonschema is not installed"),
        _ => panic!(
            "the validator failed: {}{}",
            text,
            common::text(&out.stderr)
        ),
    }
}

/// Runs `command --format sarif` on `fixture` (exit 1: both fixtures have
/// an error) and checks what GitHub reads.
fn sarif(command: &str, fixture_name: &str) -> Value {
    let m = fixture(&format!("{}/Cargo.toml", fixture_name))
        .display()
        .to_string();
    let out = pg(&[command, "--manifest-path", &m, "--format", "sarif"], &[])
        .expect(1, command)
        .out;
    let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "cargo-platform-guard");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], id, "{}", r);
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let place = &r["locations"][0]["physicalLocation"];
        let uri = place["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains(':'),
            "relative to the repository's root: {}",
            uri
        );
        assert!(place["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let errors = validate(command, &log);
    assert_eq!(errors.as_deref().unwrap_or(""), "", "{}", out);
    log
}

#[test]
fn pipeline_findings_are_code_scanning_results() {
    let log = sarif("pipeline", "pipeline/ships-denied");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let first = &results[0];
    assert_eq!(first["ruleId"], "denied-target");
    assert_eq!(first["level"], "error");
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        ".github/workflows/release.yml"
    );
    assert_eq!(
        first["locations"][0]["physicalLocation"]["region"]["startLine"],
        13
    );
    assert_eq!(
        first["properties"]["targets"],
        serde_json::json!(["i686-unknown-linux-gnu"])
    );
    assert_eq!(results[3]["ruleId"], "shipped-not-stable");
    assert_eq!(results[3]["level"], "warning");
}

#[test]
fn audit_findings_are_code_scanning_results() {
    let log = sarif("audit", "audit/missing-job");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[0]["ruleId"], "unmet-requirement");
    assert_eq!(results[0]["level"], "error");
    assert!(results[1..]
        .iter()
        .all(|r| r["ruleId"] == "promotion-requirement" && r["level"] == "note"));
}

/// The schema check is a real check: a log GitHub would reject (a level
/// SARIF does not have, a result without its message, a version that is
/// not 2.1.0) fails it.
#[test]
fn the_schema_rejects_an_invalid_log() {
    let m = fixture("pipeline/ships-denied/Cargo.toml")
        .display()
        .to_string();
    let out = pg(
        &["pipeline", "--manifest-path", &m, "--format", "sarif"],
        &[],
    )
    .expect(1, "sarif")
    .out;
    let good: Value = serde_json::from_str(&out).unwrap();
    let Some(errors) = validate("valid", &good) else {
        return;
    };
    assert_eq!(errors, "");
    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    bad["runs"][0]["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("message");
    bad["version"] = "2.0.0".into();
    let errors = validate("invalid", &bad).expect("validated above");
    for path in ["runs/0/results/0/level", "runs/0/results/1", "version"] {
        assert!(
            errors
                .lines()
                .any(|l| l.starts_with(&format!("{}: ", path))),
            "no error at {}:\n{}",
            path,
            errors
        );
    }
}
