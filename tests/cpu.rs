//! The CPU gate and the record, end to end: tests/fixtures/cpu-gate built
//! with `-C target-cpu=x86-64-v2`/`-v3` (and aarch64 `+lse`), run under
//! qemu-user with CPU models below and at that level, and its binaries
//! read back with binutils (`objdump`, `nm`, `objcopy`).
//!
//! Runs on an x86_64 Linux host with `qemu-x86_64` and binutils; the
//! aarch64 case also needs `qemu-aarch64`, `aarch64-linux-gnu-gcc` and the
//! aarch64-unknown-linux-gnu standard library. What is missing is named on
//! stderr and the case skipped (`.ci/run` and ci/check-cpu install it all;
//! ci/check-cpu covers every opt-level and level).

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use common::{cargo_in, rustc, scrub, text};

const HOST: &str = "x86_64-unknown-linux-gnu";
const AARCH64: &str = "aarch64-unknown-linux-gnu";
const VAR: &str = "CPU_GATE_UNSUPPORTED_ARCH";

/// Whether `program` runs (`--version`).
fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .map_or(false, |o| o.status.success())
}

/// Whether this machine can run the x86_64 cases; names what is missing.
fn x86_64_ready(case: &str) -> bool {
    let (triple, _) = common::host();
    let missing: Vec<&str> = ["qemu-x86_64", "objdump", "nm", "objcopy"]
        .into_iter()
        .filter(|p| !have(p))
        .collect();
    if triple != HOST || !missing.is_empty() {
        eprintln!(
            "cpu: {}: skipped: needs an {} host with qemu-x86_64 and binutils (host {}, \
             missing {:?})",
            case, HOST, triple, missing
        );
        return false;
    }
    true
}

/// The fixture built for `target` with `rustflags`, in release or debug,
/// once per test binary: its output directory.
fn built(target: &str, rustflags: &str, release: bool) -> PathBuf {
    static BUILT: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let key = format!("{} {} {}", target, rustflags, release);
    let mut done = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, dir)) = done.iter().find(|(k, _)| *k == key) {
        return dir.clone();
    }
    let name: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cpu-{}", name));
    let mut args = vec!["build", "--quiet", "--target", target];
    if release {
        args.push("--release");
    }
    let linker = "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER";
    let out = cargo_in(
        &dir,
        "cpu-gate",
        &args,
        &[("RUSTFLAGS", rustflags), (linker, "aarch64-linux-gnu-gcc")],
    );
    assert!(
        out.status.success(),
        "building cpu-gate with RUSTFLAGS={:?} failed:\n{}",
        rustflags,
        text(&out.stderr)
    );
    let bin = dir
        .join(target)
        .join(if release { "release" } else { "debug" });
    done.push((key, bin.clone()));
    bin
}

/// `program` under `qemu` with CPU model `cpu`, the guard's variables
/// removed; qemu's own warnings about the model are left out of stderr.
fn under(qemu: &str, cpu: &str, program: &Path) -> (Output, String) {
    let mut cmd = Command::new(qemu);
    cmd.args(["-cpu", cpu]).arg(program);
    let out = scrub(&mut cmd, &[VAR]).output().expect("qemu runs");
    let stderr: String = text(&out.stderr)
        .lines()
        .filter(|l| !l.contains("TCG doesn't support requested feature"))
        .map(|l| format!("{}\n", l))
        .collect();
    (out, stderr)
}

fn readme() -> String {
    std::fs::read_to_string(common::repo().join("README.md")).expect("README.md")
}

/// The line the gate prints.
fn refusal(built_for: &str, lacks: &str) -> String {
    format!(
        "platform-guard: refusing to run on this CPU: the program was built for {}, and the CPU \
         lacks {}\n",
        built_for, lacks
    )
}

const V3_LACKS_ON_NEHALEM: &str = "avx, avx2, bmi1, bmi2, f16c, fma, lzcnt, movbe, xsave";

