// A policy under which every hosted target is unsupported (only bare metal
// is stable), so enforce!() takes the refusal path on the bench machine.
fn main() {
    platform_guard::Policy::new("BENCH_UNSUPPORTED_ARCH")
        .stable(r#"target_os = "none""#)
        .build();
}
