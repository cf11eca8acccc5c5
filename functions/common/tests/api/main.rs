//! API tests: the real router on a real socket, against real PostgreSQL, Redis and LiveKit
//! (the test stack `make test` starts). One binary, so the workspace is built once.

mod chat;
mod e2ee;
mod hands;
mod helpers;
mod join;
mod limits;
mod moderation;
mod openapi;
mod rooms;
mod telemetry;
mod template;
mod token;
mod webhook;
