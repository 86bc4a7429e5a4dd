//! Random tokens (session keys, CSRF tokens, API secrets, request ids) and the one
//! constant-time comparison of secrets. A leaf: everything above may use it.

/// `bytes` random bytes as hex.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::fill(&mut buffer[..]);
    hex::encode(buffer)
}

/// Whether `a` and `b` are equal, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// HMAC-SHA256 of `message` under `key`, as hex: the signature of links that work without a
/// session (the unsubscribe link of a mail).
pub fn sign(key: &[u8], message: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `signature` is [`sign`]'s for `message` under `key` (compared in constant time).
pub fn verify(key: &[u8], message: &str, signature: &str) -> bool {
    constant_time_eq(sign(key, message).as_bytes(), signature.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_hex_of_their_length_and_differ() {
        let (a, b) = (random_token(16), random_token(16));
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(constant_time_eq(a.as_bytes(), a.as_bytes()));
        assert!(!constant_time_eq(a.as_bytes(), b.as_bytes()));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn a_signature_holds_for_its_message_and_key_only() {
        let signature = sign(b"key", "unsubscribe 7 drift");
        assert!(verify(b"key", "unsubscribe 7 drift", &signature));
        assert!(!verify(b"key", "unsubscribe 8 drift", &signature));
        assert!(!verify(b"other", "unsubscribe 7 drift", &signature));
        assert!(!verify(b"key", "unsubscribe 7 drift", "00"));
    }
}
