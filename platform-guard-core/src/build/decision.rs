//! `impl Policy`: the build-time denial decision, shared by the build
//! script ([`Policy::build`]) and the command line (`cargo platform-guard
//! check`), so both decide the same way from the same inputs. Decisions are
//! data; `Display` writes their sentences.

use std::fmt;

use super::env::{BuildEnv, DENY_VAR, DOCS_RS_VAR};
use crate::error::{Detail, Error};
use crate::level::Level;
use crate::override_var::{Instruction, Override};
use crate::policy::Policy;
use crate::verdict::Verdict;

/// What denies a level at build time.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeniedBy {
    /// The policy's own [`Policy::deny`] level.
    Policy(Level),
    /// `PLATFORM_GUARD_DENY=<level>` in the build environment.
    Env(Level),
}

impl fmt::Display for DeniedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeniedBy::Policy(level) => {
                write!(f, "this crate's policy (deny {} and worse)", level)
            }
            DeniedBy::Env(level) => write!(f, "{}={}", DENY_VAR, level),
        }
    }
}

/// Whether a build for a classified target may go on.
///
/// `Display` writes the line the build prints for it (nothing for
/// [`BuildDecision::Allowed`]).
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::{BuildDecision, BuildEnv, DeniedBy, Level, Policy, TargetCfg};
///
/// let policy = Policy::default_policy("APP_UNSUPPORTED_ARCH").deny(Level::Unsupported);
/// let i686 = TargetCfg::from_rustc_cfg(
///     "i686-unknown-linux-gnu",
///     "target_arch=\"x86\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"32\"\n",
/// )?;
/// let verdict = policy.classify(&i686);
/// let decision = policy.build_decision(&verdict, &BuildEnv::from_vars([("APP_UNSUPPORTED_ARCH", "x86")]))?;
/// assert!(matches!(decision, BuildDecision::Lifted { by: DeniedBy::Policy(Level::Unsupported), .. }));
/// assert!(decision.is_allowed());
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildDecision {
    /// Neither the policy nor `PLATFORM_GUARD_DENY` denies the target's
    /// level: the build goes on (with a warning when the level is not
    /// stable).
    Allowed,
    /// The level is denied by `by`, but the denial is lifted: the override
    /// variable holds the exact value, or `DOCS_RS` is set (`docs_rs`).
    Lifted {
        /// The verdict that was denied.
        verdict: Verdict,
        /// What denied it.
        by: DeniedBy,
        /// Whether `DOCS_RS` lifted it (else the override variable did).
        docs_rs: bool,
    },
    /// The level is denied: the build fails. [`BuildDecision::error`] gives
    /// the error (of kind [`ErrorKind::Denied`](crate::ErrorKind::Denied)).
    Denied(Denial),
}

/// A denied build: the verdict, what denied it, and what the override
/// variable held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    verdict: Verdict,
    by: DeniedBy,
    found: Override,
}

impl Denial {
    /// The verdict that was denied.
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }

    /// What denied it.
    pub fn by(&self) -> DeniedBy {
        self.by
    }

    /// The override variable's value, when it was set to something else.
    pub fn found(&self) -> Option<&str> {
        self.found.found()
    }
}

impl fmt::Display for Denial {
    /// `building for <level> target <triple> (<why>) is denied by <what>;
    /// set VAR=value to build anyway`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.verdict;
        write!(
            f,
            "building for {} target {} ({}) is denied by {}; {}",
            v.level(),
            v.target(),
            v.rule_name(),
            self.by,
            Instruction {
                found: &self.found,
                var: v.override_var(),
                want: v.override_value(),
                to: "build",
            }
        )
    }
}

impl BuildDecision {
    /// Whether the build goes on ([`BuildDecision::Allowed`] or
    /// [`BuildDecision::Lifted`]).
    pub fn is_allowed(&self) -> bool {
        !matches!(self, BuildDecision::Denied(_))
    }

    /// The decision in one word, the wire form of reports such as `cargo
    /// platform-guard matrix --format json`: `"allowed"`, `"lifted"` or
    /// `"denied"`. With [`BuildDecision::is_allowed`] and `Display` (the
    /// sentence), a report can say what any decision is without matching
    /// on this `#[non_exhaustive]` enum.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::BuildDecision;
    ///
    /// assert_eq!(BuildDecision::Allowed.word(), "allowed");
    /// ```
    pub fn word(&self) -> &'static str {
        match self {
            BuildDecision::Allowed => "allowed",
            BuildDecision::Lifted { .. } => "lifted",
            BuildDecision::Denied(_) => "denied",
        }
    }

    /// The error that fails the build, for [`BuildDecision::Denied`].
    pub fn error(&self) -> Option<Error> {
        match self {
            BuildDecision::Denied(d) => Some(Error::new(Detail::Denied(d.clone()))),
            _ => None,
        }
    }
}

