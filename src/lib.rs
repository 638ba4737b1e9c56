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
//!   `EmbeddedRecord`, `RECORD_NOTE_SECTION`, `RECORD_NOTE_OWNER`,
//!   `RECORD_NOTE_TYPE`, `RECORD_NOTE_ALIGN`, `RECORD_MACHO_SEGMENT` and
//!   `RECORD_MACHO_SECTION` (a program's record, read back).
//!
//! The `cargo platform-guard` command is a package of its own
//! (`cargo-platform-guard`), built on this API.
//!
//! This crate is the build script, the macros, the zero-setup verdict and
//! the CPU gate; everything else is `platform-guard-core`, re-exported here,
//! a package without a build script that Cargo compiles while it compiles
//! this crate's build script. Depend on this crate, not on that one.

// No unsafe code, except where the build has a CPU gate (target features
// beyond the baseline on x86_64 or aarch64 Linux): then its one private
// module assembles it and reads what it recorded (src/gate/mod.rs).
#![cfg_attr(not(platform_guard_cpu_gate), forbid(unsafe_code))]
#![cfg_attr(platform_guard_cpu_gate, deny(unsafe_code))]
#![warn(missing_docs)]
// docs.rs shows the feature each item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod gate;

#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub use platform_guard_core::files;
pub use platform_guard_core::package_override_var;
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::suggest;
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::RuleWarning;
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::{x86_64_level_features, Floor, FloorVersion};
pub use platform_guard_core::{ArchNames, Level};
#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
pub use platform_guard_core::{BuildDecision, Denial, DeniedBy};
#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
pub use platform_guard_core::{BuildEnv, DENY_VAR, DOCS_RS_VAR};
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::{CfgExpr, MAX_DEPTH};
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::{CiJob, Requirement};
#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
pub use platform_guard_core::{Dialect, Directive, Emitter, CFG_NAME};
#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub use platform_guard_core::{
    EmbeddedRecord, RECORD_MACHO_SECTION, RECORD_MACHO_SEGMENT, RECORD_NOTE_ALIGN,
    RECORD_NOTE_OWNER, RECORD_NOTE_SECTION, RECORD_NOTE_TYPE,
};
pub use platform_guard_core::{Error, ErrorKind};
#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub use platform_guard_core::{ManifestPolicy, MANIFEST_TABLE, WORKSPACE_TABLE};
// Twice, so that rustc's help for `platform_guard::Policy` written without
// features ("found an item that was configured out ... gated behind the
// `build` feature") names first the feature a build script needs.
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::Preset;
#[cfg(feature = "policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::{CompileSettings, TargetCfg};
#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::{Policy, Rule};
#[cfg(all(feature = "policy", not(feature = "build")))]
#[cfg_attr(docsrs, doc(cfg(feature = "policy")))]
pub use platform_guard_core::{Policy, Rule};
pub use platform_guard_core::{Refusal, RuleName, Verdict};
#[cfg(feature = "manifest")]
#[cfg_attr(docsrs, doc(cfg(feature = "manifest")))]
pub use platform_guard_core::{Workspace, DEPENDENCY_TABLES};

#[doc(hidden)]
pub mod __private {
    pub use crate::gate::missing as cpu_missing;
    #[cfg(platform_guard_cpu_gate)]
    pub use crate::gate::{gate_check as cpu_gate_check, gate_enforce as cpu_gate_enforce};
    pub use platform_guard_core::__private::*;
    use platform_guard_core::Level;

    cfg_if::cfg_if! {
        if #[cfg(platform_support = "stable")] {
            const OWN_LEVEL: Level = Level::Stable;
        } else if #[cfg(platform_support = "experimental")] {
            const OWN_LEVEL: Level = Level::Experimental;
        } else if #[cfg(platform_support = "unstable")] {
            const OWN_LEVEL: Level = Level::Unstable;
        } else if #[cfg(platform_support = "unsupported")] {
            const OWN_LEVEL: Level = Level::Unsupported;
        } else {
            compile_error!("platform-guard's build script did not set the platform_support cfg");
        }
    }

    /// This crate's own verdict for zero-setup mode: the default policy's,
    /// as the build script found it for the target of this compile.
    pub const OWN: Own = Own {
        level: OWN_LEVEL,
        target: env!("PLATFORM_GUARD_OWN_TARGET"),
        rule: env!("PLATFORM_GUARD_OWN_RULE"),
        value: env!("PLATFORM_GUARD_OWN_VALUE"),
        bad_deny: env!("PLATFORM_GUARD_OWN_BAD_DENY"),
        denied_by: env!("PLATFORM_GUARD_OWN_DENIED_BY"),
        lifts: env!("PLATFORM_GUARD_OWN_LIFTS"),
        gate: cfg!(platform_guard_cpu_gate),
    };

    /// Selects, by its number, the warning a zero-setup crate's compile
    /// prints when its own `<PACKAGE>_UNSUPPORTED_ARCH` lifts a
    /// `PLATFORM_GUARD_DENY` denial (0: none): `Lift::<N>::NOTE` is
    /// deprecated with that warning.
    pub struct Lift<const N: usize>;

    // `Lift<N>`'s associated `NOTE`: deprecated (so using it prints a
    // warning in the expanding crate) for the N-th variable that lifts a
    // zero-setup denial, written by the build script.
    include!(concat!(env!("OUT_DIR"), "/lifts.rs"));
}

