//! Shell text (a `run` step, an action's `args`) as far as targets go: the
//! targets it names, and what its Cargo commands do. Words are split at
//! whitespace: no quoting, no variables (a name holding `$` is skipped by
//! the readers).

/// What the commands of a script do.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScriptKind {
    /// A Cargo or cross command that compiles (build, check, test, ...).
    pub builds: bool,
    /// One that runs tests (`test`, `nextest`, through `hack`, `llvm-cov`,
    /// ...).
    pub tests: bool,
    /// One that compiles without `--target`: for the runner's host.
    pub host: bool,
}

/// Cargo subcommands that compile the package.
const COMPILES: &[&str] = &[
    "build",
    "b",
    "check",
    "c",
    "test",
    "t",
    "run",
    "r",
    "nextest",
    "bench",
    "clippy",
    "doc",
    "d",
    "install",
    "rustc",
    "zigbuild",
    "xwin",
    "llvm-cov",
    "hack",
    "miri",
    "careful",
    "tarpaulin",
    "auditable",
    "binstall",
    "dist",
];

/// Words that end a command in a shell line.
fn ends_command(word: &str) -> bool {
    matches!(word, ";" | "&&" | "||" | "|" | "&" | "\\")
}

/// The targets a script names, each with its line offset in the script:
/// `--target T`, `--target=T`, `rustup target add T...`.
pub fn targets(script: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (n, line) in script.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let clean = |w: &str| {
            w.trim_matches(|c| c == '"' || c == '\'')
                .trim_end_matches(';')
                .to_string()
        };
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            if w == "--target" {
                if let Some(t) = words.get(i + 1) {
                    out.push((clean(t), n));
                }
                i += 2;
                continue;
            }
            if let Some(t) = w.strip_prefix("--target=") {
                out.push((clean(t), n));
            }
            if w == "rustup"
                && words.get(i + 1) == Some(&"target")
                && words.get(i + 2) == Some(&"add")
            {
                let mut j = i + 3;
                while let Some(t) = words.get(j) {
                    if ends_command(t) || t.starts_with('#') {
                        break;
                    }
                    if !t.starts_with('-') {
                        out.push((clean(t), n));
                    } else if *t == "--toolchain" {
                        j += 1;
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            i += 1;
        }
    }
    out
}

/// The commands of a script: for each command line (split at `;`, `&&`,
/// `||`, `|`), its first word after environment assignments and `sudo`,
/// `time`, `exec`, `env`; a Cargo-like tool's command says what it does
/// ([`command_kind`]).
pub fn kind(script: &str) -> ScriptKind {
    let mut kind = ScriptKind::default();
    for line in script.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut start = true;
        for (i, w) in words.iter().copied().enumerate() {
            if ends_command(w) {
                start = true;
                continue;
            }
            if w.starts_with('#') && start {
                break;
            }
            if !start
                || (w.contains('=') && !w.starts_with('-'))
                || matches!(w, "sudo" | "time" | "exec" | "env" | "then" | "do" | "!")
            {
                continue;
            }
            start = false;
            let tool = w.rsplit('/').next().unwrap_or(w);
            let rest: Vec<&str> = words[i + 1..]
                .iter()
                .copied()
                .take_while(|x| !ends_command(x))
                .collect();
            let k = command_kind(tool, &rest);
            kind.builds |= k.builds;
            kind.tests |= k.tests;
            kind.host |= k.host;
        }
    }
    kind
}

/// What one command does: `tool` (`cargo`, `cross`, `cargo-zigbuild`,
/// `cargo-xwin`; any other does nothing here) with the words `rest` after
/// it.
fn command_kind(tool: &str, rest: &[&str]) -> ScriptKind {
    let mut kind = ScriptKind::default();
    if !matches!(tool, "cargo" | "cross" | "cargo-zigbuild" | "cargo-xwin") {
        return kind;
    }
    let subs: Vec<&str> = rest
        .iter()
        .copied()
        .filter(|x| !x.starts_with('+') && !x.starts_with('-'))
        .take(2)
        .collect();
    let sub = match tool {
        "cargo-zigbuild" | "cargo-xwin" => "build",
        _ => subs.first().copied().unwrap_or(""),
    };
    if !COMPILES.contains(&sub) {
        return kind;
    }
    kind.builds = true;
    let second = subs.get(1).copied().unwrap_or("");
    kind.tests = matches!(sub, "test" | "t" | "nextest" | "tarpaulin")
        || (matches!(sub, "hack" | "llvm-cov" | "miri" | "careful")
            && matches!(second, "test" | "nextest" | ""));
    kind.host = !rest
        .iter()
        .any(|x| *x == "--target" || x.starts_with("--target="));
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_targets() {
        assert_eq!(
            targets("cargo build --target a-b-c\nrustup target add x y --toolchain s z && cargo test\ncross build --target=q"),
            [
                ("a-b-c".to_string(), 0),
                ("x".to_string(), 1),
                ("y".to_string(), 1),
                ("z".to_string(), 1),
                ("q".to_string(), 2)
            ]
        );
        let k = |b, t, h| ScriptKind {
            builds: b,
            tests: t,
            host: h,
        };
        assert_eq!(kind("cargo +nightly test --workspace"), k(true, true, true));
        assert_eq!(
            kind("RUSTFLAGS=-Dwarnings cargo build --release --target x"),
            k(true, false, false)
        );
        assert_eq!(kind("cargo nextest run"), k(true, true, true));
        assert_eq!(kind("echo \"no cargo here\"; make"), k(false, false, false));
        assert_eq!(kind("cargo fmt --check"), k(false, false, false));
    }
}
