//! Which texts are target names. A rustc target is shaped
//! `arch-vendor-os[-env]` or, for some, two or three parts
//! (`wasm32-wasip1`, `aarch64-linux-android`): the first part an
//! architecture, the others words rustc's targets use. Only a text of that
//! shape is a candidate; anything else in a target position (`pypi`, `web`,
//! `linux/amd64`, a toolchain name) is another tool's value and is not
//! reported. A candidate rustc does not know is a misspelt target, unless
//! it is a custom target specification (a `*.json` path) or a Nix system
//! name (`x86_64-linux`), which are said as what they are.

/// What a text in a target position is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// A target rustc knows.
    Known,
    /// Shaped like a target, but rustc does not know it.
    Unknown,
    /// A custom target specification (`path/to/target.json`).
    Spec,
    /// A Nix system name (`x86_64-linux`, `aarch64-darwin`).
    Nix,
    /// Not a target name at all: another tool's value.
    Other,
}

/// Architectures, besides the first parts of rustc's own targets.
const ARCHES: &[&str] = &[
    "x86_64",
    "i686",
    "i586",
    "i386",
    "aarch64",
    "arm",
    "armv7",
    "armv6",
    "armv5te",
    "armv7a",
    "armv7r",
    "thumbv6m",
    "thumbv7m",
    "thumbv7em",
    "thumbv8m",
    "riscv32",
    "riscv64",
    "riscv64gc",
    "riscv32imac",
    "riscv32imc",
    "powerpc",
    "powerpc64",
    "powerpc64le",
    "s390x",
    "sparc64",
    "sparcv9",
    "mips",
    "mipsel",
    "mips64",
    "mips64el",
    "wasm32",
    "wasm64",
    "loongarch64",
    "nvptx64",
    "arm64ec",
    "aarch64_be",
    "m68k",
    "csky",
    "hexagon",
    "bpfel",
    "bpfeb",
    "msp430",
    "avr",
    "xtensa",
];

/// Other parts of target names, besides those of rustc's own targets.
const PARTS: &[&str] = &[
    "unknown",
    "pc",
    "apple",
    "linux",
    "windows",
    "darwin",
    "gnu",
    "musl",
    "msvc",
    "none",
    "eabi",
    "eabihf",
    "gnueabi",
    "gnueabihf",
    "musleabi",
    "musleabihf",
    "android",
    "androideabi",
    "freebsd",
    "netbsd",
    "openbsd",
    "dragonfly",
    "ios",
    "tvos",
    "watchos",
    "visionos",
    "wasi",
    "wasip1",
    "wasip2",
    "emscripten",
    "elf",
    "sun",
    "solaris",
    "illumos",
    "fuchsia",
    "redox",
    "uefi",
    "gnullvm",
    "uwp",
    "sim",
    "macabi",
    "nto",
    "hermit",
    "haiku",
    "vxworks",
    "wrs",
    "nintendo",
    "sony",
    "fortanix",
    "sgx",
    "cuda",
    "gnux32",
    "ohos",
    "aix",
    "ibm",
    "cygwin",
    "threads",
];

/// Nix's architectures and systems (`<arch>-<os>`).
const NIX_ARCHES: &[&str] = &[
    "x86_64",
    "aarch64",
    "i686",
    "armv7l",
    "armv6l",
    "armv5tel",
    "riscv64",
    "powerpc64le",
    "powerpc64",
    "mipsel",
    "mips64el",
    "s390x",
    "loongarch64",
];
const NIX_OSES: &[&str] = &[
    "linux", "darwin", "freebsd", "netbsd", "openbsd", "cygwin", "windows",
];

/// What `text` (from a target position) is; `known` is rustc's list.
pub fn classify(text: &str, known: &[String]) -> Name {
    if known.iter().any(|k| k == text) {
        return Name::Known;
    }
    if text.ends_with(".json") && !text.contains(char::is_whitespace) {
        return Name::Spec;
    }
    if !shaped(text, known) {
        return Name::Other;
    }
    let parts: Vec<&str> = text.split('-').collect();
    if parts.len() == 2 && NIX_ARCHES.contains(&parts[0]) && NIX_OSES.contains(&parts[1]) {
        return Name::Nix;
    }
    Name::Unknown
}

/// Whether `text` is shaped like a target name: two to five parts of
/// lower-case letters, digits and `_`, the first an architecture, or three
/// or more of which at least two are words target names use.
fn shaped(text: &str, known: &[String]) -> bool {
    if !text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return false;
    }
    let parts: Vec<&str> = text.split('-').collect();
    if !(2..=5).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let arch =
        |p: &str| ARCHES.contains(&p) || known.iter().any(|k| k.split('-').next() == Some(p));
    let part =
        |p: &str| PARTS.contains(&p) || known.iter().any(|k| k.split('-').skip(1).any(|x| x == p));
    arch(parts[0]) || (parts.len() >= 3 && parts[1..].iter().filter(|p| part(p)).count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        [
            "x86_64-unknown-linux-gnu",
            "wasm32-wasip1",
            "aarch64-apple-darwin",
            "aarch64-linux-android",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn only_target_shaped_texts_are_candidates() {
        let k = known();
        for t in [
            "x86_64-unknown-linux-gnu",
            "wasm32-wasip1",
            "aarch64-linux-android",
        ] {
            assert_eq!(classify(t, &k), Name::Known, "{}", t);
        }
        for t in [
            "x86_64-unknown-linux-gnux",
            "wasm32-wasi",
            "x68_64-unknown-linux-gnu",
            "riscv64gc-unknown-linux-musl",
        ] {
            assert_eq!(classify(t, &k), Name::Unknown, "{}", t);
        }
        for t in [
            "pypi",
            "web",
            "alpine-x64",
            "x86_64",
            "linux/amd64",
            "nightly-x86_64-gnu",
            "macos-aarch64",
            "linux-libc",
            "env.TARGET",
            "}}",
            "${{ matrix.target }}",
            "X86_64-unknown-linux-gnu ",
            "-pc-windows-msvc",
            "cross-x86_64-unknown-linux-musl.tar.gz",
            "x86_64-linux-musl-strip-and-more-parts",
            "",
        ] {
            assert_eq!(classify(t, &k), Name::Other, "{:?}", t);
        }
        assert_eq!(
            classify("target-specs/i686-unknown-linux-gnu.json", &k),
            Name::Spec
        );
        assert_eq!(classify("x86_64-linux", &k), Name::Nix);
        assert_eq!(classify("aarch64-darwin", &k), Name::Nix);
    }
}
