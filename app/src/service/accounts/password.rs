//! Passwords: argon2id, hashed and checked on blocking threads.
use crate::error::{AppError, AppResult};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;

/// Hash with argon2id on a blocking thread.
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"not a real password, only for timing", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verify on a blocking thread. With no stored hash, verify against a dummy so that
/// an unknown email takes as long as a wrong password.
pub async fn verify_password(stored: Option<String>, password: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let is_real = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_string());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && is_real
    })
    .await
    .map_err(AppError::internal)
}

/// Warm the dummy hash at start-up so the first unknown-email sign-in is not faster or slower.
pub fn warm_up() {
    let _ = dummy_hash();
}
