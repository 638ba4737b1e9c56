//! The target's cfg values, as Cargo gives them to a build script
//! (`TARGET`, `CARGO_CFG_*`) or as `rustc --print cfg --target T` prints
//! them. Reading is explicit: nothing here looks at the process environment.

use std::ffi::OsStr;

use crate::error::{quoted, Error, ErrorKind};
use crate::level::ArchNames;

/// The cfg values of one target: name-only cfgs (`unix`) and name/value
/// pairs (`target_os = "linux"`, several `target_feature`s, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetCfg {
    triple: String,
    /// Sorted and deduplicated; `None` is a name-only cfg.
    cfgs: Vec<(String, Option<String>)>,
}

impl TargetCfg {
    /// Parses the output of `rustc --print cfg --target <triple>`: one cfg a
    /// line, `name` or `name="value"`.
    pub fn from_rustc_cfg(triple: &str, output: &str) -> Result<TargetCfg, Error> {
        let mut t = TargetCfg::empty(triple)?;
        for line in output.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.split_once('=') {
                None => t.push("rustc --print cfg", line, None)?,
                Some((name, quoted_value)) => {
                    let value = quoted_value
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .ok_or_else(|| {
                            invalid(
                                line,
                                format!(
                                    "rustc --print cfg line {}: expected name=\"value\"",
                                    quoted(line)
                                ),
                            )
                        })?;
                    t.push("rustc --print cfg", name, Some(value))?;
                }
            }
        }
        t.finish()
    }

    /// Builds the target description from a build script's environment:
    /// `TARGET` and every `CARGO_CFG_<NAME>` variable (comma-separated
    /// values). Other variables are ignored.
    ///
    /// Fails when `TARGET` or `CARGO_CFG_TARGET_ARCH` is missing (the script
    /// is not being run by Cargo), when a value is not UTF-8, or when a value
    /// is one Cargo would never produce.
    pub fn from_cargo_env<I, K, V>(vars: I) -> Result<TargetCfg, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let mut triple = None;
        let mut cfg_vars = Vec::new();
        for (key, value) in vars {
            let key = match key.as_ref().to_str() {
                Some(k) if k == "TARGET" || k.starts_with("CARGO_CFG_") => k.to_string(),
                _ => continue,
            };
            // The name first: a crafted one may hold line breaks, and every
            // message after this names the variable unquoted.
            if key != "TARGET" && !is_cargo_cfg_var(&key) {
                return Err(invalid(
                    &key,
                    format!(
                        "environment variable {} is not a cfg Cargo sets: expected \
                         CARGO_CFG_ followed by upper-case letters, digits and `_`",
                        quoted(&key)
                    ),
                ));
            }
            let value = env_str(&key, value.as_ref())?;
            if key == "TARGET" {
                triple = Some(value);
            } else {
                cfg_vars.push((key, value));
            }
        }
        let triple = triple.filter(|t| !t.is_empty()).ok_or_else(not_in_cargo)?;
        let mut t = TargetCfg::empty(&triple)?;
        for (key, value) in &cfg_vars {
            let name = key["CARGO_CFG_".len()..].to_ascii_lowercase();
            if value.is_empty() && !empty_is_a_value(&name) {
                t.push(key, &name, None)?;
            } else {
                for v in value.split(',') {
                    t.push(key, &name, Some(v))?;
                }
            }
        }
        if t.value("target_arch").is_none() {
            return Err(not_in_cargo());
        }
        t.finish()
    }

    fn empty(triple: &str) -> Result<TargetCfg, Error> {
        let ok = !triple.is_empty()
            && triple
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !ok {
            return Err(invalid(
                triple,
                format!(
                    "target {} is not a target triple: expected ASCII letters, digits, `-`, `_` \
                     and `.`",
                    quoted(triple)
                ),
            ));
        }
        Ok(TargetCfg {
            triple: triple.to_string(),
            cfgs: Vec::new(),
        })
    }

    fn push(&mut self, source: &str, name: &str, value: Option<&str>) -> Result<(), Error> {
        let name_ok = name
            .bytes()
            .next()
            .map_or(false, |b| b.is_ascii_alphabetic() || b == b'_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !name_ok {
            return Err(invalid(
                name,
                format!("{}: cfg name {} is not an identifier", source, quoted(name)),
            ));
        }
        if let Some(v) = value {
            let bad = v.chars().any(|c| c.is_control() || c == '"' || c == '\\')
                || match name {
                    "target_pointer_width" => {
                        v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit())
                    }
                    "target_endian" => v != "little" && v != "big",
                    "target_arch" | "target_os" => v.is_empty(),
                    _ => false,
                };
            if bad {
                return Err(invalid(
                    v,
                    format!(
                        "{}: {} = {} is not a value rustc produces",
                        source,
                        name,
                        quoted(v)
                    ),
                ));
            }
        }
        self.cfgs
            .push((name.to_string(), value.map(str::to_string)));
        Ok(())
    }

    fn finish(mut self) -> Result<TargetCfg, Error> {
        self.cfgs.sort();
        self.cfgs.dedup();
        for name in [
            "target_arch",
            "target_os",
            "target_pointer_width",
            "target_endian",
        ] {
            if self.values(name).nth(1).is_some() {
                return Err(invalid(
                    name,
                    format!(
                        "target {} has several values for {}: expected exactly one",
                        self.triple, name
                    ),
                ));
            }
        }
        Ok(self)
    }

    /// The target triple, such as `x86_64-unknown-linux-gnu`.
    pub fn triple(&self) -> &str {
        &self.triple
    }

    /// `target_arch`, or `""` when the description has none.
    pub fn arch(&self) -> &str {
        self.value("target_arch").unwrap_or("")
    }

    /// `target_os`, if any.
    pub fn os(&self) -> Option<&str> {
        self.value("target_os")
    }

    /// `target_pointer_width`, if any.
    pub fn pointer_width(&self) -> Option<&str> {
        self.value("target_pointer_width")
    }

    /// The first value of `name`, if it has one.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.cfgs
            .iter()
            .find(|(n, v)| n == name && v.is_some())
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value of `name`, sorted.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.cfgs
            .iter()
            .filter(move |(n, _)| n == name)
            .filter_map(|(_, v)| v.as_deref())
    }

    /// Whether the name-only cfg `name` is set (as `unix` is on Linux).
    pub fn has_name(&self, name: &str) -> bool {
        self.cfgs.iter().any(|(n, v)| n == name && v.is_none())
    }

    /// Whether `name = "value"` holds.
    pub fn has_value(&self, name: &str, value: &str) -> bool {
        self.cfgs
            .iter()
            .any(|(n, v)| n == name && v.as_deref() == Some(value))
    }

    /// Every cfg, sorted: `(name, None)` for name-only cfgs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.cfgs.iter().map(|(n, v)| (n.as_str(), v.as_deref()))
    }
}

