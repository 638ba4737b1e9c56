//! JSON text, written by hand (the command has no serializer dependency).

/// A JSON string literal.
pub fn string(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A JSON string, or `null`.
pub fn opt(value: Option<&str>) -> String {
    value.map_or_else(|| "null".to_string(), string)
}

/// A JSON array of strings.
pub fn strings<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = values.into_iter().map(string).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            string("a\"b\\c\n\u{1}\u{7f}"),
            "\"a\\\"b\\\\c\\n\\u0001\\u007f\""
        );
        assert_eq!(opt(None), "null");
        assert_eq!(strings(["-C", "x"]), "[\"-C\", \"x\"]");
    }
}
