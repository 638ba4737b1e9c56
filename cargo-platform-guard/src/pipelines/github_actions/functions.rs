//! The functions of GitHub expressions. An argument that is not known
//! makes the result unknown (with the argument's reason), except where the
//! answer does not depend on it.

use super::value::{number, unknown_of, Text, Unknown, Value, Why};
use crate::yaml;

/// Items a `fromJSON` value may have (its text is parsed as YAML, of which
/// JSON is a part, within the YAML reader's own bounds).
const MAX_JSON: usize = 1 << 16;

/// Calls `name` (lower case) with `args`.
pub fn call(name: &str, args: &[Value]) -> Value {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    match name {
        "success" | "always" => Value::Bool(true),
        // A step that runs only when something failed or was cancelled is
        // not what a successful run does.
        "failure" | "cancelled" => Value::Bool(false),
        "contains" => contains(&arg(0), &arg(1)),
        "startswith" | "endswith" => affix(name == "startswith", &arg(0), &arg(1)),
        "format" => format(args),
        "join" => join(&arg(0), args.get(1)),
        "fromjson" => from_json(&arg(0)),
        "tojson" => to_json(&arg(0)),
        "hashfiles" => Value::Unknown(Unknown::new(Why::RunContext, "hashFiles(...)")),
        _ => Value::Unknown(Unknown::new(Why::Unsupported, &format!("{}(...)", name))),
    }
}

fn known_text(v: &Value) -> Result<Text, Value> {
    let t = v.to_text();
    if t.is_known() {
        Ok(t)
    } else {
        Err(unknown_of(v))
    }
}

fn contains(search: &Value, item: &Value) -> Value {
    if let Value::Array(items) = search {
        if item.truthy().is_none() {
            return unknown_of(item);
        }
        let mut unknown = None;
        for i in items {
            if i.truthy().is_none() {
                unknown = Some(unknown_of(i));
            } else if loose_eq(i, item) {
                return Value::Bool(true);
            }
        }
        return unknown.unwrap_or(Value::Bool(false));
    }
    match (known_text(search), known_text(item)) {
        (Ok(s), Ok(i)) => Value::Bool(s.s.to_lowercase().contains(&i.s.to_lowercase())),
        (Err(u), _) | (_, Err(u)) => u,
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x.s.eq_ignore_ascii_case(&y.s),
        _ => a.same(b),
    }
}

fn affix(start: bool, s: &Value, fix: &Value) -> Value {
    match (known_text(s), known_text(fix)) {
        (Ok(s), Ok(f)) => {
            let (s, f) = (s.s.to_lowercase(), f.s.to_lowercase());
            Value::Bool(if start {
                s.starts_with(&f)
            } else {
                s.ends_with(&f)
            })
        }
        (Err(u), _) | (_, Err(u)) => u,
    }
}

/// `format('{0}-{1}', a, b)`; `{{` and `}}` are braces.
fn format(args: &[Value]) -> Value {
    let Some(fmt) = args.first() else {
        return Value::str("");
    };
    let fmt = match known_text(fmt) {
        Ok(t) => t,
        Err(u) => return u,
    };
    let mut out = Text::default();
    let s = &fmt.s;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("{{") || rest.starts_with("}}") {
            out.push_str(&rest[..1]);
            i += 2;
        } else if let Some(n) = rest
            .strip_prefix('{')
            .and_then(|r| r.split_once('}'))
            .and_then(|(n, _)| n.parse::<usize>().ok().map(|v| (v, n.len())))
        {
            out.push(&args.get(n.0 + 1).cloned().unwrap_or(Value::Null).to_text());
            i += n.1 + 2;
        } else {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push(&fmt.slice(i, i + c));
            i += c;
        }
    }
    Value::Str(out)
}

fn join(items: &Value, sep: Option<&Value>) -> Value {
    let sep = sep.map_or_else(|| Text::plain(","), Value::to_text);
    match items {
        Value::Array(items) => {
            let mut out = Text::default();
            for (n, i) in items.iter().enumerate() {
                if n > 0 {
                    out.push(&sep);
                }
                out.push(&i.to_text());
            }
            Value::Str(out)
        }
        other => Value::Str(other.to_text()),
    }
}

fn from_json(v: &Value) -> Value {
    let t = match known_text(v) {
        Ok(t) => t,
        Err(u) => return u,
    };
    let unsupported = || Value::Unknown(Unknown::new(Why::Unsupported, "fromJSON(...)"));
    if t.s.len() > MAX_JSON {
        return unsupported();
    }
    match yaml::parse(&t.s) {
        // JSON strings are quoted; a bare word would be YAML only.
        Ok(node) => json_value(Value::from_node(&node), t.line()),
        Err(_) => unsupported(),
    }
}

/// Strings parsed from JSON are written where the JSON text was.
fn json_value(v: Value, line: Option<usize>) -> Value {
    match v {
        Value::Str(t) => Value::Str(match line {
            Some(l) => Text::at(&t.s, l),
            None => Text::plain(&t.s),
        }),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|i| json_value(i, line)).collect())
        }
        Value::Object(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k, json_value(v, line)))
                .collect(),
        ),
        other => other,
    }
}

fn to_json(v: &Value) -> Value {
    fn write(v: &Value, out: &mut String) -> bool {
        match v {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Num(n) => out.push_str(&number(*n)),
            Value::Str(t) => {
                if !t.is_known() {
                    return false;
                }
                out.push('"');
                for c in t.s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Value::Array(items) => {
                out.push('[');
                for (n, i) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    if !write(i, out) {
                        return false;
                    }
                }
                out.push(']');
            }
            Value::Object(entries) => {
                out.push('{');
                for (n, (k, i)) in entries.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    out.push_str(&format!("{:?}:", k));
                    if !write(i, out) {
                        return false;
                    }
                }
                out.push('}');
            }
            Value::Unknown(_) => return false,
        }
        true
    }
    let mut out = String::new();
    if write(v, &mut out) {
        Value::str(&out)
    } else {
        unknown_of(v)
    }
}
