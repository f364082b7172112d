//! Slips of the one-stop desk: the receipt and appointment slip (Giấy tiếp
//! nhận hồ sơ và hẹn trả kết quả), expressed as a `Document` so that both
//! outputs lay it out with the same header, table and two signer blocks.
//!
//! Invariant: a slip is a pure function of its data; the appointment date is
//! given, never computed here (working days are `vn::workdays`' business).

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
