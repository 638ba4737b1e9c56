//! A job's runner (`runs-on`): the host a runner label stands for, which
//! is what a compile that names no target builds for; and a toolchain
//! whose name carries a host (`nightly-x86_64-gnu`).
//!
//! GitHub-hosted labels, as GitHub documents them (matched without case:
//! `macOS-latest` is `macos-latest`): `ubuntu-latest`, `ubuntu-<version>`
//! and `ubuntu-slim` are x64 Linux, `ubuntu-<version>-arm` arm64;
//! `windows-latest`, `windows-<year>` x64 Windows, `windows-11-arm` arm64;
//! `macos-latest`, `macos-14` and later arm64 macOS, `macos-13` and earlier
//! Intel, `-intel` and the `-large` larger runners Intel, `-xlarge` arm64.
//! A self-hosted runner's default labels (`[self-hosted, linux, arm64]`)
//! name its platform. Any other label is not GitHub-hosted: when it names
//! an operating system (and perhaps an architecture) its host is taken from
//! the name, and said; else it is not known.

/// What a runner's labels say of its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runner {
    /// A GitHub-hosted label, or a self-hosted runner's default labels.
    Hosted(&'static str),
    /// A label that is not GitHub's but names the platform.
    FromName(&'static str),
    /// Nothing known.
    Unknown,
}

impl Runner {
    pub fn triple(&self) -> Option<&'static str> {
        match self {
            Runner::Hosted(t) | Runner::FromName(t) => Some(t),
            Runner::Unknown => None,
        }
    }
}

const LINUX_X64: &str = "x86_64-unknown-linux-gnu";
const LINUX_ARM: &str = "aarch64-unknown-linux-gnu";
const WINDOWS_X64: &str = "x86_64-pc-windows-msvc";
const WINDOWS_ARM: &str = "aarch64-pc-windows-msvc";
const MAC_X64: &str = "x86_64-apple-darwin";
const MAC_ARM: &str = "aarch64-apple-darwin";

/// The host of a runner with these labels.
pub fn runner(labels: &[String]) -> Runner {
    let lower: Vec<String> = labels
        .iter()
        .map(|l| l.trim().to_ascii_lowercase())
        .collect();
    if let Some(t) = lower.iter().find_map(|l| hosted(l)) {
        return Runner::Hosted(t);
    }
    if lower.iter().any(|l| l == "self-hosted") {
        let os = lower.iter().find_map(|l| match l.as_str() {
            "linux" => Some(Os::Linux),
            "windows" => Some(Os::Windows),
            "macos" => Some(Os::Mac),
            _ => None,
        });
        let arm = lower.iter().any(|l| l == "arm64" || l == "arm");
        let x64 = lower.iter().any(|l| l == "x64");
        if let (Some(os), true) = (os, arm || x64) {
            return Runner::Hosted(os.triple(arm));
        }
    }
    match lower.iter().find_map(|l| from_name(l)) {
        Some(t) => Runner::FromName(t),
        None => Runner::Unknown,
    }
}

#[derive(Clone, Copy)]
enum Os {
    Linux,
    Windows,
    Mac,
}

impl Os {
    fn triple(self, arm: bool) -> &'static str {
        match (self, arm) {
            (Os::Linux, false) => LINUX_X64,
            (Os::Linux, true) => LINUX_ARM,
            (Os::Windows, false) => WINDOWS_X64,
            (Os::Windows, true) => WINDOWS_ARM,
            (Os::Mac, false) => MAC_X64,
            (Os::Mac, true) => MAC_ARM,
        }
    }
}

/// A GitHub-hosted label (lower case).
fn hosted(l: &str) -> Option<&'static str> {
    if let Some(rest) = l.strip_prefix("ubuntu-") {
        return match rest {
            "latest" | "slim" => Some(LINUX_X64),
            _ if version(rest) => Some(LINUX_X64),
            _ => rest
                .strip_suffix("-arm")
                .filter(|v| version(v) || *v == "latest")
                .map(|_| LINUX_ARM),
        };
    }
    if let Some(rest) = l.strip_prefix("windows-") {
        return match rest {
            "11-arm" => Some(WINDOWS_ARM),
            "latest" => Some(WINDOWS_X64),
            _ if version(rest) => Some(WINDOWS_X64),
            _ => None,
        };
    }
    let rest = l.strip_prefix("macos-")?;
    let (release, size) = rest.split_once('-').unwrap_or((rest, ""));
    let number = if release == "latest" {
        None
    } else {
        Some(release.parse::<u32>().ok().filter(|n| *n >= 10)?)
    };
    match size {
        "intel" | "large" => Some(MAC_X64),
        "xlarge" | "arm64" => Some(MAC_ARM),
        "" => Some(if number.is_some_and(|n| n <= 13) {
            MAC_X64
        } else {
            MAC_ARM
        }),
        _ => None,
    }
}

/// `24.04`, `2022`: digits and dots.
fn version(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A label that is not GitHub's (`depot-ubuntu-24.04-arm-8`,
/// `namespace-profile-macos-15`): its operating system and architecture
/// from its words; x64 unless it says arm (arm64 for macOS).
fn from_name(l: &str) -> Option<&'static str> {
    let words: Vec<&str> = l.split(['-', '_', '.', ' ']).collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    let os = if has(&[
        "ubuntu", "linux", "debian", "fedora", "alpine", "centos", "rhel",
    ]) {
        Os::Linux
    } else if has(&["windows", "win", "win11", "win10"]) {
        Os::Windows
    } else if has(&["macos", "mac", "osx", "darwin"]) {
        Os::Mac
    } else {
        return None;
    };
    let arm = has(&["arm", "arm64", "aarch64"]);
    let x64 = has(&["x64", "amd64", "x86"]) || l.contains("x86_64") || l.contains("x86-64");
    let arm = match os {
        Os::Mac => arm || (!x64 && !has(&["intel"])),
        _ => arm && !x64,
    };
    Some(os.triple(arm))
}

