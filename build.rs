//! Zero-setup mode: classifies the target this crate is compiled for with
//! the default policy, so `enforce!()` works in a crate that has no build
//! script of its own. Std-only and small: it evaluates the default policy by
//! hand (`src/zero_setup.rs`, proven equal to the engine by a test) instead
//! of compiling the policy engine, and it runs no compiler (the
//! `platform_support` cfg is declared for check-cfg in Cargo.toml's
//! `[lints.rust]` table instead).

#[path = "src/zero_setup.rs"]
#[allow(dead_code)]
mod zero_setup;

use std::io::Write;

fn main() {
    if let Err(message) = run() {
        let _ = writeln!(std::io::stderr(), "error: platform-guard: {}", message);
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let target = cargo_var("TARGET")?;
    let arch = cargo_var("CARGO_CFG_TARGET_ARCH")?;
    let os = cargo_var("CARGO_CFG_TARGET_OS")?;
    let width = cargo_var("CARGO_CFG_TARGET_POINTER_WIDTH")?;
    let rule = zero_setup::classify(&arch, &os, &width);
    let level = rule.map_or(zero_setup::NO_MATCH, |i| zero_setup::RULES[i].level);
    let rule = rule.map_or_else(String::new, |i| i.to_string());
    // `cargo:` (not `cargo::`): this package's rust-version is below 1.77.
    let out = format!(
        "cargo:rustc-cfg=platform_support=\"{level}\"\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_TARGET={target}\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_RULE={rule}\n\
         cargo:rustc-env=PLATFORM_GUARD_OWN_VALUE={arch}\n\
         cargo:rerun-if-changed=build.rs\n",
        level = level,
        target = target,
        rule = rule,
        arch = arch,
    );
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| format!("cannot write the build-script output: {}", e))
}

/// A variable Cargo sets for every build script: present, UTF-8, one word
/// of printable text (it is written into directives). This script's one
/// door to the environment.
#[allow(clippy::disallowed_methods)]
fn cargo_var(name: &str) -> Result<String, String> {
    let value = std::env::var_os(name).ok_or_else(|| {
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
