//! The demo's portal: the province's main site, run by the department of
//! information and communications (its press unit's specialist edits,
//! its deputy director reviews), and one component site per department
//! and district committee existing in April 2021 — however many the
//! demo's agency list has (the seed's province had 40; the demo keeps
//! only the agencies it has). April 2021 on the main site: 49 articles in
//! Vietnamese and 20 in Khmer, six of them translations; 469 posts across
//! the component sites; a few in March and May and some not published,
//! so that the period and the status both matter.
//!
//! The documents the main site publishes are `portal_documents`'.
//!
//! Articles go in through a few bulk statements with one audit entry, as
//! the grassroots logs do, so that every test loading the demo stays fast.
//! Loading again changes nothing: the main site is there.

use domain::agencies::{Agency, AgencyId, AgencyKind};
use domain::people::PersonId;
use domain::portal::articles::{Article, ArticleStatus, Sharing};
use domain::portal::{Category, Language, Site, SiteRole, html, slug_of};
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};

use crate::audit::{Change, record};
use crate::portal::articles::words_of;

use super::portal_texts::{DISTRICT_STORIES, POSTS, STORIES, TRANSLATED, khmer_number};
use crate::{App, AppError, Ctx};

const PORTAL_AGENCY: &str = "000.00.11.H59";
const EDITOR: &str = "trangvtt.stttt@travinh.gov.vn";
const REVIEWER: &str = "thanhnn.stttt@travinh.gov.vn";
const OPENED: Date = date!(2012 - 01 - 01);
/// The month whose figures the seed gives.
const MONTH: (i32, time::Month) = (2021, time::Month::April);
const COMPONENT_POSTS: usize = 469;

/// Every site's categories: (slug, name). The main site adds Khmer news.
const CATEGORIES: [(&str, &str); 4] = [
    ("tin-tuc-su-kien", "Tin tức – Sự kiện"),
    ("chi-dao-dieu-hanh", "Chỉ đạo – Điều hành"),
    ("cai-cach-hanh-chinh", "Cải cách hành chính"),
    ("pho-bien-phap-luat", "Phổ biến pháp luật"),
];
const KHMER_NEWS: (&str, &str) = ("tin-tieng-khmer", "Tin tiếng Khmer");

/// Article `i` of `n` spread over `month`'s days, office hours, Vietnam time.
fn moment_in(month: (i32, time::Month), i: usize, n: usize) -> Result<OffsetDateTime, AppError> {
    let days = usize::from(time::util::days_in_month(month.1, month.0));
    let day = u8::try_from(1 + i * days / n.max(1)).unwrap_or(1);
    let date = Date::from_calendar_date(month.0, month.1, day)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let hour = 7 + i64::try_from(i % 10).unwrap_or(0);
    Ok(vn::dates::vietnam_day_start(date) + Duration::hours(hour))
}

/// One published article of the demo.
struct Seed<'a> {
    site: &'a Site,
    language: Language,
    title: String,
    summary: String,
    category: i64,
    at: OffsetDateTime,
    author: PersonId,
}

impl Seed<'_> {
    fn article(self) -> Article {
        let byline = match self.language {
            Language::Vi => "Ban Biên tập".to_owned(),
            Language::Km => "ក្រុមអ្នកនិពន្ធ".to_owned(),
        };
        let stop = if self.language == Language::Km {
            "។"
        } else {
            "."
        };
        Article {
            id: 0,
            site_id: self.site.id,
            language: self.language,
            body_html: html::sanitize(&format!(
                "<p>{}{stop}</p><p>{}</p>",
                self.title, self.summary
            )),
            title: self.title,
            summary: self.summary,
            byline,
            author_id: self.author,
            category_ids: vec![self.category],
            tags: Vec::new(),
            status: ArticleStatus::Published,
            publish_at: Some(self.at),
            translation_of: None,
            shared: Sharing::NotShared,
            return_reason: None,
            revision: 1,
            created_at: self.at - Duration::hours(1),
            updated_at: self.at,
        }
    }
}

