//! The implementation of [platform-guard](https://docs.rs/platform-guard):
//! everything of it that does not depend on its build script's output, in a
//! package without a build script, so that Cargo compiles it while it
//! compiles platform-guard's build script.
//!
//! Depend on `platform-guard`, not on this crate. platform-guard re-exports
//! the API documented here, pins this crate's exact version, and holds what
//! needs its build script: the macros (`enforce!`, `check!`), the
//! zero-setup verdict, and the CPU gate. What is `#[doc(hidden)]` here is
//! the macros' private API and changes without notice.

// No unsafe code: the CPU gate, which needs it, is platform-guard's
// (src/gate/mod.rs there).
#![forbid(unsafe_code)]
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
pub use record::{
    EmbeddedRecord, MACHO_SECTION as RECORD_MACHO_SECTION, MACHO_SEGMENT as RECORD_MACHO_SEGMENT,
    NOTE_ALIGN as RECORD_NOTE_ALIGN, NOTE_OWNER as RECORD_NOTE_OWNER,
    NOTE_SECTION as RECORD_NOTE_SECTION, NOTE_TYPE as RECORD_NOTE_TYPE,
};
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
    pub use crate::cpu::{GATE_TARGET as CPU_GATE_TARGET, OWN as CPU_OWN, TESTED as CPU_TESTED};
    pub use crate::record::{Note, Record};
    pub use crate::runtime::{check, enforce, Compiled, Enforce, Found, MayRefuse, Own};
}
