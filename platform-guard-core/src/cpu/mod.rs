//! The CPU gate: a program built for target features beyond its target's
//! baseline (`-C target-cpu=x86-64-v3`, `-C target-feature=+avx2`, aarch64
//! `+lse`) refuses, with one line naming what the CPU lacks, to run on a CPU
//! without them, instead of dying of SIGILL somewhere in its code.
//!
//! The check cannot be Rust: every crate of the build, this one included, is
//! compiled with the features under test (`is_x86_feature_detected!` folds
//! to `true` for them, and at opt-level 0 a plain 16-byte copy is already a
//! VEX `vmovdqu`). As Go's runtime checks `GOAMD64` in assembly at program
//! entry, the gate is assembly that uses only the architecture's baseline
//! instructions and runs from `.init_array`, before Rust's runtime and
//! `main`: platform-guard's `src/gate/<arch>.s` (written by `asm.rs` for
//! every set of features, each test between `.if .Lpg_r<i>` and `.endif`),
//! assembled there with `global_asm!` after the flags `__cpu_seen!(asm)`
//! takes from that compile's `cfg(target_feature)`, so it tests exactly the
//! features of the compile; on x86_64 `cpuid` and `xgetbv`, on aarch64
//! Linux's `AT_HWCAP`/`AT_HWCAP2` from `getauxval`; it writes and exits with
//! raw system calls.
//!
//! `enforce!()` and `check!()` put the gate in `.init_array` from the crate
//! that expands them (so only programs that use the guard carry it): the
//! `enforce` entry exits with status 1 after the line; the `check` entry
//! records what is missing for `check!()` to return as a [`Refusal`], and
//! installs a SIGILL handler that prints the same line, for a program that
//! meets a missing instruction before it has handled the refusal.
//!
//! The gate is compiled only where the features exceed the baseline on a
//! target it knows (x86_64 and aarch64 Linux with glibc or musl; the build
//! script sets platform-guard's `platform_guard_cpu_gate` cfg then). This
//! module, in a crate without a build script, is the names and masks: the
//! tables, what a compile assumes, and the words of a refusal.
//!
//! [`Refusal`]: crate::Refusal

pub(crate) mod table;

#[cfg(test)]
#[allow(dead_code)]
mod asm;

use crate::const_text::{same, Text};

/// The target's architecture, as far as the gate's tables go.
pub(crate) const ARCH: &str = if cfg!(target_arch = "x86_64") {
    "x86_64"
} else if cfg!(target_arch = "aarch64") {
    "aarch64"
} else {
    ""
};

/// The target architecture's table (empty where the gate has none).
pub(crate) const TABLE: &[&str] = match table::table(ARCH) {
    Some(t) => t,
    None => &[],
};

/// The features of `TABLE` the gate can test.
pub const TESTED: u64 = table::tested(ARCH);

/// Whether the gate knows how to run on this target: x86_64 and aarch64
/// Linux with glibc or musl and 64-bit pointers (the build script decides
/// the same from `CARGO_CFG_*`).
pub const GATE_TARGET: bool = cfg!(all(
    target_os = "linux",
    target_pointer_width = "64",
    any(target_env = "gnu", target_env = "musl"),
    any(target_arch = "x86_64", target_arch = "aarch64")
));

/// The features of `TABLE` this compile assumes.
pub const OWN: u64 = crate::__cpu_seen!(mask);

/// A compile that expands the macros with features this crate was not
/// compiled with (`cargo rustc -- -C target-feature=...` gives them to one
/// crate only) would carry a gate that does not test them: the message that
/// stops that compile.
#[inline]
pub(crate) const fn agrees(features: u64) -> Result<(), Text> {
    let extra = features & !OWN & TESTED;
    if !GATE_TARGET || extra == 0 {
        return Ok(());
    }
    let mut m = Text::new().push(
        "platform-guard: this crate is compiled with target features that platform-guard itself \
         is not (",
    );
    let mut i = 0;
    let mut first = true;
    while i < TABLE.len() {
        if extra & (1 << i) != 0 {
            if !first {
                m = m.push(", ");
            }
            m = m.push(TABLE[i]);
            first = false;
        }
        i += 1;
    }
    Err(m.push(
        "), so its CPU gate would not test them: give the target features to the whole build \
         (RUSTFLAGS, or rustflags in .cargo/config.toml), not to this crate alone",
    ))
}

