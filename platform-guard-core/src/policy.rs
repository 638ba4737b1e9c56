//! The policy model: ordered rules, the builder, and the one pure
//! classification function that the build script, the run-time macros' build
//! side and the command line share. Other files add to `impl Policy` only
//! where their name says: `build/mod.rs` (`build`, `try_build`),
//! `build/decision.rs` (`build_decision`) and `manifest.rs`
//! (`from_manifest*`).

use std::borrow::Cow;

use crate::cfg::CfgExpr;
use crate::ci::{CiJob, Requirement};
use crate::error::{check_one_line, Detail, Error};
use crate::floor::{Floor, FloorVersion};
use crate::known::{self, RuleWarning};
use crate::level::{ArchNames, Level};
use crate::override_var;
use crate::preset::Preset;
use crate::target::TargetCfg;
use crate::verdict::{RuleName, Verdict};

/// One rule: a cfg expression and the level of every target it matches,
/// with who maintains those platforms and the CI jobs that back it.
/// Rules are equal when they say the same, wherever they are written.
#[derive(Debug, Clone)]
pub struct Rule {
    level: Level,
    cfg: CfgExpr,
    maintainers: Option<String>,
    note: Option<String>,
    /// At most one job per requirement, in the order given.
    ci: Vec<(Requirement, CiJob)>,
    /// At most one value per floor, in the order given.
    floors: Vec<FloorVersion>,
    /// Where the rule's cfg is written, when read from a manifest
    /// (`Cargo.toml:14:13: package.metadata.platform-guard.rules[0].cfg`).
    at: Option<String>,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        (
            &self.level,
            &self.cfg,
            &self.maintainers,
            &self.note,
            &self.ci,
            &self.floors,
        ) == (
            &other.level,
            &other.cfg,
            &other.maintainers,
            &other.note,
            &other.ci,
            &other.floors,
        )
    }
}

impl Eq for Rule {}

impl Rule {
    /// A rule's expression, parsed and checked: a malformed expression, a
    /// cfg name rustc does not set, or one whose value differs between the
    /// compiles of one package is an error.
    pub(crate) fn check_cfg(cfg: &str) -> Result<CfgExpr, Error> {
        let cfg = CfgExpr::parse(cfg)?;
        for name in cfg.names() {
            if let Err(nearest) = known::check_name(name) {
                return Err(Error::new(Detail::UnknownCfgName {
                    name: name.to_string(),
                    nearest,
                }));
            }
            if known::PER_CRATE.contains(&name) {
                return Err(Error::new(Detail::PerCrateName(name.to_string())));
            }
        }
        Ok(cfg)
    }

    /// The level a matching target gets.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The rule's cfg expression.
    pub fn cfg(&self) -> &CfgExpr {
        &self.cfg
    }

    /// Who maintains the platforms this rule names, if stated.
    pub fn maintainers(&self) -> Option<&str> {
        self.maintainers.as_deref()
    }

    /// A free-text note, if stated.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The CI job that meets `requirement` for this rule's platforms, if
    /// one is named.
    pub fn ci(&self, requirement: Requirement) -> Option<&CiJob> {
        self.ci
            .iter()
            .find(|(r, _)| *r == requirement)
            .map(|(_, job)| job)
    }

    /// Every CI job named, with the requirement it meets.
    pub fn ci_jobs(&self) -> &[(Requirement, CiJob)] {
        &self.ci
    }

    /// The rule's value for `floor`, if it states one.
    pub fn floor(&self, floor: Floor) -> Option<FloorVersion> {
        self.floors.iter().copied().find(|v| v.floor() == floor)
    }

    /// Every floor the rule states, in the order given.
    pub fn floors(&self) -> &[FloorVersion] {
        &self.floors
    }

    /// The rule as messages name it, when it is the policy's rule at
    /// `index` (from 0): `` stable rule 2 `cfg` ``.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let policy = platform_guard::Policy::etcd();
    /// assert_eq!(
    ///     policy.rules()[0].name(0).to_string(),
    ///     r#"experimental rule 1 `all(target_arch = "x86_64", target_pointer_width = "64", target_os = "macos")`"#
    /// );
    /// ```
    pub fn name(&self, index: usize) -> RuleName<'_> {
        RuleName::rule(self.level, index, Some(&self.cfg))
    }
}

