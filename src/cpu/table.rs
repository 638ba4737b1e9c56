//! The CPU features the gate knows: how each is tested on the CPU, per
//! architecture, and the x86-64 microarchitecture levels.
//!
//! Std-only data: platform-guard's own build script includes this file
//! (`#[path]`) to write the gate's assembly for the target features of the
//! compile, and the crate uses it to name features (the refusal, the record)
//! and to see which features a compile assumes. A feature's bit in a mask is
//! its index in its architecture's table.

/// How a feature is tested. (Derives only in tests: the build script
/// includes this file, and every derived trait costs its compile time.)
#[cfg_attr(test, derive(Debug, Clone, Copy, PartialEq, Eq))]
// Read by `asm.rs`, which writes the gate's assembly (in the crate's tests).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) enum Test {
    /// x86: every bit of `bits` set in register `reg` of `cpuid` leaf
    /// `leaf`, subleaf `sub` (all zero beyond the CPU's highest leaf), and
    /// the [`State`] the operating system must have enabled.
    Cpuid {
        leaf: u32,
        sub: u32,
        reg: Reg,
        bits: u32,
        state: State,
    },
    /// aarch64 Linux: every bit of `bits` set in `getauxval(AT_HWCAP)`
    /// (`word` 1) or `getauxval(AT_HWCAP2)` (`word` 2).
    Hwcap { word: u8, bits: u64 },
    /// Nothing to test: the feature adds no instruction a program runs at
    /// user level (aarch64 system features such as `pan` or `vh`).
    Nothing,
}

/// A `cpuid` output register.
#[cfg_attr(test, derive(Debug, Clone, Copy, PartialEq, Eq))]
pub(crate) enum Reg {
    Eax,
    Ebx,
    Ecx,
    Edx,
}

/// What else an x86 feature needs besides its `cpuid` bits, as Rust's own
/// run-time detection (`std_detect`) decides it.
#[cfg_attr(test, derive(Debug, Clone, Copy, PartialEq, Eq))]
pub(crate) enum State {
    None,
    /// The operating system saves AVX state: `OSXSAVE` and `XCR0` bits 1
    /// and 2.
    Avx,
    /// ... and AVX-512 state: also `XCR0` bits 5 to 7.
    Avx512,
    /// BMI1/BMI2 are trusted unless the CPU is Intel's and AVX is unusable
    /// (erratum SKL052: some Pentium and Celeron chips report BMI they do
    /// not have).
    Bmi,
}

impl State {
    /// The gate's flag bits that must all be set (see the assembly).
    // Used by the build script's `asm.rs` (and the crate's tests of it).
    #[cfg_attr(not(test), allow(dead_code))]
    #[inline]
    pub(crate) const fn flags(self) -> u32 {
        match self {
            State::None => 0,
            State::Avx => 1,
            State::Avx512 => 3,
            State::Bmi => 4,
        }
    }
}

/// One feature: its name as `-C target-feature` and `cfg(target_feature)`
/// spell it, and its test.
#[cfg_attr(test, derive(Debug, Clone, Copy))]
pub(crate) struct Feature {
    pub(crate) name: &'static str,
    pub(crate) test: Test,
}

#[inline]
const fn x86(name: &'static str, leaf: u32, sub: u32, reg: Reg, bit: u32, state: State) -> Feature {
    Feature {
        name,
        test: Test::Cpuid {
            leaf,
            sub,
            reg,
            bits: 1 << bit,
            state,
        },
    }
}

#[inline]
const fn hwcap(name: &'static str, word: u8, bits: u64) -> Feature {
    Feature {
        name,
        test: Test::Hwcap { word, bits },
    }
}

#[inline]
const fn nothing(name: &'static str) -> Feature {
    Feature {
        name,
        test: Test::Nothing,
    }
}

use Reg::{Eax, Ebx, Ecx, Edx};
use State::{Avx, Avx512, Bmi};

