//! Whether a Cargo.toml defines a key path, such as
//! `package.metadata.platform-guard`, read in a `const` context: the
//! run-time macros include the expanding crate's Cargo.toml
//! (`include_bytes!`) and ask, at compile time, whether it states a policy
//! table that no build script read (zero-setup mode would otherwise ignore
//! it in silence).
//!
//! A scanner, not a parser: Cargo has already parsed the file, so it is
//! valid TOML, and only the structure that can define keys is followed:
//! table headers (`[a.b]`, `[[a.b]]`), dotted keys (`a.b = ...`), bare,
//! basic (with escapes) and literal key parts, and inline tables (`a = { b
//! = ... }`), while every value (the four kinds of strings, arrays, inline
//! tables, scalars) and every comment is skipped as TOML reads it, so text
//! inside strings or comments never counts. On input that is not valid
//! TOML it still ends, never reads past the end, and answers something.
//!
//! `const fn`s without `&mut` (Rust 1.63), each `#[inline]` so no crate
//! compiles them to machine code. The text is walked with slice patterns
//! (`[b, rest @ ..]`), which the compile-time interpreter runs several times
//! faster than indexing.

/// `s` without its first byte (the same empty slice when empty). A macro,
/// not a function: in the compile-time interpreter a call per byte costs
/// several times the byte's own work.
macro_rules! skip_one {
    ($s:expr) => {
        match $s {
            [_, rest @ ..] => rest,
            [] => $s,
        }
    };
}

/// Where a key path stands against the path looked for: how many parts it
/// has, and whether each so far equals the looked-for path's part at the
/// same place.
#[derive(Clone, Copy)]
struct At {
    depth: usize,
    on: bool,
}

impl At {
    const ROOT: At = At { depth: 0, on: true };

    /// Whether the path is the looked-for one or lies under it.
    #[inline]
    const fn reached(self, target: &[&str]) -> bool {
        self.on && self.depth >= target.len()
    }

    /// Whether the path is a proper prefix of the looked-for one (an
    /// inline table here can still define it).
    #[inline]
    const fn before(self, target: &[&str]) -> bool {
        self.on && self.depth < target.len()
    }

    /// One part further: `same` says whether it equals the looked-for
    /// path's part at this depth.
    #[inline]
    const fn then(self, same: bool, target: &[&str]) -> At {
        At {
            depth: self.depth + 1,
            on: self.on && (self.depth >= target.len() || same),
        }
    }
}

/// Whether the TOML document `doc` defines `target` (such as `["package",
/// "metadata", "platform-guard"]`) or a key under it, in any of TOML's ways.
#[inline]
pub(crate) const fn defines(doc: &[u8], target: &[&str]) -> bool {
    let mut s = doc;
    let mut table = At::ROOT;
    loop {
        s = blank(s, true);
        let before = s.len();
        match s {
            [] => return false,
            [b'[', rest @ ..] => {
                let rest = match rest {
                    [b'[', rest @ ..] => rest,
                    rest => rest,
                };
                let key = key_path(blank(rest, false), At::ROOT, target);
                if key.at.reached(target) {
                    return true;
                }
                table = key.at;
                // `]` or `]]`, then the rest of the line (a comment at most).
                s = line_end(key.rest);
            }
            _ => {
                let key = key_path(s, table, target);
                if key.at.reached(target) {
                    return true;
                }
                let value = after_equals(key.rest, false);
                s = match value {
                    [b'{', ..] if key.at.before(target) => {
                        let inline = inline_table(value, key.at, target);
                        if inline.found {
                            return true;
                        }
                        inline.rest
                    }
                    _ => value_end(value),
                };
            }
        }
        // Progress on input that is not TOML: at least one byte.
        if s.len() >= before {
            s = skip_one!(s);
        }
    }
}

/// A key path read: where it stands, and the text after it.
#[derive(Clone, Copy)]
struct Key<'a> {
    at: At,
    rest: &'a [u8],
}

