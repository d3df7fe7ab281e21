//! Helpers shared by integration tests (`mod support;`).
#![allow(dead_code)]

pub mod images;
