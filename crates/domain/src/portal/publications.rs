//! Document publication on the portal (issue 11, point 3): a site
//! publishes a document registered in the documents area — the
//! publication links to it, never copies it — under one of the seed's
//! document categories, and may open it to public consultation (lấy ý
//! kiến nhân dân) for a period, during which anyone may leave a comment.
//!
//! Invariants: only an outgoing document of ordinary confidentiality is
//! ever published ([`check_document`]); a comment is accepted only on a
//! publication not withdrawn whose consultation is open that day in
//! Vietnam, both end days included ([`Publication::accepts_comments`]);
//! what a commenter writes is kept as plain text ([`CommentDraft::checked`]).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::SiteId;
use crate::documents::{Confidentiality, Direction, Document, DocumentId};
use crate::people::PersonId;

pub type PublicationId = i64;
pub type CommentId = i64;

/// Publications in one page of a public list.
pub const PAGE_SIZE: u64 = 20;
const NAME_MAX: usize = 100;
const CONTACT_MAX: usize = 100;
const ORGANISATION_MAX: usize = 200;
/// A comment's body, in characters: a long opinion fits, a dump does not.
pub const BODY_MAX: usize = 5000;

/// The portal's document categories, as the seed's report names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentCategory {
    LeadersSchedule,
    CitizenReception,
    LegalNormative,
    Announcement,
    Directives,
    Recruitment,
    AdministrativeReform,
    LegalEducation,
    PublicProcurement,
    Elections,
    PublicConsultation,
    /// A document of none of the kinds above. The report counts it in
    /// the total without naming it: the seed's «77 văn bản» lists kinds
    /// that add up to 76.
    Other,
}

named!(DocumentCategory {
    LeadersSchedule => "leaders_schedule", "Lịch làm việc lãnh đạo";
    CitizenReception => "citizen_reception", "Lịch tiếp công dân";
    LegalNormative => "legal_normative", "Văn bản quy phạm pháp luật";
    Announcement => "announcement", "Thông báo";
    Directives => "directives", "Văn bản chỉ đạo điều hành";
    Recruitment => "recruitment", "Thông tin tuyển dụng";
    AdministrativeReform => "administrative_reform", "Văn bản về cải cách hành chính";
    LegalEducation => "legal_education", "Văn bản tuyên truyền phổ biến pháp luật";
    PublicProcurement => "public_procurement", "Văn bản đấu thầu mua sắm công";
    Elections => "elections", "Văn bản về Bầu cử đại biểu Quốc hội, HĐND các cấp nhiệm kỳ 2021 – 2026";
    PublicConsultation => "public_consultation", "Văn bản lấy ý kiến nhân dân";
    Other => "other", "Văn bản khác";
});

impl DocumentCategory {
    /// The label inside a sentence: «05 lịch làm việc lãnh đạo».
    pub fn in_sentence(self) -> String {
        let label = self.label();
        let mut chars = label.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// The days a document is open to comments, both included, Vietnam time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub opens: Date,
    pub closes: Date,
}

impl Consultation {
    /// The period, if it ends after it begins.
    pub fn new(opens: Date, closes: Date) -> Result<Self, PublicationError> {
        if closes <= opens {
            return Err(PublicationError::BadPeriod);
        }
        Ok(Self { opens, closes })
    }

    /// Whether the period holds the Vietnam day of `now`.
    pub fn is_open(&self, now: OffsetDateTime) -> bool {
        let today = vn::dates::vietnam_date(now);
        self.opens <= today && today <= self.closes
    }
}

/// A document published on a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub id: PublicationId,
    pub site_id: SiteId,
    /// The registered document; its metadata and files are read from the
    /// documents area, never copied.
    pub document_id: DocumentId,
    pub category: DocumentCategory,
    pub published_at: OffsetDateTime,
    /// The staff member who published it; `None` for the system (the demo).
    pub published_by: Option<PersonId>,
    /// When it was taken off the portal; readers no longer see it.
    pub withdrawn_at: Option<OffsetDateTime>,
    pub consultation: Option<Consultation>,
}

impl Publication {
    /// Whether readers see it.
    pub fn visible(&self) -> bool {
        self.withdrawn_at.is_none()
    }

    /// Why a comment cannot be left at `now`, if it cannot.
    pub fn accepts_comments(&self, now: OffsetDateTime) -> Result<(), PublicationError> {
        if self.withdrawn_at.is_some() {
            return Err(PublicationError::Withdrawn);
        }
        let Some(period) = self.consultation else {
            return Err(PublicationError::NoConsultation);
        };
        let today = vn::dates::vietnam_date(now);
        if today < period.opens {
            return Err(PublicationError::NotYetOpen(period.opens));
        }
        if today > period.closes {
            return Err(PublicationError::Closed(period.closes));
        }
        Ok(())
    }
}

