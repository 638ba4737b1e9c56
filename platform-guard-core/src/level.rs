//! Support levels and architecture naming.

use std::fmt;
use std::str::FromStr;

use crate::const_text::same;
use crate::error::Error;

/// How well a platform is supported, ordered from most to least support:
/// `Stable < Experimental < Unstable < Unsupported`.
///
/// The lowercase names (`"stable"`, ...) are the wire form everywhere: in the
/// `platform_support` cfg, in `PLATFORM_GUARD_DENY`, in manifests and in the
/// command line's output.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::Level;
///
/// let level: Level = "unstable".parse()?;
/// assert!(level > Level::Experimental && level.refuses_to_run());
/// assert_eq!(level.to_string(), "unstable");
/// assert!("Unstable".parse::<Level>().is_err());
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Fully supported: maintained, built and tested in CI.
    Stable,
    /// Works in practice but does not fully conform to the stable policy.
    Experimental,
    /// Lightly tested, less than experimental.
    Unstable,
    /// Not supported at all: every platform no rule names.
    Unsupported,
}

impl Level {
    /// Every level, from most to least supported.
    pub const ALL: [Level; 4] = [
        Level::Stable,
        Level::Experimental,
        Level::Unstable,
        Level::Unsupported,
    ];

    /// The lowercase wire name: `"stable"`, `"experimental"`, `"unstable"`
    /// or `"unsupported"`.
    #[inline]
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Stable => "stable",
            Level::Experimental => "experimental",
            Level::Unstable => "unstable",
            Level::Unsupported => "unsupported",
        }
    }

    /// Whether a program refuses to run at this level unless the override
    /// variable is set (true for `Unstable` and `Unsupported`, as in etcd).
    #[inline]
    pub const fn refuses_to_run(self) -> bool {
        matches!(self, Level::Unstable | Level::Unsupported)
    }

    /// The level as a "Supported systems" page writes a platform's status,
    /// capitalised as etcd's table does: `"Stable"`, `"Experimental"`,
    /// `"Unstable"` or `"Unsupported"`.
    #[inline]
    pub const fn title(self) -> &'static str {
        match self {
            Level::Stable => "Stable",
            Level::Experimental => "Experimental",
            Level::Unstable => "Unstable",
            Level::Unsupported => "Unsupported",
        }
    }

    /// The level's one-sentence definition, in etcd's words where its
    /// "Supported systems" page has them (experimental, unstable, and
    /// unlisted pairs as unsupported), used in documents.
    #[inline]
    pub const fn definition(self) -> &'static str {
        match self {
            Level::Stable => "Stable platforms are maintained, built and tested in CI.",
            Level::Experimental => {
                "Experimental platforms appear to work in practice and have some platform \
                 specific code, but do not fully conform to the stable support policy."
            }
            Level::Unstable => {
                "Unstable platforms have been lightly tested, but less than experimental."
            }
            Level::Unsupported => "Unsupported platforms are not supported at all; caveat emptor.",
        }
    }

    /// Parses a wire name in a `const` context (used by the runtime macros,
    /// which read the level from a compile-time environment variable).
    #[inline]
    pub(crate) const fn from_wire(name: &str) -> Option<Level> {
        let mut i = 0;
        while i < Level::ALL.len() {
            if same(name, Level::ALL[i].as_str()) {
                return Some(Level::ALL[i]);
            }
            i += 1;
        }
        None
    }
}

impl fmt::Display for Level {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = Error;

    /// Accepts exactly the lowercase wire names.
    #[inline]
    fn from_str(s: &str) -> Result<Level, Error> {
        Level::from_wire(s).ok_or_else(|| Error::unknown_level(s))
    }
}

/// Which names the override variable's value uses for architectures.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ArchNames {
    /// Rust's `target_arch` value: `x86_64`, `x86`, `aarch64`, ...
    #[default]
    Rust,
    /// Go's `GOARCH` names, as etcd's `ETCD_UNSUPPORTED_ARCH` expects:
    /// `amd64`, `386`, `arm64`, `ppc64le`, ... Architectures Go has no name
    /// for keep Rust's `target_arch` value.
    Go,
}

impl ArchNames {
    /// `"rust"` or `"go"`.
    #[inline]
    pub const fn as_str(self) -> &'static str {
        match self {
            ArchNames::Rust => "rust",
            ArchNames::Go => "go",
        }
    }

    /// Whose names these are, for documents: ``"Rust's `target_arch`"`` or
    /// ``"Go's `GOARCH`"``.
    #[inline]
    pub const fn describe(self) -> &'static str {
        match self {
            ArchNames::Rust => "Rust's `target_arch`",
            ArchNames::Go => "Go's `GOARCH`",
        }
    }
}

impl fmt::Display for ArchNames {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ArchNames {
    type Err = Error;

    #[inline]
    fn from_str(s: &str) -> Result<ArchNames, Error> {
        match s {
            "rust" => Ok(ArchNames::Rust),
            "go" => Ok(ArchNames::Go),
            _ => Err(Error::unknown_arch_names(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_by_decreasing_support() {
        assert!(Level::Stable < Level::Experimental);
        assert!(Level::Experimental < Level::Unstable);
        assert!(Level::Unstable < Level::Unsupported);
        let mut shuffled = [
            Level::Unsupported,
            Level::Stable,
            Level::Unstable,
            Level::Experimental,
        ];
        shuffled.sort();
        assert_eq!(shuffled, Level::ALL);
    }

    #[test]
    fn wire_names_round_trip() {
        for level in Level::ALL {
            assert_eq!(level.as_str().parse::<Level>().unwrap(), level);
            assert_eq!(level.to_string(), level.as_str());
        }
    }

    #[test]
    fn unknown_level_names_the_input_and_the_choices() {
        let err = "Stable".parse::<Level>().unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::UnknownLevel);
        assert_eq!(
            err.to_string(),
            "unknown support level \"Stable\": expected one of stable, experimental, \
             unstable, unsupported (lowercase)"
        );
        assert!("".parse::<Level>().is_err());
        assert!("stable ".parse::<Level>().is_err());
    }

    #[test]
    fn titles_and_descriptions_cover_every_value() {
        assert_eq!(
            Level::ALL.map(Level::title),
            ["Stable", "Experimental", "Unstable", "Unsupported"]
        );
        for level in Level::ALL {
            assert!(level.title().eq_ignore_ascii_case(level.as_str()));
        }
        assert_eq!(ArchNames::Go.describe(), "Go's `GOARCH`");
        assert_eq!(ArchNames::Rust.describe(), "Rust's `target_arch`");
    }

    #[test]
    fn only_unstable_and_unsupported_refuse() {
        assert!(!Level::Stable.refuses_to_run());
        assert!(!Level::Experimental.refuses_to_run());
        assert!(Level::Unstable.refuses_to_run());
        assert!(Level::Unsupported.refuses_to_run());
    }

    #[test]
    fn arch_names_parse() {
        assert_eq!("go".parse::<ArchNames>().unwrap(), ArchNames::Go);
        assert_eq!("rust".parse::<ArchNames>().unwrap(), ArchNames::Rust);
        let err = "Go".parse::<ArchNames>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown architecture naming \"Go\": expected \"rust\" or \"go\""
        );
    }
}
