//! The compiler Cargo gave the build script, run as Cargo runs it (`RUSTC`
//! behind `RUSTC_WRAPPER` and `RUSTC_WORKSPACE_WRAPPER`): its version picks
//! the directive dialect (through `rustc_version`, the crate's one reader of
//! it), and its answer to Cargo's own target query, with the build's
//! rustflags, is the target's description when a rule tests a cfg name
//! whose `CARGO_CFG_*` value could be a leftover from an enclosing build.

use std::ffi::{OsStr, OsString};
use std::process::{Child, Command, Stdio};

use super::emit::Dialect;
use super::env::BuildEnv;
use crate::error::{Detail, Error};
use crate::target::TargetCfg;

/// How the compiler is started: the program and the arguments before
/// rustc's own.
pub(crate) struct Compiler {
    argv: Vec<OsString>,
}

impl Compiler {
    /// `[RUSTC_WRAPPER] [RUSTC_WORKSPACE_WRAPPER] RUSTC`, empty values
    /// counting as unset, as Cargo composes them.
    pub(crate) fn from_env(env: &BuildEnv) -> Compiler {
        let set = |key: &str| {
            env.get(key)
                .filter(|v| !v.is_empty())
                .map(OsStr::to_os_string)
        };
        let mut argv: Vec<OsString> = ["RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER"]
            .iter()
            .filter_map(|key| set(key))
            .collect();
        argv.push(set("RUSTC").unwrap_or_else(|| "rustc".into()));
        Compiler { argv }
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.argv[0]);
        cmd.args(&self.argv[1..]);
        cmd
    }

    /// The command line, for messages.
    fn shown(&self, args: &[&OsStr]) -> String {
        self.argv
            .iter()
            .map(|a| a.as_os_str())
            .chain(args.iter().copied())
            .map(OsStr::to_string_lossy)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Starts the query Cargo runs to learn about the target
    /// ([`TargetCfg::cargo_query_args`]: its crate types change the answer)
    /// with the build's rustflags (`CARGO_ENCODED_RUSTFLAGS`), to be read
    /// with [`PendingCfg::finish`]: it runs while the version is asked for.
    pub(crate) fn start_cfg(&self, env: &BuildEnv, triple: &str) -> Result<PendingCfg, Error> {
        let flags: Vec<String> = match env.get("CARGO_ENCODED_RUSTFLAGS") {
            Some(f) if !f.is_empty() => f
                .to_string_lossy()
                .split('\u{1f}')
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        let query = TargetCfg::cargo_query_args(Some(triple), &flags);
        let args: Vec<&OsStr> = query.iter().map(OsStr::new).collect();
        let command = self.shown(&args);
        let child = self
            .command()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| cfg_failed(&command, e.to_string()))?;
        Ok(PendingCfg {
            child,
            command,
            triple: triple.to_string(),
        })
    }

    /// The directive dialect for this compiler (`-vV`) and the package's
    /// `rust-version` (`CARGO_PKG_RUST_VERSION`), and the compiler's minor
    /// version.
    pub(crate) fn dialect(&self, env: &BuildEnv) -> Result<(Dialect, u64), Error> {
        let meta = rustc_version::VersionMeta::for_command(self.command()).map_err(|e| {
            Error::new(Detail::Rustc {
                asked: "the compiler version",
                command: self.shown(&[OsStr::new("-vV")]),
                message: e.to_string(),
            })
        })?;
        let msrv = match env.get_str("CARGO_PKG_RUST_VERSION")? {
            None => None,
            Some(v) if v.is_empty() => None,
            Some(v) => Some(msrv_minor(&v)?),
        };
        Ok((
            Dialect::for_toolchain(meta.semver.minor, msrv),
            meta.semver.minor,
        ))
    }
}

/// A running `rustc --print cfg`.
pub(crate) struct PendingCfg {
    child: Child,
    command: String,
    triple: String,
}

impl PendingCfg {
    /// Waits for it and parses what it printed.
    pub(crate) fn finish(self) -> Result<TargetCfg, Error> {
        let output = self
            .child
            .wait_with_output()
            .map_err(|e| cfg_failed(&self.command, e.to_string()))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr
                .lines()
                .find(|l| l.starts_with("error"))
                .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
                .unwrap_or("no message");
            return Err(cfg_failed(
                &self.command,
                format!("{} ({})", first, output.status),
            ));
        }
        let stdout = String::from_utf8(output.stdout)
            .map_err(|_| cfg_failed(&self.command, "it printed text that is not UTF-8".into()))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        TargetCfg::from_cargo_query(&self.triple, &stdout, &stderr)
    }
}

fn cfg_failed(command: &str, message: String) -> Error {
    Error::new(Detail::Rustc {
        asked: "the target's cfg values",
        command: command.to_string(),
        message,
    })
}

/// The minor version of a `rust-version`: `1`, `1.77` or `1.77.0`.
fn msrv_minor(v: &str) -> Result<u64, Error> {
    let mut parts = v.split('.');
    let major = parts.next();
    let minor = parts.next().map_or(Ok(0), str::parse::<u64>);
    let patch_ok = parts.next().map_or(true, |p| p.parse::<u64>().is_ok());
    match (major, minor, patch_ok, parts.next()) {
        (Some("1"), Ok(minor), true, None) => Ok(minor),
        _ => Err(Error::new(Detail::RustVersion(v.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_versions_of_every_form_cargo_accepts() {
        assert_eq!(msrv_minor("1").unwrap(), 0);
        assert_eq!(msrv_minor("1.63").unwrap(), 63);
        assert_eq!(msrv_minor("1.80.1").unwrap(), 80);
        for bad in ["one", "2.0", "1.x", "1.2.3.4", "", "1.63-nightly"] {
            let e = msrv_minor(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidTargetCfg, "{}", bad);
        }
        assert_eq!(
            msrv_minor("one").unwrap_err().to_string(),
            "CARGO_PKG_RUST_VERSION \"one\" is not a Rust version: expected \
             1[.<minor>[.<patch>]]"
        );
    }

    #[test]
    fn the_compiler_runs_behind_cargo_s_wrappers() {
        let c = Compiler::from_env(&BuildEnv::from_vars([
            ("RUSTC", "/r/rustc"),
            ("RUSTC_WRAPPER", "sccache"),
            ("RUSTC_WORKSPACE_WRAPPER", ""),
        ]));
        assert_eq!(c.shown(&[OsStr::new("-vV")]), "sccache /r/rustc -vV");
        let c = Compiler::from_env(&BuildEnv::default());
        assert_eq!(c.shown(&[]), "rustc");
    }
}
