//! Cargo's habits: Cargo.toml found from a subdirectory, `-p` and
//! `--workspace`, a virtual manifest's members, the workspace's table that
//! members opt into with `workspace = true`, zero-setup members, a policy
//! written in build.rs, and a published crate that relied on a workspace.

mod common;

use common::{fixture, pg, pg_in};

fn ws(member: &str) -> std::path::PathBuf {
    let root = fixture("workspace");
    if member.is_empty() {
        root
    } else {
        root.join(member)
    }
}

#[test]
fn the_manifest_is_found_from_a_subdirectory() {
    let from_src = pg_in(
        &ws("app/src"),
        &["check", "--target", "x86_64-unknown-linux-gnu"],
        &[],
    )
    .expect(0, "check from app/src");
    let from_app = pg_in(
        &ws("app"),
        &["check", "--target", "x86_64-unknown-linux-gnu"],
        &[],
    )
    .expect(0, "check from app");
    assert_eq!(from_src.out, from_app.out);
    assert!(
        from_src
            .out
            .starts_with("x86_64-unknown-linux-gnu: allowed: stable (rule `all(target_arch"),
        "{}",
        from_src.out
    );
    // Outside any package: one line that says what was looked for.
    // (The system's temporary directory: the scratch directories are
    // inside this repository, whose Cargo.toml would be found.)
    let dir = std::env::temp_dir().join(format!("cpg-no-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    if common::find_manifest_above(&dir) {
        return; // a Cargo.toml above the temporary directory: nothing to test
    }
    let run = pg_in(&dir, &["doc"], &[]).expect(2, "no Cargo.toml");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: could not find Cargo.toml in {} or any parent \
             directory: expected a package with a [package.metadata.platform-guard] table, \
             --manifest-path <PATH> or --preset etcd|default\n",
            dir.display()
        )
    );
}

#[test]
fn a_member_inherits_the_workspace_table_with_its_own_variable() {
    let run = pg_in(
        &ws("app"),
        &["check", "--target", "i686-unknown-linux-gnu"],
        &[],
    )
    .expect(1, "i686 is denied by the workspace's deny");
    assert_eq!(
        run.out,
        "i686-unknown-linux-gnu: denied: building for unsupported target \
         i686-unknown-linux-gnu (no rule matched) is denied by this crate's policy (deny \
         unsupported and worse); set APP_UNSUPPORTED_ARCH=x86 to build anyway\n"
    );
    pg_in(
        &ws("app"),
        &["check", "--target", "i686-unknown-linux-gnu"],
        &[("APP_UNSUPPORTED_ARCH", "x86")],
    )
    .expect(0, "lifted by the member's own variable");
    let page = pg_in(&ws("app"), &["doc"], &[]).expect(0, "doc").out;
    assert!(page.contains("lists app support status"), "{}", page);
    assert!(page.contains("Only Linux is tested."), "{}", page);
    assert!(
        page.contains("| x86_64 | Linux | Stable | ops |"),
        "{}",
        page
    );
}

#[test]
fn packages_are_chosen_as_cargo_chooses_them() {
    // -p in the virtual root: that member only.
    let run = pg_in(
        &ws(""),
        &[
            "check",
            "-p",
            "tool",
            "--target",
            "powerpc64le-unknown-linux-gnu",
        ],
        &[],
    )
    .expect(0, "-p tool");
    assert_eq!(
        run.out,
        "powerpc64le-unknown-linux-gnu: allowed: stable (rule `all(target_arch = \"powerpc64\", \
         target_endian = \"little\", target_pointer_width = \"64\", target_os = \"linux\", \
         any(target_env = \"gnu\", target_env = \"musl\"), target_vendor = \"unknown\")`)\n"
    );
    // The virtual root without -p: every member with a policy, each under
    // its heading; the others named on stderr.
    let run = pg_in(
        &ws(""),
        &["check", "--target", "x86_64-unknown-linux-gnu"],
        &[],
    )
    .expect(0, "all members");
    let headings: Vec<&str> = run
        .out
        .lines()
        .filter(|l| l.starts_with("package "))
        .collect();
    assert_eq!(headings.len(), 3, "{}", run.out);
    assert!(headings[0].starts_with("package app: [workspace.metadata.platform-guard] in "));
    assert!(headings[1].starts_with("package tool: [package.metadata.platform-guard] in "));
    assert!(headings[2].starts_with("package zero: the default policy (zero setup: "));
    assert!(
        run.err.contains("note: skipped: package plain (")
            && run.err.contains(
                "has no [package.metadata.platform-guard] table and does not depend on \
                 platform-guard"
            ),
        "{}",
        run.err
    );
    assert!(
        run.err.contains("note: skipped: ") && run.err.contains("scripted"),
        "{}",
        run.err
    );
    // --workspace from a member is the same selection.
    let from_member = pg_in(
        &ws("tool"),
        &[
            "check",
            "--workspace",
            "--target",
            "x86_64-unknown-linux-gnu",
        ],
        &[],
    )
    .expect(0, "--workspace");
    assert_eq!(from_member.out, run.out);
    // JSON rows name their package.
    let out = pg_in(
        &ws(""),
        &["matrix", "-p", "app", "-p", "zero", "--format", "json"],
        &[],
    )
    .expect(0, "matrix -p app -p zero")
    .out;
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let packages: std::collections::BTreeSet<&str> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["package"].as_str().unwrap())
        .collect();
    assert_eq!(packages.into_iter().collect::<Vec<_>>(), ["app", "zero"]);
    // An unknown member gets the nearest names.
    let run = pg_in(&ws(""), &["check", "-p", "tol"], &[]).expect(2, "unknown member");
    assert!(
        run.err
            .contains("package \"tol\" is not a member of the workspace at ")
            && run.err.contains("(did you mean tool?)"),
        "{}",
        run.err
    );
    // A member named with -p that has no policy is an error, not a note.
    let run = pg_in(&ws(""), &["check", "-p", "plain"], &[]).expect(2, "-p plain");
    assert!(
        run.err.contains("does not depend on platform-guard"),
        "{}",
        run.err
    );
    // doc writes one page.
    let run = pg_in(&ws(""), &["doc"], &[]).expect(2, "doc of three");
    assert!(
        run.err.contains(
            "doc writes one page, for one policy: choose a package with -p NAME \
                          (these have a policy: app, tool, zero)"
        ),
        "{}",
        run.err
    );
}

