//! `pipeline` on fixture repositories (GitHub workflows, cargo-dist,
//! cross and docs.rs configuration): one clean, one that ships denied
//! targets, one that leaves a stable platform unbuilt; exact output, exit
//! codes and GitHub annotations, the step summary, and a file that does not
//! parse.

mod common;

use common::{fixture, pg, pg_in, rustc_target, scratch};
use serde_json::Value;

fn manifest(name: &str) -> String {
    fixture(&format!("pipeline/{}/Cargo.toml", name))
        .display()
        .to_string()
}

fn head(name: &str, read: &str) -> String {
    format!(
        "policy: [package.metadata.platform-guard] in {}\nread: {}\n",
        manifest(name),
        read
    )
}

const DOCS_RS: &str = "Cargo.toml:15: x86_64-unknown-linux-gnu documented \
                       ([package.metadata.docs.rs] targets): stable\n\
                       Cargo.toml:15: aarch64-apple-darwin documented \
                       ([package.metadata.docs.rs] targets): experimental\n";

#[test]
fn a_clean_repository_passes() {
    let run = pg(&["pipeline", "--manifest-path", &manifest("clean")], &[]).expect(0, "clean");
    assert_eq!(
        run.out,
        head(
            "clean",
            ".github/workflows/ci.yml, .github/workflows/release.yml, dist-workspace.toml, \
             Cross.toml, Cargo.toml"
        ) + ".github/workflows/ci.yml:11: x86_64-unknown-linux-gnu built (job test, matrix): stable\n\
             .github/workflows/ci.yml:13: aarch64-unknown-linux-gnu built (job test, matrix): stable\n\
             .github/workflows/release.yml:11: x86_64-unknown-linux-musl shipped (job binaries, matrix): stable\n\
             .github/workflows/release.yml:11: aarch64-unknown-linux-musl shipped (job binaries, matrix): stable\n\
             dist-workspace.toml:6: x86_64-unknown-linux-gnu shipped (cargo-dist [dist] targets): stable\n\
             dist-workspace.toml:6: aarch64-unknown-linux-gnu shipped (cargo-dist [dist] targets): stable\n\
             Cross.toml:1: aarch64-unknown-linux-musl built (cross Cross.toml target table): stable\n"
            + DOCS_RS
            + "0 errors, 0 warnings\n"
    );
    assert_eq!(run.err, "");
}

const DENIED: &[&str] = &[
    ".github/workflows/release.yml:13: error: i686-unknown-linux-gnu is shipped here (job \
     binaries, matrix), but the policy denies it: building for unsupported target \
     i686-unknown-linux-gnu (no rule matched) is denied by this crate's policy (deny unsupported \
     and worse); set SHIPPER_UNSUPPORTED_ARCH=x86 to build anyway",
    "dist-workspace.toml:7: error: armv7-unknown-linux-gnueabihf is shipped here (cargo-dist \
     [dist] targets), but the policy denies it: building for unsupported target \
     armv7-unknown-linux-gnueabihf (no rule matched) is denied by this crate's policy (deny \
     unsupported and worse); set SHIPPER_UNSUPPORTED_ARCH=arm to build anyway",
    "Cross.toml:4: error: i686-unknown-linux-gnu is built here (cross Cross.toml target table), \
     but the policy denies it: building for unsupported target i686-unknown-linux-gnu (no rule \
     matched) is denied by this crate's policy (deny unsupported and worse); set \
     SHIPPER_UNSUPPORTED_ARCH=x86 to build anyway",
    ".github/workflows/release.yml:14: warning: x86_64-apple-darwin is shipped here (job \
     binaries, matrix), but it is experimental (rule `all(target_pointer_width = \"64\", \
     target_os = \"macos\")`)",
];

