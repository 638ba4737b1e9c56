//! Actions that matter for targets: toolchain installers (their `targets`
//! are installed, not built; their `toolchain` may name a host), actions
//! that build (actions-rs/cargo, houseabsolute/actions-rust-cross,
//! maturin-action with its architecture shorthand, clippy actions, ...),
//! actions that publish (GitHub release uploaders, registries, object
//! stores), and `actions/upload-artifact` / `actions/download-artifact`.
//! Any other action does nothing here.

use super::command::{targets, Compile};
use super::leg::{Leg, Role};
use super::runner::Runner;
use super::scope::Env;
use super::script::script;
use super::shell;
use super::value::Text;
use crate::pipelines::names::{classify, Name};
use crate::pipelines::{NoteKind, Place, Publish};

/// Evaluated inputs: (name, value, line).
type With = [(String, Text, usize)];

/// Actions that install a toolchain: their target inputs are installed.
const TOOLCHAINS: &[&str] = &[
    "dtolnay/rust-toolchain",
    "actions-rs/toolchain",
    "actions-rust-lang/setup-rust-toolchain",
    "moonrepo/setup-rust",
    "hecrj/setup-rust-action",
    "atiltedtree/setup-rust",
    "brndnmtthws/rust-action-rustup",
    "ructions/toolchain",
    "crusty-pie/toolchain",
];

/// Actions that run `cargo <command> <args>`.
const CARGO_ACTIONS: &[&str] = &[
    "actions-rs/cargo",
    "clechasseur/rs-cargo",
    "marcopolo/cargo",
    "ructions/cargo",
    "actions-rs-plus/cargo",
];

/// Actions that run clippy (a compile for the runner's host, unless their
/// `args` name a target).
const CLIPPY_ACTIONS: &[&str] = &[
    "giraffate/clippy-action",
    "actions-rs/clippy-check",
    "auguwu/clippy-action",
    "loligothick/clippy-check",
    "clechasseur/rs-clippy-check",
];

/// Release uploaders, with the input that names the files (none: the
/// action uploads always).
const RELEASES: &[(&str, &str)] = &[
    ("softprops/action-gh-release", "files"),
    ("ncipollo/release-action", "artifacts"),
    ("svenstaro/upload-release-action", "file"),
    ("actions/upload-release-asset", "asset_path"),
    ("shogo82148/actions-upload-release-asset", "asset_path"),
    ("xresloader/upload-to-github-release", "file"),
    ("abutler/upload-release-assets", "files"),
    ("marvinpinto/action-automatic-releases", "files"),
    ("meedamian/github-release", "files"),
    ("alexellis/upload-assets", "asset_paths"),
    ("csexton/release-asset-action", "file"),
    ("johnwbyrd/update-release", "files"),
    ("skx/github-action-publish-binaries", "args"),
];

/// Registries and object stores, with the input that must be set (empty:
/// none).
const UPLOADS: &[(&str, &str, Publish)] = &[
    ("pypa/gh-action-pypi-publish", "", Publish::Registry),
    ("js-devtools/npm-publish", "", Publish::Registry),
    (
        "cachix/cachix-action",
        "authtoken|signingkey",
        Publish::Registry,
    ),
    ("jakejarvis/s3-sync-action", "", Publish::ObjectStore),
    ("shallwefootball/s3-upload-action", "", Publish::ObjectStore),
    (
        "google-github-actions/upload-cloud-storage",
        "",
        Publish::ObjectStore,
    ),
    (
        "bacongobbler/azure-blob-storage-upload",
        "",
        Publish::ObjectStore,
    ),
    ("ryand56/r2-upload-action", "", Publish::ObjectStore),
];

/// Actions that run a script (`run`) in a virtual machine of another
/// system: the guest's host (x86_64; `arch: aarch64` for the BSDs).
const VMS: &[(&str, &str, &str)] = &[
    (
        "vmactions/freebsd-vm",
        "x86_64-unknown-freebsd",
        "aarch64-unknown-freebsd",
    ),
    (
        "vmactions/netbsd-vm",
        "x86_64-unknown-netbsd",
        "aarch64-unknown-netbsd",
    ),
    (
        "vmactions/openbsd-vm",
        "x86_64-unknown-openbsd",
        "aarch64-unknown-openbsd",
    ),
    (
        "vmactions/dragonflybsd-vm",
        "x86_64-unknown-dragonfly",
        "x86_64-unknown-dragonfly",
    ),
    (
        "vmactions/solaris-vm",
        "x86_64-pc-solaris",
        "x86_64-pc-solaris",
    ),
    (
        "vmactions/omnios-vm",
        "x86_64-unknown-illumos",
        "x86_64-unknown-illumos",
    ),
];

