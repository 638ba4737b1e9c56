//! Shell text (a `run` script, after GitHub's `${{ }}` are replaced) as
//! commands of words, as a POSIX shell or PowerShell splits it: quotes,
//! `\` + newline (and PowerShell's backtick) continuations, comments,
//! here-documents, `;`, `&&`, `||`, `|` and newlines between commands,
//! redirections set aside, and `$VAR`, `${VAR}`, `${VAR:-default}`,
//! `$env:VAR` read from the environment the step sees and the script's own
//! assignments (an unquoted value split into words, as the shell splits
//! it). A variable that is neither is a hole that knows its name (see
//! [`Text::unknown`]); a command substitution is a hole too.

use super::scope::Env;
use super::value::{Text, Unknown, Why};

/// What `$GITHUB_ENV` is written as, so that a command writing to it is
/// seen.
pub const ENV_FILE: &str = "\u{2}GITHUB_ENV\u{2}";

/// Length of a script read (longer ones are read up to it).
const MAX_SCRIPT: usize = 1 << 20;

/// One word of a command, and the line of the file it is on.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: Text,
    pub line: usize,
}

impl Word {
    pub fn s(&self) -> &str {
        &self.text.s
    }
}

/// One simple command: its words, the assignments before them, whether
/// its output goes to `$GITHUB_ENV`, and whether it reads the previous
/// command's output (`a | b`).
#[derive(Debug, Clone, Default)]
pub struct Cmd {
    pub words: Vec<Word>,
    pub assigns: Vec<(String, Text)>,
    pub to_env: bool,
    pub piped: bool,
}

struct Lexer<'a> {
    src: &'a Text,
    chars: Vec<(usize, char)>,
    i: usize,
    line: usize,
    env: &'a Env,
    locals: Env,
    cmds: Vec<Cmd>,
    cmd: Cmd,
    word: Option<Word>,
    heredocs: Vec<String>,
    /// A redirection's operand is being read.
    redirect: Option<String>,
}

/// The commands of `script`, whose first line is `line` of the file;
/// `env` is what the step sees.
pub fn commands(script: &Text, line: usize, env: &Env) -> Vec<Cmd> {
    let end = (0..=script.s.len().min(MAX_SCRIPT))
        .rev()
        .find(|i| script.s.is_char_boundary(*i))
        .unwrap_or(0);
    let src = script.slice(0, end);
    let mut lx = Lexer {
        chars: src.s.char_indices().collect(),
        src: &src,
        i: 0,
        line,
        env,
        locals: Env::default(),
        cmds: Vec::new(),
        cmd: Cmd::default(),
        word: None,
        heredocs: Vec::new(),
        redirect: None,
    };
    lx.run();
    lx.cmds
}

