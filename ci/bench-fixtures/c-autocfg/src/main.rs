#![allow(unexpected_cfgs)]

fn main() {
    #[cfg(rustc_1_80)]
    println!("hello from rustc 1.80+");
    #[cfg(not(rustc_1_80))]
    println!("hello from an older rustc");
}
