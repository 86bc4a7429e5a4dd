//! The names a seeded data set uses: customers, their domains, servers and PTR hostnames. Pure
//! functions of an index, so that the same scale always gives the same data. Good names pass
//! the offline checks without an error; the names of rejected requests carry their address,
//! as the names customers really get refused for do.

use std::net::Ipv4Addr;

#[rustfmt::skip]
const NAME_PREFIXES: &[&str] = &[
    "Nord", "Alpen", "Rhein", "Hansa", "Baltic", "Delta", "Aurora", "Granit", "Falken", "Linden",
    "Atlas", "Polar", "Kobalt", "Zenit", "Orbit", "Vektor", "Sonnen", "Eichen", "Kristall",
    "Meridian", "Nebel", "Quarz", "Saturn", "Tundra",
];

#[rustfmt::skip]
const NAME_CORES: &[&str] = &[
    "Hosting", "Media", "Systems", "Data", "Networks", "Software", "Commerce", "Cloud",
    "Digital", "Consulting", "Logistik", "Solutions", "Studio", "Labs", "Services", "Web",
];

const NAME_SUFFIXES: &[&str] = &[
    "GmbH",
    "AG",
    "Ltd",
    "KG",
    "e.K.",
    "GmbH & Co. KG",
    "SE",
    "UG",
];

const TLDS: &[&str] = &["de", "com", "net", "eu", "org", "io", "at", "ch", "nl"];

#[rustfmt::skip]
/// What servers are named after; a customer's servers are `web01`, `db01`, … `web02`, ….
const SERVER_ROLES: &[&str] = &[
    "web", "db", "mail", "app", "cache", "backup", "vpn", "git", "build", "proxy",
];

/// The first labels of PTR names; a customer's PTRs are `www`, `mail`, … `www2`, ….
#[rustfmt::skip]
const HOST_LABELS: &[&str] = &[
    "www", "mail", "mx", "web", "shop", "api", "vpn", "git", "cloud", "ns", "db", "app", "cdn",
    "smtp", "imap", "blog", "dev", "stage", "monitor", "backup",
];

/// A 64-bit mix of `n` (splitmix64's finaliser): the "random" choices of the seed, repeatable.
pub fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn pick<'a>(list: &[&'a str], n: u64) -> &'a str {
    list[(n % list.len() as u64) as usize]
}

/// The customer number of the `index`-th ordinary customer: `K100000`, `K100001`, …
pub fn customer_number(index: u64) -> String {
    format!("K{}", 100_000 + index)
}

/// The company name of the `index`-th ordinary customer (not unique: numbers are).
pub fn customer_name(index: u64) -> String {
    let h = mix(index);
    format!(
        "{} {} {}",
        pick(NAME_PREFIXES, h),
        pick(NAME_CORES, h >> 16),
        pick(NAME_SUFFIXES, h >> 32)
    )
}

/// The domain of the `index`-th ordinary customer, unique thanks to the zero-padded index
/// (so that searching it finds that customer's names only): `nord-hosting-004711.de`.
pub fn customer_domain(index: u64) -> String {
    let h = mix(index);
    format!(
        "{}-{}-{index:06}.{}",
        pick(NAME_PREFIXES, h).to_ascii_lowercase(),
        pick(NAME_CORES, h >> 16).to_ascii_lowercase(),
        pick(TLDS, h >> 40)
    )
}

/// The name of a customer's `index`-th server.
pub fn server_name(index: u64) -> String {
    let roles = SERVER_ROLES.len() as u64;
    format!(
        "{}{:02}",
        SERVER_ROLES[(index % roles) as usize],
        index / roles + 1
    )
}

/// The PTR of a customer's `index`-th named address, in `domain`: `www.…`, `mail.…`, …,
/// then `www2.…`.
pub fn hostname(index: u64, domain: &str) -> String {
    let labels = HOST_LABELS.len() as u64;
    let label = HOST_LABELS[(index % labels) as usize];
    match index / labels {
        0 => format!("{label}.{domain}"),
        round => format!("{label}{}.{domain}", round + 1),
    }
}

/// A name the checks reject for `ip` (it carries the address, like an ISP's generated names).
pub fn rejected_hostname(ip: Ipv4Addr, domain: &str) -> String {
    let [a, b, c, d] = ip.octets();
    format!("dsl-{a}-{b}-{c}-{d}.{domain}")
}

/// A good name that does not resolve yet: its request waits as pending.
pub fn unresolved_hostname(index: u64, domain: &str) -> String {
    format!("new{}.{domain}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_same_every_time_and_differ_between_customers() {
        assert_eq!(customer_domain(4711), customer_domain(4711));
        assert_ne!(customer_domain(1), customer_domain(2));
        assert!(customer_domain(4711).contains("-004711."));
        assert_eq!(customer_number(7), "K100007");
    }

    #[test]
    fn a_customers_servers_and_hostnames_do_not_repeat() {
        let servers: std::collections::HashSet<String> = (0..500).map(server_name).collect();
        assert_eq!(servers.len(), 500);
        let hosts: std::collections::HashSet<String> =
            (0..5000).map(|n| hostname(n, "example.net")).collect();
        assert_eq!(hosts.len(), 5000);
        assert_eq!(hostname(0, "example.net"), "www.example.net");
        assert_eq!(hostname(20, "example.net"), "www2.example.net");
    }
}