/// x86_64: every feature stable Rust reports in `cfg(target_feature)`
/// beyond the baseline (`fxsr`, `sse`, `sse2`), with the `cpuid` bits
/// `std_detect` reads for it; except Key Locker's `kl` and `widekl`, whose
/// names Rust 1.85 does not know (`cfg!(target_feature = "kl")` in the
/// macros would warn there).
pub(crate) const X86_64: [Feature; 51] = [
    x86("adx", 7, 0, Ebx, 19, State::None),
    x86("aes", 1, 0, Ecx, 25, State::None),
    x86("avx", 1, 0, Ecx, 28, Avx),
    x86("avx2", 7, 0, Ebx, 5, Avx),
    x86("avx512bf16", 7, 1, Eax, 5, Avx512),
    x86("avx512bitalg", 7, 0, Ecx, 12, Avx512),
    x86("avx512bw", 7, 0, Ebx, 30, Avx512),
    x86("avx512cd", 7, 0, Ebx, 28, Avx512),
    x86("avx512dq", 7, 0, Ebx, 17, Avx512),
    x86("avx512f", 7, 0, Ebx, 16, Avx512),
    x86("avx512fp16", 7, 0, Edx, 23, Avx512),
    x86("avx512ifma", 7, 0, Ebx, 21, Avx512),
    x86("avx512vbmi", 7, 0, Ecx, 1, Avx512),
    x86("avx512vbmi2", 7, 0, Ecx, 6, Avx512),
    x86("avx512vl", 7, 0, Ebx, 31, Avx512),
    x86("avx512vnni", 7, 0, Ecx, 11, Avx512),
    x86("avx512vp2intersect", 7, 0, Edx, 8, Avx512),
    x86("avx512vpopcntdq", 7, 0, Ecx, 14, Avx512),
    x86("avxifma", 7, 1, Eax, 23, Avx),
    x86("avxneconvert", 7, 1, Edx, 5, Avx),
    x86("avxvnni", 7, 1, Eax, 4, Avx),
    x86("avxvnniint16", 7, 1, Edx, 10, Avx),
    x86("avxvnniint8", 7, 1, Edx, 4, Avx),
    x86("bmi1", 7, 0, Ebx, 3, Bmi),
    x86("bmi2", 7, 0, Ebx, 8, Bmi),
    x86("cmpxchg16b", 1, 0, Ecx, 13, State::None),
    x86("f16c", 1, 0, Ecx, 29, Avx),
    x86("fma", 1, 0, Ecx, 12, Avx),
    x86("gfni", 7, 0, Ecx, 8, State::None),
    x86("lzcnt", 0x8000_0001, 0, Ecx, 5, State::None),
    x86("movbe", 1, 0, Ecx, 22, State::None),
    x86("pclmulqdq", 1, 0, Ecx, 1, State::None),
    x86("popcnt", 1, 0, Ecx, 23, State::None),
    x86("rdrand", 1, 0, Ecx, 30, State::None),
    x86("rdseed", 7, 0, Ebx, 18, State::None),
    x86("sha", 7, 0, Ebx, 29, State::None),
    x86("sha512", 7, 1, Eax, 0, Avx),
    x86("sm3", 7, 1, Eax, 1, Avx),
    x86("sm4", 7, 1, Eax, 2, Avx),
    x86("sse3", 1, 0, Ecx, 0, State::None),
    x86("sse4.1", 1, 0, Ecx, 19, State::None),
    x86("sse4.2", 1, 0, Ecx, 20, State::None),
    x86("sse4a", 0x8000_0001, 0, Ecx, 6, State::None),
    x86("ssse3", 1, 0, Ecx, 9, State::None),
    x86("tbm", 0x8000_0001, 0, Ecx, 21, State::None),
    x86("vaes", 7, 0, Ecx, 9, Avx),
    x86("vpclmulqdq", 7, 0, Ecx, 10, Avx),
    x86("xsave", 1, 0, Ecx, 26, Avx),
    x86("xsavec", 0xd, 1, Eax, 1, Avx),
    x86("xsaveopt", 0xd, 1, Eax, 0, Avx),
    x86("xsaves", 0xd, 1, Eax, 3, Avx),
];

/// Linux's `HWCAP_*` bits for aarch64 (`arch/arm64/include/uapi/asm/hwcap.h`).
#[inline]
const fn cap(bit: u32) -> u64 {
    1 << bit
}

