//! "Did you mean": the nearest known names to a mistyped one.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(here)
            };
            prev = here;
        }
    }
    row[b.len()]
}

/// The known names nearest to `name`, best first, at most `max`: names
/// within a typo's edit distance (a third of the length, at least 2), names
/// that start with it, and names that hold all of its `-`/`_`-separated
/// parts in order (`powerpc64le-linux` finds
/// `powerpc64le-unknown-linux-gnu`).
pub fn nearest<'a, I>(name: &str, known: I, max: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (name.chars().count() / 3).max(2);
    let parts: Vec<&str> = name.split(['-', '_']).filter(|p| !p.is_empty()).collect();
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .filter(|k| *k != name)
        .filter_map(|k| {
            let d = edit_distance(name, k);
            let close =
                d <= limit || (name.len() >= 3 && k.starts_with(name)) || holds_parts(k, &parts);
            close.then_some((d, k))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(max).map(|(_, k)| k).collect()
}

/// Whether `known`'s parts include `parts`, in order (two or more).
fn holds_parts(known: &str, parts: &[&str]) -> bool {
    let mut mine = known.split(['-', '_']);
    parts.len() > 1 && parts.iter().all(|p| mine.any(|m| m == *p))
}

/// ` (did you mean a, b?)`-style hint text, or `None` when nothing is near.
pub fn did_you_mean<'a, I>(name: &str, known: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let near = nearest(name, known, 3);
    if near.is_empty() {
        None
    } else {
        Some(format!("did you mean {}?", near.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", "abd"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn nearest_names_are_the_closest_few() {
        let known = [
            "x86_64-unknown-linux-gnu",
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-gnu",
            "wasm32-unknown-unknown",
        ];
        assert_eq!(
            nearest("x86_64-unknown-linux-gun", known, 3),
            [
                "x86_64-unknown-linux-gnu",
                "x86_64-unknown-linux-musl",
                "aarch64-unknown-linux-gnu"
            ]
        );
        assert!(nearest("sparc-sun-solaris", known, 3).is_empty());
        assert_eq!(
            nearest("aarch64-linux", known, 3),
            ["aarch64-unknown-linux-gnu"]
        );
        assert_eq!(nearest("matirx", ["matrix", "check"], 3), ["matrix"]);
        assert_eq!(nearest("expl", ["matrix", "explain"], 3), ["explain"]);
    }
}
