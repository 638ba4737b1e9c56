//! GitHub expressions (`${{ ... }}`), parsed and evaluated as GitHub does
//! (operators, `format`, `contains`, `startsWith`, `endsWith`, `join`,
//! `fromJSON`, `toJSON`, the status functions; strings compared without
//! case, loose equality), over a [`Scope`]. What the files do not hold is
//! [`Value::Unknown`], with why: it is never split into words. Nesting is
//! bounded, so a hostile expression is unknown, never a stack overflow.

use super::scope::Scope;
use super::value::{unknown_of, Text, Unknown, Value, Why};

/// Nesting an expression may have.
const MAX_DEPTH: usize = 64;
/// Length of one expression read.
const MAX_LEN: usize = 4096;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Op(&'static str),
}

#[derive(Debug, Clone)]
enum Expr {
    Lit(Value),
    /// A context and the members after it (`matrix.job.target`), as one
    /// path while every member is a name.
    Path(Vec<String>),
    Member(Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Not(Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
}

fn tokens(src: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return None,
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => break,
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
            {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Tok::Num(parse_number(&s)?));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["==", "!=", "<=", ">=", "&&", "||"]
                .into_iter()
                .find(|o| *o == two);
            if let Some(op) = op {
                out.push(Tok::Op(op));
                i += 2;
                continue;
            }
            let one = ["(", ")", "[", "]", ".", ",", "!", "<", ">", "*"]
                .into_iter()
                .find(|o| o.starts_with(c))?;
            out.push(Tok::Op(one));
            i += 1;
        }
    }
    Some(out)
}

fn parse_number(s: &str) -> Option<f64> {
    if let Some(hex) = s.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|n| n as f64);
    }
    s.parse().ok()
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn eat(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.at += 1;
            return true;
        }
        false
    }

    fn deeper(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn binary(&mut self, level: usize) -> Option<Expr> {
        const LEVELS: [&[&str]; 4] = [&["||"], &["&&"], &["==", "!="], &["<", "<=", ">", ">="]];
        if level == LEVELS.len() {
            return self.unary();
        }
        self.deeper()?;
        let mut left = self.binary(level + 1)?;
        while let Some(Tok::Op(op)) = self.peek() {
            let op = *op;
            if !LEVELS[level].contains(&op) {
                break;
            }
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        self.deeper()?;
        let e = if self.eat("!") {
            Expr::Not(Box::new(self.unary()?))
        } else {
            self.postfix()?
        };
        self.depth -= 1;
        Some(e)
    }

    fn postfix(&mut self) -> Option<Expr> {
        let mut e = self.primary()?;
        loop {
            if self.eat(".") {
                match self.peek().cloned() {
                    Some(Tok::Ident(name)) => {
                        self.at += 1;
                        e = member(e, Expr::Lit(Value::str(&name)));
                    }
                    Some(Tok::Op("*")) => {
                        self.at += 1;
                        e = Expr::Call("*".to_string(), vec![e]);
                    }
                    _ => return None,
                }
            } else if self.eat("[") {
                let index = self.binary(0)?;
                if !self.eat("]") {
                    return None;
                }
                e = member(e, index);
            } else {
                return Some(e);
            }
        }
    }

    fn primary(&mut self) -> Option<Expr> {
        let tok = self.peek().cloned()?;
        self.at += 1;
        Some(match tok {
            Tok::Str(s) => Expr::Lit(Value::str(&s)),
            Tok::Num(n) => Expr::Lit(Value::Num(n)),
            Tok::Op("(") => {
                let e = self.binary(0)?;
                if !self.eat(")") {
                    return None;
                }
                e
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Expr::Lit(Value::Bool(true)),
                "false" => Expr::Lit(Value::Bool(false)),
                "null" => Expr::Lit(Value::Null),
                _ if self.eat("(") => Expr::Call(name.to_ascii_lowercase(), self.arguments()?),
                _ => Expr::Path(vec![name]),
            },
            Tok::Op(_) => return None,
        })
    }

    fn arguments(&mut self) -> Option<Vec<Expr>> {
        let mut args = Vec::new();
        if self.eat(")") {
            return Some(args);
        }
        loop {
            args.push(self.binary(0)?);
            if self.eat(")") {
                return Some(args);
            }
            if !self.eat(",") {
                return None;
            }
        }
    }
}

/// `base.name` or `base[index]`: a path while the names are literal.
fn member(base: Expr, index: Expr) -> Expr {
    match (base, index) {
        (Expr::Path(mut p), Expr::Lit(Value::Str(t))) => {
            p.push(t.s);
            Expr::Path(p)
        }
        (base, index) => Expr::Member(Box::new(base), Box::new(index)),
    }
}

/// Evaluates the expression `src` (the text inside `${{ }}`).
pub fn eval(src: &str, scope: &Scope<'_>) -> Value {
    let src = src.trim();
    let unsupported = || Value::Unknown(Unknown::new(Why::Unsupported, src));
    if src.len() > MAX_LEN {
        return unsupported();
    }
    let Some(toks) = tokens(src) else {
        return unsupported();
    };
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
    };
    match p.binary(0) {
        Some(e) if p.at == p.toks.len() => value(&e, scope, 0),
        _ => unsupported(),
    }
}