#[test]
fn shipping_a_denied_target_is_an_error() {
    let run = pg(
        &["pipeline", "--manifest-path", &manifest("ships-denied")],
        &[],
    )
    .expect(1, "ships denied targets");
    let mut want = head(
        "ships-denied",
        ".github/workflows/ci.yml, .github/workflows/release.yml, dist-workspace.toml, \
         Cross.toml, Cargo.toml",
    ) + ".github/workflows/ci.yml:6: x86_64-unknown-linux-gnu built (job test, runner ubuntu-latest): stable\n\
         .github/workflows/ci.yml:12: aarch64-unknown-linux-gnu built (job test, run): stable\n\
         .github/workflows/release.yml:12: x86_64-unknown-linux-gnu shipped (job binaries, matrix): stable\n\
         .github/workflows/release.yml:13: i686-unknown-linux-gnu shipped (job binaries, matrix): unsupported, denied\n\
         .github/workflows/release.yml:14: x86_64-apple-darwin shipped (job binaries, matrix): experimental\n\
         dist-workspace.toml:6: x86_64-unknown-linux-gnu shipped (cargo-dist [dist] targets): stable\n\
         dist-workspace.toml:7: armv7-unknown-linux-gnueabihf shipped (cargo-dist [dist] targets): unsupported, denied\n\
         Cross.toml:2: x86_64-unknown-linux-gnu built (cross Cross.toml default-target): stable\n\
         Cross.toml:4: i686-unknown-linux-gnu built (cross Cross.toml target table): unsupported, denied\n"
        + DOCS_RS;
    for line in DENIED {
        want.push_str(line);
        want.push('\n');
    }
    want.push_str("3 errors, 1 warning\n");
    assert_eq!(run.out, want);

    // The override lifts the denials, as in a build: what is left is the
    // warning.
    let run = pg(
        &["pipeline", "--manifest-path", &manifest("ships-denied")],
        &[("SHIPPER_UNSUPPORTED_ARCH", "x86")],
    )
    .expect(1, "armv7 still denied");
    assert!(!run.out.contains("error: i686"), "{}", run.out);
    assert!(
        run.out.contains(
            "\n.github/workflows/release.yml:13: i686-unknown-linux-gnu shipped (job binaries, \
             matrix): unsupported, denial lifted\n"
        ),
        "{}",
        run.out
    );
    assert!(
        run.out.contains(
            "\n.github/workflows/release.yml:13: warning: i686-unknown-linux-gnu is shipped here \
             (job binaries, matrix), but it is unsupported (no rule matched)\n"
        ),
        "{}",
        run.out
    );
    assert!(run.out.ends_with("1 error, 2 warnings\n"), "{}", run.out);
}

#[test]
fn github_format_annotates_and_writes_the_step_summary() {
    let dir = scratch("pipeline-github");
    let summary = dir.join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let run = pg(
        &[
            "pipeline",
            "--manifest-path",
            &manifest("ships-denied"),
            "--format",
            "github",
        ],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    )
    .expect(1, "github");
    let want: Vec<String> = DENIED
        .iter()
        .map(|line| {
            let (place, rest) = line.split_once(": ").unwrap();
            let (file, l) = place.split_once(':').unwrap();
            let (severity, message) = rest.split_once(": ").unwrap();
            format!(
                "::{} file={},line={},title=platform-guard pipeline::{}",
                severity, file, l, message
            )
        })
        .collect();
    assert_eq!(run.out, want.join("\n") + "\n");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n## platform-guard: pipeline\n\n"),
        "{}",
        md
    );
    for part in [
        "| Target | Level | Use | Where |\n|---|---|---|---|\n",
        "| `i686-unknown-linux-gnu` | unsupported, **denied** | shipped | \
         `.github/workflows/release.yml:13` (job binaries, matrix) |\n",
        "**3 errors, 1 warning**\n",
        "- **error** `Cross.toml:4`: i686-unknown-linux-gnu is built here",
    ] {
        assert!(md.contains(part), "missing {:?} in\n{}", part, md);
    }
    // JSON: the same findings, read back.
    let out = pg(
        &[
            "pipeline",
            "--manifest-path",
            &manifest("ships-denied"),
            "--format",
            "json",
        ],
        &[],
    )
    .expect(1, "json")
    .out;
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["command"], "pipeline");
    let part = &doc["parts"][0];
    assert_eq!(part["findings"].as_array().unwrap().len(), 4);
    assert_eq!(part["findings"][0]["file"], ".github/workflows/release.yml");
    assert_eq!(part["findings"][0]["line"], 13);
    assert_eq!(part["findings"][0]["code"], "denied-target");
    assert_eq!(
        part["findings"][0]["targets"],
        serde_json::json!(["i686-unknown-linux-gnu"])
    );
    assert_eq!(part["findings"][3]["code"], "shipped-not-stable");
    assert_eq!(part["findings"][3]["rules"], serde_json::json!([3]));
    assert_eq!(part["targets"].as_array().unwrap().len(), 11);
}

