//! The article rules, as tables of cases.

use time::Duration;
use time::macros::datetime;

use super::*;
use crate::portal::SiteRole;

/// A change made to a draft before it is checked.
type Edit = fn(&mut ArticleDraft);

const NOW: OffsetDateTime = datetime!(2021-04-05 01:00 UTC);
const EDITOR: Option<SiteRole> = Some(SiteRole::Editor);
const REVIEWER: Option<SiteRole> = Some(SiteRole::Reviewer);

fn draft(language: Language) -> ArticleDraft {
    ArticleDraft {
        language,
        title: "  Trà Vinh   chuẩn bị bầu cử ".into(),
        summary: " Tóm tắt ".into(),
        body_html: "<p>Nội dung &amp; hình ảnh</p>".into(),
        byline: "Thanh Hà".into(),
        category_ids: vec![2, 1, 2],
        tags: vec![
            " Bầu cử ".into(),
            "bầu  cử".into(),
            String::new(),
            "BAU CU 2021".into(),
        ],
        translation_of: None,
    }
}

fn article(status: ArticleStatus) -> Article {
    let mut a = Article::new(1, draft(Language::Vi), 7, EDITOR, NOW).unwrap();
    a.id = 10;
    a.status = status;
    a
}

#[test]
fn drafts_are_trimmed_and_checked() {
    let ok = check_draft(draft(Language::Vi), 1, &[1, 2], None, false).unwrap();
    assert_eq!(ok.title, "Trà Vinh chuẩn bị bầu cử");
    assert_eq!(ok.summary, "Tóm tắt");
    assert_eq!(ok.category_ids, [1, 2]);
    assert_eq!(ok.tags, ["Bầu cử", "BAU CU 2021"]);
    let cases: [(Edit, ArticleError); 6] = [
        (|d| d.title = "  ".into(), ArticleError::BadTitle),
        (|d| d.title = "a".repeat(301), ArticleError::BadTitle),
        (|d| d.summary = "a".repeat(1001), ArticleError::LongSummary),
        (|d| d.body_html = "<p> </p>".into(), ArticleError::EmptyBody),
        (
            |d| d.tags = (0..21).map(|i| format!("t{i}")).collect(),
            ArticleError::BadTags,
        ),
        (
            |d| d.category_ids = vec![3],
            ArticleError::CategoryOfOtherSite,
        ),
    ];
    for (change, error) in cases {
        let mut d = draft(Language::Vi);
        change(&mut d);
        assert_eq!(check_draft(d, 1, &[1, 2], None, false), Err(error));
    }
    // Exactly the limits pass.
    let mut d = draft(Language::Vi);
    d.title = "ắ".repeat(300);
    d.tags = (0..20).map(|i| format!("t{i}")).collect();
    assert!(check_draft(d, 1, &[1, 2], None, false).is_ok());
}

fn target<'a>(target: &'a Article, others: &'a [Article]) -> TranslationTarget<'a> {
    TranslationTarget { target, others }
}

#[test]
fn translations_pair_two_languages_once() {
    let original = article(ArticleStatus::Published);
    let khmer = draft(Language::Km);
    assert!(
        check_draft(
            khmer.clone(),
            1,
            &[1, 2],
            Some(target(&original, &[])),
            false
        )
        .is_ok()
    );
    assert_eq!(
        check_draft(
            draft(Language::Vi),
            1,
            &[1, 2],
            Some(target(&original, &[])),
            false
        ),
        Err(ArticleError::TranslationSameLanguage)
    );
    assert_eq!(
        check_draft(
            khmer.clone(),
            2,
            &[1, 2],
            Some(target(&original, &[])),
            false
        ),
        Err(ArticleError::TranslationOfOtherSite)
    );
    assert_eq!(
        check_draft(
            khmer.clone(),
            1,
            &[1, 2],
            Some(target(&original, &[])),
            true
        ),
        Err(ArticleError::TranslatedIsTranslation)
    );
    let mut existing = article(ArticleStatus::Draft);
    existing.language = Language::Km;
    let others = [existing];
    assert_eq!(
        check_draft(
            khmer.clone(),
            1,
            &[1, 2],
            Some(target(&original, &others)),
            false
        ),
        Err(ArticleError::TranslationExists(Language::Km))
    );
    let mut translation = original.clone();
    translation.translation_of = Some(3);
    translation.language = Language::Km;
    assert_eq!(
        check_draft(
            draft(Language::Vi),
            1,
            &[1, 2],
            Some(TranslationTarget {
                target: &translation,
                others: &[]
            }),
            false
        ),
        Err(ArticleError::TranslationOfTranslation)
    );
}

