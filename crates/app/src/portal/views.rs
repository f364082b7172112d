//! Page views of the portal's articles: counted in memory as readers
//! come, written to the store in batches.
//!
//! Why not a write per reading: a popular article served from the page
//! cache costs no rendering, and a database write per reader would then
//! be the whole cost of the page (on SQLite, every reader waiting for the
//! one writer). The tally is written by `flush_article_views`, which the
//! server runs every few seconds and once more when it stops; a crash
//! loses at most the readings since the last flush, which changes no
//! record anyone answers for. Only (article, day, count) is kept: nothing
//! about the reader.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use domain::portal::articles::ArticleId;
use time::Date;

use crate::{App, AppError};

/// Readings not yet written, by article and day (Vietnam time).
#[derive(Debug, Default)]
pub struct ViewTally(Mutex<HashMap<(ArticleId, Date), u64>>);

impl ViewTally {
    fn add(&self, key: (ArticleId, Date), n: u64) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *map.entry(key).or_default() += n;
    }

    fn take(&self) -> HashMap<(ArticleId, Date), u64> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl App {
    /// Counts one reading of article `id` on `day`, in memory. The web
    /// layer calls it for an article page it served; readings of an
    /// article the public cannot see are dropped when written.
    pub fn count_article_view(&self, id: ArticleId, day: Date) {
        self.views.add((id, day), 1);
    }

    /// Writes the readings counted since the last flush, in one
    /// transaction, and returns how many were written. Readings of an
    /// article that is not visible are dropped. If the write fails, the
    /// readings go back to the tally for the next flush.
    pub async fn flush_article_views(&self) -> Result<u64, AppError> {
        let pending = self.views.take();
        if pending.is_empty() {
            return Ok(0);
        }
        match self.write_views(&pending).await {
            Ok(written) => Ok(written),
            Err(err) => {
                for (key, n) in pending {
                    self.views.add(key, n);
                }
                Err(err)
            }
        }
    }

    async fn write_views(
        &self,
        pending: &HashMap<(ArticleId, Date), u64>,
    ) -> Result<u64, AppError> {
        let mut ids: Vec<ArticleId> = pending.keys().map(|&(id, _)| id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut visible = HashMap::new();
        for id in ids {
            let shown = match self.public_article(id).await {
                Ok(_) => true,
                Err(AppError::NotFound(_)) => false,
                Err(err) => return Err(err),
            };
            visible.insert(id, shown);
        }
        let tx = self.store.write().await?;
        let mut written = 0;
        for (&(id, day), &n) in pending {
            if visible.get(&id) == Some(&true) {
                tx.count_views(id, day, n).await?;
                written += n;
            }
        }
        tx.commit().await?;
        Ok(written)
    }

    /// An article's views by day, the readings not yet flushed included.
    pub async fn article_views(&self, id: ArticleId) -> Result<Vec<(Date, u64)>, AppError> {
        self.flush_article_views().await?;
        Ok(self.store.read().await?.views(id).await?)
    }
}
