//! The CPU gate: a program built for target features beyond its target's
//! baseline (`-C target-cpu=x86-64-v3`, `-C target-feature=+avx2`, aarch64
//! `+lse`) refuses, with one line naming what the CPU lacks, to run on a CPU
//! without them, instead of dying of SIGILL somewhere in its code.
//!
//! The check cannot be Rust: every crate of the build, this one included, is
//! compiled with the features under test (`is_x86_feature_detected!` folds
//! to `true` for them, and at opt-level 0 a plain 16-byte copy is already a
//! VEX `vmovdqu`). As Go's runtime checks `GOAMD64` in assembly at program
//! entry, the gate is assembly (`asm.rs`, written by platform-guard's build
//! script for the features of its compile, assembled here with
//! `global_asm!`) that uses only the architecture's baseline instructions
//! and runs from `.init_array`, before Rust's runtime and `main`: on x86_64
//! `cpuid` and `xgetbv`, on aarch64 Linux's `AT_HWCAP`/`AT_HWCAP2` from
//! `getauxval`; it writes and exits with raw system calls.
//!
//! `enforce!()` and `check!()` put the gate in `.init_array` from the crate
//! that expands them (so only programs that use the guard carry it): the
//! `enforce` entry exits with status 1 after the line; the `check` entry
//! records what is missing for `check!()` to return as a [`Refusal`], and
//! installs a SIGILL handler that prints the same line, for a program that
//! meets a missing instruction before it has handled the refusal.
//!
//! The gate exists only where the features exceed the baseline on a target
//! it knows (x86_64 and aarch64 Linux with glibc or musl): elsewhere this
//! module is data and `#![forbid(unsafe_code)]` holds for the whole crate.
//! With the gate, the crate is `#![deny(unsafe_code)]` and the private
//! module `gate` alone allows it, for `global_asm!` and the one call into
//! the assembly that reads the recorded features.
//!
//! [`Refusal`]: crate::Refusal

pub(crate) mod table;

#[cfg(test)]
#[allow(dead_code)]
mod asm;

use crate::const_text::{same, Text};
use table::Feature;

/// The target's architecture, as far as the gate's tables go.
pub(crate) const ARCH: &str = if cfg!(target_arch = "x86_64") {
    "x86_64"
} else if cfg!(target_arch = "aarch64") {
    "aarch64"
} else {
    ""
};

/// The target architecture's table (empty where the gate has none).
pub(crate) const TABLE: &[Feature] = match table::table(ARCH) {
    Some(t) => t,
    None => &[],
};

/// The features of [`TABLE`] the gate can test.
pub(crate) const TESTED: u64 = table::tested(TABLE);

/// Whether the gate knows how to run on this target: x86_64 and aarch64
/// Linux with glibc or musl and 64-bit pointers (the build script decides
/// the same from `CARGO_CFG_*`).
pub(crate) const GATE_TARGET: bool = cfg!(all(
    target_os = "linux",
    target_pointer_width = "64",
    any(target_env = "gnu", target_env = "musl"),
    any(target_arch = "x86_64", target_arch = "aarch64")
));

/// Whether this build of platform-guard has the gate: its target features
/// exceed the baseline on a [`GATE_TARGET`].
pub(crate) const GATE: bool = cfg!(platform_guard_cpu_gate);

/// The features of [`TABLE`] this crate's own compile assumes.
pub(crate) const OWN: u64 = mask(&crate::__cpu_seen!());

/// The features of [`TABLE`] a compile assumes, from its
/// `cfg!(target_feature = ...)` values (`__cpu_seen!` in that compile).
#[doc(hidden)]
#[inline]
pub const fn mask(seen: &[(&str, bool)]) -> u64 {
    let mut mask = 0;
    let mut i = 0;
    while i < TABLE.len() {
        let mut j = 0;
        while j < seen.len() {
            if seen[j].1 && same(seen[j].0, TABLE[i].name) {
                mask |= 1 << i;
            }
            j += 1;
        }
        i += 1;
    }
    mask
}

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
            m = m.push(TABLE[i].name);
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

