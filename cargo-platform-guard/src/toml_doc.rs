//! TOML as the command reads it (manifests, Cargo config files, cargo-dist
//! and cross configuration, rustup's channel manifest): a document parsed
//! with spans by the `toml` crate, a key or a dotted path looked up in it,
//! and a span turned into a line. The one place the command looks keys up.

use std::borrow::Cow;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::context::Failure;

/// Parses `text`; an error names `name`, the line when the parser knows it,
/// and why: `Cross.toml:1: not valid TOML: ...`.
pub fn parse<'i>(text: &'i str, name: &str) -> Result<Spanned<DeTable<'i>>, Failure> {
    DeTable::parse(text).map_err(|e| {
        let at = e
            .span()
            .map_or_else(String::new, |s| format!(":{}", line_of(text, s.start)));
        Failure::error(format!(
            "{}{}: not valid TOML: {}",
            name,
            at,
            e.message().trim_end()
        ))
    })
}

/// The line (from 1) of byte `at` of `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// `key`'s entry in `table`: the key and the value, each with its span.
pub fn entry<'t, 'i>(
    table: &'t DeTable<'i>,
    key: &str,
) -> Option<(&'t Spanned<Cow<'i, str>>, &'t Spanned<DeValue<'i>>)> {
    table.iter().find(|(k, _)| k.get_ref() == key)
}

/// `key`'s value in `table`.
pub fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeValue<'i>> {
    entry(table, key).map(|(_, v)| v.get_ref())
}

/// The table at `key` in `table` (none when the value is not a table).
pub fn table<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
    get(table, key).and_then(DeValue::as_table)
}

/// The table at a dotted path (`package.metadata.dist`), each step a
/// table. A key that holds a dot itself (`'cfg(target_os = "linux")'`)
/// cannot be named this way: take those a step at a time with [`table`].
pub fn table_at<'t, 'i>(root: &'t DeTable<'i>, path: &str) -> Option<&'t DeTable<'i>> {
    path.split('.').try_fold(root, |here, key| table(here, key))
}

/// `key = "..."` or `key = ["...", ...]` in `table`: each string with the
/// byte where it starts. Any other value (and any item of an array that is
/// not a string) gives none.
pub fn strings<'t>(table: &'t DeTable<'_>, key: &str) -> Vec<(&'t str, usize)> {
    let Some((_, v)) = entry(table, key) else {
        return Vec::new();
    };
    match v.get_ref() {
        DeValue::String(s) => vec![(&**s, v.span().start)],
        DeValue::Array(items) => items
            .iter()
            .filter_map(|i| i.get_ref().as_str().map(|s| (s, i.span().start)))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_paths_and_lines() {
        let text = "[package]\nname = \"p\"\n\n[package.metadata.dist]\ntargets = [\"a\",\n  \"b\", 3]\none = \"c\"\n";
        let doc = parse(text, "Cargo.toml").unwrap();
        let root = doc.get_ref();
        assert_eq!(
            table(root, "package").and_then(|p| get(p, "name")?.as_str()),
            Some("p")
        );
        let dist = table_at(root, "package.metadata.dist").unwrap();
        let lines = |key| {
            strings(dist, key)
                .into_iter()
                .map(|(s, at)| (s, line_of(text, at)))
                .collect::<Vec<_>>()
        };
        assert_eq!(lines("targets"), [("a", 5), ("b", 6)]);
        assert_eq!(lines("one"), [("c", 7)]);
        assert!(lines("none").is_empty());
        assert!(table_at(root, "package.name").is_none());
        assert!(table_at(root, "package.metadata.docs").is_none());
    }

    #[test]
    fn an_error_names_the_file_and_the_line() {
        let e = parse("a = 1\nb = [\n", "Cross.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("Cross.toml:"), "{}", e);
        assert!(e.contains(": not valid TOML: "), "{}", e);
    }
}
