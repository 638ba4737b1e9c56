//! Cfg expressions, the syntax of `[target.'cfg(...)'.dependencies]`:
//! parse, display, evaluate. No I/O.
//!
//! The parser means what Cargo's means: `all(...)`, `any(...)`, `not(...)`,
//! `name`, `name = "value"`, `true` and `false` (Cargo 1.88+); `all()` is
//! true, `any()` false; trailing commas in `all`/`any` lists; spaces (and
//! only spaces) between tokens; a `cfg(...)` wrapper exactly when the text
//! starts with `cfg(` and ends with `)`. It is stricter than Cargo, so that
//! a typo is an error rather than a rule that never matches: escapes and
//! control characters in strings, raw identifiers (`r#x`), non-ASCII names
//! and nesting deeper than [`MAX_DEPTH`] levels are errors.

use std::fmt;
use std::str::FromStr;

use crate::comma_sep::CommaSep;
use crate::error::{Detail, Error};
use crate::target::TargetCfg;

/// The deepest nesting of `all`/`any`/`not` accepted, so that a hostile
/// expression cannot overflow the stack.
pub const MAX_DEPTH: usize = 64;

/// A parsed cfg expression.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// # #[cfg(feature = "policy")] {
/// use platform_guard::CfgExpr;
///
/// let e: CfgExpr = r#"cfg(all(target_os="linux", not(target_env = "musl")))"#.parse()?;
/// assert_eq!(e.to_string(), r#"all(target_os = "linux", not(target_env = "musl"))"#);
/// assert_eq!(e.names(), ["target_os", "target_env"]);
/// assert!(matches!(e, CfgExpr::All(ref list) if list.len() == 2));
/// # }
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CfgExpr {
    /// `true`: every target.
    True,
    /// `false`: no target.
    False,
    /// A name-only cfg, such as `unix`.
    Name(String),
    /// `name = "value"`, such as `target_os = "linux"`.
    KeyValue(String, String),
    /// `all(...)`: every expression holds (`all()` is true).
    All(Vec<CfgExpr>),
    /// `any(...)`: some expression holds (`any()` is false).
    Any(Vec<CfgExpr>),
    /// `not(...)`.
    Not(Box<CfgExpr>),
}

impl CfgExpr {
    /// Parses an expression, with or without a `cfg(...)` wrapper.
    pub fn parse(input: &str) -> Result<CfgExpr, Error> {
        let (start, end) = match input.strip_prefix("cfg(") {
            Some(rest) if rest.ends_with(')') => (4, input.len() - 1),
            _ => (0, input.len()),
        };
        let mut p = Parser {
            input,
            pos: start,
            end,
        };
        let expr = p.expr(0)?;
        p.skip_spaces();
        if p.pos < p.end {
            return Err(p.error(Expected::End));
        }
        Ok(expr)
    }

    /// Whether `target` satisfies the expression, as rustc would decide.
    pub fn matches(&self, target: &TargetCfg) -> bool {
        match self {
            CfgExpr::True => true,
            CfgExpr::False => false,
            CfgExpr::Name(name) => target.has_name(name),
            CfgExpr::KeyValue(name, value) => target.has_value(name, value),
            CfgExpr::All(list) => list.iter().all(|e| e.matches(target)),
            CfgExpr::Any(list) => list.iter().any(|e| e.matches(target)),
            CfgExpr::Not(e) => !e.matches(target),
        }
    }

    /// Every cfg name the expression tests, once each, in the order they
    /// first appear.
    pub fn names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.visit(&mut |e| {
            if let CfgExpr::Name(n) | CfgExpr::KeyValue(n, _) = e {
                if !names.contains(&n.as_str()) {
                    names.push(n.as_str());
                }
            }
        });
        names
    }

    /// Calls `f` on this expression and every expression inside it, outer
    /// ones first.
    pub(crate) fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a CfgExpr)) {
        f(self);
        match self {
            CfgExpr::All(list) | CfgExpr::Any(list) => list.iter().for_each(|e| e.visit(f)),
            CfgExpr::Not(e) => e.visit(f),
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
        match self {
            CfgExpr::True => f.write_str("true"),
            CfgExpr::False => f.write_str("false"),
            CfgExpr::Name(n) => f.write_str(n),
            CfgExpr::KeyValue(k, v) => write!(f, "{} = \"{}\"", k, v),
            CfgExpr::All(list) => write!(f, "all({})", CommaSep(list)),
            CfgExpr::Any(list) => write!(f, "any({})", CommaSep(list)),
            CfgExpr::Not(e) => write!(f, "not({})", e),
        }
    }
}

