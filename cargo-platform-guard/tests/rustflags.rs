//! The command sees what the build sees: the rustflags Cargo would give a
//! build (environment and `.cargo/config.toml`, with Cargo's precedence),
//! the cfg the compiler reports with them, the compiler behind its
//! wrapper, and a real Cargo build that agrees.

mod common;

use common::{fixture, pg_in, scratch, text, Run};
use std::path::Path;
use std::process::Command;

fn write(path: &Path, body: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

/// A scratch package whose rules name the cfgs the flags set.
fn flags_package(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    write(
        &dir.join("Cargo.toml"),
        "[package]\nname = \"flags\"\nversion = \"0.1.0\"\n[package.metadata.platform-guard]\n\
         rules = [\n  { level = \"stable\", cfg = 'from_triple' },\n  { level = \"experimental\", \
         cfg = 'from_build' },\n  { level = \"unstable\", cfg = 'from_env' },\n]\n[workspace]\n",
    );
    dir
}

fn flags_line(run: &Run) -> String {
    run.out
        .lines()
        .find_map(|l| l.strip_prefix("rustflags: "))
        .unwrap_or_else(|| panic!("no rustflags line in {}", run.out))
        .to_string()
}

fn explain(dir: &Path, target: &str, env: &[(&str, &str)]) -> Run {
    pg_in(dir, &["explain", "--target", target], env).expect(0, "explain")
}

#[test]
fn rustflags_follow_cargos_precedence() {
    let dir = flags_package("precedence");
    let home = scratch("precedence-home");
    write(
        &home.join("config.toml"),
        "[build]\nrustflags = [\"--cfg\", \"from_home\"]\n",
    );
    write(
        &dir.join(".cargo/config.toml"),
        "[build]\nrustflags = [\"--cfg\", \"from_build\"]\n\
         [target.x86_64-unknown-linux-gnu]\nrustflags = [\"--cfg\", \"from_triple\"]\n\
         [target.'cfg(target_os = \"linux\")']\nrustflags = \"--cfg from_linux\"\n",
    );
    let home_env = ("CARGO_HOME", home.to_str().unwrap());
    // [target.<triple>] then the matching cfg(..) tables; [build] ignored.
    let run = explain(&dir, "x86_64-unknown-linux-gnu", &[home_env]);
    assert_eq!(flags_line(&run), "--cfg from_triple --cfg from_linux");
    assert!(
        run.out.contains("verdict: stable (rule `from_triple`)"),
        "{}",
        run.out
    );
    // Only a cfg(..) table matches: it alone.
    let run = explain(&dir, "aarch64-unknown-linux-gnu", &[home_env]);
    assert_eq!(flags_line(&run), "--cfg from_linux");
    // No [target] table matches: [build], the home's and this directory's
    // arrays joined, the deeper file's items later.
    let run = explain(&dir, "wasm32-unknown-unknown", &[home_env]);
    assert_eq!(flags_line(&run), "--cfg from_home --cfg from_build");
    assert!(
        run.out
            .contains("verdict: experimental (rule `from_build`)"),
        "{}",
        run.out
    );
    // The environment's [build] value comes after the files'.
    let run = explain(
        &dir,
        "wasm32-unknown-unknown",
        &[home_env, ("CARGO_BUILD_RUSTFLAGS", "--cfg from_env")],
    );
    assert_eq!(
        flags_line(&run),
        "--cfg from_home --cfg from_build --cfg from_env"
    );
    let run = explain(
        &dir,
        "x86_64-unknown-linux-gnu",
        &[
            home_env,
            (
                "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS",
                "--cfg from_env",
            ),
        ],
    );
    assert_eq!(
        flags_line(&run),
        "--cfg from_triple --cfg from_env --cfg from_linux"
    );
    // RUSTFLAGS replaces all of it; CARGO_ENCODED_RUSTFLAGS replaces that.
    let run = explain(
        &dir,
        "x86_64-unknown-linux-gnu",
        &[home_env, ("RUSTFLAGS", " --cfg  from_env ")],
    );
    assert_eq!(flags_line(&run), "--cfg from_env");
    assert!(
        run.out.contains("verdict: unstable (rule `from_env`)"),
        "{}",
        run.out
    );
    let run = explain(
        &dir,
        "x86_64-unknown-linux-gnu",
        &[
            home_env,
            ("RUSTFLAGS", "--cfg from_env"),
            ("CARGO_ENCODED_RUSTFLAGS", ""),
        ],
    );
    assert_eq!(flags_line(&run), "none");
    assert!(
        run.out.contains("verdict: unsupported (no rule matched)"),
        "{}",
        run.out
    );
    // The JSON rows carry them.
    let out = pg_in(&dir, &["matrix", "--format", "json"], &[home_env])
        .expect(0, "matrix")
        .out;
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["target"] == "x86_64-unknown-linux-gnu")
        .unwrap();
    assert_eq!(
        row["rustflags"],
        serde_json::json!(["--cfg", "from_triple", "--cfg", "from_linux"])
    );
    assert_eq!(row["level"], "stable");
}

