//! Whether a workflow's targets are shipped: today decided per workflow
//! (a release workflow ships every job's targets).

use crate::yaml::{self, Node};

/// A release workflow: triggered by `release` or by pushed tags, or named
/// for releases (its name or file name holds "release").
pub fn is_release(doc: &Node, rel: &str) -> bool {
    let named = doc
        .get("name")
        .and_then(Node::as_str)
        .is_some_and(|n| n.to_ascii_lowercase().contains("release"))
        || rel
            .rsplit('/')
            .next()
            .is_some_and(|f| f.to_ascii_lowercase().contains("release"));
    let on = match doc.get("on") {
        Some(on) => on,
        None => return named,
    };
    let triggered = match &on.kind {
        yaml::Kind::Scalar { value } => value == "release",
        yaml::Kind::Seq(items) => items.iter().any(|i| i.as_str() == Some("release")),
        yaml::Kind::Map(_) => {
            on.get("release").is_some() || on.get("push").is_some_and(|p| p.get("tags").is_some())
        }
    };
    triggered || named
}
