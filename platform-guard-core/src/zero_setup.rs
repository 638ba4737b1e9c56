//! The default policy as data, and its evaluation by hand.
//!
//! Std-only and self-contained: platform-guard's own build script includes
//! this file (`#[path]`) to classify the crate's own target in zero-setup
//! mode without compiling the policy engine. The engine builds
//! `Preset::Default` from the same [`RULES`], and a test proves
//! [`classify`] equal to the engine's `Policy::classify` on every target
//! rustc knows (`tests/zero_setup.rs`).

/// One rule of the default policy: its level's wire name, its cfg
/// expression in canonical form, and its note.
pub(crate) struct Rule {
    pub(crate) level: &'static str,
    pub(crate) cfg: &'static str,
    #[cfg_attr(not(feature = "policy"), allow(dead_code))]
    pub(crate) note: &'static str,
}

/// The default policy's rules, in order: stable for 64-bit `x86_64` and
/// `aarch64` on Linux, macOS and Windows; experimental for any other 64-bit
/// target; no match (unsupported) for 32- and 16-bit targets.
pub(crate) const RULES: [Rule; 2] = [
    Rule {
        level: "stable",
        cfg: r#"all(target_pointer_width = "64", any(target_arch = "x86_64", target_arch = "aarch64"), any(target_os = "linux", target_os = "macos", target_os = "windows"))"#,
        note: "64-bit x86_64 and aarch64 on Linux, macOS and Windows",
    },
    Rule {
        level: "experimental",
        cfg: r#"target_pointer_width = "64""#,
        note: "any other 64-bit target",
    },
];

/// The level of a target that no rule matches.
pub(crate) const NO_MATCH: &str = "unsupported";

/// The levels' wire names, from most to least supported (`Level::ALL`; a
/// test proves it), for reading `PLATFORM_GUARD_DENY`.
#[cfg_attr(not(all(test, feature = "policy")), allow(dead_code))]
pub(crate) const LEVELS: [&str; 4] = ["stable", "experimental", "unstable", NO_MATCH];

/// The suffix of an override variable a package without a policy of its own
/// reads: `<PACKAGE>_UNSUPPORTED_ARCH`.
pub(crate) const VAR_SUFFIX: &str = "_UNSUPPORTED_ARCH";

/// The index in [`RULES`] of the first rule that a target with these cfg
/// values matches (`None`: no rule matches): [`RULES`]' expressions,
/// evaluated by hand. Cargo sets all three values for every target, so none
/// of them can be a leftover from an enclosing build.
#[cfg_attr(not(all(test, feature = "policy")), allow(dead_code))]
pub(crate) fn classify(arch: &str, os: &str, pointer_width: &str) -> Option<usize> {
    let wide = pointer_width == "64";
    if wide && matches!(arch, "x86_64" | "aarch64") && matches!(os, "linux" | "macos" | "windows") {
        Some(0)
    } else if wide {
        Some(1)
    } else {
        None
    }
}

#[cfg(all(test, feature = "policy"))]
mod tests {
    use super::*;
    use crate::{Level, Policy, TargetCfg};

    /// Platform-guard's own build script decides as the engine's default
    /// policy does, on every target this rustc knows: the same level and the
    /// same rule, from real `rustc --print cfg --target T` output. And every
    /// target has a value for each name in `CARGO_SETS`.
    #[test]
    fn the_build_script_s_classifier_equals_the_default_policy_on_every_target() {
        let policy = Policy::default_policy("X_UNSUPPORTED_ARCH");
        let mut disagreements = Vec::new();
        for (triple, text) in crate::testing::every_target() {
            let cfg = TargetCfg::from_rustc_cfg(&triple, &text).unwrap();
            // Cargo sets a CARGO_CFG_* variable for each of these on every
            // target, so no leftover can stand in for them.
            for name in crate::target::CARGO_SETS {
                if cfg.value(name).is_none() {
                    disagreements.push(format!("{}: rustc prints no {}", triple, name));
                }
            }
            let engine = policy.classify(&cfg);
            let by_hand = classify(cfg.arch(), cfg.os().unwrap(), cfg.pointer_width().unwrap());
            let level = by_hand.map_or(NO_MATCH, |i| RULES[i].level);
            if engine.rule_index() != by_hand || engine.level().as_str() != level {
                disagreements.push(format!(
                    "{}: engine {} {:?}, build script {} {:?}",
                    triple,
                    engine.level(),
                    engine.rule_index(),
                    level,
                    by_hand
                ));
            }
        }
        assert!(disagreements.is_empty(), "{:#?}", disagreements);
        assert_eq!(LEVELS, Level::ALL.map(Level::as_str));
    }
}
