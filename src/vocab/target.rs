//! The Windows a machine could move to, by id: the word every stage names a target with.
//!
//! Only the id lives here. Which targets exist, their titles and their order of preference are
//! data (`rules/data/targets.yaml`, read by [`crate::knowledge::targets`]); what each target
//! requires is in the rule packs. Nothing here checks that an id names a known target: the
//! loader does, against the list it read.
//!
//! Invariant: a `Target` compares, hashes, sorts and serializes as its plain id, so outputs show
//! `windows11` exactly as they did when targets were an enum. Sorting by id is not the order of
//! preference; what must follow that order keeps the order the targets were given in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// A plan target's id (`windows11`): interned, so it is `Copy` and as cheap to pass as the enum
/// it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target(&'static str);

/// Every id met so far, each stored once for the life of the process. Ids come from the target
/// list and from the files that name its targets, so the set stays as small as those files.
static INTERNED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

impl Target {
    /// The target with this id (known or not).
    pub fn new(id: &str) -> Target {
        let mut interned = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&known) = interned.get(id) {
            return Target(known);
        }
        let leaked: &'static str = Box::leak(id.to_owned().into_boxed_str());
        interned.insert(leaked);
        Target(leaked)
    }

    /// A target whose id is written in the code, for the few places that are by definition
    /// about one target (Microsoft's HardwareReadiness format is about Windows 11).
    pub const fn named(id: &'static str) -> Target {
        Target(id)
    }

    pub fn id(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Target, D::Error> {
        let id = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Target::new(&id))
    }
}

#[cfg(test)]
mod tests {
    use super::Target;

    #[test]
    fn a_target_is_its_id_in_and_out() {
        let parsed: Target = serde_json::from_str("\"windows11\"").unwrap();
        assert_eq!(parsed, Target::named("windows11"));
        assert_eq!(parsed, Target::new("windows11"));
        assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"windows11\"");
        assert_eq!(parsed.to_string(), "windows11");
    }
}
