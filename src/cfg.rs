//! Cargo-style cfg expressions: parse, display, evaluate. No I/O.
//!
//! The grammar is the one of `[target.'cfg(...)'.dependencies]`:
//!
//! ```text
//! expr  := "all" "(" list ")" | "any" "(" list ")" | "not" "(" expr ","? ")"
//!        | ident | ident "=" string
//! list  := ( expr ( "," expr )* ","? )?
//! ident := [A-Za-z_][A-Za-z0-9_]*          (ASCII, as Cargo's lexer)
//! string:= '"' any character but '"', '\' and control characters '"'
//! ```
//!
//! A whole expression may also be wrapped once in `cfg(...)`, as it is
//! written in a Cargo.toml target table. `all()` is true and `any()` false.
//! Choices where Cargo is loose or silent, made strict here so that a typo is
//! an error rather than a rule that silently never matches:
//! - `true` and `false` are refused (Cargo's meaning changed across
//!   versions); write `all()` or `any()`.
//! - escapes in strings are refused (Cargo does not interpret them and no
//!   cfg value contains `\` or `"`).
//! - nesting deeper than [`MAX_DEPTH`] is refused, so no input can exhaust
//!   the stack in parsing, evaluation, display or drop.
//! - control characters (line breaks, escape codes) inside a string value
//!   are refused: a value is written back into build-script directives and
//!   messages, which are one line each.
//! - raw identifiers (`r#name`), which recent Cargo accepts, are refused: no
//!   cfg name needs one.
//!
//! Two choices are looser than Cargo's lexer, where the meaning is never in
//! doubt: tabs and line breaks between tokens count as spaces (Cargo takes
//! only spaces), and `not(x,)` takes a trailing comma as `all`/`any` do (as
//! rustc does; Cargo refuses it).

use std::fmt;
use std::str::FromStr;

use crate::error::{quoted, Error, ErrorKind};
use crate::target::TargetCfg;

/// The deepest nesting of `all`/`any`/`not` an expression may have.
pub const MAX_DEPTH: usize = 64;

/// A parsed cfg expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CfgExpr(Node);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    Name(String),
    KeyValue(String, String),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
}

impl CfgExpr {
    /// Parses `input`; see the module documentation for the grammar.
    pub fn parse(input: &str) -> Result<CfgExpr, Error> {
        let mut p = Parser { input, pos: 0 };
        p.skip_ws();
        let node = if p.starts_wrapper() {
            p.expect_ident_named("cfg")?;
            p.expect_punct(b'(', "`(`")?;
            let node = p.expr(1)?;
            p.expect_punct(b')', "`)`")?;
            node
        } else {
            p.expr(1)?
        };
        p.skip_ws();
        if p.pos < input.len() {
            return Err(p.error("end of input after a complete expression"));
        }
        Ok(CfgExpr(node))
    }

    /// Whether `target` satisfies the expression, as rustc would decide.
    pub fn matches(&self, target: &TargetCfg) -> bool {
        self.0.eval(target)
    }

    /// The values `name` is required to have in every alternative of the
    /// expression's top-level `all(...)` (or the expression itself), in
    /// order: `all(target_arch = "x86_64", target_os = "linux")` requires
    /// `target_os` to be `["linux"]`. An `any(...)` of equalities contributes
    /// each of its values. Used to describe a rule in documents.
    pub fn required_values(&self, name: &str) -> Vec<&str> {
        let mut out = Vec::new();
        self.0.required(name, &mut out);
        out
    }
}

impl Node {
    fn eval(&self, t: &TargetCfg) -> bool {
        match self {
            Node::Name(n) => t.has_name(n),
            Node::KeyValue(k, v) => t.has_value(k, v),
            Node::All(list) => list.iter().all(|n| n.eval(t)),
            Node::Any(list) => list.iter().any(|n| n.eval(t)),
            Node::Not(n) => !n.eval(t),
        }
    }

