//! The compiler, run as Cargo runs it: `RUSTC` (else `build.rustc`, else
//! the rustup toolchain's own binary when `rustc` on `PATH` is rustup's
//! proxy, else `rustc` on `PATH`), behind `RUSTC_WRAPPER` and
//! `RUSTC_WORKSPACE_WRAPPER` (or `build.rustc-wrapper` and
//! `build.rustc-workspace-wrapper`) for `--print cfg`, with the rustflags
//! that apply to each target.
//!
//! Every process is bounded: its output is capped, it is killed when it
//! has not finished after the timeout, and a process that prints nothing,
//! garbage or too much is an error naming the command. Threads that cannot
//! be started are an error too.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use platform_guard::suggest::did_you_mean;
use platform_guard::TargetCfg;

use crate::args::CompilerArgs;
use crate::bounded::{self, thread_failure, Finished, Limits};
use crate::cache::Cache;
use crate::context::{Context, Failure};
use crate::files;
use crate::rustflags::{self, CargoConfig};

/// The variables that change what the compiler answers about a target.
pub const ANSWER_VARS: [&str; 2] = ["RUSTC_BOOTSTRAP", "RUST_TARGET_PATH"];

/// How long one compiler process may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The most of a compiler's stdout that is read (a target list is about
/// 10 KiB, a target's cfg about 1 KiB).
const MAX_STDOUT: usize = 4 * 1024 * 1024;
const MAX_STDERR: usize = 1024 * 1024;

/// What the compiler answered for each target asked (by index), and a
/// failure that stopped the asking.
struct Asked {
    answers: Vec<(usize, Result<Option<BuildTarget>, Failure>)>,
    failure: Option<(usize, Failure)>,
}

/// Targets left out of a tolerant description, each with the error.
pub type LeftOut = Vec<(String, String)>;

/// A target's cfg as the build sees it, and the flags that made it.
pub struct BuildTarget {
    pub cfg: TargetCfg,
    pub rustflags: Vec<String>,
}

/// The compiler and what it needs to answer like the build.
pub struct Toolchain<'c> {
    ctx: &'c Context,
    /// The compiler as resolved, and where it came from.
    rustc: PathBuf,
    rustc_from: String,
    /// The binary `--print cfg` runs: `rustc`, or for rustup's proxy the
    /// toolchain's own binary (the same compiler without a second process
    /// per call), learned once when the cache misses.
    direct: Mutex<Option<PathBuf>>,
    /// `RUSTC_WRAPPER`, then `RUSTC_WORKSPACE_WRAPPER`.
    wrappers: Vec<PathBuf>,
    /// `rustc -vV`.
    pub verbose: String,
    pub host: String,
    pub release: String,
    timeout: Duration,
    pub config: CargoConfig,
    cache: Option<Mutex<Cache>>,
}

/// The program `name` on `PATH`, as the shell would find it.
pub fn on_path(ctx: &Context, name: &str) -> Option<PathBuf> {
    let file = format!("{}{}", name, std::env::consts::EXE_SUFFIX);
    std::env::split_paths(ctx.var("PATH")?)
        .map(|d| d.join(&file))
        .find(|p| p.is_file())
}

/// Cargo's shortcut past rustup's proxy: under rustup (`RUSTUP_TOOLCHAIN`
/// set to a name), when `rustc` on `PATH` is as large as `rustup` on
/// `PATH` (the proxies are one binary), the toolchain's own `rustc`.
fn rustup_rustc(ctx: &Context) -> Option<PathBuf> {
    let toolchain = ctx.var_str("RUSTUP_TOOLCHAIN")?;
    if toolchain.contains(['/', '\\']) {
        return None;
    }
    let proxy = on_path(ctx, "rustc")?.metadata().ok()?.len();
    if proxy != on_path(ctx, "rustup")?.metadata().ok()?.len() {
        return None;
    }
    let home = match ctx.var("RUSTUP_HOME").filter(|v| !v.is_empty()) {
        Some(h) => ctx.cwd.join(h),
        None => rustflags::home_dir(ctx)?.join(".rustup"),
    };
    let exe = home
        .join("toolchains")
        .join(toolchain)
        .join("bin")
        .join(format!("rustc{}", std::env::consts::EXE_SUFFIX));
    exe.is_file().then_some(exe)
}

