//! PEM in and out: what people paste and download. Input may be PEM or
//! DER; output PEM uses LF line ends.

use der::pem::LineEnding;

use crate::Error;

/// The DER inside `input`, which is either DER already or PEM labelled
/// with one of `labels`.
pub fn der_of(input: &[u8], labels: &[&str]) -> Result<Vec<u8>, Error> {
    let text = input.trim_ascii_start();
    if !text.starts_with(b"-----BEGIN ") {
        return Ok(input.to_vec());
    }
    let (label, der) = der::pem::decode_vec(text.trim_ascii_end())
        .map_err(|e| Error::Malformed(format!("PEM không đọc được: {e}")))?;
    if !labels.contains(&label) {
        return Err(Error::Malformed(format!(
            "PEM mang nhãn «{label}», cần «{}»",
            labels.join("» hoặc «")
        )));
    }
    Ok(der)
}

/// `der` as PEM under `label`.
pub fn encode(label: &str, der: &[u8]) -> Result<String, Error> {
    der::pem::encode_string(label, LineEnding::LF, der)
        .map_err(|e| Error::Malformed(format!("không viết được PEM: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_and_der_read_alike_and_wrong_labels_are_refused() {
        let pem = encode("CERTIFICATE", &[0x30, 0x00]).unwrap();
        assert_eq!(
            der_of(pem.as_bytes(), &["CERTIFICATE"]).unwrap(),
            vec![0x30, 0x00]
        );
        assert_eq!(
            der_of(&[0x30, 0x00], &["CERTIFICATE"]).unwrap(),
            vec![0x30, 0x00]
        );
        assert!(der_of(pem.as_bytes(), &["CERTIFICATE REQUEST"]).is_err());
        assert!(
            der_of(
                b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----",
                &["CERTIFICATE"]
            )
            .is_err()
        );
    }
}
