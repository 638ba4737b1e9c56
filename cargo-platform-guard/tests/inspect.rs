//! `inspect` on real programs: `tests/fixtures/inspect-app` built for
//! real for this machine's glibc, for glibc 2.17 (cargo-zigbuild), static
//! musl, i686 and aarch64 (Debian's cross linkers), x86_64-pc-windows-gnu
//! (mingw-w64), x86_64 and aarch64 macOS (zig links Mach-O) and x86-64-v3;
//! what `inspect` reads is checked against binutils (`objdump -T`,
//! `readelf -V`, `readelf -n`, `objdump -p`), `llvm-objcopy --dump-section
//! .note.pguard=...`, `llvm-objdump --macho` and `llvm-objcopy
//! --dump-section __TEXT,__pguard=...` on the
//! same files (and the macOS pair joined by `llvm-lipo`), and the floors of
//! `tests/fixtures/inspect-policy` fail the files that exceed them.
//!
//! `ci/inspect-tools` (run by `.ci/run` before the tests) installs the
//! tools. Elsewhere a test whose tool is missing is skipped with the reason
//! on stderr; under `CI=true` it fails.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use common::{cargo_program, fixture, pg_in, rustc, scratch, text, SCRUB};
use serde_json::Value;

/// Whether this is CI (`CI=true`, as `.ci/run` runs), where a missing tool
/// is a failure. (This file's one read of its own environment.)
#[allow(clippy::disallowed_methods)]
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| v == "true")
}

/// A program built for one target, one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Native,
    Glibc217,
    Musl,
    I686,
    Aarch64,
    Windows,
    MacX86,
    MacArm,
    V3,
}

/// The triple, the build directory, the programs a build needs, its
/// environment, and whether cargo-zigbuild builds it.
type How = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Vec<(&'static str, &'static str)>,
    bool,
);

impl Kind {
    fn how(self) -> How {
        match self {
            Kind::Native => ("x86_64-unknown-linux-gnu", "native", &[], vec![], false),
            Kind::Glibc217 => (
                "x86_64-unknown-linux-gnu",
                "zig",
                &["cargo-zigbuild"],
                vec![],
                true,
            ),
            Kind::Musl => ("x86_64-unknown-linux-musl", "native", &[], vec![], false),
            Kind::I686 => (
                "i686-unknown-linux-gnu",
                "native",
                &["i686-linux-gnu-gcc"],
                vec![(
                    "CARGO_TARGET_I686_UNKNOWN_LINUX_GNU_LINKER",
                    "i686-linux-gnu-gcc",
                )],
                false,
            ),
            Kind::Aarch64 => (
                "aarch64-unknown-linux-gnu",
                "native",
                &["aarch64-linux-gnu-gcc"],
                vec![(
                    "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER",
                    "aarch64-linux-gnu-gcc",
                )],
                false,
            ),
            Kind::Windows => (
                "x86_64-pc-windows-gnu",
                "native",
                &["x86_64-w64-mingw32-gcc"],
                vec![],
                false,
            ),
            Kind::MacX86 => (
                "x86_64-apple-darwin",
                "zig",
                &["cargo-zigbuild"],
                vec![("MACOSX_DEPLOYMENT_TARGET", "10.13")],
                true,
            ),
            Kind::MacArm => (
                "aarch64-apple-darwin",
                "zig",
                &["cargo-zigbuild"],
                vec![("MACOSX_DEPLOYMENT_TARGET", "11.0")],
                true,
            ),
            Kind::V3 => (
                "x86_64-unknown-linux-gnu",
                "v3",
                &[],
                vec![("CARGO_ENCODED_RUSTFLAGS", "-Ctarget-cpu=x86-64-v3")],
                false,
            ),
        }
    }
}

/// Says why a test cannot run: fails under CI, else skips (`None`).
fn missing<T>(what: &str) -> Option<T> {
    assert!(
        !in_ci(),
        "CI=true and {}: ci/inspect-tools installs it (see .ci/run)",
        what
    );
    eprintln!("skipped: {}", what);
    None
}

/// Whether `program` runs (`--version`).
fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether rustup installed the standard library for `triple`.
fn has_target(triple: &str) -> bool {
    let out = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    Path::new(text(&out.stdout).trim())
        .join("lib/rustlib")
        .join(triple)
        .join("lib")
        .is_dir()
}

/// The programs built so far (one build at a time: two cores).
static BUILT: Mutex<Option<HashMap<Kind, PathBuf>>> = Mutex::new(None);

