//! A rule's floors: the oldest system its platforms' programs must still
//! run on (feature `policy`). A rule says `glibc = "2.28"`, `macos =
//! "11.0"`, `windows = "6.1"` or `x86-64 = "v2"` in the manifest table, or
//! `.floor(Floor::Glibc, "2.28")` in build.rs; `cargo platform-guard
//! inspect` holds each shipped file of the rule's targets to them: a
//! program that needs a newer glibc symbol version, a newer macOS or
//! Windows, or a CPU feature beyond the x86-64 level is an error naming
//! what raised it.
//!
//! The build itself does not check floors: what a program needs is only
//! known once it is linked.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::{Detail, Error};

/// What a floor bounds.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::Floor;
///
/// assert_eq!("x86-64".parse::<Floor>()?, Floor::X86_64);
/// assert_eq!(Floor::Glibc.key(), "glibc");
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Floor {
    /// The GNU C library: the newest `GLIBC_x.y` symbol version a program
    /// may need (from its `.gnu.version_r`).
    Glibc,
    /// macOS: the newest minimum version a program may state
    /// (`LC_BUILD_VERSION`'s `minos`, or `LC_VERSION_MIN_MACOSX`).
    Macos,
    /// Windows: the newest version a program's PE optional header may ask
    /// for (the greater of its operating system and subsystem versions).
    Windows,
    /// The x86-64 microarchitecture level (`v1` to `v4`) whose CPUs must
    /// run the program: no CPU feature beyond it (from the program's
    /// platform-guard record).
    X86_64,
}

impl Floor {
    /// Every floor, in the order documents list them.
    pub const ALL: [Floor; 4] = [Floor::Glibc, Floor::Macos, Floor::Windows, Floor::X86_64];

    /// The key in a manifest rule: `glibc`, `macos`, `windows`, `x86-64`.
    pub const fn key(self) -> &'static str {
        match self {
            Floor::Glibc => "glibc",
            Floor::Macos => "macos",
            Floor::Windows => "windows",
            Floor::X86_64 => "x86-64",
        }
    }

    /// An example of its value, for messages: `"2.28"`, `"11.0"`,
    /// `"10.0"`, `"v2"`.
    pub const fn example(self) -> &'static str {
        match self {
            Floor::Glibc => "2.28",
            Floor::Macos => "11.0",
            Floor::Windows => "10.0",
            Floor::X86_64 => "v2",
        }
    }

    /// Reads a value of this floor: a version of one to three numbers
    /// (`2.28`, `11`, `10.15.7`), or for `x86-64` a level `v1` to `v4`
    /// (`x86-64-v3` too).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::Floor;
    ///
    /// let v = Floor::Glibc.parse_version("2.28")?;
    /// assert!(v < Floor::Glibc.parse_version("2.34")?);
    /// assert_eq!(Floor::X86_64.parse_version("x86-64-v3")?.to_string(), "v3");
    /// assert!(Floor::X86_64.parse_version("v5").is_err());
    /// # Ok::<(), platform_guard::Error>(())
    /// ```
    pub fn parse_version(self, text: &str) -> Result<FloorVersion, Error> {
        let bad = || {
            Error::new(Detail::InvalidFloor {
                floor: self,
                text: text.to_string(),
            })
        };
        if self == Floor::X86_64 {
            let level = text.strip_prefix("x86-64-").unwrap_or(text);
            return match level {
                "v1" | "v2" | "v3" | "v4" => Ok(FloorVersion {
                    floor: self,
                    parts: [u32::from(level.as_bytes()[1] - b'0'), 0, 0],
                    len: 1,
                }),
                _ => Err(bad()),
            };
        }
        let mut parts = [0u32; 3];
        let mut len = 0;
        for piece in text.split('.') {
            let ok =
                !piece.is_empty() && piece.len() <= 6 && piece.bytes().all(|b| b.is_ascii_digit());
            if !ok || len == parts.len() {
                return Err(bad());
            }
            parts[len] = piece.parse().map_err(|_| bad())?;
            len += 1;
        }
        Ok(FloorVersion {
            floor: self,
            parts,
            len,
        })
    }
}

