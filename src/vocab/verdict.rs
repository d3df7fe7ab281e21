//! A target's verdict: ready, ready to confirm, not ready or unknown.
//!
//! Only the words live here; the rule that turns check results into a verdict is
//! [`crate::judge::verdict`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every blocker passes, on facts the machine reported.
    Ready,
    /// Every enforced blocker passes, some only by inference, or a documented-only blocker
    /// could not be seen: ready once those are confirmed by hand.
    ReadyToConfirm,
    NotReady,
    /// A blocker that Windows setup or Microsoft's checkers enforce has neither facts nor a
    /// basis for inference.
    Unknown,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Ready,
        Verdict::ReadyToConfirm,
        Verdict::NotReady,
        Verdict::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ReadyToConfirm => "ready-to-confirm",
            Verdict::NotReady => "not-ready",
            Verdict::Unknown => "unknown",
        }
    }

    /// The verdict in words, for people.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ReadyToConfirm => "ready — to confirm",
            Verdict::NotReady => "not ready",
            Verdict::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