/// `inspect-app` built as `kind` says, once per test run; `None` (outside
/// CI) when a tool or target is missing.
fn artifact(kind: Kind) -> Option<PathBuf> {
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    let built = built.get_or_insert_with(HashMap::new);
    if let Some(p) = built.get(&kind) {
        return Some(p.clone());
    }
    let (triple, dir, tools, env, zig) = kind.how();
    if let Some(tool) = tools.iter().find(|t| !has(t)) {
        return missing(&format!("{} is not installed ({:?})", tool, kind));
    }
    if !has_target(triple) {
        return missing(&format!(
            "rustup has no standard library for {} (rustup target add {})",
            triple, triple
        ));
    }
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("inspect-build")
        .join(dir);
    let mut cmd = Command::new(cargo_program());
    for var in SCRUB {
        cmd.env_remove(var);
    }
    let spec = if kind == Kind::Glibc217 {
        "x86_64-unknown-linux-gnu.2.17"
    } else {
        triple
    };
    cmd.arg(if zig { "zigbuild" } else { "build" })
        .args(["--quiet", "--target", spec])
        .current_dir(fixture("inspect-app"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .envs(env);
    let out = cmd.output().expect("cargo runs");
    assert!(
        out.status.success(),
        "building {:?}: {}",
        kind,
        text(&out.stderr)
    );
    let exe = if triple.contains("windows") {
        "inspect-app.exe"
    } else {
        "inspect-app"
    };
    let path = target_dir.join(triple).join("debug").join(exe);
    assert!(path.is_file(), "{:?}: no {}", kind, path.display());
    built.insert(kind, path.clone());
    Some(path)
}

/// A program's output, or a skip when it is missing.
fn tool(program: &str, args: &[&str], file: &Path) -> Option<String> {
    if !has(program) {
        return missing(&format!("{} is not installed", program));
    }
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{} {:?}: {}",
        program,
        args,
        text(&out.stderr)
    );
    Some(text(&out.stdout))
}

/// The newest `PREFIX_x.y` version in `text` (binutils' output).
fn newest(text: &str, prefix: &str) -> Option<String> {
    let mut best: Option<(Vec<u32>, String)> = None;
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')) {
        let Some(number) = word.strip_prefix(prefix).and_then(|w| w.strip_prefix('_')) else {
            continue;
        };
        let parts: Option<Vec<u32>> = number.split('.').map(|p| p.parse().ok()).collect();
        if let Some(parts) = parts.filter(|p| !p.is_empty()) {
            if best.as_ref().is_none_or(|(b, _)| parts > *b) {
                best = Some((parts, word.to_string()));
            }
        }
    }
    best.map(|(_, w)| w)
}

/// `inspect --format json` on `files` with `args`: the exit status and the
/// one package's files and findings.
fn inspect(files: &[&Path], args: &[&str]) -> (i32, Vec<Value>, Vec<Value>) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = scratch(&format!("inspect-{}", n));
    let app = fixture("inspect-app")
        .join("Cargo.toml")
        .display()
        .to_string();
    let mut all: Vec<&str> = vec!["inspect", "--format", "json"];
    // The program's own package (zero setup: the default policy), unless
    // the test names a policy.
    if args.is_empty() {
        all.extend(["--manifest-path", &app]);
    }
    all.extend(args);
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    all.extend(names.iter().map(String::as_str));
    let run = pg_in(&dir, &all, &[]);
    let code = run.code.expect("an exit status");
    assert!(code == 0 || code == 1, "{}\n{}", run.out, run.err);
    assert!(!run.err.contains("panicked"), "{}", run.err);
    let doc: Value =
        serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{}: {}", e, run.out));
    assert_eq!(doc["command"], "inspect");
    let part = &doc["parts"][0];
    let list = |k: &str| part[k].as_array().cloned().unwrap_or_default();
    (code, list("files"), list("findings"))
}

fn policy() -> String {
    fixture("inspect-policy")
        .join("Cargo.toml")
        .display()
        .to_string()
}

fn need(file: &Value, prefix: &str) -> Option<String> {
    file["needs"]
        .as_array()?
        .iter()
        .map(|n| n["version"].as_str().unwrap_or_default().to_string())
        .find(|v| v.rsplit_once('_').is_some_and(|(p, _)| p == prefix))
}

fn codes(findings: &[Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["code"].as_str().unwrap_or_default())
        .collect()
}

