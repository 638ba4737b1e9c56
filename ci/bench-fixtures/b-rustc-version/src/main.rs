cfg_if::cfg_if! {
    if #[cfg(unix)] {
        const KIND: &str = "unix";
    } else {
        const KIND: &str = "other";
    }
}

fn main() {
    println!("hello from {}", KIND);
}
