//! What one shell command does, as far as targets and releases go: Cargo
//! and its wrappers in the forms people write (`cargo +nightly --config x
//! test`, `cross`, `cargo zigbuild`, `cargo nextest run`, `cargo llvm-cov`,
//! `cargo hack check`, a program from a variable followed by `build`),
//! `maturin`, `rustc`; `rustup target add` and `rustup toolchain install
//! --target` (installed, not built); `rustup default`; uploads (`gh release
//! upload`, `aws s3 cp`, `docker push`, `twine upload`, ...); writes to
//! `$GITHUB_ENV`. `--target` is read from these programs only: another
//! tool's `--target` (`npx vsce`, a Python script, `wasm-pack`) is its own.

use super::shell::{assignment, Cmd, Word, ENV_FILE};
use super::value::{Text, Unknown, Why, HOLE};
use crate::pipelines::Publish;

/// A compile by Cargo or a tool like it.
#[derive(Debug, Clone)]
pub struct Compile {
    /// The program and subcommand as written (`cargo build`, `cross
    /// test`), for messages.
    #[cfg_attr(not(test), allow(dead_code))]
    pub what: String,
    /// Its `--target` values.
    pub targets: Vec<Word>,
    /// `+toolchain`.
    pub toolchain: Option<String>,
    /// It runs tests.
    pub tests: bool,
    /// It makes binaries one could ship (`build`, `install --path`, not
    /// `check`, `test`, `run`).
    pub artifacts: bool,
    /// The program is decided when the workflow runs (`$CARGO build` of a
    /// variable set at run time): the hole's word.
    pub program: Option<Word>,
    /// `CARGO_BUILD_TARGET=...` before the command.
    pub env_target: Option<Text>,
    /// An argument given by an expression the files cannot resolve (it
    /// may hold `--target`): then the runner's host is not assumed.
    pub hidden: Option<Unknown>,
    /// `-p NAME`, `--package NAME`: the packages it builds (none: what
    /// Cargo builds where it runs, or `manifest_path`'s).
    pub packages: Vec<String>,
    /// `--manifest-path PATH`, as written.
    pub manifest_path: Option<String>,
}

impl Compile {
    /// A compile for the runner's host, that runs no tests and makes no
    /// binaries (fields set after).
    pub fn new(what: &str) -> Compile {
        Compile {
            what: what.to_string(),
            targets: Vec::new(),
            toolchain: None,
            tests: false,
            artifacts: false,
            program: None,
            env_target: None,
            hidden: None,
            packages: Vec::new(),
            manifest_path: None,
        }
    }
}

/// The values of `-p`/`--package` (`-pNAME`, `--package=NAME`) and of
/// `--manifest-path` among `words` (up to `--`); `--workspace`/`--all`
/// clear the packages (every member).
pub fn package_args(words: &[Word]) -> (Vec<String>, Option<String>) {
    let mut packages = Vec::new();
    let mut manifest = None;
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let s = w.s();
        let next = || words.get(i + 1).map(|n| n.s().to_string());
        match s {
            "--" => break,
            "-p" | "--package" => {
                packages.extend(next());
                i += 1;
            }
            "--manifest-path" => {
                manifest = next();
                i += 1;
            }
            "--workspace" | "--all" => packages.clear(),
            _ => {
                if let Some(v) = s.strip_prefix("--package=") {
                    packages.push(v.to_string());
                } else if let Some(v) = s.strip_prefix("--manifest-path=") {
                    manifest = Some(v.to_string());
                } else if let Some(v) = s.strip_prefix("-p").filter(|v| !v.is_empty()) {
                    packages.push(v.to_string());
                }
            }
        }
        i += 1;
    }
    (packages, manifest)
}

/// What a command does.
#[derive(Debug, Clone)]
pub enum Effect {
    Compile(Compile),
    /// Installs the standard library of these targets (builds nothing).
    Installs(Vec<Word>),
    /// Makes this toolchain the default (`rustup default`).
    Toolchain(Word),
    /// Sets an environment variable for later steps.
    SetEnv(String, Text),
    /// Publishes what the job made.
    Publish(Publish),
    /// Builds in a way the files do not show (`cargo xtask`, an alias, a
    /// Dockerfile): the command, for the note.
    NotUnderstood(String),
    /// A script given to a shell (`bash -c "..."`).
    Script(Word),
    /// A program of the repository (`ci/run.bash`, `./bin/package`,
    /// `make dist`): what it builds is in it.
    External(String),
}

