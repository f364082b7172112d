//! Grassroots information on the staff pages (issue 10): the register of
//! commune radio stations with a station's page (its logs of a month, the
//! log form, ending its service), the new station form, the CSV import
//! of logs (checked first, then imported whole), the campaigns with their
//! reach, and the report's figures over a period. The register shown is
//! the one kept by the officer's agency and the units below it.

use app::AppError;
use app::grassroots::registers::StationEntry;
use askama::Template;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::{AgencyId, AgencyKind};
use domain::authz::Permission;
use domain::grassroots::campaigns::Campaign;
use domain::grassroots::figures::GrassrootsFigures;
use domain::grassroots::import::{HEADERS, LIST_SEPARATOR, MAX_BYTES};
use domain::grassroots::logs::{BroadcastLog, Relayed};
use domain::grassroots::stations::{Frequency, FrequencyLicence, Station, StationKind};
use domain::licensing::{LicenceKind, LicenceStatus};
use serde::Deserialize;
use time::{Date, Month};

use super::{Chrome, PeriodQuery, error_page, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};
use crate::upload::{Limits, read_ui_form};

pub const NAV: &str = "/app/grassroots";
/// What the import's body may carry: the file and the form's fields.
pub const IMPORT_BODY_LIMIT: usize = MAX_BYTES + 64 * 1024;

/// The officer's agency, whose register (and its units') the pages show.
fn home(user: &UiUser) -> AgencyId {
    user.signed_in.person.agency_id
}

fn may_manage(user: &UiUser) -> bool {
    !user
        .signed_in
        .actor
        .roots_of(Permission::ManageGrassroots)
        .is_empty()
}

/// A day typed in a form (`yyyy-mm-dd` from a date field, or dd/mm/yyyy),
/// or none when left empty.
pub fn day_of(text: &str, what: &str) -> Result<Option<Date>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, iso)
        .ok()
        .or_else(|| vn::dates::parse_short(text).ok())
        .map(Some)
        .ok_or_else(|| AppError::Invalid(format!("{what}: «{text}» không phải một ngày")))
}

/// A day a form must give.
pub fn required_day(text: &str, what: &str) -> Result<Date, AppError> {
    day_of(text, what)?.ok_or_else(|| AppError::Invalid(format!("Cần ghi {what}")))
}

/// A whole number typed in a form; empty is 0.
fn number(text: &str, what: &str) -> Result<u32, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse()
        .map_err(|_| AppError::Invalid(format!("{what}: «{text}» không phải số nguyên không âm")))
}

fn short(day: Date) -> String {
    vn::dates::format_short(day)
}

/// A wireless station's frequency licence as a line shows it.
struct LicenceLine {
    /// The licence's number in the public registry, when it is a record.
    number: String,
    /// The number as written by hand, when it is not.
    written: bool,
    /// "Còn hiệu lực đến …", "Hết hiệu lực …", or the written expiry.
    standing: String,
    /// Whether it wants attention (expired, revoked, or not linked).
    alarm: bool,
    /// The renewal in force, when the linked licence was renewed.
    renewed_by: String,
}

impl LicenceLine {
    fn of(e: &StationEntry) -> Option<Self> {
        let f = e.station.frequency.as_ref()?;
        let until = |d: Option<Date>| {
            d.map(|d| format!(" (hạn {})", short(d)))
                .unwrap_or_default()
        };
        Some(match (&f.licence, &e.licence) {
            (FrequencyLicence::Written { number, expiry }, _) => Self {
                number: number.clone(),
                written: true,
                standing: format!("ghi tay, chưa liên kết sổ giấy phép{}", until(*expiry)),
                alarm: true,
                renewed_by: String::new(),
            },
            (FrequencyLicence::Record(_), Some(l)) => Self {
                number: l.linked.number.clone(),
                written: false,
                standing: format!("{}{}", l.status.label(), until(l.current.valid_until)),
                alarm: matches!(l.status, LicenceStatus::Expired | LicenceStatus::Revoked),
                renewed_by: if l.current.id == l.linked.id {
                    String::new()
                } else {
                    l.current.number.clone()
                },
            },
            (FrequencyLicence::Record(id), None) => Self {
                number: format!("#{id}"),
                written: false,
                standing: String::new(),
                alarm: true,
                renewed_by: String::new(),
            },
        })
    }
}

struct StationLine {
    id: i64,
    code: String,
    name: String,
    commune: String,
    kind: &'static str,
    equipment: String,
    service: String,
    licence: Option<LicenceLine>,
}

