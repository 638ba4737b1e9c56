//! Zero-setup mode: classifies the target this crate is compiled for with
//! the default policy, so `enforce!()` works in a crate that has no build
//! script of its own, and notes whether `PLATFORM_GUARD_DENY` denies such a
//! crate's build, or is not a level (the macros then refuse to compile in
//! it, unless its `<PACKAGE>_UNSUPPORTED_ARCH` lifts the denial). Std-only and small: it
//! evaluates the default policy by hand (`src/zero_setup.rs`, proven equal
//! to the engine by a test) instead of compiling the policy engine, and it
//! runs no compiler (the `platform_support` cfg is declared for check-cfg
//! in Cargo.toml's `[lints.rust]` table instead).
//!
//! It also writes the CPU gate (`src/cpu/asm.rs`) when the target features
//! of the compile exceed the baseline on x86_64 or aarch64 Linux, and sets
//! the `platform_guard_cpu_gate` cfg then.

#[path = "src/cpu/table.rs"]
#[allow(dead_code)]
mod table;
#[path = "src/zero_setup.rs"]
#[allow(dead_code)]
mod zero_setup;

use std::ffi::OsString;
use std::io::Write;

use zero_setup::{LEVELS, NO_MATCH, RULES, VAR_SUFFIX};

fn main() {
    if let Err(message) = run() {
        let _ = writeln!(std::io::stderr(), "error: platform-guard: {}", message);
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let vars = Vars::from_process();
    let target = vars.cargo("TARGET")?;
    let arch = vars.cargo("CARGO_CFG_TARGET_ARCH")?;
    let os = vars.cargo("CARGO_CFG_TARGET_OS")?;
    let width = vars.cargo("CARGO_CFG_TARGET_POINTER_WIDTH")?;
    let rule = zero_setup::classify(&arch, &os, &width);
    let level = rule.map_or(NO_MATCH, |i| RULES[i].level);
    // `cargo:` (not `cargo::`): this package's rust-version is below 1.77.
    let mut out = format!(
        "cargo:rustc-cfg=platform_support=\"{level}\"\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_TARGET={target}\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_RULE={rule}\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_VALUE={arch}\n\
         cargo:rerun-if-changed=build.rs\n\
         cargo:rerun-if-env-changed=PLATFORM_GUARD_DENY\n\
         cargo:rerun-if-env-changed=DOCS_RS\n\
         cargo:rerun-if-env-changed=RUSTFLAGS\n\
         cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS\n",
        level = level,
        target = target,
        rule = rule.map_or_else(String::new, |i| i.to_string()),
        arch = arch,
    );
    // PLATFORM_GUARD_DENY as given (escaped as Rust writes a string), when it
    // is not a level: the macros of a crate without its own guard report it
    // where they expand (a crate with one reports it from its own build
    // script), so it is carried, not refused here.
    let (deny, bad_deny) = match vars.deny() {
        Deny::Unset => (None, String::new()),
        Deny::Level(level) => (Some(level), String::new()),
        Deny::Other(text) => (None, format!("={}", text.escape_debug())),
    };
    let (denied_by, lifts) = match deny {
        Some(deny) if rank(level) >= rank(deny) && vars.get("DOCS_RS").is_none() => {
            // Which crates' variables lift the denial is decided where the
            // macros expand (this script does not know its dependents):
            // every `*_UNSUPPORTED_ARCH` that holds the exact value is noted,
            // and while the denial stands this script reruns on every build
            // (a file that never exists), so a variable set later is seen.
            let mut lifts = Vec::new();
            for (name, value) in &vars.all {
                if let Some(name) = name.to_str().filter(|n| is_override_var(n)) {
                    out.push_str(&format!("cargo:rerun-if-env-changed={}\n", name));
                    if value.to_str() == Some(arch.as_str()) {
                        lifts.push(name);
                    }
                }
            }
            let never = vars.cargo("OUT_DIR")? + "/platform-guard-denial-stands";
            out.push_str(&format!("cargo:rerun-if-changed={}\n", never));
            (deny, lifts)
        }
        _ => ("", Vec::new()),
    };
    // `Lift<N>::NOTE` for the N-th variable that lifts the denial:
    // deprecated with the warning a build script gives for a lifted denial,
    // so the compile of the crate whose own variable it is prints it.
    let mut notes = String::from("impl Lift<0> {\n    pub const NOTE: () = ();\n}\n");
    for (i, var) in lifts.iter().enumerate() {
        let note = format!(
            "platform-guard: the denial of {} target {} by PLATFORM_GUARD_DENY={} is lifted \
             because {}={} is set",
            level, target, denied_by, var, arch
        );
        notes.push_str(&format!(
            "impl Lift<{}> {{\n    #[deprecated(note = {:?})]\n    pub const NOTE: () = ();\n}}\n",
            i + 1,
            note
        ));
    }
    out.push_str(&cpu_gate(&vars, &arch)?);
    let file = std::path::Path::new(&vars.cargo("OUT_DIR")?).join("lifts.rs");
    std::fs::write(&file, notes).map_err(|e| format!("cannot write {}: {}", file.display(), e))?;
    let lifts = lifts.join(",");
    out.push_str(&format!(
        "cargo:rustc-env=PLATFORM_GUARD_OWN_DENIED_BY={}\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_LIFTS={}\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_BAD_DENY={}\n",
        denied_by, lifts, bad_deny
    ));
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| format!("cannot write the build-script output: {}", e))
}

