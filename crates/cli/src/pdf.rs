//! `egov pdf`: `verify` gives the verdict on every signature a PDF
//! carries, for anyone who receives a signed document: valid, invalid, or
//! not determined (revocation information missing). It exits 0 only when
//! the file has signatures and every one is valid; revocation evidence
//! comes from the file, and with `--fetch` also from the OCSP responders
//! and CRLs its certificates name. `sign` ([`crate::pdf_sign`])
//! signs with the holder's own key.

use std::path::PathBuf;

use anyhow::Context as _;

#[derive(Debug, clap::Subcommand)]
pub enum PdfCommand {
    /// Ký số tệp PDF (PAdES) bằng chứng thư và khóa của người ký (tệp khóa hoặc thiết bị PKCS #11).
    Sign(Box<crate::pdf_sign::SignArgs>),
    /// Kiểm tra mọi chữ ký số trong tệp PDF; mã thoát 0 chỉ khi mọi chữ ký hợp lệ.
    Verify {
        /// Tệp PDF.
        file: PathBuf,
        /// Chứng thư CA tin cậy (PEM, có thể nhiều chứng thư trong một tệp; lặp lại được).
        #[arg(long, required = true)]
        trust: Vec<PathBuf>,
        /// In kết quả dạng JSON.
        #[arg(long)]
        json: bool,
        /// Không kiểm tra thu hồi chứng thư (cho chữ ký PAdES B-B, khi tình trạng chứng thư được kiểm tra nơi khác).
        #[arg(long)]
        no_revocation_check: bool,
        /// Hỏi tình trạng thu hồi mà tệp còn thiếu từ máy chủ OCSP và CRL ghi trong chứng thư (qua http).
        #[arg(long, conflicts_with = "no_revocation_check")]
        fetch: bool,
    },
}

/// Runs the command; `Ok(false)` when the verdict is not "all valid".
pub fn run(command: &PdfCommand) -> anyhow::Result<bool> {
    let (file, trust, json, no_revocation_check, fetch) = match command {
        PdfCommand::Sign(args) => return crate::pdf_sign::run(args).map(|()| true),
        PdfCommand::Verify {
            file,
            trust,
            json,
            no_revocation_check,
            fetch,
        } => (file, trust, json, no_revocation_check, fetch),
    };
    let mut anchors = Vec::new();
    for path in trust {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được {}", path.display()))?;
        anchors.extend(
            certificates_in(&text)
                .with_context(|| format!("{} không chứa chứng thư PEM hợp lệ", path.display()))?,
        );
    }
    let bytes =
        std::fs::read(file).with_context(|| format!("không đọc được {}", file.display()))?;
    let services = crate::pdf_http::HttpServices { tsa: None };
    let validation = pdf::Validation {
        trust: &anchors,
        limits: &pdf::Limits::default(),
        fetcher: fetch.then_some(&services as &dyn pdf::Evidence),
        revocation: !no_revocation_check,
    };
    let reports = pdf::validate(&bytes, &validation)
        .with_context(|| format!("không kiểm tra được {}", file.display()))?;
    let all_valid = !reports.is_empty() && reports.iter().all(pdf::SignatureReport::is_valid);
    if *json {
        let list: Vec<serde_json::Value> = reports
            .iter()
            .map(|r| {
                serde_json::json!({
                    "field": r.field,
                    "signer": r.signer,
                    "signed_at": r.signed_at.and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()),
                    "covers_whole_file": r.covers_whole_file,
                    "valid": r.is_valid(),
                    "verdict": match r.verdict() {
                        pdf::Verdict::Valid => "valid",
                        pdf::Verdict::Invalid => "invalid",
                        pdf::Verdict::Indeterminate => "indeterminate",
                    },
                    "document_timestamp": r.kind == pdf::Kind::DocumentTimestamp,
                    "timestamp": r.timestamp.as_ref().and_then(|t| t.time.format(&time::format_description::well_known::Rfc3339).ok()),
                    "modified": r.is_modified(),
                    "problems": r.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({ "file": file.display().to_string(), "valid": all_valid, "signatures": list })
        );
        return Ok(all_valid);
    }
    if reports.is_empty() {
        println!("{}: không có chữ ký số nào.", file.display());
        return Ok(false);
    }
    for (n, r) in reports.iter().enumerate() {
        let signer = r.signer.as_deref().unwrap_or("(không rõ người ký)");
        let at = r.signed_at.map_or_else(
            || "không rõ thời điểm".to_owned(),
            vn::dates::format_timestamp,
        );
        let verdict = r.verdict();
        let what = if r.kind == pdf::Kind::DocumentTimestamp {
            "Dấu thời gian tài liệu"
        } else {
            "Chữ ký"
        };
        println!(
            "{what} {} ({}): {verdict} — {signer}, lúc {at}",
            n + 1,
            r.field
        );
        if let Some(stamp) = &r.timestamp {
            println!(
                "  Dấu thời gian: {} ({})",
                vn::dates::format_timestamp(stamp.time),
                stamp.authority.as_deref().unwrap_or("TSA không rõ")
            );
        }
        if !r.covers_whole_file {
            println!("  Có thay đổi sau khi ký; đã so sánh với bản được ký.");
        }
        for problem in &r.problems {
            println!("  - {problem}");
        }
    }
    Ok(all_valid)
}

/// Every `CERTIFICATE` block of a PEM text, as DER.
pub fn certificates_in(text: &str) -> anyhow::Result<Vec<Vec<u8>>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let end = rest[start..]
            .find(END)
            .context("thiếu dòng kết thúc chứng thư")?
            + start
            + END.len();
        found.push(pki::pem::der_of(
            &rest.as_bytes()[start..end],
            &["CERTIFICATE"],
        )?);
        rest = &rest[end..];
    }
    anyhow::ensure!(!found.is_empty(), "không có khối CERTIFICATE");
    Ok(found)
}