#[test]
fn a_v3_program_refuses_on_an_older_cpu_with_one_line_and_runs_on_its_own() {
    if !x86_64_ready("v3 under qemu") {
        return;
    }
    let bin = built(HOST, "-C target-cpu=x86-64-v3", true);
    let line = refusal("x86-64-v3", V3_LACKS_ON_NEHALEM);

    let (out, stderr) = under("qemu-x86_64", "Nehalem", &bin.join("cpu-gate"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr);
    assert_eq!(stderr, line);
    assert_eq!(text(&out.stdout), "");

    assert!(
        readme().contains(&format!("```text\n{}```", line)),
        "README"
    );

    let (out, stderr) = under("qemu-x86_64", "Haswell", &bin.join("cpu-gate"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr);
    assert!(
        text(&out.stdout).starts_with("ran: "),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(stderr, "");

    // check!(): the program meets a VEX instruction before it can handle
    // the refusal (an optimised v3 build moves the verdict with vmovups),
    // and the gate's SIGILL handler prints the same line.
    let (out, stderr) = under("qemu-x86_64", "Nehalem", &bin.join("cpu-gate-check"));
    match out.status.code() {
        Some(1) => assert_eq!(stderr, line),
        Some(3) => assert_eq!(
            text(&out.stdout).lines().next(),
            Some(&*format!("handled: {}", line.trim_end()))
        ),
        _ => panic!("cpu-gate-check on Nehalem: {:?}\n{}", out.status, stderr),
    }
    let (out, _) = under("qemu-x86_64", "Haswell", &bin.join("cpu-gate-check"));
    assert_eq!(out.status.code(), Some(0));

    // The same work without the guard dies of SIGILL.
    let (out, _) = under("qemu-x86_64", "Nehalem", &bin.join("cpu-gate-bare"));
    assert_eq!(out.status.signal(), Some(4), "{:?}", out.status);
}

#[test]
fn a_cpu_refusal_exits_1_with_stderr_closed_or_a_broken_pipe() {
    if !x86_64_ready("stderr closed") {
        return;
    }
    let bin = built(HOST, "-C target-cpu=x86-64-v3", true).join("cpu-gate");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("qemu-x86_64 -cpu Nehalem \"$0\" 2>&-; echo \"status $?\"")
        .arg(&bin);
    let out = scrub(&mut cmd, &[VAR]).output().expect("sh runs");
    assert_eq!(text(&out.stdout), "status 1\n");
    // The reading end closed before the gate writes: EPIPE, not SIGPIPE.
    let mut cmd = Command::new("qemu-x86_64");
    cmd.args(["-cpu", "Nehalem"])
        .arg(&bin)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = scrub(&mut cmd, &[VAR]).spawn().expect("qemu runs");
    drop(child.stderr.take());
    let status = child.wait().expect("qemu ends");
    assert_eq!(status.code(), Some(1), "{:?}", status);
}

#[test]
fn check_returns_the_cpu_refusal_to_a_program_that_can_handle_it() {
    if !x86_64_ready("check!() under qemu") {
        return;
    }
    // A v2 build's extra instructions (SSE4, POPCNT) are rare in optimised
    // code, so the program gets as far as handling the refusal. (Not in a
    // debug build: its pointer checks, `is_aligned_to`, use popcnt; the
    // gate's SIGILL handler prints the line then.)
    let bin = built(HOST, "-C target-cpu=x86-64-v2", true);
    let (out, stderr) = under("qemu-x86_64", "Conroe", &bin.join("cpu-gate"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr);
    let line = stderr.trim_end().to_string();
    assert!(line.starts_with(&refusal("x86-64-v2", "")[..refusal("x86-64-v2", "").len() - 1]));
    let lacks: Vec<&str> = line.rsplit("lacks ").next().unwrap().split(", ").collect();
    assert!(
        lacks.contains(&"popcnt") && lacks.contains(&"sse4.2"),
        "{}",
        line
    );

    let (out, stderr) = under("qemu-x86_64", "Conroe", &bin.join("cpu-gate-check"));
    assert_eq!(out.status.code(), Some(3), "{}", stderr);
    assert_eq!(
        text(&out.stdout),
        format!("handled: {}\nmissing: {}\n", line, lacks.join(","))
    );
    assert_eq!(stderr, "");

    let (out, _) = under("qemu-x86_64", "Nehalem", &bin.join("cpu-gate-check"));
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("ran: "));
}

/// The instructions of `<crate>::main` in `binary`.
fn main_of(binary: &Path, krate: &str) -> Vec<String> {
    let nm = Command::new("nm").arg(binary).output().expect("nm runs");
    let prefix = format!("_ZN{}{}4main17h", krate.len(), krate);
    let symbol = text(&nm.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .find(|s| s.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {}::main in {}", krate, binary.display()))
        .to_string();
    let dis = Command::new("objdump")
        .args(["-d", "--no-show-raw-insn"])
        .arg(format!("--disassemble={}", symbol))
        .arg(binary)
        .output()
        .expect("objdump runs");
    text(&dis.stdout)
        .lines()
        .skip_while(|l| !l.ends_with(">:"))
        .skip(1)
        .filter_map(|l| {
            l.split_once(":\t")
                .map(|(_, i)| i.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

/// Symbols of `binary` that contain `part`.
fn symbols(binary: &Path, part: &str) -> Vec<String> {
    let nm = Command::new("nm").arg(binary).output().expect("nm runs");
    text(&nm.stdout)
        .lines()
        .filter(|l| l.contains(part))
        .map(String::from)
        .collect()
}

#[test]
fn main_stays_a_bare_ret_and_only_a_build_beyond_the_baseline_has_the_gate() {
    if !x86_64_ready("main's instructions") {
        return;
    }
    let baseline = built(HOST, "", true);
    let v3 = built(HOST, "-C target-cpu=x86-64-v3", true);
    for bin in [&baseline, &v3] {
        assert_eq!(
            main_of(&bin.join("cpu-gate-only"), "cpu_gate_only"),
            ["ret"],
            "{}",
            bin.display()
        );
    }
    assert_eq!(
        symbols(&baseline.join("cpu-gate"), "platform_guard_cpu_"),
        Vec::<String>::new()
    );
    let gate = symbols(&v3.join("cpu-gate"), "platform_guard_cpu_");
    assert!(gate.iter().any(|s| s.ends_with("_enforce")), "{:?}", gate);
    // Only programs that use the guard carry it.
    assert_eq!(
        symbols(&v3.join("cpu-gate-bare"), "platform_guard_cpu_"),
        Vec::<String>::new()
    );
}

/// The bytes of section `name` of `binary`, if it has one.
fn section(binary: &Path, name: &str) -> Option<Vec<u8>> {
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cpu-section-{}-{}",
        std::process::id(),
        binary.to_string_lossy().replace('/', "_")
    ));
    let out = Command::new("objcopy")
        .arg(format!("--dump-section={}={}", name, file.display()))
        .arg(binary)
        .arg(file.with_extension("o"))
        .output()
        .expect("objcopy runs");
    let bytes = std::fs::read(&file).ok();
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(file.with_extension("o"));
    if !out.status.success() {
        return None;
    }
    bytes
}

/// The records in the notes of a `.note.pguard` section (little-endian),
/// read here on their own: each note is `n_namesz` 15, `n_descsz`, `n_type`
/// 1, `platform-guard` with its NUL padded to 16 bytes, and the record
/// padded with zero bytes to 4.
fn notes(bytes: &[u8]) -> Vec<String> {
    let mut records = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let word = |i: usize| u32::from_le_bytes(bytes[at + i..at + i + 4].try_into().unwrap());
        assert_eq!((word(0), word(8)), (15, 1), "note at {}", at);
        assert_eq!(
            &bytes[at + 12..at + 28],
            b"platform-guard\0\0",
            "note at {}",
            at
        );
        let len = word(4) as usize;
        let end = at + 28 + (len + 3) / 4 * 4;
        assert!(end - at <= 512, "note at {}: {} bytes", at, end - at);
        assert!(
            bytes[at + 28 + len..end].iter().all(|&b| b == 0),
            "note at {}",
            at
        );
        records.push(text(&bytes[at + 28..at + 28 + len]));
        at = end;
    }
    records
}

/// The owners `readelf -n` lists in `.note.pguard`, as an independent
/// reader of the notes.
fn readelf_owners(binary: &Path) -> Vec<String> {
    let out = Command::new("readelf")
        .args(["-n", "-W"])
        .arg(binary)
        .output()
        .expect("readelf runs");
    let all = text(&out.stdout);
    let Some(start) = all.find("Displaying notes found in: .note.pguard") else {
        return Vec::new();
    };
    all[start..]
        .lines()
        .skip(2)
        .take_while(|l| !l.is_empty() && !l.starts_with("Displaying"))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "description")
        .map(str::to_string)
        .collect()
}

fn record(lines: &[&str]) -> String {
    let mut r = String::from("platform-guard record 1\n");
    for l in lines {
        r.push_str(l);
        r.push('\n');
    }
    r.push('\n');
    r
}

#[test]
fn the_record_says_what_the_program_was_built_for() {
    if !x86_64_ready("the record") {
        return;
    }
    let guard = format!("guard={}", env!("CARGO_PKG_VERSION"));
    let v3 = built(HOST, "-C target-cpu=x86-64-v3", true);
    let bytes = section(&v3.join("cpu-gate"), ".note.pguard").expect("a .note.pguard section");
    let records = notes(&bytes);
    assert_eq!(records.len(), 1, "{:?}", records);
    assert_eq!(
        records[0],
        record(&[
            "target=x86_64-unknown-linux-gnu",
            "level=stable",
            "override-var=CPU_GATE_UNSUPPORTED_ARCH",
            "override-value=x86_64",
            "features=avx,avx2,bmi1,bmi2,cmpxchg16b,f16c,fma,lzcnt,movbe,popcnt,sse3,sse4.1,\
             sse4.2,ssse3,xsave",
            "x86-64-level=3",
            "cpu-gate=enforce",
            "package=cpu-gate 0.3.1",
            &guard,
        ])
    );
    // The README shows it and its sizes: the text, and the whole note.
    assert_eq!((records[0].len(), bytes.len()), (296, 324));
    assert_eq!(readelf_owners(&v3.join("cpu-gate")), ["platform-guard"]);
    assert!(
        readme().contains(&format!("```text\n{}```", records[0])),
        "README"
    );
    let bytes = section(&v3.join("cpu-gate-check"), ".note.pguard").expect("a .note.pguard");
    let records = notes(&bytes);
    assert!(records[0].contains("\ncpu-gate=check\n"), "{:?}", records);
    // A program without the guard has no record.
    assert_eq!(section(&v3.join("cpu-gate-bare"), ".note.pguard"), None);
    assert!(readelf_owners(&v3.join("cpu-gate-bare")).is_empty());

    let baseline = built(HOST, "", true);
    let bytes = section(&baseline.join("cpu-gate"), ".note.pguard").expect("a .note.pguard");
    let records = notes(&bytes);
    assert_eq!(
        records,
        [record(&[
            "target=x86_64-unknown-linux-gnu",
            "level=stable",
            "override-var=CPU_GATE_UNSUPPORTED_ARCH",
            "override-value=x86_64",
            "features=",
            "x86-64-level=1",
            "cpu-gate=none",
            "package=cpu-gate 0.3.1",
            &guard,
        ])]
    );
    assert_eq!((records[0].len(), bytes.len()), (205, 236));

    // A verdict from the crate's own build script, one note per macro
    // call (refuse calls enforce!() and check!()), one after the other.
    let refuse = common::build_bin("refuse");
    let bytes = section(&refuse, ".note.pguard").expect("a .note.pguard section");
    let records = notes(&bytes);
    assert_eq!(records.len(), 2, "{:?}", records);
    assert_eq!(
        readelf_owners(&refuse),
        ["platform-guard", "platform-guard"]
    );
    for (r, mode) in records.iter().zip(["enforce", "check"]) {
        assert!(r.starts_with("platform-guard record 1\ntarget=x86_64-unknown-linux-gnu\nlevel=unsupported\noverride-var=REFUSE_UNSUPPORTED_ARCH\noverride-value=x86_64\n"), "{}", r);
        assert!(r.contains("\ncpu-gate=none\n"), "{} {}", mode, r);
        assert!(
            r.ends_with(&format!("package=refuse 0.1.0\n{}\n\n", guard)),
            "{}",
            r
        );
    }
}

#[test]
fn an_lse_program_refuses_on_a_cortex_a53_and_runs_on_a_neoverse_n1() {
    let sysroot = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    let std = PathBuf::from(text(&sysroot.stdout).trim())
        .join("lib/rustlib")
        .join(AARCH64);
    let missing: Vec<&str> = ["qemu-aarch64", "aarch64-linux-gnu-gcc"]
        .into_iter()
        .filter(|p| !have(p))
        .collect();
    if !std.is_dir() || !missing.is_empty() {
        eprintln!(
            "cpu: aarch64 under qemu: skipped: needs the {} standard library ({}) and {:?}",
            AARCH64,
            std.display(),
            missing
        );
        return;
    }
    // Static: a dynamically linked aarch64 program needs the aarch64
    // loader and libraries under qemu.
    let bin = built(AARCH64, "-C target-feature=+lse,+crt-static", false);
    let (out, stderr) = under("qemu-aarch64", "cortex-a53", &bin.join("cpu-gate"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr);
    assert_eq!(stderr, refusal("aarch64+lse", "lse"));
    let (out, stderr) = under("qemu-aarch64", "cortex-a53", &bin.join("cpu-gate-check"));
    assert_eq!(out.status.code(), Some(3), "{}", stderr);
    assert_eq!(
        text(&out.stdout),
        format!("handled: {}missing: lse\n", refusal("aarch64+lse", "lse"))
    );
    let (out, stderr) = under("qemu-aarch64", "neoverse-n1", &bin.join("cpu-gate"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr);
    assert!(text(&out.stdout).starts_with("ran: "));
}

/// platform-guard compiled with target features that platform-guard-core
/// is not (`cargo rustc` gives flags to one crate only) stops the build with
/// one message: its gate would be assembled for other features than the
/// ones the macros compare a program's with. (The other way round cannot
/// last: `cargo rustc -p platform-guard-core` builds the core alone, and
/// the next build of the program rebuilds it with the build's flags.)
#[test]
fn target_features_for_platform_guard_alone_stop_its_build() {
    if common::host().0 != HOST {
        eprintln!("cpu: one crate's features: skipped: needs an {} host", HOST);
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cpu-one-crate");
    let args = ["rustc", "-p", "platform-guard", "--lib", "--", "-C"];
    let avx2 = cargo_in(
        &dir,
        "cpu-gate",
        &[&args[..], &["target-feature=+avx2"]].concat(),
        &[],
    );
    let stderr = text(&avx2.stderr);
    assert!(!avx2.status.success(), "{}", stderr);
    assert!(
        stderr.contains(
            "platform-guard: it is compiled with other target features than platform-guard-core"
        ),
        "{}",
        stderr
    );
    // The same command without the extra feature builds: the stop is the
    // features' doing.
    let plain = cargo_in(
        &dir,
        "cpu-gate",
        &["rustc", "-p", "platform-guard", "--lib"],
        &[],
    );
    assert!(plain.status.success(), "{}", text(&plain.stderr));
}