/// aarch64: every feature stable Rust reports in `cfg(target_feature)`
/// beyond the baseline (`neon`, with `fp`), with the Linux hardware
/// capabilities `std_detect` reads for it.
pub(crate) const AARCH64: [Feature; 42] = [
    hwcap("aes", 1, cap(3) | cap(4)),
    hwcap("bf16", 2, cap(14)),
    hwcap("bti", 2, cap(17)),
    hwcap("crc", 1, cap(7)),
    hwcap("dit", 1, cap(24)),
    hwcap("dotprod", 1, cap(20)),
    hwcap("dpb", 1, cap(16)),
    hwcap("dpb2", 2, cap(0)),
    hwcap("f32mm", 2, cap(10)),
    hwcap("f64mm", 2, cap(11)),
    hwcap("fcma", 1, cap(14)),
    hwcap("fhm", 1, cap(23)),
    hwcap("flagm", 1, cap(27)),
    hwcap("fp16", 1, cap(9) | cap(10)),
    hwcap("frintts", 2, cap(8)),
    hwcap("i8mm", 2, cap(13)),
    hwcap("jsconv", 1, cap(13)),
    nothing("lor"),
    hwcap("lse", 1, cap(8)),
    hwcap("mte", 2, cap(18)),
    hwcap("paca", 1, cap(30)),
    hwcap("pacg", 1, cap(31)),
    nothing("pan"),
    nothing("pmuv3"),
    hwcap("rand", 2, cap(16)),
    nothing("ras"),
    hwcap("rcpc", 1, cap(15)),
    hwcap("rcpc2", 1, cap(26)),
    hwcap("rdm", 1, cap(12)),
    hwcap("sb", 1, cap(29)),
    hwcap("sha2", 1, cap(5) | cap(6)),
    hwcap("sha3", 1, cap(17) | cap(21)),
    hwcap("sm4", 1, cap(18) | cap(19)),
    nothing("spe"),
    hwcap("ssbs", 1, cap(28)),
    hwcap("sve", 1, cap(22)),
    hwcap("sve2", 2, cap(1)),
    hwcap("sve2-aes", 2, cap(2) | cap(3)),
    hwcap("sve2-bitperm", 2, cap(4)),
    hwcap("sve2-sha3", 2, cap(5)),
    hwcap("sve2-sm4", 2, cap(6)),
    nothing("vh"),
];

/// The x86-64 microarchitecture levels above the baseline (`x86-64`), each
/// with the features it adds to the one before (as LLVM and rustc define
/// `-C target-cpu=x86-64-vN`, among the features stable Rust reports).
pub(crate) const X86_64_LEVELS: [(&str, &[&str]); 3] = [
    (
        "x86-64-v2",
        &["cmpxchg16b", "popcnt", "sse3", "sse4.1", "sse4.2", "ssse3"],
    ),
    (
        "x86-64-v3",
        &[
            "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave",
        ],
    ),
    (
        "x86-64-v4",
        &["avx512bw", "avx512cd", "avx512dq", "avx512f", "avx512vl"],
    ),
];

/// The table for an architecture (`target_arch`), if the gate knows it.
#[inline]
pub(crate) const fn table(arch: &str) -> Option<&'static [Feature]> {
    if same(arch, "x86_64") {
        Some(&X86_64)
    } else if same(arch, "aarch64") {
        Some(&AARCH64)
    } else {
        None
    }
}

/// Where `name` is in `table`.
#[inline]
pub(crate) const fn index(table: &[Feature], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < table.len() {
        if same(table[i].name, name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The features of `table` that have a test.
#[inline]
pub(crate) const fn tested(table: &[Feature]) -> u64 {
    let mut mask = 0;
    let mut i = 0;
    while i < table.len() {
        if !matches!(table[i].test, Test::Nothing) {
            mask |= 1 << i;
        }
        i += 1;
    }
    mask
}

/// The x86-64 level `mask` (over [`X86_64`]) reaches: 1 for the baseline,
/// up to 4; and the mask of the features that level includes.
#[inline]
pub(crate) const fn x86_64_level(mask: u64) -> (usize, u64) {
    let mut level = 1;
    let mut covered = 0;
    while level <= X86_64_LEVELS.len() {
        let names = X86_64_LEVELS[level - 1].1;
        let mut need = 0u64;
        let mut i = 0;
        while i < names.len() {
            if let Some(at) = index(&X86_64, names[i]) {
                need |= 1 << at;
            }
            i += 1;
        }
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
    for (i, f) in features.iter().enumerate() {
        if mask & !covered & (1 << i) != 0 {
            text.push('+');
            text.push_str(f.name);
        }
    }
    text
}

/// The names of the features in `mask`, in table order.
#[inline]
pub(crate) fn names(arch: &str, mask: u64) -> Vec<&'static str> {
    table(arch)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, f)| f.name)
        .collect()
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
