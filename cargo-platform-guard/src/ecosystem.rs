//! The names other ecosystems give a target: Go's `GOOS/GOARCH`, Debian's
//! dpkg architecture and the Docker/OCI platform, each decided from the
//! whole triple (its architecture *and* its ISA baseline, float ABI, libc
//! and pointer width), never from `target_arch` alone: Debian's `armhf` is
//! ARMv7 hard-float, so `arm-unknown-linux-gnueabihf` (ARMv6) is not
//! `armhf`; `x86_64-unknown-linux-gnux32` is Debian's `x32`, not `amd64`.
//!
//! Sources (each table row's own source is cited in
//! `tests/ecosystem.rs`, which checks every Linux target of the toolchain):
//!
//! - Go: the `GOOS/GOARCH` pairs of `go tool dist list` (Go 1.19, Debian
//!   12's `golang-go`), plus the ports added since, from Go's release notes:
//!   `freebsd/riscv64` (Go 1.20), `wasip1/wasm` (Go 1.21), `openbsd/ppc64`
//!   (Go 1.22), `openbsd/riscv64` (Go 1.23). A target gets a pair only when
//!   its OS and architecture are a Go port's and its ABI is the one the port
//!   runs on (no x32 or ILP32, no big-endian ARM, no ARMv4T, no MIPS release
//!   6; for `linux`, glibc or musl: no OpenHarmony, uClibc, libc-less or
//!   unikernel Linux). The `GOARCH` is the library's
//!   (`ArchNames::go_arch`), the same name a Go-named policy's override
//!   variable holds.
//! - Debian: `dpkg-architecture -t <GNU triplet> -qDEB_HOST_ARCH` (dpkg
//!   1.21, its `tupletable`), for the one Rust triple whose ISA baseline is
//!   the Debian port's (wiki.debian.org/ArchitectureSpecificsMemo): `i386`
//!   is i686, `armel` ARMv5TE soft-float, `armhf` ARMv7 + VFPv3-D16
//!   hard-float without NEON, `riscv64` RV64GC. musl triples get dpkg's
//!   `musl-linux-<cpu>` names; uClibc triples none.
//! - Docker/OCI: the image-index `platform` (`os/architecture[/variant]`,
//!   architecture a `GOARCH`, variant per the OCI image spec and containerd's
//!   platform normalisation: `arm/v5`, `arm/v6`, `arm/v7`, `arm64` for
//!   `arm64/v8`), for Linux targets with glibc or musl whose baseline is the
//!   variant's.

use platform_guard::{ArchNames, TargetCfg};

/// Go ports: `go tool dist list` of Go 1.19, and the ports added in Go
/// 1.20 to 1.23 (see the module documentation).
const GO_PORTS: &[&str] = &[
    "aix/ppc64",
    "android/386",
    "android/amd64",
    "android/arm",
    "android/arm64",
    "darwin/amd64",
    "darwin/arm64",
    "dragonfly/amd64",
    "freebsd/386",
    "freebsd/amd64",
    "freebsd/arm",
    "freebsd/arm64",
    "freebsd/riscv64",
    "illumos/amd64",
    "ios/amd64",
    "ios/arm64",
    "js/wasm",
    "linux/386",
    "linux/amd64",
    "linux/arm",
    "linux/arm64",
    "linux/loong64",
    "linux/mips",
    "linux/mips64",
    "linux/mips64le",
    "linux/mipsle",
    "linux/ppc64",
    "linux/ppc64le",
    "linux/riscv64",
    "linux/s390x",
    "netbsd/386",
    "netbsd/amd64",
    "netbsd/arm",
    "netbsd/arm64",
    "openbsd/386",
    "openbsd/amd64",
    "openbsd/arm",
    "openbsd/arm64",
    "openbsd/mips64",
    "openbsd/ppc64",
    "openbsd/riscv64",
    "plan9/386",
    "plan9/amd64",
    "plan9/arm",
    "solaris/amd64",
    "wasip1/wasm",
    "windows/386",
    "windows/amd64",
    "windows/arm",
    "windows/arm64",
];

