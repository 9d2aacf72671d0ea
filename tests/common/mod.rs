//! Shared test support: an independent checker written from the spec (`checker`) and a
//! random problem generator (`random`). Nothing here uses the crate.
#![allow(dead_code)]

pub mod checker;
pub mod random;
