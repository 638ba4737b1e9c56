//! The cfg names rustc sets, and the values targets have, so that a typo in
//! a rule is caught instead of becoming a rule that never matches. A name
//! under the `target_` prefix that rustc does not set, or a misspelt known
//! name, is an error; a value no known target has is a warning (new
//! toolchains add targets, and with them values). A test keeps the tables
//! complete for the compiler that runs it.

use std::fmt;

use crate::suggest::{self, nearest_one as nearest};

/// The cfg names rustc sets or checks (its well-known names), sorted.
const NAMES: &[&str] = &[
    "clippy",
    "contract_checks",
    "debug_assertions",
    "doc",
    "doctest",
    "emscripten_wasm_eh",
    "feature",
    "fmt_debug",
    "miri",
    "overflow_checks",
    "panic",
    "proc_macro",
    "relocation_model",
    "rustfmt",
    "sanitize",
    "sanitizer_cfi_generalize_pointers",
    "sanitizer_cfi_normalize_integers",
    "target_abi",
    "target_arch",
    "target_endian",
    "target_env",
    "target_family",
    "target_feature",
    "target_has_atomic",
    "target_has_atomic_equal_alignment",
    "target_has_atomic_load_store",
    "target_has_reliable_f128",
    "target_has_reliable_f128_math",
    "target_has_reliable_f16",
    "target_has_reliable_f16_math",
    "target_object_format",
    "target_os",
    "target_pointer_width",
    "target_thread_local",
    "target_vendor",
    "test",
    "ub_checks",
    "unix",
    "windows",
];

/// Names whose value differs between the compiles of one package (its
/// library, its tests, its documentation) or with the tool that compiles it,
/// while its build script decides once for all of them: no rule can use
/// them.
pub(crate) const PER_CRATE: &[&str] = &[
    "clippy",
    "doc",
    "doctest",
    "miri",
    "proc_macro",
    "rustfmt",
    "test",
];

/// Names Cargo decides per compile (the profile, the enabled features)
/// rather than per target; the build script takes them from Cargo's
/// environment, never from a plain `rustc --print cfg`.
#[cfg_attr(not(feature = "build"), allow(dead_code))]
pub(crate) const PER_COMPILE: &[&str] = &["debug_assertions", "feature", "panic"];

/// Names a compile's own flags can change without its build script seeing
/// them (a profile setting, flags given to `cargo rustc --` only, a
/// profile's `rustflags`): the build script decides with the flags Cargo
/// gives it, and says so.
#[cfg_attr(not(feature = "build"), allow(dead_code))]
pub(crate) const UNSEEN_FLAGS: &[&str] = &[
    "contract_checks",
    "emscripten_wasm_eh",
    "fmt_debug",
    "overflow_checks",
    "relocation_model",
    "sanitize",
    "sanitizer_cfi_generalize_pointers",
    "sanitizer_cfi_normalize_integers",
    "target_feature",
    "ub_checks",
];

/// Every value of these names on the targets of rustc 1.95
/// (`rustc --print cfg --target T` for every T of `--print target-list`).
/// Names not listed here (`target_feature`, which `-C target-cpu` extends,
/// `feature`, ...) have open sets of values and are not checked.
const VALUES: &[(&str, &[&str])] = &[
    (
        "target_abi",
        &[
            "",
            "abi64",
            "abiv2",
            "abiv2hf",
            "eabi",
            "eabihf",
            "elfv1",
            "elfv2",
            "fortanix",
            "ilp32",
            "ilp32e",
            "llvm",
            "macabi",
            "sim",
            "softfloat",
            "spe",
            "uwp",
            "vec-extabi",
            "x32",
        ],
    ),
    (
        "target_arch",
        &[
            "aarch64",
            "amdgpu",
            "arm",
            "arm64ec",
            "avr",
            "bpf",
            "csky",
            "hexagon",
            "loongarch32",
            "loongarch64",
            "m68k",
            "mips",
            "mips32r6",
            "mips64",
            "mips64r6",
            "msp430",
            "nvptx64",
            "powerpc",
            "powerpc64",
            "riscv32",
            "riscv64",
            "s390x",
            "sparc",
            "sparc64",
            "wasm32",
            "wasm64",
            "x86",
            "x86_64",
            "xtensa",
        ],
    ),
    ("target_endian", &["big", "little"]),
    (
        "target_env",
        &[
            "",
            "gnu",
            "macabi",
            "mlibc",
            "msvc",
            "musl",
            "newlib",
            "nto70",
            "nto71",
            "nto71_iosock",
            "nto80",
            "ohos",
            "p1",
            "p2",
            "p3",
            "relibc",
            "sgx",
            "sim",
            "uclibc",
            "v5",
        ],
    ),
    ("target_family", &["unix", "wasm", "windows"]),
    ("target_has_atomic", &["128", "16", "32", "64", "8", "ptr"]),
    (
        "target_os",
        &[
            "aix",
            "amdhsa",
            "android",
            "cuda",
            "cygwin",
            "dragonfly",
            "emscripten",
            "espidf",
            "freebsd",
            "fuchsia",
            "haiku",
            "helenos",
            "hermit",
            "horizon",
            "hurd",
            "illumos",
            "ios",
            "l4re",
            "linux",
            "lynxos178",
            "macos",
            "managarm",
            "motor",
            "netbsd",
            "none",
            "nto",
            "nuttx",
            "openbsd",
            "psp",
            "psx",
            "qurt",
            "redox",
            "rtems",
            "solaris",
            "solid_asp3",
            "teeos",
            "trusty",
            "tvos",
            "uefi",
            "unknown",
            "vexos",
            "visionos",
            "vita",
            "vxworks",
            "wasi",
            "watchos",
            "windows",
            "xous",
            "zkvm",
        ],
    ),
    ("target_pointer_width", &["16", "32", "64"]),
    (
        "target_vendor",
        &[
            "amd",
            "apple",
            "espressif",
            "fortanix",
            "ibm",
            "kmc",
            "mti",
            "nintendo",
            "nvidia",
            "openwrt",
            "pc",
            "risc0",
            "sony",
            "sun",
            "unikraft",
            "unknown",
            "uwp",
            "vex",
            "win7",
            "wrs",
        ],
    ),
    ("panic", &["abort", "unwind"]),
];

