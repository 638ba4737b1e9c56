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
//!     .stable(r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")"#)
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
//! `platform_guard::Policy::from_manifest().build();`).
//!
//! Data flows one way: policy + target cfg (`TargetCfg`) -> [`Verdict`]
//! (through the pure `Policy::classify`) -> build directives, run-time
//! decision, or report.
//!
//! # Features
//!
//! Without features the crate is only what the run time needs: [`enforce!`],
//! [`check!`], [`Level`], [`ArchNames`], [`Verdict`], [`RuleName`],
//! [`Refusal`], [`Error`], [`ErrorKind`] and [`package_override_var`]. A
//! program that only calls the macros (with or without its own build
//! script) depends on it that way and does not compile the policy engine.
//!
//! - `policy`: the pure model, with no dependencies and Rust 1.63: `Policy`
//!   and `Rule` (building and classifying), `Preset`, `RuleWarning`,
//!   `Requirement` and `CiJob`, `Floor`, `FloorVersion` and
//!   `x86_64_level_features` (a rule's floors), `CfgExpr` and `MAX_DEPTH`, `TargetCfg`,
//!   `ArchNames::arch_value` and `ArchNames::go_arch`, and `suggest`
//!   (the "did you mean" of every message).
//! - `build` (implies `policy`): `Policy::build()`/`try_build()`,
//!   `BuildEnv`, `BuildDecision`, `Denial`, `DeniedBy`, `Emitter`,
//!   `Dialect`, `Directive`, `CFG_NAME`, `DENY_VAR`, `DOCS_RS_VAR`. Enable
//!   it on the build-dependency.
//! - `manifest` (implies `build`; Rust 1.85): `Policy::from_manifest()`,
//!   `ManifestPolicy`, `MANIFEST_TABLE`, `WORKSPACE_TABLE`, `Workspace`
//!   (membership as Cargo reads it) with `DEPENDENCY_TABLES`, `files`
//!   (the bounded file reader they and the command use), and
//!   `EmbeddedRecord` and `RECORD_SECTION` (a program's record, read back).
//!
//! The `cargo platform-guard` command is a package of its own
//! (`cargo-platform-guard`), built on this API.

// No unsafe code, except where the build has a CPU gate (target features
// beyond the baseline on x86_64 or aarch64 Linux): then its one private
// module assembles it and reads what it recorded (src/cpu/mod.rs says why).
#![cfg_attr(not(platform_guard_cpu_gate), forbid(unsafe_code))]
#![cfg_attr(platform_guard_cpu_gate, deny(unsafe_code))]
#![warn(missing_docs)]
// docs.rs shows the feature each item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "build")]
mod build;
#[cfg(feature = "policy")]
mod cfg;
#[cfg(feature = "policy")]
mod ci;
mod comma_sep;
// Its `const fn`s return the message that stops a compile as a fixed-size
// buffer by value: nothing can be boxed at compile time.
#[allow(clippy::result_large_err)]
mod compile;
mod const_text;
// `agrees` returns the message that stops a compile by value, as compile.rs.
#[allow(clippy::result_large_err)]
mod cpu;
mod error;
// Public with `manifest` (for `cargo platform-guard`); the build script
// reads through it too.
#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub mod files;
#[cfg(all(feature = "build", not(feature = "manifest")))]
mod files;
#[cfg(feature = "policy")]
mod floor;
#[cfg(feature = "policy")]
mod known;
mod level;
#[cfg(feature = "manifest")]
mod manifest;
mod manifest_scan;
mod override_var;
#[cfg(feature = "policy")]
mod policy;
#[cfg(feature = "policy")]
mod preset;
mod record;
#[allow(clippy::result_large_err)]
mod runtime;
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub mod suggest;
#[cfg(feature = "policy")]
mod target;
#[cfg(all(test, feature = "policy"))]
mod testing;
mod verdict;
#[cfg(feature = "manifest")]
mod workspace;
mod zero_setup;