/// The compiler, and where it came from: `RUSTC`, else `build.rustc`,
/// else the rustup toolchain's own binary, else `rustc` on `PATH`.
fn resolve_rustc(ctx: &Context, config: &CargoConfig) -> (PathBuf, String) {
    match ctx.var_str("RUSTC").filter(|v| !v.is_empty()) {
        Some(v) if v.contains(['/', '\\']) => (ctx.cwd.join(v), "RUSTC".to_string()),
        Some(v) => (PathBuf::from(v), "RUSTC".to_string()),
        None => match &config.rustc {
            Some(l) => (rustflags::program(l), l.from.clone()),
            None => match rustup_rustc(ctx) {
                Some(p) => (p, "the rustup toolchain".to_string()),
                None => (PathBuf::from("rustc"), "PATH".to_string()),
            },
        },
    }
}

/// A tool named by an environment variable (`RUSTC_WRAPPER`), else by a
/// config value: a value with a path separator is relative to the current
/// directory (or the config's); empty means none.
fn tool(
    ctx: &Context,
    var: &str,
    config: Option<&rustflags::Located>,
) -> Option<(PathBuf, String)> {
    let path = match ctx.var_str(var) {
        Some(v) if v.contains(['/', '\\']) => (ctx.cwd.join(v), var.to_string()),
        Some(v) => (PathBuf::from(v), var.to_string()),
        None => config.map(|l| (rustflags::program(l), l.from.clone()))?,
    };
    (!path.0.as_os_str().is_empty()).then_some(path)
}