/// Cargo subcommands that compile: (name, runs tests, makes binaries).
const COMPILES: &[(&str, bool, bool)] = &[
    ("build", false, true),
    ("b", false, true),
    ("check", false, false),
    ("c", false, false),
    ("test", true, false),
    ("t", true, false),
    ("run", false, false),
    ("r", false, false),
    ("bench", false, false),
    ("clippy", false, false),
    ("doc", false, false),
    ("d", false, false),
    ("rustdoc", false, false),
    ("rustc", false, true),
    ("fix", false, false),
    ("zigbuild", false, true),
    ("tarpaulin", true, false),
    ("mutants", true, false),
    ("udeps", false, false),
    ("msrv", false, false),
    ("geiger", false, false),
    ("bloat", false, false),
    ("expand", false, false),
    ("llvm-lines", false, false),
    ("asm", false, false),
    ("public-api", false, false),
    ("deb", false, true),
    ("rpm", false, true),
    ("wix", false, true),
    ("bundle", false, true),
    ("apk", false, true),
    ("all-features", false, false),
    ("check-all-features", false, false),
    ("build-all-features", false, true),
    ("test-all-features", true, false),
    ("fuzz", false, false),
    ("check-external-types", false, false),
    ("semver-checks", false, false),
];

/// Subcommands that run another subcommand (`cargo hack check`) or are
/// one with their own words (`cargo nextest run`).
const WRAPPERS: &[&str] = &[
    "hack",
    "llvm-cov",
    "nextest",
    "miri",
    "careful",
    "xwin",
    "auditable",
    "insta",
    "codspeed",
    "minimal-versions",
    "dist",
    "publish",
    "package",
    "install",
];

/// Cargo subcommands that compile nothing of the project.
const NO_COMPILE: &[&str] = &[
    "fmt",
    "metadata",
    "audit",
    "deny",
    "about",
    "outdated",
    "update",
    "fetch",
    "generate-lockfile",
    "tree",
    "search",
    "login",
    "logout",
    "owner",
    "yank",
    "uninstall",
    "set-version",
    "version",
    "help",
    "new",
    "init",
    "clean",
    "vendor",
    "pkgid",
    "locate-project",
    "read-manifest",
    "verify-project",
    "add",
    "remove",
    "rm",
    "upgrade",
    "info",
    "machete",
    "sort",
    "vet",
    "cyclonedx",
    "sweep",
    "cache",
    "binstall",
    "install-update",
    "report",
    "config",
    "spellcheck",
    "readme",
    "shear",
    "license",
    "lichking",
    "release",
    "workspaces",
    "ws",
    "changelog",
    "bump",
    "deps",
    "sbom",
    "quickinstall",
    "cranky",
    "-V",
    "--version",
    "-vV",
    "--list",
];

/// Options Cargo takes before its subcommand, with a value.
const GLOBAL_WITH_VALUE: &[&str] = &["--config", "-Z", "--color", "-C", "--manifest-path"];

/// What the commands of a script do, in order, each with its line.
pub fn all(cmds: &[Cmd]) -> Vec<(usize, Effect)> {
    let mut out = Vec::new();
    for (i, c) in cmds.iter().enumerate() {
        let line = c.words.first().map_or(0, |w| w.line);
        // `echo X=1 | tee -a $GITHUB_ENV`, `"X=1" | Out-File $env:GITHUB_ENV`.
        let next = cmds.get(i + 1);
        if next.is_some_and(|n| n.piped && n.words.iter().any(|w| w.s().contains(ENV_FILE))) {
            out.extend(env_writes(c).into_iter().map(|e| (line, e)));
        }
        out.extend(effects(c).into_iter().map(|e| (line, e)));
    }
    out
}