/// What the parser expected where it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    Expression,
    AsciiName,
    Predicate,
    OpenParen(&'static str),
    Value,
    ClosingQuote,
    NoEscape,
    NoControl,
    CommaOrClose,
    End,
    Depth,
    NotOne,
    KeywordAsName,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Expression => f.write_str("an identifier, `all(`, `any(` or `not(`"),
            Expected::AsciiName => {
                f.write_str("an ASCII identifier (non-ASCII names are not cfg names)")
            }
            Expected::Predicate => {
                f.write_str("`all(`, `any(` or `not(` (the only cfg predicates)")
            }
            Expected::OpenParen(op) => write!(f, "`(` after `{}`", op),
            Expected::Value => f.write_str("a quoted string value such as \"linux\""),
            Expected::ClosingQuote => f.write_str("a closing `\"`"),
            Expected::NoEscape => {
                f.write_str("a value without escapes (cfg values never hold `\\`)")
            }
            Expected::NoControl => f.write_str("a value without control characters"),
            Expected::CommaOrClose => f.write_str("`,` or `)`"),
            Expected::End => f.write_str("end of input after a complete expression"),
            Expected::Depth => write!(f, "at most {} levels of nested all/any/not", MAX_DEPTH),
            Expected::NotOne => f.write_str("`not(` with exactly one expression"),
            Expected::KeywordAsName => f.write_str("a cfg name (`true` and `false` are not names)"),
        }
    }
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    /// Where the expression ends: before the `)` of a `cfg(...)` wrapper.
    end: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.input.as_bytes()[self.pos..self.end]
    }

    /// Cargo's tokenizer skips spaces, and only spaces.
    fn skip_spaces(&mut self) {
        while self.rest().first() == Some(&b' ') {
            self.pos += 1;
        }
    }

    fn error(&self, expected: Expected) -> Error {
        self.error_at(self.pos, expected)
    }

    fn error_at(&self, pos: usize, expected: Expected) -> Error {
        Error::new(Detail::CfgSyntax {
            input: self.input.to_string(),
            expected,
            column: self.input[..pos].chars().count() + 1,
            found: self.input[pos..self.end].chars().next(),
        })
    }

    /// An ASCII identifier at the current position.
    fn ident(&mut self) -> Result<&'a str, Error> {
        let start = self.pos;
        match self.rest().first() {
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {}
            Some(c) if !c.is_ascii() => return Err(self.error(Expected::AsciiName)),
            _ => return Err(self.error(Expected::Expression)),
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
        self.skip_spaces();
        if self.rest().first() != Some(&b'"') {
            return Err(self.error(Expected::Value));
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.input[self.pos..self.end].chars().next() {
                None => return Err(self.error(Expected::ClosingQuote)),
                Some('"') => break,
                Some('\\') => return Err(self.error(Expected::NoEscape)),
                Some(c) if c.is_control() => return Err(self.error(Expected::NoControl)),
                Some(c) => self.pos += c.len_utf8(),
            }
        }
        let value = self.input[start..self.pos].to_string();
        self.pos += 1;
        Ok(value)
    }

    fn expr(&mut self, depth: usize) -> Result<CfgExpr, Error> {
        self.skip_spaces();
        let start = self.pos;
        let name = self.ident()?;
        self.skip_spaces();
        let next = self.rest().first().copied();
        match (name, next) {
            ("all" | "any" | "not", Some(b'(')) => {
                if depth >= MAX_DEPTH {
                    return Err(self.error_at(start, Expected::Depth));
                }
                self.pos += 1;
                let (mut list, trailing_comma) = self.list(depth + 1)?;
                Ok(match name {
                    "all" => CfgExpr::All(list),
                    "any" => CfgExpr::Any(list),
                    _ if list.len() == 1 && !trailing_comma => {
                        CfgExpr::Not(Box::new(list.remove(0)))
                    }
                    _ => return Err(self.error_at(start, Expected::NotOne)),
                })
            }
            ("all", _) => Err(self.error(Expected::OpenParen("all"))),
            ("any", _) => Err(self.error(Expected::OpenParen("any"))),
            ("not", _) => Err(self.error(Expected::OpenParen("not"))),
            (_, Some(b'(')) => Err(self.error_at(start, Expected::Predicate)),
            ("true" | "false", Some(b'=')) => Err(self.error_at(start, Expected::KeywordAsName)),
            ("true", _) => Ok(CfgExpr::True),
            ("false", _) => Ok(CfgExpr::False),
            (_, Some(b'=')) => {
                self.pos += 1;
                let value = self.string()?;
                Ok(CfgExpr::KeyValue(name.to_string(), value))
            }
            _ => Ok(CfgExpr::Name(name.to_string())),
        }
    }

    /// A comma-separated list up to and including the closing `)`, and
    /// whether it ended with a comma (allowed in `all`/`any`, as in Cargo).
    fn list(&mut self, depth: usize) -> Result<(Vec<CfgExpr>, bool), Error> {
        let mut list = Vec::new();
        let mut trailing_comma = false;
        loop {
            self.skip_spaces();
            if self.rest().first() == Some(&b')') {
                self.pos += 1;
                return Ok((list, trailing_comma));
            }
            list.push(self.expr(depth)?);
            self.skip_spaces();
            match self.rest().first() {
                Some(b',') => {
                    self.pos += 1;
                    trailing_comma = true;
                }
                Some(b')') => trailing_comma = false,
                _ => return Err(self.error(Expected::CommaOrClose)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn err(input: &str) -> String {
        let e = CfgExpr::parse(input).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CfgSyntax);
        assert_eq!(e.input(), input);
        assert!(e.column().is_some());
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
        assert_eq!(canon("any(unix, windows,)"), "any(unix, windows)");
        assert_eq!(canon("all()"), "all()");
        assert_eq!(canon("any( )"), "any()");
        assert_eq!(canon("cfg(unix)"), "unix");
        assert_eq!(canon("cfg( unix )"), "unix");
        assert_eq!(
            canon(r#"cfg(all(unix, target_env = ""))"#),
            r#"all(unix, target_env = "")"#
        );
        assert_eq!(canon(r#"_x = "a b.c-d""#), r#"_x = "a b.c-d""#);
        // `cfg` as an ordinary name is still a name.
        assert_eq!(canon("cfg"), "cfg");
        // `true` and `false`, as Cargo 1.88+ reads them.
        assert_eq!(canon("cfg(true)"), "true");
        assert_eq!(canon("any(false, not(true))"), "any(false, not(true))");
    }

    #[test]
    fn display_parses_back_to_the_same_expression() {
        for input in [
            r#"all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos"), not(target_env = "musl"))"#,
            "any()",
            "all(all(), any(not(unix)))",
            "all(true, false)",
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
        // As in Cargo: no trailing comma in `not(...)`.
        assert!(err("not(windows,)").contains("`not(` with exactly one expression"));
        assert!(err("all(,)").contains("expected an identifier"));
        assert!(err("all(unix,,)").contains("at column 10"));
        assert!(err("unix windows").contains("expected end of input"));
        assert!(err("ünix").contains("expected an ASCII identifier"));
        assert!(err("target_os = \"li\nnux\"").contains("without control characters"));
        assert!(err("1abc").contains("column 1"));
        assert!(err("a = ").contains("found end of input"));
        assert!(err("r#unix").contains("at column 2, found '#'"));
    }

    #[test]
    fn agrees_with_cargo_where_the_docs_say_nothing_else() {
        // Bare predicates are errors in Cargo.
        assert_eq!(
            err("all"),
            r#"invalid cfg expression "all": expected `(` after `all` at column 4, found end of input"#
        );
        assert!(err("any").contains("`(` after `any`"));
        assert!(err("not").contains("`(` after `not`"));
        assert!(err("all(unix, not)").contains("`(` after `not` at column 14"));
        // Only spaces separate tokens.
        assert!(err("all(unix,\twindows)").contains("found '\\t'"));
        assert!(err("unix\n").contains("found '\\n'"));
        // The wrapper is `cfg(` at the very start and `)` at the very end.
        assert!(err(" cfg(unix)").contains("(the only cfg predicates) at column 2"));
        assert!(err("cfg(unix) ").contains("(the only cfg predicates) at column 1"));
        assert!(err("cfg (unix)").contains("(the only cfg predicates) at column 1"));
        assert!(err("cfg(unix").contains("(the only cfg predicates) at column 1"));
        assert!(err(r#"true = "x""#).contains("`true` and `false` are not names"));
        assert!(err("false(unix)").contains("the only cfg predicates"));
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
        assert_eq!(
            CfgExpr::parse(&deep).unwrap_err().column(),
            Some(MAX_DEPTH * 4 + 1)
        );
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
        assert!(m("true"));
        assert!(!m("false"));
        assert!(m("not(any())"));
        assert!(m(r#"any(windows, all(unix, not(target_env = "musl")))"#));
        // A key-value cfg is not a bare name, and vice versa.
        assert!(!m("target_os"));
        assert!(!m(r#"unix = """#));
    }

    #[test]
    fn names_lists_each_name_once_in_order() {
        let e = CfgExpr::parse(
            r#"all(unix, any(target_os = "all", target_has_atomic = "64"), not(unix), true)"#,
        )
        .unwrap();
        assert_eq!(e.names(), ["unix", "target_os", "target_has_atomic"]);
        assert!(CfgExpr::parse("any()").unwrap().names().is_empty());
    }
}