impl App {
    pub(super) async fn load_demo_portal(&self, ctx: &Ctx) -> Result<(), AppError> {
        let read = self.store.read().await?;
        if read.main_site().await?.is_some() {
            return Ok(());
        }
        let person = |email: &'static str| async move {
            Ok::<_, AppError>(
                self.store
                    .read()
                    .await?
                    .person_for_login(email)
                    .await?
                    .ok_or(AppError::NotFound("cán bộ"))?
                    .0
                    .id,
            )
        };
        let (editor, reviewer) = (person(EDITOR).await?, person(REVIEWER).await?);
        drop(read);
        let agencies = self.all_agencies().await?;
        let month_start = Date::from_calendar_date(MONTH.0, MONTH.1, 1)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let keeper = agencies
            .iter()
            .find(|a| a.code.as_str() == PORTAL_AGENCY)
            .ok_or(AppError::NotFound("cơ quan"))?;
        let components: Vec<&Agency> = agencies
            .iter()
            .filter(|a| {
                matches!(
                    a.kind,
                    AgencyKind::Department | AgencyKind::DistrictCommittee
                )
            })
            .filter(|a| {
                a.effective_from <= month_start && a.effective_to.is_none_or(|to| to > month_start)
            })
            .collect();
        let mut tx = self.store.write().await?;
        let (main, sites, categories) =
            insert_sites(&tx, keeper.id, &components, (editor, reviewer)).await?;
        // "Huyện Càng Long", "Thành phố Trà Vinh": the districts' stories.
        let places: Vec<String> = components
            .iter()
            .filter(|a| a.kind == AgencyKind::DistrictCommittee)
            .map(|a| capitalised(a.name.trim_start_matches("Ủy ban nhân dân ")))
            .collect();
        let (vietnamese, khmer, posts) =
            articles(&main, &sites, &places, &categories, (editor, reviewer))?;
        let words: Vec<String> = vietnamese.iter().map(words_of).collect();
        let vi_ids = tx.insert_articles(&vietnamese, &words).await?;
        let khmer: Vec<Article> = khmer
            .into_iter()
            .enumerate()
            .map(|(i, a)| Article {
                translation_of: (i < TRANSLATED).then(|| vi_ids[i]),
                ..a
            })
            .collect();
        let words: Vec<String> = khmer.iter().chain(&posts).map(words_of).collect();
        let rest: Vec<Article> = khmer.into_iter().chain(posts).collect();
        tx.insert_articles(&rest, &words).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "portal.demo.load",
                object_type: "portal_site",
                object_id: main.id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "sites": sites.len() + 1,
                    "articles": vi_ids.len() + rest.len(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.load_demo_publications(ctx, &main).await
    }
}

/// The main site with its members, a component site per agency of
/// `components`, and every site's categories (their ids, by site, the
/// main site's first).
async fn insert_sites(
    tx: &store::Tx,
    keeper: AgencyId,
    components: &[&Agency],
    (editor, reviewer): (PersonId, PersonId),
) -> Result<(Site, Vec<Site>, Vec<Vec<i64>>), AppError> {
    let mut main = Site {
        id: 0,
        slug: "tra-vinh".into(),
        name: "Cổng Thông tin điện tử tỉnh Trà Vinh".into(),
        agency_id: keeper,
        host: Some("travinh.gov.vn".into()),
        main: true,
        opened_on: OPENED,
    };
    main.id = tx.insert_site(&main).await?;
    tx.set_member(main.id, editor, SiteRole::Editor).await?;
    tx.set_member(main.id, reviewer, SiteRole::Reviewer).await?;
    let mut sites = Vec::new();
    for agency in components {
        let place = agency.name.trim_start_matches("Ủy ban nhân dân ");
        let slug = if agency.kind == AgencyKind::DistrictCommittee {
            slug_of(place)
        } else {
            slug_of(&agency.short_name)
        };
        let mut site = Site {
            id: 0,
            slug,
            name: format!("Trang thông tin điện tử {place}"),
            agency_id: agency.id,
            host: None,
            main: false,
            opened_on: OPENED,
        };
        site.id = tx.insert_site(&site).await?;
        sites.push(site);
    }
    let mut categories = Vec::new();
    for site in std::iter::once(&main).chain(&sites) {
        let extra = site.main.then_some(KHMER_NEWS);
        let mut of_site = Vec::new();
        for (position, (slug, name)) in CATEGORIES.into_iter().chain(extra).enumerate() {
            let mut c = Category {
                id: 0,
                site_id: site.id,
                slug: slug.into(),
                name: name.into(),
                parent_id: None,
                position: i32::try_from(position).unwrap_or(0),
                in_menu: true,
            };
            c.id = tx.insert_category(&c).await?;
            of_site.push(c.id);
        }
        categories.push(of_site);
    }
    Ok((main, sites, categories))
}

