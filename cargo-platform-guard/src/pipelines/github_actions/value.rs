//! The values GitHub expressions work on, and text that remembers where its
//! parts came from: a target written in a matrix keeps the matrix line when
//! it is substituted into a `run` script, and a part whose value is not in
//! the files (a secret, a job's output) is marked as such instead of being
//! read as words.

use crate::yaml::{self, Node};

/// Why a value is not in the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Why {
    /// `secrets.*`.
    Secret,
    /// `needs.<job>.outputs.*`, `needs.<job>.result`.
    JobOutput,
    /// `steps.<step>.outputs.*`, `steps.<step>.outcome`.
    StepOutput,
    /// `github.*`, `runner.*`, `job.*`, `strategy.*` known only when the
    /// workflow runs (the event, the ref, the workspace path).
    RunContext,
    /// `vars.*`: repository or organisation variables.
    Variable,
    /// `inputs.*` with no default and no caller that gives it.
    Input,
    /// `matrix.*` of a matrix computed when the workflow runs.
    ComputedMatrix,
    /// A shell variable set by the script or the runner (`$VERSION`).
    Shell,
    /// An expression this reader does not evaluate.
    Unsupported,
}

impl Why {
    /// Why, as words: "a secret", ...
    pub fn words(self) -> &'static str {
        match self {
            Why::Secret => "a secret",
            Why::JobOutput => "an output of another job, known only when the workflow runs",
            Why::StepOutput => "an output of an earlier step, known only when the workflow runs",
            Why::RunContext => "known only when the workflow runs",
            Why::Variable => "a repository or organisation variable",
            Why::Input => "an input given when the workflow is started or called",
            Why::ComputedMatrix => "a matrix computed when the workflow runs",
            Why::Shell => "a shell value set when the workflow runs",
            Why::Unsupported => "an expression this reader does not evaluate",
        }
    }
}

/// A value that is not in the files: why, and the expression it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub why: Why,
    pub expr: String,
}

impl Unknown {
    pub fn new(why: Why, expr: &str) -> Unknown {
        Unknown {
            why,
            expr: expr.to_string(),
        }
    }
}

/// Where a part of a [`Text`] came from.
#[derive(Debug, Clone, PartialEq)]
pub enum From {
    /// Written at this line of the file (a matrix value, an `env` value).
    Line(usize),
    /// Not in the files.
    Unknown(Unknown),
}

/// Bytes `start..end` of a text came from `from`.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub from: From,
}

/// What an unknown part is written as in a text: one character no script
/// or name holds, so that it stays inside one word.
pub const HOLE: char = '\u{1}';

/// A string, and where its parts came from (parts not covered by a span
/// are written where the text is).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    pub s: String,
    pub spans: Vec<Span>,
}

impl Text {
    /// Text written where it is used.
    pub fn plain(s: &str) -> Text {
        Text {
            s: s.to_string(),
            spans: Vec::new(),
        }
    }

    /// Text written at `line` (of a matrix or an `env`).
    pub fn at(s: &str, line: usize) -> Text {
        let mut t = Text::plain(s);
        if !s.is_empty() {
            t.spans.push(Span {
                start: 0,
                end: s.len(),
                from: From::Line(line),
            });
        }
        t
    }

    /// A part whose value is not in the files.
    pub fn unknown(u: Unknown) -> Text {
        let mut s = String::new();
        s.push(HOLE);
        Text {
            spans: vec![Span {
                start: 0,
                end: s.len(),
                from: From::Unknown(u),
            }],
            s,
        }
    }

    pub fn push_str(&mut self, s: &str) {
        self.s.push_str(s);
    }

    /// Appends `t`; a span that continues the last one (the same origin,
    /// adjacent) extends it.
    pub fn push(&mut self, t: &Text) {
        let base = self.s.len();
        self.s.push_str(&t.s);
        for sp in &t.spans {
            if let Some(last) = self.spans.last_mut() {
                if last.end == sp.start + base && last.from == sp.from {
                    last.end = sp.end + base;
                    continue;
                }
            }
            self.spans.push(Span {
                start: sp.start + base,
                end: sp.end + base,
                from: sp.from.clone(),
            });
        }
    }

    /// Bytes `start..end` (on character boundaries), with their spans.
    pub fn slice(&self, start: usize, end: usize) -> Text {
        let s = self.s.get(start..end).unwrap_or_default().to_string();
        let spans = self
            .spans
            .iter()
            .filter(|sp| sp.start < end && sp.end > start)
            .map(|sp| Span {
                start: sp.start.max(start) - start,
                end: sp.end.min(end) - start,
                from: sp.from.clone(),
            })
            .collect();
        Text { s, spans }
    }

    /// The text without surrounding whitespace.
    pub fn trimmed(&self) -> Text {
        let start = self.s.len() - self.s.trim_start().len();
        let end = self.s.trim_end().len().max(start);
        self.slice(start, end)
    }

    /// The text with only its unknown parts marked (a script given as an
    /// input: its words are on their own lines).
    pub fn without_lines(&self) -> Text {
        Text {
            s: self.s.clone(),
            spans: self
                .spans
                .iter()
                .filter(|sp| matches!(sp.from, From::Unknown(_)))
                .cloned()
                .collect(),
        }
    }

