//! The networks of the reverse proxies we trust, as the settings hold them. Which address a
//! request came from is HTTP's business and is worked out in `web` (its `proxies` module);
//! here is only the parsed, checked list.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

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

    /// Whether `address` is one of the trusted proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(address))
    }
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
