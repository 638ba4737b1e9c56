// A stand-in for `rustc -vV`: prints the file named by BENCH_FAKE_RUSTC_OUTPUT
// (the real compiler's `-vV` output, captured by ci/bench) and exits. It lets
// a build script's own work be timed without the ~10 ms of the real rustc.
use std::io::Write;

fn main() {
    let path = match std::env::var_os("BENCH_FAKE_RUSTC_OUTPUT") {
        Some(p) => p,
        None => {
            eprintln!("bench-fake-rustc: BENCH_FAKE_RUSTC_OUTPUT is not set");
            std::process::exit(2);
        }
    };
    match std::fs::read(&path) {
        Ok(text) => {
            let _ = std::io::stdout().write_all(&text);
        }
        Err(e) => {
            eprintln!("bench-fake-rustc: cannot read {:?}: {}", path, e);
            std::process::exit(2);
        }
    }
}
