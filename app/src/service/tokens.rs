//! Single-use tokens for links sent by email (verify an address, reset a password, join an
//! organisation): the link carries the token, the database keeps only its digest.

/// A new random token and the digest to store.
pub fn new_token() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let digest = token_digest(&token);
    (token, digest)
}

/// The digest of a token as stored (SHA-256, hex).
pub fn token_digest(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_digest_is_kept_and_it_reads_back_from_the_link() {
        let (token, digest) = new_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, digest);
        assert_eq!(token_digest(&format!(" {token}\n")), digest);
        assert_ne!(new_token().0, token);
    }
}
