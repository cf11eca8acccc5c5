//! The AWS SDK's shared configuration (region, credentials, endpoints from the environment),
//! with its HTTPS client on ring: the TLS provider the rest of the process uses, so that no
//! second one (the SDK's default, aws-lc) is linked.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};

/// An HTTPS client for the AWS SDK, built as the SDK builds its default one (the SDK's
/// timeouts and sleep, proxies from `HTTPS_PROXY`/`NO_PROXY`, the system's root certificates),
/// but on ring; the SDK has no client of its own in this build.
pub fn http_client() -> aws_sdk_ssm::config::SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, runtime_components| {
        let mut connector = ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = runtime_components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// What `aws_config::load_defaults` would give, with [`http_client`].
pub async fn shared_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http_client()).load().await
}
