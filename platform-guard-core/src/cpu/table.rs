//! The CPU features the gate knows, per architecture, and the x86-64
//! microarchitecture levels: names only (how each is tested is in
//! `asm.rs`, which writes the gate's assembly).
//!
//! Std-only data: platform-guard's own build script includes this file
//! (`#[path]`) to see whether the compile's target features exceed the
//! baseline, and the crate uses it to name features (the refusal, the
//! record) and to see which features a compile assumes. A feature's bit in a
//! mask is its index in its architecture's table. Plain names and literal
//! masks: every compile that expands the macros evaluates what they use.

/// x86_64: every feature stable Rust reports in `cfg(target_feature)`
/// beyond the baseline (`fxsr`, `sse`, `sse2`), all tested with `cpuid`
/// (`asm.rs` has the bits `std_detect` reads for each); except Key Locker's
/// `kl` and `widekl`, whose names Rust 1.85 does not know
/// (`cfg!(target_feature = "kl")` in the macros would warn there).
pub(crate) const X86_64: [&str; 51] = [
    "adx",
    "aes",
    "avx",
    "avx2",
    "avx512bf16",
    "avx512bitalg",
    "avx512bw",
    "avx512cd",
    "avx512dq",
    "avx512f",
    "avx512fp16",
    "avx512ifma",
    "avx512vbmi",
    "avx512vbmi2",
    "avx512vl",
    "avx512vnni",
    "avx512vp2intersect",
    "avx512vpopcntdq",
    "avxifma",
    "avxneconvert",
    "avxvnni",
    "avxvnniint16",
    "avxvnniint8",
    "bmi1",
    "bmi2",
    "cmpxchg16b",
    "f16c",
    "fma",
    "gfni",
    "lzcnt",
    "movbe",
    "pclmulqdq",
    "popcnt",
    "rdrand",
    "rdseed",
    "sha",
    "sha512",
    "sm3",
    "sm4",
    "sse3",
    "sse4.1",
    "sse4.2",
    "sse4a",
    "ssse3",
    "tbm",
    "vaes",
    "vpclmulqdq",
    "xsave",
    "xsavec",
    "xsaveopt",
    "xsaves",
];

/// aarch64: every feature stable Rust reports in `cfg(target_feature)`
/// beyond the baseline (`neon`, with `fp`), tested with Linux's hardware
/// capabilities as `std_detect` reads them, except [`AARCH64_UNTESTED`].
pub(crate) const AARCH64: [&str; 42] = [
    "aes",
    "bf16",
    "bti",
    "crc",
    "dit",
    "dotprod",
    "dpb",
    "dpb2",
    "f32mm",
    "f64mm",
    "fcma",
    "fhm",
    "flagm",
    "fp16",
    "frintts",
    "i8mm",
    "jsconv",
    "lor",
    "lse",
    "mte",
    "paca",
    "pacg",
    "pan",
    "pmuv3",
    "rand",
    "ras",
    "rcpc",
    "rcpc2",
    "rdm",
    "sb",
    "sha2",
    "sha3",
    "sm4",
    "spe",
    "ssbs",
    "sve",
    "sve2",
    "sve2-aes",
    "sve2-bitperm",
    "sve2-sha3",
    "sve2-sm4",
    "vh",
];

/// The features of [`AARCH64`] with nothing to test: they add no
/// instruction a program runs at user level (`lor`, `pan`, `pmuv3`, `ras`,
/// `spe`, `vh`).
pub(crate) const AARCH64_UNTESTED: u64 = 0x20202c20000;

/// The x86-64 microarchitecture levels above the baseline (`x86-64`), each
/// with the features it adds to the one before (as LLVM and rustc define
/// `-C target-cpu=x86-64-vN`, among the features stable Rust reports): their
/// names, and their mask over [`X86_64`] (a test keeps the two equal;
/// literal, so that no compile evaluates the names).
pub(crate) const X86_64_LEVELS: [(&str, &[&str], u64); 3] = [
    (
        "x86-64-v2",
        &["cmpxchg16b", "popcnt", "sse3", "sse4.1", "sse4.2", "ssse3"],
        0xb8102000000,
    ),
    (
        "x86-64-v3",
        &[
            "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave",
        ],
        0x80006d80000c,
    ),
    (
        "x86-64-v4",
        &["avx512bw", "avx512cd", "avx512dq", "avx512f", "avx512vl"],
        0x43c0,
    ),
];

/// The table for an architecture (`target_arch`), if the gate knows it.
#[inline]
pub(crate) const fn table(arch: &str) -> Option<&'static [&'static str]> {
    if same(arch, "x86_64") {
        Some(&X86_64)
    } else if same(arch, "aarch64") {
        Some(&AARCH64)
    } else {
        None
    }
}

/// Where `name` is in `table`.
#[cfg_attr(not(test), allow(dead_code))] // the build script's
#[inline]
pub(crate) const fn index(table: &[&str], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < table.len() {
        if same(table[i], name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The features of `arch`'s table that have a test.
#[inline]
pub(crate) const fn tested(arch: &str) -> u64 {
    if same(arch, "x86_64") {
        (1 << X86_64.len()) - 1
    } else if same(arch, "aarch64") {
        ((1 << AARCH64.len()) - 1) & !AARCH64_UNTESTED
    } else {
        0
    }
}

/// The x86-64 level `mask` (over [`X86_64`]) reaches: 1 for the baseline,
/// up to 4; and the mask of the features that level includes.
#[inline]
pub(crate) const fn x86_64_level(mask: u64) -> (usize, u64) {
    let mut level = 1;
    let mut covered = 0;
    while level <= X86_64_LEVELS.len() {
        let need = X86_64_LEVELS[level - 1].2;
        if mask & need != need {
            break;
        }
        covered |= need;
        level += 1;
    }
    (level, covered)
}

/// The start of the one line a CPU refusal prints, up to what the program
/// was built for.
pub(crate) const REFUSAL_START: &str =
    "platform-guard: refusing to run on this CPU: the program was built for ";

/// Between what the program was built for and the missing features.
pub(crate) const REFUSAL_MIDDLE: &str = ", and the CPU lacks ";

/// What a program whose compile assumes `mask` (over `arch`'s table) was
/// built for: `x86-64-v3`, `x86-64-v2+aes+pclmulqdq`, `aarch64+lse+sve`.
#[inline]
pub(crate) fn built_for(arch: &str, mask: u64) -> String {
    let features = table(arch).unwrap_or(&[]);
    let (mut text, covered) = if same(arch, "x86_64") {
        let (level, covered) = x86_64_level(mask);
        let name = if level == 1 {
            "x86-64"
        } else {
            X86_64_LEVELS[level - 2].0
        };
        (name.to_string(), covered)
    } else {
        (arch.to_string(), 0)
    };
    // Plain loops here and below: the crate compiles these for every
    // program that can refuse, and iterator adapters cost compile time.
    let mut i = 0;
    while i < features.len() {
        if mask & !covered & (1 << i) != 0 {
            text.push('+');
            text.push_str(features[i]);
        }
        i += 1;
    }
    text
}

/// The names of the features in `mask`, in table order.
#[inline]
pub(crate) fn names(arch: &str, mask: u64) -> Vec<&'static str> {
    let features = table(arch).unwrap_or(&[]);
    let mut names = Vec::new();
    let mut i = 0;
    while i < features.len() {
        if mask & (1 << i) != 0 {
            names.push(features[i]);
        }
        i += 1;
    }
    names
}

#[inline]
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
