//! The portal's staff pages (issue 11) through the router with signed-in
//! sessions: the editor writes a Vietnamese and a Khmer article with a
//! picture, the reviewer publishes both, refusals change nothing, and the
//! picture is served at `/anh/{id}/{width}`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::portal::articles::ArticleStatus;
use http_body_util::BodyExt;
use testkit::TestApp;
use time::macros::date;

use crate::ui::{get_html, hidden, multipart, post_fields, redirected, sign_in_as, text};

const EDITOR: &str = "trangvtt.stttt@travinh.gov.vn";
const REVIEWER: &str = "thanhnn.stttt@travinh.gov.vn";
/// "Cambodia's Khmer people celebrate Chol Chnam Thmay" in Khmer.
const KHMER_TITLE: &str = "ប្រជាពលរដ្ឋខ្មែរ ប្រារព្ធពិធីបុណ្យចូលឆ្នាំថ្មី";
const KHMER_BODY: &str = "ខេត្តត្រាវិញ រៀបចំពិធីបុណ្យចូលឆ្នាំប្រពៃណីជាតិ";

/// A photo-like JPEG of `width` × `height`, made here.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        // The low byte of each coordinate: a gradient that repeats.
        let low = |v: u32| v.to_le_bytes()[0];
        image::Rgb([low(x), low(y), low(x + y)])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

