//! Licensing (issue 10): the life cycle of a licence (issue, renewal,
//! revocation, expiry) and the public registry, expiry reminders, the
//! refusals of bad input, authorisation, the signed copy, and the
//! report's figures against a month counted by hand.

use app::AppError;
use app::Ctx;
use app::licensing::records::{NewLicence, Terms};
use app::licensing::views::LicenceFilter;
use domain::documents::SignatureVerdict;
use domain::licensing::figures::KindFigures;
use domain::licensing::{Holder, Licence, LicenceKind, LicenceStatus};
use domain::mail::outbox::About;
use domain::services::Channel;
use testkit::TestApp;
use time::Date;
use time::macros::date;

const BCVT: &str = "000.03.11.H59";
const CNTT: &str = "000.04.11.H59";
const SOCKV: &str = "sockv.stttt@travinh.gov.vn";

fn holder(name: &str, email: Option<&str>) -> Holder {
    Holder {
        name: name.into(),
        id_number: Some("084190001234".into()),
        address: "Phường 5, thành phố Trà Vinh".into(),
        email: email.map(Into::into),
    }
}

fn terms(issued_on: Date, channel: Channel) -> Terms {
    Terms {
        number: None,
        issued_on,
        valid_until: None,
        channel,
        dossier_code: None,
    }
}

/// A licence of `kind` for `agency_id`, issued on `issued_on`, with the
/// kind's defaults.
fn new(kind: LicenceKind, agency_id: i64, issued_on: Date, channel: Channel) -> NewLicence {
    NewLicence {
        kind,
        agency_id,
        terms: terms(issued_on, channel),
        holder: holder("Hộ kinh doanh Internet Minh Tâm", None),
        subject: "Số 12 đường Nguyễn Đáng, Phường 5".into(),
        assessed_year: (kind == LicenceKind::RuralCriteria).then_some(2020),
        issuer: (kind == LicenceKind::RadioFrequency).then(|| "Cục Tần số vô tuyến điện".into()),
    }
}

async fn issue(test: &TestApp, ctx: &Ctx, licence: NewLicence) -> Licence {
    test.app.issue_licence(ctx, licence).await.unwrap()
}

