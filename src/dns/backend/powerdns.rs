//! PowerDNS Authoritative over its HTTP API (`/api/v1/servers/{server_id}/zones`): one
//! `PATCH` per zone and push replaces the PTR RRsets pushed (`changetype: REPLACE`) and deletes those
//! with no PTR (`changetype: DELETE`); a zone that does not exist yet is created first (kind
//! `powerdns_zone_kind`, NS from `dns_nameservers`, `soa_edit_api: DEFAULT`), so its SOA
//! serial is PowerDNS' to move (`SOA-EDIT-API`), never ptrdesk's.

use super::ZonePush;
use crate::config::{ConfigError, PowerDnsZoneKind, Settings};
use crate::dns::Publishing;
use crate::dns::names::reverse_name;
use crate::http_client::HttpClient;
use hickory_server::proto::rr::Name;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// How long PowerDNS may take to answer one request.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The API, as configured.
#[derive(Clone)]
pub struct PowerDns {
    base_url: String,
    key: SecretString,
    server_id: String,
    zone_kind: PowerDnsZoneKind,
    dns_server: SocketAddr,
}

/// The key stays out of logs.
impl std::fmt::Debug for PowerDns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PowerDns")
            .field("base_url", &self.base_url)
            .field("server_id", &self.server_id)
            .finish_non_exhaustive()
    }
}

impl PowerDns {
    /// From `powerdns_api_url`, `powerdns_api_key` (environment), `powerdns_server_id`,
    /// `powerdns_zone_kind` and `powerdns_dns_server`.
    pub fn from_settings(settings: &Settings) -> Result<PowerDns, ConfigError> {
        let url = settings.powerdns_api_url.as_deref().ok_or_else(|| {
            ConfigError::Invalid(
                "publish = \"powerdns\" needs powerdns_api_url (e.g. http://127.0.0.1:8081)"
                    .to_owned(),
            )
        })?;
        let uri: http::Uri = url
            .parse()
            .map_err(|_| ConfigError::Invalid(format!("powerdns_api_url: {url:?} is not a URL")))?;
        let host = uri.host().ok_or_else(|| {
            ConfigError::Invalid(format!("powerdns_api_url: {url:?} names no host"))
        })?;
        let key = settings.powerdns_api_key.clone().ok_or_else(|| {
            ConfigError::Invalid(
                "publish = \"powerdns\" needs the API key in PTRDESK_POWERDNS_API_KEY".to_owned(),
            )
        })?;
        let dns_server = match &settings.powerdns_dns_server {
            Some(text) => super::server_address("powerdns_dns_server", text)?,
            None => super::server_address(
                "powerdns_api_url",
                host.trim_start_matches('[').trim_end_matches(']'),
            )?,
        };
        Ok(PowerDns {
            base_url: url.trim_end_matches('/').to_owned(),
            key,
            server_id: settings.powerdns_server_id.clone(),
            zone_kind: settings.powerdns_zone_kind,
            dns_server,
        })
    }

    /// The API's URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Where PowerDNS answers DNS.
    pub fn dns_server(&self) -> SocketAddr {
        self.dns_server
    }

    fn zones_url(&self) -> String {
        format!("{}/api/v1/servers/{}/zones", self.base_url, self.server_id)
    }