impl Lexer<'_> {
    fn peek(&self, n: usize) -> Option<char> {
        self.chars.get(self.i + n).map(|(_, c)| *c)
    }

    fn at(&self) -> usize {
        self.chars.get(self.i).map_or(self.src.s.len(), |(b, _)| *b)
    }

    /// Appends the source from the current character, `n` characters.
    fn take(&mut self, n: usize) {
        let start = self.at();
        for _ in 0..n {
            if self.peek(0) == Some('\n') {
                self.line += 1;
            }
            self.i += 1;
        }
        let t = self.src.slice(start, self.at());
        self.append(&t);
    }

    fn append(&mut self, t: &Text) {
        let line = self.line;
        self.word
            .get_or_insert_with(|| Word {
                text: Text::default(),
                line,
            })
            .text
            .push(t);
    }

    fn end_word(&mut self) {
        let Some(w) = self.word.take() else { return };
        match self.redirect.take() {
            Some(op) => {
                if w.text.s.contains(ENV_FILE) {
                    self.cmd.to_env = true;
                }
                if op.starts_with("<<") && op != "<<<" {
                    let delim = w.text.s.trim_matches(|c| c == '\'' || c == '"').to_string();
                    self.heredocs.push(delim);
                }
            }
            None => self.cmd.words.push(w),
        }
    }

    fn end_command(&mut self, piped_next: bool) {
        self.end_word();
        let mut cmd = std::mem::take(&mut self.cmd);
        // Assignments before the command word.
        while let Some((name, value)) = cmd.words.first().and_then(|w| assignment(&w.text)) {
            cmd.assigns.push((name, value));
            cmd.words.remove(0);
        }
        if cmd.words.is_empty() {
            for (k, v) in &cmd.assigns {
                self.locals.set(k, v.clone());
            }
        } else if matches!(cmd.words[0].s(), "export" | "declare" | "local" | "typeset") {
            for w in &cmd.words[1..] {
                if let Some((k, v)) = assignment(&w.text) {
                    self.locals.set(&k, v);
                }
            }
        }
        if !cmd.words.is_empty() || !cmd.assigns.is_empty() || cmd.to_env {
            self.cmds.push(cmd);
        }
        self.cmd.piped = piped_next;
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            match c {
                '\n' => {
                    self.end_command(false);
                    self.i += 1;
                    self.line += 1;
                    self.skip_heredocs();
                }
                ' ' | '\t' | '\r' => {
                    self.end_word();
                    self.i += 1;
                }
                '\\' | '`' if self.peek(1) == Some('\n') => {
                    self.i += 2;
                    self.line += 1;
                }
                '\\' => {
                    self.i += 1;
                    if self.peek(0).is_some() {
                        self.take(1);
                    }
                }
                '#' if self.word.is_none() => self.skip_line(),
                '\'' => self.single_quoted(),
                '"' => self.double_quoted(),
                '$' => self.dollar(false),
                '`' => self.backtick(),
                ';' | '&' | '|' | '(' | ')' => self.operator(c),
                '>' | '<' => self.redirection(),
                '{' | '}'
                    if self.word.is_none() && self.peek(1).is_none_or(char::is_whitespace) =>
                {
                    self.end_command(false);
                    self.i += 1;
                }
                _ => self.take(1),
            }
        }
        self.end_command(false);
    }

    fn operator(&mut self, c: char) {
        let double = self.peek(1) == Some(c);
        self.end_command(c == '|' && !double);
        self.i += if double { 2 } else { 1 };
    }

    fn redirection(&mut self) {
        // A file descriptor just before (`2>`) is not a word.
        if self
            .word
            .as_ref()
            .is_some_and(|w| w.text.s.chars().all(|c| c.is_ascii_digit()))
        {
            self.word = None;
        }
        self.end_word();
        let mut op = String::new();
        while let Some(c) = self
            .peek(0)
            .filter(|c| matches!(c, '<' | '>' | '&' | '|' | '-'))
        {
            if c == '-' && !op.starts_with("<<") {
                break;
            }
            op.push(c);
            self.i += 1;
        }
        if op.ends_with('&') {
            while self.peek(0).is_some_and(|c| c.is_ascii_digit() || c == '-') {
                self.i += 1;
            }
            return;
        }
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.i += 1;
        }
        self.redirect = Some(op);
    }

    fn skip_line(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.i += 1;
        }
    }

    /// After a line that started here-documents, their lines up to each
    /// delimiter.
    fn skip_heredocs(&mut self) {
        for delim in std::mem::take(&mut self.heredocs) {
            while self.peek(0).is_some() {
                let start = self.i;
                self.skip_line();
                let text: String = self.chars[start..self.i].iter().map(|(_, c)| *c).collect();
                self.i += 1;
                self.line += 1;
                if text.trim() == delim {
                    break;
                }
            }
        }
    }

    fn single_quoted(&mut self) {
        self.i += 1;
        let mut n = 0;
        while self.peek(n).is_some_and(|c| c != '\'') {
            n += 1;
        }
        self.take(n);
        self.i += 1;
        self.append(&Text::default());
    }

    fn double_quoted(&mut self) {
        self.i += 1;
        self.append(&Text::default());
        while let Some(c) = self.peek(0) {
            match c {
                '"' => {
                    self.i += 1;
                    return;
                }
                '\\' if matches!(self.peek(1), Some('"' | '\\' | '$' | '`')) => {
                    self.i += 1;
                    self.take(1);
                }
                '\\' if self.peek(1) == Some('\n') => {
                    self.i += 2;
                    self.line += 1;
                }
                '$' => self.dollar(true),
                '`' => self.backtick(),
                _ => self.take(1),
            }
        }
    }

    fn backtick(&mut self) {
        self.i += 1;
        while self.peek(0).is_some_and(|c| c != '`') {
            if self.peek(0) == Some('\n') {
                self.line += 1;
            }
            self.i += 1;
        }
        self.i += 1;
        self.append(&Text::unknown(Unknown::new(Why::Shell, "`...`")));
    }

    /// `$NAME`, `${NAME...}`, `$env:NAME`, `$(...)`; `quoted` inside
    /// double quotes (no splitting).
    fn dollar(&mut self, quoted: bool) {
        match self.peek(1) {
            Some('(') => {
                self.i += 1;
                self.skip_parens();
                self.append(&Text::unknown(Unknown::new(Why::Shell, "$(...)")));
            }
            Some('{') => {
                self.i += 2;
                let mut inner = String::new();
                while let Some(c) = self.peek(0).filter(|c| *c != '}') {
                    inner.push(c);
                    self.i += 1;
                }
                self.i += 1;
                let value = self.braced(&inner);
                self.expanded(&value, quoted);
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.i += 1;
                let mut name = self.name();
                if name.eq_ignore_ascii_case("env") && self.peek(0) == Some(':') {
                    self.i += 1;
                    name = self.name();
                }
                let value = self.variable(&name);
                self.expanded(&value, quoted);
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
                self.i += 2;
                self.append(&Text::unknown(Unknown::new(Why::Shell, &format!("${}", c))));
            }
            _ => self.take(1),
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self
            .peek(0)
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            name.push(c);
            self.i += 1;
        }
        name
    }

    fn skip_parens(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek(0) {
            self.i += 1;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                '\n' => self.line += 1,
                _ => {}
            }
        }
    }

    /// The value of `$NAME`.
    fn variable(&self, name: &str) -> Text {
        if name == "GITHUB_ENV" {
            return Text::plain(ENV_FILE);
        }
        match self.locals.get(name).or_else(|| self.env.get(name)) {
            Some(t) => t.clone(),
            None => Text::unknown(Unknown::new(Why::Shell, &format!("${}", name))),
        }
    }

    /// `${NAME}`, `${NAME:-default}`, `${NAME:+alternative}` (and without
    /// the colon); any other form is not known.
    fn braced(&self, inner: &str) -> Text {
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let (name, op) = inner.split_at(name_len);
        let name = name.strip_prefix("env:").unwrap_or(name);
        let value = self.variable(name);
        let set = value.is_known() && !value.s.is_empty();
        let unknown = || Text::unknown(Unknown::new(Why::Shell, &format!("${{{}}}", inner)));
        if op.is_empty() {
            return value;
        }
        if !value.is_known() {
            return unknown();
        }
        if let Some(d) = op.strip_prefix(":-").or_else(|| op.strip_prefix('-')) {
            return if set { value } else { Text::plain(d) };
        }
        if let Some(a) = op.strip_prefix(":+").or_else(|| op.strip_prefix('+')) {
            return if set { Text::plain(a) } else { Text::default() };
        }
        unknown()
    }

    /// An expanded value: unquoted, split into words at whitespace.
    fn expanded(&mut self, value: &Text, quoted: bool) {
        if quoted || !value.s.contains(char::is_whitespace) {
            self.append(value);
            return;
        }
        let mut start = None;
        for (b, c) in value
            .s
            .char_indices()
            .chain(std::iter::once((value.s.len(), ' ')))
        {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    self.append(&value.slice(s, b));
                    self.end_word();
                    start = None;
                }
                (true, None) => self.end_word(),
                (false, None) => start = Some(b),
                (false, Some(_)) => {}
            }
        }
    }
}

