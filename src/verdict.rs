//! The result of classifying a target, and the one decision about the
//! override variable that both the build script and the runtime make.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt;

use crate::level::Level;

/// What a policy says about one target: its level, the rule that matched,
/// and the exact value the override variable must hold to run (or build)
/// anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    target: Cow<'static, str>,
    level: Level,
    rule: Option<Cow<'static, str>>,
    override_var: Cow<'static, str>,
    override_value: Cow<'static, str>,
}

impl Verdict {
    pub(crate) fn new(
        target: Cow<'static, str>,
        level: Level,
        rule: Option<Cow<'static, str>>,
        override_var: Cow<'static, str>,
        override_value: Cow<'static, str>,
    ) -> Verdict {
        Verdict {
            target,
            level,
            rule,
            override_var,
            override_value,
        }
    }

    /// The target triple.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The support level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The matched rule's cfg expression (canonical text), or `None` when no
    /// rule matched.
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// The override variable's name.
    pub fn override_var(&self) -> &str {
        &self.override_var
    }

    /// The exact value the override variable must hold: the target's
    /// architecture in the policy's naming (`386`, `x86`, ...).
    pub fn override_value(&self) -> &str {
        &self.override_value
    }

    /// `(rule `...`)` or `(no rule matched)`, for messages.
    pub(crate) fn why(&self) -> String {
        match &self.rule {
            Some(rule) => format!("rule `{}`", rule),
            None => "no rule matched".to_string(),
        }
    }

    /// Compares the override variable's value (as read from an environment)
    /// with the expected one: exactly, case-sensitively, no trimming.
    pub(crate) fn read_override(&self, value: Option<&OsStr>) -> Override {
        match value {
            None => Override::Unset,
            Some(v) => match v.to_str() {
                Some(s) if s == self.override_value() => Override::Exact,
                Some(s) => Override::Wrong(s.to_string()),
                None => Override::NotUnicode(v.to_string_lossy().into_owned()),
            },
        }
    }

    /// The runtime decision for this verdict, given the override variable's
    /// value: `Ok(false)` runs silently, `Ok(true)` runs with the guard
    /// lifted, `Err` refuses.
    pub(crate) fn decide(self, value: Option<&OsStr>) -> Result<bool, Refusal> {
        if !self.level.refuses_to_run() {
            return Ok(false);
        }
        match self.read_override(value) {
            Override::Exact => Ok(true),
            found => Err(Refusal(Box::new((self, found)))),
        }
    }

    /// The one warning line printed when the override variable lifts a
    /// refusal.
    pub(crate) fn lifted_message(&self) -> String {
        format!(
            "platform-guard: warning: running on {} target {} ({}) because {}={} is set",
            self.level,
            self.target,
            self.why(),
            self.override_var,
            self.override_value
        )
    }
}

/// What the override variable held, compared with what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Override {
    Unset,
    Exact,
    Wrong(String),
    NotUnicode(String),
}

impl Override {
    /// The sentence that tells the operator what to do.
    pub(crate) fn instruction(&self, verdict: &Verdict, to: &str) -> String {
        let (var, want) = (verdict.override_var(), verdict.override_value());
        match self {
            Override::Unset | Override::Exact => format!("set {}={} to {} anyway", var, want, to),
            Override::Wrong(found) => format!(
                "{} is {:?}, but it must be exactly {:?} to {} anyway",
                var, found, want, to
            ),
            Override::NotUnicode(lossy) => format!(
                "{} is not valid UTF-8 ({:?}), but it must be exactly {:?} to {} anyway",
                var, lossy, want, to
            ),
        }
    }
}

/// Why a program refuses to run: its target is unstable or unsupported and
/// the override variable does not hold the expected value.
///
/// Boxed: a refusal is rare, and a small `Result` keeps the common path lean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(Box<(Verdict, Override)>);

impl Refusal {
    /// The verdict that caused the refusal.
    pub fn verdict(&self) -> &Verdict {
        &self.0 .0
    }

    /// The override variable's value, when it was set to something else
    /// (lossily decoded when it was not UTF-8).
    pub fn found(&self) -> Option<&str> {
        match &self.0 .1 {
            Override::Wrong(s) | Override::NotUnicode(s) => Some(s),
            Override::Unset | Override::Exact => None,
        }
    }
}

impl fmt::Display for Refusal {
    /// One line: target, level, matched rule, and what to set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (v, found) = &*self.0;
        write!(
            f,
            "platform-guard: refusing to run on {} target {} ({}); {}",
            v.level,
            v.target,
            v.why(),
            found.instruction(v, "run")
        )
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(level: Level) -> Verdict {
        Verdict::new(
            "i686-unknown-linux-gnu".into(),
            level,
            None,
            "ETCD_UNSUPPORTED_ARCH".into(),
            "386".into(),
        )
    }

    #[test]
    fn stable_and_experimental_run_whatever_the_variable_says() {
        for level in [Level::Stable, Level::Experimental] {
            assert_eq!(verdict(level).decide(None), Ok(false));
            assert_eq!(
                verdict(level).decide(Some(OsStr::new("nonsense"))),
                Ok(false)
            );
        }
    }

    #[test]
    fn refusal_names_target_level_variable_and_value() {
        let r = verdict(Level::Unsupported).decide(None).unwrap_err();
        assert_eq!(
            r.to_string(),
            "platform-guard: refusing to run on unsupported target i686-unknown-linux-gnu (no \
             rule matched); set ETCD_UNSUPPORTED_ARCH=386 to run anyway"
        );
        assert_eq!(r.found(), None);
    }

    #[test]
    fn only_the_exact_value_lifts_the_guard() {
        assert_eq!(
            verdict(Level::Unstable).decide(Some(OsStr::new("386"))),
            Ok(true)
        );
        for wrong in ["", " 386", "386 ", "X86", "amd64", "386\n"] {
            let r = verdict(Level::Unstable)
                .decide(Some(OsStr::new(wrong)))
                .unwrap_err();
            assert_eq!(r.found(), Some(wrong));
            assert_eq!(
                r.to_string(),
                format!(
                    "platform-guard: refusing to run on unstable target i686-unknown-linux-gnu \
                     (no rule matched); ETCD_UNSUPPORTED_ARCH is {:?}, but it must be exactly \
                     \"386\" to run anyway",
                    wrong
                )
            );
            assert!(!r.to_string().contains('\n'));
        }
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_values_are_refusals_not_panics() {
        use std::os::unix::ffi::OsStrExt;
        let r = verdict(Level::Unsupported)
            .decide(Some(OsStr::from_bytes(b"38\xff")))
            .unwrap_err();
        assert_eq!(
            r.to_string(),
            "platform-guard: refusing to run on unsupported target i686-unknown-linux-gnu (no \
             rule matched); ETCD_UNSUPPORTED_ARCH is not valid UTF-8 (\"38\u{fffd}\"), but it \
             must be exactly \"386\" to run anyway"
        );
    }

    #[test]
    fn lifted_message_is_one_line() {
        let v = Verdict::new(
            "i686-unknown-linux-gnu".into(),
            Level::Unsupported,
            Some("any(windows)".into()),
            "ETCD_UNSUPPORTED_ARCH".into(),
            "386".into(),
        );
        assert_eq!(
            v.lifted_message(),
            "platform-guard: warning: running on unsupported target i686-unknown-linux-gnu (rule \
             `any(windows)`) because ETCD_UNSUPPORTED_ARCH=386 is set"
        );
    }
}
