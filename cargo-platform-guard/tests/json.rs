//! The shape of every command's `--format json` document: the field names,
//! in order, and each field's type (or its words), checked against one
//! spec per command. One `format_version` for all, and the command's name.
//! A change here is a change programs reading the JSON see: the README's
//! table and the changelog say so.

mod common;

use common::{fixture, pg, pg_in};
use serde_json::Value;

/// A finding, in `pipeline` and `audit`.
const FINDING: &str = r#"{"code": "=denied-target|shipped-not-stable|documented-denied-target|unknown-target|unchecked-job|unbuilt-stable-rule|unmet-requirement|promotion-requirement|unverifiable-requirement",
 "severity": "=error|warning|notice", "file": "string|null", "line": "number|null",
 "targets": ["string"], "rules": ["number"], "message": "string"}"#;

const LEVEL: &str = "=stable|experimental|unstable|unsupported";
const BUILD: &str = "=allowed|lifted|denied";

/// Checks `value` against `spec`: a string spec is `type|type` (string,
/// number, boolean, null) or `=word|word` (one of these strings); an array
/// spec `[item]` means every item matches `item`; an object spec means
/// exactly these keys, in this order, each matching.
fn conforms(value: &Value, spec: &Value, path: &str) {
    match spec {
        Value::String(s) if s.starts_with('=') => {
            let words: Vec<&str> = s[1..].split('|').collect();
            assert!(
                value.as_str().is_some_and(|v| words.contains(&v)),
                "{}: {} is not one of {:?}",
                path,
                value,
                words
            );
        }
        Value::String(types) => {
            let ty = match value {
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Bool(_) => "boolean",
                Value::Null => "null",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            assert!(
                types.split('|').any(|t| t == ty),
                "{}: {} is a {}, expected {}",
                path,
                value,
                ty,
                types
            );
        }
        Value::Array(item) => {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{}: {} is not an array", path, value));
            for (i, v) in items.iter().enumerate() {
                conforms(v, &item[0], &format!("{}[{}]", path, i));
            }
        }
        Value::Object(fields) => {
            let got = value
                .as_object()
                .unwrap_or_else(|| panic!("{}: {} is not an object", path, value));
            let keys: Vec<&String> = got.keys().collect();
            let want: Vec<&String> = fields.keys().collect();
            assert_eq!(keys, want, "{}: the fields", path);
            for (k, s) in fields {
                conforms(&got[k], s, &format!("{}.{}", path, k));
            }
        }
        other => panic!("bad spec {}", other),
    }
}

/// `spec` with `{FINDING}`, `{LEVEL}` and `{BUILD}` filled in, parsed.
fn spec(text: &str) -> Value {
    let text = text
        .replace("\"{FINDING}\"", FINDING)
        .replace("{LEVEL}", LEVEL)
        .replace("{BUILD}", BUILD);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("spec: {}: {}", e, text))
}

/// Runs `args` (exit `code`), checks the document against `spec` and that
/// its arrays named in `non_empty` hold items (so their items were checked).
fn check(args: &[&str], dir: Option<&std::path::Path>, code: i32, spec_text: &str) -> Value {
    let run = match dir {
        Some(d) => pg_in(d, args, &[]),
        None => pg(args, &[]),
    }
    .expect(code, &args.join(" "));
    let doc: Value = serde_json::from_str(&run.out).expect("JSON");
    assert_eq!(doc["format_version"], 1, "one version for every command");
    assert_eq!(doc["command"], args[0]);
    conforms(&doc, &spec(spec_text), args[0]);
    doc
}

#[test]
fn matrix() {
    let m = fixture("cli-policy/Cargo.toml").display().to_string();
    let doc = check(
        &["matrix", "--manifest-path", &m, "--format", "json"],
        None,
        0,
        r#"{"format_version": "number", "command": "string", "rustc": "string", "host": "string",
            "installable_source": "string", "tier_source": "string",
            "unmatched_rules": [{"package": "string|null", "rule": "number", "level": "{LEVEL}", "cfg": "string"}],
            "left_out": [{"target": "string", "error": "string"}],
            "targets": [{"target": "string", "package": "string|null", "arch": "string",
              "os": "string|null", "pointer_width": "number|null", "endian": "string|null",
              "level": "{LEVEL}", "rule": "string|null", "maintainers": "string|null",
              "override_var": "string", "override_value": "string", "build": "{BUILD}",
              "rustflags": ["string"], "installable": "boolean|null", "tier": "number|null",
              "go": "string|null", "debian": "string|null", "docker": "string|null"}]}"#,
    );
    assert!(!doc["targets"].as_array().unwrap().is_empty());
}

