//! The public-service figures of the monthly report (issue 8, item 7;
//! issue 13 assembles them): dossiers received in a period by channel and
//! by service level with the online share of each level, those resolved
//! early, on time or late, and those pending when the period ended.
//!
//! Invariant: every figure is a query over records, for the agency asked
//! and everything below it, as of the period asked (Vietnam days).

use std::collections::BTreeMap;

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::services::{Channel, Level, Timeliness};
use time::Date;

use crate::{App, AppError, Ctx};

/// Dossiers received at one service level.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LevelFigures {
    pub desk: u64,
    pub online: u64,
    pub post: u64,
    /// Online as a share of all received at this level, as the report
    /// writes it ("16,8%"); `None` when none was received.
    pub online_percent: Option<String>,
}

impl LevelFigures {
    pub fn total(&self) -> u64 {
        self.desk + self.online + self.post
    }
}

/// The "Hệ thống Cổng dịch vụ công" line's dossier figures.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServicesFigures {
    /// Received in the period, per level (levels with none left out).
    pub by_level: BTreeMap<Level, LevelFigures>,
    /// Received in the period, per channel, all levels.
    pub desk: u64,
    pub online: u64,
    pub post: u64,
    /// Results returned in the period, against their due dates.
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
    /// Received by the end of the period and not returned by then.
    pub pending: u64,
    /// Of those, past their due date with the clock running.
    pub overdue: u64,
}

impl ServicesFigures {
    pub fn received(&self) -> u64 {
        self.desk + self.online + self.post
    }

    pub fn resolved(&self) -> u64 {
        self.early + self.on_time + self.late
    }
}

impl App {
    /// The figures for `root` and every agency below it, between two days
    /// (inclusive).
    pub async fn services_figures(
        &self,
        ctx: &Ctx,
        root: AgencyId,
        (first, last): (Date, Date),
    ) -> Result<ServicesFigures, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(root).await?)?;
        let period = crate::period::moments((first, last))?;
        let agencies = self.subtree(root).await?;
        let tx = self.store.read().await?;
        let mut figures = ServicesFigures::default();
        for count in tx
            .dossiers_received_by_channel_and_level(&agencies, period)
            .await?
        {
            let level = figures.by_level.entry(count.level).or_default();
            let (by_level, overall) = match count.channel {
                Channel::Desk => (&mut level.desk, &mut figures.desk),
                Channel::Online => (&mut level.online, &mut figures.online),
                Channel::Post => (&mut level.post, &mut figures.post),
            };
            *by_level += count.count;
            *overall += count.count;
        }
        for level in figures.by_level.values_mut() {
            level.online_percent = vn::numbers::percent_of(level.online, level.total());
        }
        for (timeliness, count) in tx
            .dossiers_returned_by_timeliness(&agencies, period)
            .await?
        {
            let slot = match timeliness {
                Timeliness::Early => &mut figures.early,
                Timeliness::OnTime => &mut figures.on_time,
                Timeliness::Late => &mut figures.late,
            };
            *slot += count;
        }
        let pending = tx.dossiers_pending_at(&agencies, period.1, last).await?;
        figures.pending = pending.pending;
        figures.overdue = pending.overdue;
        Ok(figures)
    }
}
