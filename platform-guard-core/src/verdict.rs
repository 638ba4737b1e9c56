//! The result of classifying a target, and the one run-time decision about
//! the override variable.
//!
//! Everything on the refusal path is `#[inline]`: a crate compiles it only
//! where a program can actually refuse, so a consumer on a stable target
//! carries none of it.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt;

use crate::cpu;
use crate::level::Level;
use crate::override_var::{Instruction, Override};

/// What a policy says about one target: its level, the rule that matched,
/// and the exact value the override variable must hold to run (or build)
/// anyway.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// # #[cfg(feature = "policy")] {
/// use platform_guard::{Level, Policy, TargetCfg};
///
/// let target = TargetCfg::from_rustc_cfg(
///     "i686-unknown-linux-gnu",
///     "target_arch=\"x86\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"32\"\n\
///      target_endian=\"little\"\ntarget_env=\"gnu\"\ntarget_vendor=\"unknown\"\nunix\n",
/// )?;
/// let verdict = Policy::etcd().classify(&target);
/// assert_eq!(verdict.level(), Level::Unsupported);
/// assert_eq!(verdict.rule(), None); // no rule matched
/// assert_eq!(verdict.override_var(), "ETCD_UNSUPPORTED_ARCH");
/// assert_eq!(verdict.override_value(), "386"); // Go's name, as etcd uses
/// # }
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    target: Cow<'static, str>,
    level: Level,
    /// The matched rule: its index in the policy and its canonical text.
    rule: Option<(usize, Cow<'static, str>)>,
    override_var: Cow<'static, str>,
    override_value: Cow<'static, str>,
}

impl Verdict {
    #[inline]
    pub(crate) fn new(
        target: Cow<'static, str>,
        level: Level,
        rule: Option<(usize, Cow<'static, str>)>,
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

    /// The target triple (or, for a custom target, the name Cargo gives it).
    #[inline]
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The support level.
    #[inline]
    pub fn level(&self) -> Level {
        self.level
    }

    /// The matched rule's cfg expression (canonical text), or `None` when no
    /// rule matched.
    #[inline]
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_ref().map(|(_, text)| &**text)
    }

    /// The matched rule's index in the policy's rules (from 0), or `None`
    /// when no rule matched.
    #[inline]
    pub fn rule_index(&self) -> Option<usize> {
        self.rule.as_ref().map(|(index, _)| *index)
    }

    /// The override variable's name.
    #[inline]
    pub fn override_var(&self) -> &str {
        &self.override_var
    }

    /// The exact value the override variable must hold: the target's
    /// architecture in the policy's naming (`386`, `x86`, ...).
    #[inline]
    pub fn override_value(&self) -> &str {
        &self.override_value
    }

    /// The matched rule as messages name it: `` rule `cfg` ``, or `no rule
    /// matched` ([`RuleName`]; `.numbered()` adds its number).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// # #[cfg(feature = "policy")] {
    /// use platform_guard::{Policy, TargetCfg};
    ///
    /// let policy = Policy::new("APP_UNSUPPORTED_ARCH").stable("unix");
    /// let linux = TargetCfg::from_rustc_cfg("x86_64-unknown-linux-gnu", "target_arch=\"x86_64\"\nunix\n")?;
    /// let v = policy.classify(&linux);
    /// assert_eq!(v.rule_name().to_string(), "rule `unix`");
    /// assert_eq!(v.rule_name().numbered().to_string(), "rule 1 `unix`");
    /// let wasm = TargetCfg::from_rustc_cfg("wasm32-unknown-unknown", "target_arch=\"wasm32\"\n")?;
    /// assert_eq!(policy.classify(&wasm).rule_name().to_string(), "no rule matched");
    /// # }
    /// # Ok::<(), platform_guard::Error>(())
    /// ```
    #[inline]
    pub fn rule_name(&self) -> RuleName<'_> {
        match &self.rule {
            Some((index, text)) => RuleName::rule(self.level, *index, Some(text)).plain(),
            None => RuleName::NONE,
        }
    }

    /// Compares the override variable's value (as read from an environment)
    /// with the expected one.
    #[inline]
    pub(crate) fn read_override(&self, value: Option<&OsStr>) -> Override {
        Override::read(self.override_value(), value)
    }

    /// The run-time decision for this verdict, given the override variable's
    /// value.
    #[inline]
    pub(crate) fn decide(self, value: Option<&OsStr>) -> Result<Run, Refusal> {
        if !self.level.refuses_to_run() {
            return Ok(Run::Runs);
        }
        match self.read_override(value) {
            Override::Exact => Ok(Run::Lifted),
            found => Err(Refusal(Box::new((self, Reason::Platform(found))))),
        }
    }

    /// The one warning line printed when the override variable lifts a
    /// refusal.
    #[inline]
    pub(crate) fn lifted_warning(&self) -> LiftedWarning<'_> {
        LiftedWarning(self)
    }
}

