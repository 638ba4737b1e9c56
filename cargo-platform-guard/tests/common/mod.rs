//! Helpers for the command's tests: the real binary, run with an explicit
//! environment (the guard's variables removed, a cache directory of the
//! test's own), the real compiler, and scratch directories.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_cargo-platform-guard");

/// Variables the command (and the builds it mirrors) read; removed from
/// every process these tests spawn so the developer's environment cannot
/// change an outcome.
pub const SCRUB: &[&str] = &[
    "PLATFORM_GUARD_DENY",
    "DOCS_RS",
    "ETCD_UNSUPPORTED_ARCH",
    "PLATFORM_GUARD_UNSUPPORTED_ARCH",
    "CLI_POLICY_UNSUPPORTED_ARCH",
    "APP_UNSUPPORTED_ARCH",
    "ZERO_UNSUPPORTED_ARCH",
    "APP_CLI_UNSUPPORTED_ARCH",
    "BY_PATH_UNSUPPORTED_ARCH",
    "LEAF_A_UNSUPPORTED_ARCH",
    "AVX2_APP_UNSUPPORTED_ARCH",
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_BUILD_TARGET",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_BUILD_RUSTC",
    "NO_COLOR",
    "CARGO_TERM_COLOR",
    "CARGO_TERM_QUIET",
    "CARGO_TERM_VERBOSE",
    "RUST_MIN_STACK",
    "RUSTC_BOOTSTRAP",
    "RUST_TARGET_PATH",
    "GITHUB_OUTPUT",
];

pub fn package_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    package_dir().join("tests").join("fixtures").join(name)
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cpg")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// The cache directory the tests share (a test about the cache uses its
/// own).
pub fn shared_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cpg-shared-cache")
}

/// The command with the guard's variables removed and the shared cache.
pub fn command() -> Command {
    let mut cmd = Command::new(BIN);
    for var in SCRUB {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CACHE_HOME", shared_cache());
    cmd
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A finished run: status, stdout, stderr.
pub struct Run {
    pub code: Option<i32>,
    pub out: String,
    pub err: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            out: text(&o.stdout),
            err: text(&o.stderr),
        }
    }
}

impl Run {
    /// Asserts the exit status; never a panic message.
    pub fn expect(self, code: i32, what: &str) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "{}\nstdout:\n{}\nstderr:\n{}",
            what,
            self.out,
            self.err
        );
        assert!(!self.err.contains("panicked"), "{}: {}", what, self.err);
        self
    }
}

/// Runs the command with `args` and extra `env`, in `dir` (default: the
/// package's directory).
pub fn pg_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    command()
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("cargo-platform-guard runs")
        .into()
}

pub fn pg(args: &[&str], env: &[(&str, &str)]) -> Run {
    pg_in(&package_dir(), args, env)
}

/// The compiler Cargo would use: `$RUSTC`, else `rustc`. (The tests' one
/// read of their own environment besides [`cargo_program`].)
#[allow(clippy::disallowed_methods)]
pub fn rustc() -> std::ffi::OsString {
    std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())
}

/// The Cargo running the tests: `$CARGO`, else `cargo`.
#[allow(clippy::disallowed_methods)]
pub fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The toolchain's own rustc binary (not a rustup proxy), for stand-in
/// scripts that pass calls on.
pub fn real_rustc() -> PathBuf {
    let out = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    Path::new(text(&out.stdout).trim())
        .join("bin")
        .join("rustc")
}

/// `rustc --print target-list`.
pub fn target_list() -> Vec<String> {
    let out = Command::new(rustc())
        .args(["--print", "target-list"])
        .output()
        .expect("rustc runs");
    text(&out.stdout).lines().map(str::to_string).collect()
}

/// The library's own view of a target, from the real compiler.
pub fn rustc_target(triple: &str) -> platform_guard::TargetCfg {
    let out = Command::new(rustc())
        .args(["--print", "cfg", "--target", triple])
        .output()
        .expect("rustc runs");
    assert!(
        out.status.success(),
        "rustc --print cfg --target {}",
        triple
    );
    platform_guard::TargetCfg::from_rustc_cfg(triple, &text(&out.stdout)).unwrap()
}

/// The host triple and its `target_arch`.
pub fn host() -> (String, String) {
    let vv = Command::new(rustc())
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let triple = text(&vv.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("host line")
        .to_string();
    let arch = rustc_target(&triple).arch().to_string();
    (triple, arch)
}

/// Writes an executable shell script (a stand-in compiler).
#[cfg(unix)]
pub fn script(path: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\n{}", body)).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path.to_path_buf()
}

/// Whether `dir` or a parent holds a Cargo.toml.
pub fn find_manifest_above(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join("Cargo.toml").is_file())
}

/// `PATH` with `dir` first (the tests' one read of `PATH`).
#[allow(clippy::disallowed_methods)]
pub fn path_with(dir: &Path) -> std::ffi::OsString {
    let mut dirs = vec![dir.to_path_buf()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("a PATH")
}

/// The active toolchain's sysroot (`rustc --print sysroot`).
pub fn sysroot() -> PathBuf {
    let out = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    PathBuf::from(text(&out.stdout).trim())
}

/// The targets whose `rust-std` the toolchain's rustup channel manifest
/// lists as available: read here with the `toml` parser on the whole file,
/// independently of the command's reader.
pub fn rustup_installable() -> Vec<String> {
    let path = sysroot().join("lib/rustlib/multirust-channel-manifest.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {} (these tests need a rustup toolchain)",
            path.display(),
            e
        )
    });
    let doc = toml::de::DeTable::parse(&text).expect("the channel manifest is TOML");
    fn get<'t, 'i>(t: &'t toml::de::DeTable<'i>, k: &str) -> Option<&'t toml::de::DeValue<'i>> {
        t.iter()
            .find(|(key, _)| key.get_ref() == k)
            .map(|(_, v)| v.get_ref())
    }
    let pkg = get(doc.get_ref(), "pkg").unwrap();
    let std = get(pkg.as_table().unwrap(), "rust-std").unwrap();
    let targets = get(std.as_table().unwrap(), "target").unwrap();
    let mut out: Vec<String> = targets
        .as_table()
        .unwrap()
        .iter()
        .filter(|(_, v)| {
            v.get_ref()
                .as_table()
                .and_then(|t| get(t, "available"))
                .and_then(|a| a.as_bool())
                == Some(true)
        })
        .map(|(k, _)| k.get_ref().to_string())
        .collect();
    out.sort();
    out
}
