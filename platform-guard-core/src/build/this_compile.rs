//! What the compile the build script runs for is: the target's cfg (from
//! Cargo's `CARGO_CFG_*` values where Cargo sets them for every target,
//! else from the compiler asked as Cargo asks it), with the values Cargo
//! decides per compile (features, debug assertions, panic strategy) as
//! Cargo gives them to build scripts; the values the macros must find again
//! in the compile (`PLATFORM_GUARD_ASSUMED`); and what the build script
//! cannot know, said as warnings.

use super::env::BuildEnv;
use crate::cfg::CfgExpr;
use crate::compile::SEEN;
use crate::error::{Detail, Error, OneLine};
use crate::known::{PER_COMPILE, UNSEEN_FLAGS};
use crate::policy::Policy;
use crate::target::{CompileSettings, TargetCfg, CARGO_SETS};

/// The first Cargo that sets `CARGO_CFG_FEATURE` (always, even empty).
const FEATURE_SINCE: u64 = 85;
/// The first Cargo that sets `CARGO_CFG_DEBUG_ASSERTIONS` from the profile.
const DEBUG_ASSERTIONS_SINCE: u64 = 93;

/// The compile as the guard classifies it.
pub(crate) struct ThisCompile {
    pub(crate) cfg: TargetCfg,
    /// `PLATFORM_GUARD_ASSUMED` (see `src/compile.rs`).
    pub(crate) assumed: String,
    /// What the build script cannot know, one sentence each.
    pub(crate) warnings: Vec<String>,
    /// The variables read that Cargo may not have set for this compile
    /// (one left over from an enclosing build can come and go): the build
    /// script reruns when they change.
    pub(crate) inputs: Vec<String>,
}

/// Whether the guard must ask the compiler: a rule tests a name outside
/// what Cargo sets for every target and what it decides per compile.
pub(crate) fn needs_compiler(policy: &Policy) -> bool {
    policy
        .cfg_names()
        .iter()
        .any(|n| !CARGO_SETS.contains(n) && !PER_COMPILE.contains(n))
}