#[test]
fn check_command() {
    let m = fixture("cli-policy/Cargo.toml").display().to_string();
    let doc = check(
        &[
            "check",
            "--manifest-path",
            &m,
            "--target",
            "x86_64-unknown-linux-gnu,i686-unknown-linux-gnu",
            "--format",
            "json",
        ],
        None,
        1,
        r#"{"format_version": "number", "command": "string",
            "targets": [{"package": "string|null", "target": "string", "level": "{LEVEL}",
              "rule": "string|null", "rule_index": "number|null", "build": "{BUILD}",
              "message": "string|null", "compile": "string"}]}"#,
    );
    let targets = doc["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0]["build"], "allowed");
    assert_eq!(targets[0]["message"], Value::Null);
    assert_eq!(targets[1]["build"], "denied");
    assert!(targets[1]["message"]
        .as_str()
        .unwrap()
        .starts_with("building for unsupported target i686-unknown-linux-gnu"));
}

#[test]
fn pipeline() {
    let m = fixture("pipeline/ships-denied/Cargo.toml")
        .display()
        .to_string();
    let doc = check(
        &["pipeline", "--manifest-path", &m, "--format", "json"],
        None,
        1,
        r#"{"format_version": "number", "command": "string",
            "parts": [{"package": "string|null", "policy": "string", "root": "string",
              "files": ["string"],
              "targets": [{"target": "string", "file": "string", "line": "number",
                "use": "=built|shipped|documented", "context": "string", "level": "{LEVEL}",
                "rule": "string|null", "build": "{BUILD}"}],
              "findings": ["{FINDING}"]}]}"#,
    );
    let part = &doc["parts"][0];
    assert!(!part["targets"].as_array().unwrap().is_empty());
    assert!(!part["findings"].as_array().unwrap().is_empty());
}

#[test]
fn audit() {
    let m = fixture("audit/missing-job/Cargo.toml")
        .display()
        .to_string();
    let doc = check(
        &["audit", "--manifest-path", &m, "--format", "json"],
        None,
        1,
        r#"{"format_version": "number", "command": "string",
            "parts": [{"package": "string|null", "policy": "string",
              "rules": [{"rule": "number", "level": "{LEVEL}", "cfg": "string", "ok": "boolean",
                "requirements": [{"requirement": "=maintainers|build|unit|integration|functional",
                  "status": "=met|optional|failed|missing|unverifiable", "job": "string|null",
                  "detail": "string", "file": "string|null", "line": "number|null"}]}],
              "findings": ["{FINDING}"]}]}"#,
    );
    let part = &doc["parts"][0];
    assert!(!part["rules"].as_array().unwrap().is_empty());
    assert!(!part["findings"].as_array().unwrap().is_empty());
}

#[test]
fn diff() {
    let doc = check(
        &["diff", "v1.toml", "v2.toml", "--format", "json"],
        Some(&fixture("diff")),
        0,
        r#"{"format_version": "number", "command": "string", "old": "string", "new": "string",
            "rustc": "string", "targets_compared": "number",
            "changes": [{"target": "string",
              "changes": ["=promoted|demoted|newly_denied|newly_allowed"],
              "old": {"level": "{LEVEL}", "rule": "string|null", "rule_index": "number|null", "denied": "boolean"},
              "new": {"level": "{LEVEL}", "rule": "string|null", "rule_index": "number|null", "denied": "boolean"}}]}"#,
    );
    assert!(!doc["changes"].as_array().unwrap().is_empty());
}

/// The checker itself: a wrong type, a missing field and an extra one are
/// caught.
#[test]
fn the_checker_catches_a_wrong_shape() {
    let s = spec(r#"{"a": "number", "b": ["=x|y"]}"#);
    conforms(&serde_json::json!({"a": 1, "b": ["x"]}), &s, "ok");
    for bad in [
        serde_json::json!({"a": "1", "b": []}),
        serde_json::json!({"a": 1}),
        serde_json::json!({"a": 1, "b": [], "c": 2}),
        serde_json::json!({"b": [], "a": 1}),
        serde_json::json!({"a": 1, "b": ["z"]}),
    ] {
        let caught = std::panic::catch_unwind(|| conforms(&bad, &s, "bad")).is_err();
        assert!(caught, "{} passed", bad);
    }
}

/// A command that fails under `--format json` says why as data too: the
/// library's error kind (here a cfg syntax error) or `usage` /
/// `environment`, with the message stderr has.
#[test]
fn a_failure_is_a_document_with_its_cause() {
    let dir = common::scratch("json-failure");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"broken\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [package.metadata.platform-guard]\nrules = [{ level = \"stable\", cfg = 'all(unix' }]\n\n\
         [workspace]\n",
    )
    .unwrap();
    let doc = check(
        &["check", "--format", "json"],
        Some(&dir),
        2,
        r#"{"format_version": "number", "command": "string",
            "error": {"cause": "=cfg-syntax", "message": "string"}}"#,
    );
    let run = pg_in(&dir, &["check", "--format", "json"], &[]).expect(2, "again");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(
        run.err.contains(message) && message.contains("all(unix"),
        "{}\n{}",
        message,
        run.err
    );
    // An environment failure: a --manifest-path that does not exist.
    check(
        &[
            "check",
            "--format",
            "json",
            "--manifest-path",
            "/nonexistent/Cargo.toml",
        ],
        None,
        2,
        r#"{"format_version": "number", "command": "string",
            "error": {"cause": "=environment", "message": "string"}}"#,
    );
}