fn id_in(location: &str) -> i64 {
    location
        .trim_start_matches("/app/portal/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The system reads: a test `Ctx` of a person would end their session.
fn system() -> app::Ctx {
    app::Ctx::system("test")
}

async fn status_of(test: &TestApp, id: i64) -> ArticleStatus {
    test.app.article(&system(), id).await.unwrap().status
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one editorial day, step by step
async fn the_editor_writes_two_languages_with_a_picture_and_the_reviewer_publishes() {
    let (test, _) = TestApp::with_demo().await;
    test.set_password(EDITOR, testkit::PASSWORD).await;
    test.set_password(REVIEWER, testkit::PASSWORD).await;
    let editor = sign_in_as(&test, EDITOR, testkit::PASSWORD).await;
    let reviewer = sign_in_as(&test, REVIEWER, testkit::PASSWORD).await;
    let site = test.app.site_by_slug("tra-vinh").await.unwrap();
    let categories = test.app.categories(site.id).await.unwrap();
    let news = categories[0].id.to_string();
    let khmer_news = categories
        .iter()
        .find(|c| c.slug == "tin-tieng-khmer")
        .unwrap()
        .id
        .to_string();

    let home = get_html(&test, &editor, "/app/portal").await;
    assert!(home.contains("href=\"/app/portal\""), "nav entry");
    assert!(home.contains(&site.name) && home.contains("Biên tập viên"));
    let new_path = format!("/app/portal/sites/{}/articles/new", site.id);
    let csrf = hidden(&get_html(&test, &editor, &new_path).await, "csrf");

    // A Vietnamese article: the script in its body is gone after saving.
    let response = post_fields(
        &test,
        &editor,
        &new_path,
        &[
            ("csrf", &csrf),
            ("language", "vi"),
            ("title", "Trà Vinh đón Tết Chôl Chnăm Thmây"),
            ("summary", "Đồng bào Khmer đón năm mới."),
            ("byline", "Thu Trang"),
            ("category", &news),
            ("tags", "Khmer, lễ hội"),
            ("translation_of", ""),
            (
                "body_html",
                "<p>Nội dung <b>chính</b>.</p><script>alert('x')</script>",
            ),
        ],
    )
    .await;
    let vi = id_in(&redirected(&response));
    let page = get_html(&test, &editor, &format!("/app/portal/articles/{vi}")).await;
    assert!(page.contains("<p>Nội dung <b>chính</b>.</p>"), "{page}");
    assert!(!page.contains("alert("), "{page}");
    assert!(page.contains("value=\"Khmer, lễ hội\""));

    // The Khmer translation: its text is kept intact, and its fields are
    // marked Khmer.
    let response = post_fields(
        &test,
        &editor,
        &new_path,
        &[
            ("csrf", &csrf),
            ("language", "km"),
            ("title", KHMER_TITLE),
            ("summary", KHMER_BODY),
            ("byline", "Thu Trang"),
            ("category", &khmer_news),
            ("tags", ""),
            ("translation_of", &vi.to_string()),
            ("body_html", &format!("<p>{KHMER_BODY}</p>")),
        ],
    )
    .await;
    let km = id_in(&redirected(&response));
    let saved = test.app.article(&system(), km).await.unwrap();
    assert_eq!(saved.title, KHMER_TITLE);
    assert_eq!(saved.body_html, format!("<p>{KHMER_BODY}</p>"));
    assert_eq!(saved.translation_of, Some(vi));
    let km_path = format!("/app/portal/articles/{km}");
    let page = get_html(&test, &editor, &km_path).await;
    assert!(
        page.contains(&format!("value=\"{KHMER_TITLE}\" lang=\"km\"")),
        "{page}"
    );

    // A picture for it: uploaded, then put in the body.
    let photo = jpeg(1200, 720);
    let images = format!("/app/portal/sites/{}/images", site.id);
    let response = test
        .send(multipart(
            &images,
            &editor,
            &[("csrf", &csrf), ("back", &km_path), ("alt", "Múa Khmer")],
            ("le-hoi.jpg", &photo),
        ))
        .await;
    let back = redirected(&response);
    let image: i64 = back.split("?image=").nth(1).unwrap().parse().unwrap();
    let page = get_html(&test, &editor, &back).await;
    let tag =
        format!("<img src=\"/anh/{image}/960\" alt=\"Múa Khmer\" width=\"960\" height=\"576\">");
    // Shown to copy, escaped as text (askama's entities).
    let escaped = tag
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;");
    assert!(page.contains(&escaped), "{page}");
    let response = post_fields(
        &test,
        &editor,
        &km_path,
        &[
            ("csrf", &csrf),
            ("language", "km"),
            ("title", KHMER_TITLE),
            ("summary", KHMER_BODY),
            ("byline", "Thu Trang"),
            ("category", &khmer_news),
            ("translation_of", &vi.to_string()),
            ("body_html", &format!("<p>{KHMER_BODY}</p>{tag}")),
        ],
    )
    .await;
    assert_eq!(redirected(&response), km_path);
    let page = get_html(&test, &editor, &km_path).await;
    assert!(page.contains(&tag), "{page}");
    assert!(page.contains("Võ Thị Thu Trang"), "the revisions list");

    // Refusals show an error and change nothing.
    let seq = test.audit_seq().await;
    let response = post_fields(
        &test,
        &editor,
        &format!("{km_path}/actions"),
        &[("csrf", &csrf), ("action", "publish")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(text(response).await.contains("class=\"error\""));
    let response = post_fields(
        &test,
        &editor,
        &km_path,
        &[
            ("csrf", &csrf),
            ("language", "km"),
            ("title", "Khác"),
            ("category", "999999"),
            ("body_html", "<p>khác</p>"),
        ],
    )
    .await;
    assert_ne!(response.status(), StatusCode::SEE_OTHER);
    let page = text(response).await;
    assert!(page.contains("class=\"error\""), "{page}");
    let response = test
        .send(multipart(
            &images,
            &editor,
            &[
                ("csrf", &csrf),
                ("back", &km_path),
                ("alt", "Không phải ảnh"),
            ],
            ("anh.jpg", b"not a picture at all"),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains("không phải là ảnh"));
    let response = test
        .send(multipart(
            &images,
            &editor,
            &[("csrf", &csrf), ("back", &km_path), ("alt", " ")],
            ("le-hoi.jpg", &photo),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(test.audit_seq().await, seq);
    assert_eq!(status_of(&test, km).await, ArticleStatus::Draft);

    // Submitted, then published by the reviewer from the queue.
    for id in [vi, km] {
        let response = post_fields(
            &test,
            &editor,
            &format!("/app/portal/articles/{id}/actions"),
            &[("csrf", &csrf), ("action", "submit")],
        )
        .await;
        redirected(&response);
        assert_eq!(status_of(&test, id).await, ArticleStatus::InReview);
    }
    let queue = get_html(&test, &reviewer, "/app/portal").await;
    assert!(queue.contains(KHMER_TITLE) && queue.contains("Tết Chôl Chnăm Thmây"));
    let reviewer_csrf = hidden(&queue, "csrf");
    let page = get_html(&test, &reviewer, &km_path).await;
    assert!(page.contains("value=\"publish\""));
    for id in [vi, km] {
        let response = post_fields(
            &test,
            &reviewer,
            &format!("/app/portal/articles/{id}/actions"),
            &[("csrf", &reviewer_csrf), ("action", "publish")],
        )
        .await;
        redirected(&response);
        assert_eq!(status_of(&test, id).await, ArticleStatus::Published);
    }
    let listed = get_html(
        &test,
        &reviewer,
        &format!("/app/portal/sites/{}/articles?status=published", site.id),
    )
    .await;
    assert!(listed.contains(KHMER_TITLE));

    // The picture, to anyone, cached for a year.
    let response = test
        .send(
            Request::get(format!("/anh/{image}/480"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let served = image::load_from_memory(&bytes).unwrap();
    assert!(served.width() <= 480 && served.width() > 0);
    for missing in [format!("/anh/{image}/500"), "/anh/999999/480".to_owned()] {
        let response = test
            .send(Request::get(missing).body(Body::empty()).unwrap())
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn people_outside_the_portal_do_not_see_it() {
    let (test, _) = TestApp::with_demo().await;
    // A clerk of the department: neither a member nor a manager.
    let email = "nhunglth.stttt@travinh.gov.vn";
    test.set_password(email, testkit::PASSWORD).await;
    let session = sign_in_as(&test, email, testkit::PASSWORD).await;
    let site = test.app.site_by_slug("tra-vinh").await.unwrap();
    let page = get_html(&test, &session, "/app/account").await;
    assert!(!page.contains("Cổng thông tin"), "{page}");
    assert!(!page.contains("href=\"/app/portal\""));
    let response = test
        .send(
            Request::get(format!("/app/portal/sites/{}/articles", site.id))
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_figures_page_gives_aprils_sentence_from_the_records() {
    let (test, _) = TestApp::with_demo().await;
    test.set_password(EDITOR, testkit::PASSWORD).await;
    let editor = sign_in_as(&test, EDITOR, testkit::PASSWORD).await;
    let home = get_html(&test, &editor, "/app/portal").await;
    assert!(home.contains("href=\"/app/portal/figures\""), "{home}");
    let page = get_html(
        &test,
        &editor,
        "/app/portal/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    let figures = test
        .app
        .portal_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    assert!(
        page.contains(&format!(
            "Cổng thông tin điện tử tỉnh đăng 49 tin bài tiếng Việt và 20 tin bài tiếng Khmer; {} trang thành phần, 469 tin bài.",
            figures.component_sites
        )),
        "{page}"
    );
    assert!(
        page.contains(
            "<th scope=\"row\">Cổng Thông tin điện tử tỉnh Trà Vinh</th><td>49</td><td>20</td><td>69</td>"
        ),
        "{page}"
    );
    assert!(
        page.contains("Văn bản đăng trên các trang: 77 văn bản (Gồm: 05 lịch làm việc lãnh đạo,"),
        "{page}"
    );
    assert!(page.contains("<th scope=\"row\">Văn bản khác</th><td>1</td>"));
    // Another month: none of April's articles.
    let june = get_html(
        &test,
        &editor,
        "/app/portal/figures?from=2021-06-01&to=2021-06-30",
    )
    .await;
    // Counts are written as the report writes them: two digits at least.
    assert!(june.contains("đăng 00 tin bài tiếng Việt"), "{june}");
}