#[test]
fn workflow_moves_and_refusals() {
    use ArticleStatus::{Draft, InReview, Published, Unpublished};
    let later = NOW + Duration::hours(1);
    let d = article(Draft);
    assert_eq!(d.submitted(EDITOR, later).unwrap().status, InReview);
    assert_eq!(d.submitted(None, later), Err(ArticleError::NotAllowed));
    let r = article(InReview);
    assert_eq!(
        r.published(EDITOR, None, NOW),
        Err(ArticleError::NotAllowed)
    );
    let p = r.published(REVIEWER, None, NOW).unwrap();
    assert_eq!((p.status, p.publish_at), (Published, Some(NOW)));
    assert!(p.visible(NOW));
    let scheduled = r.published(REVIEWER, Some(later), NOW).unwrap();
    assert!(!scheduled.visible(NOW) && scheduled.visible(later));
    assert_eq!(
        r.published(REVIEWER, Some(NOW - Duration::minutes(1)), NOW),
        Err(ArticleError::PastMoment)
    );
    assert_eq!(
        r.returned(REVIEWER, " Sửa tít ", NOW).unwrap().status,
        Draft
    );
    assert_eq!(r.returned(REVIEWER, "  ", NOW), Err(ArticleError::NoReason));
    assert_eq!(r.returned(EDITOR, "x", NOW), Err(ArticleError::NotAllowed));
    let u = p.unpublished(REVIEWER, later).unwrap();
    assert_eq!((u.status, u.updated_at), (Unpublished, later));
    assert!(!u.visible(later));
    assert_eq!(
        u.published(REVIEWER, None, later).unwrap().status,
        Published
    );
    // Wrong states, named in the message.
    let wrong = d.published(REVIEWER, None, NOW).unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "không thể đăng bài ở trạng thái «Bản nháp»"
    );
    assert!(p.submitted(EDITOR, NOW).is_err());
    assert!(d.returned(REVIEWER, "x", NOW).is_err());
    assert!(d.unpublished(REVIEWER, NOW).is_err());
    assert!(p.published(REVIEWER, None, NOW).is_err());
}

#[test]
fn editing_makes_revisions_and_guards_published_text() {
    use ArticleStatus::{Draft, InReview, Published, Unpublished};
    let checked = check_draft(draft(Language::Vi), 1, &[1, 2], None, false).unwrap();
    let cases = [
        (Draft, EDITOR, Draft),
        (InReview, EDITOR, InReview),
        (Published, REVIEWER, Published),
        (Published, EDITOR, InReview),
        (Unpublished, EDITOR, Draft),
    ];
    for (from, role, to) in cases {
        let edited = article(from).edited(checked.clone(), role, NOW).unwrap();
        assert_eq!(
            (edited.status, edited.revision),
            (to, 2),
            "{from:?} {role:?}"
        );
        let rev = edited.revision_by(8);
        assert_eq!(
            (rev.revision, rev.by, rev.title.as_str()),
            (2, 8, checked.title.as_str())
        );
    }
    assert_eq!(
        article(Draft).edited(checked, None, NOW),
        Err(ArticleError::NotAllowed)
    );
}

#[test]
fn sharing_needs_a_published_component_article() {
    let p = article(ArticleStatus::Published);
    let proposed = p.sharing_proposed(EDITOR, false, NOW).unwrap();
    assert_eq!(proposed.shared, Sharing::Proposed);
    assert_eq!(
        p.sharing_proposed(EDITOR, true, NOW),
        Err(ArticleError::SharingFromMain)
    );
    assert!(
        article(ArticleStatus::Draft)
            .sharing_proposed(EDITOR, false, NOW)
            .is_err()
    );
    assert!(proposed.sharing_proposed(EDITOR, false, NOW).is_err());
    assert_eq!(
        proposed.sharing_decided(EDITOR, true, NOW),
        Err(ArticleError::NotAllowed)
    );
    let approved = proposed.sharing_decided(REVIEWER, true, NOW).unwrap();
    assert_eq!(approved.shared, Sharing::Approved);
    let rejected = proposed.sharing_decided(REVIEWER, false, NOW).unwrap();
    assert_eq!(rejected.shared, Sharing::Rejected);
    assert!(approved.sharing_decided(REVIEWER, false, NOW).is_err());
    // A rejected article may be proposed again.
    assert!(rejected.sharing_proposed(EDITOR, false, NOW).is_ok());
}

#[test]
fn plain_text_drops_tags_and_decodes_entities() {
    let cases = [
        ("<p>Bầu cử</p><p>đại biểu</p>", "Bầu cử đại biểu"),
        (
            "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;",
            "a & b <c> \"d\" 'e'",
        ),
        ("x&nbsp;y &#x1780; &#6016;", "x y ក ក"),
        ("&unknown; & &", "&unknown; & &"),
        ("<img src=\"a.png\" alt=\"ảnh\">chú thích", "chú thích"),
        ("dangling <b", "dangling"),
        ("", ""),
    ];
    for (html, text) in cases {
        assert_eq!(plain_text(html), text, "{html}");
    }
}
