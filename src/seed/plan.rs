//! How big a seeded data set is and how it is spread over customers: the counts of a scale,
//! and exact, repeatable shares of them.

use std::fmt;

/// `--scale 1`: a provider of this size.
pub const FULL_CUSTOMERS: f64 = 50_000.0;
/// Servers at scale 1.
pub const FULL_SERVERS: f64 = 200_000.0;
/// Single IPv4 addresses at scale 1.
pub const FULL_V4: f64 = 1_000_000.0;
/// IPv6 /64 networks at scale 1.
pub const FULL_V6: f64 = 200_000.0;
/// The share of single IPv4 addresses with an entry (600,000 of 1,000,000): numerator …
pub const V4_ENTRIES_PER: (u64, u64) = (3, 5);
/// … and the entries per IPv6 /64 (500,000 in 200,000): 5 in every 2 networks.
pub const V6_ENTRIES_PER: (u64, u64) = (5, 2);
/// The largest scale accepted (10 million IPv4 addresses still fit above 100.64.0.0).
pub const MAX_SCALE: f64 = 10.0;

/// A positive factor on the scale-1 sizes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale(f64);

/// Why a text is not a scale.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the scale must be a number above 0 and at most {MAX_SCALE}, such as 1 or 0.01")]
pub struct ScaleError;

impl Scale {
    /// Parses `1`, `0.01`, ….
    pub fn parse(text: &str) -> Result<Scale, ScaleError> {
        let value: f64 = text.trim().parse().map_err(|_| ScaleError)?;
        if value.is_finite() && value > 0.0 && value <= MAX_SCALE {
            Ok(Scale(value))
        } else {
            Err(ScaleError)
        }
    }

    /// The factor.
    pub fn value(self) -> f64 {
        self.0
    }

    fn of(self, full: f64) -> u64 {
        (full * self.0).round() as u64
    }
}

impl std::str::FromStr for Scale {
    type Err = ScaleError;

    fn from_str(text: &str) -> Result<Scale, ScaleError> {
        Scale::parse(text)
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The sizes of a data set, the bench customers included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Customers.
    pub customers: u64,
    /// Servers.
    pub servers: u64,
    /// Single IPv4 addresses.
    pub v4: u64,
    /// IPv6 /64 networks.
    pub v6: u64,
}

impl Sizes {
    /// The sizes of `scale`, but never below what the bench customers need by themselves, and
    /// with a server at least for every other customer.
    pub fn of(scale: Scale, bench: Sizes) -> Sizes {
        let customers = scale.of(FULL_CUSTOMERS).max(bench.customers + 1);
        Sizes {
            customers,
            servers: scale
                .of(FULL_SERVERS)
                .max(bench.servers + customers - bench.customers),
            v4: scale.of(FULL_V4).max(bench.v4),
            v6: scale.of(FULL_V6).max(bench.v6),
        }
    }

    /// Entries on single IPv4 addresses.
    pub fn v4_entries(&self) -> u64 {
        share_before(self.v4, V4_ENTRIES_PER)
    }

    /// Entries inside the IPv6 /64 networks.
    pub fn v6_entries(&self) -> u64 {
        share_before(self.v6, V6_ENTRIES_PER)
    }
}

/// How many of the items before `index` get one (or more) of something handed out at
/// `per.0` in every `per.1`; evenly spread, and exact: `share_before(n, per)` for n items is
/// `n * per.0 / per.1` rounded down.
pub fn share_before(index: u64, per: (u64, u64)) -> u64 {
    (u128::from(index) * u128::from(per.0) / u128::from(per.1)) as u64
}

/// How many of something item `index` gets (see [`share_before`]).
pub fn share_of(index: u64, per: (u64, u64)) -> u64 {
    share_before(index + 1, per) - share_before(index, per)
}

/// Splits `total` over items of the given weights: each gets `minimum` (as far as the total
/// goes), the rest in proportion to its weight. The parts add up to `total` exactly.
pub fn spread(total: u64, weights: &[u64], minimum: u64) -> Vec<u64> {
    let count = weights.len() as u64;
    if count == 0 {
        return Vec::new();
    }
    let floor = minimum.min(total / count);
    let rest = u128::from(total - floor * count);
    // Zero weights everywhere would divide by zero: then every item weighs the same.
    let weight = |w: u64| {
        if weights.iter().all(|&w| w == 0) {
            1
        } else {
            u128::from(w)
        }
    };
    let sum: u128 = weights.iter().map(|&w| weight(w)).sum();
    let mut parts = Vec::with_capacity(weights.len());
    let mut running = 0u128;
    let mut given = 0u128;
    for &w in weights {
        running += weight(w);
        // At the last item `running == sum`, so the parts add up to `rest` exactly.
        let upto = rest * running / sum;
        parts.push(floor + (upto - given) as u64);
        given = upto;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_one_is_the_provider_of_issue_8() {
        let sizes = Sizes::of(
            Scale::parse("1").unwrap(),
            Sizes {
                customers: 2,
                servers: 55,
                v4: 5050,
                v6: 0,
            },
        );
        assert_eq!(
            sizes,
            Sizes {
                customers: 50_000,
                servers: 200_000,
                v4: 1_000_000,
                v6: 200_000
            }
        );
        assert_eq!(sizes.v4_entries(), 600_000);
        assert_eq!(sizes.v6_entries(), 500_000);
    }

    #[test]
    fn shares_add_up_exactly() {
        let parts = spread(1_000_003, &[1, 5, 37, 2, 9], 3);
        assert_eq!(parts.iter().sum::<u64>(), 1_000_003);
        assert!(parts.iter().all(|&part| part >= 3));
        let few = spread(4, &[1, 1, 1, 1, 1, 1], 1);
        assert_eq!(few.iter().sum::<u64>(), 4);
        let entries: u64 = (0..1000).map(|n| share_of(n, V6_ENTRIES_PER)).sum();
        assert_eq!(entries, 2500);
    }

    #[test]
    fn a_scale_must_be_positive_and_not_absurd() {
        assert!(Scale::parse("0").is_err());
        assert!(Scale::parse("-1").is_err());
        assert!(Scale::parse("NaN").is_err());
        assert!(Scale::parse("11").is_err());
        assert_eq!(Scale::parse("0.01").unwrap().value(), 0.01);
    }
}