#[test]
fn glibc_floors_differ_and_agree_with_binutils() {
    let Some(native) = artifact(Kind::Native) else {
        return;
    };
    let Some(old) = artifact(Kind::Glibc217) else {
        return;
    };
    let (code, files, findings) = inspect(&[&native, &old], &[]);
    assert_eq!(code, 0, "{:#?}", findings);
    for (file, path) in files.iter().zip([&native, &old]) {
        assert_eq!(file["target"], "x86_64-unknown-linux-gnu");
        assert_eq!(file["target_from"], "its platform-guard record");
        assert_eq!(
            (file["arch"].as_str(), file["bits"].as_u64()),
            (Some("x86_64"), Some(64))
        );
        assert_eq!(file["libc"]["name"], "glibc");
        assert_eq!(file["libc"]["linking"], "dynamic");
        let Some(objdump) = tool("objdump", &["-T"], path) else {
            return;
        };
        let Some(readelf) = tool("readelf", &["-V"], path) else {
            return;
        };
        for prefix in ["GLIBC", "GCC"] {
            assert_eq!(
                need(file, prefix),
                newest(&objdump, prefix),
                "{} objdump -T",
                prefix
            );
            assert_eq!(
                need(file, prefix),
                newest(&readelf, prefix),
                "{} readelf -V",
                prefix
            );
        }
    }
    let version = |f: &Value| {
        let v = need(f, "GLIBC").expect("a GLIBC version");
        v["GLIBC_".len()..]
            .split('.')
            .map(|p| p.parse::<u32>().unwrap())
            .collect::<Vec<_>>()
    };
    assert!(
        version(&files[1]) <= vec![2, 17],
        "{:?}",
        need(&files[1], "GLIBC")
    );
    assert!(
        version(&files[0]) > vec![2, 17],
        "this machine's glibc: {:?}",
        need(&files[0], "GLIBC")
    );

    // A glibc floor of 2.17: the native build exceeds it, the zig build keeps to it.
    let (code, _, findings) = inspect(&[&native, &old], &["--manifest-path", &policy()]);
    assert_eq!(code, 1, "{:#?}", findings);
    assert_eq!(codes(&findings), ["above-floor"], "{:#?}", findings);
    let message = findings[0]["message"].as_str().unwrap();
    let newest_native = need(&files[0], "GLIBC").unwrap();
    assert!(
        message.starts_with(&format!("it needs {} from libc.so.6 (for ", newest_native)),
        "{}",
        message
    );
    assert!(message.ends_with("above the glibc floor 2.17 of stable rule 1 `all(target_arch = \"x86_64\", target_os = \"linux\")`"), "{}", message);
    assert_eq!(findings[0]["file"], native.display().to_string());
    let (code, _, findings) = inspect(&[&old], &["--manifest-path", &policy()]);
    assert_eq!((code, findings.len()), (0, 0), "{:#?}", findings);
}

#[test]
fn static_musl_is_said_as_such() {
    let Some(musl) = artifact(Kind::Musl) else {
        return;
    };
    let (code, files, findings) = inspect(&[&musl], &[]);
    assert_eq!((code, findings.len()), (0, 0), "{:#?}", findings);
    let f = &files[0];
    assert_eq!(f["target"], "x86_64-unknown-linux-musl");
    assert_eq!(f["libc"]["name"], "musl");
    assert_eq!(f["libc"]["linking"], "static");
    assert_eq!(f["needs"], serde_json::json!([]));
    let Some(readelf) = tool("readelf", &["-lV"], &musl) else {
        return;
    };
    assert!(
        !readelf.contains("INTERP"),
        "a static program has no interpreter"
    );
    assert!(!readelf.contains("GLIBC_"), "{}", readelf);
    // Without its record, the headers alone cannot tell musl from a static glibc.
    let candidates: Vec<&str> = f["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        candidates,
        ["x86_64-unknown-linux-musl", "x86_64-unknown-linux-gnu"]
    );
}

#[test]
fn cross_builds_read_as_their_targets() {
    let Some(i686) = artifact(Kind::I686) else {
        return;
    };
    let Some(arm) = artifact(Kind::Aarch64) else {
        return;
    };
    let (code, files, findings) = inspect(&[&i686, &arm], &[]);
    // The default policy: 32-bit is unsupported, so its programs refuse.
    assert_eq!(code, 1);
    assert_eq!(codes(&findings), ["refused-artifact"], "{:#?}", findings);
    assert!(findings[0]["message"].as_str().unwrap().starts_with(
        "it is built for i686-unknown-linux-gnu, unsupported (no rule matched): its programs \
         refuse to run there unless INSPECT_APP_UNSUPPORTED_ARCH=x86 is set"
    ));
    assert_eq!(
        (files[0]["arch"].as_str(), files[0]["bits"].as_u64()),
        (Some("x86"), Some(32))
    );
    assert_eq!(files[0]["target"], "i686-unknown-linux-gnu");
    assert_eq!(files[0]["level"], "unsupported");
    assert_eq!(files[1]["target"], "aarch64-unknown-linux-gnu");
    assert_eq!(
        (files[1]["arch"].as_str(), files[1]["bits"].as_u64()),
        (Some("aarch64"), Some(64))
    );
    assert_eq!(files[1]["level"], "stable");
    for (file, path) in files.iter().zip([&i686, &arm]) {
        let Some(readelf) = tool("readelf", &["-V"], path) else {
            return;
        };
        assert_eq!(need(file, "GLIBC"), newest(&readelf, "GLIBC"));
        let Some(record) = elf_records(path) else {
            return;
        };
        let target = file["target"].as_str().unwrap();
        assert!(
            record.contains(&format!("\ntarget={}\n", target)),
            "{}",
            record
        );
        assert_eq!(file["records"][0]["target"], target);
    }
    // The aarch64 floor of 2.17: this machine's cross glibc is newer.
    let (code, _, findings) = inspect(&[&arm], &["--manifest-path", &policy()]);
    assert_eq!(
        (code, codes(&findings)),
        (1, vec!["above-floor"]),
        "{:#?}",
        findings
    );
}

