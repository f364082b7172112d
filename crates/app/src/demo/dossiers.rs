//! The demo one-stop desk: dossiers of the information department in
//! April 2021 — received at the desk, by post and online — moved through
//! the workflow by the demo's desk officer, specialist and leader on the
//! days they would have been, through the same use cases as theirs on a
//! clock set to those days. Between them they show every list of the
//! desk: to check, received, in handling, waiting for approval, ready to
//! return, returned early, late (with the apology) and refused.
//!
//! Invariant: loading twice adds nothing the second time (an agency that
//! has dossiers is left alone).

use std::sync::Arc;

use bytes::Bytes;
use domain::authz::Actor;
use domain::services::workflow::StepInput;
use domain::services::{Action, Applicant, ApplicantKind, Channel, Paper};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::clock::{Clock, FixedClock};
use crate::services::{NewDossier, OnlineSubmission, UploadedFile};
use crate::{App, AppError, Ctx};

/// The information department, whose desk this is.
const AGENCY: &str = "000.00.11.H59";
const DESK: &str = "utpt.stttt@travinh.gov.vn";
const HANDLER: &str = "phiepts.stttt@travinh.gov.vn";
const LEADER: &str = "thanhnn.stttt@travinh.gov.vn";

/// Who takes a step of the demo.
#[derive(Debug, Clone, Copy)]
enum By {
    Desk,
    Handler,
    Leader,
}

/// One dossier's walk: the procedure (national code), the applicant, how
/// and when it came, and its steps with their moments.
struct Walk {
    procedure: &'static str,
    applicant: (&'static str, ApplicantKind, &'static str, &'static str),
    channel: Channel,
    received: OffsetDateTime,
    steps: &'static [(Action, By, OffsetDateTime, &'static str)],
}

