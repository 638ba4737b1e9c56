//! The cfg values Cargo decides per compile rather than per target (the
//! profile's debug assertions and panic strategy), as a build script
//! assumed them and as one compile of a crate really has them.
//!
//! A build script runs once for every crate of its package, and Cargo does
//! not tell it everything the compiles will get: `CARGO_CFG_PANIC` is the
//! target's strategy even when the profile sets `panic = "abort"`, and
//! `CARGO_CFG_DEBUG_ASSERTIONS` is set by Cargo 1.93+ only, and may be left
//! over from an enclosing build. So when a rule tests one of these names,
//! the build script records the value it decided with
//! (`PLATFORM_GUARD_ASSUMED`), and `enforce!()`/`check!()` compare it with
//! the compile's own value (`cfg!()` in the crate they expand in): a
//! difference stops that compile, naming both values, instead of leaving
//! the program on a verdict made for another compile.
//!
//! The wire form: `name=value` entries joined with `,`: `debug_assertions=on`
//! or `=off`, `panic=unwind` or `=abort` (or another strategy's name).

use crate::const_text::{same_bytes, split_once, Text};

/// The names whose per-compile value the run-time macros can see.
#[cfg_attr(not(feature = "build"), allow(dead_code))]
pub(crate) const SEEN: [&str; 2] = ["debug_assertions", "panic"];

/// One compile's own values, from `cfg!()` in the crate that expands the
/// macros.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Compile {
    pub debug_assertions: bool,
    /// `"unwind"`, `"abort"`, or `""` for a strategy this crate does not
    /// name (such as nightly's `immediate-abort`).
    pub panic: &'static str,
}

/// A value the build script assumed that this compile does not have: the
/// message that stops the compile.
#[inline]
pub(crate) const fn check(assumed: &str, compile: Compile) -> Result<(), Text> {
    let mut rest = assumed.as_bytes();
    while !rest.is_empty() {
        let (entry, more) = split_once(rest, b',');
        rest = more;
        let (name, value) = split_once(entry, b'=');
        let actual = if same_bytes(name, b"debug_assertions") {
            if compile.debug_assertions {
                "on"
            } else {
                "off"
            }
        } else if same_bytes(name, b"panic") {
            compile.panic
        } else {
            return Err(Text::new().push(
                "platform-guard: PLATFORM_GUARD_ASSUMED from this crate's build script names a \
                 cfg this version of platform-guard does not know: expected the build script \
                 and the crate to use the same platform-guard",
            ));
        };
        if !same_bytes(value, actual.as_bytes()) {
            return Err(differs(name, value, actual));
        }
    }
    Ok(())
}

/// `platform-guard: this crate's build script decided its verdict with NAME
/// = "A", but this compile has NAME = "B" ...`.
#[inline]
const fn differs(name: &[u8], assumed: &[u8], actual: &str) -> Text {
    let name = match core::str::from_utf8(name) {
        Ok(n) => n,
        Err(_) => "?",
    };
    let assumed = match core::str::from_utf8(assumed) {
        Ok(a) => a,
        Err(_) => "?",
    };
    let actual = if actual.is_empty() { "another" } else { actual };
    let m = Text::new()
        .push("platform-guard: this crate's build script decided its verdict with ")
        .push(name)
        .push(" = \"")
        .push(assumed)
        .push("\", but this compile has ")
        .push(name)
        .push(" = \"")
        .push(actual)
        .push("\": a rule of the policy tests `")
        .push(name)
        .push("`, and ");
    if same_bytes(name.as_bytes(), b"panic") {
        m.push(
            "Cargo tells build scripts the target's panic strategy, not the profile's; give the \
             build the strategy in its rustflags too (RUSTFLAGS=-Cpanic=abort, or [build] \
             rustflags in .cargo/config.toml), or test `panic` in no rule",
        )
    } else {
        m.push(
            "the build script's value (CARGO_CFG_DEBUG_ASSERTIONS, which Cargo sets from 1.93 \
             and which a build inside another build inherits; before 1.93 the opt-level) does \
             not describe this compile; build it with matching settings, or test \
             `debug_assertions` in no rule",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEBUG: Compile = Compile {
        debug_assertions: true,
        panic: "unwind",
    };

    #[test]
    fn the_compile_s_values_must_be_the_assumed_ones() {
        assert!(check("", DEBUG).is_ok());
        assert!(check("debug_assertions=on", DEBUG).is_ok());
        assert!(check("debug_assertions=on,panic=unwind", DEBUG).is_ok());
        let e = check("debug_assertions=on,panic=abort", DEBUG).unwrap_err();
        assert!(
            e.as_str().starts_with(
                "platform-guard: this crate's build script decided its verdict with panic = \
                 \"abort\", but this compile has panic = \"unwind\": a rule of the policy tests \
                 `panic`, and Cargo tells build scripts"
            ),
            "{}",
            e.as_str()
        );
        let e = check("debug_assertions=off", DEBUG).unwrap_err();
        assert!(e.as_str().contains(
            "debug_assertions = \"off\", but this compile has debug_assertions = \"on\""
        ));
        assert!(check("overflow_checks=on", DEBUG).is_err());
        let other = Compile {
            debug_assertions: false,
            panic: "",
        };
        assert!(check("panic=unwind", other)
            .unwrap_err()
            .as_str()
            .contains("this compile has panic = \"another\""));
    }
}
