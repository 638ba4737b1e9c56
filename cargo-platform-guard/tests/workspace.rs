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
    // The members without a policy: one line, and under -v the reason for
    // each.
    assert!(
        run.err.contains(
            "note: skipped 2 packages without a platform-guard policy (-v says which and why)"
        ) && !run.err.contains("skipped: package plain"),
        "{}",
        run.err
    );
    let verbose = pg_in(
        &ws(""),
        &["check", "-v", "--target", "x86_64-unknown-linux-gnu"],
        &[],
    )
    .expect(0, "all members, -v");
    assert_eq!(verbose.out, run.out, "-v changes only stderr");
    assert!(
        verbose.err.contains("note: skipped: package plain (")
            && verbose.err.contains(
                "has no [package.metadata.platform-guard] table and does not depend on \
                 platform-guard"
            ),
        "{}",
        verbose.err
    );
    assert!(
        verbose.err.contains("note: skipped: ") && verbose.err.contains("scripted"),
        "{}",
        verbose.err
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
    // doc writes one page per package, each after a line naming it.
    let run = pg_in(&ws(""), &["doc"], &[]).expect(0, "doc of three");
    let marks: Vec<&str> = run
        .out
        .lines()
        .filter(|l| l.starts_with("<!-- package "))
        .collect();
    assert_eq!(
        marks,
        [
            "<!-- package app -->",
            "<!-- package tool -->",
            "<!-- package zero -->"
        ]
    );
    assert_eq!(run.out.matches("# Supported systems\n").count(), 3);
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
    // Where the fixture lies, Cargo counts it in this repository's
    // workspace (whose `exclude` of the fixtures yields to the member
    // cargo-platform-guard above them), which does not list it: an error,
    // as for Cargo.
    let run = pg_in(&fixture("published"), &["doc"], &[]).expect(2, "not listed");
    let repository = common::package_dir().parent().unwrap().join("Cargo.toml");
    assert!(
        run.err
            .contains(&format!("the workspace at {}", repository.display()))
            && run.err.contains("does not list"),
        "{}",
        run.err
    );
    // Outside any workspace, as crates.io serves it (the system's temporary
    // directory).
    let dir = std::env::temp_dir().join(format!("cpg-published-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    if common::find_manifest_above(&dir) {
        return; // a Cargo.toml above the temporary directory: nothing to test
    }
    std::fs::copy(
        fixture("published").join("Cargo.toml"),
        dir.join("Cargo.toml"),
    )
    .unwrap();
    let run = pg_in(&dir, &["doc"], &[]).expect(2, "no workspace");
    let _ = std::fs::remove_dir_all(&dir);
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

/// Issue 16, item 8: the members Cargo finds, through the library's
/// `Workspace` (one implementation of Cargo's rules for the library and the
/// command): globs (`*`, `[...]`, `**`), path dependencies that Cargo makes
/// members (one through `[workspace.dependencies]`), `exclude` and
/// `default-members`, held against `cargo metadata`.
#[test]
fn members_are_the_ones_cargo_finds() {
    let root = fixture("workspace-globs");
    let x86 = ["check", "--target", "x86_64-unknown-linux-gnu"];
    let metadata = cargo_metadata(&root);
    let cargo_members: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        cargo_members,
        ["app-cli", "by-path", "inherited", "t1", "leaf-a"]
    );

    // --workspace: every member Cargo finds, in its order, one part each.
    let run = pg_in(&root, &[&["--workspace"][..], &x86].concat(), &[]).expect(0, "--workspace");
    let headings: Vec<&str> = run
        .out
        .lines()
        .filter(|l| l.starts_with("package "))
        .collect();
    let names: Vec<&str> = headings
        .iter()
        .map(|h| h["package ".len()..].split(':').next().unwrap())
        .collect();
    assert_eq!(names, cargo_members, "{}", run.out);
    for (heading, origin) in headings.iter().zip([
        "[workspace.metadata.platform-guard] in ",
        "[workspace.metadata.platform-guard] in ",
        "the default policy (zero setup: ",
        "[package.metadata.platform-guard] in ",
        "[workspace.metadata.platform-guard] in ",
    ]) {
        assert!(heading.contains(origin), "{}", heading);
    }

    // At the root without -p: default-members (crates/app-*), which the
    // excluded crates/app-excluded is not.
    let default = pg_in(&root, &x86, &[]).expect(0, "default members");
    let app_cli = pg_in(&root, &[&["-p", "app-cli"][..], &x86].concat(), &[]).expect(0, "-p");
    assert_eq!(default.out, app_cli.out);
    assert!(
        default
            .out
            .starts_with("x86_64-unknown-linux-gnu: allowed: stable (rule `all(target_arch"),
        "{}",
        default.out
    );
    let run = pg_in(&root, &["check", "-p", "app-excluded"], &[]).expect(2, "excluded");
    assert!(
        run.err
            .contains("package \"app-excluded\" is not a member of the workspace at "),
        "{}",
        run.err
    );

    // The workspace's table, with each member's own variable: a member by
    // a glob, by `**`, and a path dependency.
    for (dir, var) in [
        ("crates/app-cli", "APP_CLI_UNSUPPORTED_ARCH"),
        ("nested/group/leaf-a", "LEAF_A_UNSUPPORTED_ARCH"),
        ("libs/by-path", "BY_PATH_UNSUPPORTED_ARCH"),
    ] {
        let run = pg_in(
            &root.join(dir),
            &["check", "--target", "i686-unknown-linux-gnu"],
            &[],
        )
        .expect(1, "denied by the workspace's deny");
        assert_eq!(
            run.out,
            format!(
                "i686-unknown-linux-gnu: denied: building for unsupported target \
                 i686-unknown-linux-gnu (no rule matched) is denied by this crate's policy (deny \
                 unsupported and worse); set {}=x86 to build anyway\n",
                var
            )
        );
    }
    // A member by tools/t[0-9], named from the root.
    let run = pg_in(
        &root,
        &["check", "-p", "t1", "--target", "i686-unknown-linux-gnu"],
        &[],
    )
    .expect(0, "t1: the default preset warns only");
    assert!(
        run.out
            .starts_with("i686-unknown-linux-gnu: allowed: unsupported"),
        "{}",
        run.out
    );
}

/// At a root that is a package, Cargo selects `default-members` when there
/// are some, not the root's package: so does the command.
#[test]
fn default_members_at_a_root_package_are_what_cargo_selects() {
    let dir = common::scratch("root-default-members");
    std::fs::create_dir_all(dir.join("a/src")).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    std::fs::write(dir.join("a/src/lib.rs"), "").unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"root-pkg\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         [package.metadata.platform-guard]\npreset = \"etcd\"\n\
         [workspace]\nmembers = [\"a\"]\ndefault-members = [\"a\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("a/Cargo.toml"),
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         [package.metadata.platform-guard]\npreset = \"default\"\n",
    )
    .unwrap();
    let metadata = cargo_metadata(&dir);
    let defaults = metadata["workspace_default_members"].as_array().unwrap();
    assert_eq!(defaults.len(), 1);
    assert!(
        defaults[0].as_str().unwrap().contains("/a#"),
        "{:?}",
        defaults
    );
    // a's default policy: aarch64 macOS is stable there, unsupported for
    // the root's etcd preset.
    let run = pg_in(&dir, &["check", "--target", "aarch64-apple-darwin"], &[])
        .expect(0, "default members");
    assert!(
        run.out
            .starts_with("aarch64-apple-darwin: allowed: stable (rule "),
        "{}",
        run.out
    );
    assert_eq!(run.out.lines().count(), 1, "{}", run.out);
}

/// What real Cargo says of the workspace at `dir` (`cargo metadata
/// --no-deps --offline`).
fn cargo_metadata(dir: &std::path::Path) -> serde_json::Value {
    let out = std::process::Command::new(common::cargo_program())
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(dir)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
