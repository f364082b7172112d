//! Grassroots information: the station and log rules refuse bad input
//! and change nothing, a CSV import is all or nothing and names every
//! wrong line, and the report's figures match a month counted by hand
//! (with records just outside it) and the demo's April 2021.

use app::{AppError, Ctx};
use domain::grassroots::campaigns::Campaign;
use domain::grassroots::logs::{BroadcastLog, Relayed};
use domain::grassroots::stations::{Frequency, FrequencyLicence, Station, StationKind};
use domain::licensing::{LicenceId, LicenceKind, LicenceStatus};
use testkit::TestApp;
use time::macros::date;
use time::{Date, Duration, Month};

/// Communes the demo gives no station (numbered 11 and above).
const THANH_SON: &str = "000.17.37.H59";
const TAP_SON: &str = "000.16.37.H59";
const TAN_SON: &str = "000.15.37.H59";
/// The posts and telecommunications unit, whose specialist keeps the
/// test's register apart from the demo's.
const KEEPER: &str = "000.03.11.H59";
const SPECIALIST: &str = "sockv.stttt@travinh.gov.vn";

struct Fixture {
    test: TestApp,
    ctx: Ctx,
    keeper: i64,
    /// A demo radio frequency licence (Tập Sơn's) for wireless stations.
    licence: LicenceId,
}

/// The demo licence of `kind` whose holder's name ends with `holder`.
async fn demo_licence(test: &TestApp, kind: LicenceKind, holder: &str) -> LicenceId {
    let (found, _) = test
        .app
        .public_licences(None, Some(kind), (0, 100))
        .await
        .unwrap();
    found
        .iter()
        .find(|l| l.holder_name.ends_with(holder))
        .unwrap_or_else(|| panic!("no demo licence held by {holder}"))
        .id
}

async fn fixture() -> Fixture {
    let (test, _) = TestApp::with_demo().await;
    let ctx = test.ctx_of(SPECIALIST).await;
    let keeper = test.agency_id(KEEPER).await;
    let licence = demo_licence(&test, LicenceKind::RadioFrequency, "xã Tập Sơn").await;
    Fixture {
        test,
        ctx,
        keeper,
        licence,
    }
}

impl Fixture {
    async fn station(
        &self,
        commune: &str,
        kind: StationKind,
        (from, to): (Date, Option<Date>),
    ) -> Result<Station, AppError> {
        let station = Station {
            id: 0,
            agency_id: self.keeper,
            commune_id: self.test.agency_id(commune).await,
            name: format!("Đài {commune}"),
            kind,
            frequency: (kind == StationKind::Wireless).then_some(Frequency {
                mhz: 54.5,
                licence: FrequencyLicence::Record(self.licence),
            }),
            power_w: 300,
            loudspeaker_clusters: 10,
            in_service_from: from,
            in_service_to: to,
        };
        self.test.app.register_station(&self.ctx, station).await
    }

    async fn campaign(&self, title: &str, (from, to): (Date, Date)) -> Campaign {
        let campaign = Campaign {
            id: 0,
            agency_id: self.keeper,
            title: title.into(),
            topic: "Tuyên truyền".into(),
            from,
            to,
        };
        self.test
            .app
            .create_campaign(&self.ctx, campaign)
            .await
            .unwrap()
    }

    async fn log(
        &self,
        station: &Station,
        day: Date,
        (own, vov): (u32, u32),
        campaigns: &[i64],
    ) -> Result<BroadcastLog, AppError> {
        let log = BroadcastLog {
            id: 0,
            station_id: station.id,
            day,
            self_minutes: own,
            relayed: Relayed {
                vov,
                provincial: 0,
                district: 0,
            },
            topics: vec!["Pháp luật".into()],
            campaign_ids: campaigns.to_vec(),
        };
        self.test.app.record_log(&self.ctx, log).await
    }

    async fn stations(&self) -> usize {
        self.test
            .app
            .stations(&self.ctx, self.keeper)
            .await
            .unwrap()
            .len()
    }
}

fn refused(result: Result<impl std::fmt::Debug, AppError>) -> String {
    match result {
        Err(AppError::Invalid(message)) => message,
        other => panic!("not refused as invalid: {other:?}"),
    }
}