impl fmt::Display for BuildDecision {
    /// What the build says about it: why a denial is lifted, or the denial;
    /// nothing for an allowed build. The build script prefixes it with
    /// `platform-guard: `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildDecision::Allowed => Ok(()),
            BuildDecision::Lifted {
                verdict,
                by,
                docs_rs,
            } => {
                write!(
                    f,
                    "the denial of {} target {} by {} is lifted because ",
                    verdict.level(),
                    verdict.target(),
                    by
                )?;
                if *docs_rs {
                    write!(f, "{} is set (a docs.rs build)", DOCS_RS_VAR)
                } else {
                    write!(
                        f,
                        "{}={} is set",
                        verdict.override_var(),
                        verdict.override_value()
                    )
                }
            }
            BuildDecision::Denied(d) => fmt::Display::fmt(d, f),
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
impl Policy {
    /// Decides whether a build for `verdict`'s target may go on, reading
    /// the build environment `env` exactly as [`Policy::build`] does: the
    /// policy's [`Policy::deny`] level, `PLATFORM_GUARD_DENY` (which adds to
    /// it), the override variable (its exact value lifts a denial) and
    /// `DOCS_RS` (a docs.rs build is never denied).
    ///
    /// Pure: it reads only `env`, never the process environment. Fails when
    /// `PLATFORM_GUARD_DENY` is not a level name or not UTF-8.
    pub fn build_decision(
        &self,
        verdict: &Verdict,
        env: &BuildEnv,
    ) -> Result<BuildDecision, Error> {
        let env_deny = env
            .get_str(DENY_VAR)?
            .map(|s| s.parse::<Level>().map_err(|e| e.context(DENY_VAR)))
            .transpose()?;
        let level = verdict.level();
        let by = match (
            env_deny.filter(|&d| level >= d),
            self.denied_from().filter(|&d| level >= d),
        ) {
            (Some(d), _) => DeniedBy::Env(d),
            (None, Some(d)) => DeniedBy::Policy(d),
            (None, None) => return Ok(BuildDecision::Allowed),
        };
        let docs_rs = env.get(DOCS_RS_VAR).is_some();
        let found = verdict.read_override(env.get(self.override_var()));
        if docs_rs || found == Override::Exact {
            return Ok(BuildDecision::Lifted {
                verdict: verdict.clone(),
                by,
                docs_rs,
            });
        }
        Ok(BuildDecision::Denied(Denial {
            verdict: verdict.clone(),
            by,
            found,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::TargetCfg;
    use crate::ErrorKind;

    fn i686() -> TargetCfg {
        TargetCfg::from_rustc_cfg(
            "i686-unknown-linux-gnu",
            "target_arch=\"x86\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"32\"\n\
             target_endian=\"little\"\nunix\n",
        )
        .unwrap()
    }

    fn decide(policy: &Policy, vars: &[(&str, &str)]) -> Result<BuildDecision, Error> {
        let verdict = policy.classify(&i686());
        policy.build_decision(&verdict, &BuildEnv::from_vars(vars.iter().copied()))
    }

    #[test]
    fn policy_deny_env_deny_override_and_docs_rs() {
        let open = Policy::default_policy("APP_UNSUPPORTED_ARCH");
        assert_eq!(decide(&open, &[]).unwrap(), BuildDecision::Allowed);
        assert_eq!(decide(&open, &[]).unwrap().word(), "allowed");
        assert_eq!(decide(&open, &[]).unwrap().to_string(), "");
        let closed = open.clone().deny(Level::Unsupported);
        let denied = decide(&closed, &[]).unwrap();
        match &denied {
            BuildDecision::Denied(d) => {
                assert_eq!(d.by(), DeniedBy::Policy(Level::Unsupported));
                assert_eq!(d.found(), None);
            }
            other => panic!("expected a denial, got {:?}", other),
        }
        assert_eq!(denied.word(), "denied");
        let e = denied.error().unwrap();
        assert_eq!(e.kind(), ErrorKind::Denied);
        assert_eq!(e.input(), "i686-unknown-linux-gnu");
        assert_eq!(
            e.to_string(),
            "building for unsupported target i686-unknown-linux-gnu (no rule matched) is denied \
             by this crate's policy (deny unsupported and worse); set APP_UNSUPPORTED_ARCH=x86 \
             to build anyway"
        );
        assert_eq!(denied.to_string(), e.to_string());
        match decide(&open, &[("PLATFORM_GUARD_DENY", "experimental")]).unwrap() {
            BuildDecision::Denied(d) => {
                assert_eq!(d.by(), DeniedBy::Env(Level::Experimental));
                assert!(d
                    .to_string()
                    .contains("denied by PLATFORM_GUARD_DENY=experimental"));
            }
            other => panic!("expected a denial, got {:?}", other),
        }
        let lifted = decide(&closed, &[("APP_UNSUPPORTED_ARCH", "x86")]).unwrap();
        assert!(lifted.is_allowed());
        assert_eq!(lifted.word(), "lifted");
        assert_eq!(
            lifted.to_string(),
            "the denial of unsupported target i686-unknown-linux-gnu by this \
             crate's policy (deny unsupported and worse) is lifted because \
             APP_UNSUPPORTED_ARCH=x86 is set"
        );
        let wrong = decide(&closed, &[("APP_UNSUPPORTED_ARCH", "X86")]).unwrap();
        assert!(!wrong.is_allowed());
        assert!(wrong.to_string().ends_with(
            "APP_UNSUPPORTED_ARCH is \"X86\", but it must be exactly \"x86\" to build anyway"
        ));
        let docs = decide(&closed, &[("DOCS_RS", "1")]).unwrap();
        assert!(docs.is_allowed());
        assert!(docs
            .to_string()
            .ends_with("is lifted because DOCS_RS is set (a docs.rs build)"));
        let e = decide(&open, &[("PLATFORM_GUARD_DENY", "all")]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownLevel);
        assert_eq!(
            e.to_string(),
            "PLATFORM_GUARD_DENY: unknown support level \"all\": expected one of stable, \
             experimental, unstable, unsupported (lowercase)"
        );
    }
}