impl fmt::Display for Floor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Floor {
    type Err = Error;

    fn from_str(s: &str) -> Result<Floor, Error> {
        Floor::ALL
            .iter()
            .copied()
            .find(|f| f.key() == s)
            .ok_or_else(|| Error::new(Detail::UnknownFloor(s.to_string())))
    }
}

/// A floor's value: a version (`2.28`), or an x86-64 level (`v2`).
/// Versions compare number by number, a missing number being 0 (`11` =
/// `11.0`); `Display` writes it as given.
#[derive(Debug, Clone, Copy)]
pub struct FloorVersion {
    floor: Floor,
    parts: [u32; 3],
    len: usize,
}

impl FloorVersion {
    /// The floor it is a value of.
    pub fn floor(&self) -> Floor {
        self.floor
    }

    /// Its numbers, as given (`[2, 28]`; an x86-64 level is one number).
    pub fn numbers(&self) -> &[u32] {
        &self.parts[..self.len]
    }
}

impl PartialEq for FloorVersion {
    fn eq(&self, other: &FloorVersion) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for FloorVersion {}

impl PartialOrd for FloorVersion {
    fn partial_cmp(&self, other: &FloorVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FloorVersion {
    /// By floor, then number by number.
    fn cmp(&self, other: &FloorVersion) -> Ordering {
        let key = |f: Floor| Floor::ALL.iter().position(|&a| a == f);
        key(self.floor)
            .cmp(&key(other.floor))
            .then(self.parts.cmp(&other.parts))
    }
}

impl fmt::Display for FloorVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.floor == Floor::X86_64 {
            return write!(f, "v{}", self.parts[0]);
        }
        for (i, n) in self.numbers().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{}", n)?;
        }
        Ok(())
    }
}

/// The CPU features an x86-64 level (1 to 4) includes beyond the
/// architecture's baseline, among those stable Rust reports in
/// `cfg(target_feature)` (the levels as LLVM and rustc define
/// `-C target-cpu=x86-64-vN`); empty for level 1.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// let v2 = platform_guard::x86_64_level_features(2);
/// assert!(v2.contains(&"popcnt") && !v2.contains(&"avx2"));
/// assert!(platform_guard::x86_64_level_features(4).contains(&"avx512f"));
/// ```
pub fn x86_64_level_features(level: u32) -> Vec<&'static str> {
    crate::cpu::table::X86_64_LEVELS
        .iter()
        .take((level as usize).saturating_sub(1))
        .flat_map(|(_, names, _)| names.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_number_by_number() {
        let v = |t: &str| Floor::Glibc.parse_version(t).unwrap();
        assert!(v("2.9") < v("2.28"));
        assert_eq!(v("11"), v("11.0"));
        assert_eq!(v("2.28").to_string(), "2.28");
        assert_eq!(v("10.15.7").numbers(), [10, 15, 7]);
        for bad in ["", "2.", ".2", "2.x", "1.2.3.4", "v2", "-1", "1234567"] {
            let e = Floor::Glibc.parse_version(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidPolicy, "{:?}", bad);
            assert!(e.to_string().contains("expected"), "{}", e);
        }
        assert_eq!(
            Floor::Macos
                .parse_version("eleven")
                .unwrap_err()
                .to_string(),
            "macos floor \"eleven\": expected a version of one to three numbers such as \"11.0\""
        );
        assert_eq!(
            Floor::X86_64.parse_version("v5").unwrap_err().to_string(),
            "x86-64 floor \"v5\": expected a level v1, v2, v3 or v4 (or x86-64-v2, ...)"
        );
    }

    #[test]
    fn levels_add_up() {
        assert!(x86_64_level_features(1).is_empty());
        assert_eq!(x86_64_level_features(2).len(), 6);
        assert_eq!(x86_64_level_features(3).len(), 15);
        assert_eq!(x86_64_level_features(4).len(), 20);
        assert_eq!(x86_64_level_features(9).len(), 20);
        assert_eq!(
            "glibcc".parse::<Floor>().unwrap_err().to_string(),
            "unknown floor \"glibcc\": expected one of glibc, macos, windows, x86-64"
        );
    }
}
