//! The command line (placeholder while it is written).
use std::ffi::OsString;

pub fn main(_args: Vec<OsString>) -> i32 {
    2
}