/// A dotted key (`a.b."c d".'e'`, blanks around the dots allowed), its
/// parts compared with `target` from `at` on.
#[inline]
const fn key_path<'a>(mut s: &'a [u8], mut at: At, target: &[&str]) -> Key<'a> {
    loop {
        let want: &[u8] = if at.depth < target.len() {
            target[at.depth].as_bytes()
        } else {
            &[]
        };
        let part = key_part(s, want);
        at = at.then(part.same, target);
        match blank(part.rest, false) {
            [b'.', rest @ ..] => s = blank(rest, false),
            rest => return Key { at, rest },
        }
    }
}

/// One part of a dotted key, compared with `want` as it is read.
#[derive(Clone, Copy)]
struct Part<'a> {
    same: bool,
    rest: &'a [u8],
}

/// A bare, `"basic"` (escapes decoded) or `'literal'` key part at the
/// start of `s`: whether it is `want`, and the text after it.
#[inline]
const fn key_part<'a>(s: &'a [u8], mut want: &[u8]) -> Part<'a> {
    let mut same = true;
    match s {
        [b'"', rest @ ..] => {
            let mut s = rest;
            loop {
                match s {
                    [] => {
                        return Part {
                            same: false,
                            rest: s,
                        }
                    }
                    [b'"', rest @ ..] => {
                        return Part {
                            same: same && want.is_empty(),
                            rest,
                        }
                    }
                    [b'\n', ..] => {
                        return Part {
                            same: false,
                            rest: s,
                        }
                    }
                    [b'\\', rest @ ..] => {
                        let (c, rest) = escape(rest);
                        same = same && matches!(want, [w, ..] if *w as u32 == c);
                        want = skip_one!(want);
                        s = rest;
                    }
                    [b, rest @ ..] => {
                        same = same && matches!(want, [w, ..] if *w == *b);
                        want = skip_one!(want);
                        s = rest;
                    }
                }
            }
        }
        [b'\'', rest @ ..] => {
            let mut s = rest;
            loop {
                match s {
                    [] | [b'\n', ..] => {
                        return Part {
                            same: false,
                            rest: s,
                        }
                    }
                    [b'\'', rest @ ..] => {
                        return Part {
                            same: same && want.is_empty(),
                            rest,
                        }
                    }
                    [b, rest @ ..] => {
                        same = same && matches!(want, [w, ..] if *w == *b);
                        want = skip_one!(want);
                        s = rest;
                    }
                }
            }
        }
        _ => {
            let mut s = s;
            loop {
                match s {
                    [b, rest @ ..] if is_bare(*b) => {
                        same = same && matches!(want, [w, ..] if *w == *b);
                        want = skip_one!(want);
                        s = rest;
                    }
                    _ => {
                        return Part {
                            same: same && want.is_empty(),
                            rest: s,
                        }
                    }
                }
            }
        }
    }
}

#[inline]
const fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The character a basic string's escape stands for (`s` starts after the
/// `\`), as far as comparing with ASCII needs, and the text after it. An
/// unknown escape gives a value no ASCII byte has.
#[inline]
const fn escape(s: &[u8]) -> (u32, &[u8]) {
    let (digits, rest) = match s {
        [b'u', rest @ ..] => (4, rest),
        [b'U', rest @ ..] => (8, rest),
        [b'x', rest @ ..] => (2, rest),
        [b'b', rest @ ..] => return (0x08, rest),
        [b't', rest @ ..] => return (0x09, rest),
        [b'n', rest @ ..] => return (0x0a, rest),
        [b'f', rest @ ..] => return (0x0c, rest),
        [b'r', rest @ ..] => return (0x0d, rest),
        [b'e', rest @ ..] => return (0x1b, rest),
        [b'"', rest @ ..] => return (0x22, rest),
        [b'\\', rest @ ..] => return (0x5c, rest),
        _ => return (u32::MAX, skip_one!(s)),
    };
    let mut value: u32 = 0;
    let mut s = rest;
    let mut n = 0;
    while n < digits {
        let d = match s {
            [b @ b'0'..=b'9', ..] => *b - b'0',
            [b @ b'a'..=b'f', ..] => *b - b'a' + 10,
            [b @ b'A'..=b'F', ..] => *b - b'A' + 10,
            _ => return (u32::MAX, s),
        };
        value = value.saturating_mul(16).saturating_add(d as u32);
        s = skip_one!(s);
        n += 1;
    }
    (value, s)
}

