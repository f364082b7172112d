//! Recording broadcast logs: one from the form, or a month's from a CSV
//! file (`domain::grassroots::import`), which is checked whole and
//! written in one transaction or not at all. The preview runs the same
//! checks without writing.

use std::collections::HashSet;

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::grassroots::import::{self, Known};
use domain::grassroots::logs::BroadcastLog;
use domain::grassroots::stations::StationId;
use time::{Date, Month};

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

impl App {
    /// Records one day's log of `log.station_id`.
    pub async fn record_log(&self, ctx: &Ctx, log: BroadcastLog) -> Result<BroadcastLog, AppError> {
        let station = self.station_record(log.station_id).await?;
        ctx.require(
            Permission::ManageGrassroots,
            &self.lineage(station.agency_id).await?,
        )?;
        let campaigns = self.campaigns(ctx, station.agency_id).await?;
        let logged = self
            .store
            .read()
            .await?
            .logged_days((log.day, log.day))
            .await?;
        let today = vn::dates::vietnam_date(self.now());
        let log = log
            .checked(
                &station,
                &|day| logged.contains(&(station.id, day)),
                &campaigns,
                today,
            )
            .map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        tx.insert_logs(std::slice::from_ref(&log)).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "grassroots.log.record",
                object_type: "radio_station",
                object_id: station.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&log).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(log)
    }

    /// The logs a CSV file holds for the stations kept by `agency` and
    /// below, every row checked; or every wrong row. Writes nothing.
    pub async fn preview_log_import(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        bytes: &[u8],
    ) -> Result<Vec<BroadcastLog>, AppError> {
        ctx.require(Permission::ManageGrassroots, &self.lineage(agency).await?)?;
        let rows = import::parse(bytes).map_err(|e| AppError::Invalid(e.lines().join("\n")))?;
        let stations: Vec<_> = self
            .stations(ctx, agency)
            .await?
            .into_iter()
            .map(|e| (e.station, e.commune.code.as_str().to_owned()))
            .collect();
        let campaigns = self.campaigns(ctx, agency).await?;
        let first = rows.iter().map(|r| r.day).min();
        let last = rows.iter().map(|r| r.day).max();
        let logged = match first.zip(last) {
            Some(period) => self.store.read().await?.logged_days(period).await?,
            None => HashSet::new(),
        };
        let known = Known {
            stations: &stations,
            campaigns: &campaigns,
            logged: &logged,
            today: vn::dates::vietnam_date(self.now()),
        };
        import::resolve(rows, &known).map_err(|e| AppError::Invalid(e.lines().join("\n")))
    }

    /// Imports a CSV file of logs for the stations kept by `agency` and
    /// below: all its rows, or none. Returns how many logs were written.
    pub async fn import_logs(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        bytes: &[u8],
    ) -> Result<usize, AppError> {
        let logs = self.preview_log_import(ctx, agency, bytes).await?;
        let stations: HashSet<StationId> = logs.iter().map(|l| l.station_id).collect();
        let mut tx = self.store.write().await?;
        // The unique key on a station's day refuses, and rolls back, a log
        // written by someone else since the preview's checks.
        tx.insert_logs(&logs).await.map_err(|e| match e {
            store::StoreError::Duplicate(_) => AppError::Conflict(
                "Có nhật ký vừa được ghi cho cùng đài và ngày; hãy tải tệp lên lại".into(),
            ),
            other => other.into(),
        })?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "grassroots.log.import",
                object_type: "agency",
                object_id: agency.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "logs": logs.len(),
                    "stations": stations.len(),
                    "from": logs.iter().map(|l| l.day).min(),
                    "to": logs.iter().map(|l| l.day).max(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(logs.len())
    }

    /// Station `id`'s logs of a month, by day.
    pub async fn station_month(
        &self,
        ctx: &Ctx,
        id: StationId,
        (year, month): (i32, Month),
    ) -> Result<Vec<BroadcastLog>, AppError> {
        self.station(ctx, id).await?;
        let bad = |_| AppError::Invalid("Tháng không hợp lệ".into());
        let first = Date::from_calendar_date(year, month, 1).map_err(bad)?;
        let last = Date::from_calendar_date(year, month, time::util::days_in_month(month, year))
            .map_err(bad)?;
        Ok(self
            .store
            .read()
            .await?
            .station_logs(id, (first, last))
            .await?)
    }
}
