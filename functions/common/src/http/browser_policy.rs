//! What the browser is told to enforce for the web app: it loads only our own code and
//! styles (and may compile our own WebAssembly: noise suppression and background effects),
//! talks only to us and to LiveKit, is never framed (a host's remove and end buttons must not
//! be clickjacked), sends no referrer (room links are invitations), and exposes the camera,
//! microphone and screen capture to nothing else. The local server sends these
//! headers; nginx (`infra/nginx.conf`) and CloudFront (`WebSecurityHeaders` in
//! `template.yaml`) send the same, which `tests/e2e/test_browser_policy.py` checks.

use axum::http::{HeaderName, HeaderValue};

/// The Content-Security-Policy for a deployment whose browsers reach LiveKit at
/// `livekit_url` (`ws://…` or `wss://…`). livekit-client also calls LiveKit over HTTP(S) on
/// the same host (to explain a failed connection), hence both forms.
pub fn content_security_policy(livekit_url: &str) -> String {
    let livekit = livekit_url.trim_end_matches('/');
    let livekit_http = livekit.replacen("ws", "http", 1);
    [
        "default-src 'self'".to_string(),
        // 'wasm-unsafe-eval' lets WebAssembly compile; it allows no eval() of JavaScript.
        "script-src 'self' 'wasm-unsafe-eval'".into(),
        "style-src 'self'".into(),
        "img-src 'self' data: blob:".into(),
        "font-src 'self' data:".into(),
        format!("connect-src 'self' {livekit} {livekit_http}"),
        "media-src 'self' blob:".into(),
        "worker-src 'self' blob:".into(),
        "object-src 'none'".into(),
        "base-uri 'none'".into(),
        "form-action 'self'".into(),
        "frame-ancestors 'none'".into(),
    ]
    .join("; ")
}

pub const PERMISSIONS_POLICY: &str =
    "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()";

/// Every header of the policy except HSTS, which only an HTTPS deployment sends (CloudFront).
pub fn headers(livekit_url: &str) -> Vec<(HeaderName, HeaderValue)> {
    let csp = HeaderValue::from_str(&content_security_policy(livekit_url))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"));
    vec![
        (HeaderName::from_static("content-security-policy"), csp),
        (HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff")),
        (HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY")),
        (HeaderName::from_static("referrer-policy"), HeaderValue::from_static("no-referrer")),
        (HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS_POLICY)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_livekit_over_websocket_and_http() {
        let csp = content_security_policy("wss://media.example.com/");
        assert!(csp.contains("connect-src 'self' wss://media.example.com https://media.example.com;"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!csp.replace("'wasm-unsafe-eval'", "").contains("unsafe"), "no unsafe-inline or unsafe-eval: {csp}");
    }

    #[test]
    fn a_livekit_url_that_is_not_a_header_value_still_gives_a_strict_policy() {
        let headers = headers("ws://bad\nhost");
        assert_eq!(headers[0].1, "default-src 'self'; frame-ancestors 'none'");
        assert_eq!(headers.len(), 5);
    }
}