/// The x86-64 level a mask over [`TABLE`] reaches (1 to 4), or 0 on another
/// architecture.
#[inline]
pub(crate) const fn x86_64_level(features: u64) -> usize {
    if same(ARCH, "x86_64") {
        table::x86_64_level(features).0
    } else {
        0
    }
}

/// What the program was built for and the names of the `missing` features:
/// the parts of a CPU refusal, as the gate's own line words them.
#[inline]
pub(crate) fn lacks(missing: u64) -> (String, Vec<&'static str>) {
    (
        table::built_for(ARCH, OWN & TESTED),
        table::names(ARCH, missing),
    )
}

/// The features of the target architecture's table (entry i as `i "name"`),
/// as the compile that expands it sees them: `mask` (bit i set where
/// `cfg!(target_feature = name)`), `names`, `indices`, or `asm` (the flags
/// `.Lpg_r<i>` the gate's assembly reads).
#[cfg(target_arch = "x86_64")]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_seen {
    ($how:ident) => {
        $crate::__cpu_features!($how;
            0 "adx" 1 "aes" 2 "avx" 3 "avx2" 4 "avx512bf16" 5 "avx512bitalg" 6 "avx512bw"
            7 "avx512cd" 8 "avx512dq" 9 "avx512f" 10 "avx512fp16" 11 "avx512ifma"
            12 "avx512vbmi" 13 "avx512vbmi2" 14 "avx512vl" 15 "avx512vnni"
            16 "avx512vp2intersect" 17 "avx512vpopcntdq" 18 "avxifma" 19 "avxneconvert"
            20 "avxvnni" 21 "avxvnniint16" 22 "avxvnniint8" 23 "bmi1" 24 "bmi2" 25 "cmpxchg16b"
            26 "f16c" 27 "fma" 28 "gfni" 29 "lzcnt" 30 "movbe" 31 "pclmulqdq" 32 "popcnt"
            33 "rdrand" 34 "rdseed" 35 "sha" 36 "sha512" 37 "sm3" 38 "sm4" 39 "sse3" 40 "sse4.1"
            41 "sse4.2" 42 "sse4a" 43 "ssse3" 44 "tbm" 45 "vaes" 46 "vpclmulqdq" 47 "xsave"
            48 "xsavec" 49 "xsaveopt" 50 "xsaves")
    };
}

/// The features of the target architecture's table (entry i as `i "name"`),
/// as the compile that expands it sees them: `mask` (bit i set where
/// `cfg!(target_feature = name)`), `names`, `indices`, or `asm` (the flags
/// `.Lpg_r<i>` the gate's assembly reads).
#[cfg(target_arch = "aarch64")]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_seen {
    ($how:ident) => {
        $crate::__cpu_features!($how;
            0 "aes" 1 "bf16" 2 "bti" 3 "crc" 4 "dit" 5 "dotprod" 6 "dpb" 7 "dpb2" 8 "f32mm"
            9 "f64mm" 10 "fcma" 11 "fhm" 12 "flagm" 13 "fp16" 14 "frintts" 15 "i8mm" 16 "jsconv"
            17 "lor" 18 "lse" 19 "mte" 20 "paca" 21 "pacg" 22 "pan" 23 "pmuv3" 24 "rand"
            25 "ras" 26 "rcpc" 27 "rcpc2" 28 "rdm" 29 "sb" 30 "sha2" 31 "sha3" 32 "sm4" 33 "spe"
            34 "ssbs" 35 "sve" 36 "sve2" 37 "sve2-aes" 38 "sve2-bitperm" 39 "sve2-sha3"
            40 "sve2-sm4" 41 "vh")
    };
}

