//! Reverse proxies we trust, and the client address behind them. Behind a TLS proxy every
//! connection comes from the proxy, so throttling by the socket peer would make one address
//! of everyone; `X-Forwarded-For` is believed only as far as it was written by proxies named
//! in the settings, because anyone else can write whatever they like in it.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::http::HeaderMap;
use serde::Deserialize;

/// An IP network in CIDR form (`10.0.0.0/8`, `2001:db8::/32`); a bare address is a network
/// of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNetwork {
    address: IpAddr,
    prefix: u8,
}

impl IpNetwork {
    pub fn contains(&self, candidate: IpAddr) -> bool {
        match (self.address, candidate.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(candidate)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(network) & mask == u32::from(candidate) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(candidate)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(network) & mask == u128::from(candidate) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpNetwork {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address = IpAddr::from_str(address)
            .map_err(|_| format!("{text:?} is not an IP address or CIDR network"))?
            .to_canonical();
        let widest = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => widest,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|prefix| *prefix <= widest)
                .ok_or_else(|| format!("{text:?} has a prefix length that is not 0 to {widest}"))?,
        };
        Ok(Self { address, prefix })
    }
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// The proxies whose `X-Forwarded-For` we believe. Written in settings as a list of addresses
/// and networks, or (for an environment variable) one string separated by commas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNetwork>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNetwork>) -> Self {
        Self(networks)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(address))
    }

    /// The client's address: the socket peer, unless that is a trusted proxy, in which case
    /// `X-Forwarded-For` is walked from the right (each proxy appends the address it saw)
    /// past trusted proxies to the first address that is not one. An entry that is not an
    /// address stops the walk at the last address we could believe.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
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

impl<'de> Deserialize<'de> for TrustedProxies {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            List(Vec<String>),
            Joined(String),
        }
        let entries = match Written::deserialize(deserializer)? {
            Written::List(entries) => entries,
            Written::Joined(joined) => joined.split(',').map(str::to_owned).collect(),
        };
        entries
            .iter()
            .filter(|entry| !entry.trim().is_empty())
            .map(|entry| entry.parse().map_err(serde::de::Error::custom))
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn networks_are_parsed_and_matched() {
        assert!(network("10.0.0.0/8").contains(ip("10.200.3.4")));
        assert!(!network("10.0.0.0/8").contains(ip("11.0.0.1")));
        assert!(network("192.0.2.7").contains(ip("192.0.2.7")));
        assert!(!network("192.0.2.7").contains(ip("192.0.2.8")));
        assert!(network("0.0.0.0/0").contains(ip("203.0.113.9")));
        assert!(network("2001:db8::/32").contains(ip("2001:db8:1::5")));
        assert!(!network("2001:db8::/32").contains(ip("10.0.0.1")));
        assert!(
            network("127.0.0.1").contains(ip("::ffff:127.0.0.1")),
            "an IPv4 peer seen on an IPv6 socket is the same peer"
        );
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "proxy.example.org",
            "::1/129",
            "1.2.3.4/x",
        ] {
            assert!(bad.parse::<IpNetwork>().is_err(), "{bad:?}");
        }
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

    #[test]
    fn settings_take_a_list_or_one_string_and_refuse_nonsense() {
        #[derive(Deserialize)]
        struct Holder {
            proxies: TrustedProxies,
        }
        let parse = |json: &str| serde_json::from_str::<Holder>(json).map(|holder| holder.proxies);
        let expected = TrustedProxies::new(vec![network("10.0.0.1"), network("10.1.0.0/16")]);
        assert_eq!(
            parse(r#"{"proxies": ["10.0.0.1", "10.1.0.0/16"]}"#).ok(),
            Some(expected.clone())
        );
        assert_eq!(
            parse(r#"{"proxies": "10.0.0.1, 10.1.0.0/16"}"#).ok(),
            Some(expected)
        );
        assert_eq!(
            parse(r#"{"proxies": ""}"#).ok(),
            Some(TrustedProxies::default())
        );
        assert!(parse(r#"{"proxies": ["10.0.0.1", "the proxy"]}"#).is_err());
    }
}