/// Whether `document` may be put before the public: an outgoing document
/// (the agency's own; an incoming one is someone else's to publish) of
/// ordinary confidentiality.
pub fn check_document(document: &Document) -> Result<(), PublicationError> {
    if document.direction != Direction::Outgoing {
        return Err(PublicationError::NotOutgoing);
    }
    if document.confidentiality != Confidentiality::Normal {
        return Err(PublicationError::NotPublic(document.confidentiality));
    }
    Ok(())
}

/// What a member of the public writes in a consultation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentDraft {
    pub name: String,
    /// An e-mail address or a phone number, if they leave one.
    pub contact: String,
    pub organisation: String,
    pub body: String,
}

/// A comment received in a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: CommentId,
    pub publication_id: PublicationId,
    pub name: String,
    pub contact: Option<String>,
    pub organisation: Option<String>,
    /// Plain text, lines kept; escaped wherever it is shown.
    pub body: String,
    pub received_at: OffsetDateTime,
}

impl CommentDraft {
    /// The draft as plain text — control characters and direction
    /// overrides dropped, spaces squashed, the body's lines kept — or why
    /// it cannot be kept. Markup is not removed but kept as text: every
    /// page escapes it, so a payload reads as what it is.
    pub fn checked(self) -> Result<Self, PublicationError> {
        use super::html::sanitize_text;
        let name = sanitize_text(&self.name);
        if name.is_empty() || name.chars().count() > NAME_MAX {
            return Err(PublicationError::BadName);
        }
        let contact = sanitize_text(&self.contact);
        if contact.chars().count() > CONTACT_MAX || !(contact.is_empty() || contact_ok(&contact)) {
            return Err(PublicationError::BadContact);
        }
        let organisation = sanitize_text(&self.organisation);
        if organisation.chars().count() > ORGANISATION_MAX {
            return Err(PublicationError::LongOrganisation);
        }
        let mut lines: Vec<String> = self.body.lines().map(sanitize_text).collect();
        // Blank lines at either end say nothing; inner ones part paragraphs.
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        let first = lines
            .iter()
            .position(|l| !l.is_empty())
            .unwrap_or(lines.len());
        let body = lines[first..].join("\n");
        if body.is_empty() {
            return Err(PublicationError::EmptyBody);
        }
        if body.chars().count() > BODY_MAX {
            return Err(PublicationError::LongBody);
        }
        Ok(Self {
            name,
            contact,
            organisation,
            body,
        })
    }
}