#[test]
fn windows_programs_state_their_oldest_windows() {
    let Some(exe) = artifact(Kind::Windows) else {
        return;
    };
    let (code, files, findings) = inspect(&[&exe], &[]);
    assert_eq!((code, findings.len()), (0, 0), "{:#?}", findings);
    let f = &files[0];
    assert_eq!(f["format"], "PE");
    assert_eq!(f["target"], "x86_64-pc-windows-gnu");
    let Some(headers) = tool("objdump", &["-p"], &exe) else {
        return;
    };
    let field = |name: &str| {
        headers
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {} in objdump -p", name))
    };
    let os = format!(
        "{}.{}",
        field("MajorOSystemVersion"),
        field("MinorOSystemVersion")
    );
    let sub = format!(
        "{}.{}",
        field("MajorSubsystemVersion"),
        field("MinorSubsystemVersion")
    );
    let from = f["min_os"]["from"].as_str().unwrap();
    assert_eq!(
        from,
        format!(
            "PE optional header: subsystem {}, operating system {}",
            sub, os
        )
    );
    assert_eq!(f["min_os"]["version"].as_str().unwrap(), sub.max(os));
    // A Windows floor of 5.1 (XP): the program asks for a newer one.
    let (code, _, findings) = inspect(&[&exe], &["--manifest-path", &policy()]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&findings),
        ["above-floor", "shipped-not-stable"],
        "{:#?}",
        findings
    );
    assert!(findings[0]["message"]
        .as_str()
        .unwrap()
        .contains("above the windows floor 5.1"));
}

#[test]
fn macos_programs_state_their_oldest_macos() {
    let Some(x86) = artifact(Kind::MacX86) else {
        return;
    };
    let Some(arm) = artifact(Kind::MacArm) else {
        return;
    };
    let (code, files, findings) = inspect(&[&x86, &arm], &[]);
    assert_eq!((code, findings.len()), (0, 0), "{:#?}", findings);
    for (file, path, version, command) in [
        (&files[0], &x86, "10.13", "LC_VERSION_MIN_MACOSX"),
        (&files[1], &arm, "11.0", "LC_BUILD_VERSION"),
    ] {
        assert_eq!(file["format"], "Mach-O");
        assert_eq!(file["min_os"]["os"], "macos");
        assert_eq!(file["min_os"]["version"], version);
        assert_eq!(file["min_os"]["from"], command);
        let Some(headers) = tool(llvm("objdump"), &["--macho", "--private-headers"], path) else {
            return;
        };
        assert!(headers.contains(command), "{}", headers);
        let stated = headers
            .lines()
            .skip_while(|l| !l.contains(command))
            .find_map(|l| {
                l.trim()
                    .strip_prefix("minos ")
                    .or_else(|| l.trim().strip_prefix("version "))
            })
            .map(str::trim);
        assert_eq!(stated, Some(version), "{}", headers);
    }
    assert_eq!(files[0]["target"], "x86_64-apple-darwin");
    assert_eq!(files[1]["target"], "aarch64-apple-darwin");
    for (file, path) in files.iter().zip([&x86, &arm]) {
        let Some(()) = macho_record_as_llvm_reads_it(file, path) else {
            return;
        };
    }
    let Some(()) = universal_slices_carry_their_records(&files, &x86, &arm) else {
        return;
    };
    // A macOS floor of 10.15: the aarch64 program needs 11.0.
    let (code, _, findings) = inspect(&[&x86, &arm], &["--manifest-path", &policy()]);
    assert_eq!(
        (code, codes(&findings)),
        (1, vec!["above-floor"]),
        "{:#?}",
        findings
    );
    assert_eq!(findings[0]["file"], arm.display().to_string());
}

/// An LLVM tool: `llvm-NAME`, or Debian's `llvm-NAME-14`.
fn llvm(name: &str) -> &'static str {
    let (plain, versioned): (&'static str, &'static str) = match name {
        "objdump" => ("llvm-objdump", "llvm-objdump-14"),
        "objcopy" => ("llvm-objcopy", "llvm-objcopy-14"),
        "lipo" => ("llvm-lipo", "llvm-lipo-14"),
        _ => panic!("no LLVM tool {} here", name),
    };
    [plain, versioned]
        .into_iter()
        .find(|p| has(p))
        .unwrap_or(plain)
}

/// The bytes of the Mach-O section that holds the records, as
/// `llvm-objcopy --dump-section` writes them from `path`, a program built
/// for `target`.
fn macho_record_section(path: &Path, target: &str) -> Option<Vec<u8>> {
    let program = llvm("objcopy");
    if !has(program) {
        return missing(&format!("{} is not installed", program));
    }
    let name = format!(
        "{},{}",
        platform_guard::RECORD_MACHO_SEGMENT,
        platform_guard::RECORD_MACHO_SECTION
    );
    let dir = scratch(&format!("macho-section-{}", target));
    let dump = dir.join("section");
    let out = Command::new(program)
        .arg("--dump-section")
        .arg(format!("{}={}", name, dump.display()))
        .arg(path)
        .arg(dir.join("copy"))
        .output()
        .expect("llvm-objcopy runs");
    assert!(
        out.status.success(),
        "{} --dump-section {} {}: {}",
        program,
        name,
        path.display(),
        text(&out.stderr)
    );
    Some(std::fs::read(&dump).expect("the dumped section"))
}

