//! The CPU features of the CPU (or qemu model) it runs on, as Rust's
//! standard library detects them at run time: one `name yes|no` line each.
//! ci/check-cpu builds it for the architecture's baseline and takes it as
//! the independent answer to "should this program run here?".

#[cfg(target_arch = "x86_64")]
macro_rules! show {
    ($($name:tt)*) => {
        $(println!("{} {}", $name, if std::is_x86_feature_detected!($name) { "yes" } else { "no" });)*
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! show {
    ($($name:tt)*) => {
        $(println!("{} {}", $name, if std::arch::is_aarch64_feature_detected!($name) { "yes" } else { "no" });)*
    };
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    show!("avx" "avx2" "avx512bw" "avx512cd" "avx512dq" "avx512f" "avx512vl" "bmi1" "bmi2"
        "cmpxchg16b" "f16c" "fma" "lzcnt" "movbe" "popcnt" "sse3" "sse4.1" "sse4.2" "ssse3"
        "xsave");
    #[cfg(target_arch = "aarch64")]
    show!("lse" "sve");
}