/// After `key`'s blanks, `=` and the blanks that follow (with `lines`,
/// line breaks and comments too, as inline tables allow).
#[inline]
const fn after_equals(s: &[u8], lines: bool) -> &[u8] {
    match blank(s, lines) {
        [b'=', rest @ ..] => blank(rest, lines),
        rest => rest,
    }
}

/// An inline table read: whether one of its keys reaches the looked-for
/// path, and the text after it (or after the key that reached it).
#[derive(Clone, Copy)]
struct Inline<'a> {
    found: bool,
    rest: &'a [u8],
}

/// The inline table `{ ... }` at the start of `s`, whose key path stands
/// at `at`. Line breaks and comments are allowed inside, as TOML 1.1
/// allows them.
#[inline]
const fn inline_table<'a>(s: &'a [u8], at: At, target: &[&str]) -> Inline<'a> {
    let mut s = skip_one!(s);
    loop {
        s = blank(s, true);
        let before = s.len();
        match s {
            [] => {
                return Inline {
                    found: false,
                    rest: s,
                }
            }
            [b'}', rest @ ..] => return Inline { found: false, rest },
            [b',', rest @ ..] => s = rest,
            _ => {
                let key = key_path(s, at, target);
                if key.at.reached(target) {
                    return Inline {
                        found: true,
                        rest: key.rest,
                    };
                }
                let value = after_equals(key.rest, true);
                s = match value {
                    [b'{', ..] if key.at.before(target) => {
                        let inner = inline_table(value, key.at, target);
                        if inner.found {
                            return inner;
                        }
                        inner.rest
                    }
                    _ => value_end(value),
                };
            }
        }
        // Progress on input that is not TOML.
        if s.len() >= before {
            s = skip_one!(s);
        }
    }
}

/// The text after the value at the start of `s`: a string, an array, an
/// inline table or a scalar (which ends at `,`, `]`, `}`, a comment or the
/// end of the line).
#[inline]
const fn value_end(s: &[u8]) -> &[u8] {
    match s {
        [b'"' | b'\'', ..] => string_end(s),
        [b'[' | b'{', ..] => bracket_end(s),
        _ => {
            let mut s = s;
            while let [b, rest @ ..] = s {
                if matches!(*b, b',' | b']' | b'}' | b'\n' | b'\r' | b'#') {
                    break;
                }
                s = rest;
            }
            s
        }
    }
}

/// The text after the array or inline table at the start of `s` (nested
/// ones, strings and comments inside skipped as TOML reads them).
#[inline]
const fn bracket_end(s: &[u8]) -> &[u8] {
    let mut depth = 0usize;
    let mut s = s;
    loop {
        s = match s {
            [] => return s,
            [b'[' | b'{', rest @ ..] => {
                depth += 1;
                rest
            }
            [b']' | b'}', rest @ ..] => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return rest;
                }
                rest
            }
            [b'"' | b'\'', ..] => string_end(s),
            [b'#', ..] => comment_end(s),
            [_, rest @ ..] => rest,
        };
    }
}