const WALKS: &[Walk] = &[
    Walk {
        procedure: "1.004998",
        applicant: (
            "Công ty TNHH Chuyển phát nhanh Cửu Long",
            ApplicantKind::Business,
            "0294 3851 246",
            "",
        ),
        channel: Channel::Desk,
        received: datetime!(2021-04-01 09:00 +7),
        steps: &[
            (Action::Assign, By::Desk, datetime!(2021-04-01 14:00 +7), ""),
            (
                Action::Propose,
                By::Handler,
                datetime!(2021-04-15 16:30 +7),
                "Đủ điều kiện cấp phép",
            ),
            (
                Action::Apologise,
                By::Leader,
                datetime!(2021-04-16 08:00 +7),
                "Chờ ý kiến thẩm định của Bưu điện tỉnh về mạng lưới điểm phục vụ",
            ),
            (
                Action::Approve,
                By::Leader,
                datetime!(2021-04-19 10:00 +7),
                "",
            ),
            (Action::Return, By::Desk, datetime!(2021-04-20 09:00 +7), ""),
        ],
    },
    Walk {
        procedure: "1.005366",
        applicant: (
            "Công ty Cổ phần Truyền thông Duyên Hải",
            ApplicantKind::Business,
            "0294 3740 555",
            "",
        ),
        channel: Channel::Desk,
        received: datetime!(2021-04-02 10:15 +7),
        steps: &[
            (Action::Assign, By::Desk, datetime!(2021-04-02 14:00 +7), ""),
            (
                Action::Refuse,
                By::Leader,
                datetime!(2021-04-06 15:00 +7),
                "Tên miền chưa đăng ký sử dụng; chưa có phương án nhân sự quản lý nội dung theo Nghị định 72/2013/NĐ-CP",
            ),
        ],
    },
    Walk {
        procedure: "1.004937",
        applicant: (
            "Công ty TNHH Bưu chính Trà Vinh Xanh",
            ApplicantKind::Business,
            "0294 3862 017",
            "",
        ),
        channel: Channel::Desk,
        received: datetime!(2021-04-05 08:30 +7),
        steps: &[
            (Action::Assign, By::Desk, datetime!(2021-04-05 10:00 +7), ""),
            (
                Action::Propose,
                By::Handler,
                datetime!(2021-04-07 15:00 +7),
                "Hồ sơ đầy đủ, đề nghị cấp",
            ),
            (
                Action::Approve,
                By::Leader,
                datetime!(2021-04-08 09:00 +7),
                "",
            ),
            (Action::Return, By::Desk, datetime!(2021-04-09 14:00 +7), ""),
        ],
    },
    Walk {
        procedure: "1.003652",
        applicant: (
            "Thạch Thị Sô Phal",
            ApplicantKind::Citizen,
            "0913 456 782",
            "sophal.thach@example.vn",
        ),
        channel: Channel::Online,
        received: datetime!(2021-04-12 20:15 +7),
        steps: &[
            (
                Action::Confirm,
                By::Desk,
                datetime!(2021-04-12 20:20 +7),
                "",
            ),
            (Action::Accept, By::Desk, datetime!(2021-04-13 08:15 +7), ""),
            (Action::Assign, By::Desk, datetime!(2021-04-13 08:30 +7), ""),
            (
                Action::RequestSupplement,
                By::Handler,
                datetime!(2021-04-14 10:00 +7),
                "Bổ sung bản sao Giấy chứng nhận đăng ký hộ kinh doanh có ngành nghề in",
            ),
            (
                Action::SupplementReceived,
                By::Desk,
                datetime!(2021-04-16 09:00 +7),
                "",
            ),
            (
                Action::Propose,
                By::Handler,
                datetime!(2021-04-19 16:00 +7),
                "Đủ điều kiện",
            ),
            (
                Action::Approve,
                By::Leader,
                datetime!(2021-04-20 08:30 +7),
                "",
            ),
        ],
    },
    Walk {
        procedure: "1.004410",
        applicant: (
            "Hội Nhà báo tỉnh Trà Vinh",
            ApplicantKind::Business,
            "0294 3862 393",
            "",
        ),
        channel: Channel::Desk,
        // 21/4/2021 was the Hùng Kings' day (10/3 lunar): the desk was
        // closed.
        received: datetime!(2021-04-22 08:45 +7),
        steps: &[
            (Action::Assign, By::Desk, datetime!(2021-04-22 09:30 +7), ""),
            (
                Action::Propose,
                By::Handler,
                datetime!(2021-04-22 14:00 +7),
                "Đồng ý cho phép họp báo",
            ),
            (
                Action::Approve,
                By::Leader,
                datetime!(2021-04-22 16:30 +7),
                "",
            ),
            (Action::Return, By::Desk, datetime!(2021-04-23 08:00 +7), ""),
        ],
    },
    Walk {
        procedure: "1.005404",
        applicant: ("Kim Sang", ApplicantKind::Citizen, "0987 120 334", ""),
        channel: Channel::Post,
        received: datetime!(2021-04-22 10:00 +7),
        steps: &[(Action::Assign, By::Desk, datetime!(2021-04-22 14:00 +7), "")],
    },
    Walk {
        procedure: "1.003633",
        applicant: (
            "Trường Thị Mỹ Linh",
            ApplicantKind::Citizen,
            "0919 808 121",
            "mylinh.truong@example.vn",
        ),
        channel: Channel::Online,
        received: datetime!(2021-04-26 21:00 +7),
        steps: &[(
            Action::Confirm,
            By::Desk,
            datetime!(2021-04-26 21:05 +7),
            "",
        )],
    },
    Walk {
        procedure: "1.003614",
        applicant: (
            "Nhà sách Phương Nam Trà Vinh",
            ApplicantKind::Business,
            "0294 3855 660",
            "",
        ),
        channel: Channel::Desk,
        received: datetime!(2021-04-27 15:30 +7),
        steps: &[],
    },
];

