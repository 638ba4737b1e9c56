//! Text in `const fn`s, which cannot allocate (Rust 1.63): the messages the
//! run-time macros stop a compile with are built here, and compared and
//! split here. Every function is `#[inline]`, so no crate compiles them to
//! machine code.

use crate::zero_setup::VAR_SUFFIX;

/// A message built in a `const fn`: a fixed buffer, cut at its end.
pub struct Text {
    bytes: [u8; 1024],
    len: usize,
}

impl Text {
    #[inline]
    pub(crate) const fn new() -> Text {
        Text {
            bytes: [0; 1024],
            len: 0,
        }
    }

    #[inline]
    pub(crate) const fn push(self, s: &str) -> Text {
        self.push_from(s, 0)
    }

    /// `s` from byte `from` on (past an ASCII mark).
    #[inline]
    pub(crate) const fn push_from(mut self, s: &str, from: usize) -> Text {
        let s = s.as_bytes();
        let mut i = from;
        while i < s.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = s[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// `<PACKAGE>_UNSUPPORTED_ARCH` for `package`.
    #[inline]
    pub(crate) const fn push_var(mut self, package: &str) -> Text {
        let pkg = package.as_bytes();
        let mut i = 0;
        while i < pkg.len() && self.len < self.bytes.len() {
            if pkg[i] & 0xC0 != 0x80 {
                self.bytes[self.len] = var_byte(pkg[i]);
                self.len += 1;
            }
            i += 1;
        }
        self.push(VAR_SUFFIX)
    }

    /// The text (cut at a character boundary if the buffer filled up).
    #[inline]
    pub const fn as_str(&self) -> &str {
        let mut s = prefix(&self.bytes, self.len);
        // Cut inside a character (only possible past 1024 bytes): drop the
        // partial character.
        while core::str::from_utf8(s).is_err() {
            if let [rest @ .., _] = s {
                s = rest;
            }
        }
        match core::str::from_utf8(s) {
            Ok(s) => s,
            Err(_) => "",
        }
    }
}

/// The override variable's byte for a package name's first byte of a
/// character: ASCII letters upper-cased, digits kept, anything else `_`
/// (as `package_override_var` writes it).
#[inline]
pub(crate) const fn var_byte(b: u8) -> u8 {
    if b.is_ascii_alphanumeric() {
        b.to_ascii_uppercase()
    } else {
        b'_'
    }
}

/// The first `len` bytes of `s` (all of it when shorter), in a `const fn`
/// of Rust 1.63, which cannot index by a range: cut 64 bytes at a time,
/// then one, so the compile-time interpreter takes few steps for a large
/// buffer.
#[inline]
pub(crate) const fn prefix(mut s: &[u8], len: usize) -> &[u8] {
    while s.len() >= len + 64 {
        if let [rest @ .., _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _] =
            s
        {
            s = rest;
        }
    }
    while s.len() > len {
        if let [rest @ .., _] = s {
            s = rest;
        }
    }
    s
}

/// String equality.
#[inline]
pub(crate) const fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

#[inline]
pub(crate) const fn same_bytes(mut a: &[u8], mut b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    while let ([x, a_rest @ ..], [y, b_rest @ ..]) = (a, b) {
        if *x != *y {
            return false;
        }
        a = a_rest;
        b = b_rest;
    }
    true
}

/// `s` after `prefix`, when it starts with it.
#[inline]
pub(crate) const fn strip_prefix<'a>(mut s: &'a [u8], mut prefix: &[u8]) -> Option<&'a [u8]> {
    while let [p, p_rest @ ..] = prefix {
        match s {
            [x, s_rest @ ..] if *x == *p => {
                s = s_rest;
                prefix = p_rest;
            }
            _ => return None,
        }
    }
    Some(s)
}