/// A platform support policy: rules tried in order (the first match wins,
/// no match is [`Level::Unsupported`]), the override variable, the
/// architecture naming of its value, and the level from which a build is
/// denied.
///
/// Builder methods never fail on the spot; the first mistake is kept and
/// reported by [`Policy::validate`], [`Policy::try_classify`] and the build
/// functions.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::{Level, Policy, TargetCfg};
///
/// let policy = Policy::new("MYAPP_UNSUPPORTED_ARCH")
///     .stable(r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")"#)
///     .maintainers("core team")
///     .experimental(r#"all(target_pointer_width = "64", target_os = "macos")"#)
///     .deny(Level::Unsupported);
/// policy.validate()?;
///
/// let mac = TargetCfg::from_rustc_cfg(
///     "aarch64-apple-darwin",
///     "target_arch=\"aarch64\"\ntarget_os=\"macos\"\ntarget_pointer_width=\"64\"\n",
/// )?;
/// let verdict = policy.classify(&mac);
/// assert_eq!(verdict.level(), Level::Experimental);
/// assert_eq!(verdict.rule_index(), Some(1));
/// assert_eq!(verdict.override_value(), "aarch64");
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    rules: Vec<Rule>,
    override_var: String,
    arch_names: ArchNames,
    deny: Option<Level>,
    error: Option<Error>,
    /// The manifests the policy was read from (feature `manifest`): the
    /// package's, and the workspace root's for `workspace = true`; the build
    /// script emits `rerun-if-changed` for each.
    sources: Vec<String>,
    /// The builder calls made after the policy was read from a manifest
    /// (`.deny(unstable)`, ...): changes `cargo platform-guard`, which reads
    /// the table, cannot see. The build script says so.
    changed_in_code: Vec<String>,
}

impl Policy {
    /// An empty policy (every target unsupported) whose override variable is
    /// `override_var`: upper-case ASCII letters, digits and `_`, not starting
    /// with a digit, such as `MYAPP_UNSUPPORTED_ARCH`.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::new("MYAPP_UNSUPPORTED_ARCH");
    /// assert!(p.rules().is_empty()); // every target unsupported
    /// assert!(platform_guard::Policy::new("myapp_arch").validate().is_err());
    /// ```
    pub fn new(override_var: impl Into<String>) -> Policy {
        let override_var = override_var.into();
        let error = override_var::check_name(&override_var).err();
        Policy {
            rules: Vec::new(),
            override_var,
            arch_names: ArchNames::Rust,
            deny: None,
            error,
            sources: Vec::new(),
            changed_in_code: Vec::new(),
        }
    }

    /// A policy that only carries `error` (reported by [`Policy::validate`]
    /// and the build), for constructors that cannot fail on the spot.
    #[cfg_attr(not(feature = "manifest"), allow(dead_code))]
    pub(crate) fn failed(error: Error) -> Policy {
        let mut p = Policy::new("PLATFORM_GUARD_UNSUPPORTED_ARCH");
        p.error = Some(error);
        p
    }

    /// Records a file the policy was read from.
    #[cfg_attr(not(feature = "manifest"), allow(dead_code))]
    pub(crate) fn with_source(mut self, path: String) -> Policy {
        self.sources.push(path);
        self
    }

    /// etcd's policy, etcd v3.3 "Supported systems" ([`Preset::Etcd`]):
    /// amd64 Darwin experimental, amd64 Linux stable, ppc64le Linux stable
    /// (maintainers as in etcd's table), everything else unsupported;
    /// `ETCD_UNSUPPORTED_ARCH` with Go's architecture names. "Linux" is a
    /// Linux userland with glibc or musl; [`Preset::Etcd`] lists the
    /// triples.
    ///
    /// ```no_run
    /// # extern crate platform_guard_core as platform_guard;
    /// // build.rs (feature "build")
    /// # #[cfg(feature = "build")]
    /// platform_guard::Policy::etcd().build();
    /// ```
    pub fn etcd() -> Policy {
        Preset::Etcd.policy("ETCD_UNSUPPORTED_ARCH")
    }

