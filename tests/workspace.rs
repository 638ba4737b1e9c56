//! Workspace membership as Cargo reads it: the library's `Workspace` held
//! against real Cargo (`cargo metadata --no-deps`) for every package and
//! workspace root of the fixture workspaces, and Cargo's errors for broken
//! workspaces.
#![cfg(feature = "manifest")]

mod common;

use common::{fixture, text};
use std::path::{Path, PathBuf};
use std::process::Command;

use platform_guard::{ErrorKind, Workspace};

/// What Cargo says about the workspace it loads in `dir`.
#[derive(Debug, PartialEq, Eq)]
struct Loaded {
    root: PathBuf,
    /// Manifests, sorted.
    members: Vec<PathBuf>,
    default_members: Vec<PathBuf>,
}

/// `cargo metadata --format-version 1 --no-deps --offline` in `dir`, or
/// Cargo's error. (The few fields needed are read from the JSON by hand:
/// the library has no JSON parser and its tests add no dependency.)
fn cargo_metadata(dir: &Path) -> Result<Loaded, String> {
    let out = Command::new(common::cargo_program())
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs");
    if !out.status.success() {
        return Err(text(&out.stderr));
    }
    let json = text(&out.stdout);
    let strings = |key: &str| -> Vec<String> {
        json.split(&format!("\"{}\":\"", key))
            .skip(1)
            .map(|rest| rest[..rest.find('"').expect("a closing quote")].to_string())
            .collect()
    };
    // With --no-deps the packages are the members: one manifest_path each.
    let mut members: Vec<PathBuf> = strings("manifest_path")
        .into_iter()
        .map(PathBuf::from)
        .collect();
    members.sort();
    // Package IDs such as path+file:///dir#name@0.1.0.
    let ids = json
        .split("\"workspace_default_members\":[")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("workspace_default_members");
    let mut default_members: Vec<PathBuf> = ids
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| {
            let id = id.trim_matches('"');
            let dir = id
                .strip_prefix("path+file://")
                .and_then(|id| id.split('#').next())
                .expect("a path package ID");
            Path::new(dir).join("Cargo.toml")
        })
        .collect();
    default_members.sort();
    let root = strings("workspace_root").pop().expect("workspace_root");
    Ok(Loaded {
        root: Path::new(&root).join("Cargo.toml"),
        members,
        default_members,
    })
}

/// What the library says about the workspace Cargo loads for the manifest
/// in `dir`, or its error.
fn library(dir: &Path) -> Result<Loaded, platform_guard::Error> {
    let ws = Workspace::find(&dir.join("Cargo.toml"))?;
    let sorted = |paths: &[PathBuf]| {
        let mut paths = paths.to_vec();
        paths.sort();
        paths
    };
    Ok(Loaded {
        root: ws.root_manifest().to_path_buf(),
        members: sorted(ws.members()),
        default_members: sorted(ws.default_members()),
    })
}

/// Every directory under `dir` with a Cargo.toml (`target` and `src`
/// left out).
fn manifest_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.join("Cargo.toml").is_file() {
        out.push(dir.to_path_buf());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("target") && !p.ends_with("src"))
        .collect();
    entries.sort();
    for entry in entries {
        out.extend(manifest_dirs(&entry));
    }
    out
}

/// Cargo and the library agree on the workspace of `dir`: the same root,
/// members and default members, or both refuse it for not being a member.
fn assert_agrees(dir: &Path) {
    match (cargo_metadata(dir), library(dir)) {
        (Ok(cargo), Ok(ours)) => assert_eq!(ours, cargo, "{}", dir.display()),
        (Err(cargo), Err(ours)) => {
            assert!(
                cargo.contains("current package believes it's in a workspace when it's not"),
                "{}: {}",
                dir.display(),
                cargo
            );
            assert_eq!(ours.kind(), ErrorKind::Manifest);
            assert!(
                ours.to_string().starts_with(&format!(
                    "{} is below the workspace at ",
                    dir.join("Cargo.toml").display()
                )),
                "{}",
                ours
            );
        }
        (cargo, ours) => panic!(
            "{}: Cargo says {:?}, the library {:?}",
            dir.display(),
            cargo,
            ours
        ),
    }
}