fn value(e: &Expr, scope: &Scope<'_>, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Unknown(Unknown::new(Why::Unsupported, "(nested too deep)"));
    }
    let v = |e: &Expr| value(e, scope, depth + 1);
    match e {
        Expr::Lit(l) => l.clone(),
        Expr::Path(p) => scope.resolve(p),
        Expr::Member(base, index) => {
            let key = v(index).to_text();
            match v(base) {
                Value::Unknown(u) => Value::Unknown(u),
                b if key.is_known() => b.get(&key.s),
                _ => Value::Unknown(
                    key.unknown_part()
                        .cloned()
                        .unwrap_or(Unknown::new(Why::Unsupported, "")),
                ),
            }
        }
        Expr::Not(x) => match v(x).truthy() {
            Some(t) => Value::Bool(!t),
            None => unknown_of(&v(x)),
        },
        Expr::Bin(op, l, r) => binary(op, v(l), || v(r)),
        Expr::Call(name, args) => {
            let args: Vec<Value> = args.iter().map(v).collect();
            super::functions::call(name, &args)
        }
    }
}

fn binary(op: &str, l: Value, r: impl FnOnce() -> Value) -> Value {
    match op {
        "&&" => match l.truthy() {
            Some(false) => l,
            Some(true) => r(),
            None => match r().truthy() {
                Some(false) => Value::Bool(false),
                _ => unknown_of(&l),
            },
        },
        "||" => match l.truthy() {
            Some(true) => l,
            Some(false) => r(),
            None => unknown_of(&l),
        },
        _ => {
            let r = r();
            for x in [&l, &r] {
                if x.truthy().is_none() {
                    return unknown_of(x);
                }
            }
            let ord = compare(&l, &r);
            Value::Bool(match op {
                "==" => ord == Some(std::cmp::Ordering::Equal),
                "!=" => ord != Some(std::cmp::Ordering::Equal),
                "<" => ord == Some(std::cmp::Ordering::Less),
                "<=" => matches!(
                    ord,
                    Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
                ),
                ">" => ord == Some(std::cmp::Ordering::Greater),
                _ => matches!(
                    ord,
                    Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
                ),
            })
        }
    }
}

/// GitHub's comparison: strings without case, other mixed types as
/// numbers; arrays and objects equal only to themselves.
fn compare(l: &Value, r: &Value) -> Option<std::cmp::Ordering> {
    match (l, r) {
        (Value::Str(a), Value::Str(b)) => Some(a.s.to_lowercase().cmp(&b.s.to_lowercase())),
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
            l.same(r).then_some(std::cmp::Ordering::Equal)
        }
        _ => as_number(l).partial_cmp(&as_number(r)),
    }
}

fn as_number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Num(n) => *n,
        Value::Str(t) => {
            let s = t.s.trim();
            if s.is_empty() {
                0.0
            } else {
                parse_number(s).unwrap_or(f64::NAN)
            }
        }
        _ => f64::NAN,
    }
}

/// The expression of a text that is one `${{ }}` and nothing else.
pub fn whole(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t.strip_prefix("${{")?.strip_suffix("}}")?;
    (!inner.contains("${{")).then_some(inner)
}

/// `text` with each `${{ expr }}` replaced by its value; a value that is
/// not known is a hole (see [`Text::unknown`]) whose unknown names the
/// expression.
pub fn interpolate(text: &Text, scope: &Scope<'_>) -> Text {
    let s = &text.s;
    if !s.contains("${{") {
        return text.clone();
    }
    let mut out = Text::default();
    let mut at = 0;
    while let Some(rel) = s[at..].find("${{") {
        let open = at + rel;
        out.push(&text.slice(at, open));
        let Some(close) = closing(s, open + 3) else {
            at = open;
            break;
        };
        let src = &s[open + 3..close];
        let mut v = eval(src, scope).to_text();
        for sp in &mut v.spans {
            if let super::value::From::Unknown(u) = &mut sp.from {
                if u.expr.is_empty() || u.why == Why::Unsupported {
                    u.expr = src.trim().to_string();
                }
            }
        }
        out.push(&v);
        at = close + 2;
    }
    out.push(&text.slice(at, s.len()));
    out
}

