//! The client address behind the reverse proxies we trust. Behind a TLS proxy every
//! connection comes from the proxy, so throttling by the socket peer would make one address
//! of everyone; `X-Forwarded-For` is believed only as far as it was written by proxies named
//! in the settings (`services::networks::TrustedProxies`), because anyone else can write
//! whatever they like in it.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::http::HeaderMap;
use services::networks::TrustedProxies;

/// The walk of `X-Forwarded-For`, an HTTP matter kept out of the settings' type.
pub trait ForwardedFor {
    /// The client's address: the socket peer, unless that is a trusted proxy, in which case
    /// `X-Forwarded-For` is walked from the right (each proxy appends the address it saw)
    /// past trusted proxies to the first address that is not one. An entry that is not an
    /// address stops the walk at the last address we could believe.
    fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr;
}

impl ForwardedFor for TrustedProxies {
    fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        for entry in forwarded.into_iter().rev() {
            let Some(address) = forwarded_address(entry) else {
                break;
            };
            client = address;
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, perhaps with a port (`1.2.3.4:5678`, `[::1]:80`).
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    IpAddr::from_str(entry)
        .ok()
        .or_else(|| SocketAddr::from_str(entry).ok().map(|socket| socket.ip()))
        .map(|address| address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use services::networks::IpNetwork;

    fn network(text: &str) -> IpNetwork {
        text.parse()
            .unwrap_or_else(|problem: String| panic!("{problem}"))
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = value.parse() {
            headers.insert("x-forwarded-for", value);
        }
        headers
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        let proxies = TrustedProxies::new(vec![network("10.0.0.5")]);
        let headers = forwarded("198.51.100.1");
        assert_eq!(
            proxies.client_address(ip("203.0.113.9"), &headers),
            ip("203.0.113.9")
        );
        let nobody = TrustedProxies::default();
        assert_eq!(
            nobody.client_address(ip("10.0.0.5"), &headers),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::new(vec![network("10.0.0.0/24"), network("192.0.2.1")]);
        // A client that wrote its own header: the left part is whatever it claimed.
        let headers = forwarded("1.1.1.1, 203.0.113.9, 192.0.2.1");
        assert_eq!(
            proxies.client_address(ip("10.0.0.5"), &headers),
            ip("203.0.113.9")
        );
        // Two header lines count as one list, in order.
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-for", "1.1.1.1".parse().expect("value"));
        headers.append(
            "x-forwarded-for",
            "203.0.113.7:5123".parse().expect("value"),
        );
        assert_eq!(
            proxies.client_address(ip("10.0.0.5"), &headers),
            ip("203.0.113.7")
        );
        // Nothing but proxies: the furthest one is all we know.
        let headers = forwarded("10.0.0.9");
        assert_eq!(
            proxies.client_address(ip("10.0.0.5"), &headers),
            ip("10.0.0.9")
        );
        // No header at all: the proxy itself.
        assert_eq!(
            proxies.client_address(ip("10.0.0.5"), &HeaderMap::new()),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_believable_address() {
        let proxies = TrustedProxies::new(vec![network("10.0.0.0/24")]);
        let headers = forwarded("203.0.113.9, not-an-address");
        assert_eq!(
            proxies.client_address(ip("10.0.0.5"), &headers),
            ip("10.0.0.5")
        );
        let headers = forwarded("garbage, 203.0.113.9");
        assert_eq!(
            proxies.client_address(ip("10.0.0.5"), &headers),
            ip("203.0.113.9")
        );
    }
}