fn invalid(result: Result<Licence, AppError>) -> String {
    match result {
        Err(AppError::Invalid(message) | AppError::Conflict(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_licence_is_issued_renewed_revoked_and_shown_publicly() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = test.ctx_of(SOCKV).await;
    let bcvt = test.agency_id(BCVT).await;
    let first = issue(
        &test,
        &ctx,
        NewLicence {
            holder: holder(
                "Hộ kinh doanh Internet Minh Tâm",
                Some("MinhTam@example.vn"),
            ),
            ..new(
                LicenceKind::GamePoint,
                bcvt,
                date!(2018 - 05 - 20),
                Channel::Desk,
            )
        },
    )
    .await;
    assert_eq!(first.number, "01/GCN-STTTT");
    assert_eq!(first.valid_until, Some(date!(2021 - 05 - 19)));
    assert_eq!(first.holder.email.as_deref(), Some("minhtam@example.vn"));
    assert_eq!(
        first.status_on(date!(2021 - 04 - 05)),
        LicenceStatus::InForce
    );
    let second = issue(
        &test,
        &ctx,
        new(
            LicenceKind::GamePoint,
            bcvt,
            date!(2018 - 06 - 01),
            Channel::Post,
        ),
    )
    .await;
    assert_eq!(second.number, "02/GCN-STTTT");

    let renewal = test
        .app
        .renew_licence(
            &ctx,
            first.id,
            terms(date!(2021 - 04 - 02), Channel::Online),
        )
        .await
        .unwrap();
    assert_eq!(renewal.renews, Some(first.id));
    // Numbered in 2021, after the demo's three certificates of April.
    assert_eq!(renewal.number, "04/GCN-STTTT");
    assert_eq!(renewal.valid_until, Some(date!(2024 - 04 - 01)));
    assert_eq!(renewal.holder, first.holder);
    let old = test.app.licence(&ctx, first.id).await.unwrap();
    assert_eq!(old.renewed_on, Some(date!(2021 - 04 - 02)));
    assert_eq!(
        old.status_on(date!(2021 - 04 - 05)),
        LicenceStatus::Superseded
    );
    assert_eq!(
        test.app.licence_renewal(&ctx, first.id).await.unwrap(),
        Some(renewal.clone())
    );
    // A second renewal of the same licence is refused.
    let again = test
        .app
        .renew_licence(
            &ctx,
            first.id,
            terms(date!(2021 - 04 - 03), Channel::Online),
        )
        .await;
    assert!(invalid(again).contains("đã được gia hạn"));

    let revoked = test
        .app
        .revoke_licence(
            &ctx,
            second.id,
            date!(2021 - 04 - 05),
            "Chủ điểm đề nghị thôi hoạt động",
        )
        .await
        .unwrap();
    assert_eq!(
        revoked.status_on(date!(2021 - 04 - 05)),
        LicenceStatus::Revoked
    );
    assert!(
        invalid(
            test.app
                .revoke_licence(&ctx, second.id, date!(2021 - 04 - 05), "lần nữa")
                .await
        )
        .contains("thu hồi")
    );
    // A revoked licence is not renewed.
    assert!(
        invalid(
            test.app
                .renew_licence(&ctx, second.id, terms(date!(2021 - 04 - 05), Channel::Desk))
                .await
        )
        .contains("thu hồi")
    );

    // Expiry: the renewal runs out after 1/4/2024.
    test.clock
        .advance(time::macros::datetime!(2024-04-02 08:00 +7) - testkit::START);
    let expired = test.app.licence(&ctx, renewal.id).await.unwrap();
    assert_eq!(expired.status_on(test.app.today()), LicenceStatus::Expired);
    let (listed, total) = test
        .app
        .licences(
            &ctx,
            LicenceFilter {
                kind: Some(LicenceKind::GamePoint),
                status: Some(LicenceStatus::Expired),
                text: Some("minh tâm".into()),
                ..LicenceFilter::default()
            },
            (0, 50),
        )
        .await
        .unwrap();
    assert_eq!((listed.len(), total), (1, 1));
    assert_eq!(listed[0].id, renewal.id);

    // The public registry: all three, statuses in Vietnamese, no id
    // number or e-mail anywhere.
    let (public, total) = test
        .app
        .public_licences(
            Some("minh tam".into()),
            Some(LicenceKind::GamePoint),
            (0, 10),
        )
        .await
        .unwrap();
    assert_eq!(total, 3);
    let statuses: Vec<_> = public.iter().map(|l| (l.id, l.status.label())).collect();
    assert!(statuses.contains(&(first.id, "Đã gia hạn")));
    assert!(statuses.contains(&(second.id, "Đã thu hồi")));
    assert!(statuses.contains(&(renewal.id, "Hết hiệu lực")));
    let json = serde_json::to_string(&public).unwrap();
    assert!(!json.contains("084190001234") && !json.contains("minhtam@"));
    let (by_number, _) = test
        .app
        .public_licences(Some("02/GCN".into()), None, (0, 10))
        .await
        .unwrap();
    // Numbers restart each year: the demo's 02/GCN-STTTT of 2021 too.
    assert!(by_number.iter().any(|l| l.id == second.id));
    assert!(by_number.iter().all(|l| l.number == "02/GCN-STTTT"));
    assert_eq!(by_number.len(), 2);

    let page = test
        .send(
            axum::http::Request::get("/giay-phep?q=Minh%20T%C3%A2m&loai=game_point")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status(), 200);
    let html = String::from_utf8(
        http_body_util::BodyExt::collect(page.into_body())
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("Đã thu hồi") && html.contains("Đã gia hạn"));
    assert!(!html.contains("084190001234") && !html.contains("minhtam@"));
}

#[tokio::test]
async fn a_holder_is_reminded_once_per_expiry() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = test.ctx_of(SOCKV).await;
    let bcvt = test.agency_id(BCVT).await;
    let game = |name: &str, email: Option<&str>, issued_on: Date| NewLicence {
        holder: holder(name, email),
        ..new(LicenceKind::GamePoint, bcvt, issued_on, Channel::Desk)
    };
    // Expires 4/5/2021, 29 days after the clock's 5/4: inside the window.
    let due = issue(
        &test,
        &ctx,
        game("Điểm A", Some("a@example.vn"), date!(2018 - 05 - 05)),
    )
    .await;
    // Expires 6/5/2021: outside until the clock moves.
    let later = issue(
        &test,
        &ctx,
        game("Điểm B", Some("b@example.vn"), date!(2018 - 05 - 07)),
    )
    .await;
    let no_mail = issue(&test, &ctx, game("Điểm C", None, date!(2018 - 05 - 05))).await;
    let revoked = issue(
        &test,
        &ctx,
        game("Điểm D", Some("d@example.vn"), date!(2018 - 05 - 05)),
    )
    .await;
    test.app
        .revoke_licence(
            &ctx,
            revoked.id,
            date!(2021 - 04 - 01),
            "Vi phạm giờ hoạt động",
        )
        .await
        .unwrap();
    let renewed = issue(
        &test,
        &ctx,
        game("Điểm E", Some("e@example.vn"), date!(2018 - 05 - 05)),
    )
    .await;
    test.app
        .renew_licence(
            &ctx,
            renewed.id,
            terms(date!(2021 - 04 - 01), Channel::Online),
        )
        .await
        .unwrap();

    let mails = |id: i64| {
        let test = &test;
        async move {
            test.app
                .store
                .read()
                .await
                .unwrap()
                .mail_about(&About::Licence(id))
                .await
                .unwrap()
        }
    };
    let first_run = test.app.send_licence_reminders().await.unwrap();
    assert_eq!(test.app.send_licence_reminders().await.unwrap(), 0);
    test.clock.advance(time::Duration::hours(5));
    assert_eq!(test.app.send_licence_reminders().await.unwrap(), 0);
    assert!(first_run >= 1, "the demo's may add to it");
    let sent = mails(due.id).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].mail.recipient, "a@example.vn");
    assert!(sent[0].mail.subject.contains(&due.number));
    for quiet in [&later, &no_mail, &revoked, &renewed] {
        assert!(mails(quiet.id).await.is_empty(), "{}", quiet.holder.name);
    }
    let due_list = test.app.licences_due(&ctx).await.unwrap();
    let ids: Vec<_> = due_list.iter().map(|l| l.id).collect();
    assert!(ids.contains(&due.id) && ids.contains(&no_mail.id));
    assert!(!ids.contains(&later.id) && !ids.contains(&revoked.id) && !ids.contains(&renewed.id));

    // Two days on, B enters its window and gets its one mail; A none more.
    test.clock.advance(time::Duration::days(2));
    test.app.send_licence_reminders().await.unwrap();
    test.app.send_licence_reminders().await.unwrap();
    assert_eq!(mails(later.id).await.len(), 1);
    assert_eq!(mails(due.id).await.len(), 1);
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = test.ctx_of(SOCKV).await;
    let bcvt = test.agency_id(BCVT).await;
    let count = || async {
        test.app
            .licences(&ctx, LicenceFilter::default(), (0, 1))
            .await
            .unwrap()
            .1
    };
    let before = count().await;
    let game = new(
        LicenceKind::GamePoint,
        bcvt,
        date!(2021 - 04 - 01),
        Channel::Desk,
    );

    let backwards = NewLicence {
        terms: Terms {
            valid_until: Some(date!(2021 - 03 - 01)),
            ..game.terms.clone()
        },
        ..game.clone()
    };
    assert_eq!(
        invalid(test.app.issue_licence(&ctx, backwards).await),
        "Ngày hết hạn phải sau ngày cấp"
    );
    let too_long = NewLicence {
        terms: Terms {
            valid_until: Some(date!(2025 - 01 - 01)),
            ..game.terms.clone()
        },
        ..game.clone()
    };
    assert!(invalid(test.app.issue_licence(&ctx, too_long).await).contains("3 năm"));
    let future = NewLicence {
        terms: terms(date!(2021 - 04 - 06), Channel::Desk),
        ..game.clone()
    };
    assert!(invalid(test.app.issue_licence(&ctx, future).await).contains("tương lai"));
    let unknown_dossier = NewLicence {
        terms: Terms {
            dossier_code: Some("000.00.11.H59-210405-9999".into()),
            ..game.terms.clone()
        },
        ..game.clone()
    };
    assert!(
        invalid(test.app.issue_licence(&ctx, unknown_dossier).await)
            .contains("Không có hồ sơ 000.00.11.H59-210405-9999")
    );
    let radio_without_number = new(
        LicenceKind::RadioFrequency,
        bcvt,
        date!(2021 - 04 - 01),
        Channel::Desk,
    );
    assert!(
        invalid(test.app.issue_licence(&ctx, radio_without_number).await).contains("số giấy phép")
    );
    let bad_mail = NewLicence {
        holder: holder("Điểm X", Some("không phải thư")),
        ..game.clone()
    };
    assert!(invalid(test.app.issue_licence(&ctx, bad_mail).await).contains("thư điện tử"));
    assert_eq!(count().await, before, "nothing recorded");

    let numbered = NewLicence {
        terms: Terms {
            number: Some("07/GCN-STTTT".into()),
            ..game.terms.clone()
        },
        ..game.clone()
    };
    let seventh = issue(&test, &ctx, numbered.clone()).await;
    assert!(
        invalid(test.app.issue_licence(&ctx, numbered).await).contains("Số 07/GCN-STTTT đã cấp")
    );
    // The counter moved past the number given by hand.
    assert_eq!(
        issue(&test, &ctx, game.clone()).await.number,
        "08/GCN-STTTT"
    );

    let publication = issue(
        &test,
        &ctx,
        new(
            LicenceKind::Publication,
            bcvt,
            date!(2021 - 04 - 01),
            Channel::Online,
        ),
    )
    .await;
    assert!(
        invalid(
            test.app
                .renew_licence(
                    &ctx,
                    publication.id,
                    terms(date!(2021 - 04 - 05), Channel::Online)
                )
                .await
        )
        .contains("không gia hạn")
    );
    assert!(
        invalid(
            test.app
                .renew_licence(
                    &ctx,
                    seventh.id,
                    terms(date!(2021 - 03 - 31), Channel::Online)
                )
                .await
        )
        .contains("không thể cấp trước")
    );
    assert!(
        invalid(
            test.app
                .revoke_licence(&ctx, seventh.id, date!(2021 - 04 - 06), "Vi phạm")
                .await
        )
        .contains("đến hôm nay")
    );
    assert!(
        invalid(
            test.app
                .revoke_licence(&ctx, seventh.id, date!(2021 - 04 - 05), " ")
                .await
        )
        .contains("lý do")
    );
    test.app
        .revoke_licence(&ctx, seventh.id, date!(2021 - 04 - 05), "Vi phạm")
        .await
        .unwrap();
    assert!(
        invalid(
            test.app
                .revoke_licence(&ctx, seventh.id, date!(2021 - 04 - 05), "Vi phạm")
                .await
        )
        .contains("đã bị thu hồi")
    );
    assert_eq!(count().await, before + 3);
}

