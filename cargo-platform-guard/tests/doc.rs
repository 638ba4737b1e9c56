//! `doc` beyond etcd's table: the CI jobs rules name (a column, linked
//! when the repository is on GitHub, and the requirements section), and a
//! page that reads well for every preset outside any package, naming the
//! variable the programs really read.

mod common;

use common::{fixture, pg, pg_in, scratch};
use platform_guard::Preset;

#[test]
fn ci_jobs_are_shown_and_linked() {
    let m = fixture("audit/complete/Cargo.toml").display().to_string();
    let page = pg(&["doc", "--manifest-path", &m], &[])
        .expect(0, "doc")
        .out;
    let link = |file: &str, job: &str| {
        format!(
            "[{}:{}](https://github.com/example/audited/actions/workflows/{})",
            file, job, file
        )
    };
    for part in [
        "| Architecture | Operating system | Status | Maintainers | CI |\n|---|---|---|---|---|\n"
            .to_string(),
        format!(
            "| x86_64 | Linux | Stable | core team | build {}, unit {}, integration {} |\n",
            link("ci.yml", "build"),
            link("ci.yml", "test"),
            link("ci.yml", "integration")
        ),
        format!(
            "| aarch64 | Linux | Experimental | (none named) | build {} |\n",
            link("ci.yml", "build")
        ),
        format!(
            "- x86_64 Linux (stable): maintainers: core team; build: {}; unit tests: {}; \
             integration tests: {}; functional tests: no CI job named.\n",
            link("ci.yml", "build"),
            link("ci.yml", "test"),
            link("ci.yml", "integration")
        ),
    ] {
        assert!(page.contains(&part), "missing {:?} in\n{}", part, page);
    }
    // Without a known forge: the job, unlinked.
    let dir = scratch("doc-ci-unlinked");
    let text = std::fs::read_to_string(&m)
        .unwrap()
        .replace("repository = \"https://github.com/example/audited\"\n", "");
    std::fs::write(dir.join("Cargo.toml"), text).unwrap();
    let page = pg_in(&dir, &["doc"], &[]).expect(0, "doc").out;
    assert!(
        page.contains(
            "| x86_64 | Linux | Stable | core team | build `ci.yml:build`, unit `ci.yml:test`, \
             integration `ci.yml:integration` |\n"
        ),
        "{}",
        page
    );
    // A policy that names no CI keeps etcd's four columns.
    let etcd = pg(&["doc", "--preset", "etcd"], &[]).expect(0, "etcd").out;
    assert!(etcd.contains(
        "| Architecture | Operating system | Status | Maintainers |\n|---|---|---|---|\n"
    ));
    assert!(etcd.contains(
        "- amd64 Linux (stable): maintainers: etcd maintainers; build: no CI job named; unit \
         tests: no CI job named; integration tests: no CI job named; functional tests: no CI job \
         named.\n"
    ));
}

#[test]
fn every_preset_reads_well_outside_a_package() {
    // The system's temporary directory: the scratch directories are inside
    // this repository, whose Cargo.toml would be found.
    let dir = std::env::temp_dir().join(format!("cpg-doc-no-package-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(
        !common::find_manifest_above(&dir),
        "{} is inside a package",
        dir.display()
    );
    for preset in Preset::ALL {
        let page = pg_in(&dir, &["doc", "--preset", preset.as_str()], &[])
            .expect(0, preset.as_str())
            .out;
        assert!(!page.contains("this project"), "{}:\n{}", preset, page);
        assert!(
            !page.contains("PLATFORM_GUARD_UNSUPPORTED_ARCH"),
            "{}:\n{}",
            preset,
            page
        );
        match preset.project() {
            Some(name) => assert!(page.contains(&format!(
                "To avoid inadvertently running a possibly unstable {name}, {name} on unstable"
            ))),
            None => {
                for part in [
                    "The following table lists the support status for common architectures",
                    "For the project to officially support a new platform as stable",
                    "2. Set up CI for build; the project must compile.",
                    "To avoid inadvertently running a possibly unstable build, programs on \
                     unstable or unsupported architectures will print a warning message and \
                     immediately exit if the environment variable `<PACKAGE>_UNSUPPORTED_ARCH` is \
                     not set to the target architecture.",
                    "`<PACKAGE>` is the name of the package whose program it is, with ASCII \
                     letters upper-cased and every other character replaced by `_` (`my-app` \
                     reads `MY_APP_UNSUPPORTED_ARCH`).",
                    "| Architecture | `<PACKAGE>_UNSUPPORTED_ARCH=` |",
                    "Currently x86_64 and aarch64 architectures are officially supported.\n",
                ] {
                    assert!(
                        page.contains(part),
                        "{}: missing {:?} in\n{}",
                        preset,
                        part,
                        page
                    );
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    // Inside a package the default preset names that package and its
    // variable.
    let page = pg(&["doc", "--preset", "default"], &[])
        .expect(0, "in this package")
        .out;
    assert!(
        page.contains("`CARGO_PLATFORM_GUARD_UNSUPPORTED_ARCH`"),
        "{}",
        page
    );
    assert!(
        page.contains("possibly unstable cargo-platform-guard, cargo-platform-guard on"),
        "{}",
        page
    );
}

/// Several packages (`-p`, `--workspace`): one page per package, each the
/// page `-p` alone gives, after a line naming the package (it refused
/// before); `--check` compares the whole output.
#[test]
fn several_packages_give_one_page_each() {
    let ws = fixture("workspace");
    let all = pg_in(&ws, &["doc", "-p", "app", "-p", "tool"], &[])
        .expect(0, "two pages")
        .out;
    let app = pg_in(&ws, &["doc", "-p", "app"], &[]).expect(0, "app").out;
    let tool = pg_in(&ws, &["doc", "-p", "tool"], &[])
        .expect(0, "tool")
        .out;
    assert_eq!(
        all,
        format!(
            "<!-- package app -->\n\n{}\n<!-- package tool -->\n\n{}",
            app, tool
        )
    );
    let dir = scratch("doc-several");
    let page = dir.join("SUPPORTED.md");
    std::fs::write(&page, &all).unwrap();
    let path = page.display().to_string();
    pg_in(
        &ws,
        &["doc", "-p", "app", "-p", "tool", "--check", &path],
        &[],
    )
    .expect(0, "up to date");
    std::fs::write(&page, &app).unwrap();
    pg_in(
        &ws,
        &["doc", "-p", "app", "-p", "tool", "--check", &path],
        &[],
    )
    .expect(1, "one page is not both");
}