/// `cfg(..)` tables that switch each other on: as Cargo, two rounds and a
/// warning.
#[test]
fn flags_that_do_not_settle_are_warned_about_as_cargo_does() {
    let dir = flags_package("paradox");
    write(
        &dir.join(".cargo/config.toml"),
        "[target.'cfg(target_os = \"linux\")']\nrustflags = [\"--cfg\", \"from_triple\"]\n\
         [target.'cfg(from_triple)']\nrustflags = [\"--cfg\", \"from_env\"]\n",
    );
    let run = explain(&dir, "x86_64-unknown-linux-gnu", &[]);
    assert_eq!(flags_line(&run), "--cfg from_triple");
    assert!(
        run.err.contains(
            "warning: x86_64-unknown-linux-gnu: non-trivial mutual dependency between \
             target-specific configuration and RUSTFLAGS"
        ),
        "{}",
        run.err
    );
}

#[test]
fn a_cfg_table_the_command_cannot_read_is_said_not_guessed() {
    let dir = flags_package("unreadable-cfg");
    write(
        &dir.join(".cargo/config.toml"),
        "[target.'cfg(target_os = \"li\\\\nux\")']\nrustflags = [\"--cfg\", \"x\"]\n",
    );
    let run = pg_in(&dir, &["explain"], &[]).expect(2, "unreadable cfg key");
    assert!(
        run.err.contains("cannot tell which targets [target.'cfg(target_os = \"li\\\\nux\")'] applies to, so which rustflags a build gets"),
        "{}",
        run.err
    );
}

/// The compiler behind `RUSTC_WRAPPER`, for `-vV` and for the target
/// query alike, as Cargo runs it.
#[cfg(unix)]
#[test]
fn the_wrapper_runs_the_compiler_as_for_cargo() {
    let dir = scratch("wrapper");
    let log = dir.join("wrapper.log");
    let wrapper = common::script(
        &dir.join("wrap"),
        &format!("echo \"$*\" >> '{}'\nexec \"$@\"\n", log.display()),
    );
    let rustc = common::real_rustc();
    let cache = dir.join("cache");
    pg_in(
        &dir,
        &[
            "explain",
            "--preset",
            "etcd",
            "--target",
            "x86_64-unknown-linux-gnu",
        ],
        &[
            ("RUSTC_WRAPPER", wrapper.to_str().unwrap()),
            ("RUSTC", rustc.to_str().unwrap()),
            ("XDG_CACHE_HOME", cache.to_str().unwrap()),
        ],
    )
    .expect(0, "explain through a wrapper");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!(
            "{r} -vV\n{r} - --crate-name ___ --print=file-names --target x86_64-unknown-linux-gnu \
             --crate-type bin --crate-type rlib --crate-type dylib --crate-type cdylib \
             --crate-type staticlib --crate-type proc-macro --print=cfg -Wwarnings\n",
            r = rustc.display()
        )
    );
}

/// Issue 10: a rule on `target_feature = "avx2"` with `target-cpu=x86-64-v3`
/// in the fixture's `.cargo/config.toml`: `check` allows x86_64 Linux, as
/// the real build does; with the flags overridden both deny it.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn check_agrees_with_a_real_build_that_has_rustflags() {
    let dir = fixture("avx2-app");
    let target = "x86_64-unknown-linux-gnu";
    let run = pg_in(&dir, &["check", "--target", target], &[]).expect(0, "check with the config");
    assert!(
        run.out.starts_with(&format!(
            "{}: allowed: stable (rule `all(target_arch",
            target
        )),
        "{}",
        run.out
    );
    let run = pg_in(&dir, &["explain", "--target", target], &[]).expect(0, "explain");
    assert!(
        run.out.contains("\nrustflags: -C target-cpu=x86-64-v3\n"),
        "{}",
        run.out
    );
    assert!(
        run.out.contains("\n  target_feature = \"avx2\"\n"),
        "{}",
        run.out
    );
    // The matrix leaves out, and names, the targets the compiler fails on
    // with those flags (`-C target-cpu=x86-64-v3` means nothing to them).
    let run = pg_in(&dir, &["matrix", "--format", "json"], &[]).expect(0, "matrix with the config");
    assert!(run.err.contains("warning: left out "), "{}", run.err);
    let doc: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert!(!doc["left_out"].as_array().unwrap().is_empty());
    let row = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["target"] == target)
        .expect("the x86_64 row");
    assert_eq!(row["level"], "stable");
    assert_eq!(
        row["rustflags"],
        serde_json::json!(["-C", "target-cpu=x86-64-v3"])
    );
    let overridden = [("CARGO_ENCODED_RUSTFLAGS", "")];
    let run = pg_in(&dir, &["check", "--target", target], &overridden).expect(1, "check without");
    assert!(
        run.out
            .contains(": denied: building for unsupported target"),
        "{}",
        run.out
    );

    // The real build, for the target (so the flags do not reach the build
    // script itself), with the fixture's config.
    let cargo = |env: &[(&str, &str)]| {
        let mut cmd = Command::new(common::cargo_program());
        cmd.args(["check", "--quiet", "--target", target])
            .current_dir(&dir)
            .env(
                "CARGO_TARGET_DIR",
                std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fixtures"),
            )
            .env("CARGO_TERM_COLOR", "never");
        for var in common::SCRUB {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        cmd.output().expect("cargo runs")
    };
    let built = cargo(&[]);
    assert!(
        built.status.success(),
        "the real build fails:\n{}",
        text(&built.stderr)
    );
    let denied = cargo(&overridden);
    assert!(
        !denied.status.success(),
        "the real build without the flags succeeds"
    );
    assert!(
        text(&denied.stderr).contains(
            "platform-guard: building for unsupported target x86_64-unknown-linux-gnu (no rule \
             matched) is denied by this crate's policy"
        ),
        "{}",
        text(&denied.stderr)
    );
}
