//! Turn a project's "Supported systems" policy into something the build and
//! the program enforce.
//!
//! A policy lists Cargo cfg expressions with a support [`Level`] each
//! (first match wins; anything unlisted is [`Level::Unsupported`]). In a
//! build script, `Policy::build()` (feature `build`) classifies the target,
//! sets the `platform_support = "<level>"` cfg, warns on non-stable targets
//! and fails the build for denied levels. In `main`, [`enforce!`] refuses to
//! run on an unstable or unsupported platform unless the override variable
//! holds the target's architecture, as etcd does with `ETCD_UNSUPPORTED_ARCH`.
//!
//! ```no_run
//! // build.rs (with platform-guard as a build-dependency, feature "build")
//! # #[cfg(feature = "build")]
//! # fn main() {
//! platform_guard::Policy::new("MYAPP_UNSUPPORTED_ARCH")
//!     .stable(r#"all(target_arch = "x86_64", target_os = "linux")"#)
//!     .maintainers("core team")
//!     .experimental(r#"all(target_pointer_width = "64", target_os = "macos")"#)
//!     .deny(platform_guard::Level::Unsupported)
//!     .build();
//! # }
//! # #[cfg(not(feature = "build"))]
//! # fn main() {}
//! ```
//!
//! ```no_run
//! // src/main.rs (with platform-guard as a dependency): first line of main
//! platform_guard::enforce!();
//! ```
//!
//! With feature `manifest`, `Policy::from_manifest()` reads the policy from
//! the consumer's `[package.metadata.platform-guard]` table instead, so it
//! can change without touching Rust code (`build.rs` is then one line:
//! `platform_guard::Policy::from_manifest().build();`). With feature `cli`,
//! `cargo platform-guard matrix|check|explain|doc` reads, checks and
//! publishes the same policy.
//!
//! Data flows one way: policy + target cfg (`TargetCfg`) -> [`Verdict`]
//! (through the pure `Policy::classify`) -> build directives, runtime
//! decision, or report.
//!
//! # Features
//!
//! Without features the crate is only what the runtime needs: [`enforce!`],
//! [`check!`], [`Level`], [`ArchNames`], [`Verdict`], [`Refusal`], [`Error`]
//! and [`ErrorKind`]. A program that only calls the macros (with or without
//! its own build script) depends on it that way and does not compile the
//! policy engine.
//!
//! - `policy`: the pure model, with no dependencies and Rust 1.63: `Policy`
//!   and `Rule` (building and classifying), `CfgExpr` and `MAX_DEPTH`,
//!   `TargetCfg`, `ArchNames::arch_value`, and `Emitter`, `Dialect`,
//!   `Directive` and `CFG_NAME` (the build-script output).
//! - `build` (implies `policy`): `Policy::build()`/`try_build()`,
//!   `BuildEnv`, `BuildDecision`, `DENY_VAR`, `DOCS_RS_VAR`. Enable it on the
//!   build-dependency.
//! - `manifest` (implies `build`; Rust 1.85): `Policy::from_manifest()`,
//!   `ManifestPolicy`, `MANIFEST_TABLE`.
//! - `cli` (implies `manifest`; Rust 1.85): the `cargo-platform-guard`
//!   command.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "build")]
mod build_script;
#[cfg(feature = "policy")]
mod cfg;
#[cfg(feature = "build")]
mod decision;
#[cfg(feature = "policy")]
mod emit;
mod error;
mod level;
#[cfg(feature = "manifest")]
mod manifest;
#[cfg(feature = "policy")]
mod policy;
mod runtime;
#[cfg(feature = "manifest")]
mod suggest;
#[cfg(feature = "policy")]
mod target;
mod verdict;

#[cfg(feature = "build")]
pub use build_script::{BuildEnv, DENY_VAR, DOCS_RS_VAR};
#[cfg(feature = "policy")]
pub use cfg::{CfgExpr, MAX_DEPTH};
#[cfg(feature = "build")]
pub use decision::BuildDecision;
#[cfg(feature = "policy")]
pub use emit::{Dialect, Directive, Emitter, CFG_NAME};
pub use error::{Error, ErrorKind};
pub use level::{ArchNames, Level};
#[cfg(feature = "manifest")]
pub use manifest::{ManifestPolicy, MANIFEST_TABLE};
#[cfg(feature = "policy")]
pub use policy::{Policy, Rule};
#[cfg(feature = "policy")]
pub use target::TargetCfg;
pub use verdict::{Refusal, Verdict};

#[doc(hidden)]
pub mod __private {
    pub use crate::runtime::{check, enforce, Compiled};
}

/// The verdict fixed at compile time for the crate that expands it.
#[doc(hidden)]
#[macro_export]
macro_rules! __compiled {
    () => {
        $crate::__private::Compiled::select(
            ::core::option_env!("PLATFORM_GUARD_LEVEL"),
            ::core::option_env!("PLATFORM_GUARD_TARGET"),
            ::core::option_env!("PLATFORM_GUARD_RULE"),
            ::core::option_env!("PLATFORM_GUARD_OVERRIDE_VAR"),
            ::core::option_env!("PLATFORM_GUARD_OVERRIDE_VALUE"),
            ::core::env!("CARGO_PKG_NAME"),
        )
    };
}

/// Refuses to run on an unstable or unsupported platform: put it first in
/// `main`.
///
/// On a stable or experimental target it does nothing (and compiles to
/// nothing: the level is a compile-time constant). On an unstable or
/// unsupported target it prints one line to stderr naming the target, its
/// level, the override variable and the exact value to set, and exits with
/// status 1, unless the variable holds exactly that value; then it prints
/// one warning line and returns.
///
/// The verdict comes from the crate's build script (`Policy::build()`), or,
/// with no build script, from this crate's default policy; the variable is
/// then `<PACKAGE>_UNSUPPORTED_ARCH` for the package that calls the macro.
#[macro_export]
macro_rules! enforce {
    () => {{
        const PLATFORM_GUARD_COMPILED: $crate::__private::Compiled = $crate::__compiled!();
        const PLATFORM_GUARD_MAY_REFUSE: bool = PLATFORM_GUARD_COMPILED.may_refuse();
        if PLATFORM_GUARD_MAY_REFUSE {
            $crate::__private::enforce(&PLATFORM_GUARD_COMPILED);
        }
    }};
}

/// The platform check as a value, for programs that decide for themselves:
/// `Ok(Verdict)` when the program may run (stable, experimental, or the
/// override variable holds the expected value), `Err(Refusal)` otherwise.
/// Prints nothing.
#[macro_export]
macro_rules! check {
    () => {{
        const PLATFORM_GUARD_COMPILED: $crate::__private::Compiled = $crate::__compiled!();
        $crate::__private::check(&PLATFORM_GUARD_COMPILED)
    }};
}