/// The part of `s` before the first `sep` (or all of it), and the rest
/// after the separator (empty when there was none).
#[inline]
pub(crate) const fn split_once(s: &[u8], sep: u8) -> (&[u8], &[u8]) {
    let mut head: &[u8] = s;
    let mut tail: &[u8] = &[];
    let mut rest = s;
    let mut taken = 0;
    while let [b, more @ ..] = rest {
        if *b == sep {
            tail = more;
            break;
        }
        rest = more;
        taken += 1;
    }
    // `head` is `s` without its last `s.len() - taken` bytes.
    while head.len() > taken {
        if let [front @ .., _] = head {
            head = front;
        }
    }
    (head, tail)
}

/// `""` is none; otherwise a decimal index of at most nine digits.
#[inline]
pub(crate) const fn parse_index(text: &str) -> Result<Option<usize>, ()> {
    let mut bytes = text.as_bytes();
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes.len() > 9 {
        return Err(());
    }
    let mut n = 0usize;
    while let [b, rest @ ..] = bytes {
        if !b.is_ascii_digit() {
            return Err(());
        }
        n = n * 10 + (*b - b'0') as usize;
        bytes = rest;
    }
    Ok(Some(n))
}

/// Whether `name` is `package`'s `<PACKAGE>_UNSUPPORTED_ARCH` (as
/// `package_override_var` writes it).
#[inline]
pub(crate) const fn names_var(package: &str, name: &[u8]) -> bool {
    let mut pkg = package.as_bytes();
    let mut name = name;
    while let [b, rest @ ..] = pkg {
        // One `_` or upper-case letter for each character: skip UTF-8
        // continuation bytes.
        if *b & 0xC0 != 0x80 {
            match name {
                [n, more @ ..] if *n == var_byte(*b) => name = more,
                _ => return false,
            }
        }
        pkg = rest;
    }
    same_bytes(name, VAR_SUFFIX.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_has_exactly_the_length_asked() {
        let buffer = [7u8; 1024];
        for len in 0..=1030 {
            assert_eq!(prefix(&buffer, len).len(), len.min(1024), "{}", len);
        }
        const SHORT: &[u8] = prefix(b"platform-guard", 8);
        assert_eq!(SHORT, b"platform");
    }

    #[test]
    fn text_is_cut_at_a_character_boundary() {
        let mut t = Text::new();
        let mut i = 0;
        while i < 1023 {
            t = t.push("a");
            i += 1;
        }
        t = t.push("é and more");
        assert_eq!(t.as_str().len(), 1023);
        assert_eq!(Text::new().push("x").push_from("=y", 1).as_str(), "xy");
        assert_eq!(
            Text::new().push_var("größe-app").as_str(),
            "GR__E_APP_UNSUPPORTED_ARCH"
        );
    }

    #[test]
    fn splitting_and_comparing() {
        assert_eq!(split_once(b"a,b,c", b','), (&b"a"[..], &b"b,c"[..]));
        assert_eq!(split_once(b"abc", b','), (&b"abc"[..], &b""[..]));
        assert_eq!(split_once(b",", b','), (&b""[..], &b""[..]));
        assert_eq!(strip_prefix(b"/a/b#x", b"/a/b"), Some(&b"#x"[..]));
        assert_eq!(strip_prefix(b"/a", b"/a/b"), None);
        assert!(same("ab", "ab") && !same("ab", "abc") && !same("ab", "ac"));
        assert!(names_var("my-app", b"MY_APP_UNSUPPORTED_ARCH"));
        assert!(names_var("größe", b"GR__E_UNSUPPORTED_ARCH"));
        assert!(!names_var("my", b"MY_APP_UNSUPPORTED_ARCH"));
        assert!(!names_var("my-app", b"MY_APP_UNSUPPORTED_ARCH_"));
    }

    #[test]
    fn rule_indexes_parse_exactly() {
        assert_eq!(parse_index(""), Ok(None));
        assert_eq!(parse_index("0"), Ok(Some(0)));
        assert_eq!(parse_index("12"), Ok(Some(12)));
        assert_eq!(parse_index("1a"), Err(()));
        assert_eq!(parse_index("-1"), Err(()));
        assert_eq!(parse_index("1234567890"), Err(()));
    }
}
