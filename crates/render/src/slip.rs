//! Slips of the one-stop desk: the receipt and appointment slip (Giấy tiếp
//! nhận hồ sơ và hẹn trả kết quả), the apology with a new return date
//! (Mẫu số 04 of Circular 01/2018/TT-VPCP) and the process-control slip
//! (Mẫu số 02), each expressed as a `Document` so that both outputs lay
//! them out with the same header, tables and signer blocks.
//!
//! Invariant: a slip is a pure function of its data; dates and whether a
//! stage was late are given, never computed here (working days are
//! `vn::workdays`' business, stage deadlines `domain`'s).

use time::Date;

use crate::model::{
    AgencyHeader, Block, Document, Inline, Kind, Orientation, Signature, Signer, Table,
};

/// The data of a receipt and appointment slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptSlip {
    pub agency: AgencyHeader,
    pub number: String,
    pub place: String,
    pub received: Date,
    pub dossier_code: String,
    pub applicant: String,
    pub address: String,
    pub procedure: String,
    /// (document name, number of copies)
    pub documents: Vec<(String, u32)>,
    pub appointment: Date,
    pub receiver: String,
}

impl ReceiptSlip {
    pub fn to_document(&self) -> Document {
        let rows = self
            .documents
            .iter()
            .enumerate()
            .map(|(i, (name, copies))| vec![(i + 1).to_string(), name.clone(), copies.to_string()])
            .collect();
        let body = vec![
            Block::Paragraph(vec![
                Inline::plain("Bộ phận Tiếp nhận và Trả kết quả tiếp nhận hồ sơ của: "),
                Inline::bold(self.applicant.clone()),
            ]),
            Block::Paragraph(vec![Inline::plain(format!("Địa chỉ: {}", self.address))]),
            Block::Paragraph(vec![
                Inline::plain("Nội dung yêu cầu giải quyết: "),
                Inline::italic(self.procedure.clone()),
            ]),
            Block::Paragraph(vec![Inline::plain("Thành phần hồ sơ gồm:")]),
            Block::Table(Table {
                header: vec!["TT".into(), "Tên giấy tờ".into(), "Số lượng".into()],
                rows,
                widths: vec![1, 8, 2],
            }),
            Block::Paragraph(vec![
                Inline::plain("Thời gian trả kết quả giải quyết hồ sơ: "),
                Inline::bold(vn::dates::format_long(self.appointment)),
                Inline::plain("."),
            ]),
        ];
        Document {
            agency: self.agency.clone(),
            number: self.number.clone(),
            place: self.place.clone(),
            date: self.received,
            kind: Kind::Named {
                name: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".into(),
                summary: format!("Mã hồ sơ: {}", self.dossier_code),
            },
            addressees: Vec::new(),
            body,
            signature: Signature::Two {
                left: Signer {
                    authority: None,
                    position: "NGƯỜI NỘP HỒ SƠ".into(),
                    name: self.applicant.clone(),
                },
                right: Signer {
                    authority: None,
                    position: "NGƯỜI TIẾP NHẬN HỒ SƠ".into(),
                    name: self.receiver.clone(),
                },
            },
            recipients: Vec::new(),
            archive_unit: String::new(),
            orientation: Orientation::Portrait,
        }
    }
}

/// The data of an apology and new return date (Phiếu xin lỗi và hẹn lại
/// ngày trả kết quả, Circular 01/2018/TT-VPCP, Mẫu số 04), signed by the
/// agency's leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApologyLetter {
    pub agency: AgencyHeader,
    /// The agency's name as running text writes it (the header's is in
    /// capitals).
    pub agency_name: String,
    pub number: String,
    pub place: String,
    /// The day the letter is written.
    pub date: Date,
    /// How the applicant is addressed: "Ông/Bà" or "Quý cơ quan, tổ chức".
    pub addressed_as: String,
    pub applicant: String,
    pub address: String,
    pub dossier_code: String,
    pub procedure: String,
    pub received: Date,
    /// The due date the receipt slip gave.
    pub due: Date,
    pub reason: String,
    /// The new date promised.
    pub promised: Date,
    /// The leader who signs: position, name.
    pub leader: (String, String),
}