/// The `}}` closing an expression that starts at `from`, past its strings.
fn closing(s: &str, from: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = from;
    let mut quoted = false;
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'\'' => quoted = !quoted,
            b'}' if !quoted && bytes[i + 1] == b'}' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::scope::{Env, MatrixCtx};
    use super::*;
    use crate::yaml;

    fn with<T>(matrix: &str, env: &[(&str, &str)], f: impl FnOnce(&Scope<'_>) -> T) -> T {
        let m = Value::from_node(&yaml::parse(matrix).unwrap());
        let mut e = Env::default();
        for (k, v) in env {
            e.set(k, Text::at(v, 99));
        }
        let scope = Scope {
            matrix: MatrixCtx::Combo(&m),
            env: &e,
            ..Scope::empty()
        };
        f(&scope)
    }

    #[test]
    fn expressions_are_evaluated_not_split() {
        with(
            "job: {target: aarch64-apple-darwin, use-cross: true}\nos: Ubuntu-latest\n",
            &[("TARGET", "x86_64-unknown-linux-musl")],
            |s| {
                let t = |src: &str| interpolate(&Text::plain(src), s).s;
                assert_eq!(
                    t("--target ${{ matrix.job.target }}"),
                    "--target aarch64-apple-darwin"
                );
                assert_eq!(
                    t("--target=${{matrix.job.target}}"),
                    "--target=aarch64-apple-darwin"
                );
                assert_eq!(t("${{ env.TARGET }}"), "x86_64-unknown-linux-musl");
                assert_eq!(
                    t("${{ matrix.job.use-cross && 'cross' || 'cargo' }}"),
                    "cross"
                );
                assert_eq!(t("${{ matrix.nothing && 'cross' || 'cargo' }}"), "cargo");
                assert_eq!(t("${{ matrix.os == 'ubuntu-latest' }}"), "true");
                assert_eq!(
                    t("${{ format('{0}-{1}', 'a', matrix['job'].target) }}"),
                    "a-aarch64-apple-darwin"
                );
                assert_eq!(t("${{ startsWith(matrix.os, 'ubuntu') && '}}' }}"), "}}");
                assert_eq!(t("${{ fromJSON('[\"a\",\"b\"]')[1] }}"), "b");
                assert_eq!(
                    t("${{ contains(fromJSON('[\"x\", \"y\"]'), 'Y') }}"),
                    "true"
                );
                // The target keeps its line in the matrix.
                let v = interpolate(&Text::plain("${{ matrix.job.target }}"), s);
                assert_eq!(v.line(), Some(1));
                let v = interpolate(&Text::plain("${{ env.TARGET }}"), s);
                assert_eq!(v.line(), Some(99));
            },
        );
    }

    #[test]
    fn what_the_files_do_not_hold_is_unknown_with_why() {
        with("a: 1\n", &[], |s| {
            let why = |src: &str| match eval(src, s) {
                Value::Unknown(u) => Some(u.why),
                _ => None,
            };
            assert_eq!(why("secrets.TOKEN"), Some(Why::Secret));
            assert_eq!(why("needs.plan.outputs.matrix"), Some(Why::JobOutput));
            assert_eq!(why("steps.x.outputs.y"), Some(Why::StepOutput));
            assert_eq!(
                why("fromJSON(needs.plan.outputs.matrix)"),
                Some(Why::JobOutput)
            );
            assert_eq!(why("vars.X"), Some(Why::Variable));
            assert_eq!(why("inputs.target"), Some(Why::Input));
            assert_eq!(why("github.ref"), Some(Why::RunContext));
            assert_eq!(why("a ==="), Some(Why::Unsupported));
            let push = Scope {
                event: Some("push"),
                ..*s
            };
            assert_eq!(
                eval("github.event_name == 'push'", &push),
                Value::Bool(true)
            );
            assert_eq!(
                eval(
                    "contains(fromJSON('[\"pull_request\"]'), github.event_name)",
                    &push
                ),
                Value::Bool(false)
            );
            // Known false short-circuits an unknown.
            assert_eq!(eval("matrix.a == 2 && secrets.X", s), Value::Bool(false));
            assert_eq!(eval("secrets.X && false", s), Value::Bool(false));
            let t = interpolate(&Text::plain("--target ${{ needs.a.outputs.t }}"), s);
            assert_eq!(
                t.unknown_part().map(|u| u.expr.as_str()),
                Some("needs.a.outputs.t")
            );
        });
    }

    #[test]
    fn hostile_expressions_are_unknown() {
        with("a: 1\n", &[], |s| {
            let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
            assert!(matches!(eval(&deep, s), Value::Unknown(_)));
            let nots = format!("{}true", "!".repeat(10_000));
            assert!(matches!(eval(&nots, s), Value::Unknown(_)));
            assert!(matches!(eval("'unterminated", s), Value::Unknown(_)));
            let t = interpolate(&Text::plain("a ${{ b"), s);
            assert_eq!(t.s, "a ${{ b");
            assert_eq!(
                eval("é.ü", s),
                Value::Unknown(Unknown::new(Why::Unsupported, "é.ü"))
            );
        });
    }
}
