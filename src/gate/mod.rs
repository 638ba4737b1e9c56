//! The CPU gate, where this build has one (see platform-guard-core's
//! `src/cpu/mod.rs` for what it is and why it is assembly): `<arch>.s`
//! here, written by platform-guard-core's `src/cpu/asm.rs` for every set of
//! features, assembled for the features of this compile, which
//! `__cpu_seen!(asm)` gives it as the flags `.Lpg_r<i>`. It lives in this
//! crate, not in platform-guard-core, because the build script decides
//! whether it is compiled (the `platform_guard_cpu_gate` cfg) and names its
//! symbols after this build of the crate.

use platform_guard_core::__private::{CPU_GATE_TARGET, CPU_OWN, CPU_TESTED};

/// The gate itself.
#[cfg(platform_guard_cpu_gate)]
#[allow(unsafe_code)]
mod asm {
    /// The start of the gate's symbols: unique to this build of the crate
    /// (the build script's FNV-1a of its `OUT_DIR`).
    macro_rules! base {
        () => {
            concat!("platform_guard_cpu_", env!("PLATFORM_GUARD_CPU_ID"), "_")
        };
    }

    extern "C" {
        /// `enforce!()`'s entry in `.init_array`.
        #[link_name = concat!(base!(), "enforce")]
        pub fn gate_enforce();
        /// `check!()`'s entry in `.init_array`.
        #[link_name = concat!(base!(), "check")]
        pub fn gate_check();
        #[link_name = concat!(base!(), "missing")]
        fn gate_missing() -> u64;
    }

    #[cfg(target_arch = "x86_64")]
    core::arch::global_asm!(
        concat!(
            crate::__cpu_seen!(asm),
            include_str!("x86_64.s"),
            "PLATFORM_GUARD_CPU_GATE ",
            base!(),
            "\n"
        ),
        options(att_syntax)
    );
    #[cfg(target_arch = "aarch64")]
    core::arch::global_asm!(concat!(
        crate::__cpu_seen!(asm),
        include_str!("aarch64.s"),
        "PLATFORM_GUARD_CPU_GATE ",
        base!(),
        "\n"
    ));

    /// The features the gate found missing (0 when it did not run: the
    /// program has no `check!()`).
    #[inline]
    pub fn missing() -> u64 {
        // SAFETY: `gate_missing` reads the gate's own 8-byte word with one
        // baseline load; it takes nothing and touches nothing else.
        unsafe { gate_missing() }
    }
}

#[cfg(platform_guard_cpu_gate)]
pub use asm::{gate_check, gate_enforce};

// The build script turned the gate on exactly where this compile's target
// features exceed the baseline: a run for other rustflags that Cargo did not
// repeat would disagree.
#[cfg(platform_guard_cpu_gate)]
const _: () = if !CPU_GATE_TARGET || CPU_OWN & CPU_TESTED == 0 {
    panic!(
        "platform-guard: its build script turned the CPU gate on, but this compile has no target \
         features beyond the baseline: a run for other rustflags that Cargo did not repeat \
         (`cargo clean -p platform-guard` and build again)"
    )
};
#[cfg(not(platform_guard_cpu_gate))]
const _: () = if CPU_GATE_TARGET && CPU_OWN & CPU_TESTED != 0 {
    panic!(
        "platform-guard: this compile has target features beyond the baseline, but its build \
         script did not turn the CPU gate on: a run for other rustflags that Cargo did not repeat \
         (`cargo clean -p platform-guard` and build again)"
    )
};

/// The features the gate found missing: 0 without a gate, or when the CPU
/// has them all.
#[inline]
pub fn missing() -> u64 {
    #[cfg(platform_guard_cpu_gate)]
    {
        asm::missing()
    }
    #[cfg(not(platform_guard_cpu_gate))]
    {
        0
    }
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

// The gate is assembled for this crate's target features, and the macros
// compare a program's with platform-guard-core's (`cpu::agrees`): the two
// crates must be compiled with the same ones, as a whole build's
// `RUSTFLAGS` gives them (`cargo rustc -p platform-guard -- -C
// target-feature=...` gives them to this crate alone).
const _: () = if crate::__cpu_seen!(mask) != CPU_OWN {
    panic!(
        "platform-guard: it is compiled with other target features than platform-guard-core, so \
         its CPU gate would not test what the program assumes: give the target features to the \
         whole build (RUSTFLAGS, or rustflags in .cargo/config.toml), not to one crate"
    )
};
