//! Sign-in through the provider's OpenID Connect provider: the authorization code flow with
//! PKCE, `state` and `nonce`, and an ID token whose signature (the provider's JWKS), issuer,
//! audience, expiry and nonce are verified before anything of it is believed.
//!
//! The provider's discovery document and keys are fetched on the first sign-in and kept for
//! [`METADATA_TTL`] (so a key rotation reaches ptrdesk within minutes); a provider that does
//! not answer within [`HTTP_TIMEOUT`] fails that sign-in with a clear message, never the
//! start of `serve`. Which ptrdesk user an identity is, and whether it may sign in at all,
//! is [`crate::admin::accounts::sign_in_with_identity`]'s.

use crate::config::{ConfigError, Settings};
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long the discovery document and the provider's keys are reused.
pub const METADATA_TTL: Duration = Duration::from_secs(300);
/// Deadline of one request to the provider (discovery, keys, token endpoint).
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(5);

/// The OpenID Connect settings, checked.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<SecretString>,
    /// `None`: the panel's public address (see [`crate::routes::same_origin`]) and
    /// `/login/oidc/callback`.
    redirect: Option<RedirectUrl>,
    customer_claim: String,
    role_claim: String,
    /// The provider's name on the sign-in button.
    pub provider_name: String,
}

impl OidcSettings {
    /// The OpenID Connect settings of `settings`, checked; `None` when `oidc_issuer_url` is
    /// unset.
    pub fn from_settings(settings: &Settings) -> Result<Option<OidcSettings>, ConfigError> {
        let Some(issuer) = &settings.oidc_issuer_url else {
            return Ok(None);
        };
        let client_id = settings.oidc_client_id.clone().ok_or_else(|| {
            ConfigError::Invalid("oidc_issuer_url is set but oidc_client_id is not".to_owned())
        })?;
        let redirect = match (&settings.oidc_redirect_url, settings.public_url()?) {
            (Some(url), _) => Some(url.clone()),
            (None, Some(public)) => Some(format!("{public}/login/oidc/callback")),
            (None, None) => None,
        };
        OidcSettings::new(
            issuer,
            &client_id,
            settings.oidc_client_secret.clone(),
            redirect.as_deref(),
            &settings.oidc_customer_claim,
            &settings.oidc_role_claim,
            &settings.oidc_provider_name,
        )
        .map(Some)
        .map_err(|err| ConfigError::Invalid(format!("OpenID Connect: {err}")))
    }

    /// Checks the URLs; the error says which one is wrong.
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: Option<SecretString>,
        redirect: Option<&str>,
        customer_claim: &str,
        role_claim: &str,
        provider_name: &str,
    ) -> Result<OidcSettings, String> {
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_owned())
            .map_err(|err| format!("oidc_issuer_url {issuer:?}: {err}"))?;
        let redirect = redirect
            .map(|url| {
                RedirectUrl::new(url.to_owned())
                    .map_err(|err| format!("oidc_redirect_url {url:?}: {err}"))
            })
            .transpose()?;
        Ok(OidcSettings {
            issuer,
            client_id: ClientId::new(client_id.to_owned()),
            client_secret,
            redirect,
            customer_claim: customer_claim.to_owned(),
            role_claim: role_claim.to_owned(),
            provider_name: provider_name.to_owned(),
        })
    }
}

/// What the session keeps between sending the browser to the provider and its return: used
/// once, then removed (a replayed `state` finds nothing).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    redirect: String,
    state: String,
    nonce: String,
    pkce_verifier: String,
}

/// A verified identity, as the provider's ID token states it.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The issuer (`iss`).
    pub issuer: String,
    /// The subject (`sub`): with the issuer, the one key a ptrdesk user is linked by.
    pub subject: String,
    /// The customer claim's value.
    pub customer_number: Option<String>,
    /// The role claim's value.
    pub role: Option<String>,
    /// A name to make the ptrdesk user name from (`preferred_username`, else `email`).
    pub name_hint: Option<String>,
    /// The `email` claim (unless `email_verified` is false): where notification mails go.
    pub email: Option<String>,
}

/// Why a sign-in through the provider failed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider did not answer, or answered nonsense (discovery, keys, token endpoint).
    #[error("the sign-in provider could not be reached or gave no usable answer: {0}")]
    Provider(String),
    /// The browser came back without a sign-in this session started, or with another one's
    /// `state` (replayed, forged, or a second tab).
    #[error("this sign-in was not started here or was already used")]
    UnknownState,
    /// The provider refused (the user pressed "deny", or another error).
    #[error("the sign-in provider refused: {0}")]
    Refused(String),
    /// The ID token failed verification (signature, issuer, audience, expiry, nonce).
    #[error("the sign-in provider's ID token is not valid: {0}")]
    InvalidToken(String),
}

/// An HTTP failure talking to the provider.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// The OpenID Connect client of one provider.
pub struct Oidc {
    settings: OidcSettings,
    http: crate::http_client::HttpClient,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.settings.issuer)
            .finish_non_exhaustive()
    }
}

impl Oidc {
    /// A client for `settings`; talks to the provider only when someone signs in.
    pub fn new(settings: OidcSettings) -> anyhow::Result<Oidc> {
        let http = crate::http_client::build()?;
        Ok(Oidc {
            settings,
            http,
            metadata: Mutex::new(None),
        })
    }