/// Checks a cfg name a rule tests: `Err` with the nearest known name (if
/// any is near) for a `target_` name rustc does not set or a misspelt known
/// name.
pub(crate) fn check_name(name: &str) -> Result<(), Option<&'static str>> {
    if NAMES.binary_search(&name).is_ok() {
        return Ok(());
    }
    // A name of one's own (`--cfg name`) is fine unless it is a typo of a
    // known one: only the edit distance decides that, not the looser
    // matches a suggestion may also come from (`debug` is a prefix of
    // `debug_assertions`, not a typo of it).
    let typo = NAMES
        .iter()
        .any(|known| suggest::edit_distance(name, known) <= suggest::typo_limit(name));
    if name.starts_with("target_") || typo {
        return Err(nearest(name, NAMES));
    }
    Ok(())
}

/// The name whose value `name` is, when a rule uses a value as a name
/// (`linux` for `target_os = "linux"`): probably a mistake, but a
/// `--cfg linux` of one's own is possible, so only a warning.
pub(crate) fn value_as_name(name: &str) -> Option<&'static str> {
    if NAMES.binary_search(&name).is_ok() {
        return None;
    }
    VALUES
        .iter()
        .find(|(key, values)| key.starts_with("target_") && values.contains(&name))
        .map(|(key, _)| *key)
}

/// A value no target rustc knows has, for a name whose values are known:
/// the nearest known value, if any is near. `None` when the value is known
/// or the name's values are not.
pub(crate) fn unknown_value(name: &str, value: &str) -> Option<Option<&'static str>> {
    let (_, values) = VALUES.iter().find(|(key, _)| *key == name)?;
    if values.contains(&value) {
        None
    } else {
        Some(nearest(value, values))
    }
}

