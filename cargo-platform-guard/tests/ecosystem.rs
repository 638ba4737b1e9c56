//! Names per ecosystem, decided from the whole triple: a table of every
//! Linux target of the toolchain that has a Debian or a Docker name, each
//! row with the source of its mappings in a comment, checked against
//! `matrix --format json`; every other Linux target has neither. Then the
//! names at work: `--format docker`, and `check`/`explain` taking a Debian
//! architecture or a Docker platform (an ambiguous one lists its triples).
//!
//! Sources: Debian, `dpkg-architecture -t <GNU triplet> -qDEB_HOST_ARCH`
//! (dpkg 1.21.22, Debian 12) and the ports' ISA baselines
//! (wiki.debian.org/ArchitectureSpecificsMemo); Docker, the OCI image-index
//! `platform` (`os/architecture[/variant]`, architecture a GOARCH) with
//! containerd's variant normalisation; Go, `go tool dist list` (Go 1.19,
//! Debian 12's golang-go) and later ports from Go's release notes.

mod common;

use common::{pg, target_list};
use serde_json::Value;

/// (triple, Go, Debian, Docker).
type Row = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const LINUX: &[Row] = &[
    // Debian: dpkg-architecture -t aarch64-linux-gnu -qDEB_HOST_ARCH prints arm64; Docker: OCI platform linux/arm64 (containerd normalises arm64/v8 to arm64); Go: linux/arm64 in go tool dist list.
    (
        "aarch64-unknown-linux-gnu",
        Some("linux/arm64"),
        Some("arm64"),
        Some("linux/arm64"),
    ),
    // Debian: dpkg-architecture -t aarch64-linux-gnu_ilp32 -qDEB_HOST_ARCH prints arm64ilp32; Docker: ILP32 has no OCI architecture; Go: Go has no ILP32 port.
    (
        "aarch64-unknown-linux-gnu_ilp32",
        None,
        Some("arm64ilp32"),
        None,
    ),
    // Debian: dpkg-architecture -t aarch64-linux-musl -qDEB_HOST_ARCH prints musl-linux-arm64; Docker: OCI platform linux/arm64 (containerd normalises arm64/v8 to arm64); Go: linux/arm64 in go tool dist list.
    (
        "aarch64-unknown-linux-musl",
        Some("linux/arm64"),
        Some("musl-linux-arm64"),
        Some("linux/arm64"),
    ),
    // Debian: dpkg names arm-linux-gnueabihf armhf, but armhf is ARMv7 and this triple is ARMv6: no Debian name; Docker: OCI platform linux/arm/v6 (variant v6: ARMv6); Go: linux/arm in go tool dist list.
    (
        "arm-unknown-linux-gnueabihf",
        Some("linux/arm"),
        None,
        Some("linux/arm/v6"),
    ),
    // Debian: ARMv6: not musl-linux-armhf (ARMv7); Docker: OCI platform linux/arm/v6 (variant v6: ARMv6); Go: linux/arm in go tool dist list.
    (
        "arm-unknown-linux-musleabihf",
        Some("linux/arm"),
        None,
        Some("linux/arm/v6"),
    ),
    // Debian: dpkg-architecture -t arm-linux-gnueabi -qDEB_HOST_ARCH prints armel (the port is ARMv5TE soft-float, so the armv5te triple); Docker: OCI platform linux/arm/v5 (variant v5: ARMv5); Go: linux/arm in go tool dist list.
    (
        "armv5te-unknown-linux-gnueabi",
        Some("linux/arm"),
        Some("armel"),
        Some("linux/arm/v5"),
    ),
    // Debian: dpkg-architecture -t arm-linux-musleabi: unknown GNU system type; Docker: OCI platform linux/arm/v5 (variant v5: ARMv5); Go: linux/arm in go tool dist list.
    (
        "armv5te-unknown-linux-musleabi",
        Some("linux/arm"),
        None,
        Some("linux/arm/v5"),
    ),
    // Debian: dpkg-architecture -t arm-linux-gnueabihf -qDEB_HOST_ARCH prints armhf (the port is ARMv7-A + VFPv3-D16 hard-float, so the armv7 triple); Docker: OCI platform linux/arm/v7 (variant v7: ARMv7); Go: linux/arm in go tool dist list.
    (
        "armv7-unknown-linux-gnueabihf",
        Some("linux/arm"),
        Some("armhf"),
        Some("linux/arm/v7"),
    ),
    // Debian: dpkg-architecture -t arm-linux-musleabihf -qDEB_HOST_ARCH prints musl-linux-armhf (ARMv7 hard-float, as armhf); Docker: OCI platform linux/arm/v7 (variant v7: ARMv7); Go: linux/arm in go tool dist list.
    (
        "armv7-unknown-linux-musleabihf",
        Some("linux/arm"),
        Some("musl-linux-armhf"),
        Some("linux/arm/v7"),
    ),
    // Debian: dpkg-architecture -t i686-linux-gnu -qDEB_HOST_ARCH prints i386 (the port is i686); Docker: OCI platform linux/386, its GOOS/GOARCH; Go: linux/386 in go tool dist list.
    (
        "i686-unknown-linux-gnu",
        Some("linux/386"),
        Some("i386"),
        Some("linux/386"),
    ),
    // Debian: dpkg-architecture -t i686-linux-musl -qDEB_HOST_ARCH prints musl-linux-i386; Docker: OCI platform linux/386, its GOOS/GOARCH; Go: linux/386 in go tool dist list.
    (
        "i686-unknown-linux-musl",
        Some("linux/386"),
        Some("musl-linux-i386"),
        Some("linux/386"),
    ),
    // Debian: dpkg-architecture -t loongarch64-linux-gnu -qDEB_HOST_ARCH prints loong64; Docker: OCI platform linux/loong64, its GOOS/GOARCH; Go: linux/loong64 in go tool dist list.
    (
        "loongarch64-unknown-linux-gnu",
        Some("linux/loong64"),
        Some("loong64"),
        Some("linux/loong64"),
    ),
    // Debian: dpkg-architecture -t loongarch64-linux-musl -qDEB_HOST_ARCH prints musl-linux-loong64; Docker: OCI platform linux/loong64, its GOOS/GOARCH; Go: linux/loong64 in go tool dist list.
    (
        "loongarch64-unknown-linux-musl",
        Some("linux/loong64"),
        Some("musl-linux-loong64"),
        Some("linux/loong64"),
    ),
    // Debian: dpkg-architecture -t m68k-linux-gnu -qDEB_HOST_ARCH prints m68k; Docker: m68k has no GOARCH, so no OCI architecture; Go: no m68k port.
    ("m68k-unknown-linux-gnu", None, Some("m68k"), None),
    // Debian: dpkg-architecture -t mips-linux-gnu -qDEB_HOST_ARCH prints mips; Docker: OCI platform linux/mips, its GOOS/GOARCH; Go: linux/mips in go tool dist list.
    (
        "mips-unknown-linux-gnu",
        Some("linux/mips"),
        Some("mips"),
        Some("linux/mips"),
    ),
    // Debian: dpkg-architecture -t mips-linux-musl -qDEB_HOST_ARCH prints musl-linux-mips; Docker: OCI platform linux/mips, its GOOS/GOARCH; Go: linux/mips in go tool dist list.
    (
        "mips-unknown-linux-musl",
        Some("linux/mips"),
        Some("musl-linux-mips"),
        Some("linux/mips"),
    ),
    // Debian: dpkg-architecture -t mips64-linux-gnuabi64 -qDEB_HOST_ARCH prints mips64; Docker: OCI platform linux/mips64, its GOOS/GOARCH; Go: linux/mips64 in go tool dist list.
    (
        "mips64-unknown-linux-gnuabi64",
        Some("linux/mips64"),
        Some("mips64"),
        Some("linux/mips64"),
    ),
    // Debian: dpkg-architecture -t mips64-linux-muslabi64: unknown GNU system type; Docker: OCI platform linux/mips64, its GOOS/GOARCH; Go: linux/mips64 in go tool dist list.
    (
        "mips64-unknown-linux-muslabi64",
        Some("linux/mips64"),
        None,
        Some("linux/mips64"),
    ),
    // Debian: dpkg-architecture -t mips64el-linux-gnuabi64 -qDEB_HOST_ARCH prints mips64el; Docker: OCI platform linux/mips64le, its GOOS/GOARCH; Go: linux/mips64le in go tool dist list.
    (
        "mips64el-unknown-linux-gnuabi64",
        Some("linux/mips64le"),
        Some("mips64el"),
        Some("linux/mips64le"),
    ),
    // Debian: dpkg-architecture -t mips64el-linux-muslabi64: unknown GNU system type; Docker: OCI platform linux/mips64le, its GOOS/GOARCH; Go: linux/mips64le in go tool dist list.
    (
        "mips64el-unknown-linux-muslabi64",
        Some("linux/mips64le"),
        None,
        Some("linux/mips64le"),
    ),
    // Debian: dpkg-architecture -t mipsel-linux-gnu -qDEB_HOST_ARCH prints mipsel; Docker: OCI platform linux/mipsle, its GOOS/GOARCH; Go: linux/mipsle in go tool dist list.
    (
        "mipsel-unknown-linux-gnu",
        Some("linux/mipsle"),
        Some("mipsel"),
        Some("linux/mipsle"),
    ),
    // Debian: dpkg-architecture -t mipsel-linux-musl -qDEB_HOST_ARCH prints musl-linux-mipsel; Docker: OCI platform linux/mipsle, its GOOS/GOARCH; Go: linux/mipsle in go tool dist list.
    (
        "mipsel-unknown-linux-musl",
        Some("linux/mipsle"),
        Some("musl-linux-mipsel"),
        Some("linux/mipsle"),
    ),
    // Debian: dpkg-architecture -t mipsisa32r6-linux-gnu -qDEB_HOST_ARCH prints mipsr6; Docker: MIPS release 6 has no GOARCH, so no OCI architecture; Go: the mips ports are MIPS32/MIPS64 release 2, not release 6.
    ("mipsisa32r6-unknown-linux-gnu", None, Some("mipsr6"), None),
    // Debian: dpkg-architecture -t mipsisa32r6el-linux-gnu -qDEB_HOST_ARCH prints mipsr6el; Docker: MIPS release 6 has no GOARCH, so no OCI architecture; Go: the mips ports are MIPS32/MIPS64 release 2, not release 6.
    (
        "mipsisa32r6el-unknown-linux-gnu",
        None,
        Some("mipsr6el"),
        None,
    ),
    // Debian: dpkg-architecture -t mipsisa64r6-linux-gnuabi64 -qDEB_HOST_ARCH prints mips64r6; Docker: MIPS release 6 has no GOARCH, so no OCI architecture; Go: the mips ports are MIPS32/MIPS64 release 2, not release 6.
    (
        "mipsisa64r6-unknown-linux-gnuabi64",
        None,
        Some("mips64r6"),
        None,
    ),
    // Debian: dpkg-architecture -t mipsisa64r6el-linux-gnuabi64 -qDEB_HOST_ARCH prints mips64r6el; Docker: MIPS release 6 has no GOARCH, so no OCI architecture; Go: the mips ports are MIPS32/MIPS64 release 2, not release 6.
    (
        "mipsisa64r6el-unknown-linux-gnuabi64",
        None,
        Some("mips64r6el"),
        None,
    ),
    // Debian: dpkg-architecture -t powerpc-linux-gnu -qDEB_HOST_ARCH prints powerpc; Docker: 32-bit PowerPC has no GOARCH, so no OCI architecture; Go: no linux/ppc in go tool dist list.
    ("powerpc-unknown-linux-gnu", None, Some("powerpc"), None),
    // Debian: dpkg-architecture -t powerpc-linux-gnuspe -qDEB_HOST_ARCH prints powerpcspe; Docker: 32-bit PowerPC has no GOARCH, so no OCI architecture; Go: no linux/ppc in go tool dist list.
    (
        "powerpc-unknown-linux-gnuspe",
        None,
        Some("powerpcspe"),
        None,
    ),
    // Debian: dpkg-architecture -t powerpc-linux-musl -qDEB_HOST_ARCH prints musl-linux-powerpc; Docker: 32-bit PowerPC has no GOARCH, so no OCI architecture; Go: no linux/ppc in go tool dist list.
    (
        "powerpc-unknown-linux-musl",
        None,
        Some("musl-linux-powerpc"),
        None,
    ),
    // Debian: dpkg-architecture -t powerpc64-linux-gnu -qDEB_HOST_ARCH prints ppc64; Docker: OCI platform linux/ppc64, its GOOS/GOARCH; Go: linux/ppc64 in go tool dist list.
    (
        "powerpc64-unknown-linux-gnu",
        Some("linux/ppc64"),
        Some("ppc64"),
        Some("linux/ppc64"),
    ),
    // Debian: dpkg-architecture -t powerpc64-linux-musl -qDEB_HOST_ARCH prints musl-linux-ppc64; Docker: OCI platform linux/ppc64, its GOOS/GOARCH; Go: linux/ppc64 in go tool dist list.
    (
        "powerpc64-unknown-linux-musl",
        Some("linux/ppc64"),
        Some("musl-linux-ppc64"),
        Some("linux/ppc64"),
    ),
    // Debian: dpkg-architecture -t powerpc64le-linux-gnu -qDEB_HOST_ARCH prints ppc64el; Docker: OCI platform linux/ppc64le, its GOOS/GOARCH; Go: linux/ppc64le in go tool dist list.
    (
        "powerpc64le-unknown-linux-gnu",
        Some("linux/ppc64le"),
        Some("ppc64el"),
        Some("linux/ppc64le"),
    ),
    // Debian: dpkg-architecture -t powerpc64le-linux-musl -qDEB_HOST_ARCH prints musl-linux-ppc64el; Docker: OCI platform linux/ppc64le, its GOOS/GOARCH; Go: linux/ppc64le in go tool dist list.
    (
        "powerpc64le-unknown-linux-musl",
        Some("linux/ppc64le"),
        Some("musl-linux-ppc64el"),
        Some("linux/ppc64le"),
    ),
    // Debian: dpkg-architecture -t riscv64-linux-gnu -qDEB_HOST_ARCH prints riscv64 (the port is RV64GC); Docker: OCI platform linux/riscv64, its GOOS/GOARCH; Go: linux/riscv64 in go tool dist list.
    (
        "riscv64gc-unknown-linux-gnu",
        Some("linux/riscv64"),
        Some("riscv64"),
        Some("linux/riscv64"),
    ),
    // Debian: dpkg-architecture -t riscv64-linux-musl -qDEB_HOST_ARCH prints musl-linux-riscv64; Docker: OCI platform linux/riscv64, its GOOS/GOARCH; Go: linux/riscv64 in go tool dist list.
    (
        "riscv64gc-unknown-linux-musl",
        Some("linux/riscv64"),
        Some("musl-linux-riscv64"),
        Some("linux/riscv64"),
    ),
    // Debian: dpkg-architecture -t s390x-linux-gnu -qDEB_HOST_ARCH prints s390x; Docker: OCI platform linux/s390x, its GOOS/GOARCH; Go: linux/s390x in go tool dist list.
    (
        "s390x-unknown-linux-gnu",
        Some("linux/s390x"),
        Some("s390x"),
        Some("linux/s390x"),
    ),
    // Debian: dpkg-architecture -t s390x-linux-musl -qDEB_HOST_ARCH prints musl-linux-s390x; Docker: OCI platform linux/s390x, its GOOS/GOARCH; Go: linux/s390x in go tool dist list.
    (
        "s390x-unknown-linux-musl",
        Some("linux/s390x"),
        Some("musl-linux-s390x"),
        Some("linux/s390x"),
    ),
    // Debian: dpkg-architecture -t sparc-linux-gnu -qDEB_HOST_ARCH prints sparc; Docker: 32-bit SPARC has no GOARCH, so no OCI architecture; Go: no sparc port.
    ("sparc-unknown-linux-gnu", None, Some("sparc"), None),
    // Debian: dpkg-architecture -t sparc64-linux-gnu -qDEB_HOST_ARCH prints sparc64; Docker: sparc64 has no GOARCH, so no OCI architecture; Go: no linux/sparc64 in go tool dist list.
    ("sparc64-unknown-linux-gnu", None, Some("sparc64"), None),
    // Debian: dpkg-architecture -t x86_64-linux-gnu -qDEB_HOST_ARCH prints amd64; Docker: OCI platform linux/amd64, its GOOS/GOARCH; Go: linux/amd64 in go tool dist list.
    (
        "x86_64-unknown-linux-gnu",
        Some("linux/amd64"),
        Some("amd64"),
        Some("linux/amd64"),
    ),
    // Debian: dpkg-architecture -t x86_64-linux-gnux32 -qDEB_HOST_ARCH prints x32; Docker: x32 has no OCI architecture; Go: Go has no x32 port.
    ("x86_64-unknown-linux-gnux32", None, Some("x32"), None),
    // Debian: dpkg-architecture -t x86_64-linux-musl -qDEB_HOST_ARCH prints musl-linux-amd64; Docker: OCI platform linux/amd64, its GOOS/GOARCH; Go: linux/amd64 in go tool dist list.
    (
        "x86_64-unknown-linux-musl",
        Some("linux/amd64"),
        Some("musl-linux-amd64"),
        Some("linux/amd64"),
    ),
];

