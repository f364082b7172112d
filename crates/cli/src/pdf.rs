//! `egov pdf`: `verify` gives the verdict on every signature a PDF
//! carries, for anyone who receives a signed document, and exits 0 only
//! when the file has signatures and every one is valid; `sign`
//! ([`crate::pdf_sign`]) signs with the holder's own key.

use std::path::PathBuf;

use anyhow::Context as _;

#[derive(Debug, clap::Subcommand)]
pub enum PdfCommand {
    /// Ký số tệp PDF (PAdES) bằng chứng thư và khóa của người ký (tệp khóa hoặc thiết bị PKCS #11).
    Sign(crate::pdf_sign::SignArgs),
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
    },
}

/// Runs the command; `Ok(false)` when the verdict is not "all valid".
pub fn run(command: &PdfCommand) -> anyhow::Result<bool> {
    let (file, trust, json) = match command {
        PdfCommand::Sign(args) => return crate::pdf_sign::run(args).map(|()| true),
        PdfCommand::Verify { file, trust, json } => (file, trust, json),
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
    let reports = pdf::verify(&bytes, &anchors)
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
        let verdict = if r.is_valid() {
            "HỢP LỆ"
        } else {
            "KHÔNG HỢP LỆ"
        };
        println!(
            "Chữ ký {} ({}): {verdict} — {signer}, ký lúc {at}",
            n + 1,
            r.field
        );
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