/// Whether `key` is `CARGO_CFG_` followed by upper-case ASCII letters,
/// digits and `_`, as every variable Cargo sets for a cfg is.
fn is_cargo_cfg_var(key: &str) -> bool {
    key.strip_prefix("CARGO_CFG_").map_or(false, |upper| {
        !upper.is_empty()
            && upper
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    })
}

/// Whether an empty `CARGO_CFG_<NAME>` means `name = ""` rather than the
/// name-only cfg `name`. Cargo writes both as an empty value; rustc prints
/// `target_env=""`, `target_abi=""` and the like, while `unix` or
/// `target_thread_local` are name-only.
fn empty_is_a_value(name: &str) -> bool {
    (name.starts_with("target_") && name != "target_thread_local")
        || matches!(
            name,
            "feature" | "panic" | "relocation_model" | "sanitize" | "fmt_debug"
        )
}

/// Reads an environment value as UTF-8, naming the variable when it is not.
pub(crate) fn env_str(key: &str, value: &OsStr) -> Result<String, Error> {
    value.to_str().map(str::to_string).ok_or_else(|| {
        Error::new(
            ErrorKind::NotUnicode,
            &value.to_string_lossy(),
            format!(
                "environment variable {} is not valid UTF-8 (lossy: {}): expected UTF-8 text",
                key,
                quoted(&value.to_string_lossy())
            ),
        )
    })
}

