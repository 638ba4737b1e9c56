//! The crate's one error type: a kind, the offending input, and a message
//! that reads as a sentence.

use std::fmt;

/// What went wrong, for callers that want to branch on it.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A cfg expression that does not parse.
    CfgSyntax,
    /// A support level name that is not one of the four.
    UnknownLevel,
    /// An architecture naming that is not `rust` or `go`.
    UnknownArchNames,
    /// An override variable name that is not `[A-Z_][A-Z0-9_]*`.
    InvalidVarName,
    /// Maintainers or note text that cannot be written safely (line breaks or
    /// other control characters), or a builder call in the wrong place.
    InvalidPolicy,
    /// The build script runs outside Cargo: `TARGET` or
    /// `CARGO_CFG_TARGET_ARCH` is missing.
    NotInCargo,
    /// An environment variable's value is not valid UTF-8.
    NotUnicode,
    /// A target cfg value Cargo or rustc would never produce.
    InvalidTargetCfg,
    /// A build-script directive value that would break Cargo's line protocol.
    InvalidDirective,
    /// The build is denied for this target by the policy or
    /// `PLATFORM_GUARD_DENY`.
    Denied,
    /// Running `rustc` to learn its version failed.
    Rustc,
    /// Writing the build-script output failed.
    Io,
    /// A `[package.metadata.platform-guard]` table that cannot be read: the
    /// file is missing or not TOML, the table is missing, or a key is
    /// unknown, missing or of the wrong type (feature `manifest`). A bad
    /// value keeps its own kind ([`ErrorKind::UnknownLevel`],
    /// [`ErrorKind::CfgSyntax`], ...).
    Manifest,
}

/// An error from parsing, validating or applying a policy.
///
/// `Display` is one line that names the offending input and says what was
/// expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    input: String,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, input: &str, message: String) -> Error {
        Error {
            kind,
            input: input.to_string(),
            message: one_line(message),
        }
    }

    /// What kind of mistake this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The offending input (an expression, a name, a value), as given.
    pub fn input(&self) -> &str {
        &self.input
    }

    pub(crate) fn unknown_level(input: &str) -> Error {
        Error::new(
            ErrorKind::UnknownLevel,
            input,
            format!(
                "unknown support level {}: expected one of stable, experimental, unstable, \
                 unsupported (lowercase)",
                quoted(input)
            ),
        )
    }

    pub(crate) fn unknown_arch_names(input: &str) -> Error {
        Error::new(
            ErrorKind::UnknownArchNames,
            input,
            format!(
                "unknown architecture naming {}: expected \"rust\" or \"go\"",
                quoted(input)
            ),
        )
    }

    /// Prefixes the message with where the input came from, such as
    /// `PLATFORM_GUARD_DENY` or a manifest key path. Only the policy side
    /// (feature `policy`) uses it; it stays here because build.rs shares
    /// this file.
    #[cfg_attr(not(feature = "policy"), allow(dead_code))]
    pub(crate) fn context(mut self, what: &str) -> Error {
        self.message = one_line(format!("{}: {}", what, self.message));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// `message` with each control character written as its Rust escape (`\n`,
/// `\u{1b}`): the guarantee that a message is one line, whatever crafted name,
/// key or path it quotes unquoted. Messages quote inputs with [`quoted`]; this
/// catches what slips through.
fn one_line(message: String) -> String {
    if !message.chars().any(char::is_control) {
        return message;
    }
    let mut out = String::with_capacity(message.len() + 8);
    for c in message.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// `input` quoted for a message: Rust string syntax (so control characters
/// and quotes are escaped and the message stays one line), cut after 120
/// characters so a huge input does not make a huge message.
pub(crate) fn quoted(input: &str) -> String {
    const LIMIT: usize = 120;
    match input.char_indices().nth(LIMIT) {
        None => format!("{:?}", input),
        Some((cut, _)) => format!("{:?}... ({} bytes in all)", &input[..cut], input.len()),
    }
}

/// Checks that `text` (maintainers, a note, a message) holds no character
/// that could end a build-script directive line or hide one: line breaks and
/// other control characters are refused. Only the policy side (feature
/// `policy`) uses it; it stays here because build.rs shares this file.
#[cfg_attr(not(feature = "policy"), allow(dead_code))]
pub(crate) fn check_one_line(what: &str, text: &str) -> Result<(), Error> {
    match text.char_indices().find(|&(_, c)| c.is_control()) {
        None => Ok(()),
        Some((at, c)) => Err(Error::new(
            ErrorKind::InvalidPolicy,
            text,
            format!(
                "{} {} contains the control character {:?} at byte {}: expected one line of \
                 printable text",
                what,
                quoted(text),
                c,
                at
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_whatever_they_hold() {
        let e = Error::new(
            ErrorKind::Manifest,
            "a\nb",
            "table.a\nb\r\u{1b}[2K: unknown key".to_string(),
        );
        assert_eq!(e.to_string(), "table.a\\nb\\r\\u{1b}[2K: unknown key");
        // The input is kept as given.
        assert_eq!(e.input(), "a\nb");
        assert_eq!(
            e.context("file\n.toml").to_string(),
            "file\\n.toml: table.a\\nb\\r\\u{1b}[2K: unknown key"
        );
        // Printable text, quotes and non-ASCII are left alone.
        let e = Error::new(ErrorKind::CfgSyntax, "", "ü \"x\" \\ ok".to_string());
        assert_eq!(e.to_string(), "ü \"x\" \\ ok");
    }
}