#[tokio::test]
async fn a_dossier_gives_its_channel_and_holder() {
    let (test, _) = TestApp::with_demo().await;
    let (procedure, desk) = crate::services::department_desk(&test).await;
    let dossier = test
        .app
        .receive_dossier(&desk, crate::services::at_the_desk(procedure.id, 1))
        .await
        .unwrap();
    let ctx = test.ctx_of(SOCKV).await;
    let bcvt = test.agency_id(BCVT).await;
    let licence = issue(
        &test,
        &ctx,
        NewLicence {
            terms: Terms {
                dossier_code: Some(dossier.code.clone()),
                ..terms(date!(2021 - 04 - 05), Channel::Online)
            },
            ..new(
                LicenceKind::Bts,
                bcvt,
                date!(2021 - 04 - 05),
                Channel::Online,
            )
        },
    )
    .await;
    assert_eq!(licence.channel, Channel::Desk);
    assert_eq!(licence.holder.name, dossier.applicant.name);
    assert_eq!(licence.dossier_code.as_deref(), Some(dossier.code.as_str()));
    assert_eq!(licence.valid_until, None);
}

#[tokio::test]
async fn only_licence_staff_record_and_only_the_agencys_people_see() {
    let (test, _) = TestApp::with_demo().await;
    let bcvt = test.agency_id(BCVT).await;
    let game = new(
        LicenceKind::GamePoint,
        bcvt,
        date!(2021 - 04 - 01),
        Channel::Desk,
    );
    for outsider in [
        "tienhtm.stttt@travinh.gov.vn",
        "phiepts.stttt@travinh.gov.vn",
    ] {
        let ctx = test.ctx_of(outsider).await;
        assert!(matches!(
            test.app.issue_licence(&ctx, game.clone()).await,
            Err(AppError::Forbidden)
        ));
    }
    let leader = test.ctx_of("thanhnn.stttt@travinh.gov.vn").await;
    let licence = issue(&test, &leader, game).await;
    let inspector = test.ctx_of("tienhtm.stttt@travinh.gov.vn").await;
    assert!(matches!(
        test.app.licence(&inspector, licence.id).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        test.app
            .revoke_licence(&inspector, licence.id, date!(2021 - 04 - 05), "x")
            .await,
        Err(AppError::Forbidden)
    ));
    let (seen, _) = test
        .app
        .licences(&inspector, LicenceFilter::default(), (0, 50))
        .await
        .unwrap();
    assert!(seen.iter().all(|l| l.id != licence.id));
    let specialist = test.ctx_of(SOCKV).await;
    assert_eq!(
        test.app.licence(&specialist, licence.id).await.unwrap(),
        licence
    );
}