/// A program that may run: silently, or because the override lifted a
/// refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run {
    Runs,
    Lifted,
}

/// What messages say when no rule matched a target.
pub(crate) const NO_RULE: &str = "no rule matched";

/// How messages name a rule, in one place for the library and `cargo
/// platform-guard`: `` stable rule 2 `cfg` `` where the reader must find it
/// among the policy's rules (`Rule::name`, feature `policy`), `` rule `cfg`
/// `` for a verdict's ([`Verdict::rule_name`]), which
/// [`RuleName::numbered`] makes `` rule 2 `cfg` ``; or `no rule matched`.
#[derive(Clone, Copy)]
pub struct RuleName<'a> {
    /// `None`: no rule matched.
    rule: Option<Named<'a>>,
}

#[derive(Clone, Copy)]
struct Named<'a> {
    level: Level,
    /// From 0.
    index: usize,
    /// The cfg expression, when it is known (a rule that failed to parse
    /// has none).
    cfg: Option<&'a dyn fmt::Display>,
    show_level: bool,
    show_number: bool,
}

impl<'a> RuleName<'a> {
    /// No rule matched.
    pub(crate) const NONE: RuleName<'static> = RuleName { rule: None };

    /// The rule of `level` at `index` (from 0) with the cfg `cfg`: `` stable
    /// rule 2 `cfg` ``.
    #[inline]
    pub(crate) fn rule(
        level: Level,
        index: usize,
        cfg: Option<&'a dyn fmt::Display>,
    ) -> RuleName<'a> {
        RuleName {
            rule: Some(Named {
                level,
                index,
                cfg,
                show_level: true,
                show_number: true,
            }),
        }
    }

    /// Without its level and number: `` rule `cfg` ``.
    #[inline]
    fn plain(mut self) -> RuleName<'a> {
        if let Some(n) = &mut self.rule {
            n.show_level = false;
            n.show_number = false;
        }
        self
    }

    /// With the rule's number (from 1) in the policy: `` rule 2 `cfg` ``;
    /// `no rule matched` stays as it is.
    #[inline]
    pub fn numbered(mut self) -> RuleName<'a> {
        if let Some(n) = &mut self.rule {
            n.show_number = true;
        }
        self
    }
}

impl fmt::Display for RuleName<'_> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // (No `let ... else`: the core keeps Rust 1.63.)
        let n = match &self.rule {
            Some(n) => n,
            None => return f.write_str(NO_RULE),
        };
        if n.show_level {
            write!(f, "{} ", n.level)?;
        }
        f.write_str("rule")?;
        if n.show_number {
            write!(f, " {}", n.index + 1)?;
        }
        match n.cfg {
            Some(cfg) => write!(f, " `{}`", cfg),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for RuleName<'_> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RuleName")
            .field(&format_args!("{}", self))
            .finish()
    }
}

/// `platform-guard: warning: running on ... because VAR=value is set`.
pub(crate) struct LiftedWarning<'a>(&'a Verdict);

impl fmt::Display for LiftedWarning<'_> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "platform-guard: warning: running on {} target {} ({}) because {}={} is set",
            v.level,
            v.target,
            v.rule_name(),
            v.override_var,
            v.override_value
        )
    }
}

/// Why a program refuses to run: its target is unstable or unsupported and
/// the override variable does not hold the expected value; or the program
/// was built for CPU features this CPU lacks ([`Refusal::missing_features`];
/// see the README's "The CPU gate"), which no variable lifts.
///
/// Boxed: a refusal is rare, and a small `Result` keeps the common path lean.
///
/// ```no_run
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::{Refusal, Verdict};
///
/// // src/main.rs: decide for yourself instead of exiting, with
/// // `decide(platform_guard::check!())` first in `main`
/// fn decide(checked: Result<Verdict, Refusal>) {
///     match checked {
///         Ok(verdict) => println!("running on {} ({})", verdict.target(), verdict.level()),
///         Err(refusal) => {
///             eprintln!("{}", refusal); // one line, naming what to set
///             std::process::exit(3);
///         }
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(Box<(Verdict, Reason)>);

/// What a refusal is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    /// The platform's level, and what the override variable held.
    Platform(Override),
    /// The CPU: what the program was built for, and the features the CPU
    /// lacks.
    Cpu(String, Vec<&'static str>),
}

impl Refusal {
    /// A refusal of the CPU: the gate found the features in `missing`
    /// (over the architecture's table) missing.
    #[inline]
    pub(crate) fn cpu(verdict: Verdict, missing: u64) -> Refusal {
        let (built_for, names) = cpu::lacks(missing);
        Refusal(Box::new((verdict, Reason::Cpu(built_for, names))))
    }

