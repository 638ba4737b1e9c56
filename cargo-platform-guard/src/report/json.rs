//! `--format json`: every command's document, serialized with serde, with
//! the one [`FORMAT_VERSION`] and the command's name first, laid out one
//! item a line (a row of `matrix`, a finding) so that line tools work too.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Body, Finding, Report};
use crate::context::Failure;

/// The version of every command's `--format json` document; it changes
/// only when a field changes meaning or goes away (fields may be added).
pub const FORMAT_VERSION: u32 = 1;

/// The document of `command`: `{"format_version": 1, "command": ...}`
/// followed by the fields of `body` (a struct), in their order.
pub fn document<T: Serialize>(command: &str, body: &T) -> Result<String, Failure> {
    let value = serde_json::to_value(body)
        .map_err(|e| Failure::error(format!("cannot write the JSON document: {}", e)))?;
    let Value::Object(fields) = value else {
        return Err(Failure::error(
            "cannot write the JSON document: expected an object",
        ));
    };
    let mut doc = Map::new();
    doc.insert("format_version".to_string(), FORMAT_VERSION.into());
    doc.insert("command".to_string(), command.into());
    doc.extend(fields);
    let mut out = String::new();
    write(&Value::Object(doc), 0, &mut out);
    out.push('\n');
    Ok(out)
}

/// The document of a command that failed: `{"format_version": 1,
/// "command": ..., "error": {"cause": ..., "message": ...}}`, so that a
/// program reading `--format json` learns why as data (the exit status is
/// 2, and stderr has the message too).
pub fn failure(command: &str, failure: &Failure) -> Result<String, Failure> {
    #[derive(Serialize)]
    struct ErrorDoc<'f> {
        cause: &'static str,
        message: &'f str,
    }
    #[derive(Serialize)]
    struct FailureDoc<'f> {
        error: ErrorDoc<'f>,
    }
    document(
        command,
        &FailureDoc {
            error: ErrorDoc {
                cause: failure.cause.as_str(),
                message: &failure.message,
            },
        },
    )
}

/// One package's part of a `pipeline` or `audit` document.
#[derive(Serialize)]
struct PartDoc<'r> {
    package: Option<&'r str>,
    policy: &'r str,
    #[serde(flatten)]
    body: BodyDoc<'r>,
    findings: &'r [Finding],
}

#[derive(Serialize)]
#[serde(untagged)]
enum BodyDoc<'r> {
    Pipeline(&'r super::Pipeline),
    Audit(&'r super::Audit),
    Inspect(&'r super::Inspect),
}

#[derive(Serialize)]
struct ReportDoc<'r> {
    parts: Vec<PartDoc<'r>>,
}

pub fn report(report: &Report) -> Result<String, Failure> {
    let parts = report
        .parts
        .iter()
        .map(|p| PartDoc {
            package: p.package.as_deref(),
            policy: &p.policy,
            body: match &p.body {
                Body::Pipeline(b) => BodyDoc::Pipeline(b),
                Body::Audit(b) => BodyDoc::Audit(b),
                Body::Inspect(b) => BodyDoc::Inspect(b),
            },
            findings: &p.findings,
        })
        .collect();
    document(report.command, &ReportDoc { parts })
}

/// Whether `v` goes on one line: a scalar, an array of scalars, or an
/// object none of whose values is an object or array that holds objects.
fn inline(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(|i| !i.is_object() && !i.is_array()),
        Value::Object(fields) => fields.values().all(|f| match f {
            Value::Object(_) => inline(f),
            Value::Array(_) => inline(f),
            _ => true,
        }),
        _ => true,
    }
}

/// `v` on one line, with `, ` and `: ` between items.
fn compact(v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                compact(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (k, f)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push_str(": ");
                compact(f, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// `v` at `indent`: on one line when [`inline`], else one item a line.
fn write(v: &Value, indent: usize, out: &mut String) {
    if inline(v) {
        return compact(v, out);
    }
    let pad = " ".repeat(indent + 2);
    let (open, close) = if v.is_array() { ('[', ']') } else { ('{', '}') };
    out.push(open);
    let mut first = true;
    let mut item = |key: Option<&str>, value: &Value, out: &mut String| {
        out.push_str(if first { "\n" } else { ",\n" });
        first = false;
        out.push_str(&pad);
        if let Some(k) = key {
            out.push_str(&Value::from(k).to_string());
            out.push_str(": ");
        }
        write(value, indent + 2, out);
    };
    match v {
        Value::Array(items) => items.iter().for_each(|i| item(None, i, out)),
        Value::Object(fields) => fields.iter().for_each(|(k, f)| item(Some(k), f, out)),
        _ => {}
    }
    out.push('\n');
    out.push_str(&" ".repeat(indent));
    out.push(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Doc {
        name: &'static str,
        rows: Vec<Row>,
        empty: Vec<Row>,
    }

    #[derive(Serialize)]
    struct Row {
        target: &'static str,
        flags: Vec<&'static str>,
        width: Option<u32>,
    }

    #[test]
    fn one_row_a_line_in_field_order() {
        let doc = Doc {
            name: "a\"b\n",
            rows: vec![
                Row {
                    target: "x",
                    flags: vec!["-C", "y"],
                    width: Some(64),
                },
                Row {
                    target: "z",
                    flags: vec![],
                    width: None,
                },
            ],
            empty: vec![],
        };
        assert_eq!(
            document("test", &doc).unwrap(),
            format!(
                "{{\n  \"format_version\": {},\n  \"command\": \"test\",\n  \"name\": \
                 \"a\\\"b\\n\",\n  \"rows\": [\n    {{\"target\": \"x\", \"flags\": [\"-C\", \
                 \"y\"], \"width\": 64}},\n    {{\"target\": \"z\", \"flags\": [], \"width\": \
                 null}}\n  ],\n  \"empty\": []\n}}\n",
                FORMAT_VERSION
            )
        );
    }
}
