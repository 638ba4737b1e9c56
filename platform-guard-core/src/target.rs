//! The cfg values of one target, as `rustc --print cfg --target T` prints
//! them or as Cargo gives them to a build script (`TARGET`, `CARGO_CFG_*`).
//! Reading is explicit: nothing here looks at the process environment.

use std::ffi::OsStr;

use crate::error::{Detail, Error};
use crate::level::ArchNames;

/// The cfg names Cargo sets a `CARGO_CFG_*` variable for on every target
/// (rustc prints each of them for every target it knows), so a build
/// script's values for them always describe the target being built: a
/// variable left over from an enclosing build is always overwritten. Any
/// other `CARGO_CFG_*` variable may be such a leftover, and is not read.
pub(crate) const CARGO_SETS: [&str; 7] = [
    "target_arch",
    "target_os",
    "target_pointer_width",
    "target_endian",
    "target_env",
    "target_vendor",
    "panic",
];

/// The crate types Cargo names when it asks the compiler about a target
/// (`KNOWN_CRATE_TYPES` in Cargo's `target_info.rs`), in its order. They
/// change the answer: with `proc-macro` or `dylib` among them, rustc leaves
/// `crt-static` out of the cfg of targets where it cannot apply to them
/// (musl, wasm32-wasip1, emscripten).
const CARGO_CRATE_TYPES: [&str; 6] = ["bin", "rlib", "dylib", "cdylib", "staticlib", "proc-macro"];

/// What Cargo decides per compile rather than per target, for one compile:
/// the profile's debug assertions and panic strategy and the package's
/// enabled features. The build script takes them from Cargo's environment
/// (`CARGO_CFG_DEBUG_ASSERTIONS`, `CARGO_CFG_PANIC`, `CARGO_CFG_FEATURE`),
/// `cargo platform-guard` from the profile and the features it is told.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::{CompileSettings, TargetCfg};
///
/// let t = TargetCfg::from_rustc_cfg("x86_64-unknown-linux-gnu", "target_arch=\"x86_64\"\ndebug_assertions\npanic=\"unwind\"\n")?;
/// let release = t.with_compile(&CompileSettings {
///     debug_assertions: false,
///     panic: "abort".to_string(),
///     features: vec!["legacy".to_string()],
/// });
/// assert!(!release.has_name("debug_assertions"));
/// assert!(release.has_value("panic", "abort"));
/// assert!(release.has_value("feature", "legacy"));
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompileSettings {
    /// Whether the compile has `debug_assertions`.
    pub debug_assertions: bool,
    /// The panic strategy: `unwind`, `abort`, ... (empty: the target's).
    pub panic: String,
    /// The enabled features, as Cargo names them (`--cfg feature="..."`).
    pub features: Vec<String>,
}

/// The cfg values of one target: name-only cfgs (`unix`) and name/value
/// pairs (`target_os = "linux"`, several `target_feature`s, ...).
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::TargetCfg;
///
/// let t = TargetCfg::from_rustc_cfg(
///     "x86_64-unknown-linux-gnu",
///     "target_arch=\"x86_64\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"64\"\nunix\n",
/// )?;
/// assert_eq!(t.arch(), "x86_64");
/// assert!(t.has_name("unix"));
/// assert!(t.has_value("target_os", "linux"));
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetCfg {
    triple: String,
    /// In the order given, each once; `None` is a name-only cfg.
    cfgs: Vec<(String, Option<String>)>,
}

