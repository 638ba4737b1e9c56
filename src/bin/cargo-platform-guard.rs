//! `cargo platform-guard`: see `src/cli/mod.rs`.
// The `cli` feature needs Rust 1.85 (the toml parser; `IsTerminal` needs
// 1.70); the package's rust-version, 1.63, is the core's.
#[clippy::msrv = "1.85"]
#[path = "../cli/mod.rs"]
mod cli;
#[path = "../suggest.rs"]
mod suggest;

fn main() {
    std::process::exit(cli::main(std::env::args_os().skip(1).collect()));
}