#[tokio::test]
async fn station_rules_refuse_and_change_nothing() {
    let f = fixture().await;
    let always = (date!(2020 - 01 - 01), None);
    // Signing in is audited: before the count.
    let inspector = f.test.ctx_of("tienhtm.stttt@travinh.gov.vn").await;
    let first = f
        .station(THANH_SON, StationKind::Wired, always)
        .await
        .unwrap();
    assert_eq!(
        f.test.app.station(&f.ctx, first.id).await.unwrap().code,
        format!("{THANH_SON}-HT")
    );
    let seq = f.test.audit_seq().await;
    let message = refused(
        f.station(THANH_SON, StationKind::Wired, (date!(2021 - 01 - 01), None))
            .await,
    );
    assert!(message.contains("đang hoạt động"), "{message}");
    refused(
        f.station(
            TAP_SON,
            StationKind::Wired,
            (date!(2021 - 01 - 01), Some(date!(2020 - 12 - 31))),
        )
        .await,
    );
    refused(f.station("000.00.37.H59", StationKind::Wired, always).await);
    let mut silent = Station {
        kind: StationKind::Wireless,
        id: 0,
        ..first.clone()
    };
    silent.commune_id = f.test.agency_id(TAP_SON).await;
    refused(f.test.app.register_station(&f.ctx, silent).await);
    let stranger = Station {
        id: 0,
        ..first.clone()
    };
    assert!(matches!(
        f.test.app.register_station(&inspector, stranger).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(f.test.audit_seq().await, seq);
    assert_eq!(f.stations().await, 1);

    // Ended, the commune may have a new wired station from the next day.
    f.test
        .app
        .end_station(&f.ctx, first.id, date!(2020 - 12 - 31))
        .await
        .unwrap();
    refused(
        f.test
            .app
            .end_station(&f.ctx, first.id, date!(2021 - 01 - 31))
            .await,
    );
    f.station(THANH_SON, StationKind::Wired, (date!(2021 - 01 - 01), None))
        .await
        .unwrap();
    assert_eq!(f.stations().await, 2);
}

#[tokio::test]
async fn a_wireless_station_follows_its_frequency_licence() {
    let f = fixture().await;
    let station = f
        .station(
            TAP_SON,
            StationKind::Wireless,
            (date!(2021 - 04 - 05), None),
        )
        .await
        .unwrap();
    let entry = f.test.app.station(&f.ctx, station.id).await.unwrap();
    let standing = entry.licence.unwrap();
    assert_eq!(standing.linked.id, f.licence);
    assert_eq!(standing.current.id, f.licence);
    assert_eq!(standing.status, LicenceStatus::InForce);

    // Refused, and nothing changes: a licence of another kind, one
    // revoked, one that does not exist, and a licence for a wired station.
    let seq = f.test.audit_seq().await;
    let bts = demo_licence(&f.test, LicenceKind::Bts, "VNPT Trà Vinh)").await;
    let message = refused(
        f.test
            .app
            .link_station_licence(&f.ctx, station.id, bts)
            .await,
    );
    assert!(message.contains("không phải giấy phép tần số"), "{message}");
    let hung = demo_licence(&f.test, LicenceKind::RadioFrequency, "xã Phước Hưng").await;
    f.test
        .app
        .revoke_licence(&f.ctx, hung, date!(2021 - 04 - 05), "Đài không xây dựng")
        .await
        .unwrap();
    let seq_after_revoking = f.test.audit_seq().await;
    assert!(seq_after_revoking > seq);
    let message = refused(
        f.test
            .app
            .link_station_licence(&f.ctx, station.id, hung)
            .await,
    );
    assert!(message.contains("đã bị thu hồi"), "{message}");
    assert!(matches!(
        f.test
            .app
            .link_station_licence(&f.ctx, station.id, 999_999)
            .await,
        Err(AppError::NotFound(_))
    ));
    let wired = f
        .station(THANH_SON, StationKind::Wired, (date!(2021 - 04 - 05), None))
        .await
        .unwrap();
    let seq = f.test.audit_seq().await;
    refused(
        f.test
            .app
            .link_station_licence(&f.ctx, wired.id, f.licence)
            .await,
    );
    let mut revoked_at_birth = wired.clone();
    revoked_at_birth.id = 0;
    revoked_at_birth.kind = StationKind::Wireless;
    revoked_at_birth.commune_id = f.test.agency_id(TAN_SON).await;
    revoked_at_birth.frequency = Some(Frequency {
        mhz: 60.0,
        licence: FrequencyLicence::Record(hung),
    });
    refused(f.test.app.register_station(&f.ctx, revoked_at_birth).await);
    assert_eq!(f.test.audit_seq().await, seq);
    assert_eq!(
        f.test
            .app
            .station(&f.ctx, station.id)
            .await
            .unwrap()
            .station,
        station
    );

    // Renewed, the station shows the renewal without a new link.
    let renewal = f
        .test
        .app
        .renew_licence(
            &f.ctx,
            f.licence,
            app::licensing::records::Terms {
                number: Some("2150/GP-CTS".into()),
                issued_on: date!(2021 - 04 - 05),
                valid_until: None,
                channel: domain::services::Channel::Desk,
                dossier_code: None,
            },
        )
        .await
        .unwrap();
    let standing = f
        .test
        .app
        .station(&f.ctx, station.id)
        .await
        .unwrap()
        .licence
        .unwrap();
    assert_eq!(
        (standing.linked.id, standing.current.id, standing.status),
        (f.licence, renewal.id, LicenceStatus::InForce)
    );
}

#[tokio::test]
async fn the_migration_links_written_licence_numbers_it_finds() {
    let bare = testkit::BareStore::new().await;
    bare.store.migrate_to(27).await.unwrap();
    // As migration 27 left them: two wireless stations with numbers
    // written by hand, one of which the register holds (twice, the
    // authority having reused it in another year), and a wired station.
    for sql in [
        "INSERT INTO agencies (code, name, short_name, kind, effective_from) VALUES \
         ('000.00.11.H59', 'Sở Thông tin và Truyền thông', 'STTTT', 'department', '1992-05-01'), \
         ('000.01.31.H59', 'Ủy ban nhân dân xã Long Đức', 'UBND', 'commune_committee', '1992-05-01'), \
         ('000.02.31.H59', 'Ủy ban nhân dân phường 1', 'UBND', 'commune_committee', '1992-05-01'), \
         ('000.03.31.H59', 'Ủy ban nhân dân phường 2', 'UBND', 'commune_committee', '1992-05-01')",
        "INSERT INTO licences (number, kind, year, agency_id, holder_name, holder_address, subject, \
         issued_on, valid_until, channel, search_text, created_at) VALUES \
         ('1125/GP-CTS', 'radio_frequency', 2011, 1, 'UBND xã Long Đức', 'Long Đức', 'Đài', \
          '2011-05-20', '2021-05-20', 'desk', 'x', '2021-04-05T01:00:00Z'), \
         ('1125/GP-CTS', 'radio_frequency', 2021, 1, 'UBND xã Long Đức', 'Long Đức', 'Đài', \
          '2021-05-20', '2031-05-20', 'desk', 'x', '2021-04-05T01:00:00Z'), \
         ('1126/GP-CTS', 'bts', 2021, 1, 'VNPT', 'Trà Vinh', 'Trạm', \
          '2021-04-01', NULL, 'desk', 'x', '2021-04-05T01:00:00Z')",
        "INSERT INTO radio_stations (agency_id, commune_id, name, kind, frequency_mhz, licence_number, \
         licence_expiry, power_w, loudspeaker_clusters, starts_on) VALUES \
         (1, 2, 'Đài Long Đức', 'wireless', 54.5, '1125/GP-CTS', '2021-05-20', 50, 8, '2016-01-01'), \
         (1, 3, 'Đài Phường 1', 'wireless', 55.0, '1126/GP-CTS', '2025-12-31', 50, 8, '2016-01-01'), \
         (1, 4, 'Đài Phường 2', 'wired', NULL, NULL, NULL, 450, 12, '2016-01-01')",
    ] {
        bare.store.execute_unchecked(sql).await.unwrap();
    }
    assert_eq!(bare.store.migrate_to(28).await.unwrap(), 1);
    // Read as a restarted server would: the first pool's connection read
    // the old schema for the inserts above.
    let licences: Vec<_> = bare
        .reconnect()
        .await
        .read()
        .await
        .unwrap()
        .stations(None)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.frequency.map(|f| f.licence))
        .collect();
    assert_eq!(
        licences,
        [
            Some(FrequencyLicence::Record(2)),
            // A BTS confirmation's number is not a frequency licence.
            Some(FrequencyLicence::Written {
                number: "1126/GP-CTS".into(),
                expiry: Some(date!(2025 - 12 - 31)),
            }),
            None,
        ]
    );
}

#[tokio::test]
async fn log_rules_refuse_and_change_nothing() {
    let f = fixture().await;
    let station = f
        .station(THANH_SON, StationKind::Wired, (date!(2021 - 03 - 01), None))
        .await
        .unwrap();
    let campaign = f
        .campaign("Bầu cử", (date!(2021 - 04 - 01), date!(2021 - 04 - 03)))
        .await;
    refused(
        f.test
            .app
            .create_campaign(
                &f.ctx,
                Campaign {
                    from: date!(2021 - 04 - 04),
                    ..campaign.clone()
                },
            )
            .await,
    );
    let day = date!(2021 - 04 - 01);
    f.log(&station, day, (30, 60), &[campaign.id])
        .await
        .unwrap();
    let seq = f.test.audit_seq().await;
    for (day, minutes, campaigns, why) in [
        (day, (10, 0), vec![], "đã có nhật ký"),
        (date!(2021 - 04 - 06), (10, 0), vec![], "chưa tới"),
        (date!(2021 - 04 - 02), (1_441, 0), vec![], "từ 0 đến 1440"),
        (date!(2021 - 04 - 02), (1_000, 441), vec![], "vượt quá"),
        (date!(2021 - 02 - 28), (10, 0), vec![], "không hoạt động"),
        (
            date!(2021 - 04 - 04),
            (10, 0),
            vec![campaign.id],
            "không diễn ra",
        ),
        (
            date!(2021 - 04 - 02),
            (10, 0),
            vec![999_999],
            "không có đợt",
        ),
    ] {
        let message = refused(f.log(&station, day, minutes, &campaigns).await);
        assert!(message.contains(why), "{message} ≠ {why}");
    }
    assert_eq!(f.test.audit_seq().await, seq);
    let april = f
        .test
        .app
        .station_month(&f.ctx, station.id, (2021, Month::April))
        .await
        .unwrap();
    assert_eq!(april.len(), 1);
    assert_eq!(april[0].campaign_ids, [campaign.id]);
}

#[tokio::test]
async fn csv_import_is_all_or_nothing_with_line_numbers() {
    let f = fixture().await;
    let wired = f
        .station(THANH_SON, StationKind::Wired, (date!(2021 - 01 - 01), None))
        .await
        .unwrap();
    f.station(
        THANH_SON,
        StationKind::Wireless,
        (date!(2021 - 01 - 01), None),
    )
    .await
    .unwrap();
    let campaign = f
        .campaign("Covid-19", (date!(2021 - 04 - 01), date!(2021 - 04 - 30)))
        .await;
    let header = "Mã đài hoặc mã xã,Ngày,Phút tự sản xuất,VOV,Tỉnh,Huyện,Chủ đề,Đợt\n";
    let bad = format!(
        "{header}{THANH_SON}-HT,01/04/2021,30,60,30,30,Pháp luật|Nông nghiệp,{c}\n\
         000.99.37.H59,01/04/2021,30,,,,,\n\
         {THANH_SON}-VT,01/04/2021,25,,,,,{c}\n\
         {THANH_SON}-HT,01/04/2021,20,,,,,\n\
         {THANH_SON},02/04/2021,20,,,,,\n",
        c = campaign.id
    );
    let seq = f.test.audit_seq().await;
    let message = refused(
        f.test
            .app
            .import_logs(&f.ctx, f.keeper, bad.as_bytes())
            .await,
    );
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 3, "{message}");
    assert!(lines[0].starts_with("Dòng 3: "), "{message}");
    assert!(
        lines[1].starts_with("Dòng 5: ") && lines[1].contains("dòng 2"),
        "{message}"
    );
    assert!(
        lines[2].starts_with("Dòng 6: ") && lines[2].contains("-HT hoặc -VT"),
        "{message}"
    );
    assert_eq!(f.test.audit_seq().await, seq);
    let month = (2021, Month::April);
    assert!(
        f.test
            .app
            .station_month(&f.ctx, wired.id, month)
            .await
            .unwrap()
            .is_empty()
    );

    let good = format!(
        "{header}{THANH_SON}-HT,01/04/2021,30,60,30,30,Pháp luật|Nông nghiệp,{c}\n\
         {THANH_SON}-VT,01/04/2021,25,,,,,{c}\n\
         {THANH_SON}-HT,02/04/2021,20,,,,,\n",
        c = campaign.id
    );
    let preview = f
        .test
        .app
        .preview_log_import(&f.ctx, f.keeper, good.as_bytes())
        .await
        .unwrap();
    assert_eq!(preview.len(), 3);
    assert_eq!(f.test.audit_seq().await, seq);
    assert_eq!(
        f.test
            .app
            .import_logs(&f.ctx, f.keeper, good.as_bytes())
            .await
            .unwrap(),
        3
    );
    let logs = f
        .test
        .app
        .station_month(&f.ctx, wired.id, month)
        .await
        .unwrap();
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[0].topics, ["Pháp luật", "Nông nghiệp"]);
    assert_eq!(logs[0].relayed.total(), 120);
    // The same file again: every row is a second log of its day.
    let again = refused(
        f.test
            .app
            .import_logs(&f.ctx, f.keeper, good.as_bytes())
            .await,
    );
    assert_eq!(again.lines().count(), 3, "{again}");
}