/// The gate itself (see the module's documentation), where this build has
/// one.
#[cfg(platform_guard_cpu_gate)]
#[allow(unsafe_code)]
mod gate {
    // The assembly's three functions (`gate_enforce`, `gate_check`,
    // `gate_missing`, under names unique to this build) and `GATED`.
    include!(concat!(env!("OUT_DIR"), "/cpu_gate.rs"));

    #[cfg(target_arch = "x86_64")]
    core::arch::global_asm!(
        include_str!(concat!(env!("OUT_DIR"), "/cpu_gate.s")),
        options(att_syntax)
    );
    #[cfg(target_arch = "aarch64")]
    core::arch::global_asm!(include_str!(concat!(env!("OUT_DIR"), "/cpu_gate.s")));

    /// The features the gate found missing (0 when it did not run: the
    /// program has no `check!()`).
    #[inline]
    pub(crate) fn missing() -> u64 {
        // SAFETY: `gate_missing` reads the gate's own 8-byte word with one
        // baseline load; it takes nothing and touches nothing else.
        unsafe { gate_missing() }
    }
}

#[cfg(platform_guard_cpu_gate)]
pub use gate::{gate_check, gate_enforce};

// The build script wrote the gate for the features this compile has.
#[cfg(platform_guard_cpu_gate)]
const _: () = if gate::GATED != OWN & TESTED {
    panic!(
        "platform-guard: its build script wrote the CPU gate for other target features than this \
         compile has: a run for other rustflags that Cargo did not repeat (`cargo clean -p \
         platform-guard` and build again)"
    )
};
#[cfg(not(platform_guard_cpu_gate))]
const _: () = if GATE_TARGET && OWN & TESTED != 0 {
    panic!(
        "platform-guard: this compile has target features beyond the baseline, but its build \
         script wrote no CPU gate: a run for other rustflags that Cargo did not repeat (`cargo \
         clean -p platform-guard` and build again)"
    )
};

/// The features the gate found missing: 0 without a gate, or when the CPU
/// has them all.
#[inline]
pub(crate) fn missing() -> u64 {
    #[cfg(platform_guard_cpu_gate)]
    {
        gate::missing()
    }
    #[cfg(not(platform_guard_cpu_gate))]
    {
        0
    }
}

/// What the program was built for and the names of the `missing` features:
/// the parts of a CPU refusal, as the gate's own line words them.
pub(crate) fn lacks(missing: u64) -> (String, Vec<&'static str>) {
    (
        table::built_for(ARCH, OWN & TESTED),
        table::names(ARCH, missing),
    )
}

/// `(name, cfg!(target_feature = name))` for every feature of the target
/// architecture's table, in the compile that expands it.
#[cfg(target_arch = "x86_64")]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_seen {
    () => {
        $crate::__cpu_seen!(@ "adx" "aes" "avx" "avx2" "avx512bf16" "avx512bitalg" "avx512bw"
            "avx512cd" "avx512dq" "avx512f" "avx512fp16" "avx512ifma" "avx512vbmi"
            "avx512vbmi2" "avx512vl" "avx512vnni" "avx512vp2intersect" "avx512vpopcntdq"
            "avxifma" "avxneconvert" "avxvnni" "avxvnniint16" "avxvnniint8" "bmi1" "bmi2"
            "cmpxchg16b" "f16c" "fma" "gfni" "lzcnt" "movbe" "pclmulqdq" "popcnt"
            "rdrand" "rdseed" "sha" "sha512" "sm3" "sm4" "sse3" "sse4.1" "sse4.2" "sse4a"
            "ssse3" "tbm" "vaes" "vpclmulqdq" "xsave" "xsavec" "xsaveopt" "xsaves")
    };
    (@ $($name:literal)*) => {
        [$(($name, ::core::cfg!(target_feature = $name))),*]
    };
}

/// `(name, cfg!(target_feature = name))` for every feature of the target
/// architecture's table, in the compile that expands it.
#[cfg(target_arch = "aarch64")]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_seen {
    () => {
        $crate::__cpu_seen!(@ "aes" "bf16" "bti" "crc" "dit" "dotprod" "dpb" "dpb2" "f32mm"
            "f64mm" "fcma" "fhm" "flagm" "fp16" "frintts" "i8mm" "jsconv" "lor" "lse" "mte"
            "paca" "pacg" "pan" "pmuv3" "rand" "ras" "rcpc" "rcpc2" "rdm" "sb" "sha2"
            "sha3" "sm4" "spe" "ssbs" "sve" "sve2" "sve2-aes" "sve2-bitperm" "sve2-sha3"
            "sve2-sm4" "vh")
    };
    (@ $($name:literal)*) => {
        [$(($name, ::core::cfg!(target_feature = $name))),*]
    };
}

