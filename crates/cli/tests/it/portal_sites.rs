//! Managing the portal's sites through the staff pages (issue 11): a
//! leader opens a component site, names its editor and adds a category;
//! refusals (a slug taken, an unknown e-mail, someone who manages nothing)
//! show the reason and change nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use testkit::TestApp;

use crate::ui::{get_html, hidden, post_fields, redirected, sign_in_as, text};

const LEADER: &str = "thanhnn.stttt@travinh.gov.vn";
const EDITOR: &str = "trangvtt.stttt@travinh.gov.vn";

#[tokio::test]
#[allow(clippy::too_many_lines)] // one site opened, step by step
async fn a_leader_opens_a_component_site_with_its_editor_and_categories() {
    let (test, _) = TestApp::with_demo().await;
    test.set_password(LEADER, testkit::PASSWORD).await;
    test.set_password(EDITOR, testkit::PASSWORD).await;
    let leader = sign_in_as(&test, LEADER, testkit::PASSWORD).await;
    let home = get_html(&test, &leader, "/app/portal").await;
    assert!(home.contains("href=\"/app/portal/sites\""), "{home}");
    let list = get_html(&test, &leader, "/app/portal/sites").await;
    assert!(list.contains("Cổng Thông tin điện tử tỉnh Trà Vinh"));
    let csrf = hidden(&list, "csrf");
    let agency = test
        .app
        .person_by_email(LEADER)
        .await
        .unwrap()
        .agency_id
        .to_string();
    let sites_before = test.app.sites().await.unwrap().len();

    // A slug another site has: refused, the form keeps what was typed.
    let response = post_fields(
        &test,
        &leader,
        "/app/portal/sites",
        &[
            ("csrf", &csrf),
            ("name", "Trang thử"),
            ("slug", "tra-vinh"),
            ("host", ""),
            ("agency", &agency),
            ("opened_on", "2021-05-01"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(response).await;
    assert!(page.contains("«tra-vinh» đã được dùng"), "{page}");
    assert!(page.contains("value=\"Trang thử\""));
    assert_eq!(test.app.sites().await.unwrap().len(), sites_before);

    // The site itself.
    let response = post_fields(
        &test,
        &leader,
        "/app/portal/sites",
        &[
            ("csrf", &csrf),
            ("name", "Trang thông tin Chuyển đổi số Trà Vinh"),
            ("slug", "chuyen-doi-so"),
            ("host", "cds.travinh.gov.vn"),
            ("agency", &agency),
            ("opened_on", "2021-05-01"),
        ],
    )
    .await;
    let path = redirected(&response);
    let site = test.app.site_by_slug("chuyen-doi-so").await.unwrap();
    assert_eq!(path, format!("/app/portal/sites/{}", site.id));
    assert_eq!(site.host.as_deref(), Some("cds.travinh.gov.vn"));
    assert!(!site.main);

    // Its editor, by e-mail; an unknown e-mail changes nothing.
    let members = format!("{path}/members");
    let response = post_fields(
        &test,
        &leader,
        &members,
        &[
            ("csrf", &csrf),
            ("email", "khongco@travinh.gov.vn"),
            ("role", "editor"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains("khongco@travinh.gov.vn"));
    let response = post_fields(
        &test,
        &leader,
        &members,
        &[("csrf", &csrf), ("email", EDITOR), ("role", "editor")],
    )
    .await;
    redirected(&response);
    let page = get_html(&test, &leader, &path).await;
    assert!(page.contains("Võ Thị Thu Trang") && page.contains("Biên tập viên"));

    // A category in the menu; the site's public home shows it.
    let response = post_fields(
        &test,
        &leader,
        &format!("{path}/categories"),
        &[
            ("csrf", &csrf),
            ("name", "Chính quyền số"),
            ("slug", "chinh-quyen-so"),
            ("parent", ""),
            ("in_menu", "1"),
        ],
    )
    .await;
    redirected(&response);
    let categories = test.app.categories(site.id).await.unwrap();
    assert_eq!(categories.len(), 1);
    assert!(categories[0].in_menu);
    let public = test
        .send(
            Request::get("/site/chuyen-doi-so")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(public.status(), StatusCode::OK);
    assert!(
        text(public)
            .await
            .contains("href=\"/site/chuyen-doi-so/chuyen-muc/chinh-quyen-so\"")
    );

    // The editor now writes there, and manages nothing.
    let editor = sign_in_as(&test, EDITOR, testkit::PASSWORD).await;
    let home = get_html(&test, &editor, "/app/portal").await;
    assert!(home.contains("Trang thông tin Chuyển đổi số Trà Vinh"));
    assert!(!home.contains("href=\"/app/portal/sites\""));
    for path in ["/app/portal/sites".to_owned(), path.clone()] {
        let response = test
            .send(
                Request::get(&path)
                    .header(header::COOKIE, &editor)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }

    // Removed, she no longer sees it.
    let member_id = test
        .app
        .person_by_email(EDITOR)
        .await
        .unwrap()
        .id
        .to_string();
    let response = post_fields(
        &test,
        &leader,
        &members,
        &[("csrf", &csrf), ("remove", &member_id)],
    )
    .await;
    redirected(&response);
    let home = get_html(&test, &editor, "/app/portal").await;
    assert!(!home.contains("Trang thông tin Chuyển đổi số Trà Vinh"));
}