#[tokio::test]
async fn figures_match_a_month_counted_by_hand() {
    let f = fixture().await;
    f.test.clock.advance(Duration::days(30));
    let always = (date!(2020 - 01 - 01), None);
    let a = f
        .station(THANH_SON, StationKind::Wired, always)
        .await
        .unwrap();
    let b = f
        .station(THANH_SON, StationKind::Wireless, always)
        .await
        .unwrap();
    let c = f
        .station(
            TAP_SON,
            StationKind::Wired,
            (date!(2020 - 01 - 01), Some(date!(2021 - 04 - 20))),
        )
        .await
        .unwrap();
    // Starts after the month: not in service at its end.
    f.station(TAN_SON, StationKind::Wired, (date!(2021 - 05 - 01), None))
        .await
        .unwrap();
    let march = f
        .campaign("Tháng Ba", (date!(2021 - 03 - 01), date!(2021 - 03 - 31)))
        .await;
    let k1 = f
        .campaign(
            "Đầu tháng Tư",
            (date!(2021 - 04 - 01), date!(2021 - 04 - 15)),
        )
        .await;
    let k3 = f
        .campaign(
            "Cuối tháng Tư",
            (date!(2021 - 04 - 25), date!(2021 - 05 - 10)),
        )
        .await;
    for (station, day, own, campaigns) in [
        (&a, date!(2021 - 03 - 31), 50, vec![march.id]),
        (&a, date!(2021 - 04 - 01), 30, vec![k1.id]),
        (&a, date!(2021 - 04 - 02), 0, vec![]),
        (&a, date!(2021 - 04 - 30), 20, vec![k3.id]),
        (&a, date!(2021 - 05 - 01), 40, vec![k3.id]),
        (&b, date!(2021 - 04 - 10), 10, vec![k1.id]),
        (&c, date!(2021 - 04 - 05), 0, vec![]),
        (&c, date!(2021 - 04 - 20), 15, vec![]),
        (&b, date!(2021 - 05 - 01), 60, vec![k3.id]),
    ] {
        f.log(station, day, (own, 120), &campaigns).await.unwrap();
    }
    let figures = f
        .test
        .app
        .grassroots_figures(
            (date!(2021 - 04 - 01), date!(2021 - 04 - 30)),
            Some(&[f.keeper]),
        )
        .await
        .unwrap();
    assert_eq!(
        (figures.wired_in_service, figures.wireless_in_service),
        (1, 1)
    );
    assert_eq!(figures.self_producing, 3);
    assert_eq!((figures.self_minutes, figures.station_days), (75, 6));
    // 75 / 6 = 12.5, rounded half up.
    assert_eq!(figures.average_self_minutes(), 13);
    let shares: Vec<(i64, u64, u64, u64)> = figures
        .campaigns
        .iter()
        .map(|s| (s.campaign_id, s.carried_by, s.in_service, s.percent()))
        .collect();
    assert_eq!(shares, [(k1.id, 2, 2, 100), (k3.id, 1, 2, 50)]);
    refused(
        f.test
            .app
            .grassroots_figures((date!(2021 - 04 - 30), date!(2021 - 04 - 01)), None)
            .await,
    );
}

