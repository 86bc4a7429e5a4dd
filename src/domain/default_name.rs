//! The provider's default PTR names, built from a configured pattern such as
//! `static.{reversed}.clients.example.net`.

use super::Hostname;
use std::net::IpAddr;

/// A pattern with `{reversed}` (octets or nibbles in reverse-zone order) and/or `{dashed}`
/// (`203-0-113-45`, or the eight full IPv6 hextets joined by dashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultNamePattern(String);

/// Why a pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// No placeholder: every address would get the same name.
    #[error("the default-name pattern \"{0}\" needs {{reversed}} or {{dashed}}")]
    NoPlaceholder(String),
    /// The result is not a host name.
    #[error("the default-name pattern \"{pattern}\" does not give a valid host name: {reason}")]
    Invalid {
        /// The configured pattern.
        pattern: String,
        /// What is wrong with the rendered name.
        reason: String,
    },
}

impl DefaultNamePattern {
    /// Checks the pattern by rendering it for a sample address of `sample`'s family.
    pub fn parse(pattern: &str, sample: IpAddr) -> Result<Self, PatternError> {
        if !pattern.contains("{reversed}") && !pattern.contains("{dashed}") {
            return Err(PatternError::NoPlaceholder(pattern.to_owned()));
        }
        let candidate = DefaultNamePattern(pattern.trim().to_ascii_lowercase());
        Hostname::parse(&candidate.render(sample)).map_err(|err| PatternError::Invalid {
            pattern: pattern.to_owned(),
            reason: err.to_string(),
        })?;
        Ok(candidate)
    }

    /// The pattern as configured.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The default name of `ip`.
    pub fn render(&self, ip: IpAddr) -> String {
        self.0
            .replace("{reversed}", &reversed(ip))
            .replace("{dashed}", &dashed(ip))
    }

    /// The fixed domain after the last placeholder (`clients.example.net` for
    /// `static.{reversed}.clients.example.net`), which holds the default names of every
    /// address; `None` when the pattern leaves fewer than two whole labels there.
    pub fn domain(&self) -> Option<&str> {
        let after = ["{reversed}", "{dashed}"]
            .iter()
            .filter_map(|placeholder| self.0.rfind(placeholder).map(|at| at + placeholder.len()))
            .max()?;
        // A placeholder inside a label (`ip-{dashed}x.example.net`) leaves part of that label.
        let (_, domain) = self.0[after..].split_once('.')?;
        domain.contains('.').then_some(domain)
    }
}

fn reversed(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}")
        }
        IpAddr::V6(v6) => {
            let nibbles: Vec<String> = v6
                .octets()
                .iter()
                .rev()
                .flat_map(|byte| [byte & 0x0f, byte >> 4])
                .map(|nibble| format!("{nibble:x}"))
                .collect();
            nibbles.join(".")
        }
    }
}

fn dashed(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{a}-{b}-{c}-{d}")
        }
        IpAddr::V6(v6) => {
            let hextets: Vec<String> = v6.segments().iter().map(|s| format!("{s:04x}")).collect();
            hextets.join("-")
        }
    }
}

/// The default names for both families; IPv6 has one only where a pattern is configured.
#[derive(Debug, Clone)]
pub struct DefaultNames {
    /// Pattern for IPv4 addresses.
    pub v4: DefaultNamePattern,
    /// Pattern for IPv6 addresses, if the provider has one.
    pub v6: Option<DefaultNamePattern>,
}

impl DefaultNames {
    /// The name DNS gives `ip` while the customer has set none.
    pub fn for_ip(&self, ip: IpAddr) -> Option<String> {
        match ip {
            IpAddr::V4(_) => Some(self.v4.render(ip)),
            IpAddr::V6(_) => self.v6.as_ref().map(|pattern| pattern.render(ip)),
        }
    }

    /// The domains that hold the default names (see [`DefaultNamePattern::domain`]), for either
    /// family, without repetition.
    pub fn domains(&self) -> Vec<&str> {
        let mut domains: Vec<&str> = Vec::new();
        for domain in std::iter::once(&self.v4)
            .chain(&self.v6)
            .filter_map(DefaultNamePattern::domain)
        {
            if !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        domains
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_reverses_the_octets() {
        let ip: IpAddr = "1.2.3.4".parse().unwrap();
        let pattern =
            DefaultNamePattern::parse("static.{reversed}.clients.example.net", ip).unwrap();
        assert_eq!(pattern.render(ip), "static.4.3.2.1.clients.example.net");
    }

    #[test]
    fn ipv6_nibbles_are_reversed() {
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        let pattern = DefaultNamePattern::parse("{reversed}.v6.example.net", ip).unwrap();
        assert!(pattern.render(ip).starts_with("1.0.0.0.0.0.0.0"));
        assert!(
            pattern
                .render(ip)
                .ends_with("8.b.d.0.1.0.0.2.v6.example.net")
        );
    }

    #[test]
    fn the_default_name_domain_is_what_follows_the_last_placeholder() {
        let ip: IpAddr = "1.2.3.4".parse().unwrap();
        let domain = |text: &str| {
            let pattern = DefaultNamePattern::parse(text, ip).unwrap();
            pattern.domain().map(str::to_owned)
        };
        let expected = Some("clients.example.net".to_owned());
        assert_eq!(domain("static.{reversed}.clients.example.net"), expected);
        assert_eq!(domain("{dashed}.{reversed}.clients.example.net"), expected);
        assert_eq!(domain("ip-{dashed}x.clients.example.net"), expected);
        assert_eq!(
            domain("static-{dashed}.example.net"),
            Some("example.net".to_owned())
        );
        assert_eq!(domain("{dashed}.net"), None);
    }

    #[test]
    fn both_families_share_one_default_name_domain() {
        let v4: IpAddr = "1.2.3.4".parse().unwrap();
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        let names = DefaultNames {
            v4: DefaultNamePattern::parse("static.{reversed}.clients.example.net", v4).unwrap(),
            v6: Some(DefaultNamePattern::parse("{reversed}.clients.example.net", v6).unwrap()),
        };
        assert_eq!(names.domains(), ["clients.example.net"]);
    }

    #[test]
    fn a_pattern_without_placeholder_is_refused() {
        let ip: IpAddr = "1.2.3.4".parse().unwrap();
        assert!(DefaultNamePattern::parse("static.example.net", ip).is_err());
    }
}