/// Debian's ports on other kernels.
const OTHER_DEBIAN: &[(&str, &str)] = &[
    // dpkg-architecture -t i686-gnu -qDEB_HOST_ARCH prints hurd-i386.
    ("i686-unknown-hurd-gnu", "hurd-i386"),
    // dpkg-architecture -t x86_64-gnu -qDEB_HOST_ARCH prints hurd-amd64.
    ("x86_64-unknown-hurd-gnu", "hurd-amd64"),
];

fn rows() -> Vec<Value> {
    let out = pg(&["matrix", "--preset", "default", "--format", "json"], &[])
        .expect(0, "matrix --format json")
        .out;
    let doc: Value = serde_json::from_str(&out).unwrap();
    doc["targets"].as_array().unwrap().clone()
}

#[test]
fn every_linux_target_gets_the_names_of_the_table() {
    let rows = rows();
    let known = target_list();
    for (triple, ..) in LINUX {
        assert!(
            known.iter().any(|t| t == triple),
            "{} is not a target of this rustc",
            triple
        );
    }
    let mut checked = 0;
    for r in &rows {
        let triple = r["target"].as_str().unwrap();
        if r["os"] == "linux" {
            checked += 1;
            let want = LINUX
                .iter()
                .find(|(t, ..)| *t == triple)
                .map_or((None, None, None), |(_, go, deb, dock)| (*go, *deb, *dock));
            let got = (r["debian"].as_str(), r["docker"].as_str());
            assert_eq!(got, (want.1, want.2), "{}", triple);
            if want.1.is_some() || want.2.is_some() {
                assert_eq!(r["go"].as_str(), want.0, "{}", triple);
            }
        }
        if let Some((_, deb)) = OTHER_DEBIAN.iter().find(|(t, _)| *t == triple) {
            assert_eq!(r["debian"].as_str(), Some(*deb), "{}", triple);
        } else if r["os"] != "linux" {
            assert!(r["debian"].is_null() && r["docker"].is_null(), "{}", r);
        }
    }
    assert!(checked >= LINUX.len(), "{} Linux targets", checked);
    // The ones the issue names, spelled out.
    let name = |t: &str, field: &str| {
        rows.iter()
            .find(|r| r["target"] == t)
            .and_then(|r| r[field].as_str().map(str::to_string))
    };
    assert_eq!(name("arm-unknown-linux-gnueabihf", "debian"), None);
    assert_eq!(
        name("armv7-unknown-linux-gnueabihf", "debian").as_deref(),
        Some("armhf")
    );
    assert_eq!(
        name("x86_64-unknown-linux-gnux32", "debian").as_deref(),
        Some("x32")
    );
    assert_eq!(name("x86_64-unknown-linux-gnux32", "go"), None);
    assert_eq!(
        name("x86_64-apple-darwin", "go").as_deref(),
        Some("darwin/amd64")
    );
    assert_eq!(name("wasm32-wasip1", "go").as_deref(), Some("wasip1/wasm"));
    // Go's linux is a Linux userland with glibc or musl (DESIGN.md): not
    // Linux without a libc, nor uClibc's; and no Go port is big-endian
    // ARM64, though `arm64be` is Go's name for it (the override value).
    for t in [
        "x86_64-unknown-linux-none",
        "armv7-unknown-linux-uclibceabihf",
        "mips-unknown-linux-uclibc",
        "aarch64_be-unknown-linux-gnu",
    ] {
        if rows.iter().any(|r| r["target"] == t) {
            assert_eq!(name(t, "go"), None, "{}", t);
        }
    }
}

