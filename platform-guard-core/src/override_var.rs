//! The override variable: which names are valid, the name a package without
//! a policy of its own gets (`<PACKAGE>_UNSUPPORTED_ARCH`), and what the
//! variable's value says compared with the one expected.

use std::ffi::OsStr;
use std::fmt;

#[cfg(feature = "policy")]
use crate::error::{Detail, Error};

use crate::zero_setup::VAR_SUFFIX;

/// The override variable of a package that states no policy of its own
/// (zero-setup mode, or a manifest table without `override-var`):
/// `<PACKAGE>_UNSUPPORTED_ARCH`, with the package name's ASCII letters
/// upper-cased, its ASCII digits kept and every other character (`-`, a
/// non-ASCII letter) written as `_`, so the name follows the rule every
/// override variable follows (upper-case ASCII letters, digits and `_`).
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// assert_eq!(platform_guard::package_override_var("my-app"), "MY_APP_UNSUPPORTED_ARCH");
/// assert_eq!(platform_guard::package_override_var("größe"), "GR__E_UNSUPPORTED_ARCH");
/// ```
#[inline]
pub fn package_override_var(package: &str) -> String {
    let mut name: String = package.chars().map(var_char).collect();
    name.push_str(VAR_SUFFIX);
    name
}

#[inline]
fn var_char(c: char) -> char {
    if c.is_ascii_alphanumeric() {
        c.to_ascii_uppercase()
    } else {
        '_'
    }
}

/// An override variable name: `[A-Z_][A-Z0-9_]*`. Lower case is refused
/// because Windows compares variable names case-insensitively, so a
/// lower-case name would not mean the same thing everywhere.
#[cfg(feature = "policy")]
pub(crate) fn check_name(name: &str) -> Result<(), Error> {
    let ok = name
        .bytes()
        .next()
        .map_or(false, |b| b.is_ascii_uppercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::new(Detail::InvalidVarName(name.to_string())))
    }
}

/// What the override variable held, compared with what was expected:
/// exactly, case-sensitively, with no trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Override {
    Unset,
    Exact,
    Wrong(String),
    NotUnicode(String),
}

impl Override {
    /// Compares `value` (as read from an environment) with `expected`.
    #[inline]
    pub(crate) fn read(expected: &str, value: Option<&OsStr>) -> Override {
        match value {
            None => Override::Unset,
            Some(v) => match v.to_str() {
                Some(s) if s == expected => Override::Exact,
                Some(s) => Override::Wrong(s.to_string()),
                None => Override::NotUnicode(v.to_string_lossy().into_owned()),
            },
        }
    }

    /// The value found, when it was set to something else (lossily decoded
    /// when it was not UTF-8).
    #[inline]
    pub(crate) fn found(&self) -> Option<&str> {
        match self {
            Override::Wrong(s) | Override::NotUnicode(s) => Some(s),
            Override::Unset | Override::Exact => None,
        }
    }
}

/// The sentence that tells the operator what to set to `to` ("run",
/// "build") anyway.
pub(crate) struct Instruction<'a> {
    pub(crate) found: &'a Override,
    pub(crate) var: &'a str,
    pub(crate) want: &'a str,
    pub(crate) to: &'static str,
}

impl fmt::Display for Instruction<'_> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (var, want, to) = (self.var, self.want, self.to);
        match self.found {
            Override::Unset | Override::Exact => write!(f, "set {}={} to {} anyway", var, want, to),
            Override::Wrong(found) => write!(
                f,
                "{} is {:?}, but it must be exactly {:?} to {} anyway",
                var, found, want, to
            ),
            Override::NotUnicode(lossy) => write!(
                f,
                "{} is not valid UTF-8 ({:?}), but it must be exactly {:?} to {} anyway",
                var, lossy, want, to
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_become_valid_variable_names() {
        assert_eq!(package_override_var("my-app"), "MY_APP_UNSUPPORTED_ARCH");
        assert_eq!(
            package_override_var("etcd_rs2"),
            "ETCD_RS2_UNSUPPORTED_ARCH"
        );
        assert_eq!(package_override_var("größe"), "GR__E_UNSUPPORTED_ARCH");
        assert_eq!(package_override_var("日本"), "___UNSUPPORTED_ARCH");
    }

    #[cfg(feature = "policy")]
    #[test]
    fn derived_names_are_always_valid_names() {
        for package in ["a", "my-app", "größe", "日本", "x_1-2", "_"] {
            check_name(&package_override_var(package)).unwrap();
        }
        for bad in ["", "1A", "a", "A-B", "A B", "A=B", "Ä"] {
            let e = check_name(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidVarName);
        }
    }

    #[test]
    fn only_the_exact_value_is_exact() {
        assert_eq!(Override::read("386", None), Override::Unset);
        assert_eq!(
            Override::read("386", Some(OsStr::new("386"))),
            Override::Exact
        );
        assert_eq!(
            Override::read("386", Some(OsStr::new(" 386"))),
            Override::Wrong(" 386".to_string())
        );
    }
}