#[tokio::test]
async fn the_signed_copy_is_judged_stored_and_downloadable() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = test.ctx_of(SOCKV).await;
    let bcvt = test.agency_id(BCVT).await;
    let licence = issue(
        &test,
        &ctx,
        new(LicenceKind::Bts, bcvt, date!(2021 - 04 - 02), Channel::Desk),
    )
    .await;
    let pdf = bytes::Bytes::from_static(include_bytes!("data/du-thao.pdf"));
    let not_pdf = test
        .app
        .upload_signed_licence(
            &ctx,
            licence.id,
            "giay-phep.docx",
            bytes::Bytes::from_static(b"PK\x03\x04"),
        )
        .await;
    assert!(matches!(not_pdf, Err(AppError::Invalid(_))));
    let signed = test
        .app
        .upload_signed_licence(&ctx, licence.id, "giay-phep.pdf", pdf.clone())
        .await
        .unwrap();
    let copy = signed.signed.unwrap();
    assert_eq!(copy.verdict, SignatureVerdict::Unsigned);
    let (stored, bytes) = test.app.signed_licence(licence.id).await.unwrap();
    assert_eq!((stored.name.as_str(), bytes), ("giay-phep.pdf", pdf));
    let inspector = test.ctx_of("tienhtm.stttt@travinh.gov.vn").await;
    assert!(matches!(
        test.app
            .upload_signed_licence(&inspector, licence.id, "x.pdf", bytes::Bytes::new())
            .await,
        Err(AppError::Forbidden)
    ));
}