    /// The policy used when nothing else is stated ([`Preset::Default`]):
    /// stable for 64-bit `x86_64`/`aarch64` on Linux, macOS or Windows;
    /// experimental for any other 64-bit target; unsupported for 32- and
    /// 16-bit targets. Rust's architecture names.
    ///
    /// ```no_run
    /// # extern crate platform_guard_core as platform_guard;
    /// // build.rs (feature "build"): the default policy, but no 32-bit builds
    /// # #[cfg(feature = "build")]
    /// platform_guard::Policy::default_policy("MYAPP_UNSUPPORTED_ARCH")
    ///     .deny(platform_guard::Level::Unsupported)
    ///     .build();
    /// ```
    pub fn default_policy(override_var: impl Into<String>) -> Policy {
        Preset::Default.policy(&override_var.into())
    }

    /// Adds a rule: targets matching `cfg` (and no earlier rule) get `level`.
    ///
    /// A malformed expression, or a cfg name rustc does not set (a `target_`
    /// name it does not know, or a known name misspelt), is an error kept
    /// for [`Policy::validate`]; a value no known target has is only a
    /// warning ([`Policy::warnings`]).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::{ErrorKind, Level, Policy};
    ///
    /// let p = Policy::new("X_ARCH").rule(Level::Unstable, r#"target_os = "freebsd""#);
    /// assert_eq!(p.rules()[0].level(), Level::Unstable);
    /// let typo = Policy::new("X_ARCH").rule(Level::Stable, r#"target_oss = "linux""#);
    /// assert_eq!(typo.validate().unwrap_err().kind(), ErrorKind::UnknownCfgName);
    /// ```
    pub fn rule(mut self, level: Level, cfg: &str) -> Policy {
        self.note_change(|| format!(".{}({:?})", level, cfg));
        match Rule::check_cfg(cfg) {
            Ok(cfg) => self.rules.push(Rule {
                level,
                cfg,
                maintainers: None,
                note: None,
                ci: Vec::new(),
                floors: Vec::new(),
                at: None,
            }),
            Err(e) => {
                let at = RuleName::rule(level, self.rules.len(), None).to_string();
                self.keep_error(e.context(at))
            }
        }
        self
    }

    /// Adds a [`Level::Stable`] rule.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::new("X_ARCH")
    ///     .stable(r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")"#);
    /// assert_eq!(p.rules()[0].level(), platform_guard::Level::Stable);
    /// ```
    pub fn stable(self, cfg: &str) -> Policy {
        self.rule(Level::Stable, cfg)
    }

    /// Adds a [`Level::Experimental`] rule.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::new("X_ARCH").experimental(r#"target_pointer_width = "64""#);
    /// assert_eq!(p.rules()[0].level(), platform_guard::Level::Experimental);
    /// ```
    pub fn experimental(self, cfg: &str) -> Policy {
        self.rule(Level::Experimental, cfg)
    }

    /// Adds a [`Level::Unstable`] rule.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::new("X_ARCH").unstable(r#"target_os = "netbsd""#);
    /// assert_eq!(p.rules()[0].level(), platform_guard::Level::Unstable);
    /// ```
    pub fn unstable(self, cfg: &str) -> Policy {
        self.rule(Level::Unstable, cfg)
    }

    /// Adds a [`Level::Unsupported`] rule (useful before a broader rule).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// // Everything 64-bit but Windows.
    /// let p = platform_guard::Policy::new("X_ARCH")
    ///     .unsupported("windows")
    ///     .stable(r#"target_pointer_width = "64""#);
    /// assert_eq!(p.rules().len(), 2);
    /// ```
    pub fn unsupported(self, cfg: &str) -> Policy {
        self.rule(Level::Unsupported, cfg)
    }