/// A macOS program's record: `inspect` reads it from the program (its
/// target, zero setup's level, the package), and it is the text LLVM finds
/// in the section `__TEXT,__pguard`.
fn macho_record_as_llvm_reads_it(file: &Value, path: &Path) -> Option<()> {
    let target = file["target"].as_str().unwrap();
    assert_eq!(file["target_from"], "its platform-guard record");
    let records = file["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{:#?}", records);
    let record = &records[0];
    assert_eq!(record["target"], target);
    assert_eq!(record["level"], "stable");
    assert_eq!(record["package"], "inspect-app 0.2.0");
    assert_eq!(record["cpu-gate"], "none");
    let bytes = macho_record_section(path, target)?;
    let section = String::from_utf8(bytes).expect("the record is text");
    let mut lines = vec!["platform-guard record 1".to_string()];
    for (key, value) in record.as_object().unwrap() {
        lines.push(format!("{}={}", key, value.as_str().unwrap()));
    }
    let want = format!("{}\n\n", lines.join("\n"));
    // One record, as inspect read it, and nothing else in the section.
    assert_eq!(section, want);
    assert!(section.len() <= 512, "{}", section.len());
    Some(())
}

/// Both programs in one universal file (`llvm-lipo -create`): each slice
/// read at its offset, with the record its thin program has.
fn universal_slices_carry_their_records(thin: &[Value], x86: &Path, arm: &Path) -> Option<()> {
    let program = llvm("lipo");
    if !has(program) {
        return missing(&format!("{} is not installed", program));
    }
    let fat = scratch("inspect-universal").join("inspect-app");
    let out = Command::new(program)
        .arg("-create")
        .args([x86, arm])
        .arg("-output")
        .arg(&fat)
        .output()
        .expect("llvm-lipo runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (code, slices, findings) = inspect(&[&fat], &[]);
    assert_eq!((code, findings.len()), (0, 0), "{:#?}", findings);
    assert_eq!(slices.len(), 2, "{:#?}", slices);
    for (slice, (name, file)) in slices
        .iter()
        .zip([("x86_64", &thin[0]), ("arm64", &thin[1])])
    {
        assert_eq!(slice["slice"], name);
        assert_eq!(slice["target"], file["target"]);
        assert_eq!(slice["target_from"], "its platform-guard record");
        assert_eq!(slice["records"], file["records"]);
    }
    Some(())
}

#[test]
fn a_macho_record_that_cannot_be_read_is_named_by_its_section() {
    let Some(arm) = artifact(Kind::MacArm) else {
        return;
    };
    let mut bytes = std::fs::read(&arm).unwrap();
    let record = b"platform-guard record 1\ntarget=aarch64-apple-darwin\n";
    let at = bytes
        .windows(record.len())
        .position(|w| w == record)
        .expect("the record in the program");
    bytes[at + "platform-guard record ".len()] = b'2';
    let dir = scratch("inspect-macho-future");
    let future = dir.join("future");
    std::fs::write(&future, bytes).unwrap();
    let (_, files, findings) = inspect(&[&future], &[]);
    assert_eq!(files[0]["records"], serde_json::json!([]));
    // Without a record it can read, the headers decide.
    assert_eq!(
        files[0]["target_from"],
        "Mach-O CPU type arm64; LC_BUILD_VERSION platform macos"
    );
    let f = findings
        .iter()
        .find(|f| f["code"] == "unreadable-record")
        .unwrap_or_else(|| panic!("{:#?}", findings));
    assert_eq!(
        f["message"],
        "it has a __TEXT,__pguard section that cannot be read: the __TEXT,__pguard section at \
         byte 0 has a first line that is not `platform-guard record 1` (a format this version cannot \
         read): \"platform-guard record 2\""
    );
    // Cut short before the record: its headers still read, and the section
    // is named with where it should be.
    let original = std::fs::read(&arm).unwrap();
    let cut = dir.join("cut");
    std::fs::write(&cut, &original[..at - 1]).unwrap();
    let (_, files, findings) = inspect(&[&cut], &[]);
    assert_eq!(files[0]["records"], serde_json::json!([]));
    let f = findings
        .iter()
        .find(|f| f["code"] == "unreadable-record")
        .unwrap_or_else(|| panic!("{:#?}", findings));
    let message = f["message"].as_str().unwrap();
    assert!(
        message.starts_with("it has a __TEXT,__pguard section that cannot be read: its ")
            && message.ends_with(&format!(" bytes at offset {} are not in the file", at)),
        "{}",
        message
    );
}

#[test]
fn an_x86_64_floor_names_the_features_beyond_it() {
    let Some(v3) = artifact(Kind::V3) else { return };
    let (code, files, findings) = inspect(&[&v3], &["--manifest-path", &policy()]);
    assert_eq!(code, 1);
    let floor = findings
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("x86-64 floor"))
        })
        .unwrap_or_else(|| panic!("{:#?}", findings));
    assert_eq!(floor["code"], "above-floor");
    let message = floor["message"].as_str().unwrap();
    assert!(message.starts_with("it needs the CPU features avx, avx2, bmi1, bmi2, f16c, fma, lzcnt, movbe, xsave (its record"), "{}", message);
    assert!(message.contains("above the x86-64 floor v2"), "{}", message);
    assert_eq!(files[0]["records"][0]["x86-64-level"], "3");
    let Some(record) = elf_records(&v3) else {
        return;
    };
    assert!(record.contains("\nx86-64-level=3\n"), "{}", record);
}

