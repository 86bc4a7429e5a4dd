//! Robot paths as clients write them: `//rdns/IP` (a base URL ending in `/`), `/RDNS/IP`,
//! `/rdns/` are the same resources as `/rdns/IP` and `/rdns`, so that everything under
//! `/rdns` answers the API's JSON and never the panel's HTML 404 page.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::middleware::Next;

/// The canonical form of a path under `/rdns` written another way: slashes merged, the
/// `rdns` segment in lower case, no trailing slash. `None` for a path that is canonical
/// already or not under `/rdns`.
pub fn canonical(path: &str) -> Option<String> {
    let merged: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    let (first, rest) = merged.split_first()?;
    let mut canonical = match first.to_ascii_lowercase().as_str() {
        "rdns" => String::from("/rdns"),
        "rdns.yaml" => String::from("/rdns.yaml"),
        _ => return None,
    };
    for part in rest {
        canonical.push('/');
        canonical.push_str(part);
    }
    (canonical != path).then_some(canonical)
}

/// The middleware (`actix_web::middleware::from_fn`): rewrites a Robot path written another
/// way to its canonical form before routing.
pub async fn normalize(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(path) = canonical(req.path()) {
        let path_and_query = match req.query_string() {
            "" => path,
            query => format!("{path}?{query}"),
        };
        if let Ok(uri) = path_and_query.parse::<Uri>() {
            req.match_info_mut().get_mut().update(&uri);
            req.head_mut().uri = uri;
        }
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn robot_paths_written_another_way_have_one_canonical_form() {
        for (written, expected) in [
            ("//rdns/192.0.2.1", Some("/rdns/192.0.2.1")),
            ("/RDNS/192.0.2.1", Some("/rdns/192.0.2.1")),
            ("/Rdns//2001:db8::1/", Some("/rdns/2001:db8::1")),
            ("/rdns/", Some("/rdns")),
            ("//rdns", Some("/rdns")),
            ("/rdns", None),
            ("/rdns/192.0.2.1", None),
            ("/rdnsx/1", None),
            ("/rdns.yaml", None),
            ("/RDNS.yaml", Some("/rdns.yaml")),
            ("/", None),
            ("/customer", None),
        ] {
            assert_eq!(canonical(written).as_deref(), expected, "{written}");
        }
    }
}
