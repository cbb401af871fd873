//! How the domain's values are stored (ARCHITECTURE.md, "Data"): a `UtcTime` as fixed-format
//! RFC 3339 text, a `Day` as `YYYY-MM-DD`, money as integer pence, a yes/no as 0 or 1. Each
//! decodes and binds directly, so a row struct says `pub due_on: Day` and a query binds
//! `now: UtcTime`; no query reads a column by hand or passes a time as `&str`. Coded enums
//! (statuses, kinds) decode through their `TryFrom<String>`: `#[sqlx(try_from = "String")]`.
use crate::domain::money::Pence;
use crate::domain::time::{Day, UtcTime};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Type};

/// A 0/1 column read as a `bool`: `#[sqlx(try_from = "Flag")] pub is_final: bool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

impl From<bool> for Flag {
    fn from(b: bool) -> Flag {
        Flag(b)
    }
}

/// A JSON text column read as the value it holds: `#[sqlx(try_from = "JsonText")] pub plan:
/// Vec<PlanYear>`. Stored JSON is written by this service; an empty text reads as empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonText(pub String);

impl<T: serde::de::DeserializeOwned> TryFrom<JsonText> for Vec<T> {
    type Error = serde_json::Error;
    fn try_from(json: JsonText) -> Result<Self, Self::Error> {
        if json.0.trim().is_empty() {
            return Ok(Vec::new());
        }
        serde_json::from_str(&json.0)
    }
}

/// A JSON object column read as a map (a bid section's answers: field name to text).
impl<K, V> TryFrom<JsonText> for std::collections::BTreeMap<K, V>
where
    K: Ord + serde::de::DeserializeOwned,
    V: serde::de::DeserializeOwned,
{
    type Error = serde_json::Error;
    fn try_from(json: JsonText) -> Result<Self, Self::Error> {
        serde_json::from_str(&json.0)
    }
}

/// `$t` is stored as `$repr`: `to` turns a value into it, `from` reads one back.
macro_rules! stored_as {
    ($t:ty, $repr:ty, to = $to:expr, from = $from:expr) => {
        impl Type<Any> for $t {
            fn type_info() -> <Any as Database>::TypeInfo {
                <$repr as Type<Any>>::type_info()
            }
            fn compatible(ty: &<Any as Database>::TypeInfo) -> bool {
                <$repr as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $t {
            fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let stored = <$repr as Decode<'r, Any>>::decode(value)?;
                let from: fn($repr) -> Result<$t, BoxDynError> = $from;
                from(stored)
            }
        }

        impl<'q> Encode<'q, Any> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                let to: fn(&$t) -> $repr = $to;
                <$repr as Encode<'q, Any>>::encode(to(self), buf)
            }
        }
    };
}

stored_as!(
    UtcTime,
    String,
    to = |t| t.to_db(),
    from = |s| Ok(UtcTime::try_from(s)?)
);
stored_as!(
    Day,
    String,
    to = |d| d.to_db(),
    from = |s| Ok(Day::try_from(s)?)
);
stored_as!(
    JsonText,
    String,
    to = |j| j.0.clone(),
    from = |s| Ok(JsonText(s))
);
stored_as!(Pence, i64, to = |p| p.0, from = |n| Ok(Pence(n)));
stored_as!(
    Flag,
    i64,
    to = |f| i64::from(f.0),
    from = |n| Ok(Flag(n != 0))
);

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    #[derive(Debug, sqlx::FromRow)]
    struct Sample {
        at: UtcTime,
        due: Day,
        later: Option<Day>,
        amount: Pence,
        #[sqlx(try_from = "Flag")]
        done: bool,
        #[sqlx(try_from = "i64")]
        position: u32,
    }

    #[tokio::test]
    async fn domain_values_round_trip_through_the_database() {
        sqlx::any::install_default_drivers();
        // A file, not `sqlite::memory:` (each pooled connection would get its own database).
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/types.db?mode=rwc", dir.path().display());
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let at = UtcTime::try_from("2026-12-05T09:30:00.000000Z".to_string()).unwrap();
        let due = Day::try_from("2027-03-31".to_string()).unwrap();
        let row = sqlx::query(
            "SELECT $1 AS at, $2 AS due, NULL AS later, $3 AS amount, $4 AS done, 3 AS position",
        )
        .bind(at)
        .bind(due)
        .bind(Pence(1_250_050))
        .bind(Flag(true))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(row.try_get::<String, _>("at").unwrap(), at.to_db());
        let s: Sample = sqlx::FromRow::from_row(&row).unwrap();
        assert_eq!((s.at, s.due, s.later), (at, due, None));
        assert_eq!((s.amount, s.done, s.position), (Pence(1_250_050), true, 3));
        let bad = sqlx::query("SELECT 'not a time' AS at")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(bad.try_get::<UtcTime, _>("at").is_err());
    }
}