impl TargetCfg {
    /// Parses the output of `rustc --print cfg --target <triple>`: one cfg a
    /// line, `name` or `name="value"`. A value is kept as rustc prints it;
    /// one rustc had to escape (it holds `\`) can never equal a rule's value,
    /// which cannot hold `\`.
    pub fn from_rustc_cfg(triple: &str, output: &str) -> Result<TargetCfg, Error> {
        let mut t = TargetCfg::empty(triple)?;
        for line in output.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (name, value) = match line.split_once('=') {
                None => (line, None),
                Some((name, quoted)) => {
                    let value = quoted
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .ok_or_else(|| Error::new(Detail::RustcCfgLine(line.to_string())))?;
                    (name, Some(value))
                }
            };
            t.push("rustc --print cfg", name, value)?;
        }
        t.finish()
    }

    /// The target as a build script's environment describes it: `TARGET`
    /// and the `CARGO_CFG_*` values of the cfg names Cargo sets for every
    /// target (`target_arch`, `target_os`, `target_pointer_width`,
    /// `target_endian`, `target_env`, `target_vendor`). Every other
    /// variable is ignored: a `CARGO_CFG_UNIX` may be left over from an
    /// enclosing build, since Cargo sets the variables of the target it
    /// builds without removing others, so names outside that list must be
    /// read from the compiler (`Policy::build` does so when a rule needs
    /// them).
    ///
    /// Fails when `TARGET` or `CARGO_CFG_TARGET_ARCH` is missing (the script
    /// is not being run by Cargo), when a value read is not UTF-8, or when
    /// it is one Cargo would never produce.
    pub fn from_cargo_env<I, K, V>(vars: I) -> Result<TargetCfg, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let mut triple = None;
        let mut values = Vec::new();
        for (key, value) in vars {
            let key = match key.as_ref().to_str() {
                Some(k) => k,
                None => continue,
            };
            let name = match key.strip_prefix("CARGO_CFG_") {
                Some(upper) => match CARGO_SETS.iter().find(|n| n.to_ascii_uppercase() == upper) {
                    Some(name) => name,
                    None => continue,
                },
                None if key == "TARGET" => {
                    triple = Some(env_str(key, value.as_ref())?);
                    continue;
                }
                None => continue,
            };
            values.push((key.to_string(), *name, env_str(key, value.as_ref())?));
        }
        let triple = triple.filter(|t| !t.is_empty()).ok_or_else(not_in_cargo)?;
        let mut t = TargetCfg::empty(&triple)?;
        for (key, name, value) in &values {
            t.push(key, name, Some(value))?;
        }
        if t.value("target_arch").is_none() {
            return Err(not_in_cargo());
        }
        t.finish()
    }

    /// The arguments Cargo gives the compiler to learn about a target
    /// (Cargo's `TargetInfo::new`: `-` with the crate types Cargo knows, the
    /// rustflags, `--target` and, for a target spec file, `-Zunstable-options`),
    /// to be run with an empty standard input and read with
    /// [`TargetCfg::from_cargo_query`]. The crate types matter: rustc leaves
    /// `crt-static` out of musl's cfg when `proc-macro` is among them, as
    /// Cargo's build scripts see it. `target` is `None` for the host. Of the
    /// prints Cargo asks for, those that do not change the cfg (`sysroot`,
    /// `split-debuginfo`, which rustc 1.63 lacks, and `crate-name`) are left
    /// out.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let args = platform_guard::TargetCfg::cargo_query_args(Some("x86_64-unknown-linux-musl"), &["-Copt-level=1".to_string()]);
    /// assert_eq!(&args[..4], ["-", "--crate-name", "___", "--print=file-names"]);
    /// assert_eq!(args[4], "-Copt-level=1");
    /// assert!(args.contains(&"--print=cfg".to_string()));
    /// ```
    pub fn cargo_query_args(target: Option<&str>, rustflags: &[String]) -> Vec<String> {
        let mut args: Vec<String> = ["-", "--crate-name", "___", "--print=file-names"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(rustflags.iter().cloned());
        if let Some(target) = target {
            args.push("--target".to_string());
            args.push(target.to_string());
            if target.ends_with(".json") {
                args.push("-Zunstable-options".to_string());
            }
        }
        for crate_type in CARGO_CRATE_TYPES {
            args.push("--crate-type".to_string());
            args.push(crate_type.to_string());
        }
        args.push("--print=cfg".to_string());
        args.push("-Wwarnings".to_string());
        args
    }

    /// Reads what the compiler printed for [`TargetCfg::cargo_query_args`]
    /// as Cargo reads it: a file name for each crate type the target
    /// supports (an unsupported one is named on `stderr`), then the cfg, of
    /// which Cargo drops `proc_macro` (set only because `proc-macro` was
    /// among the crate types). `triple` names the target in the result.
    pub fn from_cargo_query(triple: &str, stdout: &str, stderr: &str) -> Result<TargetCfg, Error> {
        let mut lines = stdout.lines();
        for crate_type in CARGO_CRATE_TYPES {
            let unsupported = stderr.lines().any(|line| {
                (line.contains("unsupported crate type") || line.contains("unknown crate type"))
                    && line.contains(&format!("crate type `{}`", crate_type))
            });
            if unsupported {
                continue;
            }
            match lines.next() {
                Some(line) if line.contains("___") => {}
                _ => {
                    return Err(Error::new(Detail::CargoQuery(
                        "a file name for each crate type (--print=file-names)",
                    )))
                }
            }
        }
        let cfg: Vec<&str> = lines.filter(|l| l.trim() != "proc_macro").collect();
        TargetCfg::from_rustc_cfg(triple, &cfg.join("\n"))
    }

    /// This target's cfg as one compile has it: `debug_assertions`, `panic`
    /// and `feature` as `settings` say (whatever the compiler's answer for
    /// the target said of them), the rest unchanged.
    pub fn with_compile(&self, settings: &CompileSettings) -> TargetCfg {
        let mut t = TargetCfg {
            triple: self.triple.clone(),
            cfgs: self
                .cfgs
                .iter()
                .filter(|(n, _)| {
                    n != "debug_assertions"
                        && n != "feature"
                        && (n != "panic" || settings.panic.is_empty())
                })
                .cloned()
                .collect(),
        };
        if settings.debug_assertions {
            t.cfgs.push(("debug_assertions".to_string(), None));
        }
        if !settings.panic.is_empty() {
            t.cfgs
                .push(("panic".to_string(), Some(settings.panic.clone())));
        }
        for f in &settings.features {
            if !t.has_value("feature", f) {
                t.cfgs.push(("feature".to_string(), Some(f.clone())));
            }
        }
        t
    }

    fn empty(triple: &str) -> Result<TargetCfg, Error> {
        if triple.is_empty() || triple.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(Error::new(Detail::NotTriple(triple.to_string())));
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
            return Err(Error::new(Detail::NotIdentifier {
                source: source.to_string(),
                name: name.to_string(),
            }));
        }
        if let Some(v) = value {
            // The values every target has, and that verdicts and messages
            // carry, must be ones rustc produces.
            let bad = match name {
                "target_pointer_width" => v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()),
                "target_endian" => v != "little" && v != "big",
                "target_arch" | "target_os" => v.is_empty() || !plain(v),
                "target_env" | "target_vendor" => !plain(v),
                _ => false,
            };
            if bad {
                return Err(Error::new(Detail::ImpossibleValue {
                    source: source.to_string(),
                    name: name.to_string(),
                    value: v.to_string(),
                }));
            }
        }
        let present = self
            .cfgs
            .iter()
            .any(|(n, v)| n == name && v.as_deref() == value);
        if !present {
            self.cfgs
                .push((name.to_string(), value.map(str::to_string)));
        }
        Ok(())
    }

    fn finish(self) -> Result<TargetCfg, Error> {
        for name in CARGO_SETS {
            if self.values(name).nth(1).is_some() {
                return Err(Error::new(Detail::SeveralValues {
                    triple: self.triple.clone(),
                    name: name.to_string(),
                }));
            }
        }
        Ok(self)
    }

    /// Whether `other` gives the same value as this description for every
    /// cfg name Cargo sets on every target: the first one that differs,
    /// with both values.
    #[cfg_attr(not(feature = "build"), allow(dead_code))]
    pub(crate) fn first_difference<'a>(
        &'a self,
        other: &'a TargetCfg,
    ) -> Option<(&'static str, Option<&'a str>, Option<&'a str>)> {
        CARGO_SETS.iter().find_map(|&name| {
            let (mine, theirs) = (self.value(name), other.value(name));
            (mine != theirs).then_some((name, mine, theirs))
        })
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

    /// Every value of `name`, in the order given.
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

    /// Every cfg, in the order given: `(name, None)` for name-only cfgs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.cfgs.iter().map(|(n, v)| (n.as_str(), v.as_deref()))
    }
}