#[doc(hidden)]
pub use platform_guard_core::{__cpu_features, __cpu_seen};

/// The record of the verdict `$compiled` (a `Compiled` constant) that the
/// program carries: an ELF note in the section `.note.pguard` or, on
/// Apple's targets, text in the Mach-O section `__TEXT,__pguard`
/// (platform-guard-core's `src/record.rs`; the linkers keep both, the ELF
/// one as a note section from rustc 1.63 on, the Mach-O one through
/// `-dead_strip` as `N_NO_DEAD_STRIP`).
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
            #[link_section = ".note.pguard"]
            static PLATFORM_GUARD_RECORD: $crate::__private::Note<{ RECORD.note_len() }> =
                RECORD.note();
        };
        #[cfg(target_vendor = "apple")]
        const _: () = {
            const RECORD: $crate::__private::Record = $compiled.record($mode);
            #[used]
            #[link_section = "__TEXT,__pguard"]
            static PLATFORM_GUARD_RECORD: [u8; RECORD.len()] = RECORD.bytes();
        };
    };
}

/// The verdict fixed at compile time for the compile that expands it, or
/// one `evaluation panicked` error at the call site with the message that
/// stops it (see platform-guard-core's `src/runtime.rs`).
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
            own: $crate::__private::OWN,
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
/// gate"). Every call also leaves a record of the verdict, an ELF note in
/// the section `.note.pguard`, or text in the Mach-O section
/// `__TEXT,__pguard` on Apple's targets (README, "The record in the
/// binary").
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
        $crate::__private::check(&PLATFORM_GUARD_COMPILED, $crate::__private::cpu_missing())
    }};
}

#[cfg(test)]
mod tests {
    use platform_guard_core::Level;

    /// The verdict the build script gave this crate for the host: the
    /// default policy's, for the host's target (platform-guard-core's tests
    /// prove `zero_setup.rs` equal to the policy engine's default policy).
    #[test]
    fn the_crate_s_own_verdict_comes_from_its_build_script() {
        let own = super::__private::OWN;
        // The default policy: 64-bit x86_64/aarch64 on Linux, macOS and
        // Windows are stable (rule 0), other 64-bit targets experimental
        // (rule 1), the rest unsupported (no rule).
        let (rule, level) = if cfg!(target_pointer_width = "64") {
            if cfg!(all(
                any(target_arch = "x86_64", target_arch = "aarch64"),
                any(
                    target_os = "linux",
                    target_os = "macos",
                    target_os = "windows"
                )
            )) {
                ("0", Level::Stable)
            } else {
                ("1", Level::Experimental)
            }
        } else {
            ("", Level::Unsupported)
        };
        assert_eq!((own.rule, own.level), (rule, level));
        assert_eq!(own.value, std::env::consts::ARCH);
        assert!(!own.target.is_empty());
        assert_eq!(own.gate, cfg!(platform_guard_cpu_gate));
    }

    /// The sections the reader looks in are the ones the macro writes: the
    /// ELF section, and the Mach-O segment and section.
    #[cfg(feature = "manifest")]
    #[test]
    fn the_macro_puts_records_in_the_section_the_reader_reads() {
        let lib = include_str!("lib.rs");
        for section in [
            platform_guard_core::RECORD_NOTE_SECTION.to_string(),
            format!(
                "{},{}",
                platform_guard_core::RECORD_MACHO_SEGMENT,
                platform_guard_core::RECORD_MACHO_SECTION
            ),
        ] {
            let attribute = format!("#[link_section = \"{}\"]", section);
            assert_eq!(lib.matches(&attribute).count(), 1, "{}", attribute);
        }
        // A Mach-O segment or section name is at most 16 bytes.
        assert!(platform_guard_core::RECORD_MACHO_SEGMENT.len() <= 16);
        assert!(platform_guard_core::RECORD_MACHO_SECTION.len() <= 16);
    }
}