impl StationLine {
    fn of(e: &StationEntry) -> Self {
        let s = &e.station;
        let frequency = s
            .frequency
            .as_ref()
            .map(|f| format!(", {} MHz", f.mhz))
            .unwrap_or_default();
        Self {
            licence: LicenceLine::of(e),
            id: s.id,
            code: e.code.clone(),
            name: s.name.clone(),
            commune: e.commune.name.clone(),
            kind: s.kind.label(),
            equipment: format!(
                "{} W, {} cụm loa{frequency}",
                s.power_w, s.loudspeaker_clusters
            ),
            service: match s.in_service_to {
                Some(to) => format!("{} – {}", short(s.in_service_from), short(to)),
                None => format!("từ {}", short(s.in_service_from)),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "grassroots_stations.html")]
struct StationsPage {
    chrome: Chrome,
    manage: bool,
    lines: Vec<StationLine>,
    communes: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    licences: Vec<(i64, String)>,
}

/// The radio frequency licences a station may be linked to, from the
/// public registry (they are issued by the national authority and kept
/// by whichever unit recorded them): all but the revoked.
async fn frequency_licences(state: &AppState) -> Result<Vec<(i64, String)>, AppError> {
    let (found, _) = state
        .app
        .public_licences(None, Some(LicenceKind::RadioFrequency), (0, 1_000))
        .await?;
    let mut options: Vec<(i64, String)> = found
        .iter()
        .filter(|l| l.status != LicenceStatus::Revoked)
        .map(|l| {
            let until = l
                .valid_until
                .map(|d| format!(", đến {}", short(d)))
                .unwrap_or_default();
            (
                l.id,
                format!(
                    "{} – {}{until} ({})",
                    l.number,
                    l.holder_name,
                    l.status.label()
                ),
            )
        })
        .collect();
    options.sort_by(|a, b| vn::collate::compare(&a.1, &b.1));
    Ok(options)
}

pub async fn list(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let stations = state.app.stations(&user.ctx(), home(&user)).await?;
            let today = vn::dates::vietnam_date(state.app.now());
            let mut communes: Vec<(i64, String)> = state
                .app
                .all_agencies()
                .await?
                .into_iter()
                .filter(|a| a.kind == AgencyKind::CommuneCommittee && a.is_effective_on(today))
                .map(|a| (a.id, format!("{} ({})", a.name, a.code.as_str())))
                .collect();
            communes.sort_by(|a, b| vn::collate::compare(&a.1, &b.1));
            let manage = may_manage(&user);
            let licences = if manage {
                frequency_licences(&state).await?
            } else {
                Vec::new()
            };
            Ok(page(&StationsPage {
                chrome: Chrome::new(&user, "Đài truyền thanh cấp xã", NAV),
                manage,
                lines: stations.iter().map(StationLine::of).collect(),
                communes,
                licences,
                kinds: StationKind::ALL
                    .iter()
                    .map(|k| (k.as_str(), k.label()))
                    .collect(),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct StationForm {
    commune: i64,
    name: String,
    kind: String,
    #[serde(default)]
    mhz: String,
    /// The frequency licence's id, from the registry's list.
    #[serde(default)]
    licence: String,
    #[serde(default)]
    power_w: String,
    #[serde(default)]
    clusters: String,
    from: String,
    #[serde(default)]
    to: String,
}

/// A licence chosen in a form.
fn licence_id(text: &str) -> Result<i64, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::Invalid("Cần chọn giấy phép tần số trong sổ giấy phép".into()))
}

fn station_of(form: &StationForm, agency_id: AgencyId) -> Result<Station, AppError> {
    let kind: StationKind = form
        .kind
        .parse()
        .map_err(|_| AppError::Invalid("Loại đài không hợp lệ".into()))?;
    let frequency = if kind == StationKind::Wireless {
        let mhz = form.mhz.trim().replace(',', ".");
        Some(Frequency {
            mhz: mhz
                .parse()
                .map_err(|_| AppError::Invalid(format!("Tần số «{mhz}» không phải số MHz")))?,
            licence: FrequencyLicence::Record(licence_id(&form.licence)?),
        })
    } else {
        None
    };
    Ok(Station {
        id: 0,
        agency_id,
        commune_id: form.commune,
        name: form.name.clone(),
        kind,
        frequency,
        power_w: number(&form.power_w, "Công suất")?,
        loudspeaker_clusters: number(&form.clusters, "Số cụm loa")?,
        in_service_from: required_day(&form.from, "ngày bắt đầu hoạt động")?,
        in_service_to: day_of(&form.to, "Ngày ngừng hoạt động")?,
    })
}

pub async fn create(State(state): State<AppState>, form: UiForm<StationForm>) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let station = station_of(&form, home(&user))?;
        state.app.register_station(&user.ctx(), station).await
    }
    .await;
    match result {
        Ok(s) => Redirect::to(&format!("{NAV}/stations/{}", s.id)).into_response(),
        Err(err) => error_page(&err),
    }
}

struct LogLine {
    day: String,
    own: u32,
    relayed: String,
    topics: String,
    campaigns: String,
}

#[derive(Template)]
#[template(path = "grassroots_station.html")]
struct StationPage {
    chrome: Chrome,
    manage: bool,
    line: StationLine,
    ended: bool,
    month: String,
    logs: Vec<LogLine>,
    campaigns: Vec<(i64, String)>,
    /// The licences a wireless station may be linked to, for managers.
    licences: Vec<(i64, String)>,
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    /// `yyyy-mm`; this month when absent.
    #[serde(default)]
    month: String,
}

fn month_of(text: &str, today: Date) -> Result<(i32, Month), AppError> {
    if text.trim().is_empty() {
        return Ok((today.year(), today.month()));
    }
    let bad = || AppError::Invalid(format!("Tháng «{text}» không hợp lệ"));
    let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
    let month: u8 = month.parse().map_err(|_| bad())?;
    Ok((
        year.parse().map_err(|_| bad())?,
        Month::try_from(month).map_err(|_| bad())?,
    ))
}

fn campaign_titles(campaigns: &[Campaign], ids: &[i64]) -> String {
    ids.iter()
        .filter_map(|id| campaigns.iter().find(|c| c.id == *id))
        .map(|c| c.title.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn show(
    State(state): State<AppState>,
    user: UiUser,
    Path(id): Path<i64>,
    Query(query): Query<MonthQuery>,
) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let entry = state.app.station(&ctx, id).await?;
            let today = vn::dates::vietnam_date(state.app.now());
            let (year, month) = month_of(&query.month, today)?;
            let logs = state.app.station_month(&ctx, id, (year, month)).await?;
            let campaigns = state.app.campaigns(&ctx, entry.station.agency_id).await?;
            let lines = logs
                .iter()
                .map(|l: &BroadcastLog| LogLine {
                    day: short(l.day),
                    own: l.self_minutes,
                    relayed: format!(
                        "{} (VOV {}, tỉnh {}, huyện {})",
                        l.relayed.total(),
                        l.relayed.vov,
                        l.relayed.provincial,
                        l.relayed.district
                    ),
                    topics: l.topics.join("; "),
                    campaigns: campaign_titles(&campaigns, &l.campaign_ids),
                })
                .collect();
            let manage = may_manage(&user);
            let licences = if manage && entry.station.frequency.is_some() {
                frequency_licences(&state).await?
            } else {
                Vec::new()
            };
            Ok(page(&StationPage {
                chrome: Chrome::new(&user, entry.station.name.clone(), NAV),
                manage,
                licences,
                ended: entry.station.in_service_to.is_some(),
                line: StationLine::of(&entry),
                month: format!("{year}-{:02}", u8::from(month)),
                logs: lines,
                campaigns: campaigns
                    .iter()
                    .map(|c| {
                        (
                            c.id,
                            format!("{} ({} – {})", c.title, short(c.from), short(c.to)),
                        )
                    })
                    .collect(),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct LogForm {
    day: String,
    own: String,
    #[serde(default)]
    vov: String,
    #[serde(default)]
    provincial: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    topics: String,
}

pub async fn record_log(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<LogForm>,
) -> Response {
    let campaign_ids: Vec<i64> = form
        .all("campaign")
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    let UiForm { user, form, .. } = form;
    let result = async {
        let day = required_day(&form.day, "ngày phát sóng")?;
        let log = BroadcastLog {
            id: 0,
            station_id: id,
            day,
            self_minutes: number(&form.own, "Phút tự sản xuất")?,
            relayed: Relayed {
                vov: number(&form.vov, "Phút tiếp sóng VOV")?,
                provincial: number(&form.provincial, "Phút tiếp sóng Đài tỉnh")?,
                district: number(&form.district, "Phút tiếp sóng Đài huyện")?,
            },
            topics: form.topics.lines().map(str::to_owned).collect(),
            campaign_ids,
        };
        state.app.record_log(&user.ctx(), log).await
    }
    .await;
    match result {
        Ok(l) => Redirect::to(&format!(
            "{NAV}/stations/{id}?month={}-{:02}",
            l.day.year(),
            u8::from(l.day.month())
        ))
        .into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct LicenceForm {
    licence: String,
}

pub async fn link_licence(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<LicenceForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let licence = licence_id(&form.licence)?;
        state
            .app
            .link_station_licence(&user.ctx(), id, licence)
            .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("{NAV}/stations/{id}")).into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct EndForm {
    last_day: String,
}

pub async fn end(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<EndForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let last_day = required_day(&form.last_day, "ngày cuối hoạt động")?;
        state.app.end_station(&user.ctx(), id, last_day).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("{NAV}/stations/{id}")).into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Template)]
#[template(path = "grassroots_import.html")]
struct ImportPage {
    chrome: Chrome,
    headers: String,
    separator: char,
    errors: Vec<String>,
    notice: String,
}

fn import_page(user: &UiUser, errors: Vec<String>, notice: String) -> Response {
    page(&ImportPage {
        chrome: Chrome::new(user, "Nhập nhật ký phát sóng từ tệp CSV", NAV),
        headers: HEADERS.join(","),
        separator: LIST_SEPARATOR,
        errors,
        notice,
    })
}

pub async fn import_form(user: UiUser) -> Response {
    import_page(&user, Vec::new(), String::new())
}

/// Checks the file (`intent=preview`) or imports it (`intent=import`);
/// either way a refusal lists every wrong line.
pub async fn import(State(state): State<AppState>, request: Request) -> Response {
    let limits = Limits {
        file: MAX_BYTES,
        total: MAX_BYTES,
    };
    let (user, form) = match read_ui_form(request, &state, limits).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(file) = form.files.first() else {
        return error_page(&AppError::Invalid("Chưa chọn tệp CSV".into()));
    };
    let ctx = user.ctx();
    let result = if form.field("intent") == "import" {
        state
            .app
            .import_logs(&ctx, home(&user), &file.bytes)
            .await
            .map(|n| format!("Đã nhập {n} nhật ký."))
    } else {
        state
            .app
            .preview_log_import(&ctx, home(&user), &file.bytes)
            .await
            .map(|logs| {
                format!(
                    "Tệp hợp lệ: {} nhật ký sẵn sàng để nhập (chưa ghi gì).",
                    logs.len()
                )
            })
    };
    match result {
        Ok(notice) => import_page(&user, Vec::new(), notice),
        Err(AppError::Invalid(message)) => {
            let mut response = import_page(
                &user,
                message.lines().map(str::to_owned).collect(),
                String::new(),
            );
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            response
        }
        Err(err) => error_page(&err),
    }
}

struct CampaignLine {
    title: String,
    topic: String,
    days: String,
    share: String,
}

#[derive(Template)]
#[template(path = "grassroots_campaigns.html")]
struct CampaignsPage {
    chrome: Chrome,
    manage: bool,
    lines: Vec<CampaignLine>,
}

/// The agencies whose records the figures count: the officer's and below.
async fn scope(state: &AppState, user: &UiUser) -> Result<Vec<AgencyId>, AppError> {
    state.app.subtree(home(user)).await
}

pub async fn campaigns(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let campaigns = state.app.campaigns(&user.ctx(), home(&user)).await?;
            let today = vn::dates::vietnam_date(state.app.now());
            let agencies = scope(&state, &user).await?;
            let mut lines = Vec::with_capacity(campaigns.len());
            for c in campaigns {
                // Its reach over its own days so far.
                let share = if c.from > today {
                    "Chưa bắt đầu".to_owned()
                } else {
                    let figures = state
                        .app
                        .grassroots_figures((c.from, c.to.min(today)), Some(&agencies))
                        .await?;
                    figures
                        .campaigns
                        .iter()
                        .find(|s| s.campaign_id == c.id)
                        .map(|s| {
                            format!("{}/{} đài ({}%)", s.carried_by, s.in_service, s.percent())
                        })
                        .unwrap_or_default()
                };
                lines.push(CampaignLine {
                    days: format!("{} – {}", short(c.from), short(c.to)),
                    title: c.title,
                    topic: c.topic,
                    share,
                });
            }
            Ok(page(&CampaignsPage {
                chrome: Chrome::new(&user, "Đợt tuyên truyền", NAV),
                manage: may_manage(&user),
                lines,
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct CampaignForm {
    title: String,
    #[serde(default)]
    topic: String,
    from: String,
    to: String,
}

pub async fn create_campaign(
    State(state): State<AppState>,
    form: UiForm<CampaignForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let campaign = Campaign {
            id: 0,
            agency_id: home(&user),
            title: form.title,
            topic: form.topic,
            from: required_day(&form.from, "ngày bắt đầu")?,
            to: required_day(&form.to, "ngày kết thúc")?,
        };
        state.app.create_campaign(&user.ctx(), campaign).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("{NAV}/campaigns")).into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Template)]
#[template(path = "grassroots_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    from: Date,
    to: Date,
    figures: GrassrootsFigures,
}

pub async fn figures(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            ctx.require(
                Permission::ViewRegisters,
                &state.app.lineage(home(&user)).await?,
            )?;
            let (from, to) = query.period(vn::dates::vietnam_date(state.app.now()));
            let agencies = scope(&state, &user).await?;
            let figures = state
                .app
                .grassroots_figures((from, to), Some(&agencies))
                .await?;
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Số liệu thông tin cơ sở", NAV),
                from,
                to,
                figures,
            }))
        }
        .await,
    )
}
