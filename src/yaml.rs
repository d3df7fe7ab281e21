//! All YAML reading and writing goes through here.
//!
//! serde_yaml is deprecated upstream; keeping every call behind this module makes a swap to a
//! maintained fork a one-line change. It does not know what it parses: callers map the error
//! into their own typed error with [`location`].

use crate::error::Location;
use serde::{de::DeserializeOwned, Serialize};

pub use serde_yaml::Error;
pub use serde_yaml::Value;

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_yaml::from_str(text)
}

pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    serde_yaml::from_value(value)
}

pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_yaml::to_string(value)
}

/// The 1-based position of a YAML error, where serde_yaml knows it.
pub fn location(error: &Error) -> Option<Location> {
    error.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    })
}

/// The error's message without serde_yaml's trailing " at line X column Y": callers report the
/// location in their own format.
pub fn message(error: &Error) -> String {
    strip_position(&error.to_string())
}

/// serde's messages end in " at line X column Y"; the location is reported separately.
pub fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