impl<'c> Toolchain<'c> {
    /// The compiler for this run: resolved, asked for its version, with the
    /// cache for it (unless `--no-cache`).
    pub fn new(ctx: &'c Context, args: &CompilerArgs) -> Result<Toolchain<'c>, Failure> {
        let config = CargoConfig::read(ctx, &args.config)?;
        for note in &config.notes {
            ctx.note(note);
        }
        let (rustc, rustc_from) = resolve_rustc(ctx, &config);
        let wrappers: Vec<PathBuf> = [
            tool(ctx, "RUSTC_WRAPPER", config.rustc_wrapper.as_ref()),
            tool(
                ctx,
                "RUSTC_WORKSPACE_WRAPPER",
                config.rustc_workspace_wrapper.as_ref(),
            ),
        ]
        .into_iter()
        .flatten()
        .map(|(p, _)| p)
        .collect();
        let mut t = Toolchain {
            ctx,
            direct: Mutex::new(None),
            rustc,
            rustc_from,
            wrappers,
            verbose: String::new(),
            host: String::new(),
            release: String::new(),
            timeout: args.timeout.unwrap_or(DEFAULT_TIMEOUT),
            config,
            cache: None,
        };
        // As Cargo: `-vV` behind both wrappers.
        let shown = t.shown(true, &["-vV"]);
        let out = t.run_wrapped(&t.rustc.clone(), &["-vV".into()], &shown)?;
        let verbose = t.utf8(out, &shown)?;
        let field = |name: &str| {
            verbose
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    Failure::error(format!(
                        "`{}` printed no `{}` line: expected rustc's version information (is \
                         {} rustc? it came from {})",
                        shown,
                        name.trim_end(),
                        t.rustc.display(),
                        t.rustc_from
                    ))
                })
        };
        t.host = field("host: ")?;
        t.release = field("release: ")?;
        t.verbose = verbose;
        if !args.no_cache {
            t.cache = Cache::open(ctx, &t.cache_key()).map(Mutex::new);
        }
        Ok(t)
    }

    /// Everything that changes the compiler's answers: its version, the
    /// wrappers, and the variables rustc reads for them (unstable cfgs with
    /// RUSTC_BOOTSTRAP, target specs found by name through
    /// RUST_TARGET_PATH) as the build would get them ([env] included).
    fn cache_key(&self) -> String {
        let mut key = format!("rustc -vV:\n{}", self.verbose);
        for w in &self.wrappers {
            key.push_str(&format!("wrapper: {}\n", w.display()));
        }
        for var in ANSWER_VARS {
            if let Some(v) = self.config.build_env.get(var) {
                key.push_str(&format!("{}={}\n", var, v.to_string_lossy()));
            }
        }
        key
    }

    /// `rustc args...` for messages, with the wrappers when `wrapped`.
    fn shown(&self, wrapped: bool, args: &[&str]) -> String {
        let mut parts: Vec<String> = Vec::new();
        if wrapped {
            parts.extend(self.wrappers.iter().map(|w| w.display().to_string()));
        }
        parts.push(self.rustc.display().to_string());
        parts.extend(args.iter().map(|a| a.to_string()));
        parts.join(" ")
    }

    fn utf8(&self, out: Finished, shown: &str) -> Result<String, Failure> {
        String::from_utf8(out.stdout)
            .map_err(|_| Failure::error(format!("`{}` printed text that is not UTF-8", shown)))
    }

    /// Runs `program pre_args... args...`, bounded, in the environment
    /// Cargo gives the compiler: the process's, with the `[env]` table
    /// applied.
    fn run(
        &self,
        program: &OsStr,
        pre_args: &[&OsStr],
        args: &[OsString],
        shown: &str,
    ) -> Result<Finished, Failure> {
        self.ctx.verbose(&format!("running `{}`", shown));
        let mut command = Command::new(program);
        command
            .args(pre_args)
            .args(args)
            .envs(self.config.build_env.vars())
            .env_remove("RUSTC_LOG");
        let limits = Limits {
            timeout: self.timeout,
            stdout: MAX_STDOUT,
            stderr: MAX_STDERR,
        };
        bounded::run(command, &limits).map_err(|e| match e {
            bounded::Error::Spawn(e) => Failure::error(format!(
                "cannot run `{}`: {} (the compiler came from {}; set RUSTC to choose one)",
                shown, e, self.rustc_from
            )),
            other => other.into_failure(shown),
        })
    }

    /// Runs `rustc args...` behind the wrappers, as Cargo runs the
    /// compiler: `RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER rustc args...`.
    fn run_wrapped(
        &self,
        rustc: &Path,
        args: &[OsString],
        shown: &str,
    ) -> Result<Finished, Failure> {
        let (program, pre): (&OsStr, Vec<&OsStr>) = match self.wrappers.split_first() {
            Some((outer, rest)) => (
                outer.as_os_str(),
                rest.iter()
                    .map(|w| w.as_os_str())
                    .chain([rustc.as_os_str()])
                    .collect(),
            ),
            None => (rustc.as_os_str(), Vec::new()),
        };
        self.run(program, &pre, args, shown)
    }

    /// The program `--print` calls run, after the proxy shortcut.
    fn program(&self) -> PathBuf {
        self.direct
            .lock()
            .ok()
            .and_then(|d| d.clone())
            .unwrap_or_else(|| self.rustc.clone())
    }

    /// When `rustc` came from `PATH` and is rustup's proxy (Cargo's own
    /// shortcut did not apply: no `RUSTUP_TOOLCHAIN`), the toolchain's own
    /// binary, learned once through the proxy (so the same toolchain).
    fn skip_proxy(&self) {
        if self.rustc_from != "PATH" {
            return;
        }
        let proxy = (|| {
            let rustc = on_path(self.ctx, "rustc")?.metadata().ok()?.len();
            (rustc == on_path(self.ctx, "rustup")?.metadata().ok()?.len()).then_some(())
        })();
        if proxy.is_none() {
            return;
        }
        let shown = self.shown(false, &["--print", "sysroot"]);
        let sysroot = self
            .run(
                self.rustc.as_os_str(),
                &[],
                &["--print".into(), "sysroot".into()],
                &shown,
            )
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok());
        if let Some(sysroot) = sysroot {
            let exe = Path::new(sysroot.trim())
                .join("bin")
                .join(format!("rustc{}", std::env::consts::EXE_SUFFIX));
            if exe.is_file() {
                if let Ok(mut d) = self.direct.lock() {
                    *d = Some(exe);
                }
            }
        }
    }

    /// `rustc --print sysroot` (cached with the toolchain; a cached
    /// directory that is gone is asked again).
    pub fn sysroot(&self) -> Result<PathBuf, Failure> {
        let cached = self
            .cache
            .as_ref()
            .and_then(|c| c.lock().ok().and_then(|c| c.sysroot().map(PathBuf::from)));
        if let Some(dir) = cached.filter(|d| d.is_dir()) {
            return Ok(dir);
        }
        let shown = self.shown(false, &["--print", "sysroot"]);
        let out = self.run(
            self.program().as_os_str(),
            &[],
            &["--print".into(), "sysroot".into()],
            &shown,
        )?;
        let text = self.utf8(out, &shown)?;
        let dir = text.trim();
        if dir.is_empty() || dir.contains('\n') {
            return Err(Failure::error(format!(
                "`{}` printed {:?}: expected one directory",
                shown,
                text.chars().take(120).collect::<String>()
            )));
        }
        if let Some(c) = &self.cache {
            if let Ok(mut c) = c.lock() {
                c.set_sysroot(dir);
                drop(c);
            }
        }
        self.save();
        Ok(PathBuf::from(dir))
    }

    /// Runs another tool (`rustup`), bounded like the compiler: its stdout.
    pub fn run_tool(&self, program: &Path, args: &[&str]) -> Result<String, Failure> {
        let mut shown = vec![program.display().to_string()];
        shown.extend(args.iter().map(|a| a.to_string()));
        let shown = shown.join(" ");
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let out = self.run(program.as_os_str(), &[], &args, &shown)?;
        self.utf8(out, &shown)
    }

    /// `rustc --print target-list` (cached with the toolchain).
    pub fn target_list(&self) -> Result<Vec<String>, Failure> {
        let cached = self.cache.as_ref().and_then(|c| {
            c.lock()
                .ok()
                .and_then(|c| c.target_list().map(str::to_string))
        });
        let text = match cached {
            Some(t) => t,
            None => {
                let shown = self.shown(false, &["--print", "target-list"]);
                let out = self.run(
                    self.program().as_os_str(),
                    &[],
                    &["--print".into(), "target-list".into()],
                    &shown,
                )?;
                let text = self.utf8(out, &shown)?;
                check_target_list(&text, &shown)?;
                if let Some(c) = &self.cache {
                    if let Ok(mut c) = c.lock() {
                        c.set_target_list(&text);
                    }
                }
                text
            }
        };
        check_target_list(&text, "the cached target list")?;
        Ok(text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// Checks that every name is a target the compiler knows (a path to a
    /// custom target `.json` is passed as is); suggests the nearest names.
    pub fn known(&self, names: &[String]) -> Result<(), Failure> {
        let list = self.target_list()?;
        for name in names {
            if name.ends_with(".json") || list.iter().any(|t| t == name) {
                continue;
            }
            let hint = did_you_mean(name, list.iter().map(String::as_str))
                .unwrap_or_else(|| "see `rustc --print target-list`".to_string());
            return Err(Failure::error(format!(
                "unknown target {:?}: rustc does not list it in `--print target-list`; {}",
                name, hint
            )));
        }
        Ok(())
    }

    /// The targets a plain `cargo build` builds: `build.target`, else the
    /// host.
    pub fn default_targets(&self) -> Vec<String> {
        match &self.config.build_target {
            Some((targets, _)) if !targets.is_empty() => targets.clone(),
            _ => vec![self.host.clone()],
        }
    }

    /// The cfg of `target` with `flags`, from the cache or the compiler.
    fn cfg_text(
        &self,
        target: &str,
        flags: &[String],
        ask: bool,
    ) -> Result<Option<String>, Failure> {
        // A target spec file is cached with its contents: an edited spec at
        // the same path is asked again.
        let cached_as = if target.ends_with(".json") {
            files::read(&self.ctx.cwd.join(target), "target spec", true)
                .ok()
                .flatten()
                .map(|text| format!("{}#{:016x}", target, crate::cache::fnv64(text.as_bytes())))
        } else {
            Some(target.to_string())
        };
        let cache = self.cache.as_ref().filter(|_| cached_as.is_some());
        let cached_as = cached_as.unwrap_or_default();
        if let Some(c) = cache {
            if let Some(text) = c
                .lock()
                .ok()
                .and_then(|c| c.get(&cached_as, flags).map(str::to_string))
            {
                // Trusted only if it still reads as a target's cfg.
                if parse_cfg(target, &text, "").is_ok() {
                    return Ok(Some(text));
                }
            }
        }
        if !ask {
            return Ok(None);
        }
        // Cargo's own query: its crate types change the answer (crt-static).
        let query = TargetCfg::cargo_query_args(Some(target), flags);
        let shown_args: Vec<&str> = query.iter().map(String::as_str).collect();
        let shown = self.shown(true, &shown_args);
        let args: Vec<OsString> = query.iter().map(OsString::from).collect();
        let out = self.run_wrapped(&self.program(), &args, &shown)?;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let stdout = self.utf8(out, &shown)?;
        let cfg = TargetCfg::from_cargo_query(target, &stdout, &stderr)
            .map_err(|e| Failure::error(format!("cannot read what `{}` printed: {}", shown, e)))?;
        // Kept (and cached) as `--print cfg` text.
        let text = cfg_text_of(&cfg);
        parse_cfg(target, &text, &shown)?;
        if let Some(c) = cache {
            if let Ok(mut c) = c.lock() {
                c.insert(&cached_as, flags, &text);
            }
        }
        Ok(Some(text))
    }

    /// The target's cfg as Cargo computes it for a build: flags without the
    /// `cfg(..)` tables, the cfg with them, the flags again with that cfg,
    /// at most twice (Cargo's own rule), warning when they do not settle.
    fn describe(&self, target: &str, ask: bool) -> Result<Option<BuildTarget>, Failure> {
        let flags0 = self.config.rustflags(target, None);
        let Some(text0) = self.cfg_text(target, &flags0, ask)? else {
            return Ok(None);
        };
        let cfg0 = parse_cfg(target, &text0, "")?;
        if !self.config.depends_on_cfg() {
            return Ok(Some(BuildTarget {
                cfg: cfg0,
                rustflags: flags0,
            }));
        }
        let flags1 = self.config.rustflags(target, Some(&cfg0));
        if flags1 == flags0 {
            return Ok(Some(BuildTarget {
                cfg: cfg0,
                rustflags: flags0,
            }));
        }
        let Some(text1) = self.cfg_text(target, &flags1, ask)? else {
            return Ok(None);
        };
        let cfg1 = parse_cfg(target, &text1, "")?;
        if self.config.rustflags(target, Some(&cfg1)) != flags1 {
            self.ctx.warn(&format!(
                "{}: non-trivial mutual dependency between target-specific configuration and \
                 RUSTFLAGS: classified with the flags Cargo settles on after two rounds ({})",
                target,
                flags1.join(" ")
            ));
        }
        Ok(Some(BuildTarget {
            cfg: cfg1,
            rustflags: flags1,
        }))
    }

    /// Every target's cfg, in the order given: from the cache where it has
    /// them, else from `jobs` compiler processes at a time. Progress goes
    /// to stderr when it is a terminal.
    ///
    /// `tolerant`: a target the compiler fails on *with rustflags* is left
    /// out (and returned with the error) instead of failing the whole run:
    /// flags such as `-C target-cpu` apply to every target through
    /// `[build]`, and a build for such a target would fail the same way.
    pub fn describe_all(
        &self,
        targets: &[String],
        jobs: usize,
        tolerant: bool,
    ) -> Result<(Vec<BuildTarget>, LeftOut), Failure> {
        let mut results: Vec<Option<BuildTarget>> = Vec::with_capacity(targets.len());
        let mut left_out: Vec<(usize, String)> = Vec::new();
        let mut missing = Vec::new();
        for (i, t) in targets.iter().enumerate() {
            let d = self.describe(t, false)?;
            if d.is_none() {
                missing.push(i);
            }
            results.push(d);
        }
        if !missing.is_empty() {
            self.skip_proxy();
            let asked = self.ask_in_parallel(targets, &missing, jobs, tolerant);
            let mut failure: Option<(usize, Failure)> = asked.failure;
            for (i, d) in asked.answers {
                match d {
                    Ok(d) => results[i] = d,
                    Err(f) if tolerant && self.has_flags(&targets[i]) => {
                        left_out.push((i, f.to_string()));
                    }
                    Err(f) => {
                        if failure.as_ref().is_none_or(|(j, _)| i < *j) {
                            failure = Some((i, f));
                        }
                    }
                }
            }
            if let Some((_, f)) = failure {
                self.save();
                return Err(f);
            }
        }
        self.save();
        left_out.sort();
        let described = results
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !left_out.iter().any(|(j, _)| j == i))
            .map(|(i, d)| {
                d.ok_or_else(|| Failure::error(format!("no answer for target {}", targets[i])))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let left_out = left_out
            .into_iter()
            .map(|(i, e)| (targets[i].clone(), e))
            .collect();
        Ok((described, left_out))
    }

    /// Asks the compiler about `targets[i]` for each `i` of `missing`, on
    /// `jobs` threads (a progress line on a terminal); stops early at the
    /// first error that is not tolerated.
    fn ask_in_parallel(
        &self,
        targets: &[String],
        missing: &[usize],
        jobs: usize,
        tolerant: bool,
    ) -> Asked {
        let progress = Progress::new(self.ctx, missing.len());
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let workers = jobs.clamp(1, missing.len());
        let mut asked = Asked {
            answers: Vec::new(),
            failure: None,
        };
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            for n in 0..workers {
                let tx = tx.clone();
                let (next, stop) = (&next, &stop);
                let spawned = std::thread::Builder::new()
                    .name(format!("rustc-{}", n))
                    .spawn_scoped(scope, move || loop {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = missing.get(k) else { break };
                        let d = self.describe(&targets[i], true);
                        if d.is_err() && !(tolerant && self.has_flags(&targets[i])) {
                            stop.store(true, Ordering::Relaxed);
                        }
                        if tx.send((i, d)).is_err() {
                            break;
                        }
                    });
                if let Err(e) = spawned {
                    stop.store(true, Ordering::Relaxed);
                    asked.failure = Some((0, thread_failure(&e, "rustc --print cfg")));
                    break;
                }
            }
            drop(tx);
            for answer in rx {
                asked.answers.push(answer);
                progress.show(asked.answers.len());
            }
            progress.clear();
        });
        asked
    }

    /// Whether some rustflags can apply to `target`.
    fn has_flags(&self, target: &str) -> bool {
        self.config.depends_on_cfg() || !self.config.rustflags(target, None).is_empty()
    }

    /// Says which targets were left out, and why, in one line.
    pub fn warn_left_out(&self, left_out: &[(String, String)], total: usize) {
        if let Some((first, why)) = left_out.first() {
            let names: Vec<&str> = left_out.iter().take(5).map(|(t, _)| t.as_str()).collect();
            self.ctx.warn(&format!(
                "left out {} of {} targets ({}{}): the compiler fails on them with the rustflags \
                 that apply, as their builds would; {}: {}",
                left_out.len(),
                total,
                names.join(", "),
                if left_out.len() > names.len() {
                    ", ..."
                } else {
                    ""
                },
                first,
                why
            ));
        }
    }

    fn save(&self) {
        if let Some(c) = &self.cache {
            if let Ok(c) = c.lock() {
                c.save();
            }
        }
    }
}

