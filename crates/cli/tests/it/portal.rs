//! The portal: an article's way from draft to readers and back, refusals
//! that change nothing, scheduled publication, search without diacritics,
//! sharing to the main portal, page views, and the report's figures — a
//! month counted by hand (with records just outside it) and the demo's
//! April 2021.

use app::{AppError, Ctx};
use domain::portal::articles::{Article, ArticleDraft, ArticleStatus, Sharing};
use domain::portal::{Category, Language, Site, SiteRole};
use testkit::TestApp;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

const EDITOR: &str = "trangvtt.stttt@travinh.gov.vn";
const REVIEWER: &str = "thanhnn.stttt@travinh.gov.vn";
/// The department's director: `ManagePortal` over its sites.
const DIRECTOR: &str = "khoatm.stttt@travinh.gov.vn";
const OUTSIDER: &str = "phiepts.stttt@travinh.gov.vn";
const UNIT_HEAD: &str = "hunglv.stttt@travinh.gov.vn";

struct Portal {
    test: TestApp,
    editor: Ctx,
    reviewer: Ctx,
    main: Site,
    categories: Vec<Category>,
}

async fn portal() -> Portal {
    let (test, _) = TestApp::with_demo().await;
    let editor = test.ctx_of(EDITOR).await;
    let reviewer = test.ctx_of(REVIEWER).await;
    let main = test.app.site_by_slug("tra-vinh").await.unwrap();
    let categories = test.app.categories(main.id).await.unwrap();
    Portal {
        test,
        editor,
        reviewer,
        main,
        categories,
    }
}

fn draft(title: &str, language: Language, categories: Vec<i64>) -> ArticleDraft {
    ArticleDraft {
        language,
        title: title.into(),
        summary: "Tóm tắt".into(),
        body_html: format!("<p>{title}: nội dung chi tiết.</p>"),
        byline: "Thu Trang".into(),
        category_ids: categories,
        tags: vec!["Bầu cử".into()],
        translation_of: None,
    }
}

fn refused<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
    match result {
        Err(AppError::Invalid(message)) => message,
        other => panic!("not refused as invalid: {other:?}"),
    }
}

#[allow(clippy::needless_pass_by_value)] // Called on a use case's result, as `refused` is.
fn forbidden<T: std::fmt::Debug>(result: Result<T, AppError>) {
    assert!(matches!(result, Err(AppError::Forbidden)), "{result:?}");
}

impl Portal {
    /// A draft by the editor, submitted and published by the reviewer at
    /// `at` (now when `None`), on `site`.
    async fn published(&self, site: i64, d: ArticleDraft, at: Option<OffsetDateTime>) -> Article {
        let app = &self.test.app;
        let a = app.create_article(&self.editor, site, d).await.unwrap();
        app.submit_article(&self.editor, a.id).await.unwrap();
        app.publish_article(&self.reviewer, a.id, at).await.unwrap()
    }

    async fn public_ids(&self, site: i64) -> Vec<i64> {
        let found = self
            .test
            .app
            .public_articles(site, None, None, 1)
            .await
            .unwrap();
        found.items.iter().map(|a| a.id).collect()
    }

    async fn found(&self, question: &str) -> Vec<i64> {
        let found = self
            .test
            .app
            .search_articles(question, None, 1)
            .await
            .unwrap();
        found.items.iter().map(|a| a.id).collect()
    }
}

