//! The client's address, for throttling: the connection's peer, or (when the peer is a
//! trusted reverse proxy) the address the proxies say the request came from.
use std::net::IpAddr;

/// The client: walking `X-Forwarded-For` from the right (each proxy appends the address it
/// heard from), the first address that is not a trusted proxy. A client cannot forge its
/// way past this: whatever it wrote itself is to the left of what our proxy appended. From
/// a peer that is not a trusted proxy the header is ignored.
pub fn client_address(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for hop in header.rsplit(',').map(str::trim) {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            // Not an address: stop at what the trusted proxies vouched for.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_direct_client_cannot_claim_another_address() {
        let trusted = [ip("10.0.0.2")];
        assert_eq!(
            client_address(ip("198.51.100.7"), Some("203.0.113.9"), &trusted),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_forwarded_client_counts() {
        let trusted = [ip("10.0.0.2"), ip("10.0.0.3")];
        assert_eq!(
            client_address(ip("10.0.0.2"), Some("203.0.113.9"), &trusted),
            ip("203.0.113.9")
        );
        // A forged entry on the left is ignored; two proxies in a row are walked through.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                Some("1.2.3.4, 203.0.113.9, 10.0.0.3"),
                &trusted
            ),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), Some("rubbish"), &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), None, &trusted),
            ip("10.0.0.2")
        );
    }
}
