//! Asking rustc: the target list and each target's cfg values, in
//! parallel.

use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use platform_guard::{BuildEnv, TargetCfg};

use super::Failure;
use crate::suggest::edit_distance;

/// The compiler: `$RUSTC`, else `rustc` on PATH, as Cargo finds it.
pub struct Rustc {
    /// How it is named in messages (`rustc`, or `$RUSTC`'s value).
    shown: String,
    /// What is run. When `rustc` is a rustup proxy, the toolchain's own
    /// binary (`<sysroot>/bin/rustc`, learned once through the proxy, so
    /// the same toolchain): each proxied call costs a second process.
    program: OsString,
    /// Whether `$RUSTC` named it (then it is run as given).
    given: bool,
}

impl Rustc {
    pub fn from_env(env: &BuildEnv) -> Rustc {
        let given = env.get("RUSTC").filter(|v| !v.is_empty());
        let program = given.map_or_else(|| "rustc".into(), OsStr::to_os_string);
        Rustc {
            shown: program.to_string_lossy().into_owned(),
            program,
            given: given.is_some(),
        }
    }

    /// Runs `rustc <args>`; the error names the command and why it failed.
    fn run(&self, args: &[&str]) -> Result<String, Failure> {
        let command = format!("{} {}", self.shown, args.join(" "));
        let out = Command::new(&self.program)
            .args(args)
            .output()
            .map_err(|e| {
                Failure::error(format!(
                    "cannot run `{}`: {} (is rustc installed? set RUSTC to choose one)",
                    command, e
                ))
            })?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr
                .lines()
                .find(|l| l.starts_with("error"))
                .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
                .unwrap_or("no message");
            return Err(Failure::error(format!(
                "`{}` failed ({}): {}",
                command, out.status, first
            )));
        }
        String::from_utf8(out.stdout)
            .map_err(|_| Failure::error(format!("`{}` printed text that is not UTF-8", command)))
    }

    /// With `RUSTC` unset, `rustc` is looked up on PATH, where it is often
    /// a rustup proxy that starts a second process for every call: switch
    /// to the toolchain's own binary (`<sysroot>/bin/rustc`, the sysroot
    /// learned once through the proxy, so the same toolchain). `$RUSTC` is
    /// always run as given.
    pub fn resolve(mut self) -> Result<Rustc, Failure> {
        if self.given {
            return Ok(self);
        }
        let sysroot = self.run(&["--print", "sysroot"])?;
        let exe = if cfg!(windows) { "rustc.exe" } else { "rustc" };
        let direct = PathBuf::from(sysroot.trim()).join("bin").join(exe);
        if direct.is_file() {
            self.program = direct.into_os_string();
        }
        Ok(self)
    }

    /// `rustc --print target-list`.
    pub fn target_list(&self) -> Result<Vec<String>, Failure> {
        Ok(self
            .run(&["--print", "target-list"])?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// `rustc --print cfg --target <target>`, parsed by the library.
    pub fn cfg(&self, target: &str) -> Result<TargetCfg, Failure> {
        let text = self.run(&["--print", "cfg", "--target", target])?;
        TargetCfg::from_rustc_cfg(target, &text).map_err(|e| {
            Failure::error(format!(
                "cannot read `{} --print cfg --target {}`: {}",
                self.shown, target, e
            ))
        })
    }

    /// The cfg of every target, `jobs` rustc processes at a time, in the
    /// order given. Progress goes to stderr only when it is a terminal.
    pub fn cfgs(&self, targets: &[String], jobs: usize) -> Result<Vec<TargetCfg>, Failure> {
        let total = targets.len();
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<Result<TargetCfg, Failure>>> =
            (0..total).map(|_| None).collect();
        let progress = std::io::stderr().is_terminal();
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            for _ in 0..jobs.min(total.max(1)) {
                let tx = tx.clone();
                let next = &next;
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    if tx.send((i, self.cfg(&targets[i]))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (done, (i, result)) in rx.into_iter().enumerate() {
                results[i] = Some(result);
                if progress {
                    let _ = write!(
                        std::io::stderr(),
                        "\rplatform-guard: asked rustc about {}/{} targets",
                        done + 1,
                        total
                    );
                }
            }
            if progress {
                let _ = write!(std::io::stderr(), "\r\x1b[2K");
            }
        });
        results
            .into_iter()
            .map(|r| r.expect("every index is sent once"))
            .collect()
    }
}

/// The known names nearest to `name`, best first, at most three: names
/// within a typo's edit distance, and names that hold all of `name`'s
/// `-`-separated parts in order (`powerpc64le-linux` suggests
/// `powerpc64le-unknown-linux-gnu`).
pub fn nearest<'a>(name: &str, known: &'a [String]) -> Vec<&'a str> {
    let limit = (name.chars().count() / 3).max(3);
    let parts: Vec<&str> = name.split('-').filter(|p| !p.is_empty()).collect();
    let mut scored: Vec<(usize, &str)> = known
        .iter()
        .map(|k| (edit_distance(name, k), k.as_str()))
        .filter(|(d, k)| *d <= limit || holds_parts(k, &parts))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// Whether `target`'s `-`-separated parts include `parts`, in order.
fn holds_parts(target: &str, parts: &[&str]) -> bool {
    let mut mine = target.split('-');
    parts.len() > 1 && parts.iter().all(|p| mine.any(|m| m == *p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names_are_the_closest_few() {
        let known: Vec<String> = [
            "x86_64-unknown-linux-gnu",
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-gnu",
            "wasm32-unknown-unknown",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Best first; the unrelated wasm32 target is too far to suggest.
        assert_eq!(
            nearest("x86_64-unknown-linux-gun", &known),
            [
                "x86_64-unknown-linux-gnu",
                "x86_64-unknown-linux-musl",
                "aarch64-unknown-linux-gnu"
            ]
        );
        assert!(nearest("sparc-sun-solaris", &known).is_empty());
        assert_eq!(
            nearest("aarch64-linux", &known),
            ["aarch64-unknown-linux-gnu"]
        );
    }
}