/// Nothing: the gate has no table for this architecture.
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_seen {
    () => {{
        let none: [(&str, bool); 0] = [];
        none
    }};
}

/// The gate's `.init_array` entry for `enforce!()` or `check!()`, in the
/// crate that expands it.
#[cfg(platform_guard_cpu_gate)]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_gate {
    (enforce) => {
        #[used]
        #[link_section = ".init_array"]
        static PLATFORM_GUARD_CPU_GATE: unsafe extern "C" fn() =
            $crate::__private::cpu_gate_enforce;
    };
    (check) => {
        #[used]
        #[link_section = ".init_array"]
        static PLATFORM_GUARD_CPU_GATE: unsafe extern "C" fn() = $crate::__private::cpu_gate_check;
    };
}

/// Nothing: this build has no CPU gate.
#[cfg(not(platform_guard_cpu_gate))]
#[doc(hidden)]
#[macro_export]
macro_rules! __cpu_gate {
    ($mode:ident) => {};
}

#[cfg(test)]
mod tests {
    use super::table::{self, Test, AARCH64, X86_64};
    use super::*;

    #[test]
    fn the_macro_names_every_feature_of_the_table() {
        let seen = crate::__cpu_seen!();
        let names: Vec<&str> = seen.iter().map(|(n, _)| *n).collect();
        let table: Vec<&str> = TABLE.iter().map(|f| f.name).collect();
        assert_eq!(names, table);
        assert_eq!(mask(&seen), OWN);
    }

    #[test]
    fn tables_are_consistent() {
        for t in [&X86_64[..], &AARCH64[..]] {
            assert!(t.len() <= 64);
            for (i, f) in t.iter().enumerate() {
                assert_eq!(table::index(t, f.name), Some(i), "{} twice", f.name);
            }
        }
        for (_, names) in table::X86_64_LEVELS {
            for n in names {
                assert!(table::index(&X86_64, n).is_some(), "{}", n);
            }
        }
        // Features whose state needs XCR0 are the VEX/EVEX ones.
        for f in &X86_64 {
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
                    matches!(state, table::State::Avx | table::State::Avx512),
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
                let name = TABLE[lowest.trailing_zeros() as usize].name;
                assert!(stop.as_str().contains(&format!("is not ({})", name)));
                assert!(stop.as_str().ends_with("not to this crate alone"));
            }
        }
    }

    #[test]
    fn the_gate_is_written_only_for_tested_features_on_known_architectures() {
        assert!(asm::gate("riscv64", 1, "x").is_none());
        assert!(asm::gate("x86_64", 0, "x").is_none());
        let pmuv3 = 1 << table::index(&AARCH64, "pmuv3").unwrap();
        assert!(asm::gate("aarch64", pmuv3, "x").is_none());
        let v3 = x86_mask(&["avx", "avx2", "bmi2"]);
        let gate = asm::gate("x86_64", v3, "00ff").unwrap();
        assert!(gate.rust.contains("pub(crate) const GATED: u64 = 0x"));
        assert!(gate
            .rust
            .contains("#[link_name = \"platform_guard_cpu_00ff_enforce\"]"));
        assert!(gate
            .asm
            .contains(".ascii \"platform-guard: refusing to run on this CPU: the program was built for x86-64+avx+avx2+bmi2, and the CPU lacks \""));
        assert!(gate.asm.contains(".ascii \"bmi2, \""));
        // Format placeholders would be read by `global_asm!`.
        assert!(!gate.asm.contains('{') && !gate.asm.contains('}'));
        let lse = 1 << table::index(&AARCH64, "lse").unwrap();
        let gate = asm::gate("aarch64", lse | pmuv3, "00ff").unwrap();
        assert!(gate.asm.contains("bl getauxval"));
        assert!(!gate.asm.contains("pmuv3"));
        assert!(!gate.asm.contains('{') && !gate.asm.contains('}'));
    }
}