#[test]
fn docker_format_lists_the_platforms_of_allowed_linux_targets() {
    let run = pg(
        &[
            "matrix",
            "--preset",
            "etcd",
            "--format",
            "docker",
            "--level",
            "stable,experimental",
        ],
        &[],
    )
    .expect(0, "docker");
    assert_eq!(run.out, "linux/ppc64le,linux/amd64\n");
    let run = pg(
        &[
            "matrix", "--preset", "default", "--format", "docker", "--level", "stable",
        ],
        &[],
    )
    .expect(0, "docker, default preset");
    assert_eq!(run.out, "linux/arm64,linux/amd64\n");
    // Denied targets are left out, as from a GitHub matrix.
    let run = pg(
        &["matrix", "--preset", "etcd", "--format", "docker"],
        &[("PLATFORM_GUARD_DENY", "experimental")],
    )
    .expect(0, "docker, experimental denied");
    assert_eq!(run.out, "linux/ppc64le,linux/amd64\n");
    let run = pg(
        &[
            "matrix",
            "--preset",
            "etcd",
            "--format",
            "docker",
            "--level",
            "experimental",
        ],
        &[],
    )
    .expect(2, "no Linux target is experimental in etcd");
    assert_eq!(
        run.err,
        "cargo-platform-guard: error: no allowed target (after the filters) has a Docker \
         platform: expected an allowed Linux target with glibc or musl, such as \
         x86_64-unknown-linux-gnu (linux/amd64)\n"
    );
}