/// The compile, from Cargo's description of the target (`cargo`, the names
/// Cargo sets for every target), the compiler's (`rustc`, when asked) and
/// the build environment. `rustc_minor` is the toolchain's release (Cargo's
/// is assumed to be the same).
pub(crate) fn describe(
    policy: &Policy,
    env: &BuildEnv,
    cargo: TargetCfg,
    rustc: Option<TargetCfg>,
    rustc_minor: u64,
) -> Result<ThisCompile, Error> {
    let names = policy.cfg_names();
    let tests = |name: &str| names.contains(&name);
    let mut warnings = Vec::new();
    let mut inputs: Vec<String> = names
        .iter()
        .filter(|n| !CARGO_SETS.contains(n) && **n != "feature")
        .map(|n| cfg_var(n))
        .collect();
    let base = match rustc {
        None => cargo,
        Some(rustc) => {
            agree(&cargo, &rustc, env)?;
            for name in &names {
                let leftover = !PER_COMPILE.contains(name)
                    && rustc.iter().all(|(n, _)| n != *name)
                    && env.get(&cfg_var(name)).is_some();
                if leftover {
                    warnings.push(format!(
                        "a rule tests `{}`, which Cargo's {} sets but `rustc` does not report for \
                         {}: decided without it, as a value left over from an enclosing build (if \
                         it comes from a custom target spec named like a built-in target, the \
                         build script cannot ask the compiler about that spec)",
                        name,
                        cfg_var(name),
                        rustc.triple()
                    ));
                }
            }
            rustc
        }
    };
    let debug_assertions = if rustc_minor >= DEBUG_ASSERTIONS_SINCE {
        env.get("CARGO_CFG_DEBUG_ASSERTIONS").is_some()
    } else {
        let opt_level = env.get_str("OPT_LEVEL")?.unwrap_or_default();
        if tests("debug_assertions") {
            warnings.push(format!(
                "a rule tests `debug_assertions`, which Cargo before 1.93 does not tell build \
                 scripts: decided with debug_assertions {}, as rustc's default for OPT_LEVEL={}; \
                 enforce!() and check!() stop a compile that has them {}",
                on_off(opt_level == "0"),
                opt_level,
                on_off(opt_level != "0")
            ));
        }
        opt_level == "0"
    };
    let features = match env.get_str("CARGO_CFG_FEATURE")? {
        Some(list) => list
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect(),
        None => {
            let tested = policy_features(policy);
            if !tested.is_empty() && rustc_minor < FEATURE_SINCE {
                warnings.push(
                    "a rule tests `feature`, which Cargo before 1.85 gives build scripts only as \
                     CARGO_FEATURE_<NAME> variables, which a build started inside another build \
                     inherits: decided from them"
                        .to_string(),
                );
            }
            let vars: Vec<String> = tested
                .iter()
                .map(|f| format!("CARGO_FEATURE_{}", envify(f)))
                .collect();
            let enabled = tested
                .into_iter()
                .zip(&vars)
                .filter(|(_, var)| env.get(var).is_some())
                .map(|(f, _)| f)
                .collect();
            inputs.extend(vars);
            enabled
        }
    };
    let panic = base.value("panic").unwrap_or("").to_string();
    if tests("panic") {
        warnings.push(format!(
            "a rule tests `panic`: decided with panic = \"{}\", the strategy Cargo tells build \
             scripts (the target's, with the rustflags), which is not the profile's `panic`; \
             enforce!() and check!() stop a compile whose strategy differs",
            panic
        ));
    }
    for name in names.iter().filter(|n| UNSEEN_FLAGS.contains(n)) {
        warnings.push(format!(
            "a rule tests `{}`: decided with the rustflags Cargo gives this build script; flags \
             only one compile gets (a profile setting, `cargo rustc -- ...`, a profile's \
             `rustflags`) are not seen, and its programs may differ",
            name
        ));
    }
    let cfg = base.with_compile(&CompileSettings {
        debug_assertions,
        panic,
        features,
    });
    let mut assumed = Vec::new();
    for name in SEEN.iter().filter(|n| tests(n)) {
        match *name {
            "debug_assertions" => {
                assumed.push(format!("debug_assertions={}", on_off(debug_assertions)))
            }
            other => {
                if let Some(value) = cfg.value(other) {
                    assumed.push(format!("{}={}", other, value));
                }
            }
        }
    }
    Ok(ThisCompile {
        cfg,
        assumed: assumed.join(","),
        warnings,
        inputs,
    })
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// Every feature name a rule tests (`feature = "..."`).
fn policy_features(policy: &Policy) -> Vec<String> {
    let mut features: Vec<String> = Vec::new();
    for rule in policy.rules() {
        rule.cfg().visit(&mut |e| {
            if let CfgExpr::KeyValue(name, value) = e {
                if name == "feature" && !features.contains(value) {
                    features.push(value.clone());
                }
            }
        });
    }
    features
}

/// Cargo's `envify`: upper case, `-` as `_`.
fn envify(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// `CARGO_CFG_<NAME>`.
pub(crate) fn cfg_var(name: &str) -> String {
    format!("CARGO_CFG_{}", envify(name))
}

/// The compiler's description must be Cargo's: on the names Cargo sets for
/// every target, and on every name the target defines that the compiler
/// reports (Cargo sets a `CARGO_CFG_*` variable for each, from the same
/// query). A difference means the compiler was asked about another target
/// than the one Cargo builds: a custom target spec named like a built-in
/// one, whose path Cargo does not give build scripts.
fn agree(cargo: &TargetCfg, rustc: &TargetCfg, env: &BuildEnv) -> Result<(), Error> {
    if let Some((name, from_cargo, from_rustc)) = cargo.first_difference(rustc) {
        return Err(differ(
            rustc.triple(),
            name,
            from_cargo.unwrap_or("(none)"),
            from_rustc.unwrap_or("(none)"),
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in rustc.iter() {
        if seen.contains(&name) || !defined_by_target(name) {
            continue;
        }
        seen.push(name);
        let mut want: Vec<&str> = rustc.values(name).collect();
        let name_only = rustc.has_name(name);
        if name_only && !want.is_empty() {
            continue; // both forms (a `--cfg` of the user's): Cargo keeps one
        }
        let var = cfg_var(name);
        let have = match env.get_str(&var)? {
            Some(v) => v,
            None => {
                return Err(differ(
                    rustc.triple(),
                    name,
                    "(not set)",
                    &if name_only {
                        "(set)".to_string()
                    } else {
                        want.join(",")
                    },
                ))
            }
        };
        // A key's values joined (one empty value is ""); a name alone is "".
        let mut got: Vec<&str> = if name_only && have.is_empty() {
            Vec::new()
        } else {
            have.split(',').collect()
        };
        want.sort_unstable();
        got.sort_unstable();
        if want != got {
            return Err(differ(rustc.triple(), name, &have, &want.join(",")));
        }
    }
    Ok(())
}

/// Whether a target spec defines `name` (rather than the compile's flags or
/// the user's `--cfg`): the names rustc reports for targets, but for those
/// Cargo decides per compile.
fn defined_by_target(name: &str) -> bool {
    (name.starts_with("target_") || matches!(name, "unix" | "windows"))
        && !PER_COMPILE.contains(&name)
}

fn differ(triple: &str, name: &str, cargo: &str, rustc: &str) -> Error {
    Error::new(Detail::Rustc {
        asked: "the target's cfg values",
        command: format!("rustc --print cfg --target {}", triple),
        message: format!(
            "it says {} = {}, but Cargo says {} = {} ({}): expected the same target (a custom \
             target spec named like the built-in target {}? Cargo does not give build scripts \
             its path, so the guard cannot ask the compiler about it; name the spec file \
             otherwise)",
            name,
            OneLine(rustc),
            name,
            OneLine(cargo),
            OneLine(&cfg_var(name)),
            triple
        ),
    })
}