/// The demo's articles: the main site's Vietnamese ones, its Khmer ones
/// (the first [`TRANSLATED`] to be linked to the first Vietnamese ones),
/// and everything on the component sites.
#[allow(clippy::type_complexity)]
fn articles(
    main: &Site,
    sites: &[Site],
    places: &[String],
    categories: &[Vec<i64>],
    (editor, reviewer): (PersonId, PersonId),
) -> Result<(Vec<Article>, Vec<Article>, Vec<Article>), AppError> {
    let main_categories = &categories[0];
    let mut vietnamese = Vec::new();
    for i in 0..49 {
        let title = if i < STORIES.len() {
            STORIES[i].0.to_owned()
        } else {
            let j = i - STORIES.len();
            let place = places
                .get(j % places.len().max(1))
                .map_or("Trà Vinh", String::as_str);
            format!(
                "{place}: {}",
                DISTRICT_STORIES[(j / places.len().max(1)) % 5]
            )
        };
        vietnamese.push(
            Seed {
                site: main,
                language: Language::Vi,
                summary: format!("{title} trong tháng 4 năm 2021."),
                title,
                category: main_categories[i % 4],
                at: moment_in(MONTH, i, 49)?,
                author: editor,
            }
            .article(),
        );
    }
    let mut khmer = Vec::new();
    for i in 0..20 {
        let story = STORIES[i % STORIES.len()].1;
        let title = if i < TRANSLATED {
            story.to_owned()
        } else {
            format!("{story} ថ្ងៃទី{} ខែមេសា", khmer_number(1 + i))
        };
        khmer.push(
            Seed {
                site: main,
                language: Language::Km,
                summary: format!("{title} នៅខែមេសា ឆ្នាំ{}។", khmer_number(2021)),
                title,
                category: main_categories[4],
                at: moment_in(MONTH, i, 20)? + Duration::minutes(30),
                author: editor,
            }
            .article(),
        );
    }
    let mut posts = Vec::new();
    for i in 0..COMPONENT_POSTS {
        let k = i % sites.len().max(1);
        let site = &sites[k];
        let title = format!(
            "{} (số {})",
            POSTS[(i / sites.len().max(1)) % 8],
            1 + i / sites.len().max(1)
        );
        posts.push(
            Seed {
                site,
                language: Language::Vi,
                summary: format!("{}: {title}.", site.name),
                title,
                category: categories[k + 1][i % 4],
                at: moment_in(MONTH, i, COMPONENT_POSTS)?,
                author: reviewer,
            }
            .article(),
        );
    }
    outside_the_month(main, sites, categories, editor, &mut vietnamese, &mut posts)?;
    Ok((vietnamese, khmer, posts))
}

/// Articles just before and after April, and April ones not published:
/// none of them is in April's figures.
fn outside_the_month(
    main: &Site,
    sites: &[Site],
    categories: &[Vec<i64>],
    editor: PersonId,
    vietnamese: &mut Vec<Article>,
    posts: &mut Vec<Article>,
) -> Result<(), AppError> {
    let april_first = vn::dates::vietnam_day_start(date!(2021 - 04 - 01));
    let may_first = vn::dates::vietnam_day_start(date!(2021 - 05 - 01));
    let moments = [
        april_first - Duration::minutes(30),
        april_first - Duration::days(3),
        may_first,
        may_first + Duration::days(2),
    ];
    for (i, at) in moments.into_iter().enumerate() {
        let title = format!("Thông cáo báo chí số {}", 10 + i);
        vietnamese.push(seed_of(main, categories[0][0], &title, at, editor));
        if let Some(site) = sites.get(i) {
            let title = format!("Thông báo số {}", 20 + i);
            posts.push(seed_of(site, categories[i + 1][0], &title, at, editor));
        }
    }
    // Written in April but not published: one waiting for review, one
    // taken down.
    let april = moment_in(MONTH, 10, 30)?;
    let mut waiting = seed_of(
        main,
        categories[0][1],
        "Dự thảo kế hoạch tuyên truyền tháng 5",
        april,
        editor,
    );
    waiting.status = ArticleStatus::InReview;
    waiting.publish_at = None;
    let mut removed = seed_of(
        main,
        categories[0][1],
        "Thông báo đã thu hồi",
        april,
        editor,
    );
    removed.status = ArticleStatus::Unpublished;
    vietnamese.extend([waiting, removed]);
    Ok(())
}

fn seed_of(
    site: &Site,
    category: i64,
    title: &str,
    at: OffsetDateTime,
    author: PersonId,
) -> Article {
    Seed {
        site,
        language: Language::Vi,
        summary: format!("{title}."),
        title: title.to_owned(),
        category,
        at,
        author,
    }
    .article()
}

/// `name` with its first letter in capitals.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