/// Something in a rule that is valid but probably a mistake, for warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleWarning {
    rule: usize,
    /// Where the rule is written, when it was read from a manifest
    /// (`Cargo.toml:14:13: package.metadata.platform-guard.rules[0].cfg`).
    at: Option<String>,
    what: Suspicious,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Suspicious {
    /// `name = value`, a value no known target has; the nearest known one.
    UnknownValue {
        name: String,
        value: String,
        nearest: Option<&'static str>,
    },
    /// A value used as a name.
    ValueAsName { name: String, key: &'static str },
}

impl RuleWarning {
    /// The warnings about one rule's expression.
    pub(crate) fn of(rule: usize, at: Option<&str>, cfg: &crate::cfg::CfgExpr) -> Vec<RuleWarning> {
        let mut found = Vec::new();
        cfg.visit(&mut |e| {
            let what = match e {
                crate::cfg::CfgExpr::KeyValue(name, value) => {
                    unknown_value(name, value).map(|nearest| Suspicious::UnknownValue {
                        name: name.clone(),
                        value: value.clone(),
                        nearest,
                    })
                }
                crate::cfg::CfgExpr::Name(name) => {
                    value_as_name(name).map(|key| Suspicious::ValueAsName {
                        name: name.clone(),
                        key,
                    })
                }
                _ => None,
            };
            if let Some(what) = what {
                if !found.iter().any(|w: &RuleWarning| w.what == what) {
                    found.push(RuleWarning {
                        rule,
                        at: at.map(str::to_string),
                        what,
                    });
                }
            }
        });
        found
    }

    /// The index (from 0) of the rule the warning is about.
    pub fn rule_index(&self) -> usize {
        self.rule
    }
}

impl fmt::Display for RuleWarning {
    /// One line, such as `rule 2: no target rustc 1.95 knows has target_os =
    /// "linx" (did you mean "linux"?); ...`; for a rule read from a
    /// manifest, its place instead of `rule 2` (`Cargo.toml:14:13:
    /// package.metadata.platform-guard.rules[1].cfg`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{}: ", at)?,
            None => write!(f, "rule {}: ", self.rule + 1)?,
        }
        match &self.what {
            Suspicious::UnknownValue {
                name,
                value,
                nearest,
            } => {
                write!(f, "no target rustc 1.95 knows has {} = {:?}", name, value)?;
                if let Some(n) = nearest {
                    write!(f, " (did you mean {:?}?)", n)?;
                }
                f.write_str("; it matches only targets of newer toolchains that have it")
            }
            Suspicious::ValueAsName { name, key } => write!(
                f,
                "`{}` is not a cfg rustc sets but a value of {} (did you mean {} = {:?}?); it \
                 matches only where `--cfg {}` is passed",
                name, key, key, name, name
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_for_the_binary_search() {
        let mut sorted = NAMES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, NAMES);
    }

    #[test]
    fn typos_in_names_are_found_with_the_nearest_name() {
        assert_eq!(check_name("target_os"), Ok(()));
        assert_eq!(check_name("unix"), Ok(()));
        assert_eq!(check_name("tokio_unstable"), Ok(()));
        assert_eq!(check_name("docsrs"), Ok(()));
        assert_eq!(check_name("linux"), Ok(()));
        // Prefixes of known names are names of one's own, not typos.
        assert_eq!(check_name("debug"), Ok(()));
        assert_eq!(check_name("relocation"), Ok(()));
        assert_eq!(check_name("target_oss"), Err(Some("target_os")));
        // A prefix under `target_` is an error, and the suggestion finds
        // the name it starts.
        assert_eq!(
            check_name("target_pointer"),
            Err(Some("target_pointer_width"))
        );
        assert_eq!(check_name("target_quux"), Err(None));
        // Five edits in fifteen characters: within a third of the length.
        assert_eq!(check_name("target_whatever"), Err(Some("target_feature")));
        assert_eq!(check_name("unixx"), Err(Some("unix")));
        assert_eq!(check_name("windwos"), Err(Some("windows")));
        assert_eq!(value_as_name("linux"), Some("target_os"));
        assert_eq!(value_as_name("x86_64"), Some("target_arch"));
        assert_eq!(value_as_name("unix"), None);
        assert_eq!(value_as_name("tokio_unstable"), None);
    }

    #[test]
    fn unknown_values_name_the_nearest_known_one() {
        assert_eq!(unknown_value("target_os", "linux"), None);
        assert_eq!(unknown_value("target_env", ""), None);
        assert_eq!(unknown_value("target_os", "Linux"), Some(Some("linux")));
        assert_eq!(unknown_value("target_os", "linx"), Some(Some("linux")));
        assert_eq!(unknown_value("target_os", "plan9"), Some(None));
        assert_eq!(unknown_value("target_feature", "avx512whatever"), None);
        assert_eq!(unknown_value("my_cfg", "x"), None);
    }

    /// The tables hold every name and every value the compiler running the
    /// tests prints for any of its targets (values: from rustc 1.95 on, the
    /// release the tables were made from; older releases had targets and
    /// values since removed, which only get a warning).
    #[test]
    fn the_tables_cover_every_target_of_this_rustc() {
        let version = crate::testing::rustc_minor();
        let mut missing = Vec::new();
        for (target, text) in crate::testing::every_target() {
            for line in text.lines() {
                let (name, value) = match line.split_once('=') {
                    Some((n, v)) => (n, Some(v.trim_matches('"'))),
                    None => (line, None),
                };
                if check_name(name).is_err() {
                    missing.push(format!("name {}", name));
                }
                if let (Some(v), true) = (value, version >= 95) {
                    if unknown_value(name, v).is_some() {
                        missing.push(format!("{} {} = {:?}", target, name, v));
                    }
                }
            }
        }
        missing.dedup();
        assert!(
            missing.is_empty(),
            "add these to src/known.rs: {:#?}",
            missing
        );
    }
}