/// Debian dpkg architectures, one Rust triple each.
pub const DEBIAN: &[(&str, &str)] = &[
    ("aarch64-unknown-linux-gnu", "arm64"),
    ("aarch64-unknown-linux-gnu_ilp32", "arm64ilp32"),
    ("aarch64-unknown-linux-musl", "musl-linux-arm64"),
    ("armv5te-unknown-linux-gnueabi", "armel"),
    ("armv7-unknown-linux-gnueabihf", "armhf"),
    ("armv7-unknown-linux-musleabihf", "musl-linux-armhf"),
    ("i686-unknown-hurd-gnu", "hurd-i386"),
    ("i686-unknown-linux-gnu", "i386"),
    ("i686-unknown-linux-musl", "musl-linux-i386"),
    ("loongarch64-unknown-linux-gnu", "loong64"),
    ("loongarch64-unknown-linux-musl", "musl-linux-loong64"),
    ("m68k-unknown-linux-gnu", "m68k"),
    ("mips-unknown-linux-gnu", "mips"),
    ("mips-unknown-linux-musl", "musl-linux-mips"),
    ("mips64-unknown-linux-gnuabi64", "mips64"),
    ("mips64el-unknown-linux-gnuabi64", "mips64el"),
    ("mipsel-unknown-linux-gnu", "mipsel"),
    ("mipsel-unknown-linux-musl", "musl-linux-mipsel"),
    ("mipsisa32r6-unknown-linux-gnu", "mipsr6"),
    ("mipsisa32r6el-unknown-linux-gnu", "mipsr6el"),
    ("mipsisa64r6-unknown-linux-gnuabi64", "mips64r6"),
    ("mipsisa64r6el-unknown-linux-gnuabi64", "mips64r6el"),
    ("powerpc-unknown-linux-gnu", "powerpc"),
    ("powerpc-unknown-linux-gnuspe", "powerpcspe"),
    ("powerpc-unknown-linux-musl", "musl-linux-powerpc"),
    ("powerpc64-unknown-linux-gnu", "ppc64"),
    ("powerpc64-unknown-linux-musl", "musl-linux-ppc64"),
    ("powerpc64le-unknown-linux-gnu", "ppc64el"),
    ("powerpc64le-unknown-linux-musl", "musl-linux-ppc64el"),
    ("riscv64gc-unknown-linux-gnu", "riscv64"),
    ("riscv64gc-unknown-linux-musl", "musl-linux-riscv64"),
    ("s390x-unknown-linux-gnu", "s390x"),
    ("s390x-unknown-linux-musl", "musl-linux-s390x"),
    ("sparc-unknown-linux-gnu", "sparc"),
    ("sparc64-unknown-linux-gnu", "sparc64"),
    ("x86_64-unknown-hurd-gnu", "hurd-amd64"),
    ("x86_64-unknown-linux-gnu", "amd64"),
    ("x86_64-unknown-linux-gnux32", "x32"),
    ("x86_64-unknown-linux-musl", "musl-linux-amd64"),
];

