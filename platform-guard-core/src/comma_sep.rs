//! `CommaSep`: a list written `a, b, c`, for messages and canonical text
//! (so no message writes its own joining loop).

use std::fmt;

/// Writes the items separated by `, `.
pub(crate) struct CommaSep<'a, T>(pub(crate) &'a [T]);

impl<T: fmt::Display> fmt::Display for CommaSep<'_, T> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            fmt::Display::fmt(item, f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_with_comma_and_space() {
        assert_eq!(CommaSep::<u8>(&[]).to_string(), "");
        assert_eq!(CommaSep(&["a"]).to_string(), "a");
        assert_eq!(CommaSep(&[1, 2, 3]).to_string(), "1, 2, 3");
    }
}