/// A target list: one name a line, at least one.
fn check_target_list(text: &str, shown: &str) -> Result<(), Failure> {
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        any = true;
        let ok = line
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(Failure::error(format!(
                "`{}` printed {:?}, which is not a target name: expected one target per line",
                shown,
                line.chars().take(120).collect::<String>()
            )));
        }
    }
    if any {
        Ok(())
    } else {
        Err(Failure::error(format!(
            "`{}` printed no targets: expected one target per line",
            shown
        )))
    }
}

/// A target's cfg as `rustc --print cfg` writes it (the cache's form).
fn cfg_text_of(cfg: &TargetCfg) -> String {
    let mut text = String::new();
    for (name, value) in cfg.iter() {
        match value {
            Some(v) => text.push_str(&format!("{}=\"{}\"\n", name, v)),
            None => text.push_str(&format!("{}\n", name)),
        }
    }
    text
}

/// A target's cfg, through the library; it must at least name the
/// architecture.
fn parse_cfg(target: &str, text: &str, shown: &str) -> Result<TargetCfg, Failure> {
    let cfg = TargetCfg::from_rustc_cfg(target, text)
        .map_err(|e| Failure::error(format!("cannot read what `{}` printed: {}", shown, e)))?;
    if cfg.value("target_arch").is_none() {
        return Err(Failure::error(format!(
            "`{}` printed no target_arch: expected the target's cfg values, one per line",
            shown
        )));
    }
    Ok(cfg)
}