    /// Sets the maintainers of the rule added last (one line of text).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::new("X_ARCH").stable("unix").maintainers("core team, @alice");
    /// assert_eq!(p.rules()[0].maintainers(), Some("core team, @alice"));
    /// ```
    pub fn maintainers(mut self, text: &str) -> Policy {
        self.note_change(|| format!(".maintainers({:?})", text));
        let value = Policy::line("maintainers", text);
        self.annotate("maintainers", text, value, |rule, text| {
            rule.maintainers = Some(text)
        })
    }

    /// Sets the note of the rule added last (one line of text).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::new("X_ARCH").stable("unix").note("CI on every push");
    /// assert_eq!(p.rules()[0].note(), Some("CI on every push"));
    /// ```
    pub fn note(mut self, text: &str) -> Policy {
        self.note_change(|| format!(".note({:?})", text));
        let value = Policy::line("note", text);
        self.annotate("note", text, value, |rule, text| rule.note = Some(text))
    }

    /// Names the CI job (`<workflow file>:<job id>`) that meets
    /// `requirement` for the rule added last; naming one for the same
    /// requirement again replaces it. `cargo platform-guard audit` checks
    /// that the job exists and builds or tests a target the rule matches.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::{Policy, Requirement};
    ///
    /// let p = Policy::new("X_ARCH")
    ///     .stable(r#"all(target_arch = "x86_64", target_pointer_width = "64", target_os = "linux", any(target_env = "gnu", target_env = "musl"), target_vendor = "unknown")"#)
    ///     .ci(Requirement::Build, ".github/workflows/ci.yml:build")
    ///     .ci(Requirement::Unit, ".github/workflows/ci.yml:test");
    /// let job = p.rules()[0].ci(Requirement::Unit).unwrap();
    /// assert_eq!(job.job(), "test");
    /// assert!(Policy::new("X_ARCH").stable("unix").ci(Requirement::Unit, "ci.yml").validate().is_err());
    /// ```
    pub fn ci(mut self, requirement: Requirement, job: &str) -> Policy {
        self.note_change(|| format!(".ci({}, {:?})", requirement, job));
        self.annotate("ci", job, job.parse::<CiJob>(), |rule, job| {
            rule.ci.retain(|(r, _)| *r != requirement);
            rule.ci.push((requirement, job));
        })
    }

    /// Sets a floor of the rule added last: the oldest system its
    /// platforms' programs must still run on (`Floor::Glibc`, `"2.28"`);
    /// setting the same floor again replaces it. `cargo platform-guard
    /// inspect` holds shipped programs to it; the build does not (what a
    /// program needs is known once it is linked).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::{Floor, Policy};
    ///
    /// let p = Policy::new("X_ARCH")
    ///     .stable(r#"all(target_os = "linux", target_env = "gnu")"#)
    ///     .floor(Floor::Glibc, "2.28")
    ///     .floor(Floor::X86_64, "v2");
    /// assert_eq!(p.rules()[0].floor(Floor::Glibc).unwrap().to_string(), "2.28");
    /// assert!(Policy::new("X_ARCH").stable("unix").floor(Floor::Macos, "eleven").validate().is_err());
    /// ```
    pub fn floor(mut self, floor: Floor, version: &str) -> Policy {
        self.note_change(|| format!(".floor({}, {:?})", floor, version));
        let value = floor.parse_version(version);
        self.annotate(floor.key(), version, value, |rule, value| {
            rule.floors.retain(|v| v.floor() != floor);
            rule.floors.push(value);
        })
    }

    /// Fails the build for targets at `level` or any less-supported level.
    /// Calling it again keeps the stricter of the two.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::{Level, Policy};
    ///
    /// let p = Policy::default_policy("X_ARCH").deny(Level::Unsupported).deny(Level::Unstable);
    /// assert_eq!(p.denied_from(), Some(Level::Unstable));
    /// assert!(p.denies(Level::Unsupported) && !p.denies(Level::Experimental));
    /// ```
    pub fn deny(mut self, level: Level) -> Policy {
        self.note_change(|| format!(".deny({})", level));
        self.deny = Some(self.deny.map_or(level, |d| d.min(level)));
        self
    }