/// What one command does.
pub fn effects(cmd: &Cmd) -> Vec<Effect> {
    let mut out = Vec::new();
    if cmd.to_env {
        out.extend(env_writes(cmd));
    }
    let words = program_words(&cmd.words);
    let Some(first) = words.first() else {
        return out;
    };
    if !first.text.is_known() {
        if let Some(c) = unknown_program(first, &words[1..], cmd) {
            out.push(Effect::Compile(c));
        }
        return out;
    }
    let name = program_name(first.s());
    let rest = &words[1..];
    match rust_tool(&name, first, rest, cmd) {
        Some(e) => out.extend(e),
        None => out.extend(other_tool(&name, first, rest, &words, cmd)),
    }
    out
}

/// Cargo, its wrappers and Rust's other tools; `None` for another program.
fn rust_tool(name: &str, first: &Word, rest: &[Word], cmd: &Cmd) -> Option<Vec<Effect>> {
    Some(match name {
        "cargo" | "cross" | "cargo.exe" => cargo(name, rest, None, cmd),
        n if n.starts_with("cargo-") => {
            let sub = &n["cargo-".len()..];
            let rest = match rest.first() {
                Some(w) if w.s() == sub => &rest[1..],
                _ => rest,
            };
            cargo("cargo", rest, Some(sub), cmd)
        }
        "rustup" => rustup(rest, cmd),
        "wasm-pack" | "trunk" => wasm(name, first, rest),
        // A flake's packages, for the system it runs on.
        "nix" if rest.first().is_some_and(|w| w.s() == "build") => {
            vec![Effect::Compile(Compile {
                artifacts: true,
                ..Compile::new("nix build")
            })]
        }
        "maturin" => maturin(rest),
        "rustc" if rest.iter().any(|w| w.s().ends_with(".rs")) => vec![Effect::Compile(Compile {
            targets: targets(rest),
            tests: rest.iter().any(|w| w.s() == "--test"),
            artifacts: true,
            ..Compile::new("rustc")
        })],
        _ => return None,
    })
}

/// Shells, containers, task runners, the repository's programs, uploads.
fn other_tool(name: &str, first: &Word, rest: &[Word], words: &[Word], cmd: &Cmd) -> Vec<Effect> {
    match name {
        "bash" | "sh" | "zsh" | "dash" | "pwsh" | "powershell" | "python" | "python3" => {
            let c = rest
                .iter()
                .position(|w| matches!(w.s().to_ascii_lowercase().as_str(), "-c" | "-command"));
            match c.and_then(|i| rest.get(i + 1)) {
                Some(script) if !name.starts_with("py") => vec![Effect::Script(script.clone())],
                Some(_) => Vec::new(),
                None => rest
                    .iter()
                    .find(|w| !w.s().starts_with('-'))
                    .map(|file| vec![Effect::External(format!("{} {}", name, file.s()))])
                    .unwrap_or_default(),
            }
        }
        "docker" | "podman" if rest.first().is_some_and(|w| w.s() == "run") => {
            container(&rest[1..], cmd)
        }
        "make" | "just" => vec![Effect::External(
            words
                .iter()
                .take(2)
                .map(Word::s)
                .collect::<Vec<_>>()
                .join(" "),
        )],
        _ if first.s().contains('/')
            || [".sh", ".bash", ".py", ".ps1"]
                .iter()
                .any(|e| name.ends_with(e)) =>
        {
            vec![Effect::External(first.s().to_string())]
        }
        "add-content" | "set-content" if rest.iter().any(|w| w.s().contains(ENV_FILE)) => rest
            .iter()
            .skip_while(|w| !w.s().eq_ignore_ascii_case("-value"))
            .nth(1)
            .and_then(|w| assignment(&w.text))
            .map(|(k, v)| vec![Effect::SetEnv(k, v)])
            .unwrap_or_default(),
        _ => publishes(name, rest),
    }
}