#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
pub use build::decision::{BuildDecision, Denial, DeniedBy};
#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
pub use build::emit::{Dialect, Directive, Emitter, CFG_NAME};
#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
pub use build::env::{BuildEnv, DENY_VAR, DOCS_RS_VAR};
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use cfg::{CfgExpr, MAX_DEPTH};
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use ci::{CiJob, Requirement};
pub use error::{Error, ErrorKind};
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use floor::{x86_64_level_features, Floor, FloorVersion};
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use known::RuleWarning;
pub use level::{ArchNames, Level};
#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub use manifest::{ManifestPolicy, MANIFEST_TABLE, WORKSPACE_TABLE};
pub use override_var::package_override_var;
#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub use record::{EmbeddedRecord, SECTION as RECORD_SECTION};
// Twice, so that rustc's help for `platform_guard::Policy` written without
// features ("found an item that was configured out ... gated behind the
// `build` feature") names first the feature a build script needs.
#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use policy::{Policy, Rule};
#[cfg(all(feature = "policy", not(feature = "build")))]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use policy::{Policy, Rule};
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use preset::Preset;
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use target::{CompileSettings, TargetCfg};
pub use verdict::{Refusal, RuleName, Verdict};
#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub use workspace::{Workspace, DEPENDENCY_TABLES};

#[doc(hidden)]
pub mod __private {
    pub use crate::compile::Compile;
    pub use crate::const_text::Text;
    #[cfg(platform_guard_cpu_gate)]
    pub use crate::cpu::{gate_check as cpu_gate_check, gate_enforce as cpu_gate_enforce};
    pub use crate::record::Record;
    pub use crate::runtime::{check, enforce, Compiled, Enforce, Found, Lift, MayRefuse};
}

/// The record of the verdict `$compiled` (a `Compiled` constant) that the
/// program carries, in the ELF section `.pguard` (`src/record.rs`).
#[doc(hidden)]
#[macro_export]
macro_rules! __record {
    ($compiled:ident, $mode:literal) => {
        // Built once, then copied at its length (a `const` block of its own,
        // compiled only where the section is written).
        #[cfg(any(
            target_os = "linux",
            target_os = "android",
            target_os = "freebsd",
            target_os = "netbsd",
            target_os = "openbsd",
            target_os = "dragonfly",
            target_os = "illumos",
            target_os = "solaris"
        ))]
        const _: () = {
            const RECORD: $crate::__private::Record = $compiled.record($mode);
            #[used]
            #[link_section = ".pguard"]
            static PLATFORM_GUARD_RECORD: [u8; RECORD.len()] = RECORD.bytes();
        };
    };
}

