//! The shapes the API sends and receives. Kept apart from `domain` types
//! so that the wire format changes only on purpose.

use domain::agencies::{Agency, AgencyKind};
use domain::people::{Person, PersonStatus, Role};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(example = "thanhnn.stttt@travinh.gov.vn")]
    pub email: String,
    pub password: String,
    /// Mã xác thực 6 chữ số, khi tài khoản bật xác thực hai lớp.
    pub totp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Gửi kèm mỗi yêu cầu: `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// Declares a wire type for a `domain` enum: sent by its stable name, with
/// the list of names in the OpenAPI schema taken from the enum itself, so
/// the two can never disagree.
macro_rules! wire_enum {
    ($wire:ident, $domain:ty, $title:literal) => {
        #[doc = concat!("The wire form of `", stringify!($domain), "`.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $wire(pub $domain);

        impl Serialize for $wire {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.0.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $wire {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                <$domain>::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == text)
                    .map($wire)
                    .ok_or_else(|| {
                        let names: Vec<&'static str> =
                            <$domain>::ALL.iter().map(|v| v.as_str()).collect();
                        serde::de::Error::custom(format!(
                            "giá trị «{text}» không hợp lệ; các giá trị hợp lệ: {}",
                            names.join(", ")
                        ))
                    })
            }
        }

        impl utoipa::PartialSchema for $wire {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let names: Vec<&'static str> = <$domain>::ALL.iter().map(|v| v.as_str()).collect();
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(names))
                    .into()
            }
        }

        impl ToSchema for $wire {
            fn name() -> std::borrow::Cow<'static, str> {
                $title.into()
            }
        }
    };
}

wire_enum!(AgencyKindName, AgencyKind, "AgencyKind");
wire_enum!(RoleName, Role, "Role");
wire_enum!(DirectionName, domain::documents::Direction, "Direction");
wire_enum!(UrgencyName, domain::documents::Urgency, "Urgency");
wire_enum!(SortName, domain::search::Sort, "Sort");
wire_enum!(DraftStateName, domain::drafts::DraftState, "DraftState");
wire_enum!(DraftActionName, domain::drafts::DraftAction, "DraftAction");
wire_enum!(
    SignatureVerdictName,
    domain::documents::SignatureVerdict,
    "SignatureVerdict"
);
wire_enum!(
    AssignmentStateName,
    domain::handling::AssignmentState,
    "AssignmentState"
);
wire_enum!(TimelinessName, domain::handling::Timeliness, "Timeliness");
wire_enum!(
    ConfidentialityName,
    domain::documents::Confidentiality,
    "Confidentiality"
);

#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyDto {
    pub id: i64,
    #[schema(example = "000.00.00.H59")]
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: AgencyKindName,
    pub parent_id: Option<i64>,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub successor_id: Option<i64>,
}

impl From<Agency> for AgencyDto {
    fn from(a: Agency) -> Self {
        Self {
            id: a.id,
            code: a.code.to_string(),
            name: a.name,
            short_name: a.short_name,
            kind: AgencyKindName(a.kind),
            parent_id: a.parent_id,
            effective_from: a.effective_from,
            effective_to: a.effective_to,
            successor_id: a.successor_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyNode {
    /// Độ sâu trong cây (0 là gốc).
    pub depth: u32,
    pub agency: AgencyDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyTree {
    pub as_of: Date,
    pub items: Vec<AgencyNode>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// Ngày xem cây cơ quan (YYYY-MM-DD); mặc định hôm nay.
    pub as_of: Option<Date>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyInput {
    /// Mã định danh theo Quyết định 20/2020/QĐ-TTg.
    #[schema(
        pattern = r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$",
        example = "000.00.11.H59"
    )]
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: AgencyKindName,
    pub parent_id: Option<i64>,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub successor_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleGrantDto {
    pub agency_id: i64,
    pub role: RoleName,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub full_name: String,
    pub position: String,
    pub agency_id: i64,
    pub email: String,
    pub phone: Option<String>,
    /// `active` hoặc `inactive`.
    pub status: String,
    pub roles: Vec<RoleGrantDto>,
}

impl From<Person> for PersonDto {
    fn from(p: Person) -> Self {
        Self {
            id: p.id,
            full_name: p.full_name,
            position: p.position,
            agency_id: p.agency_id,
            email: p.email,
            phone: p.phone,
            status: match p.status {
                PersonStatus::Active => "active",
                PersonStatus::Inactive => "inactive",
            }
            .to_owned(),
            roles: p
                .grants
                .into_iter()
                .map(|g| RoleGrantDto {
                    agency_id: g.agency_id,
                    role: RoleName(g.role),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub full_name: String,
    pub position: String,
    pub agency_id: i64,
    pub email: String,
    pub phone: Option<String>,
    /// Vai trò tại cơ quan của cán bộ (chỉ khi tạo mới).
    #[serde(default)]
    pub roles: Vec<RoleName>,
    /// Mật khẩu ban đầu (chỉ khi tạo mới): ít nhất 9 ký tự, ba loại ký tự.
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Gồm cả cán bộ của các đơn vị trực thuộc.
    #[serde(default)]
    pub subunits: bool,
}

wire_enum!(ProfileName, domain::pki::Profile, "CertificateProfile");
wire_enum!(TokenKindName, domain::pki::TokenKind, "TokenKind");
wire_enum!(
    RevocationReasonName,
    domain::pki::RevocationReason,
    "RevocationReason"
);
wire_enum!(
    CertificateStatusName,
    domain::pki::CertificateStatus,
    "CertificateStatus"
);
wire_enum!(
    RequestKindName,
    domain::pki::RequestKind,
    "CertificateRequestKind"
);
wire_enum!(
    RequestStateName,
    domain::pki::RequestState,
    "CertificateRequestState"
);
wire_enum!(
    RequestActionName,
    domain::pki::RequestAction,
    "CertificateRequestAction"
);

/// The page asked for. Offsets are signed 64-bit numbers because the
/// databases count rows so; a larger one is refused by the parser, and a
/// negative one here, both as a bad request (400).
pub fn page_of(offset: i64, limit: Option<i64>) -> Result<(u64, u64), ApiError> {
    let bad = |message: &str| ApiError::bad_request(message);
    let offset = u64::try_from(offset).map_err(|_| bad("Vị trí bắt đầu (offset) không được âm"))?;
    let limit = limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(bad("Số dòng mỗi trang (limit) phải từ 1 đến 500"));
    }
    Ok((offset, limit.unsigned_abs()))
}
wire_enum!(ChannelName, domain::services::Channel, "Channel");
wire_enum!(StageName, domain::services::Stage, "Stage");
wire_enum!(ActionName, domain::services::Action, "DossierAction");
wire_enum!(
    ApplicantKindName,
    domain::services::ApplicantKind,
    "ApplicantKind"
);
wire_enum!(
    MailboxKindName,
    domain::mail::mailboxes::MailboxKind,
    "MailboxKind"
);
wire_enum!(
    MailboxStatusName,
    domain::mail::mailboxes::MailboxStatus,
    "MailboxStatus"
);
