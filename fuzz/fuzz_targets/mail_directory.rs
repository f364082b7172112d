//! The mail server's account directory as egov reads it back for
//! reconciliation (`domain::mail::directory::Directory::parse`): a
//! passwd-file and an alias table that anyone with access to the server
//! could have edited. It must never panic, and what it accepts must write
//! back to files that read as the same directory.
#![no_main]

use domain::mail::directory::Directory;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (passwd, aliases) = text.split_once('\0').unwrap_or((&text, ""));
    if let Ok(directory) = Directory::parse(passwd, aliases) {
        let again = Directory::parse(&directory.passwd_file(), &directory.virtual_aliases())
            .expect("what egov writes, it reads");
        assert_eq!(again, directory);
    }
});
