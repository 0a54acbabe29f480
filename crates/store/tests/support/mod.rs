//! Scaffolding shared by the store's integration tests. Each test binary includes it with
//! `mod support;` and uses what it needs of it.

#![allow(dead_code)]

pub mod annual;
pub mod challenge_walk;