#[test]
fn every_package_of_the_fixture_workspaces_is_where_cargo_puts_it() {
    let mut checked = 0;
    for fixture_dir in [
        "workspace-rules",
        "workspace-pointer",
        "workspace-satellite",
        "workspace-outside",
        "manifest-workspace",
        "lib-policy-ws",
    ] {
        for dir in manifest_dirs(&fixture(fixture_dir)) {
            assert_agrees(&dir);
            checked += 1;
        }
    }
    assert!(checked >= 28, "{} manifests", checked);

    // The facts behind it, spelt out for the rules fixture.
    let rules = fixture("workspace-rules");
    let ws = Workspace::find(&rules.join("Cargo.toml")).unwrap();
    let names: Vec<String> = ws
        .members()
        .iter()
        .map(|m| {
            m.parent()
                .unwrap()
                .strip_prefix(&rules)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    // Cargo's order: each `members` entry with the path dependencies it
    // brings (depth first), then the root's package with its own.
    assert_eq!(
        names,
        [
            "crates/app-one",
            "deps/by-member",
            "deps/transitive",
            "deps/dev-only",
            "crates/app-two",
            "deps/inherited",
            "tools/t1",
            "nested/group/deeper/leaf-a",
            "nested/leaf-b",
            "excluded/listed",
            "inner/pkg",
            "",
            "deps/by-root",
        ]
    );
    assert!(ws.has_root());
    assert_eq!(ws.root_dir(), rules.as_path());
    assert_eq!(ws.current_manifest(), rules.join("Cargo.toml").as_path());
    assert!(ws.is_member(&rules.join("crates/app-one/../app-two/./Cargo.toml")));
    assert!(!ws.is_member(&rules.join("crates/app-excluded/Cargo.toml")));
    assert!(!ws.is_member(&rules.join("deps/excluded/Cargo.toml")));
    assert!(!ws.is_member(&fixture("workspace-outside/Cargo.toml")));
    // Excluded: a workspace of its own.
    let alone = Workspace::find(&rules.join("crates/app-excluded/Cargo.toml")).unwrap();
    assert!(!alone.has_root());
    assert_eq!(
        Workspace::root_of(&rules.join("crates/app-excluded/Cargo.toml")).unwrap(),
        None
    );
    // The root found without loading the members: also for a package the
    // root does not list.
    assert_eq!(
        Workspace::root_of(&rules.join("tools/tx/Cargo.toml")).unwrap(),
        Some(rules.join("Cargo.toml"))
    );
    assert_eq!(
        Workspace::root_of(&fixture("workspace-satellite/sub/Cargo.toml")).unwrap(),
        Some(fixture("workspace-pointer/Cargo.toml"))
    );
}

/// A workspace of the test's own under the target directory, which has a
/// `[workspace]` of its own (so this repository's does not enclose it).
fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("workspace-rules")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

const PACKAGE: &str = "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

/// A broken workspace: its name, its files, what Cargo says and what the
/// library says (`{dir}` standing for the workspace's directory).
type Broken<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a str);

/// Workspaces Cargo refuses to load are errors here too, each naming what
/// is wrong.
#[test]
fn broken_workspaces_are_errors_as_for_cargo() {
    let cases: [Broken<'_>; 5] = [
        (
            "glob-dir-without-manifest",
            &[
                ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
                ("crates/empty/README.md", "no Cargo.toml here\n"),
            ],
            "failed to load manifest for workspace member",
            "has the member {dir}/crates/empty (by the pattern \"crates/*\"), which has no \
             Cargo.toml: expected a package there, or the path in [workspace] exclude",
        ),
        (
            "glob-matching-nothing",
            &[("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n")],
            "failed to load manifest for workspace member",
            "has the member {dir}/crates/*, which has no Cargo.toml",
        ),
        (
            "bad-pattern",
            &[("Cargo.toml", "[workspace]\nmembers = [\"crates/[\"]\n")],
            "could not parse pattern",
            "has the member pattern \"crates/[\", which cannot be expanded: ",
        ),
        (
            "default-not-member",
            &[
                (
                    "Cargo.toml",
                    "[workspace]\nmembers = [\"a\"]\ndefault-members = [\"b\"]\n",
                ),
                ("a/Cargo.toml", PACKAGE),
                ("a/src/lib.rs", ""),
                ("b/Cargo.toml", PACKAGE),
                ("b/src/lib.rs", ""),
            ],
            "is listed in default-members but is not a member",
            "has {dir}/b in default-members, which is not a member: expected default-members \
             among its members",
        ),
        (
            "missing-path-dependency",
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
                 [dependencies]\ngone = { path = \"gone\" }\n[workspace]\n",
                ),
                ("src/lib.rs", ""),
            ],
            "failed to load manifest for dependency `gone`",
            "{dir}/Cargo.toml: the path dependency \"gone\" has no Cargo.toml in {dir}/gone: \
             expected a package there",
        ),
    ];
    for (name, files, cargo_says, we_say) in cases {
        let dir = scratch(name, files);
        let cargo = cargo_metadata(&dir).unwrap_err();
        assert!(cargo.contains(cargo_says), "{}: {}", name, cargo);
        let e = Workspace::find(&dir.join("Cargo.toml")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Manifest, "{}", name);
        let we_say = we_say.replace("{dir}", &dir.display().to_string());
        assert!(e.to_string().contains(&we_say), "{}: {}", name, e);
    }
    // An excluded default member that `members` names is left out, for
    // Cargo and here.
    let dir = scratch(
        "default-excluded",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/x\"]\n\
                 default-members = [\"crates/*\"]\n",
            ),
            ("crates/a/Cargo.toml", PACKAGE),
            ("crates/a/src/lib.rs", ""),
            ("crates/x/README.md", "excluded, no Cargo.toml\n"),
        ],
    );
    assert_agrees(&dir);
    assert_eq!(
        library(&dir).unwrap().default_members,
        [dir.join("crates/a/Cargo.toml")]
    );
}

/// A wrong type for a key that decides membership names the file, the
/// line, the key and what was expected.
#[test]
fn a_membership_key_of_the_wrong_type_is_an_error_naming_it() {
    let dir = scratch(
        "members-string",
        &[("Cargo.toml", "[workspace]\nmembers = \"crates/*\"\n")],
    );
    let e = Workspace::find(&dir.join("Cargo.toml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}:2:11: workspace.members: expected an array of strings, found the string \
             \"crates/*\"",
            dir.join("Cargo.toml").display()
        )
    );
    assert!(cargo_metadata(&dir).is_err());
}
