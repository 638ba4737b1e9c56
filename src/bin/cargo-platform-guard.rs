//! `cargo platform-guard`: see `src/cli/mod.rs`.

#[path = "../cli/mod.rs"]
mod cli;

fn main() {
    std::process::exit(cli::main(std::env::args_os().skip(1).collect()));
}