#[tokio::test]
async fn workflow_and_refusals_that_change_nothing() {
    let p = portal().await;
    let app = &p.test.app;
    let outsider = p.test.ctx_of(OUTSIDER).await;
    let news = p.categories[0].id;
    let other_site = app
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.main)
        .unwrap();
    let foreign = app.categories(other_site.id).await.unwrap()[0].id;
    let seq = p.test.audit_seq().await;
    let message = refused(
        app.create_article(
            &p.editor,
            p.main.id,
            draft("Tin", Language::Vi, vec![foreign]),
        )
        .await,
    );
    assert!(message.contains("chuyên mục"), "{message}");
    forbidden(
        app.create_article(&outsider, p.main.id, draft("Tin", Language::Vi, vec![news]))
            .await,
    );
    refused(
        app.create_article(&p.editor, p.main.id, draft(" ", Language::Vi, vec![news]))
            .await,
    );
    let taken = Site {
        id: 0,
        slug: "tra-vinh".into(),
        name: "Trang trùng".into(),
        agency_id: p.main.agency_id,
        host: None,
        main: false,
        opened_on: date!(2021 - 04 - 05),
    };
    let message = refused(app.create_site(&Ctx::system("test"), taken.clone()).await);
    assert!(message.contains("đã được dùng"), "{message}");
    forbidden(
        app.create_site(
            &p.editor,
            Site {
                slug: "moi".into(),
                ..taken
            },
        )
        .await,
    );
    assert_eq!(p.test.audit_seq().await, seq);

    let a = app
        .create_article(
            &p.editor,
            p.main.id,
            draft("Tin bầu cử", Language::Vi, vec![news]),
        )
        .await
        .unwrap();
    assert_eq!((a.status, a.revision), (ArticleStatus::Draft, 1));
    let seq = p.test.audit_seq().await;
    forbidden(app.publish_article(&p.editor, a.id, None).await);
    let message = refused(app.publish_article(&p.reviewer, a.id, None).await);
    assert_eq!(message, "không thể đăng bài ở trạng thái «Bản nháp»");
    refused(app.unpublish_article(&p.reviewer, a.id).await);
    forbidden(app.submit_article(&outsider, a.id).await);
    assert_eq!(p.test.audit_seq().await, seq);

    app.submit_article(&p.editor, a.id).await.unwrap();
    refused(app.return_article(&p.reviewer, a.id, "  ").await);
    let back = app
        .return_article(&p.reviewer, a.id, "Bổ sung ảnh")
        .await
        .unwrap();
    assert_eq!(back.return_reason.as_deref(), Some("Bổ sung ảnh"));
    assert!(
        app.public_article(a.id).await.is_err(),
        "a draft is not public"
    );
    assert!(
        app.article(&outsider, a.id).await.is_err(),
        "nor shown to non-members"
    );
    let queued = |queue: Vec<Article>| queue.iter().any(|q| q.id == a.id);
    assert!(!queued(app.review_queue(&p.reviewer).await.unwrap()));
    app.submit_article(&p.editor, a.id).await.unwrap();
    assert!(queued(app.review_queue(&p.reviewer).await.unwrap()));
    assert!(
        app.review_queue(&p.editor).await.unwrap().is_empty(),
        "editors review nothing"
    );
    let published = app.publish_article(&p.reviewer, a.id, None).await.unwrap();
    assert!(published.visible(p.test.app.now()));
    assert_eq!(p.public_ids(p.main.id).await.first(), Some(&a.id));
    assert_eq!(app.article(&outsider, a.id).await.unwrap().id, a.id);

    // An editor's change to a published article goes back to review.
    let edited = app
        .update_article(
            &p.editor,
            a.id,
            draft("Tin bầu cử (cập nhật)", Language::Vi, vec![news]),
        )
        .await
        .unwrap();
    assert_eq!(
        (edited.status, edited.revision),
        (ArticleStatus::InReview, 2)
    );
    assert!(!p.public_ids(p.main.id).await.contains(&a.id));
    let republished = app.publish_article(&p.reviewer, a.id, None).await.unwrap();
    // A reviewer's change keeps it published.
    let by_reviewer = app
        .update_article(
            &p.reviewer,
            a.id,
            draft("Tin bầu cử (bản cuối)", Language::Vi, vec![news]),
        )
        .await
        .unwrap();
    assert_eq!(
        (by_reviewer.status, by_reviewer.revision),
        (ArticleStatus::Published, 3)
    );
    assert_eq!(republished.publish_at, by_reviewer.publish_at);
    let revisions = app.article_revisions(&p.editor, a.id).await.unwrap();
    let titles: Vec<_> = revisions
        .iter()
        .map(|r| (r.revision, r.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            (3, "Tin bầu cử (bản cuối)"),
            (2, "Tin bầu cử (cập nhật)"),
            (1, "Tin bầu cử")
        ]
    );
    forbidden(app.article_revisions(&outsider, a.id).await);

    // Unpublished: gone from lists, the article and search.
    assert!(p.found("bản cuối").await.contains(&a.id));
    app.unpublish_article(&p.reviewer, a.id).await.unwrap();
    assert!(!p.public_ids(p.main.id).await.contains(&a.id));
    assert!(matches!(
        app.public_article(a.id).await,
        Err(AppError::NotFound(_))
    ));
    assert!(!p.found("bản cuối").await.contains(&a.id));
}

