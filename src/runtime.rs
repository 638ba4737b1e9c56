//! The runtime gate behind `enforce!()` and `check!()`.
//!
//! The verdict is fixed at compile time. When the consumer's build script
//! ran `Policy::build()`, the macros read it from the `rustc-env` values that
//! script set (`option_env!`, in the consumer's crate). Otherwise (zero-setup
//! mode) they use this crate's own verdict: its build.rs classified the
//! target with `Policy::default_policy` (build.rs includes the policy code
//! itself, so this works without feature `policy`) and set the
//! `platform_support` cfg on this crate, which `cfg-if` turns into a
//! constant here. The consumer's macros cannot test `platform_support`
//! themselves: in zero-setup mode that cfg is undeclared in the consumer's
//! crate, and rustc (1.85+) reports `unexpected_cfgs` inside external macros.

use std::borrow::Cow;
use std::io::Write;

use crate::level::Level;
use crate::verdict::{Refusal, Verdict};

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

/// A verdict fixed at compile time, as the macros see it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Compiled {
    level: Level,
    target: &'static str,
    rule: &'static str,
    /// `None` in zero-setup mode: the name derives from `package`.
    override_var: Option<&'static str>,
    override_value: &'static str,
    package: &'static str,
}

impl Compiled {
    /// Selects the consumer's verdict when its build script set one, else
    /// this crate's own. Evaluated in a `const`, so an unknown level is a
    /// compile error, never a runtime surprise.
    #[doc(hidden)]
    pub const fn select(
        level: Option<&'static str>,
        target: Option<&'static str>,
        rule: Option<&'static str>,
        override_var: Option<&'static str>,
        override_value: Option<&'static str>,
        package: &'static str,
    ) -> Compiled {
        match (level, target, rule, override_var, override_value) {
            (Some(level), Some(target), Some(rule), Some(var), Some(value)) => Compiled {
                level: match Level::from_wire(level) {
                    Some(level) => level,
                    None => panic!(
                        "platform-guard: PLATFORM_GUARD_LEVEL is not stable, experimental, \
                         unstable or unsupported; Policy::build() in the build script sets it, \
                         and it must not be set in the build environment"
                    ),
                },
                target,
                rule,
                override_var: Some(var),
                override_value: value,
                package,
            },
            (None, None, None, None, None) => Compiled {
                level: OWN_LEVEL,
                target: env!("PLATFORM_GUARD_TARGET"),
                rule: env!("PLATFORM_GUARD_RULE"),
                override_var: None,
                override_value: env!("PLATFORM_GUARD_OVERRIDE_VALUE"),
                package,
            },
            _ => panic!(
                "platform-guard: some but not all of PLATFORM_GUARD_LEVEL, PLATFORM_GUARD_TARGET, \
                 PLATFORM_GUARD_RULE, PLATFORM_GUARD_OVERRIDE_VAR and \
                 PLATFORM_GUARD_OVERRIDE_VALUE are set; Policy::build() in the build script sets \
                 them all, and none may be set in the build environment"
            ),
        }
    }

    /// Whether this verdict can refuse to run (a constant after inlining).
    #[doc(hidden)]
    #[inline(always)]
    pub const fn may_refuse(&self) -> bool {
        self.level.refuses_to_run()
    }

    /// The verdict as a value.
    pub(crate) fn verdict(&self) -> Verdict {
        let var = match self.override_var {
            Some(var) => Cow::Borrowed(var),
            None => Cow::Owned(zero_setup_var(self.package)),
        };
        let rule = match self.rule {
            "" => None,
            rule => Some(Cow::Borrowed(rule)),
        };
        Verdict::new(
            Cow::Borrowed(self.target),
            self.level,
            rule,
            var,
            Cow::Borrowed(self.override_value),
        )
    }
}

/// `<PACKAGE>_UNSUPPORTED_ARCH`, upper-cased, `-` as `_`.
fn zero_setup_var(package: &str) -> String {
    let mut name: String = package
        .chars()
        .map(|c| match c {
            '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    name.push_str("_UNSUPPORTED_ARCH");
    name
}

/// `check!()`: the verdict, or why the program must not run.
#[doc(hidden)]
pub fn check(compiled: &Compiled) -> Result<Verdict, Refusal> {
    let verdict = compiled.verdict();
    if !compiled.may_refuse() {
        return Ok(verdict);
    }
    let value = std::env::var_os(verdict.override_var());
    verdict.clone().decide(value.as_deref()).map(|_| verdict)
}

/// `enforce!()` on a target that may refuse: decide, print one line, and
/// exit with status 1 on a refusal. Never panics, even when stderr is closed
/// or broken.
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn enforce(compiled: &Compiled) {
    let verdict = compiled.verdict();
    let value = std::env::var_os(verdict.override_var());
    let (line, refused) = match verdict.clone().decide(value.as_deref()) {
        Ok(false) => return,
        Ok(true) => (verdict.lifted_message(), false),
        Err(refusal) => (refusal.to_string(), true),
    };
    let _ = writeln!(std::io::stderr(), "{}", line);
    if refused {
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_setup_variable_follows_the_package_name() {
        assert_eq!(zero_setup_var("my-app"), "MY_APP_UNSUPPORTED_ARCH");
        assert_eq!(zero_setup_var("etcd_rs2"), "ETCD_RS2_UNSUPPORTED_ARCH");
    }

    #[test]
    fn consumer_values_win_over_the_crate_s_own() {
        const C: Compiled = Compiled::select(
            Some("unstable"),
            Some("i686-unknown-linux-gnu"),
            Some(""),
            Some("APP_ARCH"),
            Some("x86"),
            "app",
        );
        let v = C.verdict();
        assert_eq!(v.level(), Level::Unstable);
        assert_eq!(v.rule(), None);
        assert_eq!(v.override_var(), "APP_ARCH");
        assert!(C.may_refuse());
        const OWN: Compiled = Compiled::select(None, None, None, None, None, "my-app");
        assert_eq!(OWN.verdict().override_var(), "MY_APP_UNSUPPORTED_ARCH");
        assert_eq!(OWN.level, OWN_LEVEL);
    }
}