/// Nothing: the gate has no table for this architecture.
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_seen {
    ($how:ident) => {
        $crate::__cpu_features!($how;)
    };
}

/// What `__cpu_seen!` gives, from the list of `index "name"` pairs.
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_features {
    (mask; $($i:literal $name:literal)*) => {
        0u64 $(| ((::core::cfg!(target_feature = $name) as u64) << $i))*
    };
    (names; $($i:literal $name:literal)*) => {{
        let names: &[&str] = &[$($name),*];
        names
    }};
    (indices; $($i:literal $name:literal)*) => {{
        let indices: &[usize] = &[$($i),*];
        indices
    }};
    (asm; $($i:literal $name:literal)*) => {
        ::core::concat!(
            ".set .Lpg_true, 1\n.set .Lpg_false, 0\n",
            $(".set .Lpg_r", $i, ", .Lpg_", ::core::cfg!(target_feature = $name), "\n",)*
        )
    };
}

#[cfg(test)]
mod tests {
    use super::asm::{State, Test};
    use super::table::{self, AARCH64, X86_64};
    use super::*;

    #[test]
    fn the_macro_names_every_feature_of_the_table() {
        let names = crate::__cpu_seen!(names);
        assert_eq!(names, TABLE);
        let indices: Vec<usize> = (0..TABLE.len()).collect();
        assert_eq!(crate::__cpu_seen!(indices), indices);
        // The mask is this compile's `cfg!(target_feature)`, bit by bit.
        let own = |i: usize| OWN >> i & 1 == 1;
        let has = |name: &str| own(table::index(TABLE, name).unwrap());
        if ARCH == "x86_64" {
            assert_eq!(has("sse3"), cfg!(target_feature = "sse3"));
            assert_eq!(has("avx2"), cfg!(target_feature = "avx2"));
            assert_eq!(has("xsaves"), cfg!(target_feature = "xsaves"));
        } else if ARCH == "aarch64" {
            assert_eq!(has("lse"), cfg!(target_feature = "lse"));
            assert_eq!(has("vh"), cfg!(target_feature = "vh"));
        }
    }

    #[test]
    fn tables_are_consistent() {
        for t in [&X86_64[..], &AARCH64[..]] {
            assert!(t.len() <= 64);
            for (i, name) in t.iter().enumerate() {
                assert_eq!(table::index(t, name), Some(i), "{} twice", name);
            }
        }
        for (_, names, mask) in table::X86_64_LEVELS {
            assert_eq!(x86_mask(names), mask, "{:?}", names);
        }
        // The tests `asm.rs` writes are the table's features, in order;
        // those without one are the ones the table says are untested.
        for arch in ["x86_64", "aarch64"] {
            let features = asm::features(arch).unwrap();
            let names: Vec<&str> = features.iter().map(|f| f.name).collect();
            assert_eq!(names, table::table(arch).unwrap(), "{}", arch);
            let tested = features
                .iter()
                .enumerate()
                .filter(|(_, f)| f.test != Test::Nothing)
                .fold(0u64, |m, (i, _)| m | 1 << i);
            assert_eq!(tested, table::tested(arch), "{}", arch);
        }
        // Features whose state needs XCR0 are the VEX/EVEX ones.
        for f in &asm::X86_64 {
            if let Test::Cpuid { state, .. } = f.test {
                let vex = f.name.starts_with("avx")
                    || [
                        "fma",
                        "f16c",
                        "xsave",
                        "vaes",
                        "vpclmulqdq",
                        "sha512",
                        "sm3",
                        "sm4",
                    ]
                    .contains(&f.name)
                    || f.name.starts_with("xsave");
                assert_eq!(
                    vex,
                    matches!(state, State::Avx | State::Avx512),
                    "{}",
                    f.name
                );
            }
        }
    }

    fn x86_mask(names: &[&str]) -> u64 {
        names
            .iter()
            .map(|n| 1u64 << table::index(&X86_64, n).unwrap())
            .sum()
    }

