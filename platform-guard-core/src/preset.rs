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
/// # extern crate platform_guard_core as platform_guard;
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
    /// etcd's policy, etcd v3.3 "Supported systems": amd64 Darwin
    /// experimental, amd64 Linux stable, ppc64le Linux stable, everything
    /// else unsupported; `ETCD_UNSUPPORTED_ARCH` with Go's architecture
    /// names.
    ///
    /// **Which triples.** "amd64" and "ppc64le" are 64-bit:
    /// `target_pointer_width = "64"` keeps out
    /// `x86_64-unknown-linux-gnux32`. "Linux" in etcd's table is Go's
    /// `linux`: a Linux userland with glibc or musl, the systems an etcd
    /// release runs on. In Rust's terms that is `target_os = "linux"` with
    /// `target_env` `gnu` or `musl` and the `unknown` vendor, so the stable
    /// triples are `x86_64-unknown-linux-gnu`, `x86_64-unknown-linux-musl`,
    /// `powerpc64le-unknown-linux-gnu` and `powerpc64le-unknown-linux-musl`
    /// (and the sanitizer builds below). The other `target_os = "linux"`
    /// triples of these architectures are other platforms, unsupported:
    ///
    /// - `x86_64-unknown-linux-ohos` (`target_env = "ohos"`): OpenHarmony,
    ///   an operating system with its own userland and ABI on a Linux
    ///   kernel;
    /// - `x86_64-unikraft-linux-musl` (`target_vendor = "unikraft"`): the
    ///   Unikraft unikernel, which offers Linux's system-call ABI without
    ///   being Linux;
    /// - `x86_64-unknown-linux-none` (`target_env = ""`): Linux without a
    ///   libc, for programs without `std`.
    ///
    /// The vendor is named (`unknown`, the vendor of every general-purpose
    /// Linux triple) rather than `unikraft` excluded: a triple with a vendor
    /// of its own is a platform of its own, so one a later rustc adds is
    /// unsupported until someone decides otherwise, never stable by
    /// accident.
    ///
    /// `x86_64-unknown-linux-gnuasan` is `x86_64-unknown-linux-gnu` built
    /// with AddressSanitizer: a glibc Linux userland, and on stable Rust its
    /// `rustc --print cfg` is the gnu target's exactly, so no cfg rule can
    /// tell them apart. It is stable, as Go's `go build -asan` for
    /// `linux/amd64` is still `linux/amd64`; so are nightly's MemorySanitizer
    /// and ThreadSanitizer builds (`-gnumsan`, `-gnutsan`).
    /// `cargo platform-guard matrix --format github` lists the gnu target
    /// and leaves its sanitizer builds out (one job per platform).
    ///
    /// A test holds the preset to these lists over every target the
    /// installed rustc knows, so a target a new rustc adds is noticed.
    Etcd,
    /// The policy used when nothing else is stated (zero-setup mode): stable
    /// for 64-bit `x86_64`/`aarch64` on Linux, macOS or Windows;
    /// experimental for any other 64-bit target; unsupported for 32- and
    /// 16-bit targets. Rust's architecture names.
    Default,
}

/// etcd's note on 32-bit systems.
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
            // does not match. "Linux" is a Linux userland with glibc or
            // musl (see `Preset::Etcd`).
            Preset::Etcd => policy
                .experimental(
                    r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "macos")"#,
                )
                .maintainers("etcd maintainers")
                .stable(
                    r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")"#,
                )
                .maintainers("etcd maintainers")
                .stable(
                    r#"all(target_arch = "powerpc64", target_endian = "little", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")"#,
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

    /// The triples the etcd preset makes stable and experimental (see
    /// [`Preset::Etcd`]); every other target is unsupported. Triples this
    /// rustc does not know are skipped; a target it knows and these lists
    /// do not name fails the test, so a new rustc's targets are looked at.
    const ETCD_STABLE: &[&str] = &[
        "powerpc64le-unknown-linux-gnu",
        "powerpc64le-unknown-linux-musl",
        "x86_64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        // x86_64-unknown-linux-gnu with a sanitizer: the same cfg.
        "x86_64-unknown-linux-gnuasan",
        "x86_64-unknown-linux-gnumsan",
        "x86_64-unknown-linux-gnutsan",
    ];
    const ETCD_EXPERIMENTAL: &[&str] = &["x86_64-apple-darwin", "x86_64h-apple-darwin"];
    /// `target_os = "linux"` triples of etcd's architectures that are other
    /// platforms (unsupported).
    const ETCD_NOT_LINUX: &[&str] = &[
        "x86_64-unknown-linux-ohos",
        "x86_64-unikraft-linux-musl",
        "x86_64-unknown-linux-none",
        "x86_64-unknown-linux-gnux32",
    ];

    #[test]
    fn the_etcd_preset_over_every_target_rustc_knows() {
        let etcd = Preset::Etcd.policy("ETCD_UNSUPPORTED_ARCH");
        etcd.validate().unwrap();
        assert!(etcd.warnings().is_empty(), "{:?}", etcd.warnings());
        let mut seen = Vec::new();
        for (triple, text) in crate::testing::every_target() {
            let cfg = crate::TargetCfg::from_rustc_cfg(&triple, &text).unwrap();
            let want = if ETCD_STABLE.contains(&triple.as_str()) {
                Level::Stable
            } else if ETCD_EXPERIMENTAL.contains(&triple.as_str()) {
                Level::Experimental
            } else {
                Level::Unsupported
            };
            assert_eq!(etcd.classify(&cfg).level(), want, "{}", triple);
            if ETCD_NOT_LINUX.contains(&triple.as_str()) {
                assert_eq!(cfg.os(), Some("linux"), "{}", triple);
                assert_eq!(want, Level::Unsupported, "{}", triple);
            }
            seen.push(triple);
        }
        // The lists name real targets: the ones every rustc since 1.63 has.
        for triple in [
            "x86_64-unknown-linux-gnu",
            "x86_64-unknown-linux-musl",
            "powerpc64le-unknown-linux-gnu",
            "x86_64-apple-darwin",
            "x86_64-unknown-linux-gnux32",
        ] {
            assert!(seen.iter().any(|t| t == triple), "{}", triple);
        }
    }

    /// Why the sanitizer builds are stable: on stable Rust no cfg tells
    /// them from their base target (nightly adds `sanitize = "address"`,
    /// an unstable cfg).
    #[test]
    fn the_sanitizer_builds_have_the_cfg_of_the_gnu_target() {
        let all = crate::testing::every_target();
        let cfg = |triple: &str| {
            all.iter().find(|(t, _)| t == triple).map(|(_, text)| {
                text.lines()
                    .filter(|l| !l.starts_with("sanitize="))
                    .collect::<Vec<_>>()
            })
        };
        let gnu = cfg("x86_64-unknown-linux-gnu").unwrap();
        for variant in &ETCD_STABLE[4..] {
            if let Some(lines) = cfg(variant) {
                assert_eq!(lines, gnu, "{}", variant);
            }
        }
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
