//! The environment a build script sees: the crate's one door to the process
//! environment (clippy's `disallowed-methods` keeps it so; the run-time
//! gate's single read of the override variable is the other allowed place).

use std::ffi::{OsStr, OsString};

use crate::error::Error;
use crate::target::env_str;

/// The build environment variable that denies a level (and every
/// less-supported one) without changing code: `PLATFORM_GUARD_DENY=unstable`.
pub const DENY_VAR: &str = "PLATFORM_GUARD_DENY";

/// Set by docs.rs; a denial never fails a documentation build.
pub const DOCS_RS_VAR: &str = "DOCS_RS";

/// The environment a build script sees, captured once.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::BuildEnv;
///
/// let env = BuildEnv::from_vars([("TARGET", "x86_64-unknown-linux-gnu")]);
/// assert_eq!(env.get("TARGET").unwrap(), "x86_64-unknown-linux-gnu");
/// assert!(env.get("PATH").is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct BuildEnv {
    vars: Vec<(OsString, OsString)>,
}

impl BuildEnv {
    /// The current process's environment.
    #[allow(clippy::disallowed_methods)]
    pub fn from_process() -> BuildEnv {
        BuildEnv {
            vars: std::env::vars_os().collect(),
        }
    }

    /// An explicit environment (for tests and tools).
    pub fn from_vars<I, K, V>(vars: I) -> BuildEnv
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        BuildEnv {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value of `key`, if set (the last one, when set twice).
    pub fn get(&self, key: &str) -> Option<&OsStr> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_os_str())
    }

    /// The value of `key` as UTF-8; an error names the variable when it is
    /// not UTF-8.
    pub(crate) fn get_str(&self, key: &str) -> Result<Option<String>, Error> {
        self.get(key).map(|v| env_str(key, v)).transpose()
    }

    /// Every variable, in the order given.
    ///
    /// ```
    /// # extern crate platform_guard_core as platform_guard;
    /// let env = platform_guard::BuildEnv::from_vars([("A", "1"), ("B", "2")]);
    /// assert_eq!(env.vars().count(), 2);
    /// ```
    pub fn vars(&self) -> impl Iterator<Item = (&OsStr, &OsStr)> {
        self.vars
            .iter()
            .map(|(k, v)| (k.as_os_str(), v.as_os_str()))
    }
}