    /// The provider's name on the sign-in button.
    pub fn provider_name(&self) -> &str {
        &self.settings.provider_name
    }

    async fn send(
        &self,
        request: openidconnect::HttpRequest,
    ) -> Result<openidconnect::HttpResponse, HttpError> {
        crate::http_client::exchange(&self.http, request, HTTP_TIMEOUT)
            .await
            .map_err(HttpError)
    }

    /// The discovery document with the provider's keys, fetched at most every
    /// [`METADATA_TTL`]; `fresh` fetches them now (a token signed with a key not seen yet).
    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = self.metadata.lock().await;
        if !fresh
            && let Some((at, metadata)) = cached.as_ref()
            && at.elapsed() < METADATA_TTL
        {
            return Ok(metadata.clone());
        }
        let http = |request| self.send(request);
        let metadata = CoreProviderMetadata::discover_async(self.settings.issuer.clone(), &http)
            .await
            .map_err(|err| OidcError::Provider(crate::http_client::error_chain(&err)))?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    /// Where the provider sends the browser back: the configured URL, else `public_origin`
    /// (the panel's address as this browser reaches it) and `/login/oidc/callback`.
    pub fn redirect_url(&self, public_origin: &str) -> String {
        match &self.settings.redirect {
            Some(url) => url.as_str().to_owned(),
            None => format!("{public_origin}/login/oidc/callback"),
        }
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
        redirect: &str,
    ) -> Result<
        openidconnect::core::CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        OidcError,
    > {
        let secret = self
            .settings
            .client_secret
            .as_ref()
            .map(|secret| ClientSecret::new(secret.expose_secret().to_owned()));
        let redirect = RedirectUrl::new(redirect.to_owned())
            .map_err(|err| OidcError::Provider(format!("redirect URL {redirect:?}: {err}")))?;
        Ok(
            CoreClient::from_provider_metadata(metadata, self.settings.client_id.clone(), secret)
                .set_redirect_uri(redirect),
        )
    }

    /// Where to send the browser, and what to keep in its session until it comes back to
    /// `redirect` (see [`Oidc::redirect_url`]).
    pub async fn begin(&self, redirect: &str) -> Result<(String, PendingSignIn), OidcError> {
        let client = self.client(self.metadata(false).await?, redirect)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".to_owned()))
            .add_scope(Scope::new("email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = PendingSignIn {
            redirect: redirect.to_owned(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        };
        Ok((url.to_string(), pending))
    }

    /// Completes a sign-in: checks `state` against what this session started, exchanges
    /// `code` (with the PKCE verifier) and verifies the ID token.
    pub async fn finish(
        &self,
        pending: PendingSignIn,
        code: &str,
        state: &str,
    ) -> Result<Identity, OidcError> {
        if !crate::token::constant_time_eq(pending.state.as_bytes(), state.as_bytes()) {
            return Err(OidcError::UnknownState);
        }
        let http = |request| self.send(request);
        let client = self.client(self.metadata(false).await?, &pending.redirect)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|err| OidcError::Provider(crate::http_client::error_chain(&err)))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&http)
            .await
            .map_err(|err| OidcError::Refused(crate::http_client::error_chain(&err)))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| OidcError::InvalidToken("the answer carries no ID token".to_owned()))?;
        let nonce = Nonce::new(pending.nonce);
        let verified = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(claims) => claims.clone(),
            // A key the cached JWKS does not have yet: the provider rotated; fetch once more.
            Err(openidconnect::ClaimsVerificationError::SignatureVerification(_)) => {
                let client = self.client(self.metadata(true).await?, &pending.redirect)?;
                id_token
                    .claims(&client.id_token_verifier(), &nonce)
                    .map_err(|err| OidcError::InvalidToken(crate::http_client::error_chain(&err)))?
                    .clone()
            }
            Err(err) => {
                return Err(OidcError::InvalidToken(crate::http_client::error_chain(
                    &err,
                )));
            }
        };
        // The token's signature is verified: its other claims may be read from its payload.
        let claims = payload_claims(id_token)?;
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        Ok(Identity {
            issuer: verified.issuer().as_str().to_owned(),
            subject: verified.subject().as_str().to_owned(),
            customer_number: text(&self.settings.customer_claim),
            role: text(&self.settings.role_claim),
            name_hint: text("preferred_username").or_else(|| text("email")),
            email: text("email").filter(|_| {
                claims
                    .get("email_verified")
                    .and_then(serde_json::Value::as_bool)
                    != Some(false)
            }),
        })
    }
}

/// The claims of a (verified) ID token's payload, as JSON.
fn payload_claims(
    id_token: &openidconnect::core::CoreIdToken,
) -> Result<serde_json::Map<String, serde_json::Value>, OidcError> {
    use base64::Engine as _;
    let invalid = |why: &str| OidcError::InvalidToken(why.to_owned());
    let jwt = serde_json::to_value(id_token)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .ok_or_else(|| invalid("the ID token is not a compact JWT"))?;
    let payload = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| invalid("the ID token has no payload"))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| invalid("the ID token's payload is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| invalid("the ID token's payload is not JSON"))
}