/// A value as rustc prints it for the names every target has: one word,
/// no quotes, escapes or commas (Cargo joins several values with commas).
fn plain(v: &str) -> bool {
    !v.chars()
        .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '\\' | ','))
}

/// Reads an environment value as UTF-8, naming the variable when it is not.
pub(crate) fn env_str(key: &str, value: &OsStr) -> Result<String, Error> {
    value.to_str().map(str::to_string).ok_or_else(|| {
        Error::new(Detail::NotUnicode {
            var: key.to_string(),
            lossy: value.to_string_lossy().into_owned(),
        })
    })
}

fn not_in_cargo() -> Error {
    Error::new(Detail::NotInCargo {
        missing: "TARGET and CARGO_CFG_TARGET_ARCH",
        hint: "",
    })
}

/// Naming a target's architecture needs its cfg values, so this part of
/// [`ArchNames`] lives with [`TargetCfg`] (feature `policy`).
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
impl ArchNames {
    /// The architecture name of `target` in this naming: the exact value the
    /// override variable must hold on that target. In Go's naming, an
    /// architecture Go has no name for ([`ArchNames::go_arch`] is `None`)
    /// keeps Rust's `target_arch`.
    pub fn arch_value(self, target: &TargetCfg) -> String {
        match self {
            ArchNames::Rust => target.arch().to_string(),
            ArchNames::Go => ArchNames::go_arch(target)
                .unwrap_or_else(|| target.arch())
                .to_string(),
        }
    }