#[test]
fn check_and_explain_take_debian_and_docker_names() {
    let run = pg(&["check", "--preset", "etcd", "--target", "ppc64el"], &[]).expect(0, "ppc64el");
    assert_eq!(
        run.out,
        "powerpc64le-unknown-linux-gnu: allowed: stable (rule `all(target_arch = \"powerpc64\", \
         target_endian = \"little\", target_pointer_width = \"64\", target_os = \"linux\", \
         any(target_env = \"gnu\", target_env = \"musl\"), target_vendor = \"unknown\")`)\n"
    );
    assert_eq!(
        run.err,
        "cargo-platform-guard: note: ppc64el is the Debian architecture of \
         powerpc64le-unknown-linux-gnu\n"
    );
    let run = pg(
        &[
            "check",
            "--preset",
            "etcd",
            "--deny",
            "unsupported",
            "--target",
            "armhf,armel",
        ],
        &[],
    )
    .expect(1, "armhf and armel are unsupported and denied");
    assert!(
        run.out
            .starts_with("armv7-unknown-linux-gnueabihf: denied: "),
        "{}",
        run.out
    );
    assert!(
        run.out
            .contains("\narmv5te-unknown-linux-gnueabi: denied: "),
        "{}",
        run.out
    );
    let run = pg(&["explain", "--preset", "etcd", "--target", "x32"], &[]).expect(0, "x32");
    assert!(
        run.out.starts_with("target: x86_64-unknown-linux-gnux32\n"),
        "{}",
        run.out
    );
    assert!(
        run.out.contains("verdict: unsupported (no rule matched)\n"),
        "{}",
        run.out
    );
    for (name, kind, triples) in [
        (
            "linux/amd64",
            "Docker platform",
            "x86_64-unknown-linux-gnu, x86_64-unknown-linux-musl",
        ),
        (
            "linux/arm64/v8",
            "Docker platform",
            "aarch64-unknown-linux-gnu, aarch64-unknown-linux-musl",
        ),
        (
            "linux/arm/v7",
            "Docker platform",
            "armv7-unknown-linux-gnueabihf, armv7-unknown-linux-musleabihf",
        ),
    ] {
        let run = pg(&["explain", "--preset", "etcd", "--target", name], &[]).expect(2, name);
        assert_eq!(run.out, "");
        assert_eq!(
            run.err,
            format!(
                "cargo-platform-guard: error: {:?} is a {} that could mean 2 targets: {}; give one \
                 of them with --target\n",
                name, kind, triples
            )
        );
    }
}