#[tokio::test]
async fn translations_pair_two_languages_once() {
    let p = portal().await;
    let app = &p.test.app;
    let khmer_news = p
        .categories
        .iter()
        .find(|c| c.slug == "tin-tieng-khmer")
        .unwrap()
        .id;
    let original = p
        .published(
            p.main.id,
            draft("Lễ hội Ok Om Bok", Language::Vi, vec![]),
            None,
        )
        .await;
    let mut translation = draft("ពិធីបុណ្យអកអំបុក", Language::Km, vec![khmer_news]);
    translation.translation_of = Some(original.id);
    let km = app
        .create_article(&p.editor, p.main.id, translation.clone())
        .await
        .unwrap();
    assert_eq!(km.translation_of, Some(original.id));
    let seq = p.test.audit_seq().await;
    let message = refused(
        app.create_article(&p.editor, p.main.id, translation.clone())
            .await,
    );
    assert!(message.contains("đã có bản dịch"), "{message}");
    let mut same = draft("Bản trùng ngôn ngữ", Language::Vi, vec![]);
    same.translation_of = Some(original.id);
    refused(app.create_article(&p.editor, p.main.id, same).await);
    let mut chained = draft("Dịch của bản dịch", Language::Vi, vec![]);
    chained.translation_of = Some(km.id);
    refused(app.create_article(&p.editor, p.main.id, chained).await);
    // The original has a translation: it cannot become one itself.
    let mut back = draft("Lễ hội Ok Om Bok", Language::Vi, vec![]);
    back.translation_of = Some(km.id);
    refused(app.update_article(&p.editor, original.id, back).await);
    assert_eq!(p.test.audit_seq().await, seq);
    // Editing the translation keeps its link without counting itself.
    let again = app
        .update_article(&p.editor, km.id, translation)
        .await
        .unwrap();
    assert_eq!(again.revision, 2);
}

#[tokio::test]
async fn scheduled_articles_appear_at_their_moment() {
    let p = portal().await;
    let app = &p.test.app;
    let before = app.last_modified(p.main.id).await.unwrap();
    let at = p.test.app.now() + Duration::hours(2);
    let early = app
        .create_article(
            &p.editor,
            p.main.id,
            draft("Lịch tiếp dân", Language::Vi, vec![]),
        )
        .await
        .unwrap();
    app.submit_article(&p.editor, early.id).await.unwrap();
    refused(
        app.publish_article(
            &p.reviewer,
            early.id,
            Some(p.test.app.now() - Duration::hours(1)),
        )
        .await,
    );
    let a = p
        .published(
            p.main.id,
            draft("Thông báo lịch cắt điện", Language::Vi, vec![]),
            Some(at),
        )
        .await;
    assert_eq!(a.status, ArticleStatus::Published);
    assert!(app.public_article(a.id).await.is_err());
    assert!(!p.public_ids(p.main.id).await.contains(&a.id));
    assert!(!p.found("cat dien").await.contains(&a.id));
    assert_eq!(app.last_modified(p.main.id).await.unwrap(), before);
    p.test.clock.advance(Duration::hours(2));
    assert_eq!(app.public_article(a.id).await.unwrap().id, a.id);
    assert_eq!(p.public_ids(p.main.id).await.first(), Some(&a.id));
    assert_eq!(p.found("cat dien").await, [a.id]);
    let after = app.last_modified(p.main.id).await.unwrap();
    assert!(after > before, "{after:?} after {before:?}");
}

#[tokio::test]
async fn search_ignores_diacritics() {
    let p = portal().await;
    let a = p
        .published(
            p.main.id,
            draft(
                "Hướng dẫn công tác bầu cử ở xã Long Đức",
                Language::Vi,
                vec![],
            ),
            None,
        )
        .await;
    let mut untagged = draft("Lịch tiếp công dân", Language::Vi, vec![]);
    untagged.tags.clear();
    let other = p.published(p.main.id, untagged, None).await;
    for question in ["bau cu", "bầu cử", "BẦU CỬ long duc", "\"cong tac bau\""] {
        let found = p.found(question).await;
        assert!(found.contains(&a.id), "{question}");
        assert!(!found.contains(&other.id), "{question}");
    }
    assert!(p.found("bau cu xyz").await.is_empty());
    assert!(p.found("  ").await.is_empty());
    // The body's words are indexed too, and the tags.
    assert!(p.found("noi dung chi tiet").await.contains(&a.id));
}

