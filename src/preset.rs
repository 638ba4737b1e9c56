//! The built-in policies: one place to add one. The manifest reader
//! (`preset = "..."`) and the command line (`--preset ...`) parse and list
//! presets through [`Preset`] only.

use std::fmt;
use std::str::FromStr;

use crate::error::{Detail, Error};
use crate::level::{ArchNames, Level};
use crate::policy::Policy;
use crate::zero_setup;

/// A built-in policy.
///
/// ```
/// use platform_guard::{Level, Preset};
///
/// let preset: Preset = "etcd".parse()?;
/// assert_eq!(preset, Preset::Etcd);
/// let policy = preset.policy(preset.override_var().unwrap());
/// assert_eq!(policy.override_var(), "ETCD_UNSUPPORTED_ARCH");
/// assert_eq!(policy.rules()[1].level(), Level::Stable);
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// The seed's policy, etcd v3.3 "Supported systems": amd64 Darwin
    /// experimental, amd64 Linux stable, ppc64le Linux stable, everything
    /// else unsupported; `ETCD_UNSUPPORTED_ARCH` with Go's architecture
    /// names.
    Etcd,
    /// The policy used when nothing else is stated (zero-setup mode): stable
    /// for 64-bit `x86_64`/`aarch64` on Linux, macOS or Windows;
    /// experimental for any other 64-bit target; unsupported for 32- and
    /// 16-bit targets. Rust's architecture names.
    Default,
}

/// The seed's note on 32-bit systems.
const ETCD_KNOWN_ISSUES: &[&str] = &[
    "etcd has known issues on 32-bit systems due to a bug in the \
                                      Go runtime. See the Go issue and atomic package for more \
                                      information.",
];

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 2] = [Preset::Etcd, Preset::Default];

    /// The name used in manifests and on the command line: `"etcd"`,
    /// `"default"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Preset::Etcd => "etcd",
            Preset::Default => "default",
        }
    }

    /// The override variable the preset itself names (`ETCD_UNSUPPORTED_ARCH`
    /// for etcd), or `None` when a package's own name decides it
    /// ([`package_override_var`](crate::package_override_var)).
    pub const fn override_var(self) -> Option<&'static str> {
        match self {
            Preset::Etcd => Some("ETCD_UNSUPPORTED_ARCH"),
            Preset::Default => None,
        }
    }

    /// The naming of the override variable's value.
    pub const fn arch_names(self) -> ArchNames {
        match self {
            Preset::Etcd => ArchNames::Go,
            Preset::Default => ArchNames::Rust,
        }
    }

    /// The project whose policy this is, for documents (`"etcd"`), if any.
    pub const fn project(self) -> Option<&'static str> {
        match self {
            Preset::Etcd => Some("etcd"),
            Preset::Default => None,
        }
    }

    /// Known issues the preset's own document states.
    pub const fn known_issues(self) -> &'static [&'static str] {
        match self {
            Preset::Etcd => ETCD_KNOWN_ISSUES,
            Preset::Default => &[],
        }
    }

    /// The preset's policy, with `override_var` as its override variable.
    pub fn policy(self, override_var: &str) -> Policy {
        let policy = Policy::new(override_var).arch_names(self.arch_names());
        match self {
            // "amd64" and "ppc64le" are 64-bit: a target whose
            // `target_pointer_width` is 32 (`x86_64-unknown-linux-gnux32`)
            // does not match.
            Preset::Etcd => policy
                .experimental(
                    r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "macos")"#,
                )
                .maintainers("etcd maintainers")
                .stable(
                    r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux")"#,
                )
                .maintainers("etcd maintainers")
                .stable(
                    r#"all(target_arch = "powerpc64", target_endian = "little", target_pointer_width = "64", target_os = "linux")"#,
                )
                .maintainers("etcd maintainers, @mkumatag"),
            // The same rules platform-guard's own build script evaluates
            // by hand in zero-setup mode.
            Preset::Default => zero_setup::RULES.iter().fold(policy, |p, rule| {
                let level = Level::from_wire(rule.level).unwrap_or(Level::Unsupported);
                p.rule(level, rule.cfg).note(rule.note)
            }),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Preset {
    type Err = Error;

    fn from_str(s: &str) -> Result<Preset, Error> {
        Preset::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| Error::new(Detail::UnknownPreset(s.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_presets() {
        for p in Preset::ALL {
            assert_eq!(p.as_str().parse::<Preset>().unwrap(), p);
            assert_eq!(p.to_string(), p.as_str());
            p.policy("X_ARCH").validate().unwrap();
        }
        let e = "Etcd".parse::<Preset>().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownPreset);
        assert_eq!(
            e.to_string(),
            "unknown preset \"Etcd\": expected one of \"etcd\", \"default\""
        );
    }

    #[test]
    fn the_default_preset_is_the_zero_setup_rules() {
        let p = Preset::Default.policy("X_ARCH");
        assert_eq!(p.rules().len(), zero_setup::RULES.len());
        for (rule, data) in p.rules().iter().zip(zero_setup::RULES.iter()) {
            assert_eq!(rule.level().as_str(), data.level);
            // Canonical text: it parses back to itself.
            assert_eq!(rule.cfg().to_string(), data.cfg);
            assert_eq!(rule.note(), Some(data.note));
        }
    }
}