#[test]
fn a_stable_platform_no_pipeline_builds_is_a_warning() {
    let run =
        pg(&["pipeline", "--manifest-path", &manifest("unbuilt")], &[]).expect(0, "warnings only");
    // The rule's targets, as this toolchain has them.
    let json = pg(
        &[
            "matrix",
            "--manifest-path",
            &manifest("unbuilt"),
            "--format",
            "json",
        ],
        &[],
    )
    .expect(0, "json")
    .out;
    let doc: Value = serde_json::from_str(&json).unwrap();
    let rule =
        "all(target_arch = \"aarch64\", target_pointer_width = \"64\", target_os = \"linux\")";
    let mine: Vec<&str> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == rule)
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert!(mine.contains(&"aarch64-unknown-linux-gnu"));
    let shown: Vec<&str> = mine.iter().take(4).copied().collect();
    let lines: Vec<&str> = run.out.lines().collect();
    assert_eq!(
        lines[..5],
        [
            format!("policy: [package.metadata.platform-guard] in {}", manifest("unbuilt")).as_str(),
            "read: .github/workflows/ci.yml, Cargo.toml",
            ".github/workflows/ci.yml:6: x86_64-unknown-linux-gnu built (job test, runner ubuntu-latest): stable",
            "Cargo.toml:15: x86_64-unknown-linux-gnu documented ([package.metadata.docs.rs] targets): stable",
            "Cargo.toml:15: aarch64-apple-darwin documented ([package.metadata.docs.rs] targets): experimental",
        ]
    );
    assert!(
        lines[5].starts_with(
            ".github/workflows/ci.yml:14: warning: \"x86_64-unknown-linux-gun\" (job docs, matrix \
             target) is not a target rustc "
        ) && lines[5].contains(" knows (did you mean x86_64-unknown-linux-gnu"),
        "{}",
        lines[5]
    );
    assert_eq!(
        lines[6],
        format!(
            "Cargo.toml:10: warning: stable rule 2 `{}`: no pipeline builds any of its {} targets \
             ({}{})",
            rule,
            mine.len(),
            shown.join(", "),
            if mine.len() > 4 { ", ..." } else { "" }
        )
    );
    assert_eq!(lines[7], "0 errors, 2 warnings");
    assert_eq!(lines.len(), 8);
}

#[test]
fn a_file_that_does_not_parse_is_an_error_naming_it() {
    let dir = scratch("pipeline-bad-yaml");
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"bad\"\nversion = \"0.1.0\"\n\n[package.metadata.platform-guard]\n\
         preset = \"default\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join(".github/workflows/ci.yml"),
        "jobs:\n  test:\n    steps: [unclosed\n",
    )
    .unwrap();
    let run = pg_in(&dir, &["pipeline"], &[]).expect(2, "bad YAML");
    assert_eq!(run.out, "");
    assert!(
        run.err
            .starts_with("cargo-platform-guard: error: .github/workflows/ci.yml:")
            && run.err.contains(": not valid YAML: "),
        "{}",
        run.err
    );
    std::fs::write(dir.join(".github/workflows/ci.yml"), "jobs: {}\n").unwrap();
    std::fs::write(dir.join("Cross.toml"), "[target.x86_64-unknown-linux-gnu\n").unwrap();
    let run = pg_in(&dir, &["pipeline"], &[]).expect(2, "bad TOML");
    assert!(
        run.err
            .starts_with("cargo-platform-guard: error: Cross.toml:1: not valid TOML: "),
        "{}",
        run.err
    );
    // Read back: with both files fine, the default preset's stable rules
    // are built by nothing here.
    std::fs::write(
        dir.join("Cross.toml"),
        "[target.x86_64-unknown-linux-gnu]\n",
    )
    .unwrap();
    let run = pg_in(&dir, &["pipeline"], &[]).expect(0, "fine");
    assert!(run.out.contains("Cross.toml:1: x86_64-unknown-linux-gnu built (cross Cross.toml target table): stable\n"), "{}", run.out);
    assert_eq!(
        rustc_target("x86_64-unknown-linux-gnu").arch(),
        "x86_64",
        "the compiler answers"
    );
}

