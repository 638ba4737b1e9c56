//! Zero-setup mode: classify the target this crate is compiled for with the
//! default policy, so `enforce!()` works in a crate that has no build script
//! of its own. Std-only: it shares the policy code in `src/` instead of
//! depending on anything.

#![allow(dead_code)]

#[path = "src/cfg.rs"]
mod cfg;
#[path = "src/emit.rs"]
mod emit;
#[path = "src/error.rs"]
mod error;
#[path = "src/level.rs"]
mod level;
#[path = "src/policy.rs"]
mod policy;
#[path = "src/target.rs"]
mod target;
#[path = "src/verdict.rs"]
mod verdict;

use std::io::Write;
use std::process::Command;

fn main() {
    if let Err(e) = run() {
        let _ = writeln!(std::io::stderr(), "error: platform-guard: {}", e);
        std::process::exit(1);
    }
}

fn run() -> Result<(), error::Error> {
    let target = target::TargetCfg::from_cargo_env(std::env::vars_os())?;
    // The variable name is the consumer's (`<PACKAGE>_UNSUPPORTED_ARCH`),
    // chosen when the macro expands; this one is never shown.
    let verdict =
        policy::Policy::default_policy("PLATFORM_GUARD_UNSUPPORTED_ARCH").classify(&target);
    let dialect = emit::Dialect::for_toolchain(rustc_minor(), Some(63));
    let stdout = std::io::stdout();
    let mut emitter = emit::Emitter::new(stdout.lock(), dialect);
    // Rerun only when this script is rebuilt (which Cargo does when it or the
    // src/ files it includes change), not on every file change in the package.
    emitter.emit(emit::Directive::RerunIfChanged("build.rs"))?;
    emitter.emit_verdict(&verdict)
}

/// The compiler's minor version from `$RUSTC -vV` (`release: 1.95.0`); 0
/// when it cannot be learned, which only leaves out the check-cfg
/// declaration.
fn rustc_minor() -> u64 {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = match Command::new(rustc).arg("-vV").output() {
        Ok(o) if o.status.success() => o.stdout,
        _ => return 0,
    };
    String::from_utf8_lossy(&output)
        .lines()
        .find_map(|l| l.strip_prefix("release: "))
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}
