//! TEMPORARY stub until the cpu branch is merged.
use crate::inventory::Cpu;
pub enum FamilyRule { Valid { reason: String }, Invalid { reason: String }, Unknown { reason: String } }
pub fn win11_family_rule(_cpu: &Cpu) -> FamilyRule { FamilyRule::Unknown { reason: "stub".into() } }
pub struct ProcessorList;
impl ProcessorList {
    pub fn embedded() -> &'static ProcessorList { &ProcessorList }
    pub fn find(&self, _vendor: Option<&str>, _brand: &str) -> Option<&str> { None }
}