fn invalid(input: &str, message: String) -> Error {
    Error::new(ErrorKind::InvalidTargetCfg, input, message)
}

fn not_in_cargo() -> Error {
    Error::new(
        ErrorKind::NotInCargo,
        "",
        "not running in a build script started by Cargo: TARGET and CARGO_CFG_TARGET_ARCH \
         are not set"
            .to_string(),
    )
}

/// Naming a target's architecture needs its cfg values, so this part of
/// [`ArchNames`] lives with [`TargetCfg`] (feature `policy`).
impl ArchNames {
    /// The architecture name of `target` in this naming: the exact value the
    /// override variable must hold on that target.
    pub fn arch_value(self, target: &TargetCfg) -> String {
        let arch = target.arch();
        match self {
            ArchNames::Rust => arch.to_string(),
            ArchNames::Go => go_arch(arch, target.value("target_endian"), target.pointer_width())
                .map_or_else(|| arch.to_string(), str::to_string),
        }
    }
}

/// Go's `GOARCH` for a Rust architecture, endianness and pointer width.
fn go_arch(arch: &str, endian: Option<&str>, width: Option<&str>) -> Option<&'static str> {
    let big = endian == Some("big");
    let w32 = width == Some("32");
    Some(match arch {
        "x86_64" if w32 => "amd64p32",
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" if big => "arm64be",
        "aarch64" => "arm64",
        "arm" if big => "armbe",
        "arm" => "arm",
        "powerpc64" if big => "ppc64",
        "powerpc64" => "ppc64le",
        "powerpc" => "ppc",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        "riscv32" => "riscv",
        "mips" | "mips32r6" if big => "mips",
        "mips" | "mips32r6" => "mipsle",
        "mips64" | "mips64r6" if big => "mips64",
        "mips64" | "mips64r6" => "mips64le",
        "loongarch64" => "loong64",
        "sparc64" => "sparc64",
        "sparc" => "sparc",
        "wasm32" => "wasm",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Result<TargetCfg, Error> {
        TargetCfg::from_cargo_env(pairs.iter().map(|(k, v)| (k, v)))
    }

    #[test]
    fn reads_cargo_cfg_variables() {
        let t = env(&[
            ("TARGET", "x86_64-unknown-linux-gnu"),
            ("CARGO_CFG_TARGET_ARCH", "x86_64"),
            ("CARGO_CFG_TARGET_OS", "linux"),
            ("CARGO_CFG_TARGET_ENV", "gnu"),
            ("CARGO_CFG_TARGET_ABI", ""),
            ("CARGO_CFG_TARGET_FEATURE", "fxsr,sse,sse2"),
            ("CARGO_CFG_TARGET_POINTER_WIDTH", "64"),
            ("CARGO_CFG_TARGET_THREAD_LOCAL", ""),
            ("CARGO_CFG_UNIX", ""),
            ("CARGO_PKG_NAME", "ignored"),
            ("PATH", "/bin"),
        ])
        .unwrap();
        assert_eq!(t.triple(), "x86_64-unknown-linux-gnu");
        assert_eq!(t.arch(), "x86_64");
        assert_eq!(t.os(), Some("linux"));
        assert_eq!(t.pointer_width(), Some("64"));
        assert!(t.has_name("unix"));
        assert!(t.has_name("target_thread_local"));
        assert!(t.has_value("target_abi", ""));
        assert!(!t.has_name("target_abi"));
        assert_eq!(
            t.values("target_feature").collect::<Vec<_>>(),
            ["fxsr", "sse", "sse2"]
        );
        assert!(!t.has_name("cargo_pkg_name"));
    }

    #[test]
    fn outside_cargo_is_an_error_that_says_so() {
        for vars in [
            &[("PATH", "/bin")][..],
            &[("CARGO_CFG_TARGET_ARCH", "x86_64")][..],
            &[("TARGET", "x86_64-unknown-linux-gnu")][..],
            &[("TARGET", ""), ("CARGO_CFG_TARGET_ARCH", "x86_64")][..],
        ] {
            let e = env(vars).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::NotInCargo);
            assert_eq!(
                e.to_string(),
                "not running in a build script started by Cargo: TARGET and \
                 CARGO_CFG_TARGET_ARCH are not set"
            );
        }
    }

    #[test]
    fn values_cargo_never_produces_are_refused() {
        let base = [
            ("TARGET", "x86_64-unknown-linux-gnu"),
            ("CARGO_CFG_TARGET_ARCH", "x86_64"),
        ];
        let with = |k: &'static str, v: &'static str| {
            let mut vars = base.to_vec();
            vars.push((k, v));
            env(&vars).unwrap_err()
        };
        let e = with("CARGO_CFG_TARGET_POINTER_WIDTH", "sixty-four");
        assert_eq!(e.kind(), ErrorKind::InvalidTargetCfg);
        assert_eq!(
            e.to_string(),
            "CARGO_CFG_TARGET_POINTER_WIDTH: target_pointer_width = \"sixty-four\" is not a \
             value rustc produces"
        );
        assert!(with("CARGO_CFG_TARGET_ENDIAN", "middle")
            .to_string()
            .contains("\"middle\""));
        assert!(with("CARGO_CFG_TARGET_OS", "li\"nux")
            .to_string()
            .contains("target_os"));
        assert!(with("CARGO_CFG_TARGET_OS", "linux\ncargo:rustc-cfg=x")
            .to_string()
            .contains("\\n"));
        assert!(with("CARGO_CFG_TARGET_POINTER_WIDTH", "32,64")
            .to_string()
            .contains("several values"));
        assert!(with("CARGO_CFG_target_os", "linux")
            .to_string()
            .contains("not a cfg Cargo sets"));
        // A crafted name is quoted: the message stays one line.
        assert_eq!(
            with("CARGO_CFG_X\ncargo::rustc-cfg=injected", "1").to_string(),
            "environment variable \"CARGO_CFG_X\\ncargo::rustc-cfg=injected\" is not a cfg \
             Cargo sets: expected CARGO_CFG_ followed by upper-case letters, digits and `_`"
        );
        let e = env(&[("TARGET", "x86 64"), ("CARGO_CFG_TARGET_ARCH", "x86_64")]).unwrap_err();
        assert!(e.to_string().contains("is not a target triple"), "{}", e);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_values_name_the_variable() {
        use std::os::unix::ffi::OsStrExt;
        let vars = vec![
            (OsStr::new("TARGET"), OsStr::new("x86_64-unknown-linux-gnu")),
            (
                OsStr::new("CARGO_CFG_TARGET_ARCH"),
                OsStr::from_bytes(b"x86\xff"),
            ),
        ];
        let e = TargetCfg::from_cargo_env(vars).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotUnicode);
        assert_eq!(
            e.to_string(),
            "environment variable CARGO_CFG_TARGET_ARCH is not valid UTF-8 (lossy: \
             \"x86\u{fffd}\"): expected UTF-8 text"
        );
    }

    #[test]
    fn reads_rustc_print_cfg() {
        let t = TargetCfg::from_rustc_cfg(
            "x86_64-apple-darwin",
            "debug_assertions\npanic=\"unwind\"\ntarget_abi=\"\"\ntarget_arch=\"x86_64\"\n\
             target_os=\"macos\"\ntarget_pointer_width=\"64\"\nunix\n",
        )
        .unwrap();
        assert_eq!(t.os(), Some("macos"));
        assert!(t.has_value("target_abi", ""));
        assert!(t.has_name("unix"));
        let e = TargetCfg::from_rustc_cfg("x", "target_os=linux").unwrap_err();
        assert!(e.to_string().contains("expected name=\"value\""), "{}", e);
    }
}
