use common::http::served;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::runtime::run_function(served::send_chat).await
}