/// cross-platform-actions/action's systems (`operating_system`).
const CROSS_PLATFORM: &[(&str, &str, &str)] = &[
    (
        "freebsd",
        "x86_64-unknown-freebsd",
        "aarch64-unknown-freebsd",
    ),
    ("netbsd", "x86_64-unknown-netbsd", "aarch64-unknown-netbsd"),
    (
        "openbsd",
        "x86_64-unknown-openbsd",
        "aarch64-unknown-openbsd",
    ),
    ("haiku", "x86_64-unknown-haiku", "x86_64-unknown-haiku"),
];

fn input<'w>(with: &'w With, name: &str) -> Option<&'w (String, Text, usize)> {
    with.iter().find(|(k, _, _)| k.eq_ignore_ascii_case(name))
}

fn set(with: &With, name: &str) -> bool {
    input(with, name).is_some_and(|(_, t, _)| !t.trimmed().s.is_empty())
}

/// A `uses` step of action `uses` (at `line`) given `with`.
pub fn uses(leg: &mut Leg<'_, '_>, uses: &str, with: &With, env: &Env, line: usize) {
    // Messages name the action without its version or commit.
    let uses = uses.split('@').next().unwrap_or(uses);
    let name = uses.to_ascii_lowercase();
    let name = name.as_str();
    if TOOLCHAINS.contains(&name) {
        return toolchain(leg, with);
    }
    if CARGO_ACTIONS.contains(&name) {
        return cargo_action(leg, uses, with, env, line);
    }
    if CLIPPY_ACTIONS.contains(&name) {
        let args = input(with, "args").map_or_else(Text::default, |(_, t, _)| t.clone());
        let mut text = Text::plain("cargo clippy ");
        text.push(&args);
        return script(leg, &text, line, env, 0, &format!("args of {}", uses));
    }
    if let Some((_, files)) = RELEASES.iter().find(|(n, _)| *n == name) {
        if set(with, files) {
            leg.publish(Publish::Release, line);
        }
        return;
    }
    if let Some((_, needs, how)) = UPLOADS.iter().find(|(n, _, _)| *n == name) {
        // An upload to a test index tries the publishing; it ships nothing.
        let test_index = ["repository-url", "repository_url", "registry"]
            .iter()
            .any(|k| input(with, k).is_some_and(|(_, t, _)| t.s.contains("test.pypi.org")));
        if !test_index && (needs.is_empty() || needs.split('|').any(|n| set(with, n))) {
            leg.publish(*how, line);
        }
        return;
    }
    if let Some((_, x64, arm)) = VMS.iter().find(|(n, _, _)| *n == name) {
        let guest = if arm64(with, "arch") { arm } else { x64 };
        return vm(leg, uses, with, env, guest);
    }
    named(leg, name, uses, with, env, line);
}

/// The other actions known by name (`name`: lower case, without version).
fn named(leg: &mut Leg<'_, '_>, name: &str, uses: &str, with: &With, env: &Env, line: usize) {
    match name {
        "cross-platform-actions/action" => {
            let os =
                input(with, "operating_system").map(|(_, t, _)| t.s.trim().to_ascii_lowercase());
            let system = CROSS_PLATFORM
                .iter()
                .find(|(n, _, _)| Some(*n) == os.as_deref());
            if let Some((_, x64, arm)) = system {
                let guest = if arm64(with, "architecture") {
                    arm
                } else {
                    x64
                };
                vm(leg, uses, with, env, guest);
            }
        }
        "obi1kenobi/cargo-semver-checks-action" => build(leg, uses, with, line, "", false, false),
        // Sets CARGO_BUILD_TARGET for the steps after it.
        "taiki-e/setup-cross-toolchain-action" => {
            if let Some((_, t, _)) = input(with, "target") {
                leg.installs(t);
                leg.env.set("CARGO_BUILD_TARGET", t.clone());
            }
        }
        "houseabsolute/actions-rust-cross" => rust_cross(leg, uses, with, line),
        "taiki-e/upload-rust-binary-action" => {
            build(leg, uses, with, line, "target", true, false);
            leg.publish(Publish::Release, line);
        }
        "rust-build/rust-build.action" => {
            build(leg, uses, with, line, "RUSTTARGET", true, false);
            let mode =
                input(with, "UPLOAD_MODE").map_or("release".to_string(), |(_, t, _)| t.s.clone());
            if mode != "none" {
                leg.publish(Publish::Release, line);
            }
        }
        "actions-rs/tarpaulin" => build(leg, uses, with, line, "", false, true),
        "pyo3/maturin-action" | "messense/maturin-action" => maturin(leg, uses, with, line),
        "docker/build-push-action" | "depot/build-push-action" => {
            let push = input(with, "push").map(|(_, t, _)| t.trimmed().s.to_ascii_lowercase());
            if push.is_some_and(|p| p != "false" && !p.is_empty()) {
                leg.publish(Publish::Registry, line);
                leg.facts.note(leg.wf, line, NoteKind::NotUnderstood, uses);
            }
        }
        "actions/upload-artifact" => {
            let n =
                input(with, "name").map_or_else(|| Text::plain("artifact"), |(_, t, _)| t.clone());
            leg.facts.uploads.push((leg.combo, n, line));
        }
        "actions/download-artifact" => {
            let n = input(with, "name").or_else(|| input(with, "pattern"));
            leg.facts.downloads.push(n.map(|(_, t, _)| t.clone()));
        }
        _ => {}
    }
}