/// `NAME=value` (a shell assignment).
pub fn assignment(t: &Text) -> Option<(String, Text)> {
    let eq = t.s.find('=')?;
    let name = &t.s[..eq];
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then(|| (name.to_string(), t.slice(eq + 1, t.s.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str, env: &[(&str, &str)]) -> Vec<Vec<String>> {
        let mut e = Env::default();
        for (k, v) in env {
            e.set(k, Text::at(v, 50));
        }
        commands(&Text::plain(script), 1, &e)
            .iter()
            .map(|c| {
                let mut w: Vec<String> = c
                    .assigns
                    .iter()
                    .map(|(k, v)| format!("{}={}", k, v.s))
                    .collect();
                w.extend(
                    c.words
                        .iter()
                        .map(|w| w.s().replace(super::super::value::HOLE, "?")),
                );
                if c.to_env {
                    w.push(">>ENV".to_string());
                }
                w
            })
            .collect()
    }

    #[test]
    fn scripts_split_into_commands_as_a_shell_splits_them() {
        assert_eq!(
            words(
                "cargo build \\\n  --target x # a comment\necho 'a b' \"c $T\" && $CARGO test $FLAGS",
                &[("T", "t t"), ("CARGO", "cross"), ("FLAGS", "--target  y")]
            ),
            [
                vec!["cargo", "build", "--target", "x"],
                vec!["echo", "a b", "c t t"],
                vec!["cross", "test", "--target", "y"]
            ]
        );
        assert_eq!(
            words(
                "echo \"CARGO=cross\" >> $GITHUB_ENV\nX=1 cargo b 2>&1 | tee log",
                &[]
            ),
            [
                vec!["echo", "CARGO=cross", ">>ENV"],
                vec!["X=1", "cargo", "b"],
                vec!["tee", "log"]
            ]
        );
        assert_eq!(
            words(
                "cat > f <<EOF\ncargo build\nEOF\ncargo test ${V:-d} ${U:+u} $(date) $1",
                &[("U", "1")]
            ),
            [vec!["cat"], vec!["cargo", "test", "?", "u", "?", "?"]]
        );
        assert_eq!(
            words(
                "TARGET=a-b-c\ncargo build --target $TARGET\nexport Y=z; echo $Y $env:T",
                &[("T", "p")]
            ),
            [
                vec!["TARGET=a-b-c"],
                vec!["cargo", "build", "--target", "a-b-c"],
                vec!["export", "Y=z"],
                vec!["echo", "z", "p"]
            ]
        );
        // PowerShell continuations.
        assert_eq!(
            words("cargo build `\n  --release", &[]),
            [vec!["cargo", "build", "--release"]]
        );
    }

    #[test]
    fn words_know_their_lines() {
        let mut t = Text::plain("echo a\ncargo build --target ");
        t.push(&Text::at("x86_64-unknown-linux-gnu", 40));
        let cmds = commands(&t, 10, &Env::default());
        let w = &cmds[1].words[3];
        assert_eq!((w.line, w.text.line()), (11, Some(40)));
        // Hostile text: unbalanced quotes and parentheses end with the text.
        for s in ["echo \"abc", "echo $(((", "echo '", "${", "`", "a <<", "\\"] {
            let _ = commands(&Text::plain(s), 1, &Env::default());
        }
    }
}
