//! "Did you mean": the edit distance behind the suggestions of the rule
//! checker (misspelt cfg names and values) and the manifest reader (unknown
//! keys).

/// Levenshtein distance over characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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

/// The known word closest to `word`, if it is close enough to be a typo:
/// one edit for words of up to five characters, two for longer ones; ties
/// go to the first in the list.
pub(crate) fn nearest(word: &str, known: &[&'static str]) -> Option<&'static str> {
    let limit = if word.chars().count() <= 5 { 1 } else { 2 };
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, k)| *d <= limit && !k.is_empty())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
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
    }

    #[test]
    fn nearest_allows_more_edits_in_longer_words() {
        let known = ["unix", "rules", "target_os", "ci"];
        assert_eq!(nearest("unixx", &known), Some("unix"));
        assert_eq!(nearest("rulez", &known), Some("rules"));
        assert_eq!(nearest("targt_oss", &known), Some("target_os"));
        assert_eq!(nearest("k\r", &known), None);
        assert_eq!(nearest("uix", &known), Some("unix"));
        assert_eq!(nearest("ux", &known), None);
    }
}