/// Docker/OCI platforms of Linux targets (glibc or musl).
pub const DOCKER: &[(&str, &str)] = &[
    ("aarch64-unknown-linux-gnu", "linux/arm64"),
    ("aarch64-unknown-linux-musl", "linux/arm64"),
    ("arm-unknown-linux-gnueabihf", "linux/arm/v6"),
    ("arm-unknown-linux-musleabihf", "linux/arm/v6"),
    ("armv5te-unknown-linux-gnueabi", "linux/arm/v5"),
    ("armv5te-unknown-linux-musleabi", "linux/arm/v5"),
    ("armv7-unknown-linux-gnueabihf", "linux/arm/v7"),
    ("armv7-unknown-linux-musleabihf", "linux/arm/v7"),
    ("i686-unknown-linux-gnu", "linux/386"),
    ("i686-unknown-linux-musl", "linux/386"),
    ("loongarch64-unknown-linux-gnu", "linux/loong64"),
    ("loongarch64-unknown-linux-musl", "linux/loong64"),
    ("mips-unknown-linux-gnu", "linux/mips"),
    ("mips-unknown-linux-musl", "linux/mips"),
    ("mips64-unknown-linux-gnuabi64", "linux/mips64"),
    ("mips64-unknown-linux-muslabi64", "linux/mips64"),
    ("mips64el-unknown-linux-gnuabi64", "linux/mips64le"),
    ("mips64el-unknown-linux-muslabi64", "linux/mips64le"),
    ("mipsel-unknown-linux-gnu", "linux/mipsle"),
    ("mipsel-unknown-linux-musl", "linux/mipsle"),
    ("powerpc64-unknown-linux-gnu", "linux/ppc64"),
    ("powerpc64-unknown-linux-musl", "linux/ppc64"),
    ("powerpc64le-unknown-linux-gnu", "linux/ppc64le"),
    ("powerpc64le-unknown-linux-musl", "linux/ppc64le"),
    ("riscv64gc-unknown-linux-gnu", "linux/riscv64"),
    ("riscv64gc-unknown-linux-musl", "linux/riscv64"),
    ("s390x-unknown-linux-gnu", "linux/s390x"),
    ("s390x-unknown-linux-musl", "linux/s390x"),
    ("x86_64-unknown-linux-gnu", "linux/amd64"),
    ("x86_64-unknown-linux-musl", "linux/amd64"),
];

/// Targets that are another target built with a sanitizer: rustc's
/// `x86_64-unknown-linux-gnuasan` is `x86_64-unknown-linux-gnu` with
/// AddressSanitizer on by default (its rustc book page; nightly adds the
/// MemorySanitizer and ThreadSanitizer builds). On stable Rust their cfg is
/// the base target's exactly, so every rule classifies them alike: the
/// same platform, one more build of it. The variant, its base, the
/// sanitizer.
const SANITIZER_BUILDS: &[(&str, &str, &str)] = &[
    (
        "x86_64-unknown-linux-gnuasan",
        "x86_64-unknown-linux-gnu",
        "AddressSanitizer",
    ),
    (
        "x86_64-unknown-linux-gnumsan",
        "x86_64-unknown-linux-gnu",
        "MemorySanitizer",
    ),
    (
        "x86_64-unknown-linux-gnutsan",
        "x86_64-unknown-linux-gnu",
        "ThreadSanitizer",
    ),
];

/// When `triple` is another target built with a sanitizer: that target
/// and the sanitizer.
pub fn sanitizer_build(triple: &str) -> Option<(&'static str, &'static str)> {
    SANITIZER_BUILDS
        .iter()
        .find(|(t, _, _)| *t == triple)
        .map(|(_, base, sanitizer)| (*base, *sanitizer))
}

/// Docker platform spellings that name the same platform as ours
/// (containerd normalises them): the input, the name used here.
const DOCKER_ALIASES: &[(&str, &str)] = &[
    ("linux/arm64/v8", "linux/arm64"),
    ("linux/aarch64", "linux/arm64"),
    ("linux/x86_64", "linux/amd64"),
    ("linux/x86-64", "linux/amd64"),
    ("linux/i386", "linux/386"),
    ("linux/armhf", "linux/arm/v7"),
    ("linux/armel", "linux/arm/v6"),
];

/// A target's names in the three ecosystems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub go: Option<String>,
    pub debian: Option<&'static str>,
    pub docker: Option<&'static str>,
}

