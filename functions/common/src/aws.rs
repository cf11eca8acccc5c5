//! The AWS SDK's shared configuration (region, credentials, endpoints from the environment),
//! with its HTTPS client on ring: the TLS provider the rest of the process uses, so that no
//! second one (the SDK's default, aws-lc) is linked.

use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

/// An HTTPS client for the AWS SDK; the SDK has none of its own in this build.
pub fn http_client() -> aws_sdk_ssm::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https()
}

/// What `aws_config::load_defaults` would give, with [`http_client`].
pub async fn shared_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http_client()).load().await
}