#[tokio::test]
async fn sharing_shows_an_article_on_the_main_portal_after_approval() {
    let p = portal().await;
    let app = &p.test.app;
    let director = p.test.ctx_of(DIRECTOR).await;
    let unit_head = p.test.ctx_of(UNIT_HEAD).await;
    let site = app.site_by_slug("stttt").await.unwrap();
    let person = |email: &'static str| async move {
        let read = app.store.read().await.unwrap();
        read.person_for_login(email).await.unwrap().unwrap().0.id
    };
    forbidden(
        app.add_site_member(&p.editor, site.id, person(EDITOR).await, SiteRole::Editor)
            .await,
    );
    app.add_site_member(&director, site.id, person(EDITOR).await, SiteRole::Editor)
        .await
        .unwrap();
    app.add_site_member(
        &director,
        site.id,
        person(UNIT_HEAD).await,
        SiteRole::Reviewer,
    )
    .await
    .unwrap();
    let a = app
        .create_article(
            &p.editor,
            site.id,
            draft("Sở TT&TT tập huấn chuyển đổi số", Language::Vi, vec![]),
        )
        .await
        .unwrap();
    app.submit_article(&p.editor, a.id).await.unwrap();
    refused(app.propose_sharing(&p.editor, a.id).await);
    app.publish_article(&unit_head, a.id, None).await.unwrap();
    assert!(p.public_ids(site.id).await.contains(&a.id));
    assert!(!p.public_ids(p.main.id).await.contains(&a.id));
    let proposed = app.propose_sharing(&p.editor, a.id).await.unwrap();
    assert_eq!(proposed.shared, Sharing::Proposed);
    assert!(!p.public_ids(p.main.id).await.contains(&a.id));
    let seq = p.test.audit_seq().await;
    // The component site's reviewer is not the main portal's.
    forbidden(app.decide_sharing(&unit_head, a.id, true).await);
    assert_eq!(p.test.audit_seq().await, seq);
    let approved = app.decide_sharing(&p.reviewer, a.id, true).await.unwrap();
    assert_eq!(
        (approved.shared, approved.site_id),
        (Sharing::Approved, site.id)
    );
    assert!(p.public_ids(p.main.id).await.contains(&a.id));
    assert!(p.public_ids(site.id).await.contains(&a.id));
    // Taking the editor off the site ends their rights there.
    app.remove_site_member(&director, site.id, person(EDITOR).await)
        .await
        .unwrap();
    forbidden(
        app.create_article(&p.editor, site.id, draft("Tin", Language::Vi, vec![]))
            .await,
    );
}

#[tokio::test]
async fn views_are_counted_per_day() {
    let p = portal().await;
    let app = &p.test.app;
    let a = p
        .published(p.main.id, draft("Tin", Language::Vi, vec![]), None)
        .await;
    let seq = p.test.audit_seq().await;
    for day in [
        date!(2021 - 04 - 05),
        date!(2021 - 04 - 05),
        date!(2021 - 04 - 06),
    ] {
        app.count_article_view(a.id, day);
    }
    assert_eq!(
        app.article_views(a.id).await.unwrap(),
        [(date!(2021 - 04 - 05), 2), (date!(2021 - 04 - 06), 1)]
    );
    assert_eq!(p.test.audit_seq().await, seq, "reading is not audited");
    let d = app
        .create_article(&p.editor, p.main.id, draft("Nháp", Language::Vi, vec![]))
        .await
        .unwrap();
    // A draft's reading (no page shows one) is dropped when written.
    app.count_article_view(d.id, date!(2021 - 04 - 05));
    assert_eq!(app.flush_article_views().await.unwrap(), 0);
    assert!(app.article_views(d.id).await.unwrap().is_empty());
    // Counted since the last flush, the readings are still in the figure.
    app.count_article_view(a.id, date!(2021 - 04 - 06));
    assert_eq!(
        app.article_views(a.id).await.unwrap(),
        [(date!(2021 - 04 - 05), 2), (date!(2021 - 04 - 06), 2)]
    );
}

