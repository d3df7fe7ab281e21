pub mod disk;
pub mod volume;