/// The CPU gate for the target features of this compile
/// (`CARGO_CFG_TARGET_FEATURE`), written to `OUT_DIR` when they exceed the
/// baseline on a target the gate knows: x86_64 or aarch64 Linux with glibc
/// or musl and 64-bit pointers (as `cpu::GATE_TARGET` in the crate). The
/// directive that turns it on, or nothing.
fn cpu_gate(vars: &Vars, arch: &str) -> Result<String, String> {
    let text = |name: &str| {
        vars.get(name)
            .and_then(|v| v.to_str())
            .unwrap_or("")
            .to_string()
    };
    let gate_target = text("CARGO_CFG_TARGET_OS") == "linux"
        && text("CARGO_CFG_TARGET_POINTER_WIDTH") == "64"
        && matches!(text("CARGO_CFG_TARGET_ENV").as_str(), "gnu" | "musl");
    let features = match table::table(arch) {
        Some(features) if gate_target => features,
        _ => return Ok(String::new()),
    };
    let assumed = text("CARGO_CFG_TARGET_FEATURE");
    let mut required = 0u64;
    for name in assumed.split(',') {
        if let Some(i) = table::index(features, name) {
            required |= 1 << i;
        }
    }
    if required & table::tested(features) == 0 {
        return Ok(String::new());
    }
    // Symbols unique to this build of the crate: FNV-1a of its OUT_DIR.
    let id = vars
        .cargo("OUT_DIR")?
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    Ok(format!(
        "cargo:rustc-cfg=platform_guard_cpu_gate\ncargo:rustc-env=PLATFORM_GUARD_CPU_ID={:016x}\n",
        id
    ))
}

/// A level's place from most to least supported.
fn rank(level: &str) -> usize {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .unwrap_or(LEVELS.len())
}

/// `<UPPER_CASE>_UNSUPPORTED_ARCH`: a name some package's override variable
/// could have.
fn is_override_var(name: &str) -> bool {
    name.strip_suffix(VAR_SUFFIX).map_or(false, |stem| {
        name.len() > VAR_SUFFIX.len()
            && stem
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    })
}

/// The environment, read once: this script's one door to it.
struct Vars {
    all: Vec<(OsString, OsString)>,
}

impl Vars {
    #[allow(clippy::disallowed_methods)]
    fn from_process() -> Vars {
        Vars {
            all: std::env::vars_os().collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&OsString> {
        self.all.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// A variable Cargo sets for every build script: present, UTF-8, one
    /// word of printable text (it is written into directives).
    fn cargo(&self, name: &str) -> Result<String, String> {
        let value = self.get(name).ok_or_else(|| {
            format!(
                "not running in a build script started by Cargo: {} is not set",
                name
            )
        })?;
        match value.to_str() {
            Some(v) if !v.is_empty() && !v.chars().any(|c| c.is_control() || c.is_whitespace()) => {
                Ok(v.to_string())
            }
            _ => Err(format!(
                "{} is {:?}: expected the non-empty value Cargo sets, without spaces or control \
                 characters",
                name, value
            )),
        }
    }

    /// `PLATFORM_GUARD_DENY`: unset, a level's wire name, or other text
    /// (lossily decoded when it is not UTF-8).
    fn deny(&self) -> Deny {
        let value = match self.get("PLATFORM_GUARD_DENY") {
            None => return Deny::Unset,
            Some(v) => v.to_string_lossy(),
        };
        match LEVELS.iter().find(|l| **l == value) {
            Some(level) => Deny::Level(level),
            None => Deny::Other(value.into_owned()),
        }
    }
}

/// What `PLATFORM_GUARD_DENY` holds.
enum Deny {
    Unset,
    Level(&'static str),
    Other(String),
}
