//! The warm cache: a second `matrix` asks the compiler only for `-vV` (the
//! target list, the sysroot and every cfg come from the cache);
//! another toolchain or other rustflags miss; a damaged or foreign file is
//! ignored and rewritten; `--no-cache` neither reads nor writes.

mod common;

use common::{command, real_rustc, scratch, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A compiler that logs its arguments and passes them on; `version_extra`
/// is appended to `-vV` (another toolchain, as far as the cache can tell).
#[cfg(unix)]
fn logging_rustc(dir: &Path, version_extra: &str) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let log = dir.join("calls.log");
    let extra = if version_extra.is_empty() {
        String::new()
    } else {
        format!(
            "if [ \"$1\" = -vV ]; then '{}' -vV; echo '{}'; exit 0; fi\n",
            real_rustc().display(),
            version_extra
        )
    };
    let rustc = common::script(
        &dir.join(if version_extra.is_empty() {
            "rustc"
        } else {
            "rustc-other"
        }),
        &format!(
            "echo \"$*\" >> '{}'\n{}exec '{}' \"$@\"\n",
            log.display(),
            extra,
            real_rustc().display()
        ),
    );
    (rustc, log)
}

const HEADER: &[u8] = b"cargo-platform-guard cfg cache 2\n";

fn matrix(rustc: &Path, cache: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["matrix", "--preset", "etcd", "--format", "json"];
    args.extend(extra);
    command()
        .args(&args)
        .env("RUSTC", rustc)
        .env("XDG_CACHE_HOME", cache)
        .envs(env.iter().copied())
        .output()
        .expect("runs")
        .into()
}

/// The log's lines, then emptied.
fn calls(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let _ = std::fs::remove_file(log);
    text.lines().map(str::to_string).collect()
}

fn cache_files(cache: &Path) -> Vec<PathBuf> {
    let dir = cache.join("cargo-platform-guard");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "cache"))
        .collect();
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn a_warm_matrix_asks_the_compiler_only_for_its_version() {
    let dir = scratch("cache-warm");
    let cache = dir.join("cache");
    let (rustc, log) = logging_rustc(&dir, "");
    let targets = common::target_list().len();

    let cold = matrix(&rustc, &cache, &[], &[]).expect(0, "cold");
    let cold_calls = calls(&log);
    assert_eq!(
        cold_calls.len(),
        3 + targets,
        "-vV, the list, the sysroot (for the channel manifest), one cfg per target"
    );
    assert_eq!(cache_files(&cache).len(), 1);

    let warm = matrix(&rustc, &cache, &[], &[]).expect(0, "warm");
    assert_eq!(calls(&log), ["-vV"]);
    assert_eq!(warm.out, cold.out);

    // --no-cache asks again, and writes nothing.
    let fresh = scratch("cache-warm-none");
    let uncached = matrix(&rustc, &fresh, &["--no-cache"], &[]).expect(0, "--no-cache");
    assert_eq!(calls(&log).len(), 3 + targets);
    assert_eq!(uncached.out, cold.out);
    assert!(cache_files(&fresh).is_empty());
}

#[cfg(unix)]
#[test]
fn another_toolchain_or_other_rustflags_miss_the_cache() {
    let dir = scratch("cache-miss");
    let cache = dir.join("cache");
    let (rustc, log) = logging_rustc(&dir, "");
    let (other, other_log) = logging_rustc(&dir.join("other-dir"), "commit-hash: another one");
    let targets = common::target_list().len();
    matrix(&rustc, &cache, &[], &[]).expect(0, "cold");
    calls(&log);

    // Other rustflags: every target asked again, with them.
    let flagged =
        matrix(&rustc, &cache, &[], &[("RUSTFLAGS", "--cfg pg_cache_test")]).expect(0, "flags");
    let c = calls(&log);
    assert_eq!(c.len(), 1 + targets, "{:?}", &c[..3]);
    assert!(
        c[1..]
            .iter()
            .all(|l| l.contains(" --print=file-names --cfg pg_cache_test --target ")),
        "{:?}",
        &c[..3]
    );
    let doc: serde_json::Value = serde_json::from_str(&flagged.out).unwrap();
    assert_eq!(
        doc["targets"][0]["rustflags"],
        serde_json::json!(["--cfg", "pg_cache_test"])
    );
    // And those are warm now, as are the earlier ones.
    matrix(&rustc, &cache, &[], &[("RUSTFLAGS", "--cfg pg_cache_test")]).expect(0, "flags, warm");
    assert_eq!(calls(&log), ["-vV"]);
    matrix(&rustc, &cache, &[], &[]).expect(0, "no flags, warm");
    assert_eq!(calls(&log), ["-vV"]);

    // Another toolchain (another `rustc -vV`): a file of its own.
    matrix(&other, &cache, &[], &[]).expect(0, "other toolchain");
    assert_eq!(calls(&other_log).len(), 3 + targets);
    assert_eq!(cache_files(&cache).len(), 2);
}