/// The words from the program on: past `sudo`, `env`, `time`, shell
/// keywords and the like, and a `case` pattern.
fn program_words(words: &[Word]) -> Vec<Word> {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let s = w.s();
        match s {
            "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "!" | "time" | "exec"
            | "command" | "nohup" | "{" | "(" => i += 1,
            "sudo" | "env" | "nice" | "timeout" | "xargs" => {
                i += 1;
                while let Some(w) = words.get(i) {
                    let flag = w.s().starts_with('-');
                    if flag
                        || assignment(&w.text).is_some()
                        || (s == "timeout"
                            && w.s().chars().next().is_some_and(|c| c.is_ascii_digit()))
                    {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "for" | "case" | "fi" | "done" | "esac" | ";;" => return Vec::new(),
            _ if s.ends_with(')') && !s.contains('(') => i += 1,
            _ => break,
        }
    }
    words[i.min(words.len())..].to_vec()
}

/// `cargo`, `cross`, `maturin` from a path or `.exe`.
fn program_name(s: &str) -> String {
    let base = s.rsplit(['/', '\\']).next().unwrap_or(s);
    let base = base.strip_suffix(".exe").unwrap_or(base);
    base.to_ascii_lowercase()
}

/// A program not known until the workflow runs (`$BUILD_CMD build`): a
/// compile when the next word is one of Cargo's compiling subcommands.
fn unknown_program(first: &Word, rest: &[Word], cmd: &Cmd) -> Option<Compile> {
    let known_word = |w: &Word| w.text.is_known();
    let sub = rest.iter().find(|w| !w.s().starts_with(['+', '-']))?;
    if !known_word(sub) {
        return None;
    }
    let (_, tests, artifacts) = COMPILES.iter().find(|(n, _, _)| *n == sub.s())?;
    Some(Compile {
        what: format!("{} {}", first.s().replace(HOLE, "?"), sub.s()),
        targets: targets(rest),
        toolchain: toolchain(rest),
        tests: *tests,
        artifacts: *artifacts,
        program: Some(first.clone()),
        env_target: env_target(cmd),
        hidden: hidden(rest),
        packages: package_args(rest).0,
        manifest_path: package_args(rest).1,
    })
}

fn env_target(cmd: &Cmd) -> Option<Text> {
    cmd.assigns
        .iter()
        .find(|(k, _)| k == "CARGO_BUILD_TARGET")
        .map(|(_, v)| v.clone())
}

fn toolchain(words: &[Word]) -> Option<String> {
    words
        .iter()
        .take_while(|w| w.s().starts_with(['+', '-']))
        .find_map(|w| w.s().strip_prefix('+').map(str::to_string))
}

/// The `--target` values of a command (up to `--`).
pub fn targets(words: &[Word]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let s = w.s();
        if s == "--" {
            break;
        }
        if s == "--target" {
            if let Some(t) = words.get(i + 1) {
                out.push(t.clone());
            }
            i += 2;
            continue;
        }
        if s.starts_with("--target=") {
            out.push(Word {
                text: w.text.slice("--target=".len(), s.len()),
                line: w.line,
            });
        }
        i += 1;
    }
    out
}

/// Cargo's options that take no value: a word after one of them is an
/// argument of its own.
const FLAGS: &[&str] = &[
    "--release",
    "-r",
    "--locked",
    "--frozen",
    "--offline",
    "--workspace",
    "--all",
    "--all-features",
    "--no-default-features",
    "--all-targets",
    "--lib",
    "--bins",
    "--tests",
    "--benches",
    "--examples",
    "--verbose",
    "-v",
    "-vv",
    "--quiet",
    "-q",
    "--no-run",
    "--no-fail-fast",
    "--keep-going",
    "--dry-run",
    "--no-verify",
    "--allow-dirty",
];

/// The first argument (before `--`) that a GitHub expression the files
/// cannot resolve gives, where it may be `--target ...`: not an option's
/// value, not a shell value (`$(nproc)`), not a value of the run's context
/// (`github.ref`), which are never targets.
fn hidden(words: &[Word]) -> Option<Unknown> {
    let mut after_option = false;
    for w in words.iter().take_while(|w| w.s() != "--") {
        if let Some(u) = w.text.unknown_part() {
            if !after_option && !matches!(u.why, Why::Shell | Why::RunContext) {
                return Some(u.clone());
            }
        }
        let s = w.s();
        after_option = s.starts_with('-') && !s.contains('=') && !FLAGS.contains(&s);
    }
    None
}

/// `cargo ...` (or `cross ...`, or `cargo-<sub>` run directly: `sub`).
fn cargo(tool: &str, rest: &[Word], sub: Option<&str>, cmd: &Cmd) -> Vec<Effect> {
    let mut i = 0;
    let mut chain = None;
    while let Some(w) = rest.get(i) {
        let s = w.s();
        if let Some(t) = s.strip_prefix('+') {
            chain = Some(t.to_string());
            i += 1;
        } else if GLOBAL_WITH_VALUE.contains(&s) {
            i += 2;
        } else if s.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let (sub, args) = match sub {
        Some(s) => (s.to_string(), &rest[i.min(rest.len())..]),
        None => match rest.get(i) {
            Some(w) if w.text.is_known() => (w.s().to_string(), &rest[i + 1..]),
            _ => return Vec::new(),
        },
    };
    let what = format!("{} {}", tool, sub);
    let compile = |tests: bool, artifacts: bool| {
        Effect::Compile(Compile {
            what: what.clone(),
            targets: targets(args),
            toolchain: chain.clone(),
            tests,
            artifacts,
            program: None,
            env_target: env_target(cmd),
            hidden: hidden(args),
            packages: package_args(rest).0,
            manifest_path: package_args(rest).1,
        })
    };
    // `cargo test --no-run` compiles the tests without running them.
    let runs = !args.iter().any(|w| w.s() == "--no-run");
    if let Some((_, tests, artifacts)) = COMPILES.iter().find(|(n, _, _)| *n == sub) {
        return vec![compile(*tests && runs, *artifacts)];
    }
    if WRAPPERS.contains(&sub.as_str()) {
        return wrapper(&sub, args, compile);
    }
    if NO_COMPILE.contains(&sub.as_str()) || sub.is_empty() {
        return Vec::new();
    }
    vec![Effect::NotUnderstood(format!("{} {}", tool, sub))]
}

/// A wrapping subcommand: what it runs.
fn wrapper(sub: &str, args: &[Word], compile: impl Fn(bool, bool) -> Effect) -> Vec<Effect> {
    let inner = args
        .iter()
        .find(|w| !w.s().starts_with('-'))
        .map_or("", |w| w.s());
    let has = |flag: &str| args.iter().any(|w| w.s() == flag);
    let inner_compiles = COMPILES.iter().find(|(n, _, _)| *n == inner);
    match sub {
        "hack" | "minimal-versions" | "xwin" | "careful" | "auditable" => match inner_compiles {
            Some((_, tests, artifacts)) => vec![compile(*tests, *artifacts)],
            None if inner == "install" && sub == "auditable" => vec![compile(false, true)],
            None => Vec::new(),
        },
        "llvm-cov" => match inner {
            "report" | "show-env" | "clean" => Vec::new(),
            "run" => vec![compile(false, false)],
            _ => vec![compile(true, false)],
        },
        "nextest" => match inner {
            "run" | "r" => vec![compile(true, false)],
            "list" | "archive" => vec![compile(false, false)],
            _ => Vec::new(),
        },
        "miri" => match inner {
            "test" | "nextest" => vec![compile(true, false)],
            "run" => vec![compile(false, false)],
            _ => Vec::new(),
        },
        "insta" => match inner {
            "test" => vec![compile(true, false)],
            _ => Vec::new(),
        },
        "codspeed" => match inner {
            "build" => vec![compile(false, false)],
            _ => Vec::new(),
        },
        "dist" => match inner {
            "build" if !args.iter().any(|w| w.s() == "--artifacts=global") => {
                vec![compile(false, true)]
            }
            _ => Vec::new(),
        },
        // A crate's sources are published, no target's binaries; the
        // verification compiles the runner's host.
        "publish" | "package" if !has("--no-verify") => vec![compile(false, false)],
        "install" if has("--path") || args.iter().any(|w| w.s().starts_with("--path=")) => {
            vec![compile(false, true)]
        }
        // `cargo install <tool>` builds a tool, not the project.
        _ => Vec::new(),
    }
}

/// `docker run [options] image [command...]`: the command, run in the
/// container (`--entrypoint sh ... -c 'script'`: the script).
fn container(args: &[Word], cmd: &Cmd) -> Vec<Effect> {
    const WITH_VALUE: &[&str] = &[
        "-v",
        "--volume",
        "-e",
        "--env",
        "-w",
        "--workdir",
        "--entrypoint",
        "-u",
        "--user",
        "--name",
        "--platform",
        "--network",
        "--mount",
        "-p",
        "--publish",
        "--env-file",
        "-h",
        "--hostname",
        "--cpus",
        "-m",
        "--memory",
        "--label",
        "-l",
        "--add-host",
        "--cap-add",
        "--security-opt",
        "--device",
        "--pull",
        "--shm-size",
        "--ulimit",
        "--tmpfs",
    ];
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if WITH_VALUE.contains(&w.s()) {
            i += 2;
        } else if w.s().starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let rest = args.get(i + 1..).unwrap_or_default();
    match rest.first().map(Word::s) {
        Some("-c") => rest
            .get(1)
            .map(|w| vec![Effect::Script(w.clone())])
            .unwrap_or_default(),
        Some(_) => {
            let mut inner = cmd.clone();
            inner.words = rest.to_vec();
            inner.to_env = false;
            effects(&inner)
        }
        None => Vec::new(),
    }
}

/// `wasm-pack build|test` and `trunk build`: for `wasm32-unknown-unknown`
/// (their `--target` is a JavaScript bundle's kind).
fn wasm(name: &str, first: &Word, rest: &[Word]) -> Vec<Effect> {
    let sub = rest
        .iter()
        .find(|w| !w.s().starts_with('-'))
        .map_or("", |w| w.s());
    let (tests, artifacts) = match (name, sub) {
        ("wasm-pack", "build") | ("trunk", "build") => (false, true),
        ("wasm-pack", "test") => (true, false),
        _ => return Vec::new(),
    };
    vec![Effect::Compile(Compile {
        targets: vec![Word {
            text: Text::plain("wasm32-unknown-unknown"),
            line: first.line,
        }],
        tests,
        artifacts,
        ..Compile::new(&format!("{} {}", name, sub))
    })]
}

/// `rustup target add`, `rustup toolchain install --target`, `rustup
/// default`, `rustup run <toolchain> <command>`.
fn rustup(rest: &[Word], cmd: &Cmd) -> Vec<Effect> {
    let pos: Vec<&Word> = rest.iter().filter(|w| !w.s().starts_with('-')).collect();
    let (a, b) = (
        pos.first().map_or("", |w| w.s()),
        pos.get(1).map_or("", |w| w.s()),
    );
    match (a, b) {
        ("target", "add" | "install") => {
            let mut out = Vec::new();
            let mut skip = false;
            for w in rest
                .iter()
                .skip_while(|w| w.s() != "add" && w.s() != "install")
                .skip(1)
            {
                if std::mem::take(&mut skip) {
                    continue;
                }
                if w.s() == "--toolchain" {
                    skip = true;
                } else if !w.s().starts_with('-') {
                    out.push(w.clone());
                }
            }
            vec![Effect::Installs(out)]
        }
        ("toolchain", "install" | "add") | ("install", _) => {
            let mut out = Vec::new();
            for (i, w) in rest.iter().enumerate() {
                if matches!(w.s(), "--target" | "-t") {
                    if let Some(t) = rest.get(i + 1) {
                        out.extend(split_list(t));
                    }
                } else if let Some(v) = w.s().strip_prefix("--target=") {
                    out.extend(split_list(&Word {
                        text: w.text.slice(w.s().len() - v.len(), w.s().len()),
                        line: w.line,
                    }));
                }
            }
            vec![Effect::Installs(out)]
        }
        ("default", _) | ("override", "set") => {
            let t = if a == "default" {
                pos.get(1)
            } else {
                pos.get(2)
            };
            t.map(|w| vec![Effect::Toolchain((*w).clone())])
                .unwrap_or_default()
        }
        ("run", _) => {
            let Some(at) = rest.iter().position(|w| w.s() == b) else {
                return Vec::new();
            };
            let mut inner = cmd.clone();
            inner.words = rest[at + 1..].to_vec();
            let mut out = effects(&inner);
            for e in &mut out {
                if let Effect::Compile(c) = e {
                    c.toolchain.get_or_insert_with(|| b.to_string());
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// `a,b` as words.
fn split_list(w: &Word) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in w
        .s()
        .char_indices()
        .chain(std::iter::once((w.s().len(), ',')))
    {
        if c == ',' {
            if i > start {
                out.push(Word {
                    text: w.text.slice(start, i),
                    line: w.line,
                });
            }
            start = i + 1;
        }
    }
    out
}

/// `maturin build|develop|publish [--target T]`.
fn maturin(rest: &[Word]) -> Vec<Effect> {
    let sub = rest
        .iter()
        .find(|w| !w.s().starts_with('-'))
        .map_or("", |w| w.s());
    let compile = |artifacts| {
        Effect::Compile(Compile {
            targets: targets(rest),
            artifacts,
            ..Compile::new(&format!("maturin {}", sub))
        })
    };
    match sub {
        "build" => vec![compile(true)],
        "develop" => vec![compile(false)],
        "publish" => vec![compile(true), Effect::Publish(Publish::Registry)],
        "upload" => vec![Effect::Publish(Publish::Registry)],
        _ => Vec::new(),
    }
}

/// Uploads: GitHub releases, object stores, registries.
fn publishes(name: &str, rest: &[Word]) -> Vec<Effect> {
    let pos: Vec<&str> = rest
        .iter()
        .map(Word::s)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let first = pos.first().copied().unwrap_or("");
    let second = pos.get(1).copied().unwrap_or("");
    let publish = match (name, first, second) {
        ("gh", "release", "upload") => release_files(rest, "upload") > 0,
        ("gh", "release", "create") => release_files(rest, "create") > 0,
        ("aws", "s3", "cp" | "sync" | "mv") => pos.last().is_some_and(|l| l.starts_with("s3://")),
        ("gsutil", _, _) | ("gcloud", "storage", _) => {
            pos.last().is_some_and(|l| l.starts_with("gs://"))
        }
        ("az", "storage", "blob") => pos.get(2).is_some_and(|s| s.starts_with("upload")),
        ("twine", "upload", _)
        | ("npm" | "pnpm" | "yarn", "publish", _)
        | ("uv" | "poetry", "publish", _) => {
            // An upload to a test index tries the publishing; it ships
            // nothing.
            !rest.iter().any(|w| w.s().contains("test.pypi.org"))
        }
        ("docker" | "podman", "push", _) => {
            return vec![
                Effect::Publish(Publish::Registry),
                Effect::NotUnderstood(format!("{} push", name)),
            ]
        }
        _ => false,
    };
    let kind = match name {
        "gh" => Publish::Release,
        "aws" | "gsutil" | "gcloud" | "az" => Publish::ObjectStore,
        _ => Publish::Registry,
    };
    if publish {
        vec![Effect::Publish(kind)]
    } else {
        Vec::new()
    }
}

/// The files `gh release upload|create TAG FILES...` names.
fn release_files(rest: &[Word], verb: &str) -> usize {
    const WITH_VALUE: &[&str] = &[
        "-t",
        "--title",
        "-n",
        "--notes",
        "-F",
        "--notes-file",
        "--target",
        "-R",
        "--repo",
        "--discussion-category",
        "--notes-start-tag",
        "--latest",
    ];
    let mut files = 0;
    let mut seen_verb = false;
    let mut tag = false;
    let mut skip = false;
    for w in rest {
        let s = w.s();
        if std::mem::take(&mut skip) {
            continue;
        }
        if !seen_verb {
            seen_verb = s == verb;
            continue;
        }
        if WITH_VALUE.contains(&s) {
            skip = true;
        } else if !s.starts_with('-') {
            if tag {
                files += 1;
            }
            tag = true;
        }
    }
    files
}

/// `echo "NAME=value" >> $GITHUB_ENV` (and `printf`, `tee -a`,
/// PowerShell's `"NAME=value" | Out-File ...`).
fn env_writes(cmd: &Cmd) -> Vec<Effect> {
    let words: Vec<&Word> = cmd
        .words
        .iter()
        .filter(|w| !w.s().contains(ENV_FILE))
        .skip_while(|w| matches!(w.s(), "echo" | "printf" | "Write-Output" | "-n" | "-e"))
        .collect();
    let mut text = Text::default();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push_str(" ");
        }
        text.push(&w.text);
    }
    match assignment(&text) {
        Some((name, value)) => vec![Effect::SetEnv(name, value)],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::scope::Env;
    use super::super::shell::commands;
    use super::*;

    /// Each command's effects, briefly.
    fn said(script: &str) -> Vec<String> {
        let mut env = Env::default();
        env.set("CARGO", Text::plain("cross"));
        all(&commands(&Text::plain(script), 1, &env))
            .into_iter()
            .map(|(_, e)| match e {
                Effect::Compile(c) => format!(
                    "{}{}{}{}{}",
                    c.what,
                    c.targets
                        .iter()
                        .map(|t| format!(" ->{}", t.s()))
                        .collect::<String>(),
                    if c.tests { " tests" } else { "" },
                    if c.artifacts { " bins" } else { "" },
                    c.toolchain.map(|t| format!(" +{}", t)).unwrap_or_default()
                ),
                Effect::Installs(t) => format!(
                    "installs {}",
                    t.iter().map(Word::s).collect::<Vec<_>>().join(",")
                ),
                Effect::Toolchain(w) => format!("default {}", w.s()),
                Effect::SetEnv(k, v) => format!("{}={}", k, v.s),
                Effect::Publish(p) => format!("publish {:?}", p),
                Effect::NotUnderstood(s) => format!("? {}", s),
                Effect::Script(w) => format!("script {}", w.s()),
                Effect::External(s) => format!("runs {}", s),
            })
            .collect()
    }

    #[test]
    fn cargo_commands_in_the_forms_people_write() {
        assert_eq!(
            said(
                "cargo +nightly --config 'a=1' test --target=x-y-z\n$CARGO build --target a-b-c \\\n  --release\n\
                 cargo nextest run --workspace\ncargo llvm-cov --lcov\ncargo hack check --each-feature\n\
                 cargo zigbuild --target r-s-t\ncargo-zigbuild zigbuild\nsudo -E cargo b\ncargo xtask dist\n\
                 cargo install cargo-deb\ncargo install --path . --locked\ncargo fmt --check\n\
                 rustup run nightly cargo test\ncargo test --no-run\nbash ci/run.bash\n./bin/package x\n\
                 docker run --rm -v a:b --entrypoint sh img -c 'cargo test'\ndocker run -t img cargo b"
            ),
            [
                "cargo test ->x-y-z tests +nightly",
                "cross build ->a-b-c bins",
                "cargo nextest tests",
                "cargo llvm-cov tests",
                "cargo hack",
                "cargo zigbuild ->r-s-t bins",
                "cargo zigbuild bins",
                "cargo b bins",
                "? cargo xtask",
                "cargo install bins",
                "cargo test tests +nightly",
                "cargo test",
                "runs bash ci/run.bash",
                "runs ./bin/package",
                "script cargo test",
                "cargo b bins",
            ]
        );
    }

    #[test]
    fn other_tools_targets_are_their_own() {
        assert_eq!(
            said("npx vsce package --target alpine-x64\npython scripts/t.py --target pypi"),
            ["runs python scripts/t.py"]
        );
        assert_eq!(
            said("wasm-pack build --target web"),
            ["wasm-pack build ->wasm32-unknown-unknown bins"]
        );
        assert_eq!(
            said("rustup target add wasm32-wasip1 --toolchain nightly\nrustup toolchain install stable -t a,b --profile minimal\nrustup default nightly-x86_64-gnu"),
            ["installs wasm32-wasip1", "installs a,b", "default nightly-x86_64-gnu"]
        );
        assert_eq!(
            said("$UNSET build --target q-r-s"),
            ["? build ->q-r-s bins"]
        );
        assert!(said("$UNSET --version").is_empty());
        assert_eq!(
            said("powershell.exe -command \"$CARGO test --target=m-n-o\""),
            ["script cross test --target=m-n-o"]
        );
    }

    #[test]
    fn uploads_and_environment_writes() {
        assert_eq!(
            said(
                "gh release create v1 --draft --title v1\ngh release upload \"$V\" a.tar.gz --clobber\n\
                 aws --debug s3 cp --recursive dist s3://bucket/x\naws s3 cp s3://b/x .\n\
                 echo \"TARGET_FLAGS=--target a-b-c\" >> $GITHUB_ENV\necho X=1 | tee -a \"$GITHUB_ENV\"\n\
                 docker push img\nmaturin publish"
            ),
            [
                "publish Release",
                "publish ObjectStore",
                "TARGET_FLAGS=--target a-b-c",
                "X=1",
                "publish Registry",
                "? docker push",
                "maturin publish bins",
                "publish Registry"
            ]
        );
    }
}
