//! A YAML document as a tree whose every node knows its line, built from
//! `yaml-rust2`'s events (a maintained YAML 1.2 parser). Scalars stay text
//! (a workflow's `on:` is the key "on", not `true`). Aliases are expanded
//! within a budget of nodes, and nesting is bounded, so a hostile file is an
//! error, never a hang or a stack overflow.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Nodes a document may expand to (aliases included).
const MAX_NODES: usize = 1_000_000;
/// Nesting depth a document may have.
const MAX_DEPTH: usize = 256;

/// One node and the line (from 1) where it starts.
#[derive(Debug, Clone)]
pub struct Node {
    pub line: usize,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A scalar's text; `plain` when it was written without quotes or a
    /// block indicator (a plain `true` is a boolean, `'true'` a string).
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar's text.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A mapping's entries (empty for other nodes).
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A sequence's items (empty for other nodes).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The line of the scalar's first line of text (for a `|` or `>`
    /// scalar the parser marks the line after the indicator).
    pub fn text_line(&self) -> usize {
        self.line
    }
}

enum Open {
    Seq(usize, Vec<Node>, usize),
    Map(usize, Vec<(Node, Node)>, Option<Node>, usize),
}

struct Builder {
    stack: Vec<Open>,
    anchors: Vec<(usize, Node)>,
    done: Option<Node>,
    nodes: usize,
    error: Option<(usize, String)>,
}

impl Builder {
    fn fail(&mut self, line: usize, why: String) {
        if self.error.is_none() {
            self.error = Some((line, why));
        }
    }

    fn push(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if self.done.is_none() {
                    self.done = Some(node);
                }
            }
            Some(Open::Seq(_, items, _)) => items.push(node),
            Some(Open::Map(_, entries, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }

    fn count(&mut self, n: usize, line: usize) -> bool {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            self.fail(
                line,
                format!(
                    "more than {} nodes (aliases expanded): expected a workflow of ordinary size",
                    MAX_NODES
                ),
            );
            return false;
        }
        true
    }
}

fn size(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar { .. } => 1,
        NodeKind::Seq(items) => 1 + items.iter().map(size).sum::<usize>(),
        NodeKind::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| size(k) + size(v))
                .sum::<usize>()
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        match ev {
            Event::Scalar(value, style, anchor, _) if self.count(1, line) => {
                let plain = style == TScalarStyle::Plain;
                self.push(
                    Node {
                        line,
                        kind: NodeKind::Scalar { value, plain },
                    },
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return self.fail(line, format!("nested deeper than {} levels", MAX_DEPTH));
                }
                if self.count(1, line) {
                    self.stack.push(Open::Seq(line, Vec::new(), anchor));
                }
            }
            Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return self.fail(line, format!("nested deeper than {} levels", MAX_DEPTH));
                }
                if self.count(1, line) {
                    self.stack.push(Open::Map(line, Vec::new(), None, anchor));
                }
            }
            Event::SequenceEnd => {
                if let Some(Open::Seq(l, items, anchor)) = self.stack.pop() {
                    self.push(
                        Node {
                            line: l,
                            kind: NodeKind::Seq(items),
                        },
                        anchor,
                    );
                }
            }
            Event::MappingEnd => {
                if let Some(Open::Map(l, entries, _, anchor)) = self.stack.pop() {
                    self.push(
                        Node {
                            line: l,
                            kind: NodeKind::Map(entries),
                        },
                        anchor,
                    );
                }
            }
            Event::Alias(id) => {
                let found = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone());
                match found {
                    Some(node) => {
                        if self.count(size(&node), line) {
                            self.push(node, 0);
                        }
                    }
                    None => self.fail(line, "an alias to an unknown anchor".to_string()),
                }
            }
            _ => {}
        }
    }
}

/// Parses the first document of `text`; `Err((line, column, why))` when it
/// is not YAML. An empty file is an empty mapping.
pub fn parse(text: &str) -> Result<Node, (usize, usize, String)> {
    let mut b = Builder {
        stack: Vec::new(),
        anchors: Vec::new(),
        done: None,
        nodes: 0,
        error: None,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, false) {
        return Err((e.marker().line(), e.marker().col(), e.info().to_string()));
    }
    if let Some((line, why)) = b.error {
        return Err((line, 1, why));
    }
    Ok(b.done.unwrap_or(Node {
        line: 1,
        kind: NodeKind::Map(Vec::new()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_their_lines() {
        let doc =
            parse("on: push\njobs:\n  a:\n    steps:\n      - run: |\n          cargo test\n")
                .unwrap();
        assert_eq!(doc.get("on").and_then(Node::as_str), Some("push"));
        let run = &doc
            .get("jobs")
            .unwrap()
            .get("a")
            .unwrap()
            .get("steps")
            .unwrap()
            .items()[0]
            .get("run")
            .unwrap();
        assert_eq!(run.as_str(), Some("cargo test\n"));
        assert_eq!(run.text_line(), 6);
    }

    #[test]
    fn bad_input_is_an_error_with_a_line() {
        let (line, _, _) = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(line >= 1);
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                    g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        assert!(parse(bomb).unwrap_err().2.contains("nodes"));
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