    #[test]
    fn x86_64_levels_and_what_a_build_was_built_for() {
        let v2 = ["cmpxchg16b", "popcnt", "sse3", "sse4.1", "sse4.2", "ssse3"];
        let v3 = [
            "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave",
        ];
        assert_eq!(table::built_for("x86_64", 0), "x86-64");
        assert_eq!(table::built_for("x86_64", x86_mask(&v2)), "x86-64-v2");
        let mut all = v2.to_vec();
        all.extend(v3);
        assert_eq!(table::built_for("x86_64", x86_mask(&all)), "x86-64-v3");
        assert_eq!(table::x86_64_level(x86_mask(&all)).0, 3);
        all.push("aes");
        all.push("pclmulqdq");
        assert_eq!(
            table::built_for("x86_64", x86_mask(&all)),
            "x86-64-v3+aes+pclmulqdq"
        );
        assert_eq!(
            table::built_for("x86_64", x86_mask(&["avx", "avx2"])),
            "x86-64+avx+avx2"
        );
        let lse = 1 << table::index(&AARCH64, "lse").unwrap();
        let sve = 1 << table::index(&AARCH64, "sve").unwrap();
        assert_eq!(table::built_for("aarch64", lse | sve), "aarch64+lse+sve");
        assert_eq!(table::names("aarch64", sve), ["sve"]);
    }

    #[test]
    fn a_crate_with_more_features_than_platform_guard_is_stopped_where_a_gate_runs() {
        assert!(agrees(OWN).is_ok());
        assert!(agrees(0).is_ok());
        let extra = TESTED & !OWN;
        let lowest = extra & extra.wrapping_neg();
        match agrees(OWN | lowest) {
            Ok(()) => assert!(!GATE_TARGET || lowest == 0),
            Err(stop) => {
                let name = TABLE[lowest.trailing_zeros() as usize];
                assert!(stop.as_str().contains(&format!("is not ({})", name)));
                assert!(stop.as_str().ends_with("not to this crate alone"));
            }
        }
    }

    /// `gate_<arch>.s` as `asm.rs` writes it.
    fn gate_file(arch: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../src/gate")
            .join(format!("{}.s", arch))
    }

    #[test]
    fn the_crate_s_gate_assembly_is_what_asm_rs_writes() {
        assert!(asm::parametric("riscv64").is_none());
        for arch in ["x86_64", "aarch64"] {
            let text = asm::parametric(arch).unwrap();
            let file = std::fs::read_to_string(gate_file(arch)).unwrap();
            assert!(
                file == text,
                "platform-guard's src/gate/{}.s is not what src/cpu/asm.rs writes: run `cargo test --lib \
                 write_the_gate_assembly -- --ignored`",
                arch
            );
            // Format placeholders would be read by `global_asm!`.
            assert!(!text.contains('{') && !text.contains('}'));
        }
        let aarch64 = asm::parametric("aarch64").unwrap();
        assert!(aarch64.contains("bl getauxval"));
        // Features without a test (pmuv3) have no flag in it.
        let pmuv3 = table::index(&AARCH64, "pmuv3").unwrap();
        assert!(!aarch64.contains(&format!(".Lpg_r{} ", pmuv3)));
        assert!(!aarch64.contains(&format!(".Lpg_r{}\n", pmuv3)));
        let x86 = asm::parametric("x86_64").unwrap();
        assert!(x86.contains(&format!(
            ".ascii \"{}\"\n.if .Lpg_v4\n.ascii \"x86-64-v4\"",
            table::REFUSAL_START
        )));
        assert!(x86.contains(".Lpg_name_24: .ascii \"bmi2, \""));
    }

    /// Writes `gate_<arch>.s` from `asm.rs` (after a change to either).
    #[test]
    #[ignore]
    fn write_the_gate_assembly() {
        for arch in ["x86_64", "aarch64"] {
            std::fs::write(gate_file(arch), asm::parametric(arch).unwrap()).unwrap();
        }
    }
}