impl App {
    /// Loads the demo dossiers; returns how many were added.
    pub async fn load_demo_dossiers(
        &self,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize, AppError> {
        let code = AGENCY
            .parse()
            .map_err(|e: domain::agencies::InvalidAgencyCode| AppError::Internal(e.to_string()))?;
        let agency = self.agency_by_code(&code).await?.id;
        if self.store.read().await?.has_dossiers(agency).await? {
            return Ok(0);
        }
        let desk = self.demo_ctx(DESK).await?;
        let handler = self.demo_ctx(HANDLER).await?;
        let leader = self.demo_ctx(LEADER).await?;
        for (done, walk) in WALKS.iter().enumerate() {
            let clock = Arc::new(FixedClock::new(walk.received));
            let past = Self {
                clock: clock.clone(),
                ..self.clone()
            };
            let (code, token) = past.demo_intake(&desk, agency, walk).await?;
            for &(action, by, at, note) in walk.steps {
                clock.advance(at - clock.now());
                if action == Action::Confirm {
                    past.confirm_online(&token).await?;
                    continue;
                }
                let ctx = match by {
                    By::Desk => &desk,
                    By::Handler => &handler,
                    By::Leader => &leader,
                };
                let input = StepInput {
                    action,
                    note: note.into(),
                    handler_id: (action == Action::Assign)
                        .then(|| handler.actor.as_ref().map(|a| a.person_id))
                        .flatten(),
                    promised_on: (action == Action::Apologise).then(|| {
                        vn::dates::vietnam_date(at).saturating_add(time::Duration::days(4))
                    }),
                    result_document_id: None,
                };
                past.take_step(ctx, &code, input).await?;
            }
            progress(done + 1, WALKS.len());
        }
        Ok(WALKS.len())
    }

    /// Receives `walk`'s dossier: at the desk (or by post) with its
    /// procedure's papers, or online with a one-page file per paper; the
    /// code, and the confirmation token of an online one.
    async fn demo_intake(
        &self,
        desk: &Ctx,
        agency: i64,
        walk: &Walk,
    ) -> Result<(String, String), AppError> {
        let procedure = self
            .find_procedures(walk.procedure, Some(agency), None)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound("thủ tục mẫu"))?;
        let (name, kind, phone, email) = walk.applicant;
        let applicant = Applicant {
            name: name.into(),
            kind,
            phone: Some(phone.into()),
            email: (!email.is_empty()).then(|| email.into()),
            address: Some("Thành phố Trà Vinh, tỉnh Trà Vinh".into()),
        };
        let papers = &procedure.details.papers;
        if walk.channel == Channel::Online {
            let files = papers
                .iter()
                .enumerate()
                .map(|(n, paper)| UploadedFile {
                    paper: paper.name.clone(),
                    name: format!("giay-to-{}.pdf", n + 1),
                    bytes: Bytes::from(super::documents::sample_pdf(&[&paper.name, name])),
                })
                .collect();
            let submission = OnlineSubmission {
                procedure_id: procedure.id,
                applicant,
                files,
            };
            let submitted = self.submit_online(submission).await?;
            return Ok((submitted.dossier.code, submitted.token));
        }
        let new = NewDossier {
            procedure_id: procedure.id,
            channel: walk.channel,
            applicant,
            papers: papers
                .iter()
                .map(|p| Paper {
                    name: p.name.clone(),
                    copies: p.copies,
                })
                .collect(),
            files: Vec::new(),
        };
        let dossier = self.receive_dossier(desk, new).await?;
        Ok((dossier.code, String::new()))
    }

    /// A demo person acting in their own name.
    async fn demo_ctx(&self, email: &str) -> Result<Ctx, AppError> {
        let (person, _) = self
            .store
            .read()
            .await?
            .person_for_login(email)
            .await?
            .ok_or(AppError::NotFound("cán bộ mẫu"))?;
        Ok(Ctx {
            actor: Some(Actor {
                person_id: person.id,
                agency_id: person.agency_id,
                grants: person.grants.clone(),
            }),
            actor_label: person.email,
            source: None,
        })
    }
}