#[cfg(unix)]
#[test]
fn a_damaged_or_foreign_cache_file_is_ignored_and_rewritten() {
    let dir = scratch("cache-damaged");
    let cache = dir.join("cache");
    let (rustc, log) = logging_rustc(&dir, "");
    let (other, other_log) = logging_rustc(&dir.join("other-dir"), "commit-hash: another one");
    let targets = common::target_list().len();
    let good = matrix(&rustc, &cache, &[], &[]).expect(0, "cold");
    calls(&log);
    let file = cache_files(&cache).remove(0);
    let intact = std::fs::read(&file).unwrap();

    // One changed byte in an entry: the checksum no longer holds.
    let text = String::from_utf8(intact.clone()).unwrap();
    let at = text.find("target_arch=\"").unwrap() + "target_arch=\"".len();
    let mut damaged = intact.clone();
    damaged[at] ^= 0x01;
    for (what, bytes) in [
        ("a flipped byte", damaged),
        ("a truncated file", intact[..intact.len() / 2].to_vec()),
        ("garbage", b"\x00\xffnot a cache at all\n".to_vec()),
    ] {
        std::fs::write(&file, &bytes).unwrap();
        let run = matrix(&rustc, &cache, &[], &[]).expect(0, what);
        assert_eq!(run.out, good.out, "{}", what);
        assert_eq!(calls(&log).len(), 3 + targets, "{}: asked again", what);
        let now = std::fs::read(&file).unwrap();
        assert!(
            now != bytes && now.starts_with(HEADER),
            "{}: not rewritten",
            what
        );
        matrix(&rustc, &cache, &[], &[]).expect(0, "warm again");
        assert_eq!(calls(&log), ["-vV"], "{}", what);
    }

    // Another toolchain's file under this toolchain's name: foreign.
    matrix(&other, &cache, &[], &[]).expect(0, "other toolchain");
    calls(&other_log);
    let other_file = cache_files(&cache)
        .into_iter()
        .find(|f| *f != file)
        .unwrap();
    std::fs::copy(&other_file, &file).unwrap();
    let run = matrix(&rustc, &cache, &[], &[]).expect(0, "foreign");
    assert_eq!(run.out, good.out);
    assert_eq!(
        calls(&log).len(),
        3 + targets,
        "a foreign file is not trusted"
    );
    let now = std::fs::read(&file).unwrap();
    let foreign = std::fs::read(&other_file).unwrap();
    assert!(now != foreign && now.starts_with(HEADER), "not rewritten");

    // A cache directory that cannot be written: the command still works.
    let blocked = dir.join("blocked");
    std::fs::write(&blocked, "a file where the cache directory would be").unwrap();
    let run = matrix(&rustc, &blocked, &[], &[]).expect(0, "unwritable cache");
    assert_eq!(run.out, good.out);
    assert_eq!(run.err, "");
}

/// A package of its own in `dir` whose one stable rule is `rule` and
/// that denies every other target.
fn one_rule_package(dir: &Path, rule: &str) {
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"one-rule\"\nversion = \"0.1.0\"\n\n\
             [package.metadata.platform-guard]\noverride-var = \"ONE_RULE_UNSUPPORTED_ARCH\"\n\
             deny = \"unsupported\"\nrules = [{{ level = \"stable\", cfg = '{}' }}]\n[workspace]\n",
            rule
        ),
    )
    .unwrap();
}

fn check(dir: &Path, cache: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    command()
        .arg("check")
        .args(extra)
        .current_dir(dir)
        .env("XDG_CACHE_HOME", cache)
        .envs(env.iter().copied())
        .output()
        .expect("runs")
        .into()
}

/// The cache is keyed on every input that changes the compiler's answer:
/// after a warm run, `RUSTC_BOOTSTRAP=1` (which makes rustc 1.95 report
/// `target_thread_local`) answers as `--no-cache` and the build do, not
/// from the cache.
#[test]
fn rustc_bootstrap_is_part_of_the_cache_key() {
    let dir = scratch("cache-bootstrap");
    let cache = dir.join("cache");
    // rustc 1.95 reports `target_thread_local` only under RUSTC_BOOTSTRAP=1.
    one_rule_package(&dir, "target_thread_local");
    let bootstrap = [("RUSTC_BOOTSTRAP", "1")];
    let uncached = check(&dir, &cache, &["--no-cache"], &bootstrap);
    let plain = check(&dir, &cache, &[], &[]);
    let warm = check(&dir, &cache, &[], &bootstrap);
    assert_eq!(warm.code, uncached.code, "{}\n{}", warm.out, uncached.out);
    assert_eq!(warm.out, uncached.out);
    if uncached.out.contains(": allowed: stable") {
        // The compiler reports it under RUSTC_BOOTSTRAP: the plain run must
        // have decided otherwise, from its own answer.
        assert_eq!(plain.code, Some(1), "{}", plain.out);
    }
}

/// A custom target spec edited at the same path is asked again: its
/// contents are part of the cache key.
#[test]
fn an_edited_target_spec_is_asked_again() {
    let dir = scratch("cache-spec");
    let cache = dir.join("cache");
    one_rule_package(&dir, "target_feature = \"avx2\"");
    let (host, _) = common::host();
    let json = Command::new(real_rustc())
        .args([
            "-Zunstable-options",
            "--print",
            "target-spec-json",
            "--target",
            &host,
        ])
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .expect("rustc runs");
    let json = String::from_utf8(json.stdout).unwrap();
    if !json.contains("\"arch\": \"x86_64\"") {
        return; // the edit below adds an x86 feature
    }
    let spec = dir.join("custom.json");
    std::fs::write(&spec, &json).unwrap();
    let bootstrap = [("RUSTC_BOOTSTRAP", "1")];
    let target = ["--target", "custom.json"];
    let before = check(&dir, &cache, &target, &bootstrap);
    assert_eq!(before.code, Some(1), "{}{}", before.out, before.err);
    std::fs::write(
        &spec,
        json.replacen(
            "\"cpu\": \"x86-64\",",
            "\"cpu\": \"x86-64\",\n  \"features\": \"+avx2\",",
            1,
        ),
    )
    .unwrap();
    let after = check(&dir, &cache, &target, &bootstrap);
    assert_eq!(after.code, Some(0), "{}{}", after.out, after.err);
}
