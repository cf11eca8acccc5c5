//! The whole API and the web app in one process, on the same routes as `template.yaml`.

use anyhow::Context;
use axum::routing::get_service;
use common::config::{Config, StoreConfig};
use common::http::{AppState, Function, browser_policy, router_with_fallback};
use common::store::dynamodb::DynamoRoomStore;
use common::store::postgres::MIGRATOR;
use sqlx::postgres::PgPoolOptions;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::runtime::init("meet-local-server");
    let config = Config::load().await?;
    common::runtime::require_livekit_secret(&config, &Function::ALL)?;

    // Locally the server owns the schema; in the cloud it is created once at deploy time.
    match &config.store {
        StoreConfig::Postgres { url, .. } => {
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .connect(url.expose())
                .await
                .context("connecting to PostgreSQL")?;
            MIGRATOR.run(&pool).await.context("migrating")?;
            pool.close().await;
        }
        StoreConfig::DynamoDb { table } => {
            DynamoRoomStore::from_env(table, config.dependency_timeout).await.ensure_table().await?;
        }
    }

    let web_dir = std::env::var("WEB_DIR").unwrap_or_else(|_| "web".into());
    // Unknown paths outside /api get the page itself, so room links (/r/{id}) open the app.
    let web = ServeDir::new(&web_dir).fallback(ServeFile::new(format!("{web_dir}/index.html")));
    let browser_policy = browser_policy::headers(&config.livekit.public_url);
    let state = AppState::from_config(config).await?;
    let app = browser_policy
        .into_iter()
        .fold(router_with_fallback(&Function::ALL, state, get_service(web)), |app, (name, value)| {
            app.layer(SetResponseHeaderLayer::if_not_present(name, value))
        });
    common::runtime::record_metrics().await?;
    common::runtime::serve(app).await
}