/// `runner.os` and `runner.arch` of a host.
pub fn context(triple: &str) -> (&'static str, &'static str) {
    let os = if triple.contains("windows") {
        "Windows"
    } else if triple.contains("apple") {
        "macOS"
    } else {
        "Linux"
    };
    let arch = if triple.starts_with("aarch64") {
        "ARM64"
    } else {
        "X64"
    };
    (os, arch)
}

/// The host of toolchain `name` (`nightly-x86_64-gnu`,
/// `stable-x86_64-pc-windows-gnu`, `1.80.0-aarch64-apple-darwin`) on a
/// runner whose host is `runner`: `None` when the name carries no host.
/// A partial host is completed as rustup completes it, from the runner's
/// operating system.
pub fn toolchain_host(name: &str, runner: Option<&str>, known: &[String]) -> Option<String> {
    let mut rest = name.trim();
    let channel_end = ["stable", "beta", "nightly"]
        .iter()
        .find(|c| rest.starts_with(*c))
        .map(|c| c.len())
        .or_else(|| {
            let n = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            (n > 0).then_some(n)
        })?;
    rest = rest[channel_end..].strip_prefix('-')?;
    // A date (`nightly-2024-05-01-x86_64-...`).
    let parts: Vec<&str> = rest.splitn(4, '-').collect();
    if parts.len() >= 3
        && parts[..3]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        rest = parts.get(3)?;
    }
    if known.iter().any(|k| k == rest) {
        return Some(rest.to_string());
    }
    let arch = rest.split('-').next()?;
    let env = rest.rsplit('-').next().filter(|e| *e != arch);
    let base = runner?;
    let full = if base.contains("windows") {
        format!("{}-pc-windows-{}", arch, env.unwrap_or("msvc"))
    } else if base.contains("apple") {
        format!("{}-apple-darwin", arch)
    } else {
        format!("{}-unknown-linux-{}", arch, env.unwrap_or("gnu"))
    };
    known.contains(&full).then_some(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(labels: &[&str]) -> Runner {
        runner(&labels.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn runner_labels_as_github_names_them() {
        for (label, want) in [
            ("ubuntu-latest", LINUX_X64),
            ("ubuntu-22.04", LINUX_X64),
            ("ubuntu-24.04-arm", LINUX_ARM),
            ("ubuntu-slim", LINUX_X64),
            ("windows-latest", WINDOWS_X64),
            ("windows-2025", WINDOWS_X64),
            ("windows-11-arm", WINDOWS_ARM),
            ("macOS-latest", MAC_ARM),
            ("macos-14", MAC_ARM),
            ("macos-26", MAC_ARM),
            ("macos-13", MAC_X64),
            ("macos-12", MAC_X64),
            ("macos-15-intel", MAC_X64),
            ("macos-26-intel", MAC_X64),
            ("macos-latest-large", MAC_X64),
            ("macos-14-large", MAC_X64),
            ("macos-latest-xlarge", MAC_ARM),
            ("macos-13-xlarge", MAC_ARM),
        ] {
            assert_eq!(host(&[label]), Runner::Hosted(want), "{}", label);
        }
        assert_eq!(
            host(&["self-hosted", "Linux", "ARM64"]),
            Runner::Hosted(LINUX_ARM)
        );
        assert_eq!(
            host(&["depot-ubuntu-24.04-arm-8"]),
            Runner::FromName(LINUX_ARM)
        );
        assert_eq!(
            host(&["github-ubuntu-24.04-x86_64-8"]),
            Runner::FromName(LINUX_X64)
        );
        assert_eq!(
            host(&["namespace-profile-macos-15"]),
            Runner::FromName(MAC_ARM)
        );
        assert_eq!(
            host(&["namespace-profile-windows-2022-x86-64-16x32"]),
            Runner::FromName(WINDOWS_X64)
        );
        assert_eq!(
            host(&["github-windows-11-aarch64-8"]),
            Runner::FromName(WINDOWS_ARM)
        );
        assert_eq!(host(&["self-hosted"]), Runner::Unknown);
        assert_eq!(host(&["codspeed-macro"]), Runner::Unknown);
        assert_eq!(host(&["my-runner-42"]), Runner::Unknown);
    }

    #[test]
    fn toolchains_that_name_a_host() {
        let known: Vec<String> = [
            "x86_64-pc-windows-gnu",
            "x86_64-pc-windows-msvc",
            "aarch64-apple-darwin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let h = |n: &str, r| toolchain_host(n, r, &known);
        assert_eq!(
            h("nightly-x86_64-gnu", Some(WINDOWS_X64)).as_deref(),
            Some("x86_64-pc-windows-gnu")
        );
        assert_eq!(
            h("stable-x86_64-pc-windows-gnu", None).as_deref(),
            Some("x86_64-pc-windows-gnu")
        );
        assert_eq!(
            h("nightly-2024-01-01-aarch64-apple-darwin", None).as_deref(),
            Some("aarch64-apple-darwin")
        );
        assert_eq!(h("nightly", Some(WINDOWS_X64)), None);
        assert_eq!(h("1.80.0", Some(WINDOWS_X64)), None);
        assert_eq!(h("stable", None), None);
    }
}
