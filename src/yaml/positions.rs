//! Where each node of a YAML text starts, by its path (`checks.3.pass.1`), for messages that
//! point at file:line:column.
//!
//! serde_yaml only locates its own errors; this reads the same text a second time with
//! yaml-rust2's marked events, which know where every node starts. It records positions only: the
//! values themselves are still read through [`super::from_str`].

use crate::error::Location;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The start of every node in a text, by path; mapping keys and sequence indexes are joined
/// with `.` (`routes.2.eligible`). The root is the empty path.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    nodes: HashMap<String, Location>,
    /// Where each mapping key is written, by the path of its value.
    keys: HashMap<String, Location>,
}

impl Positions {
    /// Reads the positions of `text`; a text that is not YAML gives where it stops being YAML.
    pub fn of(text: &str) -> Result<Positions, (Location, String)> {
        let mut recorder = Recorder::default();
        let mut parser = Parser::new_from_str(text);
        parser.load(&mut recorder, false).map_err(|e| {
            let message = e.info().to_string();
            (location(e.marker()), message)
        })?;
        Ok(recorder.positions)
    }

    /// Where the node at `path` starts.
    pub fn node(&self, path: &str) -> Option<Location> {
        self.nodes.get(path).copied()
    }

    /// Where the key of the mapping entry at `path` is written.
    pub fn key(&self, path: &str) -> Option<Location> {
        self.keys.get(path).copied()
    }

    /// The node at `path`, or failing that the nearest enclosing node that was written.
    pub fn nearest(&self, path: &str) -> Option<Location> {
        let mut path = path;
        loop {
            if let Some(at) = self.node(path) {
                return Some(at);
            }
            match path.rsplit_once('.') {
                Some((parent, _)) => path = parent,
                None => return self.node(""),
            }
        }
    }
}

fn location(mark: &Marker) -> Location {
    Location {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

/// One open collection while the events stream past.
enum Frame {
    /// A mapping; `key` is the key just read, waiting for its value.
    Map {
        path: String,
        key: Option<(String, Location)>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

#[derive(Default)]
struct Recorder {
    positions: Positions,
    stack: Vec<Frame>,
}

impl Recorder {
    /// The path of the node that starts now, or `None` for a mapping key (recorded as one).
    fn place(&mut self, key_text: Option<&str>, at: Location) -> Option<String> {
        let Some(frame) = self.stack.last_mut() else {
            return Some(String::new());
        };
        let join = |parent: &str, part: &str| {
            if parent.is_empty() {
                part.to_string()
            } else {
                format!("{parent}.{part}")
            }
        };
        match frame {
            Frame::Seq { path, next } => {
                let here = join(path, &next.to_string());
                *next += 1;
                Some(here)
            }
            Frame::Map { path, key } => match key.take() {
                Some((name, key_at)) => {
                    let here = join(path, &name);
                    self.positions.keys.insert(here.clone(), key_at);
                    Some(here)
                }
                None => {
                    // A complex key (a collection) gets a name nobody looks up.
                    *key = Some((key_text.unwrap_or("?").to_string(), at));
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let at = location(&mark);
        match event {
            Event::Scalar(text, ..) => {
                if let Some(path) = self.place(Some(&text), at) {
                    self.positions.nodes.insert(path, at);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.place(Some("*"), at) {
                    self.positions.nodes.insert(path, at);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.place(None, at).unwrap_or_else(|| "?".into());
                self.positions.nodes.insert(path.clone(), at);
                self.stack.push(match event {
                    Event::MappingStart(..) => Frame::Map { path, key: None },
                    _ => Frame::Seq { path, next: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_node_has_its_position() {
        let text =
            "checks:\n  - id: a.b\n    pass: [x > 1, \"y\"]\n    fix:\n      effort: weeks\n";
        let p = Positions::of(text).unwrap();
        let at = |path: &str| p.node(path).map(|l| (l.line, l.column));
        assert_eq!(at("checks.0.id"), Some((2, 9)));
        assert_eq!(at("checks.0.pass.0"), Some((3, 12)));
        assert_eq!(at("checks.0.pass.1"), Some((3, 19)));
        assert_eq!(at("checks.0.fix.effort"), Some((5, 15)));
        assert_eq!(p.key("checks.0.fix.effort").map(|l| l.line), Some(5));
        assert_eq!(p.nearest("checks.0.fix.price.0").map(|l| l.line), Some(5));
    }

    #[test]
    fn a_broken_text_says_where() {
        let (at, _) = Positions::of("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(at.line >= 2, "{at:?}");
    }
}