#[tokio::test]
async fn the_demo_has_the_reports_april() {
    let (test, _) = TestApp::with_demo().await;
    let keeper = test.agency_id("000.05.11.H59").await;
    let figures = test
        .app
        .grassroots_figures(
            (date!(2021 - 04 - 01), date!(2021 - 04 - 30)),
            Some(&[keeper]),
        )
        .await
        .unwrap();
    assert_eq!(figures.in_service(), 82);
    // Wireless where the commune holds a demo frequency licence, linked.
    assert_eq!(figures.wireless_in_service, 4);
    let linked: Vec<String> = test
        .app
        .stations(&Ctx::system("test"), keeper)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| Some((e.licence?.current.holder.name, e.commune.name)))
        .map(|(holder, commune)| {
            assert_eq!(holder.to_lowercase(), commune.to_lowercase());
            holder
        })
        .collect();
    assert_eq!(linked.len(), 4, "{linked:?}");
    assert_eq!(figures.self_producing, 82);
    assert_eq!(figures.average_self_minutes(), 27);
    assert_eq!(figures.campaigns.len(), 2);
    assert!(figures.campaigns.iter().all(|c| c.percent() == 100));
    // Loading again adds nothing.
    test.app.load_demo(|_, _| {}).await.unwrap();
    let again = test
        .app
        .grassroots_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    assert_eq!(again.station_days, 82 * 30);
}

