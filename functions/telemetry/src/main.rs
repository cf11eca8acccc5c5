use common::http::Function;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::runtime::run_function(Function::Telemetry).await
}
