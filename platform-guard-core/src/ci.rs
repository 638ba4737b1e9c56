//! The CI jobs that back a rule: etcd's requirements for a stable platform
//! (its "Supporting a new system platform": CI that builds, runs the unit
//! tests, runs the integration tests, and optionally a functional test
//! cluster), each named as `<workflow file>:<job id>`.

use std::fmt;
use std::str::FromStr;

use crate::comma_sep::CommaSep;
use crate::error::{check_one_line, Detail, Error};

/// A requirement of etcd's promotion rules (a platform becomes stable when
/// it meets them) that a CI job can meet; etcd's other requirement, a named
/// maintainer, is a rule's [`maintainers`](crate::Rule::maintainers).
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::Requirement;
///
/// assert_eq!("unit".parse::<Requirement>()?, Requirement::Unit);
/// assert_eq!(Requirement::ALL.len(), 4);
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Requirement {
    /// CI that builds the platform: the project must compile.
    Build,
    /// CI that runs the unit tests: the project must pass simple tests.
    Unit,
    /// CI that runs the integration tests: the project must pass intensive
    /// tests.
    Integration,
    /// (Optional) a functional test cluster: the project should survive
    /// stress testing.
    Functional,
}

impl Requirement {
    /// Every requirement, in etcd's order.
    pub const ALL: [Requirement; 4] = [
        Requirement::Build,
        Requirement::Unit,
        Requirement::Integration,
        Requirement::Functional,
    ];

    /// The key in a rule's `ci` table: `"build"`, `"unit"`,
    /// `"integration"`, `"functional"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Requirement::Build => "build",
            Requirement::Unit => "unit",
            Requirement::Integration => "integration",
            Requirement::Functional => "functional",
        }
    }

    /// Whether etcd requires it for a stable platform (all but the
    /// functional test cluster).
    pub const fn required(self) -> bool {
        !matches!(self, Requirement::Functional)
    }

    /// What meets it, as reports name the requirement (the platform is
    /// "it"): `"CI that builds it"`, `"CI that runs the unit tests"`, `"CI
    /// that runs the integration tests"`, `"a functional test cluster"`.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// use platform_guard::Requirement;
    ///
    /// assert_eq!(Requirement::Unit.describe(), "CI that runs the unit tests");
    /// assert_eq!(Requirement::Unit.label(), "unit tests");
    /// ```
    pub const fn describe(self) -> &'static str {
        match self {
            Requirement::Build => "CI that builds it",
            Requirement::Unit => "CI that runs the unit tests",
            Requirement::Integration => "CI that runs the integration tests",
            Requirement::Functional => "a functional test cluster",
        }
    }

    /// What the job that meets it does, in a word or two, for a list of a
    /// platform's jobs: `"build"`, `"unit tests"`, `"integration tests"`,
    /// `"functional tests"`.
    pub const fn label(self) -> &'static str {
        match self {
            Requirement::Build => "build",
            Requirement::Unit => "unit tests",
            Requirement::Integration => "integration tests",
            Requirement::Functional => "functional tests",
        }
    }

    /// Whether the CI job that meets it must build the platform (`build`:
    /// "etcd must compile").
    pub const fn needs_build(self) -> bool {
        matches!(self, Requirement::Build)
    }

    /// Whether the CI job that meets it must run the platform's tests
    /// (`unit`, `integration`: "etcd must pass simple tests", "intensive
    /// tests"). A functional test cluster needs neither: any job that runs
    /// for the platform is taken to be it.
    pub const fn needs_tests(self) -> bool {
        matches!(self, Requirement::Unit | Requirement::Integration)
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Requirement {
    type Err = Error;

    fn from_str(s: &str) -> Result<Requirement, Error> {
        Requirement::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| Error::new(Detail::UnknownRequirement(s.to_string())))
    }
}

/// The requirements' names, for messages.
pub(crate) struct RequirementNames;