fn arm64(with: &With, key: &str) -> bool {
    input(with, key).is_some_and(|(_, t, _)| matches!(t.s.trim(), "aarch64" | "arm64"))
}

/// A script run in a virtual machine whose host is `guest`.
fn vm(leg: &mut Leg<'_, '_>, uses: &str, with: &With, env: &Env, guest: &'static str) {
    let Some((_, text, line)) = input(with, "run") else {
        return;
    };
    let runner = std::mem::replace(&mut leg.runner, Runner::Hosted(guest));
    let labels = std::mem::replace(
        &mut leg.labels,
        (format!("a virtual machine of {}", uses), *line),
    );
    let toolchain = leg.toolchain.take();
    script(
        leg,
        &text.without_lines(),
        *line,
        env,
        0,
        &format!("run input of {}", uses),
    );
    leg.runner = runner;
    leg.labels = labels;
    leg.toolchain = toolchain;
}

/// A toolchain installer: its targets are installed; its toolchain may
/// name a host.
fn toolchain(leg: &mut Leg<'_, '_>, with: &With) {
    for key in ["targets", "target"] {
        if let Some((_, t, _)) = input(with, key) {
            for part in split(t) {
                leg.installs(&part);
            }
        }
    }
    if let Some((_, t, _)) = input(with, "toolchain") {
        if t.is_known() && !t.s.trim().is_empty() {
            leg.toolchain = Some(t.s.trim().to_string());
        }
    }
}

/// A list input split at commas, spaces and lines.
fn split(t: &Text) -> Vec<Text> {
    let mut out = Vec::new();
    let mut start = 0;
    let s = &t.s;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ','))) {
        if c == ',' || c.is_whitespace() {
            if i > start {
                out.push(t.slice(start, i));
            }
            start = i + c.len_utf8();
        }
    }
    out
}

/// actions-rs/cargo and the like: `cargo <command> <args>` (or `cross`).
fn cargo_action(leg: &mut Leg<'_, '_>, uses: &str, with: &With, env: &Env, line: usize) {
    let Some((_, cmd, _)) = input(with, "command") else {
        return;
    };
    let cross = input(with, "use-cross").is_some_and(|(_, t, _)| t.s.trim() == "true");
    let mut text = Text::plain(if cross { "cross " } else { "cargo " });
    if let Some((_, t, _)) = input(with, "toolchain").filter(|(_, t, _)| !t.s.trim().is_empty()) {
        text.push_str("+");
        text.push(&t.trimmed());
        text.push_str(" ");
    }
    text.push(cmd);
    text.push_str(" ");
    if let Some((_, args, _)) = input(with, "args") {
        text.push(args);
    }
    script(leg, &text, line, env, 0, &format!("args of {}", uses));
}

/// houseabsolute/actions-rust-cross: `command` (build, test, both, ...)
/// for `target`.
fn rust_cross(leg: &mut Leg<'_, '_>, uses: &str, with: &With, line: usize) {
    let command =
        input(with, "command").map_or("build".to_string(), |(_, t, _)| t.s.trim().to_string());
    let (tests, artifacts) = match command.as_str() {
        "build" => (false, true),
        "test" => (true, false),
        "both" => (true, true),
        "check" | "clippy" | "run" | "bench" => (false, false),
        _ => return,
    };
    build(leg, uses, with, line, "target", artifacts, tests);
}

