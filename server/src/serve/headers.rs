//! Response headers every answer carries: a content security policy that lets only the
//! app's own scripts (the inline loader by a per-request nonce), styles and wasm run; no
//! framing; no MIME sniffing; no referrer beyond the site (reset links carry a token);
//! nothing signed-in kept in caches; HSTS when the service is on https.
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The nonce of this request's inline scripts, for the page render (see `request_context`).
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Whether to send Strict-Transport-Security (the service's base URL is https).
#[derive(Clone, Copy)]
pub struct Hsts(pub bool);

/// The policy for a page whose inline scripts carry `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of a standalone document (the printable bid): its inline styles, no scripts.
pub const DOCUMENT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

/// Static files the browser may keep (they are named by the build).
fn is_static(path: &str) -> bool {
    ["/pkg/", "/govuk", "/assets/", "/favicon"]
        .iter()
        .any(|p| path.starts_with(p))
}

pub async fn security_headers(
    State(hsts): State<Hsts>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    let path = request.uri().path().to_string();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let own_policy = response
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY);
    let h = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            h.insert(name, value);
        }
    };
    // A route that set a policy of its own (a document with no scripts) keeps it.
    if !own_policy {
        set(
            header::CONTENT_SECURITY_POLICY,
            &content_security_policy(&nonce),
        );
    }
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    );
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if hsts.0 {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    // Pages and downloads are worked out per person: never stored by the browser or a
    // proxy, unless the route said otherwise (public open data may be revalidated).
    if !is_static(&path) && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store, private"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_only_this_sites_scripts_and_the_nonce() {
        let csp = content_security_policy("abc123");
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