/// A copy the leader signed with his certificate of the province's CA is
/// judged valid and names him; the public registry offers it.
#[tokio::test]
async fn a_copy_signed_with_the_provinces_ca_is_judged_valid() {
    let test = super::signing::province_with_certificates().await;
    let leader = test.ctx_of("thanhnn.stttt@travinh.gov.vn").await;
    let draft = super::signing::approved_draft(&test, super::pdf::one_page()).await;
    test.app.sign_draft(&leader, draft).await.unwrap();
    let (_, signed_pdf, _) = test.app.draft_signed_file(&leader, draft).await.unwrap();
    let bcvt = test.agency_id(BCVT).await;
    let licence = issue(
        &test,
        &leader,
        new(LicenceKind::Bts, bcvt, date!(2021 - 04 - 02), Channel::Desk),
    )
    .await;
    let stored = test
        .app
        .upload_signed_licence(&leader, licence.id, "giay-phep.pdf", signed_pdf.clone())
        .await
        .unwrap();
    let copy = stored.signed.unwrap();
    assert_eq!(
        (copy.verdict, copy.signers),
        (
            SignatureVerdict::Valid,
            vec!["Nguyễn Ngọc Thành".to_owned()]
        )
    );
    let (_, bytes) = test.app.signed_licence(licence.id).await.unwrap();
    assert_eq!(bytes, signed_pdf, "the copy is kept as uploaded");
}