impl fmt::Display for RequirementNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", CommaSep(&Requirement::ALL))
    }
}

/// A CI job: `<workflow file>:<job id>`, such as
/// `.github/workflows/ci.yml:test-linux`.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::CiJob;
///
/// let job: CiJob = ".github/workflows/ci.yml:test".parse()?;
/// assert_eq!((job.workflow(), job.job()), (".github/workflows/ci.yml", "test"));
/// assert!("ci.yml".parse::<CiJob>().is_err());
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CiJob {
    workflow: String,
    job: String,
}

impl CiJob {
    /// The workflow file, relative to the repository's root.
    pub fn workflow(&self) -> &str {
        &self.workflow
    }

    /// The job's id in that workflow.
    pub fn job(&self) -> &str {
        &self.job
    }
}

impl FromStr for CiJob {
    type Err = Error;

    /// `<workflow file>:<job id>`: the last `:` separates them; the job id
    /// is a GitHub Actions job id (letters, digits, `_` and `-`, starting
    /// with a letter or `_`).
    fn from_str(s: &str) -> Result<CiJob, Error> {
        check_one_line("CI job", s)?;
        let bad = || Error::new(Detail::InvalidCiJob(s.to_string()));
        let (workflow, job) = s.rsplit_once(':').ok_or_else(bad)?;
        let job_ok = job
            .chars()
            .next()
            .map_or(false, |c| c.is_ascii_alphabetic() || c == '_')
            && job
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if workflow.trim().is_empty() || !job_ok {
            return Err(bad());
        }
        Ok(CiJob {
            workflow: workflow.to_string(),
            job: job.to_string(),
        })
    }
}

impl fmt::Display for CiJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.workflow, self.job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn jobs_are_a_workflow_and_a_job_id() {
        let j: CiJob = "ci.yml:build-linux_2".parse().unwrap();
        assert_eq!(j.to_string(), "ci.yml:build-linux_2");
        let j: CiJob = "C:/ci.yml:x".parse().unwrap();
        assert_eq!((j.workflow(), j.job()), ("C:/ci.yml", "x"));
        for bad in [
            "",
            "ci.yml",
            ":job",
            "ci.yml:",
            "ci.yml:1job",
            "ci.yml:a b",
            " :job",
        ] {
            let e = bad.parse::<CiJob>().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidPolicy, "{:?}", bad);
        }
        assert_eq!(
            "ci.yml".parse::<CiJob>().unwrap_err().to_string(),
            "CI job \"ci.yml\" is not <workflow file>:<job id>: expected such as \
             \".github/workflows/ci.yml:test\""
        );
        assert!("a\nb:c"
            .parse::<CiJob>()
            .unwrap_err()
            .to_string()
            .contains("control character"));
    }

    #[test]
    fn requirements_round_trip() {
        assert_eq!(
            Requirement::ALL.map(Requirement::as_str),
            ["build", "unit", "integration", "functional"]
        );
        for r in Requirement::ALL {
            assert_eq!(r.as_str().parse::<Requirement>().unwrap(), r);
        }
        assert!(!Requirement::Functional.required());
        assert_eq!(
            "tests".parse::<Requirement>().unwrap_err().to_string(),
            "unknown CI requirement \"tests\": expected one of build, unit, integration, \
             functional"
        );
    }

    #[test]
    fn requirements_are_worded_here_once() {
        assert_eq!(
            Requirement::ALL.map(Requirement::describe),
            [
                "CI that builds it",
                "CI that runs the unit tests",
                "CI that runs the integration tests",
                "a functional test cluster"
            ]
        );
        assert_eq!(
            Requirement::ALL.map(Requirement::label),
            [
                "build",
                "unit tests",
                "integration tests",
                "functional tests"
            ]
        );
        assert_eq!(
            Requirement::ALL.map(|r| (r.needs_build(), r.needs_tests())),
            [(true, false), (false, true), (false, true), (false, false)]
        );
    }
}