    fn required<'a>(&'a self, name: &str, out: &mut Vec<&'a str>) {
        match self {
            Node::KeyValue(k, v) if k == name => out.push(v),
            Node::All(list) => list.iter().for_each(|n| n.required(name, out)),
            Node::Any(list)
                if list
                    .iter()
                    .all(|n| matches!(n, Node::KeyValue(k, _) if k == name)) =>
            {
                list.iter().for_each(|n| n.required(name, out))
            }
            _ => {}
        }
    }
}

impl FromStr for CfgExpr {
    type Err = Error;

    fn from_str(s: &str) -> Result<CfgExpr, Error> {
        CfgExpr::parse(s)
    }
}

impl fmt::Display for CfgExpr {
    /// The canonical form: `all(a, b = "c")`, one space after each comma,
    /// spaces around `=`, no `cfg(...)` wrapper. It parses back to the same
    /// expression.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (op, list): (&str, &[Node]) = match self {
            Node::Name(n) => return f.write_str(n),
            Node::KeyValue(k, v) => return write!(f, "{} = \"{}\"", k, v),
            Node::All(list) => ("all", list),
            Node::Any(list) => ("any", list),
            Node::Not(n) => ("not", std::slice::from_ref(&**n)),
        };
        write!(f, "{}(", op)?;
        for (i, n) in list.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            fmt::Display::fmt(n, f)?;
        }
        f.write_str(")")
    }
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.input.as_bytes()[self.pos..]
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.rest().first() {
            self.pos += 1;
        }
    }

    /// Whether the input is `cfg` followed by `(`: a Cargo.toml-style wrapper.
    fn starts_wrapper(&self) -> bool {
        let mut p = Parser {
            input: self.input,
            pos: self.pos,
        };
        p.ident().ok() == Some("cfg") && {
            p.skip_ws();
            p.rest().first() == Some(&b'(')
        }
    }

    fn error(&self, expected: &str) -> Error {
        let found = match self.input[self.pos..].chars().next() {
            None => "end of input".to_string(),
            Some(c) => format!("{:?}", c),
        };
        let column = self.input[..self.pos].chars().count() + 1;
        Error::new(
            ErrorKind::CfgSyntax,
            self.input,
            format!(
                "invalid cfg expression {}: expected {} at column {}, found {}",
                quoted(self.input),
                expected,
                column,
                found
            ),
        )
    }

    fn expect_punct(&mut self, punct: u8, expected: &str) -> Result<(), Error> {
        self.skip_ws();
        if self.rest().first() == Some(&punct) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    fn expect_ident_named(&mut self, name: &str) -> Result<(), Error> {
        self.skip_ws();
        match self.ident() {
            Ok(n) if n == name => Ok(()),
            _ => Err(self.error(name)),
        }
    }

    /// An ASCII identifier at the current position (no leading whitespace).
    fn ident(&mut self) -> Result<&'a str, Error> {
        let start = self.pos;
        match self.rest().first() {
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {}
            Some(c) if !c.is_ascii() => {
                return Err(self.error("an ASCII identifier (non-ASCII names are not cfg names)"))
            }
            _ => return Err(self.error("an identifier, `all(`, `any(` or `not(`")),
        }
        while let Some(c) = self.rest().first() {
            if c.is_ascii_alphanumeric() || *c == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(&self.input[start..self.pos])
    }

    fn string(&mut self) -> Result<String, Error> {
        self.skip_ws();
        if self.rest().first() != Some(&b'"') {
            return Err(self.error("a quoted string value such as \"linux\""));
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.input[self.pos..].chars().next() {
                None => return Err(self.error("a closing `\"`")),
                Some('"') => break,
                Some('\\') => {
                    return Err(self.error("a value without escapes (cfg values never hold `\\`)"))
                }
                Some(c) if c.is_control() => {
                    return Err(self.error("a value without control characters"))
                }
                Some(c) => self.pos += c.len_utf8(),
            }
        }
        let value = self.input[start..self.pos].to_string();
        self.pos += 1;
        Ok(value)
    }

    fn expr(&mut self, depth: usize) -> Result<Node, Error> {
        self.skip_ws();
        let start = self.pos;
        let name = self.ident()?;
        self.skip_ws();
        let next = self.rest().first().copied();
        match (name, next) {
            ("all" | "any" | "not", Some(b'(')) => {
                if depth > MAX_DEPTH {
                    self.pos = start;
                    return Err(self.error(&format!(
                        "at most {} levels of nested all/any/not",
                        MAX_DEPTH
                    )));
                }
                self.pos += 1;
                let list = self.list(depth + 1)?;
                Ok(match name {
                    "all" => Node::All(list),
                    "any" => Node::Any(list),
                    _ => {
                        let mut list = list;
                        if list.len() != 1 {
                            self.pos = start;
                            return Err(self.error("`not(` with exactly one expression"));
                        }
                        Node::Not(Box::new(list.remove(0)))
                    }
                })
            }
            (_, Some(b'(')) => {
                self.pos = start;
                Err(self.error("`all(`, `any(` or `not(` (the only cfg predicates)"))
            }
            ("true" | "false", _) => {
                self.pos = start;
                Err(self.error("a cfg name (for always-true write `all()`, for never `any()`)"))
            }
            (_, Some(b'=')) => {
                self.pos += 1;
                let value = self.string()?;
                Ok(Node::KeyValue(name.to_string(), value))
            }
            _ => Ok(Node::Name(name.to_string())),
        }
    }

    /// A comma-separated list up to and including the closing `)`; a
    /// trailing comma is allowed, as in Cargo.
    fn list(&mut self, depth: usize) -> Result<Vec<Node>, Error> {
        let mut list = Vec::new();
        loop {
            self.skip_ws();
            if self.rest().first() == Some(&b')') {
                self.pos += 1;
                return Ok(list);
            }
            list.push(self.expr(depth)?);
            self.skip_ws();
            match self.rest().first() {
                Some(b',') => self.pos += 1,
                Some(b')') => {}
                _ => return Err(self.error("`,` or `)`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> String {
        let e = CfgExpr::parse(input).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CfgSyntax);
        assert_eq!(e.input(), input);
        e.to_string()
    }

    fn canon(input: &str) -> String {
        CfgExpr::parse(input).unwrap().to_string()
    }

    #[test]
    fn parses_cargo_forms_to_canonical_text() {
        assert_eq!(canon("unix"), "unix");
        assert_eq!(canon(r#"target_os="linux""#), r#"target_os = "linux""#);
        assert_eq!(
            canon(r#" all ( target_arch = "x86_64" ,target_os= "linux" ) "#),
            r#"all(target_arch = "x86_64", target_os = "linux")"#
        );
        assert_eq!(canon("not(windows)"), "not(windows)");
        assert_eq!(canon("not(windows,)"), "not(windows)");
        assert_eq!(canon("any(unix, windows,)"), "any(unix, windows)");
        assert_eq!(canon("all()"), "all()");
        assert_eq!(canon("any( )"), "any()");
        assert_eq!(canon("cfg(unix)"), "unix");
        assert_eq!(
            canon(r#"cfg(all(unix, target_env = ""))"#),
            r#"all(unix, target_env = "")"#
        );
        assert_eq!(canon(r#"_x = "a b.c-d""#), r#"_x = "a b.c-d""#);
        // `cfg` as an ordinary name is still a name.
        assert_eq!(canon("cfg"), "cfg");
    }

    #[test]
    fn display_parses_back_to_the_same_expression() {
        for input in [
            r#"all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos"), not(target_env = "musl"))"#,
            "any()",
            "all(all(), any(not(unix)))",
        ] {
            let e = CfgExpr::parse(input).unwrap();
            assert_eq!(CfgExpr::parse(&e.to_string()).unwrap(), e);
        }
    }

    #[test]
    fn malformed_expressions_point_at_the_position_and_say_what_was_expected() {
        assert_eq!(
            err(""),
            r#"invalid cfg expression "": expected an identifier, `all(`, `any(` or `not(` at column 1, found end of input"#
        );
        assert_eq!(
            err("all(unix"),
            r#"invalid cfg expression "all(unix": expected `,` or `)` at column 9, found end of input"#
        );
        assert_eq!(
            err("all(unix))"),
            r#"invalid cfg expression "all(unix))": expected end of input after a complete expression at column 10, found ')'"#
        );
        assert_eq!(
            err("foo(unix)"),
            r#"invalid cfg expression "foo(unix)": expected `all(`, `any(` or `not(` (the only cfg predicates) at column 1, found 'f'"#
        );
        assert_eq!(
            err("target_os = linux"),
            r#"invalid cfg expression "target_os = linux": expected a quoted string value such as "linux" at column 13, found 'l'"#
        );
        assert_eq!(
            err(r#"target_os = "linux"#),
            r#"invalid cfg expression "target_os = \"linux": expected a closing `"` at column 19, found end of input"#
        );
        assert_eq!(
            err(r#"target_os = "li\"nux""#),
            r#"invalid cfg expression "target_os = \"li\\\"nux\"": expected a value without escapes (cfg values never hold `\`) at column 16, found '\\'"#
        );
        assert_eq!(
            err("not()"),
            r#"invalid cfg expression "not()": expected `not(` with exactly one expression at column 1, found 'n'"#
        );
        assert_eq!(
            err("not(unix, windows)"),
            r#"invalid cfg expression "not(unix, windows)": expected `not(` with exactly one expression at column 1, found 'n'"#
        );
        assert!(err("all(,)").contains("expected an identifier"));
        assert!(err("all(unix,,)").contains("at column 10"));
        assert!(err("unix windows").contains("expected end of input"));
        assert!(err("true").contains("for always-true write `all()`"));
        assert!(err("any(false)").contains("at column 5"));
        assert!(err("cfg(unix").contains("expected `)` at column 9"));
        assert!(err("ünix").contains("expected an ASCII identifier"));
        assert!(err("target_os = \"li\nnux\"").contains("without control characters"));
        assert!(err("1abc").contains("column 1"));
        assert!(err("a = ").contains("found end of input"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let ok = format!("{}unix{}", "not(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(CfgExpr::parse(&ok).is_ok());
        let deep = format!("{}unix{}", "all(".repeat(100_000), ")".repeat(100_000));
        let msg = err(&deep);
        assert!(
            msg.contains("at most 64 levels of nested all/any/not"),
            "{}",
            &msg[msg.len() - 200..]
        );
        assert!(msg.contains(&format!("at column {}", MAX_DEPTH * 4 + 1)));
        let unbalanced = "any(".repeat(100_000);
        assert!(err(&unbalanced).contains("at most 64 levels"));
    }

    #[test]
    fn evaluates_like_rustc() {
        let t = TargetCfg::from_rustc_cfg(
            "x86_64-unknown-linux-gnu",
            "unix\ntarget_os=\"linux\"\ntarget_arch=\"x86_64\"\ntarget_feature=\"sse\"\ntarget_feature=\"sse2\"\ntarget_env=\"gnu\"\n",
        )
        .unwrap();
        let m = |s: &str| CfgExpr::parse(s).unwrap().matches(&t);
        assert!(m("unix"));
        assert!(!m("windows"));
        assert!(m(r#"target_feature = "sse2""#));
        assert!(m(r#"all(target_feature = "sse", target_feature = "sse2")"#));
        assert!(!m(r#"target_os = "Linux""#));
        assert!(m("all()"));
        assert!(!m("any()"));
        assert!(m("not(any())"));
        assert!(m(r#"any(windows, all(unix, not(target_env = "musl")))"#));
        // A key-value cfg is not a bare name, and vice versa.
        assert!(!m("target_os"));
        assert!(!m(r#"unix = """#));
    }

    #[test]
    fn required_values_describe_a_rule() {
        let e = CfgExpr::parse(
            r#"all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos"), not(target_os = "ios"))"#,
        )
        .unwrap();
        assert_eq!(e.required_values("target_arch"), ["x86_64"]);
        assert_eq!(e.required_values("target_os"), ["linux", "macos"]);
        assert!(e.required_values("target_env").is_empty());
    }
}