    /// Go's `GOARCH` for `target`: the name Go gives its architecture,
    /// endianness and pointer width (`amd64`, `386`, `arm64`, `ppc64le`,
    /// `s390x`, ...), from the architectures Go knows (`go/build`'s list,
    /// which also names ABIs no Go port runs on, as gccgo does:
    /// `amd64p32` for x32, `arm64be`, `armbe`, `ppc`, `riscv`, `sparc`,
    /// `sparc64`, `mips64p32`). `None` when Go has no name for it, such as
    /// `aarch64` with 32-bit pointers (ILP32) or `avr`.
    ///
    /// This is the one table of Go's architecture names: the override
    /// value of a Go-named policy (etcd's `ETCD_UNSUPPORTED_ARCH` compares
    /// with `GOARCH`) and the Go column of `cargo platform-guard matrix`
    /// (which adds the operating system and keeps only `GOOS/GOARCH` pairs
    /// Go has a port for) both come from it.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::{ArchNames, TargetCfg};
    ///
    /// let ppc64le = TargetCfg::from_rustc_cfg(
    ///     "powerpc64le-unknown-linux-gnu",
    ///     "target_arch=\"powerpc64\"\ntarget_endian=\"little\"\ntarget_pointer_width=\"64\"\n",
    /// )?;
    /// assert_eq!(ArchNames::go_arch(&ppc64le), Some("ppc64le"));
    /// # Ok::<(), platform_guard::Error>(())
    /// ```
    pub fn go_arch(target: &TargetCfg) -> Option<&'static str> {
        go_arch(
            target.arch(),
            target.value("target_endian") == Some("big"),
            target.pointer_width(),
        )
    }
}