/// March 2021 in Phòng CNTT, counted by hand: publication licences on
/// 1/3 (online), 15/3 (online), 31/3 (desk) — and 28/2 and 1/4 outside;
/// game points on 10/3 (post) and a renewal on 20/3 of one from 2018;
/// a revocation on 25/3 of the 15/3 licence, another on 1/4 outside.
/// In force on 31/3: the publications of 28/2, 1/3 and 31/3 (15/3 is
/// revoked), the game point of 10/3 and the renewal (not the renewed
/// one, nor the game point expired on 5/3).
#[tokio::test]
async fn the_months_figures_count_by_hand() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = test.ctx_of("phiepts.stttt@travinh.gov.vn").await;
    let cntt = test.agency_id(CNTT).await;
    let publication = |on: Date, channel: Channel| new(LicenceKind::Publication, cntt, on, channel);
    let game = |on: Date, channel: Channel| new(LicenceKind::GamePoint, cntt, on, channel);
    issue(
        &test,
        &ctx,
        publication(date!(2021 - 02 - 28), Channel::Online),
    )
    .await;
    issue(
        &test,
        &ctx,
        publication(date!(2021 - 03 - 01), Channel::Online),
    )
    .await;
    let revoked = issue(
        &test,
        &ctx,
        publication(date!(2021 - 03 - 15), Channel::Online),
    )
    .await;
    issue(
        &test,
        &ctx,
        publication(date!(2021 - 03 - 31), Channel::Desk),
    )
    .await;
    let revoked_later = issue(
        &test,
        &ctx,
        publication(date!(2021 - 04 - 01), Channel::Desk),
    )
    .await;
    issue(&test, &ctx, game(date!(2021 - 03 - 10), Channel::Post)).await;
    let old = issue(&test, &ctx, game(date!(2018 - 03 - 25), Channel::Desk)).await;
    issue(&test, &ctx, game(date!(2018 - 03 - 06), Channel::Desk)).await;
    test.app
        .renew_licence(&ctx, old.id, terms(date!(2021 - 03 - 20), Channel::Online))
        .await
        .unwrap();
    test.app
        .revoke_licence(
            &ctx,
            revoked.id,
            date!(2021 - 03 - 25),
            "Nội dung sai giấy phép",
        )
        .await
        .unwrap();
    test.app
        .revoke_licence(&ctx, revoked_later.id, date!(2021 - 04 - 01), "Nộp lại")
        .await
        .unwrap();

    let figures = test
        .app
        .licensing_figures(
            (date!(2021 - 03 - 01), date!(2021 - 03 - 31)),
            Some(&[cntt]),
        )
        .await
        .unwrap();
    assert_eq!(
        figures.publication,
        KindFigures {
            issued_desk: 1,
            issued_online: 2,
            issued_post: 0,
            renewed: 0,
            revoked: 1,
            in_force: 3,
        }
    );
    assert_eq!(
        figures.game_point,
        KindFigures {
            issued_desk: 0,
            issued_online: 0,
            issued_post: 1,
            renewed: 1,
            revoked: 0,
            in_force: 2,
        }
    );
    assert_eq!(figures.bts, KindFigures::default());
    assert!(matches!(
        test.app
            .licensing_figures((date!(2021 - 03 - 31), date!(2021 - 03 - 01)), None)
            .await,
        Err(AppError::Invalid(_))
    ));
}