    async fn call(
        &self,
        http: &HttpClient,
        method: http::Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Vec<u8>), String> {
        let bytes = match body {
            Some(body) => serde_json::to_vec(body).map_err(|err| err.to_string())?,
            None => Vec::new(),
        };
        let request = http::Request::builder()
            .method(method)
            .uri(url)
            .header("X-API-Key", self.key.expose_secret())
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::USER_AGENT, "ptrdesk")
            .body(bytes)
            .map_err(|err| format!("{url}: {err}"))?;
        let response = crate::http_client::exchange(http, request, DEADLINE).await?;
        Ok((response.status().as_u16(), response.into_body()))
    }

    /// Makes zone `push.zone` hold the pushed PTRs; creates the zone when it is missing.
    pub async fn push(
        &self,
        http: &HttpClient,
        publishing: &Publishing,
        push: &ZonePush,
    ) -> Result<(), String> {
        let zone_id = fqdn(&push.zone.name());
        let url = format!("{}/{zone_id}", self.zones_url());
        let mut rrsets = rrsets(publishing.ttl, push);
        if let Some((first, last)) = push.sweep {
            // An IPv6 range: remove what PowerDNS holds there and the database does not.
            let (status, body) = self.call(http, http::Method::GET, &url, None).await?;
            if status == 200 {
                let held: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                rrsets.extend(stale(&held, push, first, last));
            }
        }
        // Even with nothing to change the PATCH is sent: a zone ptrdesk serves exists in
        // PowerDNS too (it answers its SOA and NS), created at the first push.
        let body = json!({ "rrsets": rrsets });
        let (status, answer) = self
            .call(http, http::Method::PATCH, &url, Some(&body))
            .await?;
        if (200..300).contains(&status) {
            return Ok(());
        }
        let missing = status == 404
            || (status == 422 && String::from_utf8_lossy(&answer).contains("Could not find"));
        if !missing {
            return Err(refused(status, &answer, &zone_id));
        }
        self.create_zone(http, publishing, &zone_id).await?;
        let (status, answer) = self
            .call(http, http::Method::PATCH, &url, Some(&body))
            .await?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(refused(status, &answer, &zone_id))
        }
    }

    async fn create_zone(
        &self,
        http: &HttpClient,
        publishing: &Publishing,
        zone_id: &str,
    ) -> Result<(), String> {
        let nameservers: Vec<String> = publishing.nameservers.iter().map(fqdn).collect();
        let body = json!({
            "name": zone_id,
            "kind": self.zone_kind.as_str(),
            "nameservers": nameservers,
            "soa_edit_api": "DEFAULT",
        });
        let (status, answer) = self
            .call(http, http::Method::POST, &self.zones_url(), Some(&body))
            .await?;
        // 409: created meanwhile (another node).
        if (200..300).contains(&status) || status == 409 {
            tracing::info!(zone = %zone_id, kind = self.zone_kind.as_str(), "zone created in PowerDNS");
            Ok(())
        } else {
            Err(format!(
                "PowerDNS did not create zone {zone_id}: {}",
                answer_text(status, &answer)
            ))
        }
    }
}