#[tokio::test]
async fn the_pages_show_the_register_and_import_checks_the_file() {
    use axum::http::StatusCode;

    use crate::ui::{form, get_html, hidden, multipart, sign_in_as, text};

    let (test, _) = TestApp::with_demo().await;
    let email = "trangvtt.stttt@travinh.gov.vn";
    // The system reads the register: a test Ctx would reset the password.
    let station = test
        .app
        .stations(&Ctx::system("test"), test.agency_id("000.05.11.H59").await)
        .await
        .unwrap()[0]
        .station
        .id;
    test.set_password(email, testkit::PASSWORD).await;
    let session = sign_in_as(&test, email, testkit::PASSWORD).await;
    let list = get_html(&test, &session, "/app/grassroots").await;
    assert_eq!(list.matches("/app/grassroots/stations/").count(), 82);
    let csrf = hidden(&list, "csrf");
    let page = get_html(
        &test,
        &session,
        &format!("/app/grassroots/stations/{station}?month=2021-04"),
    )
    .await;
    assert!(page.contains("30/4/2021"), "{page}");
    // Phường 5's wireless station shows its licence, in force until 19 May.
    let phuong5 = test
        .app
        .stations(&Ctx::system("test"), test.agency_id("000.05.11.H59").await)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.commune.name.ends_with("phường 5"))
        .unwrap()
        .station
        .id;
    let page = get_html(
        &test,
        &session,
        &format!("/app/grassroots/stations/{phuong5}"),
    )
    .await;
    assert!(page.contains("1125/GP-CTS"), "{page}");
    assert!(page.contains("Còn hiệu lực (hạn 19/5/2021)"), "{page}");
    let figures = get_html(
        &test,
        &session,
        "/app/grassroots/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    assert!(figures.contains("27 phút/ngày"), "{figures}");
    let campaigns = get_html(&test, &session, "/app/grassroots/campaigns").await;
    assert!(campaigns.contains("82/82 đài (100%)"), "{campaigns}");

    let bad = "Mã,Ngày,Phút\n000.99.31.H59,01/04/2021,30\n";
    let response = test
        .send(multipart(
            "/app/grassroots/import",
            &session,
            &[("csrf", &csrf), ("intent", "preview")],
            ("nhat-ky.csv", bad.as_bytes()),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains("Dòng 2: không có đài"));

    let commune = test.agency_id(THANH_SON).await.to_string();
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("commune", commune.as_str()),
        ("name", "Đài truyền thanh xã Thanh Sơn"),
        ("kind", "wired"),
        ("power_w", "450"),
        ("clusters", "12"),
        ("from", "2021-01-01"),
        ("to", ""),
    ])
    .unwrap();
    let response = test
        .send(form("/app/grassroots/stations", &session, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
