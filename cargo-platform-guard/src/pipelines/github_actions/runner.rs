//! A job's runner (`runs-on`): the host a GitHub-hosted runner label
//! stands for, which is what a compile that names no target builds for.

use super::expr::substitute;
use super::job::JobReader;
use super::matrix::Combo;
use crate::yaml::{self, Node};

/// The host of a GitHub-hosted runner label.
pub fn host(label: &str) -> Option<&'static str> {
    let l = label.trim();
    Some(match l {
        _ if l.starts_with("ubuntu-") && l.ends_with("-arm") => "aarch64-unknown-linux-gnu",
        _ if l.starts_with("ubuntu-") => "x86_64-unknown-linux-gnu",
        "macos-13" | "macos-13-large" | "macos-14-large" | "macos-15-large" | "macos-15-intel" => {
            "x86_64-apple-darwin"
        }
        _ if l.starts_with("macos-") => "aarch64-apple-darwin",
        "windows-11-arm" => "aarch64-pc-windows-msvc",
        _ if l.starts_with("windows-") => "x86_64-pc-windows-msvc",
        _ => return None,
    })
}

/// The runner's host, pushed to the job for each combination of `each`
/// that names no target (`named`, by index); a runner whose host is not
/// known makes the job opaque, once per reason.
pub fn hosts(r: &mut JobReader<'_>, runs_on: Option<&Node>, each: &[Combo], named: &[bool]) {
    let Some(node) = runs_on else { return };
    for (i, c) in each.iter().enumerate() {
        if named.get(i).copied().unwrap_or(false) {
            continue;
        }
        let labels = labels(node, c);
        // The line of the value the label came from, else runs-on's.
        let line = c
            .iter()
            .find(|(_, v, _)| labels.contains(v))
            .map_or(node.line, |(_, _, l)| *l);
        match labels.iter().find_map(|l| host(l)) {
            Some(h) => r.push(h, line, &format!("runner {}", labels.join(", "))),
            None => {
                let why = format!(
                    "no target is named and the runner ({}) is not a GitHub-hosted one whose \
                     host is known",
                    labels.join(", ")
                );
                if !r.job.opaque.iter().any(|(_, w)| *w == why) {
                    r.job.opaque.push((line, why));
                }
            }
        }
    }
}

/// `runs-on`'s labels in one combination: a label, a list of labels, or a
/// mapping's `labels` (a group's are not evaluated).
fn labels(node: &Node, c: &Combo) -> Vec<String> {
    match &node.kind {
        yaml::Kind::Scalar { value } => vec![substitute(value, c)],
        yaml::Kind::Seq(items) => items
            .iter()
            .filter_map(Node::as_str)
            .map(|s| substitute(s, c))
            .collect(),
        yaml::Kind::Map(_) => node
            .get("labels")
            .map(|l| match l.as_str() {
                Some(s) => vec![s.to_string()],
                None => l
                    .items()
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_string)
                    .collect(),
            })
            .unwrap_or_default(),
    }
}