#[test]
fn text_and_github_formats_say_the_same() {
    let Some(native) = artifact(Kind::Native) else {
        return;
    };
    let dir = scratch("inspect-formats");
    let file = native.display().to_string();
    let run = pg_in(&dir, &["inspect", "--manifest-path", &policy(), &file], &[]).expect(1, "text");
    assert!(
        run.out.contains(&format!(
            "{}: ELF executable, x86_64 64-bit little-endian\n",
            file
        )),
        "{}",
        run.out
    );
    assert!(
        run.out
            .contains("  target: x86_64-unknown-linux-gnu (its platform-guard record): stable"),
        "{}",
        run.out
    );
    assert!(
        run.out
            .contains(&format!("{}: error: it needs GLIBC_", file)),
        "{}",
        run.out
    );
    assert!(run.out.ends_with("1 error, 0 warnings\n"), "{}", run.out);
    let gh = pg_in(
        &dir,
        &[
            "inspect",
            "--format",
            "github",
            "--manifest-path",
            &policy(),
            &file,
        ],
        &[],
    )
    .expect(1, "github");
    assert!(
        gh.out.starts_with(&format!(
            "::error file={},title=platform-guard inspect::it needs GLIBC_",
            file
        )),
        "{}",
        gh.out
    );
    let sarif = pg_in(
        &dir,
        &[
            "inspect",
            "--format",
            "sarif",
            "--manifest-path",
            &policy(),
            &file,
        ],
        &[],
    )
    .expect(1, "sarif");
    let doc: Value = serde_json::from_str(&sarif.out).unwrap();
    assert_eq!(doc["runs"][0]["results"][0]["ruleId"], "above-floor");
}

#[test]
fn bad_files_are_named_never_a_panic() {
    let dir = scratch("inspect-bad");
    std::fs::write(dir.join("empty"), b"").unwrap();
    std::fs::write(dir.join("text"), b"hello, world\n").unwrap();
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(24, 0);
    std::fs::write(dir.join("elf-head"), elf).unwrap();
    std::fs::write(dir.join("pe-head"), b"MZ\x90\x00").unwrap();
    let mut macho = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01".to_vec();
    macho.resize(20, 0);
    std::fs::write(dir.join("macho-head"), macho).unwrap();
    std::fs::create_dir_all(dir.join("a-directory")).unwrap();
    let mut cases = vec![
        ("empty", "it is not an ELF, Mach-O or PE file (it is empty)"),
        (
            "text",
            "it is not an ELF, Mach-O or PE file (it starts with 68 65 6c 6c 6f 2c 20 77)",
        ),
        ("elf-head", "a malformed ELF file: "),
        ("pe-head", "it is not an ELF, Mach-O or PE file"),
        ("macho-head", "a malformed Mach-O file: "),
        (
            "a-directory",
            "it is a directory: expected a program or library (ELF, Mach-O or PE)",
        ),
        ("missing", "No such file or directory"),
    ];
    #[cfg(unix)]
    {
        let fifo = dir.join("a-fifo");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            cases.push((
                "a-fifo",
                "it is a FIFO (named pipe): expected a program or library",
            ));
        }
    }
    for (name, says) in cases {
        let run = pg_in(&dir, &["inspect", "--preset", "default", name], &[]).expect(2, name);
        let want = format!("cannot inspect {}: ", dir.join(name).display());
        assert!(
            run.err.contains(&want) && run.err.contains(says),
            "{}: {}",
            name,
            run.err
        );
    }
}

/// A real program cut short anywhere: an error naming it, or a reading of
/// what is there; never a panic.
#[test]
fn programs_cut_short_are_named_never_a_panic() {
    let dir = scratch("inspect-cut");
    let Some(native) = artifact(Kind::Native) else {
        return;
    };
    let bytes = std::fs::read(&native).unwrap();
    for len in [
        16,
        64,
        65,
        200,
        1000,
        4096,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let cut = dir.join(format!("cut-{}", len));
        std::fs::write(&cut, &bytes[..len]).unwrap();
        let run = pg_in(
            &dir,
            &["inspect", "--preset", "default", &cut.display().to_string()],
            &[],
        );
        assert!(
            matches!(run.code, Some(0..=2)),
            "{}: {:?} {}",
            len,
            run.code,
            run.err
        );
        assert!(!run.err.contains("panicked"), "{}: {}", len, run.err);
        if run.code == Some(2) {
            assert!(run.err.contains(&cut.display().to_string()), "{}", run.err);
        }
    }
}

#[test]
fn inspect_needs_a_file() {
    let run = pg_in(&scratch("inspect-usage"), &["inspect"], &[]).expect(2, "no file");
    assert!(run.err.contains("`inspect` needs FILE..."), "{}", run.err);
}