/// The verdict fixed at compile time for the compile that expands it, or
/// one `evaluation panicked` error at the call site with the message that
/// stops it (see `src/runtime.rs`).
#[doc(hidden)]
#[macro_export]
macro_rules! __compiled {
    () => {
        match $crate::__private::Compiled::select($crate::__private::Found {
            this: ::core::env!("CARGO_MANIFEST_DIR"),
            package: ::core::env!("CARGO_PKG_NAME"),
            version: ::core::env!("CARGO_PKG_VERSION"),
            out_dir: ::core::option_env!("OUT_DIR"),
            manifest: ::core::include_bytes!(::core::concat!(
                ::core::env!("CARGO_MANIFEST_DIR"),
                "/Cargo.toml"
            )),
            compile: $crate::__private::Compile {
                debug_assertions: ::core::cfg!(debug_assertions),
                panic: if ::core::cfg!(panic = "abort") {
                    "abort"
                } else if ::core::cfg!(panic = "unwind") {
                    "unwind"
                } else {
                    ""
                },
            },
            features: $crate::__cpu_seen!(mask),
            run: ::core::option_env!("PLATFORM_GUARD_RUN"),
            done: ::core::option_env!("PLATFORM_GUARD_DONE"),
            level: ::core::option_env!("PLATFORM_GUARD_LEVEL"),
            target: ::core::option_env!("PLATFORM_GUARD_TARGET"),
            rule_index: ::core::option_env!("PLATFORM_GUARD_RULE_INDEX"),
            rule: ::core::option_env!("PLATFORM_GUARD_RULE"),
            override_var: ::core::option_env!("PLATFORM_GUARD_OVERRIDE_VAR"),
            override_value: ::core::option_env!("PLATFORM_GUARD_OVERRIDE_VALUE"),
            assumed: ::core::option_env!("PLATFORM_GUARD_ASSUMED"),
        }) {
            ::core::result::Result::Ok(compiled) => compiled,
            ::core::result::Result::Err(stop) => ::core::panic!("{}", stop.as_str()),
        }
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
/// one warning line (once per process) and returns.
///
/// The verdict comes from the crate's own build script (`Policy::build()`),
/// or, in a crate without one, from this crate's default policy; the
/// variable is then `<PACKAGE>_UNSUPPORTED_ARCH` for the package that calls
/// the macro ([`package_override_var`]).
///
/// On a WebAssembly target without an operating system
/// (`wasm32-unknown-unknown`), where a program has no environment and no
/// stderr, an `enforce!()` that could refuse is a compile error: the
/// refusal could neither say why nor be lifted. Use [`check!`] there.
///
/// Where the build's target features exceed the target's baseline
/// (`-C target-cpu=x86-64-v3`, `+lse`) on x86_64 or aarch64 Linux, it also
/// refuses on a CPU that lacks them: before `main`, with one line naming
/// what is missing, whatever the override variable holds (README, "The CPU
/// gate"). Every call also leaves a record of the verdict in the ELF
/// section `.pguard` (README, "The record in the binary").
///
/// ```no_run
/// // src/main.rs, the first line of main: refuse early, like etcd
/// platform_guard::enforce!();
/// ```
#[macro_export]
macro_rules! enforce {
    () => {{
        const PLATFORM_GUARD_COMPILED: $crate::__private::Compiled = $crate::__compiled!();
        const PLATFORM_GUARD_MAY_REFUSE: bool = match PLATFORM_GUARD_COMPILED.may_refuse_here() {
            ::core::result::Result::Ok(may) => may,
            ::core::result::Result::Err(stop) => ::core::panic!("{}", stop.as_str()),
        };
        // A zero-setup denial lifted by this package's own variable: a
        // warning (deprecation) in this compile, which stays a warning under
        // `-D warnings` as a build script's would; nothing otherwise.
        #[warn(warnings, deprecated)]
        let _ = $crate::__private::Lift::<{ PLATFORM_GUARD_COMPILED.lift() }>::NOTE;
        $crate::__cpu_gate!(enforce);
        $crate::__record!(PLATFORM_GUARD_COMPILED, "enforce");
        <$crate::__private::MayRefuse<{ PLATFORM_GUARD_MAY_REFUSE }> as $crate::__private::Enforce>::enforce(
            &PLATFORM_GUARD_COMPILED,
        );
    }};
}

/// The platform check as a value, for programs that decide for themselves:
/// `Ok(Verdict)` when the program may run (stable, experimental, or the
/// override variable holds the expected value), `Err(Refusal)` otherwise.
/// Prints nothing.
///
/// Where the build's target features exceed the target's baseline on
/// x86_64 or aarch64 Linux, a CPU that lacks them is an `Err(Refusal)` too
/// ([`Refusal::missing_features`]); if the program meets a missing
/// instruction before it has handled it, the refusal's line is printed and
/// the process exits with status 1 (README, "The CPU gate").
///
/// ```no_run
/// if let Err(refusal) = platform_guard::check!() {
///     eprintln!("{}", refusal);
///     std::process::exit(1);
/// }
/// ```
#[macro_export]
macro_rules! check {
    () => {{
        const PLATFORM_GUARD_COMPILED: $crate::__private::Compiled = $crate::__compiled!();
        #[warn(warnings, deprecated)]
        let _ = $crate::__private::Lift::<{ PLATFORM_GUARD_COMPILED.lift() }>::NOTE;
        $crate::__cpu_gate!(check);
        $crate::__record!(PLATFORM_GUARD_COMPILED, "check");
        $crate::__private::check(&PLATFORM_GUARD_COMPILED)
    }};
}