    /// The line the whole text was written at, when one span covers it.
    pub fn line(&self) -> Option<usize> {
        match self.spans.as_slice() {
            [Span {
                start: 0,
                end,
                from: From::Line(l),
            }] if *end == self.s.len() => Some(*l),
            _ => None,
        }
    }

    /// The first part of the text that is not in the files.
    pub fn unknown_part(&self) -> Option<&Unknown> {
        self.spans.iter().find_map(|sp| match &sp.from {
            From::Unknown(u) => Some(u),
            From::Line(_) => None,
        })
    }

    /// Whether all of the text is known.
    pub fn is_known(&self) -> bool {
        self.unknown_part().is_none()
    }
}

/// A value of a GitHub expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(Text),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
    Unknown(Unknown),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Text::plain(s))
    }

    /// Whether the value is truthy (`None` when it is not known).
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(t) => {
                if !t.is_known() {
                    return None;
                }
                !t.s.is_empty()
            }
            Value::Array(_) | Value::Object(_) => true,
            Value::Unknown(_) => return None,
        })
    }

    /// The value as text, as GitHub writes it into a string.
    pub fn to_text(&self) -> Text {
        match self {
            Value::Null => Text::default(),
            Value::Bool(b) => Text::plain(if *b { "true" } else { "false" }),
            Value::Num(n) => Text::plain(&number(*n)),
            Value::Str(t) => t.clone(),
            Value::Array(_) => Text::plain("Array"),
            Value::Object(_) => Text::plain("Object"),
            Value::Unknown(u) => Text::unknown(u.clone()),
        }
    }

    /// The member `key` (case-insensitive, as GitHub looks them up); null
    /// when there is none.
    pub fn get(&self, key: &str) -> Value {
        match self {
            Value::Object(entries) => entries
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map_or(Value::Null, |(_, v)| v.clone()),
            Value::Array(items) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or(Value::Null),
            Value::Unknown(u) => {
                Value::Unknown(Unknown::new(u.why, &format!("{}.{}", u.expr, key)))
            }
            _ => Value::Null,
        }
    }

    /// A YAML node as a value: a plain `true`, `false`, `null` or number is
    /// one, any other scalar a string written at its line.
    pub fn from_node(node: &Node) -> Value {
        match &node.kind {
            yaml::NodeKind::Scalar { value, plain } => {
                if *plain {
                    if let Some(v) = plain_scalar(value) {
                        return v;
                    }
                }
                Value::Str(Text::at(value, node.line))
            }
            yaml::NodeKind::Seq(items) => {
                Value::Array(items.iter().map(Value::from_node).collect())
            }
            yaml::NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().unwrap_or_default().to_string(),
                            Value::from_node(v),
                        )
                    })
                    .collect(),
            ),
        }
    }

    /// Equality ignoring where strings came from (deep, for matrix
    /// `include` and `exclude`).
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => a.s == b.s,
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(k, v)| {
                        b.iter()
                            .any(|(k2, v2)| k.eq_ignore_ascii_case(k2) && v.same(v2))
                    })
            }
            (a, b) => a == b,
        }
    }
}

/// A plain YAML scalar that is not a string.
fn plain_scalar(s: &str) -> Option<Value> {
    match s {
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        "null" | "Null" | "NULL" | "~" | "" => Some(Value::Null),
        _ => {
            let looks = s
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
            if looks && s.chars().any(|c| c.is_ascii_digit()) {
                s.parse::<f64>().ok().map(Value::Num)
            } else {
                None
            }
        }
    }
}

/// A number as GitHub prints it (`1`, not `1.0`).
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{}", n)
    }
}

/// The unknown a value holds (itself, or a part of its text).
pub fn unknown_of(v: &Value) -> Value {
    match v {
        Value::Unknown(u) => Value::Unknown(u.clone()),
        Value::Str(t) => Value::Unknown(
            t.unknown_part()
                .cloned()
                .unwrap_or(Unknown::new(Why::Unsupported, &t.s)),
        ),
        _ => Value::Unknown(Unknown::new(Why::Unsupported, "")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_keep_where_their_parts_came_from() {
        let mut t = Text::plain("cargo build --target ");
        t.push(&Text::at("x86_64-unknown-linux-musl", 7));
        let word = t.slice(21, t.s.len());
        assert_eq!(word.s, "x86_64-unknown-linux-musl");
        assert_eq!(word.line(), Some(7));
        assert_eq!(t.line(), None);
        let mut u = Text::plain("--target=");
        u.push(&Text::unknown(Unknown::new(Why::Secret, "secrets.T")));
        assert_eq!(u.unknown_part().map(|u| u.why), Some(Why::Secret));
        assert!(Text::plain(" a ").trimmed().s == "a");
    }

    #[test]
    fn yaml_scalars_become_values() {
        let doc = yaml::parse("a: true\nb: 'true'\nc: 3\nd: [x, {e: f}]\n").unwrap();
        let v = Value::from_node(&doc);
        assert_eq!(v.get("A"), Value::Bool(true));
        assert_eq!(v.get("b"), Value::Str(Text::at("true", 2)));
        assert_eq!(v.get("c"), Value::Num(3.0));
        assert_eq!(v.get("d").get("1").get("e").to_text().s, "f");
        assert_eq!(v.get("missing"), Value::Null);
        assert_eq!(Value::Num(2.0).to_text().s, "2");
    }
}