/// Issue 10: in a zero-setup crate the command, the build and the program
/// give one answer: the default policy with that package's variable.
#[test]
fn a_zero_setup_member_uses_the_default_policy_and_its_own_variable() {
    let deny = [("PLATFORM_GUARD_DENY", "unsupported")];
    let run = pg_in(
        &ws("zero"),
        &["check", "--target", "i686-unknown-linux-gnu"],
        &deny,
    )
    .expect(1, "zero setup, denied");
    assert_eq!(
        run.out,
        "i686-unknown-linux-gnu: denied: building for unsupported target \
         i686-unknown-linux-gnu (no rule matched) is denied by PLATFORM_GUARD_DENY=unsupported; \
         set ZERO_UNSUPPORTED_ARCH=x86 to build anyway\n"
    );
    // Not PLATFORM_GUARD_UNSUPPORTED_ARCH: that is nobody's variable here.
    pg_in(
        &ws("zero"),
        &["check", "--target", "i686-unknown-linux-gnu"],
        &[deny[0], ("PLATFORM_GUARD_UNSUPPORTED_ARCH", "x86")],
    )
    .expect(1, "the wrong variable lifts nothing");
    pg_in(
        &ws("zero"),
        &["check", "--target", "i686-unknown-linux-gnu"],
        &[deny[0], ("ZERO_UNSUPPORTED_ARCH", "x86")],
    )
    .expect(0, "the package's variable lifts it");
    let out = pg_in(
        &ws("zero"),
        &["explain", "--target", "aarch64-apple-darwin"],
        &[],
    )
    .expect(0, "explain")
    .out;
    assert!(
        out.contains("override: ZERO_UNSUPPORTED_ARCH=aarch64 "),
        "{}",
        out
    );
}

#[test]
fn a_policy_in_build_rs_gets_one_line_on_moving_it_into_the_table() {
    let run = pg_in(&ws("scripted"), &["matrix"], &[]).expect(2, "policy in build.rs");
    assert_eq!(run.err.lines().count(), 1, "{}", run.err);
    assert!(
        run.err.starts_with(&format!(
            "cargo-platform-guard: error: {} has no [package.metadata.platform-guard] table, and \
             its build script (platform-guard is a build-dependency) states the policy in Rust, \
             which the command cannot read: move the rules into the table (rules = [{{ level = \
             \"stable\", cfg = '...' }}, ...]",
            ws("scripted").join("Cargo.toml").display()
        )) && run
            .err
            .trim_end()
            .ends_with("make build.rs `platform_guard::Policy::from_manifest().build();`"),
        "{}",
        run.err
    );
}

#[test]
fn a_published_crate_that_relied_on_a_workspace_table_is_an_error() {
    let run = pg_in(&fixture("published"), &["doc"], &[]).expect(2, "no workspace");
    assert!(
        run.err.contains(
            "[package.metadata.platform-guard] says workspace = true, but no workspace lists \
             this package (a published package keeps no [workspace]): expected the workspace's \
             [workspace.metadata.platform-guard] table copied into the package's own before \
             publishing"
        ),
        "{}",
        run.err
    );
    // `workspace = true` must stand alone.
    let dir = common::scratch("inherit-plus");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[package.metadata.platform-guard]\n\
         workspace = true\ndeny = \"unstable\"\n[workspace]\n",
    )
    .unwrap();
    let run = pg_in(&dir, &["doc"], &[]).expect(2, "workspace = true and more");
    assert!(
        run.err.contains(
            "`workspace = true` takes the whole policy from the workspace's \
                          [workspace.metadata.platform-guard]: expected no other key, found deny"
        ),
        "{}",
        run.err
    );
}

#[test]
fn a_mistake_in_the_workspace_table_names_the_root_and_the_key() {
    let dir = common::scratch("ws-mistake");
    std::fs::create_dir_all(dir.join("m")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"m\"]\n[workspace.metadata.platform-guard]\nrules = [{ level = \
         \"Stable\", cfg = \"unix\" }]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("m/Cargo.toml"),
        "[package]\nname = \"m\"\nversion = \"0.1.0\"\n[package.metadata.platform-guard]\nworkspace = true\n",
    )
    .unwrap();
    let run = pg_in(&dir.join("m"), &["doc"], &[]).expect(2, "bad level");
    assert_eq!(
        run.err,
        format!(
            "cargo-platform-guard: error: {}:4:20: workspace.metadata.platform-guard.rules[0].level: \
             unknown support level \"Stable\": expected one of stable, experimental, unstable, \
             unsupported (lowercase)\n",
            dir.join("Cargo.toml").display()
        )
    );
    let _ = pg;
}