    /// Chooses the architecture names of the override variable's value.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::{ArchNames, Policy};
    ///
    /// let p = Policy::new("X_ARCH").arch_names(ArchNames::Go); // amd64, 386, arm64, ...
    /// assert_eq!(p.arch_naming(), ArchNames::Go);
    /// ```
    pub fn arch_names(mut self, names: ArchNames) -> Policy {
        self.note_change(|| format!(".arch_names({})", names));
        self.arch_names = names;
        self
    }

    /// The same policy with another override variable (checked like
    /// [`Policy::new`]'s).
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::etcd().with_override_var("MYAPP_UNSUPPORTED_ARCH");
    /// assert_eq!(p.override_var(), "MYAPP_UNSUPPORTED_ARCH");
    /// assert_eq!(p.rules(), platform_guard::Policy::etcd().rules());
    /// ```
    pub fn with_override_var(mut self, override_var: impl Into<String>) -> Policy {
        self.override_var = override_var.into();
        let var = self.override_var.clone();
        self.note_change(|| format!(".with_override_var({:?})", var));
        if let Err(e) = override_var::check_name(&self.override_var) {
            self.keep_error(e);
        }
        self
    }

    /// Records where the rule added last is written (a manifest reader's
    /// place of its `cfg`), for its warnings.
    #[cfg_attr(not(feature = "manifest"), allow(dead_code))]
    pub(crate) fn at(mut self, place: String) -> Policy {
        if let Some(rule) = self.rules.last_mut() {
            rule.at = Some(place);
        }
        self
    }

    /// Appends clones of `rules` (a preset's, after a manifest's own).
    #[cfg_attr(not(feature = "manifest"), allow(dead_code))]
    pub(crate) fn with_rules(mut self, rules: &[Rule]) -> Policy {
        self.rules.extend_from_slice(rules);
        self
    }

    /// Sets `value` (read from `text`) on the rule added last, or keeps the
    /// error: `value`'s own, or that there is no rule yet.
    fn annotate<T>(
        mut self,
        what: &'static str,
        text: &str,
        value: Result<T, Error>,
        set: impl FnOnce(&mut Rule, T),
    ) -> Policy {
        let result = value.and_then(|value| match self.rules.last_mut() {
            Some(rule) => {
                set(rule, value);
                Ok(())
            }
            None => Err(Error::new(Detail::AnnotationBeforeRule {
                what,
                text: text.to_string(),
            })),
        });
        if let Err(e) = result {
            self.keep_error(e);
        }
        self
    }

    /// One line of text, for maintainers and notes.
    fn line(what: &'static str, text: &str) -> Result<String, Error> {
        check_one_line(what, text).map(|()| text.to_string())
    }

    /// Records a builder call made after the policy was read from a
    /// manifest.
    fn note_change(&mut self, call: impl FnOnce() -> String) {
        if !self.sources.is_empty() {
            self.changed_in_code.push(call());
        }
    }

    /// The builder calls made after the policy was read from a manifest
    /// table ([`Policy::from_manifest`] and friends), such as `.deny(unstable)`:
    /// changes that `cargo platform-guard`, which reads the table, cannot
    /// see. [`Policy::build`] warns about them.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let p = platform_guard::Policy::new("X_ARCH").deny(platform_guard::Level::Unstable);
    /// assert!(p.changed_in_code().is_empty()); // not read from a table
    /// ```
    pub fn changed_in_code(&self) -> &[String] {
        &self.changed_in_code
    }