fn lookup(table: &'static [(&'static str, &'static str)], triple: &str) -> Option<&'static str> {
    table.iter().find(|(t, _)| *t == triple).map(|(_, n)| *n)
}

/// The names of `triple`, whose cfg is `cfg`.
pub fn names(triple: &str, cfg: &TargetCfg) -> Names {
    Names {
        go: go(triple, cfg),
        debian: lookup(DEBIAN, triple),
        docker: lookup(DOCKER, triple),
    }
}

/// Go's `GOOS/GOARCH` for a target, when the pair is a Go port and the
/// target's ABI is the port's. `GOARCH` is the library's
/// ([`ArchNames::go_arch`], the override variable's Go names); this adds
/// the operating system, the ISA baselines the architecture name does not
/// tell, and the list of ports.
pub fn go(triple: &str, cfg: &TargetCfg) -> Option<String> {
    let env = cfg.value("target_env").unwrap_or("");
    let abi = cfg.value("target_abi").unwrap_or("");
    let vendor = cfg.value("target_vendor").unwrap_or("");
    let goos = match cfg.os()? {
        // Go's `linux` is a Linux userland with glibc or musl (DESIGN.md,
        // as the etcd preset reads etcd's "Linux"): not OpenHarmony, not
        // uClibc, not Linux without a libc (`x86_64-unknown-linux-none`),
        // not the Unikraft unikernel.
        "linux" if !matches!(env, "gnu" | "musl") || vendor == "unikraft" => return None,
        "linux" => "linux",
        "android" => "android",
        "macos" => "darwin",
        "ios" if abi == "macabi" => return None,
        "ios" => "ios",
        "windows" if vendor == "uwp" => return None,
        "windows" => "windows",
        "freebsd" => "freebsd",
        "netbsd" => "netbsd",
        "openbsd" => "openbsd",
        "dragonfly" => "dragonfly",
        "illumos" => "illumos",
        "solaris" => "solaris",
        "aix" => "aix",
        "wasi" if triple == "wasm32-wasip1" => "wasip1",
        _ => return None,
    };
    let goarch = ArchNames::go_arch(cfg)?;
    // Go's `arm` needs ARMv5 or later (GOARM=5 at least); its `mips` ports
    // are MIPS32/MIPS64 release 2, which release 6 is not compatible with.
    if triple.starts_with("armv4t") || matches!(cfg.arch(), "mips32r6" | "mips64r6") {
        return None;
    }
    let pair = format!("{}/{}", goos, goarch);
    GO_PORTS.contains(&pair.as_str()).then_some(pair)
}

/// What a name given for `--target` is: a triple as is, or the triples a
/// Debian architecture or a Docker platform names.
pub enum Resolved {
    /// Not a Debian or Docker name: used as given.
    Triple,
    /// Exactly one triple.
    One(&'static str, &'static str),
    /// Several triples: the name is ambiguous.
    Many(&'static str, Vec<&'static str>),
}

/// Resolves a Debian architecture (`armhf`) or a Docker platform
/// (`linux/arm/v7`, `linux/arm64/v8`) to the triples it names; `kind`
/// says which it was.
pub fn resolve(name: &str) -> Resolved {
    let debian: Vec<&'static str> = DEBIAN
        .iter()
        .filter(|(_, n)| *n == name)
        .map(|(t, _)| *t)
        .collect();
    if !debian.is_empty() {
        return match debian.as_slice() {
            [one] => Resolved::One(one, "Debian architecture"),
            _ => Resolved::Many("Debian architecture", debian),
        };
    }
    let platform = DOCKER_ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, n)| *n);
    let docker: Vec<&'static str> = DOCKER
        .iter()
        .filter(|(_, n)| *n == platform)
        .map(|(t, _)| *t)
        .collect();
    match docker.as_slice() {
        [] => Resolved::Triple,
        [one] => Resolved::One(one, "Docker platform"),
        _ => Resolved::Many("Docker platform", docker),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_one_row_per_triple_and_debian_names_are_unique() {
        for table in [DEBIAN, DOCKER] {
            for (i, (t, _)) in table.iter().enumerate() {
                assert!(table[..i].iter().all(|(u, _)| u != t), "{} twice", t);
            }
        }
        for (i, (_, n)) in DEBIAN.iter().enumerate() {
            assert!(DEBIAN[..i].iter().all(|(_, m)| m != n), "{} twice", n);
        }
        let mut sorted = GO_PORTS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, GO_PORTS);
    }

    #[test]
    fn names_resolve_to_triples() {
        assert!(matches!(
            resolve("armhf"),
            Resolved::One("armv7-unknown-linux-gnueabihf", _)
        ));
        assert!(matches!(
            resolve("linux/arm64/v8"),
            Resolved::Many("Docker platform", ref t) if t.len() == 2
        ));
        assert!(matches!(
            resolve("x86_64-unknown-linux-gnu"),
            Resolved::Triple
        ));
    }

    /// A Linux target as `rustc --print cfg` describes it, in part.
    fn linux(triple: &str, arch: &str, endian: &str, width: &str, env: &str) -> TargetCfg {
        TargetCfg::from_rustc_cfg(
            triple,
            &format!(
                "target_arch=\"{}\"\ntarget_endian=\"{}\"\ntarget_env=\"{}\"\n\
                 target_os=\"linux\"\ntarget_pointer_width=\"{}\"\ntarget_vendor=\"unknown\"\n",
                arch, endian, env, width
            ),
        )
        .unwrap()
    }

    #[test]
    fn go_pairs_are_the_librarys_goarch_on_a_go_port() {
        let go_of = |t: &str, a: &str, e: &str, w: &str, env: &str| go(t, &linux(t, a, e, w, env));
        assert_eq!(
            go_of("x86_64-unknown-linux-gnu", "x86_64", "little", "64", "gnu").as_deref(),
            Some("linux/amd64")
        );
        assert_eq!(
            go_of(
                "x86_64-unknown-linux-musl",
                "x86_64",
                "little",
                "64",
                "musl"
            )
            .as_deref(),
            Some("linux/amd64")
        );
        // Linux without a libc is not Go's linux (DESIGN.md: a Linux
        // userland with glibc or musl); it was `linux/amd64` before.
        assert_eq!(
            go_of("x86_64-unknown-linux-none", "x86_64", "little", "64", ""),
            None
        );
        // Nor is uClibc's (these were `linux/arm` and `linux/mips`).
        assert_eq!(
            go_of(
                "armv7-unknown-linux-uclibceabihf",
                "arm",
                "little",
                "32",
                "uclibc"
            ),
            None
        );
        assert_eq!(
            go_of("mips-unknown-linux-uclibc", "mips", "big", "32", "uclibc"),
            None
        );
        // arm64be is Go's name (the override value), but no Go port.
        let be = linux(
            "aarch64_be-unknown-linux-gnu",
            "aarch64",
            "big",
            "64",
            "gnu",
        );
        assert_eq!(ArchNames::go_arch(&be), Some("arm64be"));
        assert_eq!(go("aarch64_be-unknown-linux-gnu", &be), None);
        for (t, a, e, w) in [
            ("aarch64-unknown-linux-gnu_ilp32", "aarch64", "little", "32"),
            ("x86_64-unknown-linux-gnux32", "x86_64", "little", "32"),
            ("armv4t-unknown-linux-gnueabi", "arm", "little", "32"),
            ("mipsisa32r6-unknown-linux-gnu", "mips32r6", "big", "32"),
            ("powerpc-unknown-linux-gnu", "powerpc", "big", "32"),
        ] {
            assert_eq!(go_of(t, a, e, w, "gnu"), None, "{}", t);
        }
        assert_eq!(
            go_of(
                "armv5te-unknown-linux-gnueabi",
                "arm",
                "little",
                "32",
                "gnu"
            )
            .as_deref(),
            Some("linux/arm")
        );
    }
}