    /// The verdict that caused the refusal (for a refusal of the CPU, the
    /// platform's verdict, whatever it says).
    #[inline]
    pub fn verdict(&self) -> &Verdict {
        &self.0 .0
    }

    /// The override variable's value, when it was set to something else
    /// (lossily decoded when it was not UTF-8); `None` for a refusal of the
    /// CPU.
    #[inline]
    pub fn found(&self) -> Option<&str> {
        match &self.0 .1 {
            Reason::Platform(found) => found.found(),
            Reason::Cpu(..) => None,
        }
    }

    /// The target features the program was built to use that the CPU
    /// lacks (`["avx2", "bmi2"]`), for a refusal of the CPU; empty for a
    /// refusal of the platform.
    #[inline]
    pub fn missing_features(&self) -> &[&'static str] {
        match &self.0 .1 {
            Reason::Platform(_) => &[],
            Reason::Cpu(_, missing) => missing,
        }
    }
}

impl fmt::Display for Refusal {
    /// One line: target, level, matched rule, and what to set; or, for the
    /// CPU, what the program was built for and what the CPU lacks (the line
    /// the CPU gate prints).
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (v, reason) = &*self.0;
        match reason {
            Reason::Platform(found) => write!(
                f,
                "platform-guard: refusing to run on {} target {} ({}); {}",
                v.level,
                v.target,
                v.rule_name(),
                Instruction {
                    found,
                    var: v.override_var(),
                    want: v.override_value(),
                    to: "run"
                }
            ),
            Reason::Cpu(built_for, missing) => write!(
                f,
                "{}{}{}{}",
                cpu::table::REFUSAL_START,
                built_for,
                cpu::table::REFUSAL_MIDDLE,
                missing.join(", ")
            ),
        }
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
    fn rules_are_named_one_way() {
        let none = verdict(Level::Unsupported);
        assert_eq!(none.rule_name().to_string(), "no rule matched");
        assert_eq!(none.rule_name().numbered().to_string(), "no rule matched");
        let matched = Verdict::new(
            "x86_64-unknown-linux-gnu".into(),
            Level::Stable,
            Some((1, "unix".into())),
            "X".into(),
            "x86_64".into(),
        );
        assert_eq!(matched.rule_name().to_string(), "rule `unix`");
        assert_eq!(matched.rule_name().numbered().to_string(), "rule 2 `unix`");
        assert_eq!(
            format!("{:?}", matched.rule_name()),
            "RuleName(rule `unix`)"
        );
        let cfg = "unix";
        let full = RuleName::rule(Level::Experimental, 0, Some(&cfg));
        assert_eq!(full.to_string(), "experimental rule 1 `unix`");
        assert_eq!(
            RuleName::rule(Level::Stable, 2, None).to_string(),
            "stable rule 3"
        );
    }

    #[test]
    fn stable_and_experimental_run_whatever_the_variable_says() {
        for level in [Level::Stable, Level::Experimental] {
            assert_eq!(verdict(level).decide(None), Ok(Run::Runs));
            assert_eq!(
                verdict(level).decide(Some(OsStr::new("nonsense"))),
                Ok(Run::Runs)
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
        assert_eq!(r.verdict().level(), Level::Unsupported);
    }

    #[test]
    fn only_the_exact_value_lifts_the_guard() {
        assert_eq!(
            verdict(Level::Unstable).decide(Some(OsStr::new("386"))),
            Ok(Run::Lifted)
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
    fn a_cpu_refusal_names_what_the_cpu_lacks_and_no_variable() {
        let first = 1u64;
        let r = Refusal::cpu(verdict(Level::Stable), first | 2);
        let (built_for, names) = cpu::lacks(first | 2);
        assert_eq!(r.missing_features(), &names[..]);
        assert_eq!(r.found(), None);
        assert_eq!(r.verdict().level(), Level::Stable);
        let line = r.to_string();
        assert!(line.starts_with(&format!(
            "platform-guard: refusing to run on this CPU: the program was built for {}, and the \
             CPU lacks ",
            built_for
        )));
        assert!(line.ends_with(&names.join(", ")));
        assert!(!line.contains('\n'));
        let platform = verdict(Level::Unsupported).decide(None).unwrap_err();
        assert!(platform.missing_features().is_empty());
    }

    #[test]
    fn lifted_warning_is_one_line_and_names_the_rule() {
        let v = Verdict::new(
            "i686-unknown-linux-gnu".into(),
            Level::Unsupported,
            Some((2, "any(windows)".into())),
            "ETCD_UNSUPPORTED_ARCH".into(),
            "386".into(),
        );
        assert_eq!(v.rule_index(), Some(2));
        assert_eq!(
            v.lifted_warning().to_string(),
            "platform-guard: warning: running on unsupported target i686-unknown-linux-gnu (rule \
             `any(windows)`) because ETCD_UNSUPPORTED_ARCH=386 is set"
        );
    }
}