/// Several packages (`-p`, `--workspace`): one part per package, each
/// against its own policy (it refused before unless they shared one).
#[test]
fn several_packages_give_one_part_each() {
    let ws = fixture("workspace");
    let run = pg_in(&ws, &["pipeline", "-p", "app", "-p", "tool"], &[]).expect(0, "two parts");
    let parts: Vec<&str> = run.out.split("\n\n").collect();
    assert_eq!(parts.len(), 2, "{}", run.out);
    assert!(parts[0].starts_with("package app: [workspace.metadata.platform-guard] in "));
    assert!(parts[1].starts_with("package tool: [package.metadata.platform-guard] in "));
    assert!(
        parts[0].contains("\nread: Cargo.toml, app/Cargo.toml\n"),
        "{}",
        parts[0]
    );
    assert!(parts[1].ends_with("0 errors, 2 warnings\n"), "{}", parts[1]);
    let json = pg_in(
        &ws,
        &["pipeline", "-p", "app", "-p", "tool", "--format", "json"],
        &[],
    )
    .expect(0, "json")
    .out;
    let doc: Value = serde_json::from_str(&json).unwrap();
    let packages: Vec<&str> = doc["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["package"].as_str().unwrap())
        .collect();
    assert_eq!(packages, ["app", "tool"]);
    assert_eq!(
        doc["parts"][1]["findings"][0]["code"],
        "unbuilt-stable-rule"
    );
    // Annotations say whose policy found each.
    let gh = pg_in(
        &ws,
        &["pipeline", "-p", "app", "-p", "tool", "--format", "github"],
        &[],
    )
    .expect(0, "github")
    .out;
    assert!(
        gh.lines()
            .next()
            .unwrap()
            .contains(",title=platform-guard pipeline (package app)::"),
        "{}",
        gh
    );
}

/// A target belongs to the package that builds it: a compile's `-p NAME`,
/// its `--manifest-path`, or the step's `working-directory` (issue 18,
/// item 5). A wasm plugin's target is judged under the plugin's policy,
/// never the main binary's.
#[test]
fn targets_belong_to_the_package_that_builds_them() {
    let dir = scratch("pipeline-packages");
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"app\", \"plugin\", \"tool\"]\nresolver = \"2\"\n",
    );
    let package = |name: &str, rules: &str| {
        format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [package.metadata.platform-guard]\ndeny = \"unsupported\"\nrules = [\n{}]\n",
            name, rules
        )
    };
    let linux =
        "  { level = \"stable\", cfg = 'all(target_arch = \"x86_64\", target_os = \"linux\")' },\n";
    write("app/Cargo.toml", &package("app", linux));
    write("app/src/main.rs", "fn main() {}\n");
    write(
        "plugin/Cargo.toml",
        &package(
            "plugin",
            "  { level = \"stable\", cfg = 'target_family = \"wasm\"' },\n",
        ),
    );
    write("plugin/src/lib.rs", "");
    write("tool/Cargo.toml", &package("tool", linux));
    write("tool/src/main.rs", "fn main() {}\n");
    write(
        ".github/workflows/release.yml",
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      \
         - run: cargo build --release --target x86_64-unknown-linux-gnu -p app\n      \
         - run: cargo build --release -p plugin --target wasm32-wasip1\n      \
         - run: cargo build --target wasm32-unknown-unknown\n        \
         working-directory: plugin\n      \
         - run: cargo build --manifest-path tool/Cargo.toml --target i686-unknown-linux-gnu\n",
    );
    // app's part: only what is built for app (or for every package);
    // the wasm targets and tool's i686 build are not held against it.
    let run = pg_in(&dir, &["pipeline", "-p", "app"], &[]).expect(0, "-p app");
    assert!(
        run.out
            .contains("x86_64-unknown-linux-gnu built (job build, run): stable"),
        "{}",
        run.out
    );
    for other in [
        "wasm32-wasip1",
        "wasm32-unknown-unknown",
        "i686-unknown-linux-gnu",
    ] {
        assert!(!run.out.contains(other), "{}: {}", other, run.out);
    }
    assert!(
        run.err.contains(
            "note: 3 targets are built for other packages than app (-p, --manifest-path, a \
             working directory): not judged under its policy (-v names them)"
        ),
        "{}",
        run.err
    );
    let verbose = pg_in(&dir, &["pipeline", "-p", "app", "-v"], &[]).expect(0, "-v");
    assert!(
        verbose.err.contains(
            "wasm32-wasip1 (job build, run) is built for package plugin: not judged under the \
             policy of app"
        ) && verbose.err.contains(
            "wasm32-unknown-unknown (job build, run) is built for the packages in plugin"
        ) && verbose
            .err
            .contains("i686-unknown-linux-gnu (job build, run) is built for the packages in tool"),
        "{}",
        verbose.err
    );
    // Every package: the plugin's wasm targets under its own policy, and
    // tool's i686 build denied under tool's.
    let all = pg_in(&dir, &["pipeline", "--workspace"], &[]).expect(1, "--workspace");
    let plugin = all
        .out
        .split("package ")
        .find(|p| p.starts_with("plugin:"))
        .unwrap_or_else(|| panic!("no plugin part: {}", all.out));
    assert!(
        plugin.contains("wasm32-wasip1 built (job build, run): stable"),
        "{}",
        plugin
    );
    assert!(
        plugin.contains("wasm32-unknown-unknown built (job build, run): stable"),
        "{}",
        plugin
    );
    assert!(!plugin.contains("i686"), "{}", plugin);
    let tool = all
        .out
        .split("package ")
        .find(|p| p.starts_with("tool:"))
        .unwrap_or_else(|| panic!("no tool part: {}", all.out));
    assert!(
        tool.contains("i686-unknown-linux-gnu built (job build, run): unsupported, denied"),
        "{}",
        tool
    );
}