/// The text after the string at the start of `s`: `"basic"` (with
/// escapes), `'literal'`, `"""multi-line basic"""` or `'''multi-line
/// literal'''` (whose closing quotes may be followed by one or two more
/// that belong to the string).
#[inline]
const fn string_end(s: &[u8]) -> &[u8] {
    let (quote, multi, mut s) = match s {
        [q @ (b'"' | b'\''), a, b, rest @ ..] if *a == *q && *b == *q => (*q, true, rest),
        [q, rest @ ..] => (*q, false, rest),
        [] => return s,
    };
    loop {
        s = match s {
            [] => return s,
            [b'\\', _, rest @ ..] if quote == b'"' => rest,
            [b'\n', ..] if !multi => return s,
            [q, a, b, rest @ ..] if multi && *q == quote && *a == quote && *b == quote => {
                // Up to two more quotes close with it: `""""` ends in a quote.
                let mut rest = rest;
                let mut extra = 0;
                while extra < 2 {
                    match rest {
                        [q, more @ ..] if *q == quote => rest = more,
                        _ => break,
                    }
                    extra += 1;
                }
                return rest;
            }
            [q, rest @ ..] if !multi && *q == quote => return rest,
            [_, rest @ ..] => rest,
        };
    }
}

/// `s` past spaces and tabs, and with `lines`, past line breaks and
/// comments too.
#[inline]
const fn blank(s: &[u8], lines: bool) -> &[u8] {
    let mut s = s;
    loop {
        s = match s {
            [b' ' | b'\t', rest @ ..] => rest,
            [b'\n' | b'\r', rest @ ..] if lines => rest,
            [b'#', ..] if lines => comment_end(s),
            _ => return s,
        };
    }
}

/// The text from the end of the comment at the start of `s` (its line
/// break is not part of it).
#[inline]
const fn comment_end(s: &[u8]) -> &[u8] {
    let mut s = s;
    while let [b, rest @ ..] = s {
        if *b == b'\n' {
            break;
        }
        s = rest;
    }
    s
}