impl ApologyLetter {
    pub fn to_document(&self) -> Document {
        let agency = &self.agency_name;
        let who = &self.addressed_as;
        let applicant = if self.address.is_empty() {
            self.applicant.clone()
        } else {
            format!("{} ({})", self.applicant, self.address)
        };
        let paragraph = |text: String| Block::Paragraph(vec![Inline::plain(text)]);
        let body = vec![
            paragraph(format!(
                "Ngày {}, {agency} tiếp nhận giải quyết hồ sơ đề nghị {} của {who}.",
                vn::dates::format_long(self.received).trim_start_matches("ngày "),
                self.procedure,
            )),
            Block::Paragraph(vec![
                Inline::plain("Mã hồ sơ: "),
                Inline::bold(self.dossier_code.clone()),
                Inline::plain("."),
            ]),
            paragraph(format!(
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: {}.",
                vn::dates::format_long(self.due)
            )),
            paragraph(
                format!(
                    "Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của {who}. Lý do: {}",
                    self.reason.trim_end_matches('.'),
                ) + ".",
            ),
            Block::Paragraph(vec![
                Inline::plain(format!(
                    "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của {who}. {agency} xin lỗi {who} và sẽ trả kết quả giải quyết hồ sơ cho {who} vào "
                )),
                Inline::bold(vn::dates::format_long(self.promised)),
                Inline::plain("."),
            ]),
            paragraph(format!("Xin trân trọng cảm ơn sự hợp tác của {who}./.")),
        ];
        Document {
            agency: self.agency.clone(),
            number: self.number.clone(),
            place: self.place.clone(),
            date: self.date,
            kind: Kind::Named {
                name: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ".into(),
                summary: format!("Mã hồ sơ: {}", self.dossier_code),
            },
            addressees: vec![applicant],
            body,
            signature: Signature::One(Signer {
                authority: None,
                position: self.leader.0.to_uppercase(),
                name: self.leader.1.clone(),
            }),
            recipients: vec!["Như trên".into()],
            archive_unit: "Bộ phận Tiếp nhận và Trả kết quả".into(),
            orientation: Orientation::Portrait,
        }
    }
}

/// One handover on the process-control slip: the stage handed on, from
/// whom, to whom, when, by when it was due and how that went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlRow {
    pub stage: String,
    pub from: String,
    pub to: String,
    /// "14 giờ 30 phút, ngày 28/4/2021".
    pub at: String,
    pub due: String,
    /// Trước hạn, đúng hạn, quá hạn, or empty when the stage had no due
    /// moment.
    pub result: String,
}

/// The process-control slip (Phiếu kiểm soát quá trình giải quyết hồ
/// sơ, Circular 01/2018/TT-VPCP, Mẫu số 02): every handover of a dossier,
/// one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlSlip {
    pub agency: AgencyHeader,
    /// The agency's name as running text writes it.
    pub agency_name: String,
    pub place: String,
    /// The day it is printed.
    pub date: Date,
    pub dossier_code: String,
    pub applicant: String,
    pub procedure: String,
    pub rows: Vec<ControlRow>,
    /// Who printed it, for the desk's signature.
    pub printed_by: String,
}

impl ControlSlip {
    pub fn to_document(&self) -> Document {
        let rows = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                vec![
                    (i + 1).to_string(),
                    row.stage.clone(),
                    format!("Giao: {}; nhận: {}", row.from, row.to),
                    row.at.clone(),
                    row.due.clone(),
                    row.result.clone(),
                ]
            })
            .collect();
        let body = vec![
            Block::Paragraph(vec![
                Inline::plain("Cơ quan giải quyết hồ sơ: "),
                Inline::bold(self.agency_name.clone()),
            ]),
            Block::Paragraph(vec![
                Inline::plain("Người nộp hồ sơ: "),
                Inline::bold(self.applicant.clone()),
            ]),
            Block::Paragraph(vec![
                Inline::plain("Thủ tục: "),
                Inline::italic(self.procedure.clone()),
            ]),
            Block::Table(Table {
                header: [
                    "TT",
                    "Bước giao",
                    "Người giao, người nhận",
                    "Thời gian giao, nhận hồ sơ",
                    "Hạn của bước",
                    "Kết quả (trước hạn, đúng hạn, quá hạn)",
                ]
                .map(String::from)
                .to_vec(),
                rows,
                widths: vec![1, 3, 6, 4, 4, 3],
            }),
        ];
        Document {
            agency: self.agency.clone(),
            number: self.dossier_code.clone(),
            place: self.place.clone(),
            date: self.date,
            kind: Kind::Named {
                name: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ".into(),
                summary: format!("Mã hồ sơ: {}", self.dossier_code),
            },
            addressees: Vec::new(),
            body,
            signature: Signature::One(Signer {
                authority: None,
                position: "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into(),
                name: self.printed_by.clone(),
            }),
            recipients: Vec::new(),
            archive_unit: "Bộ phận Tiếp nhận và Trả kết quả".into(),
            orientation: Orientation::Portrait,
        }
    }
}