/// The demo reproduces the seed's April 2021 lines: 17 publication
/// licences, all online; 3 game-point certificates; 12 new BTS stations
/// of VNPT Trà Vinh; 6 communes' frequency licences; one rural-criteria
/// confirmation; Phường 5's frequency licence due for renewal.
#[tokio::test]
async fn the_demo_reproduces_the_seeds_april() {
    let (test, _) = TestApp::with_demo().await;
    let figures = test
        .app
        .licensing_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    assert_eq!(
        (
            figures.publication.issued(),
            figures.publication.issued_online
        ),
        (17, 17)
    );
    assert_eq!(figures.game_point.issued(), 3);
    assert_eq!(figures.bts.issued(), 12);
    assert_eq!(figures.radio_frequency.issued(), 6);
    assert_eq!(figures.rural_criteria.issued(), 1);
    let due = test.app.licences_due(&Ctx::system("test")).await.unwrap();
    assert!(due.iter().any(|l| l.holder.name.contains("Phường 5")));
    // Loading again adds nothing.
    test.app.load_demo(|_, _| {}).await.unwrap();
    let again = test
        .app
        .licensing_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    assert_eq!(again, figures);
}

/// The staff pages: the list, «Sắp hết hạn», the figures, a new licence
/// from the form, its page, a refused revocation shown on it, the signed
/// copy uploaded there and downloaded from the public registry.
#[tokio::test]
async fn the_staff_pages_record_a_licence() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};

    use crate::ui::{form, get_html, hidden, multipart, sign_in_as, text};

    let (test, _) = TestApp::with_demo().await;
    test.set_password(SOCKV, testkit::PASSWORD).await;
    let session = sign_in_as(&test, SOCKV, testkit::PASSWORD).await;
    let list = get_html(&test, &session, "/app/licences?kind=bts").await;
    assert!(list.contains("12 giấy phép"), "{list}");
    let due = get_html(&test, &session, "/app/licences/due").await;
    assert!(due.contains("Ủy ban nhân dân Phường 5"), "{due}");
    let figures = get_html(
        &test,
        &session,
        "/app/licences/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    assert!(figures.contains("<td>12</td>"), "{figures}");
    let inspector = "tienhtm.stttt@travinh.gov.vn";
    test.set_password(inspector, testkit::PASSWORD).await;
    let outsider = sign_in_as(&test, inspector, testkit::PASSWORD).await;
    let forbidden = test
        .send(
            Request::get("/app/licences/new")
                .header(header::COOKIE, outsider.as_str())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let new = get_html(&test, &session, "/app/licences/new").await;
    let csrf = hidden(&new, "csrf");
    let bcvt = test.agency_id(BCVT).await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("kind", "game_point"),
        ("agency_id", &bcvt.to_string()),
        ("number", ""),
        ("issued_on", "2021-04-05"),
        ("valid_until", ""),
        ("channel", "desk"),
        ("dossier_code", ""),
        ("holder_name", "Hộ kinh doanh Trần Văn Tư"),
        ("holder_id_number", "084190009999"),
        ("holder_address", "Khóm 2, Phường 7"),
        ("holder_email", ""),
        ("subject", "Điểm trò chơi Phường 7"),
        ("assessed_year", ""),
        ("issuer", ""),
    ])
    .unwrap();
    let created = test.send(form("/app/licences", &session, body)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let location = created.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let record = get_html(&test, &session, &location).await;
    assert!(
        record.contains("04/GCN-STTTT") && record.contains("084190009999"),
        "{record}"
    );
    assert!(record.contains("Còn hiệu lực"), "{record}");

    let refused = test
        .send(form(
            &format!("{location}/revoke"),
            &session,
            format!("csrf={csrf}&on=2021-04-06&reason=Vi+ph%E1%BA%A1m"),
        ))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(refused).await.contains("đến hôm nay"));

    let pdf: &[u8] = include_bytes!("data/du-thao.pdf");
    let uploaded = test
        .send(multipart(
            &format!("{location}/signed"),
            &session,
            &[("csrf", csrf.as_str())],
            ("giay-phep.pdf", pdf),
        ))
        .await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let record = get_html(&test, &session, &location).await;
    assert!(record.contains("Không có chữ ký số"), "{record}");
    let id = location.rsplit('/').next().unwrap();
    let public = test
        .send(
            Request::get(format!("/giay-phep/{id}/ban-ky-so.pdf"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(public.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(public.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(bytes.as_ref(), pdf);
}
