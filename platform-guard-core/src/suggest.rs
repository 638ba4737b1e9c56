//! "Did you mean": the nearest known names to a mistyped one, for every
//! suggestion the library and `cargo platform-guard` make (misspelt cfg
//! names and values, unknown manifest keys, target triples, subcommands,
//! package names).
//!
//! A known name is near when it is within a typo's edit distance of the
//! given one, starts with it, or holds all of its `-`/`_`-separated parts
//! in order. The typo distance is the Rust compiler's own for its "did you
//! mean" hints: a third of the name's length, at least one edit
//! (`max(len, 3) / 3`), where swapping two neighbouring characters is one
//! edit. One edit for names of up to five characters keeps
//! short cfg values apart (`arm` is not a typo of `avr`, nor `ux` of
//! `unix`); a third of the length lets a long target triple carry the
//! several slips a long name collects.
//!
//! ```
//! # extern crate platform_guard_core as platform_guard;
//! use platform_guard::suggest::{did_you_mean, nearest};
//!
//! assert_eq!(nearest("linx", ["linux", "macos"], 3), ["linux"]);
//! assert_eq!(
//!     nearest("powerpc64le-linux", ["powerpc64le-unknown-linux-gnu"], 3),
//!     ["powerpc64le-unknown-linux-gnu"]
//! );
//! assert_eq!(
//!     did_you_mean("matirx", ["matrix", "check"]).as_deref(),
//!     Some("did you mean matrix?")
//! );
//! assert_eq!(did_you_mean("zzz", ["matrix", "check"]), None);
//! ```

/// The edit distance between two names, over characters: the fewest
/// insertions, deletions, substitutions and swaps of two adjacent
/// characters that turn `a` into `b` (the restricted Damerau-Levenshtein
/// distance rustc's hints use, so `jsno` is one edit from `json`).
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::suggest::edit_distance;
///
/// assert_eq!(edit_distance("kitten", "sitting"), 3);
/// assert_eq!(edit_distance("jsno", "json"), 1);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: for a[..i-1], a[..i] and a[..i+1].
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 0..a.len() {
        row[0] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut d = (last[j] + cost).min(last[j + 1] + 1).min(row[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(before[j - 1] + 1);
            }
            row[j + 1] = d;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    last[b.len()]
}

/// The most edits a typo of `name` is taken to have: a third of its length
/// in characters, at least one (rustc's rule for its "did you mean").
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::suggest::typo_limit;
///
/// assert_eq!(typo_limit("unix"), 1);
/// assert_eq!(typo_limit("target_os"), 3);
/// ```
pub fn typo_limit(name: &str) -> usize {
    name.chars().count().max(3) / 3
}

/// The known names nearest to `name`, best first (fewest edits, then in
/// the order of `known`), at most `max`: names within [`typo_limit`]
/// edits, names that start with `name` (three characters or more), and
/// names that hold all of its `-`/`_`-separated parts, two or more, in
/// order (`powerpc64le-linux` finds `powerpc64le-unknown-linux-gnu`).
/// `name` itself and empty names are never suggested.
pub fn nearest<'a, I>(name: &str, known: I, max: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = typo_limit(name);
    let parts: Vec<&str> = name.split(['-', '_']).filter(|p| !p.is_empty()).collect();
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (order, k) in known.into_iter().enumerate() {
        if k.is_empty() || k == name || scored.iter().any(|(_, _, s)| *s == k) {
            continue;
        }
        let d = edit_distance(name, k);
        let near = d <= limit
            || (name.chars().count() >= 3 && k.starts_with(name))
            || holds_parts(k, &parts);
        if near {
            scored.push((d, order, k));
        }
    }
    scored.sort_unstable();
    scored.into_iter().take(max).map(|(_, _, k)| k).collect()
}

/// Whether `known`'s parts include `parts`, in order (two or more).
fn holds_parts(known: &str, parts: &[&str]) -> bool {
    let mut mine = known.split(['-', '_']);
    parts.len() > 1 && parts.iter().all(|p| mine.any(|m| m == *p))
}

/// `did you mean a, b?` naming the (at most three) [`nearest`] names, or
/// `None` when none is near.
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

/// The one nearest name, for a message that suggests one.
pub(crate) fn nearest_one(name: &str, known: &[&'static str]) -> Option<&'static str> {
    nearest(name, known.iter().copied(), 1).pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("abc", "abd"), 1);
        assert_eq!(edit_distance("abc", "ab"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        // A swap of neighbours is one edit (Levenshtein counted two).
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("jsno", "json"), 1);
        assert_eq!(edit_distance("tagret", "target"), 1);
        // Restricted: a swapped pair is not edited again.
        assert_eq!(edit_distance("ca", "abc"), 3);
        assert_eq!(edit_distance("linüx", "linxü"), 1);
    }

    #[test]
    fn one_threshold_a_third_of_the_length_at_least_one() {
        // Short names: one edit (the library's old threshold; the command's
        // allowed two, which made any two-letter word a typo of any other).
        assert_eq!(typo_limit(""), 1);
        assert_eq!(typo_limit("ux"), 1);
        assert_eq!(typo_limit("unixx"), 1);
        // Then a third of the length: two edits at six characters (both
        // old thresholds), three at nine (the library's stopped at two).
        assert_eq!(typo_limit("matirx"), 2);
        assert_eq!(typo_limit("targt_oss"), 3);
        assert_eq!(typo_limit("x86_64-unknown-linux-gun"), 8);
    }

    #[test]
    fn nearest_allows_more_edits_in_longer_words() {
        let known = ["unix", "rules", "target_os", "ci"];
        assert_eq!(nearest_one("unixx", &known), Some("unix"));
        assert_eq!(nearest_one("rulez", &known), Some("rules"));
        assert_eq!(nearest_one("targt_oss", &known), Some("target_os"));
        // Three edits in nine characters: the library's old limit of two
        // missed it.
        assert_eq!(nearest_one("trget_sos", &known), Some("target_os"));
        assert_eq!(nearest_one("k\r", &known), None);
        assert_eq!(nearest_one("uix", &known), Some("unix"));
        assert_eq!(nearest_one("ux", &known), None);
        // Two edits in a word of up to five characters are not a typo:
        // the command's old limit of two suggested both of these.
        assert!(nearest("ux", ["unix", "ci"], 3).is_empty());
        assert!(nearest("arm", ["avr"], 3).is_empty());
        assert_eq!(nearest("arm", ["arm64ec", "avr"], 3), ["arm64ec"]);
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
        assert_eq!(nearest("jsno", ["table", "json"], 3), ["json"]);
        assert_eq!(nearest("expl", ["matrix", "explain"], 3), ["explain"]);
        // Ties keep the order of `known`; a name twice is suggested once.
        assert_eq!(nearest("ab", ["ac", "ab", "ad", "ac"], 3), ["ac", "ad"]);
    }

    #[test]
    fn did_you_mean_names_at_most_three() {
        assert_eq!(
            did_you_mean("a", ["b", "c", "d", "e"]).as_deref(),
            Some("did you mean b, c, d?")
        );
        assert_eq!(did_you_mean("a", [""]), None);
    }
}
