//! What a citizen types into the public-service portal: dossier codes on
//! the tracking page (`DossierCode::from_str`), the names of uploaded
//! files (`services::online::check_file_name`) and the applicant's
//! contacts (`Applicant::normalised`), and a portal account's
//! registration (`accounts::Account::register`).
//!
//! Properties:
//! - nothing panics;
//! - a code that parses writes back to a text that parses to the same
//!   code, made only of letters, digits, dots and dashes (safe in a path);
//! - an accepted file name is the trimmed input, never a path: no '/',
//!   '\\', ':', "..", control characters, no leading dot, 1–200 chars;
//! - an accepted applicant has a name and a contact; an e-mail has one
//!   '@' and no whitespace or control characters (it goes into a mail
//!   header), a phone only digits and " .+-()";
//! - an accepted registration has a lower-case e-mail and a phone (both
//!   required), a citizen id of exactly 12 digits or none, and is pending.
#![no_main]

use domain::services::online::check_file_name;
use domain::services::accounts::{Account, AccountStatus, Registration};
use domain::services::{Applicant, ApplicantKind, DossierCode};
use libfuzzer_sys::fuzz_target;

fn check_code(text: &str) {
    if let Ok(code) = text.parse::<DossierCode>() {
        let written = code.to_string();
        assert!(
            written
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "unsafe characters in {written:?}"
        );
        assert_eq!(written.parse::<DossierCode>().as_ref(), Ok(&code));
    }
}

fn check_name(text: &str) {
    if let Ok(name) = check_file_name(text) {
        assert_eq!(name, text.trim());
        assert!(!name.is_empty() && name.chars().count() <= 200);
        assert!(!name.contains(['/', '\\', ':']) && !name.contains(".."));
        assert!(!name.starts_with('.'));
        assert!(!name.chars().any(char::is_control));
    }
}

fn check_applicant(text: &str) {
    let mut parts = text.splitn(3, '\u{1f}');
    let (name, email, phone) = (parts.next(), parts.next(), parts.next());
    let applicant = Applicant {
        name: name.unwrap_or_default().to_owned(),
        kind: ApplicantKind::Citizen,
        email: email.map(str::to_owned),
        phone: phone.map(str::to_owned),
        address: None,
    };
    if let Ok(clean) = applicant.normalised() {
        assert!(!clean.name.is_empty());
        assert!(clean.email.is_some() || clean.phone.is_some());
        if let Some(email) = &clean.email {
            assert_eq!(email.matches('@').count(), 1, "{email:?}");
            assert!(!email.chars().any(|c| c.is_whitespace() || c.is_control()));
        }
        if let Some(phone) = &clean.phone {
            assert!(phone.chars().all(|c| c.is_ascii_digit() || " .+-()".contains(c)));
        }
    }
}

fn check_registration(text: &str) {
    let mut parts = text.splitn(5, '\u{1f}');
    let mut next = || parts.next().unwrap_or_default().to_owned();
    let registration = Registration {
        kind: ApplicantKind::Citizen,
        full_name: next(),
        email: next(),
        phone: next(),
        citizen_id: next(),
        address: String::new(),
    };
    let password = next();
    let now = time::OffsetDateTime::UNIX_EPOCH;
    if let Ok(account) = Account::register(registration, &password, now) {
        assert_eq!(account.email, account.email.to_lowercase());
        assert!(!account.email.is_empty() && !account.phone.is_empty());
        if let Some(id) = &account.citizen_id {
            assert!(id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(account.status, AccountStatus::Pending);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check_code(&text);
    check_name(&text);
    check_applicant(&text);
    check_registration(&text);
});