/// Go's `GOARCH` for a Rust architecture, endianness and pointer width:
/// the names of `knownArch` in Go's `go/build/syslist.go`.
fn go_arch(arch: &str, big: bool, width: Option<&str>) -> Option<&'static str> {
    let w32 = width == Some("32");
    Some(match arch {
        "x86_64" if w32 => "amd64p32",
        "x86_64" => "amd64",
        "x86" => "386",
        // Go's arm64 is LP64; it has no name for ILP32.
        "aarch64" if w32 => return None,
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
        "mips64" | "mips64r6" if w32 && big => "mips64p32",
        "mips64" | "mips64r6" if w32 => "mips64p32le",
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
    use crate::ErrorKind;

    fn env(pairs: &[(&str, &str)]) -> Result<TargetCfg, Error> {
        TargetCfg::from_cargo_env(pairs.iter().map(|(k, v)| (k, v)))
    }

    #[test]
    fn reads_only_the_cfg_variables_cargo_sets_for_every_target() {
        let t = env(&[
            ("TARGET", "x86_64-unknown-linux-gnu"),
            ("CARGO_CFG_TARGET_ARCH", "x86_64"),
            ("CARGO_CFG_TARGET_OS", "linux"),
            ("CARGO_CFG_TARGET_ENV", "gnu"),
            ("CARGO_CFG_TARGET_VENDOR", "unknown"),
            ("CARGO_CFG_TARGET_ENDIAN", "little"),
            ("CARGO_CFG_TARGET_POINTER_WIDTH", "64"),
            // Possibly left over from an enclosing build: never read.
            ("CARGO_CFG_TARGET_FEATURE", "fxsr,sse,sse2"),
            ("CARGO_CFG_UNIX", ""),
            ("CARGO_CFG_WINDOWS", ""),
            ("CARGO_CFG_FOO", "a\tb\\c\u{7f}"),
            ("CARGO_CFG_X\ncargo::rustc-cfg=injected", "1"),
            ("CARGO_CFG_target_os", "windows"),
            ("CARGO_PKG_NAME", "ignored"),
            ("PATH", "/bin"),
        ])
        .unwrap();
        assert_eq!(t.triple(), "x86_64-unknown-linux-gnu");
        assert_eq!(t.arch(), "x86_64");
        assert_eq!(t.os(), Some("linux"));
        assert_eq!(t.pointer_width(), Some("64"));
        assert!(t.has_value("target_env", "gnu"));
        assert!(!t.has_name("unix"));
        assert!(!t.has_name("windows"));
        assert_eq!(t.values("target_feature").count(), 0);
        assert_eq!(t.iter().count(), 6);
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
            .contains("not a value rustc produces"));
        assert!(with("CARGO_CFG_TARGET_ARCH", "x86,x86_64")
            .to_string()
            .contains("\"x86,x86_64\" is not a value rustc produces"));
        let e = env(&[("TARGET", "x86 64"), ("CARGO_CFG_TARGET_ARCH", "x86_64")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "target \"x86 64\" is not a target name: expected printable text without spaces"
        );
        // A custom target's name may hold characters no built-in triple has.
        env(&[("TARGET", "my+target"), ("CARGO_CFG_TARGET_ARCH", "x86_64")]).unwrap();
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
            // Not read, so not refused.
            (OsStr::new("CARGO_CFG_FOO"), OsStr::from_bytes(b"\xff")),
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
    fn reads_rustc_print_cfg_and_carries_what_no_rule_can_use() {
        let t = TargetCfg::from_rustc_cfg(
            "x86_64-apple-darwin",
            "debug_assertions\npanic=\"unwind\"\ntarget_abi=\"\"\ntarget_arch=\"x86_64\"\n\
             target_os=\"macos\"\ntarget_pointer_width=\"64\"\nunix\nfoo=\"a\\tb\\\\c\"\n",
        )
        .unwrap();
        assert_eq!(t.os(), Some("macos"));
        assert!(t.has_value("target_abi", ""));
        assert!(t.has_name("unix"));
        assert_eq!(t.value("foo"), Some("a\\tb\\\\c"));
        let e = TargetCfg::from_rustc_cfg("x", "target_os=linux").unwrap_err();
        assert_eq!(
            e.to_string(),
            "rustc --print cfg line \"target_os=linux\": expected name or name=\"value\""
        );
    }

    #[test]
    fn differences_in_the_values_every_target_has_are_found() {
        let a = TargetCfg::from_rustc_cfg("t", "target_os=\"linux\"\ntarget_arch=\"x86\"\nunix")
            .unwrap();
        let b = TargetCfg::from_rustc_cfg("t", "target_os=\"linux\"\ntarget_arch=\"x86\"").unwrap();
        assert_eq!(a.first_difference(&b), None);
        let c = TargetCfg::from_rustc_cfg("t", "target_os=\"none\"\ntarget_arch=\"x86\"").unwrap();
        assert_eq!(
            a.first_difference(&c),
            Some(("target_os", Some("linux"), Some("none")))
        );
    }

    /// A target as rustc describes its architecture.
    fn arch(triple: &str, arch: &str, endian: &str, width: &str) -> TargetCfg {
        TargetCfg::from_rustc_cfg(
            triple,
            &format!(
                "target_arch=\"{}\"\ntarget_endian=\"{}\"\ntarget_pointer_width=\"{}\"\n",
                arch, endian, width
            ),
        )
        .unwrap()
    }

    #[test]
    fn go_names_come_from_one_table_by_width_and_endianness() {
        for (triple, a, endian, width, go, value) in [
            (
                "x86_64-unknown-linux-gnu",
                "x86_64",
                "little",
                "64",
                Some("amd64"),
                "amd64",
            ),
            (
                "x86_64-unknown-linux-gnux32",
                "x86_64",
                "little",
                "32",
                Some("amd64p32"),
                "amd64p32",
            ),
            (
                "i686-unknown-linux-gnu",
                "x86",
                "little",
                "32",
                Some("386"),
                "386",
            ),
            (
                "aarch64-unknown-linux-gnu",
                "aarch64",
                "little",
                "64",
                Some("arm64"),
                "arm64",
            ),
            // A name Go knows though no Go port runs there: the override
            // value, not a Go column (`cargo platform-guard matrix`).
            (
                "aarch64_be-unknown-linux-gnu",
                "aarch64",
                "big",
                "64",
                Some("arm64be"),
                "arm64be",
            ),
            // ILP32: Go has no name (its arm64 is LP64), so Rust's is kept;
            // it was `arm64` before the table was one.
            (
                "aarch64-unknown-linux-gnu_ilp32",
                "aarch64",
                "little",
                "32",
                None,
                "aarch64",
            ),
            (
                "aarch64_be-unknown-linux-gnu_ilp32",
                "aarch64",
                "big",
                "32",
                None,
                "aarch64",
            ),
            (
                "armebv7r-none-eabi",
                "arm",
                "big",
                "32",
                Some("armbe"),
                "armbe",
            ),
            (
                "powerpc64le-unknown-linux-gnu",
                "powerpc64",
                "little",
                "64",
                Some("ppc64le"),
                "ppc64le",
            ),
            (
                "powerpc64-unknown-linux-gnu",
                "powerpc64",
                "big",
                "64",
                Some("ppc64"),
                "ppc64",
            ),
            (
                "mipsisa32r6el-unknown-linux-gnu",
                "mips32r6",
                "little",
                "32",
                Some("mipsle"),
                "mipsle",
            ),
            (
                "mips64-n32",
                "mips64",
                "big",
                "32",
                Some("mips64p32"),
                "mips64p32",
            ),
            ("avr-none", "avr", "little", "16", None, "avr"),
        ] {
            let t = arch(triple, a, endian, width);
            assert_eq!(ArchNames::go_arch(&t), go, "{}", triple);
            assert_eq!(ArchNames::Go.arch_value(&t), value, "{}", triple);
            assert_eq!(ArchNames::Rust.arch_value(&t), a, "{}", triple);
        }
    }
}