/// The progress line on a terminal's stderr: off for `TERM=dumb` and
/// `-q`; cleared
/// with spaces instead of an escape code for `NO_COLOR` (and on Windows,
/// whose older consoles print escape codes raw).
struct Progress {
    total: usize,
    on: bool,
    escapes: bool,
    width: Mutex<usize>,
}

impl Progress {
    fn new(ctx: &Context, total: usize) -> Progress {
        let on = total > 0 && ctx.shell.progress;
        Progress {
            total,
            on,
            escapes: !ctx.is_set("NO_COLOR") && !cfg!(windows),
            width: Mutex::new(0),
        }
    }

    fn show(&self, done: usize) {
        if !self.on {
            return;
        }
        let line = format!(
            "{}: asked rustc about {}/{} targets",
            crate::context::PREFIX,
            done,
            self.total
        );
        if let Ok(mut w) = self.width.lock() {
            *w = (*w).max(line.len());
        }
        let _ = write!(std::io::stderr(), "\r{}", line);
    }

    fn clear(&self) {
        if !self.on {
            return;
        }
        let text = if self.escapes {
            "\r\x1b[2K".to_string()
        } else {
            let w = self.width.lock().map_or(0, |w| *w);
            format!("\r{}\r", " ".repeat(w))
        };
        let _ = write!(std::io::stderr(), "{}", text);
    }
}