#[tokio::test]
async fn figures_of_a_month_counted_by_hand() {
    let p = portal().await;
    let app = &p.test.app;
    let system = Ctx::system("test");
    let components_before = app
        .sites()
        .await
        .unwrap()
        .iter()
        .filter(|s| !s.main)
        .count();
    let new_site = |slug: &str, opened_on| Site {
        id: 0,
        slug: slug.into(),
        name: format!("Trang {slug}"),
        agency_id: p.main.agency_id,
        host: None,
        main: false,
        opened_on,
    };
    let x = app
        .create_site(&system, new_site("xa-moi", date!(2021 - 06 - 30)))
        .await
        .unwrap();
    app.create_site(&system, new_site("xa-sau", date!(2021 - 07 - 01)))
        .await
        .unwrap();
    let person = |email: &'static str| async move {
        let read = app.store.read().await.unwrap();
        read.person_for_login(email).await.unwrap().unwrap().0.id
    };
    app.add_site_member(&system, x.id, person(EDITOR).await, SiteRole::Editor)
        .await
        .unwrap();
    app.add_site_member(&system, x.id, person(REVIEWER).await, SiteRole::Reviewer)
        .await
        .unwrap();
    let category = app
        .create_category(
            &system,
            Category {
                id: 0,
                site_id: x.id,
                slug: "tin-tuc".into(),
                name: "Tin tức".into(),
                parent_id: None,
                position: 0,
                in_menu: true,
            },
        )
        .await
        .unwrap();
    let news = p.categories[0].id;
    // June 2021, Vietnam time; the demo has nothing then.
    let cases = [
        (
            p.main.id,
            Language::Vi,
            datetime!(2021-06-01 00:00 +7),
            news,
            true,
        ),
        (
            p.main.id,
            Language::Vi,
            datetime!(2021-05-31 23:59 +7),
            news,
            false,
        ),
        (
            p.main.id,
            Language::Km,
            datetime!(2021-06-30 23:59 +7),
            news,
            true,
        ),
        (
            p.main.id,
            Language::Vi,
            datetime!(2021-07-01 00:00 +7),
            news,
            false,
        ),
        (
            x.id,
            Language::Vi,
            datetime!(2021-06-10 09:00 +7),
            category.id,
            true,
        ),
        (
            x.id,
            Language::Vi,
            datetime!(2021-06-11 09:00 +7),
            category.id,
            true,
        ),
    ];
    for (i, (site, language, at, category, _)) in cases.into_iter().enumerate() {
        p.published(
            site,
            draft(&format!("Tin số {i}"), language, vec![category]),
            Some(at),
        )
        .await;
    }
    // Written in June but never published.
    app.create_article(
        &p.editor,
        x.id,
        draft("Nháp", Language::Vi, vec![category.id]),
    )
    .await
    .unwrap();
    let june = app
        .portal_figures((date!(2021 - 06 - 01), date!(2021 - 06 - 30)), None)
        .await
        .unwrap();
    let main = june.main_site().unwrap();
    assert_eq!((main.vietnamese, main.khmer), (1, 1));
    assert_eq!(june.by_site.len(), 2);
    assert_eq!(
        (june.by_site[1].site_id, june.by_site[1].vietnamese),
        (x.id, 2)
    );
    let by_category: Vec<_> = june
        .by_category
        .iter()
        .map(|c| (c.category_id, c.articles))
        .collect();
    assert_eq!(by_category, [(news, 2), (category.id, 2)]);
    assert_eq!(
        june.component_sites,
        u64::try_from(components_before + 1).unwrap()
    );
    assert_eq!(june.component_posts, 2);
    // Only the new site.
    let only_x = app
        .portal_figures(
            (date!(2021 - 06 - 01), date!(2021 - 06 - 30)),
            Some(&[x.id]),
        )
        .await
        .unwrap();
    assert_eq!((only_x.component_sites, only_x.component_posts), (1, 2));
    assert!(only_x.main_site().is_none());
    refused(
        app.portal_figures((date!(2021 - 06 - 30), date!(2021 - 06 - 01)), None)
            .await,
    );
}

#[tokio::test]
async fn the_demo_has_the_seeds_april() {
    let (test, _) = TestApp::with_demo().await;
    let app = &test.app;
    let sites = app.sites().await.unwrap();
    let components = sites.iter().filter(|s| !s.main).count();
    // Every department and district committee of the demo in April 2021.
    assert_eq!(components, 27);
    let april = app
        .portal_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    let main = april.main_site().unwrap();
    assert_eq!((main.vietnamese, main.khmer), (49, 20));
    assert_eq!(april.component_sites, 27);
    assert_eq!(april.component_posts, 469);
    assert_eq!(
        april.sentence(),
        "49 tin bài tiếng Việt và 20 tin bài tiếng Khmer; 27 trang thành phần, 469 tin bài"
    );
    let khmer_news = april
        .by_category
        .iter()
        .find(|c| c.name == "Tin tiếng Khmer")
        .unwrap();
    assert_eq!(khmer_news.articles, 20);
    // The month's edges: two in March, two in May on each.
    let march = app
        .portal_figures((date!(2021 - 03 - 01), date!(2021 - 03 - 31)), None)
        .await
        .unwrap();
    assert_eq!(
        (march.main_site().unwrap().vietnamese, march.component_posts),
        (2, 2)
    );
    // Loading again adds nothing.
    let seq = test.audit_seq().await;
    app.load_demo(|_, _| {}).await.unwrap();
    assert_eq!(app.sites().await.unwrap().len(), sites.len());
    assert_eq!(test.audit_seq().await, seq);
    // The editor and reviewer of the main portal are demo staff.
    let editor = test.ctx_of(EDITOR).await;
    let mine = app.my_sites(&editor).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].0.slug.as_str(), mine[0].1),
        ("tra-vinh", SiteRole::Editor)
    );
}