/// The rest of a table header's line after its key: its closing brackets
/// and a comment.
#[inline]
const fn line_end(s: &[u8]) -> &[u8] {
    let mut s = s;
    while let [b, rest @ ..] = s {
        match *b {
            b'\n' => break,
            b'#' => return comment_end(s),
            _ => s = rest,
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::defines;

    const TABLE: &[&str] = &["package", "metadata", "platform-guard"];

    fn has(doc: &str) -> bool {
        defines(doc.as_bytes(), TABLE)
    }

    #[test]
    fn every_way_toml_defines_the_table_is_found() {
        for doc in [
            "[package.metadata.platform-guard]\n",
            "[package.metadata.platform-guard]",
            "[ package . metadata . \"platform-guard\" ] # policy\npreset = 'etcd'\n",
            "[package.metadata.'platform-guard']\n",
            "[package.metadata.\"platform\\u002Dguard\"]\n",
            "[[package.metadata.platform-guard.rules]]\nlevel = \"stable\"\n",
            "[package.metadata.platform-guard.rules]\n",
            "[package.metadata]\nplatform-guard = { preset = \"etcd\" }\n",
            "[package.metadata]\nplatform-guard.preset = \"etcd\"\n",
            "[package]\nname = \"a\"\nmetadata.platform-guard.preset = \"etcd\"\n",
            "[package]\nmetadata = { platform-guard = { preset = \"etcd\" } }\n",
            "[package]\nmetadata = { other = 1, \"platform-guard\" = {} }\n",
            "package.metadata.platform-guard.preset = \"etcd\"\n",
            "package = { name = \"a\", metadata = { platform-guard = {} } }\n",
            "package = {\n  name = \"a\", # TOML 1.1\n  metadata.platform-guard = {}\n}\n",
            "[package]\r\nname = \"a\"\r\n[package.metadata.platform-guard]\r\n",
        ] {
            assert!(has(doc), "{:?}", doc);
        }
    }

    #[test]
    fn text_in_strings_comments_and_other_tables_is_not_a_definition() {
        for doc in [
            "",
            "[package]\nname = \"a\"\n",
            "# [package.metadata.platform-guard]\n[package]\n",
            "[package]\ndescription = \"\"\"\n[package.metadata.platform-guard]\n\"\"\"\n",
            "[package]\ndescription = '''\n[package.metadata.platform-guard]\n'''\n",
            "[package]\ndescription = \"\\\"[package.metadata.platform-guard]\"\n",
            "[package]\nx = [\n  \"a\", # ]\n  '[package.metadata.platform-guard]',\n]\n",
            "[dependencies]\nplatform-guard = \"0.1\"\n",
            "[dependencies.platform-guard]\nversion = \"0.1\"\n",
            "[workspace.metadata.platform-guard]\npreset = \"etcd\"\n",
            "[package.metadata.platform-guard-x]\n",
            "[package.metadata.platform]\n",
            "[package.metadata]\nplatform-guards = 1\n",
            "[package]\nmetadata = { other = { platform-guard = 1 } }\n",
            "[package]\nmetadata = [{ platform-guard = 1 }]\n",
            "[target.'cfg(unix)'.dependencies]\nplatform-guard = { path = \"..\" }\n",
            "[package.metadata.\"platform\\u002Dguards\"]\n",
            "[package]\nd = \"\"\"\"q\"\"\"\"\n[package.metadata.x]\n",
        ] {
            assert!(!has(doc), "{:?}", doc);
        }
    }

    /// The truth, from the `toml` crate's parser.
    #[cfg(feature = "manifest")]
    fn parsed_has(doc: &str) -> Option<bool> {
        let doc = toml::de::DeTable::parse(doc).ok()?;
        let mut here = doc.get_ref();
        for key in TABLE {
            match here.iter().find(|(k, _)| k.get_ref() == key) {
                Some((_, v)) => match v.get_ref().as_table() {
                    Some(t) => here = t,
                    None => return Some(*key == "platform-guard"),
                },
                None => return Some(false),
            }
        }
        Some(true)
    }

    /// Every Cargo.toml of the real projects in `../shared/realworld`, as
    /// they are and with the table added in each of TOML's ways (at the
    /// end, and after their `[package]` table's first line): the scanner
    /// answers as the `toml` crate's parser does.
    #[cfg(feature = "manifest")]
    #[test]
    fn real_manifests_scan_as_toml_parses_them() {
        // `../shared/realworld` beside the repository (also where a clone
        // of it lies elsewhere, the workplace's own copy).
        let root = [
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld"),
            std::path::PathBuf::from("/work/shared/realworld"),
        ]
        .into_iter()
        .find(|p| p.is_dir())
        .expect("../shared/realworld (the real projects' files) beside the repository");
        let mut manifests = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("the real projects' files are readable") {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.file_name().map_or(false, |n| n == "Cargo.toml") {
                    manifests.push(path);
                }
            }
        }
        assert!(manifests.len() > 100, "{} manifests", manifests.len());
        let additions = [
            "\n[package.metadata.platform-guard]\npreset = \"etcd\"\n",
            "\n[package.metadata.platform-guard.rules]\n",
            "\n[[package.metadata.platform-guard.rules]]\nlevel = \"stable\"\ncfg = \"unix\"\n",
            "\n[package.metadata]\nplatform-guard = { preset = \"etcd\" }\n",
        ];
        let mut checked = 0;
        for path in manifests {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut variants = vec![text.clone()];
            for add in additions {
                variants.push(format!("{}{}", text, add));
            }
            if let Some(at) = text.find("[package]\n") {
                let after = at + "[package]\n".len();
                variants.push(format!(
                    "{}metadata.platform-guard.preset = \"etcd\"\n{}",
                    &text[..after],
                    &text[after..]
                ));
            }
            for doc in variants {
                // A variant the parser rejects (a key defined twice) is no
                // Cargo.toml Cargo would build.
                if let Some(truth) = parsed_has(&doc) {
                    assert_eq!(has(&doc), truth, "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 400, "{} documents checked", checked);
    }

    #[test]
    fn input_that_is_not_toml_ends() {
        for doc in [
            "[",
            "[[",
            "[package.metadata",
            "\"",
            "'''",
            "a = \"\\",
            "a = [[[[",
            "a = {{{{",
            "= = =",
            "a.b.c.",
            "}}]]",
            "\u{0}\u{ff}",
            "[package]\nmetadata = { platform-guard",
        ] {
            let _ = has(doc);
        }
    }
}