#[test]
fn pipeline_judges_an_artifacts_directory_the_same_way() {
    let Some(native) = artifact(Kind::Native) else {
        return;
    };
    let repo = scratch("inspect-pipeline");
    std::fs::copy(
        fixture("inspect-policy").join("Cargo.toml"),
        repo.join("Cargo.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(repo.join("dist/linux")).unwrap();
    std::fs::copy(&native, repo.join("dist/linux/app")).unwrap();
    std::fs::write(repo.join("dist/SHA256SUMS"), "0000  linux/app\n").unwrap();
    let run = pg_in(
        &repo,
        &["pipeline", "--artifacts", "dist", "--format", "json"],
        &[],
    )
    .expect(1, "pipeline --artifacts");
    let doc: Value = serde_json::from_str(&run.out).unwrap();
    let part = &doc["parts"][0];
    let artifacts = part["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 1, "the checksum file is skipped");
    assert_eq!(artifacts[0]["file"], "dist/linux/app");
    assert_eq!(artifacts[0]["target"], "x86_64-unknown-linux-gnu");
    let floor: Vec<&Value> = part["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "above-floor")
        .collect();
    assert_eq!(floor.len(), 1, "{:#?}", part["findings"]);
    assert_eq!(floor[0]["file"], "dist/linux/app");
    // What `inspect` says of the same file, word for word.
    let (_, _, alone) = inspect(
        &[&repo.join("dist/linux/app")],
        &["--manifest-path", &policy()],
    );
    assert_eq!(floor[0]["message"], alone[0]["message"]);
    let run = pg_in(&repo, &["pipeline", "--artifacts", "nowhere"], &[]).expect(2, "missing dir");
    assert!(run.err.contains("--artifacts nowhere: "), "{}", run.err);
}

/// `bare` (a program without a record) with a `.note.pguard` section added
/// (`objcopy --add-section`): a record for another target is a mismatch,
/// and each bad note an `unreadable-record` warning naming the byte.
fn added_notes_are_read(bare: &Path, dir: &Path) -> Option<()> {
    let owner = b"platform-guard\0";
    let aarch64 = b"platform-guard record 1\ntarget=aarch64-unknown-linux-musl\nlevel=stable\n\n";
    let good = note(owner, 1, aarch64);
    let mut bad_padding = note(owner, 1, b"platform-guard record 1\ntarget=x\n\n");
    *bad_padding.last_mut().unwrap() = b'!';
    let mut second_other = good.clone();
    second_other.extend_from_slice(&note(b"GNU\0", 1, b"x"));
    let cases: [(&str, Vec<u8>, &str, &str); 7] = [
        ("aarch64", good.clone(), "record-mismatch", "it carries a platform-guard record for aarch64-unknown-linux-musl, but its headers fit x86_64-unknown-linux-musl or x86_64-unknown-linux-gnu"),
        ("future", note(owner, 1, b"platform-guard record 2\ntarget=x\n\n"), "unreadable-record", "it has a .note.pguard section that cannot be read: the .note.pguard section at byte 28 has a first line that is not `platform-guard record 1`"),
        ("owner", second_other, "unreadable-record", "it has a .note.pguard section that cannot be read: the .note.pguard section at byte 112 has a note whose owner is \"GNU\", not \"platform-guard\""),
        ("type", note(owner, 7, aarch64), "unreadable-record", "it has a .note.pguard section that cannot be read: the .note.pguard section at byte 8 has a note of type 7, not 1"),
        ("cut", good[..good.len() - 4].to_vec(), "unreadable-record", "it has a .note.pguard section that cannot be read: the .note.pguard section at byte 0 has a note cut short: it needs 100 bytes and 96 are left"),
        ("header", good[..10].to_vec(), "unreadable-record", "it has a .note.pguard section that cannot be read: the .note.pguard section at byte 0 has a note cut short: it needs 12 bytes and 10 are left"),
        ("padding", bad_padding, "unreadable-record", "it has a .note.pguard section that cannot be read: the .note.pguard section at byte 63 has padding that is not zero: 0x21"),
    ];
    for (name, bytes, code, says) in cases {
        let section = dir.join(format!("{}.note", name));
        std::fs::write(&section, bytes).unwrap();
        let out = dir.join(name);
        let add = format!(".note.pguard={}", section.display());
        objcopy(&["--add-section", &add], bare, &out)?;
        let (_, _, findings) = inspect(&[&out], &[]);
        let f = findings
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("{}: {:#?}", code, findings));
        assert!(
            f["message"].as_str().unwrap().starts_with(says),
            "{}",
            f["message"]
        );
        assert_eq!(f["severity"], "warning");
    }
    Some(())
}

/// The records in an ELF file's `.note.pguard`, as binutils read them:
/// `readelf -n` lists one note of the owner `platform-guard` for each, and
/// `llvm-objcopy --dump-section` (which knows every machine) gives the
/// section's bytes, whose records are returned (the descriptions of the
/// notes, read here on their own).
fn elf_records(file: &Path) -> Option<String> {
    let notes = tool("readelf", &["-n", "-W"], file)?;
    let section = notes
        .split("Displaying notes found in: ")
        .find(|s| s.starts_with(".note.pguard\n"));
    let owners = section.map_or(0, |s| s.matches("\n  platform-guard ").count());
    let name = file.display().to_string().replace('/', "_");
    let dump = scratch(&format!("inspect-note-{}", name)).join("note");
    let program = llvm("objcopy");
    if !has(program) {
        return missing(&format!("{} is not installed", program));
    }
    let out = Command::new(program)
        .arg("--dump-section")
        .arg(format!(".note.pguard={}", dump.display()))
        .arg(file)
        .arg(dump.with_extension("o"))
        .output()
        .expect("llvm-objcopy runs");
    assert!(out.status.success(), "{}: {}", program, text(&out.stderr));
    let bytes = std::fs::read(&dump).unwrap();
    let mut records = String::new();
    let mut at = 0;
    while at + 12 <= bytes.len() {
        let word =
            |i: usize| u32::from_le_bytes(bytes[at + i..at + i + 4].try_into().unwrap()) as usize;
        assert_eq!((word(0), word(8)), (15, 1), "the note at {}", at);
        assert_eq!(&bytes[at + 12..at + 28], b"platform-guard\0\0");
        records.push_str(&text(&bytes[at + 28..at + 28 + word(4)]));
        at += 28 + word(4).next_multiple_of(4);
    }
    assert_eq!(
        (at, records.matches("platform-guard record 1\n").count()),
        (bytes.len(), owners)
    );
    Some(records)
}

/// A `.note.pguard` note: `n_namesz`, `n_descsz`, `n_type` (little-endian),
/// the owner padded to 4 bytes, the text padded to 4 bytes.
fn note(owner: &[u8], kind: u32, desc: &[u8]) -> Vec<u8> {
    let mut note = Vec::new();
    for word in [owner.len() as u32, desc.len() as u32, kind] {
        note.extend_from_slice(&word.to_le_bytes());
    }
    note.extend_from_slice(owner);
    note.resize(note.len().next_multiple_of(4), 0);
    note.extend_from_slice(desc);
    note.resize(note.len().next_multiple_of(4), 0);
    note
}

/// `objcopy` on `from` with `args`, into `to`.
fn objcopy(args: &[&str], from: &Path, to: &Path) -> Option<()> {
    if !has("objcopy") {
        return missing("objcopy is not installed");
    }
    let out = Command::new("objcopy")
        .args(args)
        .arg(from)
        .arg(to)
        .output()
        .expect("objcopy runs");
    assert!(
        out.status.success(),
        "objcopy {:?}: {}",
        args,
        text(&out.stderr)
    );
    Some(())
}

#[test]
fn without_a_record_the_headers_decide_and_say_when_they_cannot() {
    let Some(musl) = artifact(Kind::Musl) else {
        return;
    };
    let dir = scratch("inspect-records");
    let bare = dir.join("bare");
    let Some(()) = objcopy(&["--remove-section", ".note.pguard"], &musl, &bare) else {
        return;
    };
    // Musl or a static glibc: the default policy judges them alike.
    let (code, files, findings) = inspect(&[&bare], &[]);
    assert_eq!((code, findings.len()), (0, 0), "{:#?}", findings);
    assert_eq!(files[0]["target"], "x86_64-unknown-linux-musl");
    assert!(files[0]["target_from"]
        .as_str()
        .unwrap()
        .contains("also fits x86_64-unknown-linux-gnu (judged alike)"));
    // A policy that tells them apart cannot judge it; an x86-64 floor cannot
    // be checked without a record.
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"musl-only\"\nversion = \"0.1.0\"\n\n[package.metadata.platform-guard]\nrules = [\n  { level = \"stable\", cfg = 'all(target_os = \"linux\", target_env = \"musl\")', x86-64 = \"v2\" },\n  { level = \"unstable\", cfg = 'target_os = \"linux\"' },\n]\n\n[workspace]\n",
    )
    .unwrap();
    let musl_only = dir.join("Cargo.toml").display().to_string();
    let (code, _, findings) = inspect(&[&bare], &["--manifest-path", &musl_only]);
    assert_eq!(
        (code, codes(&findings)),
        (0, vec!["ambiguous-artifact"]),
        "{:#?}",
        findings
    );
    assert!(findings[0]["message"].as_str().unwrap().starts_with(
        "it fits x86_64-unknown-linux-musl (stable), x86_64-unknown-linux-gnu (unstable), which the policy judges apart"
    ));
    let (code, _, findings) = inspect(&[&musl], &["--manifest-path", &musl_only]);
    assert_eq!(
        (code, findings.len()),
        (0, 0),
        "with its record: {:#?}",
        findings
    );
    // A record that names another target, and notes that cannot be read.
    let Some(()) = added_notes_are_read(&bare, &dir) else {
        return;
    };
    let (_, _, findings) = inspect(&[&bare], &["--manifest-path", &policy()]);
    let unchecked = findings.iter().find(|f| f["code"] == "unchecked-floor");
    assert!(unchecked.is_some_and(|f| f["message"].as_str().unwrap().starts_with(
        "the x86-64 floor v2 of stable rule 1 `all(target_arch = \"x86_64\", target_os = \"linux\")` cannot be checked on it: it carries no platform-guard record"
    )), "{:#?}", findings);
}
