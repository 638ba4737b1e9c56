//! The build-time denial decision, shared by the build script
//! ([`Policy::build`]) and the command line (`cargo platform-guard check`),
//! so both decide the same way from the same inputs.

use crate::build_script::{BuildEnv, DENY_VAR, DOCS_RS_VAR};
use crate::error::{Error, ErrorKind};
use crate::level::Level;
use crate::policy::Policy;
use crate::verdict::{Override, Verdict};

/// Whether a build for a classified target may go on.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildDecision {
    /// Neither the policy nor `PLATFORM_GUARD_DENY` denies the target's
    /// level: the build goes on (with a warning when the level is not
    /// stable).
    Allowed,
    /// The level is denied, but the denial is lifted (the override variable
    /// holds the exact value, or `DOCS_RS` is set). The value is the warning
    /// the build prints.
    Lifted(String),
    /// The level is denied: the error (of kind [`ErrorKind::Denied`]) that
    /// fails the build.
    Denied(Error),
}

impl BuildDecision {
    /// Whether the build goes on ([`BuildDecision::Allowed`] or
    /// [`BuildDecision::Lifted`]).
    pub fn is_allowed(&self) -> bool {
        !matches!(self, BuildDecision::Denied(_))
    }
}

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
        let by_policy = self.denied_from().filter(|&d| level >= d);
        let by_env = env_deny.filter(|&d| level >= d);
        let denied_by = match (by_policy, by_env) {
            (_, Some(d)) => format!("{}={}", DENY_VAR, d),
            (Some(d), None) => format!("this crate's policy (deny {} and worse)", d),
            (None, None) => return Ok(BuildDecision::Allowed),
        };
        let var = self.override_var();
        let found = verdict.read_override(env.get(var));
        let lifted = if env.get(DOCS_RS_VAR).is_some() {
            format!("{} is set (a docs.rs build)", DOCS_RS_VAR)
        } else if found == Override::Exact {
            format!("{}={} is set", var, verdict.override_value())
        } else {
            return Ok(BuildDecision::Denied(Error::new(
                ErrorKind::Denied,
                verdict.target(),
                format!(
                    "building for {} target {} ({}) is denied by {}; {}",
                    level,
                    verdict.target(),
                    verdict.why(),
                    denied_by,
                    found.instruction(verdict, "build")
                ),
            )));
        };
        Ok(BuildDecision::Lifted(format!(
            "platform-guard: the denial of {} target {} by {} is lifted because {}",
            level,
            verdict.target(),
            denied_by,
            lifted
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::TargetCfg;

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
        let closed = open.clone().deny(Level::Unsupported);
        match decide(&closed, &[]).unwrap() {
            BuildDecision::Denied(e) => {
                assert_eq!(e.kind(), ErrorKind::Denied);
                assert!(
                    e.to_string().contains("denied by this crate's policy"),
                    "{}",
                    e
                );
            }
            other => panic!("expected a denial, got {:?}", other),
        }
        match decide(&open, &[("PLATFORM_GUARD_DENY", "experimental")]).unwrap() {
            BuildDecision::Denied(e) => assert!(
                e.to_string()
                    .contains("denied by PLATFORM_GUARD_DENY=experimental"),
                "{}",
                e
            ),
            other => panic!("expected a denial, got {:?}", other),
        }
        let lifted = decide(&closed, &[("APP_UNSUPPORTED_ARCH", "x86")]).unwrap();
        assert!(lifted.is_allowed());
        assert!(
            matches!(lifted, BuildDecision::Lifted(ref w) if w.ends_with("because APP_UNSUPPORTED_ARCH=x86 is set"))
        );
        assert!(!decide(&closed, &[("APP_UNSUPPORTED_ARCH", "X86")])
            .unwrap()
            .is_allowed());
        assert!(decide(&closed, &[("DOCS_RS", "1")]).unwrap().is_allowed());
        let e = decide(&open, &[("PLATFORM_GUARD_DENY", "all")]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownLevel);
    }
}
