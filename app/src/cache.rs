//! The page cache: pages' data kept between requests. A round's moderation ranking covers every bid of the
//! round and a page of the portfolio reads hundreds of returns; both are read far more often
//! than anything they show changes. Each value is kept with the data epoch it was worked
//! out at (db::epoch: it moves on after every request that may write and every clock job
//! that wrote) and is worked out again once the epoch has moved on. Nothing is kept across
//! a change, so a page never shows older data than the database holds when the request starts.
//! Who may see a page is still decided on every request, before anything kept is read.
use crate::error::AppError;
use crate::web::CachedAt;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many values are kept at most (each is one round's ranking, one page of data or the
/// HTML of one page's rows).
const MOST: usize = 128;

type Entry = (i64, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct PageCache {
    entries: Mutex<HashMap<String, Entry>>,
    /// One lock per key being worked out: after a change, concurrent requests for the same
    /// value wait for the first to work it out instead of each working it out (32 at once
    /// held 32 copies of a round's ranking: 230 MB).
    making: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl PageCache {
    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while the lock was held leaves nothing half-written: the map is still whole.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value kept under `key` at this epoch, or `make`'s (then kept); with the key
    /// and epoch it belongs to.
    pub async fn get_or_make<T, F, Fut>(
        &self,
        pool: &sqlx::AnyPool,
        key: String,
        make: F,
    ) -> Result<(CachedAt, Arc<T>), AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        // Read before the data, so a change that lands meanwhile moves it past what is kept.
        let epoch = crate::db::epoch::current(pool).await?;
        if let Some((epoch, value)) = self.at_least(&key, epoch) {
            return Ok((CachedAt { key, epoch }, value));
        }
        let lock = self.making().entry(key.clone()).or_default().clone();
        let _making = lock.lock().await;
        // Whoever held the lock may have worked it out meanwhile (at this epoch or a
        // later one: never older than the database when this request started).
        if let Some((epoch, value)) = self.at_least(&key, epoch) {
            return Ok((CachedAt { key, epoch }, value));
        }
        let made = make().await.map(|value| {
            let value = Arc::new(value);
            self.keep(key.clone(), epoch, value.clone());
            value
        });
        self.making().remove(&key);
        Ok((CachedAt { key, epoch }, made?))
    }

    fn making(&self) -> MutexGuard<'_, HashMap<String, Arc<tokio::sync::Mutex<()>>>> {
        self.making.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value kept under `key` at `epoch` or a later one, with its epoch.
    fn at_least<T: Send + Sync + 'static>(&self, key: &str, epoch: i64) -> Option<(i64, Arc<T>)> {
        let entries = self.entries();
        let (at, value) = entries.get(key)?;
        if *at < epoch {
            return None;
        }
        Some((*at, value.clone().downcast::<T>().ok()?))
    }

    /// HTML rendered from what is kept at `at` (a page's rows), kept beside it for the same
    /// epoch: rendered once per change instead of on every request.
    pub fn html(&self, at: &CachedAt, render: impl FnOnce() -> String) -> Arc<str> {
        let key = format!("{}#html", at.key);
        if let Some(html) = self.at::<Arc<str>>(&key, at.epoch) {
            return (*html).clone();
        }
        let html: Arc<str> = render().into();
        self.keep(key, at.epoch, Arc::new(html.clone()));
        html
    }

    /// The value kept under `key` at exactly this epoch.
    fn at<T: Send + Sync + 'static>(&self, key: &str, epoch: i64) -> Option<Arc<T>> {
        self.at_least(key, epoch)
            .filter(|(at, _)| *at == epoch)
            .map(|(_, value)| value)
    }

    fn keep(&self, key: String, epoch: i64, value: Arc<dyn Any + Send + Sync>) {
        let mut entries = self.entries();
        if entries.len() >= MOST && !entries.contains_key(&key) {
            entries.retain(|_, (at, _)| *at >= epoch);
            if entries.len() >= MOST {
                entries.clear();
            }
        }
        match entries.get(&key) {
            // A slower request that read an older epoch does not replace a newer value.
            Some((at, _)) if *at > epoch => {}
            _ => {
                entries.insert(key, (epoch, value));
            }
        }
    }

    /// Forget everything (when the epoch could not be moved on after a write).
    pub fn clear(&self) {
        self.entries().clear();
    }

    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_only_for_its_epoch() {
        let cache = PageCache::default();
        cache.keep("a".into(), 3, Arc::new(7u32));
        assert_eq!(cache.at::<u32>("a", 3).as_deref(), Some(&7));
        assert_eq!(cache.at::<u32>("a", 4), None);
        // The wrong type is a miss, not a panic.
        assert_eq!(cache.at::<String>("a", 3), None);
        // An older epoch's value never replaces a newer one.
        cache.keep("a".into(), 5, Arc::new(9u32));
        cache.keep("a".into(), 4, Arc::new(8u32));
        assert_eq!(cache.at::<u32>("a", 5).as_deref(), Some(&9));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_misses_work_a_value_out_once() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        sqlx::any::install_default_drivers();
        // A file, not sqlite::memory: (each pooled connection would get its own empty one).
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/cache.db?mode=rwc", dir.path().display());
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await
            .unwrap();
        for sql in [
            "CREATE TABLE data_epoch (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
            "INSERT INTO data_epoch (id, n) VALUES (1, 1)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        let cache = Arc::new(PageCache::default());
        let made = Arc::new(AtomicUsize::new(0));
        let burst = |value: u32| {
            (0..16)
                .map(|_| {
                    let (cache, made, pool) = (cache.clone(), made.clone(), pool.clone());
                    tokio::spawn(async move {
                        let (at, v) = cache
                            .get_or_make(&pool, "moderation/1".into(), || async {
                                made.fetch_add(1, SeqCst);
                                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                                Ok::<_, AppError>(value)
                            })
                            .await
                            .unwrap();
                        (at.epoch, *v)
                    })
                })
                .collect::<Vec<_>>()
        };
        for task in burst(7) {
            assert_eq!(task.await.unwrap(), (1, 7));
        }
        assert_eq!(
            made.load(SeqCst),
            1,
            "16 requests at once worked it out once"
        );
        // After a change it is worked out again, once.
        sqlx::query("UPDATE data_epoch SET n = 2")
            .execute(&pool)
            .await
            .unwrap();
        for task in burst(8) {
            assert_eq!(task.await.unwrap(), (2, 8));
        }
        assert_eq!(made.load(SeqCst), 2);
    }

    #[test]
    fn html_is_rendered_once_per_epoch() {
        let cache = PageCache::default();
        let renders = std::cell::Cell::new(0);
        let render = |text: &str| {
            renders.set(renders.get() + 1);
            text.to_string()
        };
        let at = |epoch| CachedAt {
            key: "moderation/1/page/1".into(),
            epoch,
        };
        assert_eq!(&*cache.html(&at(1), || render("<tr>a</tr>")), "<tr>a</tr>");
        assert_eq!(&*cache.html(&at(1), || render("<tr>b</tr>")), "<tr>a</tr>");
        assert_eq!(renders.get(), 1);
        // After a change it is rendered again from the new data.
        assert_eq!(&*cache.html(&at(2), || render("<tr>b</tr>")), "<tr>b</tr>");
        assert_eq!(renders.get(), 2);
        // Another page's rows are its own.
        let other = CachedAt {
            key: "moderation/1/page/2".into(),
            epoch: 2,
        };
        assert_eq!(&*cache.html(&other, || render("<tr>c</tr>")), "<tr>c</tr>");
    }

    #[test]
    fn it_holds_a_bounded_number_of_values() {
        let cache = PageCache::default();
        for i in 0..(MOST as i64 * 3) {
            cache.keep(format!("k{i}"), i / 10, Arc::new(i));
            assert!(cache.len() <= MOST);
        }
        // The newest is always there.
        let last = MOST as i64 * 3 - 1;
        assert_eq!(
            cache.at::<i64>(&format!("k{last}"), last / 10).as_deref(),
            Some(&last)
        );
        cache.clear();
        assert!(cache.is_empty());
    }
}