    fn keep_error(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// The first mistake made while building the policy, if any.
    pub fn validate(&self) -> Result<(), Error> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// The files the policy was read from (`Policy::from_manifest` and
    /// friends, feature `manifest`): the package's Cargo.toml, and the
    /// workspace root's when the table is the workspace's. The build script
    /// emits `rerun-if-changed` for them, and for nothing else.
    pub fn source_files(&self) -> &[String] {
        &self.sources
    }

    /// The rules, in the order they are tried.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The override variable's name.
    pub fn override_var(&self) -> &str {
        &self.override_var
    }

    /// The architecture naming of the override variable's value.
    pub fn arch_naming(&self) -> ArchNames {
        self.arch_names
    }

    /// The level from which the build is denied, if any.
    pub fn denied_from(&self) -> Option<Level> {
        self.deny
    }

    /// What in the rules is valid but probably a mistake: a value no target
    /// rustc knows has (`target_os = "linx"`), or a value used as a name
    /// (`linux`). The build script prints each as a warning.
    pub fn warnings(&self) -> Vec<RuleWarning> {
        self.rules
            .iter()
            .enumerate()
            .flat_map(|(i, r)| RuleWarning::of(i, r.at.as_deref(), &r.cfg))
            .collect()
    }

    /// Every cfg name some rule tests, once each, in order.
    pub fn cfg_names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for name in self.rules.iter().flat_map(|r| r.cfg.names()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// Classifies `target`: the first matching rule's level, or
    /// [`Level::Unsupported`] when none matches. Pure: it reads no
    /// environment and calls no `cfg!()`.
    ///
    /// On a policy that [`Policy::validate`] rejects, the verdict fails
    /// closed: [`Level::Unsupported`] with no matched rule. Use
    /// [`Policy::try_classify`] to see the mistake instead.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::{Level, Policy, TargetCfg};
    ///
    /// // `rustc --print cfg --target powerpc64le-unknown-linux-gnu`, in part.
    /// let ppc64le = TargetCfg::from_rustc_cfg(
    ///     "powerpc64le-unknown-linux-gnu",
    ///     "target_arch=\"powerpc64\"\ntarget_endian=\"little\"\ntarget_env=\"gnu\"\n\
    ///      target_os=\"linux\"\ntarget_pointer_width=\"64\"\ntarget_vendor=\"unknown\"\n",
    /// )?;
    /// let v = Policy::etcd().classify(&ppc64le);
    /// assert_eq!((v.level(), v.rule_index()), (Level::Stable, Some(2)));
    /// assert_eq!(v.override_value(), "ppc64le");
    /// # Ok::<(), platform_guard::Error>(())
    /// ```
    pub fn classify(&self, target: &TargetCfg) -> Verdict {
        let matched = match self.error {
            Some(_) => None,
            None => self
                .rules
                .iter()
                .enumerate()
                .find(|(_, r)| r.cfg.matches(target)),
        };
        Verdict::new(
            Cow::Owned(target.triple().to_string()),
            matched.map_or(Level::Unsupported, |(_, r)| r.level),
            matched.map(|(i, r)| (i, Cow::Owned(r.cfg.to_string()))),
            Cow::Owned(self.override_var.clone()),
            Cow::Owned(self.arch_names.arch_value(target)),
        )
    }

    /// [`Policy::classify`], after [`Policy::validate`].
    pub fn try_classify(&self, target: &TargetCfg) -> Result<Verdict, Error> {
        self.validate()?;
        Ok(self.classify(target))
    }

    /// Whether the policy denies a build at `level` (ignoring
    /// `PLATFORM_GUARD_DENY`, which only the build script reads).
    pub fn denies(&self, level: Level) -> bool {
        self.deny.map_or(false, |d| level >= d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::rustc_target;
    use crate::ErrorKind;

    fn level(policy: &Policy, triple: &str) -> Level {
        policy.classify(&rustc_target(triple)).level()
    }

    #[test]
    fn etcd_preset_reproduces_etcds_table() {
        let etcd = Policy::etcd();
        etcd.validate().unwrap();
        for (triple, want, value) in [
            ("x86_64-unknown-linux-gnu", Level::Stable, "amd64"),
            ("x86_64-unknown-linux-musl", Level::Stable, "amd64"),
            ("x86_64-apple-darwin", Level::Experimental, "amd64"),
            ("powerpc64le-unknown-linux-gnu", Level::Stable, "ppc64le"),
            ("powerpc64-unknown-linux-gnu", Level::Unsupported, "ppc64"),
            ("aarch64-apple-darwin", Level::Unsupported, "arm64"),
            ("i686-unknown-linux-gnu", Level::Unsupported, "386"),
            ("x86_64-pc-windows-msvc", Level::Unsupported, "amd64"),
            (
                "x86_64-unknown-linux-gnux32",
                Level::Unsupported,
                "amd64p32",
            ),
            ("s390x-unknown-linux-gnu", Level::Unsupported, "s390x"),
            ("riscv64gc-unknown-linux-gnu", Level::Unsupported, "riscv64"),
            ("wasm32-unknown-unknown", Level::Unsupported, "wasm"),
            ("armv7-unknown-linux-gnueabihf", Level::Unsupported, "arm"),
        ] {
            let v = etcd.classify(&rustc_target(triple));
            assert_eq!(v.level(), want, "{}", triple);
            assert_eq!(v.override_value(), value, "{}", triple);
            assert_eq!(v.override_var(), "ETCD_UNSUPPORTED_ARCH");
            assert_eq!(v.target(), triple);
        }
        let maintainers: Vec<_> = etcd
            .rules()
            .iter()
            .map(|r| r.maintainers().unwrap())
            .collect();
        assert_eq!(
            maintainers,
            [
                "etcd maintainers",
                "etcd maintainers",
                "etcd maintainers, @mkumatag"
            ]
        );
    }

    #[test]
    fn default_policy_goes_by_pointer_width() {
        let p = Policy::default_policy("APP_UNSUPPORTED_ARCH");
        p.validate().unwrap();
        for (triple, want) in [
            ("x86_64-unknown-linux-gnu", Level::Stable),
            ("aarch64-apple-darwin", Level::Stable),
            ("x86_64-pc-windows-msvc", Level::Stable),
            ("aarch64-pc-windows-msvc", Level::Stable),
            ("aarch64-unknown-linux-gnu", Level::Stable),
            ("x86_64-unknown-freebsd", Level::Experimental),
            ("riscv64gc-unknown-linux-gnu", Level::Experimental),
            ("i686-unknown-linux-gnu", Level::Unsupported),
            ("x86_64-unknown-linux-gnux32", Level::Unsupported),
            ("aarch64-unknown-linux-gnu_ilp32", Level::Unsupported),
            ("wasm32-unknown-unknown", Level::Unsupported),
            ("msp430-none-elf", Level::Unsupported),
        ] {
            assert_eq!(level(&p, triple), want, "{}", triple);
        }
        let v = p.classify(&rustc_target("i686-unknown-linux-gnu"));
        assert_eq!(v.override_value(), "x86");
        assert_eq!(v.rule(), None);
        let v = p.classify(&rustc_target("x86_64-unknown-freebsd"));
        assert_eq!(v.rule(), Some(r#"target_pointer_width = "64""#));
        assert_eq!(v.rule_index(), Some(1));
    }

    #[test]
    fn first_match_wins_and_no_match_is_unsupported() {
        let p = Policy::new("X_ARCH")
            .unsupported(r#"target_os = "macos""#)
            .stable("unix")
            .unstable("all()");
        assert_eq!(level(&p, "x86_64-apple-darwin"), Level::Unsupported);
        assert_eq!(level(&p, "x86_64-unknown-linux-gnu"), Level::Stable);
        assert_eq!(level(&p, "x86_64-pc-windows-msvc"), Level::Unstable);
        let none = Policy::new("X_ARCH").stable("any()");
        let v = none.classify(&rustc_target("x86_64-unknown-linux-gnu"));
        assert_eq!((v.level(), v.rule()), (Level::Unsupported, None));
    }

    #[test]
    fn builder_mistakes_are_kept_and_reported() {
        let p = Policy::new("OK_VAR")
            .stable("all(unix")
            .experimental("bad(");
        let e = p.validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CfgSyntax);
        assert_eq!(
            e.to_string(),
            "stable rule 1: invalid cfg expression \"all(unix\": expected `,` or `)` at column \
             9, found end of input"
        );
        // An invalid policy fails closed.
        let v = p.classify(&rustc_target("x86_64-unknown-linux-gnu"));
        assert_eq!(v.level(), Level::Unsupported);
        assert!(p
            .try_classify(&rustc_target("x86_64-unknown-linux-gnu"))
            .is_err());

        let e = Policy::new("OK").maintainers("me").validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "maintainers(\"me\") was called before any rule: expected it right after the rule it \
             describes"
        );
        let e = Policy::new("OK")
            .stable("unix")
            .note("a\ncargo:rustc-cfg=evil")
            .validate();
        assert_eq!(
            e.unwrap_err().to_string(),
            "note \"a\\ncargo:rustc-cfg=evil\" contains the control character '\\n' at byte 1: \
             expected one line of printable text"
        );
    }

    #[test]
    fn typos_in_names_are_errors_and_unknown_values_warnings() {
        let e = Policy::new("X_ARCH")
            .stable(r#"target_oss = "linux""#)
            .validate()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownCfgName);
        assert_eq!(e.input(), "target_oss");
        assert_eq!(
            e.to_string(),
            "stable rule 1: unknown cfg name \"target_oss\" (did you mean \"target_os\"?): \
             expected a name rustc sets, such as target_os, or a `--cfg` name of your own outside \
             the target_ prefix"
        );
        let e = Policy::new("X_ARCH")
            .stable("unix")
            .unstable("all(unixx, windows)")
            .validate()
            .unwrap_err();
        assert!(e
            .to_string()
            .starts_with("unstable rule 2: unknown cfg name \"unixx\" (did you mean \"unix\"?)"));
        // Values are warnings: new toolchains add values.
        let p = Policy::new("X_ARCH")
            .stable(r#"target_os = "Linux""#)
            .experimental(r#"any(target_os = "linx", linux, target_os = "plan9")"#)
            .unstable("tokio_unstable");
        p.validate().unwrap();
        let warnings: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
        assert_eq!(
            warnings,
            [
                "rule 1: no target rustc 1.95 knows has target_os = \"Linux\" (did you mean \
                 \"linux\"?); it matches only targets of newer toolchains that have it",
                "rule 2: no target rustc 1.95 knows has target_os = \"linx\" (did you mean \
                 \"linux\"?); it matches only targets of newer toolchains that have it",
                "rule 2: `linux` is not a cfg rustc sets but a value of target_os (did you mean \
                 target_os = \"linux\"?); it matches only where `--cfg linux` is passed",
                "rule 2: no target rustc 1.95 knows has target_os = \"plan9\"; it matches only \
                 targets of newer toolchains that have it",
            ]
        );
        assert_eq!(p.warnings()[2].rule_index(), 1);
        assert!(Policy::etcd().warnings().is_empty());
        assert!(Policy::default_policy("X_ARCH").warnings().is_empty());
    }

    #[test]
    fn names_whose_value_differs_between_the_compiles_of_a_package_are_errors() {
        for name in [
            "test",
            "doc",
            "doctest",
            "proc_macro",
            "clippy",
            "rustfmt",
            "miri",
        ] {
            let e = Policy::new("X_ARCH")
                .stable(&format!("all(unix, not({}))", name))
                .validate()
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidPolicy, "{}", name);
            assert!(
                e.to_string().starts_with(&format!(
                    "stable rule 1: cfg name \"{}\" differs between",
                    name
                )),
                "{}",
                e
            );
        }
    }

    #[test]
    fn override_variable_names_are_checked() {
        for good in ["ETCD_UNSUPPORTED_ARCH", "_X", "A1"] {
            assert!(Policy::new(good).validate().is_ok(), "{}", good);
        }
        for bad in [
            "",
            "lower_case",
            "HAS SPACE",
            "A=B",
            "NUL\0",
            "1ABC",
            "ÄRCH",
            "A\nB",
        ] {
            let e = Policy::new(bad).validate().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidVarName, "{:?}", bad);
            assert!(e.to_string().contains("expected upper-case ASCII letters"));
        }
    }

    #[test]
    fn deny_covers_the_level_and_everything_less_supported() {
        let p = Policy::new("X").deny(Level::Unstable);
        assert!(!p.denies(Level::Stable));
        assert!(!p.denies(Level::Experimental));
        assert!(p.denies(Level::Unstable));
        assert!(p.denies(Level::Unsupported));
        assert_eq!(
            p.clone().deny(Level::Unsupported).denied_from(),
            Some(Level::Unstable)
        );
        assert!(!Policy::new("X").denies(Level::Unsupported));
    }
}
