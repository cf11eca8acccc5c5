//! The whole API and the web app in one process, on the same routes as `template.yaml`.

use anyhow::Context;
use axum::routing::get_service;
use common::config::Config;
use common::http::{AppState, Function, router_with_fallback};
use common::store::postgres::MIGRATOR;
use sqlx::postgres::PgPoolOptions;
use tower_http::services::{ServeDir, ServeFile};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::runtime::init();
    let config = Config::from_env()?;

    // Locally the server owns the schema; in the cloud migrations run once at deploy time.
    let pool = PgPoolOptions::new().max_connections(1).connect(config.database_url.expose()).await.context("connecting to PostgreSQL")?;
    MIGRATOR.run(&pool).await.context("migrating")?;
    pool.close().await;

    let web_dir = std::env::var("WEB_DIR").unwrap_or_else(|_| "web".into());
    // Unknown paths outside /api get the page itself, so room links (/r/{id}) open the app.
    let web = ServeDir::new(&web_dir).fallback(ServeFile::new(format!("{web_dir}/index.html")));
    let state = AppState::from_config(config)?;
    common::runtime::serve(router_with_fallback(&Function::ALL, state, get_service(web))).await
}