fn fqdn(name: &Name) -> String {
    let mut text = name.to_ascii();
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// The RRsets of a push: REPLACE where there is a PTR, DELETE where there is none.
fn rrsets(ttl: u32, push: &ZonePush) -> Vec<Value> {
    // A delegation's CNAMEs and a PTR never meet at one name: what a cut drops goes first,
    // then the PTRs, then what a cut adds.
    let (adds, drops): (Vec<Value>, Vec<Value>) = push
        .cuts
        .iter()
        .flat_map(|cut| cut_rrsets(ttl, cut))
        .partition(|set| set.get("changetype").and_then(Value::as_str) == Some("REPLACE"));
    let ptrs = push.ptrs.iter().map(|(ip, target)| {
        let name = fqdn(&reverse_name(*ip));
        match target {
            Some(target) => json!({
                "name": name,
                "type": "PTR",
                "ttl": ttl,
                "changetype": "REPLACE",
                "records": [{ "content": fqdn(target), "disabled": false }],
            }),
            None => json!({ "name": name, "type": "PTR", "changetype": "DELETE" }),
        }
    });
    drops.into_iter().chain(ptrs).chain(adds).collect()
}

/// The RRsets of a delegated block's cut: NS at its apex and, for an RFC 2317 block, a CNAME
/// per address (each replaced, or deleted once the delegation ended).
fn cut_rrsets(ttl: u32, cut: &super::CutPush) -> Vec<Value> {
    let name = |name: &Name| format!("{}.", crate::dns::delegation::plain(name));
    let apex = name(&cut.apex);
    let ns = if cut.nameservers.is_empty() {
        json!({ "name": apex, "type": "NS", "changetype": "DELETE" })
    } else {
        let records: Vec<Value> = cut
            .nameservers
            .iter()
            .map(|server| json!({ "content": fqdn(server), "disabled": false }))
            .collect();
        json!({ "name": apex, "type": "NS", "ttl": ttl, "changetype": "REPLACE", "records": records })
    };
    let cnames = cut.cnames.iter().map(|(ip, target)| {
        let owner = fqdn(&reverse_name(*ip));
        match target {
            Some(target) => json!({
                "name": owner,
                "type": "CNAME",
                "ttl": ttl,
                "changetype": "REPLACE",
                "records": [{ "content": name(target), "disabled": false }],
            }),
            None => json!({ "name": owner, "type": "CNAME", "changetype": "DELETE" }),
        }
    });
    std::iter::once(ns).chain(cnames).collect()
}

/// DELETEs for the PTR RRsets of `held` (a zone as the API shows it) inside `first..=last`
/// that the push does not name.
fn stale(held: &Value, push: &ZonePush, first: IpAddr, last: IpAddr) -> Vec<Value> {
    let Some(sets) = held.get("rrsets").and_then(Value::as_array) else {
        return Vec::new();
    };
    sets.iter()
        .filter(|set| set.get("type").and_then(Value::as_str) == Some("PTR"))
        .filter_map(|set| set.get("name").and_then(Value::as_str))
        .filter_map(|name| Some((name, address_of(name)?)))
        .filter(|(_, ip)| first <= *ip && *ip <= last && !push.ptrs.contains_key(ip))
        .map(|(name, _)| json!({ "name": name, "type": "PTR", "changetype": "DELETE" }))
        .collect()
}

/// The address of a full reverse name (`…ip6.arpa.`, `…in-addr.arpa.`).
fn address_of(name: &str) -> Option<IpAddr> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if let Some(nibbles) = name.strip_suffix(".ip6.arpa") {
        let digits: Vec<&str> = nibbles.split('.').collect();
        if digits.len() != 32 {
            return None;
        }
        let mut value: u128 = 0;
        for digit in digits.iter().rev() {
            value = (value << 4) | u128::from_str_radix(digit, 16).ok()?;
        }
        return Some(IpAddr::V6(value.into()));
    }
    let octets = name.strip_suffix(".in-addr.arpa")?;
    let parts: Vec<u8> = octets
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match parts.as_slice() {
        [d, c, b, a] => Some(IpAddr::from([*a, *b, *c, *d])),
        _ => None,
    }
}

fn answer_text(status: u16, answer: &[u8]) -> String {
    let text = serde_json::from_slice::<Value>(answer)
        .ok()
        .and_then(|body| body.get("error").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| String::from_utf8_lossy(answer).chars().take(200).collect());
    format!("HTTP {status}: {text}")
}

fn refused(status: u16, answer: &[u8], zone: &str) -> String {
    let hint = match status {
        401 | 403 => " (check PTRDESK_POWERDNS_API_KEY against PowerDNS' api-key)",
        _ => "",
    };
    format!(
        "PowerDNS refused the PTRs of zone {zone}: {}{hint}",
        answer_text(status, answer)
    )
}

#[cfg(test)]
mod tests {
    use super::address_of;

    #[test]
    fn reverse_names_read_back_as_addresses() {
        assert_eq!(
            address_of("10.2.0.192.in-addr.arpa."),
            Some("192.0.2.10".parse().unwrap())
        );
        let v6: std::net::IpAddr = "2001:db8::1".parse().unwrap();
        let name = crate::dns::names::reverse_name(v6).to_ascii();
        assert_eq!(address_of(&name), Some(v6));
    }
}