/// An action that compiles: for its target input `key` (or `--target` in
/// its `args`, or the runner's host).
fn build(
    leg: &mut Leg<'_, '_>,
    uses: &str,
    with: &With,
    line: usize,
    key: &str,
    artifacts: bool,
    tests: bool,
) {
    let mut c = Compile {
        tests,
        artifacts,
        ..Compile::new(uses)
    };
    if let Some((_, t, l)) =
        input(with, key).filter(|(_, t, _)| !key.is_empty() && !t.trimmed().s.is_empty())
    {
        c.targets.push(shell::Word {
            text: t.clone(),
            line: *l,
        });
        let what = format!("{} input of {}", key, uses);
        return leg.compile(&c, &Env::default(), line, &what);
    }
    if let Some((_, args, l)) = input(with, "args") {
        let cmds = shell::commands(args, *l, &Env::default());
        c.targets = cmds.iter().flat_map(|cmd| targets(&cmd.words)).collect();
    }
    leg.compile(&c, &Env::default(), line, &format!("args of {}", uses));
}

/// maturin-action: `command` (default `build`) for `target`, which may be
/// an architecture that the runner's operating system completes (`x86_64`
/// on macOS is `x86_64-apple-darwin`; on Linux `musllinux` in `manylinux`
/// makes it musl), as the action does.
fn maturin(leg: &mut Leg<'_, '_>, uses: &str, with: &With, line: usize) {
    let command =
        input(with, "command").map_or("build".to_string(), |(_, t, _)| t.s.trim().to_string());
    match command.as_str() {
        "build" | "publish" | "develop" => {}
        "upload" => return leg.publish(Publish::Registry, line),
        _ => return,
    }
    if command == "publish" {
        leg.publish(Publish::Registry, line);
    }
    let artifacts = command != "develop";
    let target = input(with, "target").filter(|(_, t, _)| !t.trimmed().s.is_empty());
    let Some((_, t, l)) = target else {
        return build(leg, uses, with, line, "", artifacts, false);
    };
    let t = t.trimmed();
    if t.unknown_part().is_some() || classify(&t.s, leg.wf.known) != Name::Other {
        return build(leg, uses, with, line, "target", artifacts, false);
    }
    let Some(host) = leg.runner.triple() else {
        let (label, l2) = leg.labels.clone();
        return leg.facts.note(leg.wf, l2, NoteKind::Runner, &label);
    };
    let musl =
        input(with, "manylinux").is_some_and(|(_, m, _)| m.s.trim().starts_with("musllinux"));
    leg.facts.builds = true;
    for triple in shorthand(&t.s, host, musl) {
        let what = format!("target input of {} ({} on this runner)", uses, t.s);
        leg.target(&Text::plain(triple), *l, &what, Role::Named);
    }
    if shorthand(&t.s, host, musl).is_empty() {
        let u = super::value::Unknown::new(super::value::Why::Unsupported, &t.s);
        leg.facts.unresolved(leg.wf, *l, Place::Target, &u);
    }
}

/// maturin-action's architecture names on a runner whose host is `host`.
fn shorthand(arch: &str, host: &str, musl: bool) -> Vec<&'static str> {
    let one = |t: &'static str| vec![t];
    if host.contains("apple") {
        return match arch {
            "x64" | "x86_64" => one("x86_64-apple-darwin"),
            "aarch64" | "arm64" => one("aarch64-apple-darwin"),
            "universal2" => vec!["x86_64-apple-darwin", "aarch64-apple-darwin"],
            _ => Vec::new(),
        };
    }
    if host.contains("windows") {
        return match arch {
            "x64" | "x86_64" => one("x86_64-pc-windows-msvc"),
            "x86" | "i686" => one("i686-pc-windows-msvc"),
            "aarch64" | "arm64" => one("aarch64-pc-windows-msvc"),
            _ => Vec::new(),
        };
    }
    let t = match (arch, musl) {
        ("x64" | "x86_64", false) => "x86_64-unknown-linux-gnu",
        ("x64" | "x86_64", true) => "x86_64-unknown-linux-musl",
        ("x86" | "i686", false) => "i686-unknown-linux-gnu",
        ("x86" | "i686", true) => "i686-unknown-linux-musl",
        ("aarch64", false) => "aarch64-unknown-linux-gnu",
        ("aarch64", true) => "aarch64-unknown-linux-musl",
        ("armv7" | "armv7l", false) => "armv7-unknown-linux-gnueabihf",
        ("armv7" | "armv7l", true) => "armv7-unknown-linux-musleabihf",
        ("arm", true) => "arm-unknown-linux-musleabihf",
        ("ppc64le", false) => "powerpc64le-unknown-linux-gnu",
        ("ppc64le", true) => "powerpc64le-unknown-linux-musl",
        ("ppc64", false) => "powerpc64-unknown-linux-gnu",
        ("s390x", false) => "s390x-unknown-linux-gnu",
        _ => return Vec::new(),
    };
    one(t)
}
