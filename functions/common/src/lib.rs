//! Shared core of the meeting backend: domain types, ports and adapters, and every
//! HTTP handler. Each function binary serves one group of these handlers.

pub mod api;
pub mod aws;
pub mod chat;
pub mod config;
pub mod domain;
pub mod error;
pub mod hands;
pub mod http;
pub mod media;
pub mod rate_limit;
pub mod redis_conn;
pub mod runtime;
pub mod store;
pub mod traces;