/// An e-mail address (something@domain.tld, no spaces) or a phone
/// number (9 to 11 digits, spaces, dots and hyphens between them, an
/// optional leading +).
fn contact_ok(contact: &str) -> bool {
    if let Some((local, domain)) = contact.split_once('@') {
        return !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !contact.contains(' ')
            && !domain.contains('@');
    }
    let rest = contact.strip_prefix('+').unwrap_or(contact);
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    (9..=11).contains(&digits)
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-'))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicationError {
    #[error("chỉ văn bản đi của cơ quan mới được đăng lên cổng thông tin; đây là văn bản đến")]
    NotOutgoing,
    #[error(
        "văn bản có độ mật «{}» không được đăng công khai: chỉ đăng văn bản đi có độ mật «Thường»",
        .0.label()
    )]
    NotPublic(Confidentiality),
    #[error("văn bản này đã được đăng trên trang này")]
    AlreadyPublished,
    #[error("văn bản đã được gỡ khỏi cổng thông tin")]
    Withdrawn,
    #[error("ngày kết thúc lấy ý kiến phải sau ngày bắt đầu")]
    BadPeriod,
    #[error("văn bản này không lấy ý kiến nhân dân")]
    NoConsultation,
    #[error("chưa đến thời gian lấy ý kiến (bắt đầu từ ngày {})", vn::dates::format_short(*.0))]
    NotYetOpen(Date),
    #[error("đã hết thời gian lấy ý kiến (đến hết ngày {})", vn::dates::format_short(*.0))]
    Closed(Date),
    #[error("cần ghi họ và tên (tối đa 100 ký tự)")]
    BadName,
    #[error("thư điện tử hoặc số điện thoại không hợp lệ (tối đa 100 ký tự)")]
    BadContact,
    #[error("tên cơ quan, tổ chức không được quá 200 ký tự")]
    LongOrganisation,
    #[error("cần ghi nội dung góp ý")]
    EmptyBody,
    #[error("nội dung góp ý không được quá 5.000 ký tự")]
    LongBody,
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn publication(consultation: Option<Consultation>) -> Publication {
        Publication {
            id: 1,
            site_id: 1,
            document_id: 1,
            category: DocumentCategory::PublicConsultation,
            published_at: datetime!(2021-04-05 01:00 UTC),
            published_by: None,
            withdrawn_at: None,
            consultation,
        }
    }

    #[test]
    fn comments_only_within_the_period_in_vietnam_time() {
        let period = Consultation::new(date!(2021 - 04 - 10), date!(2021 - 04 - 20)).unwrap();
        let p = publication(Some(period));
        let cases = [
            // 17:00 UTC on the 9th is midnight of the 10th in Vietnam.
            (
                datetime!(2021-04-09 16:59 UTC),
                Err(PublicationError::NotYetOpen(period.opens)),
            ),
            (datetime!(2021-04-09 17:00 UTC), Ok(())),
            (datetime!(2021-04-15 03:00 UTC), Ok(())),
            // The last day is included, to its midnight in Vietnam.
            (datetime!(2021-04-20 16:59 UTC), Ok(())),
            (
                datetime!(2021-04-20 17:00 UTC),
                Err(PublicationError::Closed(period.closes)),
            ),
        ];
        for (now, expected) in cases {
            assert_eq!(p.accepts_comments(now), expected, "{now}");
            assert_eq!(period.is_open(now), expected.is_ok(), "{now}");
        }
        let withdrawn = Publication {
            withdrawn_at: Some(datetime!(2021-04-12 01:00 UTC)),
            ..p
        };
        assert_eq!(
            withdrawn.accepts_comments(datetime!(2021-04-15 03:00 UTC)),
            Err(PublicationError::Withdrawn)
        );
        assert_eq!(
            publication(None).accepts_comments(datetime!(2021-04-15 03:00 UTC)),
            Err(PublicationError::NoConsultation)
        );
        for (opens, closes) in [
            (date!(2021 - 04 - 20), date!(2021 - 04 - 10)),
            (date!(2021 - 04 - 20), date!(2021 - 04 - 20)),
        ] {
            assert_eq!(
                Consultation::new(opens, closes),
                Err(PublicationError::BadPeriod)
            );
        }
        assert!(
            PublicationError::Closed(period.closes)
                .to_string()
                .contains("20/4/2021")
        );
    }

    fn draft(name: &str, contact: &str, body: &str) -> CommentDraft {
        CommentDraft {
            name: name.into(),
            contact: contact.into(),
            organisation: String::new(),
            body: body.into(),
        }
    }

    #[test]
    fn comments_are_checked_plain_text() {
        let ok = draft(
            "  Nguyễn   Văn A ",
            "a@travinh.gov.vn",
            "\n\nĐề nghị bổ sung\u{202E} điều 3.\r\n\r\nXin cảm ơn.\n\n",
        )
        .checked()
        .unwrap();
        assert_eq!(ok.name, "Nguyễn Văn A");
        assert_eq!(ok.body, "Đề nghị bổ sung điều 3.\n\nXin cảm ơn.");
        let script = draft("<b>X</b>", "", "<script>alert(1)</script>")
            .checked()
            .unwrap();
        // Kept as text: the pages escape it.
        assert_eq!(script.body, "<script>alert(1)</script>");
        for contact in ["0294 3862 123", "+84 912.345.678", "a.b@x.vn", ""] {
            assert!(draft("A", contact, "x").checked().is_ok(), "{contact}");
        }
        let cases = [
            (draft(" ", "", "x"), PublicationError::BadName),
            (draft(&"A".repeat(101), "", "x"), PublicationError::BadName),
            (draft("A", "abc", "x"), PublicationError::BadContact),
            (draft("A", "a@b", "x"), PublicationError::BadContact),
            (draft("A", "12345", "x"), PublicationError::BadContact),
            (
                draft("A", "", " \n \u{0007}\n "),
                PublicationError::EmptyBody,
            ),
            (
                draft("A", "", &"ý".repeat(5001)),
                PublicationError::LongBody,
            ),
            (
                CommentDraft {
                    organisation: "O".repeat(201),
                    ..draft("A", "", "x")
                },
                PublicationError::LongOrganisation,
            ),
        ];
        for (draft, expected) in cases {
            assert_eq!(draft.clone().checked(), Err(expected), "{draft:?}");
        }
    }

    #[test]
    fn categories_have_the_seeds_words() {
        // The seed's eleven kinds, and one for documents of none of them.
        assert_eq!(DocumentCategory::ALL.len(), 12);
        assert_eq!(
            DocumentCategory::LeadersSchedule.in_sentence(),
            "lịch làm việc lãnh đạo"
        );
        assert_eq!(
            DocumentCategory::Elections.in_sentence(),
            "văn bản về Bầu cử đại biểu Quốc hội, HĐND các cấp nhiệm kỳ 2021 – 2026"
        );
        for c in DocumentCategory::ALL {
            assert_eq!(c.as_str().parse::<DocumentCategory>().ok(), Some(*c));
        }
    }
}
