//! The public licence registry at `/giay-phep` (issue 10): anyone finds a
//! licence by its holder or number (diacritics ignored), by kind, a page
//! at a time, sees its status today in Vietnamese, and downloads its
//! signed copy. What it shows is `domain::licensing::PublicLicence`: no
//! id number, e-mail or address.

use app::licensing::views::PAGE;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::licensing::{LicenceKind, PublicLicence};
use serde::Deserialize;

use crate::AppState;
use crate::download::download;
use crate::ui::licences::date_text;
use crate::ui::{page, respond};

#[derive(Debug, Deserialize, Default)]
pub struct RegistryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    loai: String,
    #[serde(default)]
    trang: Option<u64>,
}

#[derive(Template)]
#[template(path = "licences_public.html")]
struct RegistryPage {
    q: String,
    kind: String,
    /// (stable name, label)
    kinds: Vec<(&'static str, &'static str)>,
    lines: Vec<Line>,
    total: u64,
    page: u64,
    pages: u64,
}

/// A licence with its dates written out.
struct Line {
    l: PublicLicence,
    issued_on: String,
    valid_until: String,
}

impl RegistryPage {
    /// The link to page `n` with the same search.
    fn link(&self, n: u64) -> String {
        let query = serde_urlencoded::to_string([
            ("q", self.q.as_str()),
            ("loai", self.kind.as_str()),
            ("trang", n.to_string().as_str()),
        ])
        .unwrap_or_default();
        format!("/giay-phep?{query}")
    }
}

pub async fn registry(
    State(state): State<AppState>,
    Query(query): Query<RegistryQuery>,
) -> Response {
    respond(
        async {
            let kind: Option<LicenceKind> = query.loai.parse().ok();
            let page_no = query.trang.unwrap_or(1).max(1);
            let text = Some(query.q.trim().to_owned()).filter(|q| !q.is_empty());
            let (lines, total) = state
                .app
                .public_licences(text, kind, ((page_no - 1).saturating_mul(PAGE), PAGE))
                .await?;
            Ok(page(&RegistryPage {
                q: query.q.trim().to_owned(),
                kind: kind.map(LicenceKind::as_str).unwrap_or_default().to_owned(),
                kinds: LicenceKind::ALL
                    .iter()
                    .map(|k| (k.as_str(), k.label()))
                    .collect(),
                lines: lines
                    .into_iter()
                    .map(|l| Line {
                        issued_on: vn::dates::format_short(l.issued_on),
                        valid_until: date_text(l.valid_until),
                        l,
                    })
                    .collect(),
                total,
                page: page_no,
                pages: total.div_ceil(PAGE).max(1),
            }))
        }
        .await,
    )
}

/// The signed copy of licence `id`.
pub async fn signed(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let (copy, bytes) = state.app.signed_licence(id).await?;
            Ok(download(&copy.name, "application/pdf", bytes))
        }
        .await,
    )
}
