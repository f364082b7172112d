//! The account directory egov keeps for the mail server, and the files it
//! is written as: a Dovecot passwd-file (accounts, password hashes,
//! quotas, who may sign in) and two Postfix lookup tables in `texthash`
//! form (the addresses the server accepts, and the aliases). egov writes
//! these files whole, so the server reads either the old directory or the
//! new one; it also reads them back, to find what the server holds that
//! the registry does not say (drift).

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The first line of each file, so an operator knows not to edit it.
const HEADER: &str = "# Tệp do egov viết lại toàn bộ khi cấp hộp thư; không sửa tay.";
/// Written for a box without a password: no crypt hash is `!`, so nothing
/// matches it even if the `nologin` field were lost.
const NO_PASSWORD: &str = "{CRYPT}!";

/// Whether the holder may sign in, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Login {
    Enabled,
    /// Suspended: mail is still delivered.
    Suspended,
    /// No password set yet.
    NoPassword,
}

impl Login {
    /// The reason Dovecot gives for refusing, in the `reason` field.
    fn reason(self) -> Option<&'static str> {
        match self {
            Self::Enabled => None,
            Self::Suspended => Some("suspended"),
            Self::NoPassword => Some("no-password"),
        }
    }
}

/// One account as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub address: String,
    pub password_hash: Option<String>,
    pub quota_mib: u32,
    pub login: Login,
    pub aliases: Vec<String>,
}

/// The accounts of one mail server, by address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    entries: BTreeMap<String, DirectoryEntry>,
}

/// A difference between what the registry says and what the server holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The registry has the box; the server does not.
    Missing(String),
    /// The server has a box the registry does not (or has closed).
    Extra(String),
    /// Both have it, but they differ in `what`.
    Differs { address: String, what: &'static str },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing(a) => write!(f, "{a}: có trong sổ, thiếu trên máy chủ thư"),
            Self::Extra(a) => write!(f, "{a}: có trên máy chủ thư, không có trong sổ"),
            Self::Differs { address, what } => write!(f, "{address}: khác nhau về {what}"),
        }
    }
}

/// A line of a directory file that egov cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, dòng {line}: {what}")]
pub struct DirectoryError {
    pub file: &'static str,
    pub line: usize,
    pub what: &'static str,
}

impl Directory {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, address: &str) -> Option<&DirectoryEntry> {
        self.entries.get(address)
    }

    pub fn entries(&self) -> impl Iterator<Item = &DirectoryEntry> {
        self.entries.values()
    }

    /// Puts `entry` in place of the account with its address.
    pub fn upsert(&mut self, entry: DirectoryEntry) {
        self.entries.insert(entry.address.clone(), entry);
    }

    pub fn remove(&mut self, address: &str) {
        self.entries.remove(address);
    }

    /// The Dovecot passwd-file: `user:password::::::extra fields`, with the
    /// quota as a userdb field and `nologin` for boxes nobody may enter.
    pub fn passwd_file(&self) -> String {
        let mut out = format!("{HEADER}\n");
        for e in self.entries.values() {
            let password = e.password_hash.as_deref().unwrap_or(NO_PASSWORD);
            let _ = write!(
                out,
                "{}:{password}::::::userdb_quota_rule=*:storage={}M",
                e.address, e.quota_mib
            );
            if let Some(reason) = e.login.reason() {
                let _ = write!(out, " nologin=y reason={reason}");
            }
            out.push('\n');
        }
        out
    }

    /// Postfix's `virtual_mailbox_maps`: every address with a box.
    pub fn virtual_mailboxes(&self) -> String {
        let mut out = format!("{HEADER}\n");
        for address in self.entries.keys() {
            let _ = writeln!(out, "{address} OK");
        }
        out
    }

    /// Postfix's `virtual_alias_maps`: each alias and the box it reaches.
    pub fn virtual_aliases(&self) -> String {
        let mut aliases: Vec<(&str, &str)> = self
            .entries
            .values()
            .flat_map(|e| e.aliases.iter().map(|a| (a.as_str(), e.address.as_str())))
            .collect();
        aliases.sort_unstable();
        let mut out = format!("{HEADER}\n");
        for (alias, address) in aliases {
            let _ = writeln!(out, "{alias} {address}");
        }
        out
    }

    /// Reads the directory back from the passwd-file and the alias table
    /// egov wrote (the mailbox table is the passwd-file's list again).
    pub fn parse(passwd_file: &str, virtual_aliases: &str) -> Result<Self, DirectoryError> {
        let mut directory = Self::default();
        for (n, line) in significant_lines(passwd_file) {
            let entry = parse_passwd_line(line).map_err(|what| DirectoryError {
                file: "passwd-file",
                line: n,
                what,
            })?;
            if directory.entries.contains_key(&entry.address) {
                return Err(DirectoryError {
                    file: "passwd-file",
                    line: n,
                    what: "địa chỉ lặp lại",
                });
            }
            directory.upsert(entry);
        }
        for (n, line) in significant_lines(virtual_aliases) {
            let error = |what| DirectoryError {
                file: "virtual_alias_maps",
                line: n,
                what,
            };
            let mut words = line.split_whitespace();
            let (Some(alias), Some(target), None) = (words.next(), words.next(), words.next())
            else {
                return Err(error("cần đúng hai cột"));
            };
            if !is_written_form(alias) {
                return Err(error("bí danh không hợp lệ"));
            }
            let entry = directory
                .entries
                .get_mut(target)
                .ok_or_else(|| error("bí danh trỏ tới hộp thư không có"))?;
            entry.aliases.push(alias.to_owned());
            entry.aliases.sort();
        }
        Ok(directory)
    }
}

/// The lines that carry entries, numbered from 1. A line that starts with
/// white space is kept, and then refused by its parser: Postfix reads it
/// as the continuation of the line before, Dovecot as an entry.
fn significant_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Whether `address` is well formed and written as egov writes it
/// (lowercase, nothing around it).
fn is_written_form(address: &str) -> bool {
    super::addresses::parse(address)
        .is_ok_and(|(local, domain)| address == format!("{local}@{domain}"))
}

fn parse_passwd_line(line: &str) -> Result<DirectoryEntry, &'static str> {
    let fields: Vec<&str> = line.splitn(8, ':').collect();
    let [address, password, "", "", "", "", "", extra] = fields.as_slice() else {
        return Err("cần 8 trường, các trường 3–7 để trống");
    };
    if !is_written_form(address) {
        return Err("địa chỉ không hợp lệ");
    }
    let mut quota = None;
    let mut nologin = false;
    let mut reason = None;
    for field in extra.split_whitespace() {
        match field.split_once('=') {
            Some(("userdb_quota_rule", rule)) => {
                let mib = rule
                    .strip_prefix("*:storage=")
                    .and_then(|s| s.strip_suffix('M'))
                    .and_then(|s| s.parse::<u32>().ok())
                    .ok_or("hạn mức không đọc được")?;
                quota = Some(mib);
            }
            Some(("nologin", "y")) => nologin = true,
            Some(("reason", r)) => reason = Some(r),
            _ => return Err("trường thêm không rõ"),
        }
    }
    let login = match (nologin, reason) {
        (false, None) => Login::Enabled,
        (true, Some("suspended")) => Login::Suspended,
        (true, Some("no-password")) => Login::NoPassword,
        _ => return Err("nologin và reason không khớp"),
    };
    let password_hash = match *password {
        NO_PASSWORD => None,
        hash if hash.starts_with('{') && hash.bytes().all(|b| b.is_ascii_graphic()) => {
            Some(hash.to_owned())
        }
        _ => return Err("mật khẩu không ở dạng {SCHEME}băm"),
    };
    Ok(DirectoryEntry {
        address: (*address).to_owned(),
        password_hash,
        quota_mib: quota.ok_or("thiếu hạn mức")?,
        login,
        aliases: Vec::new(),
    })
}

/// What differs between the registry's directory and the server's, in
/// address order.
pub fn drift(registry: &Directory, server: &Directory) -> Vec<Drift> {
    let mut out = Vec::new();
    for (address, want) in &registry.entries {
        let Some(have) = server.entries.get(address) else {
            out.push(Drift::Missing(address.clone()));
            continue;
        };
        let what = if want.password_hash != have.password_hash {
            Some("mật khẩu")
        } else if want.quota_mib != have.quota_mib {
            Some("dung lượng")
        } else if want.login != have.login {
            Some("quyền đăng nhập")
        } else if want.aliases != have.aliases {
            Some("bí danh")
        } else {
            None
        };
        if let Some(what) = what {
            out.push(Drift::Differs {
                address: address.clone(),
                what,
            });
        }
    }
    for address in server.entries.keys() {
        if !registry.entries.contains_key(address) {
            out.push(Drift::Extra(address.clone()));
        }
    }
    out.sort_by(|a, b| key(a).cmp(key(b)));
    out
}

fn key(d: &Drift) -> &str {
    match d {
        Drift::Missing(a) | Drift::Extra(a) | Drift::Differs { address: a, .. } => a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(address: &str, login: Login) -> DirectoryEntry {
        DirectoryEntry {
            address: address.into(),
            password_hash: (login != Login::NoPassword)
                .then(|| "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
            quota_mib: 2048,
            login,
            aliases: vec![],
        }
    }

    #[test]
    fn files_round_trip() {
        let mut d = Directory::default();
        d.upsert(entry("thanhnn.stttt@travinh.gov.vn", Login::Enabled));
        d.upsert(entry("anlt.stttt@travinh.gov.vn", Login::Suspended));
        let mut unit = entry("vp.stttt@travinh.gov.vn", Login::NoPassword);
        unit.aliases = vec!["vanphong.stttt@travinh.gov.vn".into()];
        d.upsert(unit);
        let passwd = d.passwd_file();
        assert!(passwd.contains(
            "vp.stttt@travinh.gov.vn:{CRYPT}!::::::userdb_quota_rule=*:storage=2048M nologin=y reason=no-password\n"
        ));
        assert_eq!(
            d.virtual_aliases().lines().nth(1),
            Some("vanphong.stttt@travinh.gov.vn vp.stttt@travinh.gov.vn")
        );
        assert_eq!(d.virtual_mailboxes().lines().count(), 4);
        let back = Directory::parse(&passwd, &d.virtual_aliases()).unwrap();
        assert_eq!(back, d);
        assert!(drift(&d, &back).is_empty());
    }

    #[test]
    fn drift_is_found() {
        let mut registry = Directory::default();
        registry.upsert(entry("a@travinh.gov.vn", Login::Enabled));
        registry.upsert(entry("b@travinh.gov.vn", Login::Enabled));
        let mut server = Directory::default();
        server.upsert(entry("b@travinh.gov.vn", Login::Suspended));
        server.upsert(entry("c@travinh.gov.vn", Login::Enabled));
        assert_eq!(
            drift(&registry, &server),
            [
                Drift::Missing("a@travinh.gov.vn".into()),
                Drift::Differs {
                    address: "b@travinh.gov.vn".into(),
                    what: "quyền đăng nhập"
                },
                Drift::Extra("c@travinh.gov.vn".into()),
            ]
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let cases = [
            ("a@travinh.gov.vn:{X}y", 1),
            ("# c\na@travinh.gov.vn:{X}y::::::nologin=y", 2),
            (
                "a@travinh.gov.vn:plain::::::userdb_quota_rule=*:storage=1M",
                1,
            ),
            ("a b@x.vn:{X}y::::::userdb_quota_rule=*:storage=1M", 1),
            (
                "a@x.vn:{X}y::::::userdb_quota_rule=*:storage=1M\na@x.vn:{X}y::::::userdb_quota_rule=*:storage=1M",
                2,
            ),
        ];
        for (text, line) in cases {
            assert_eq!(Directory::parse(text, "").unwrap_err().line, line, "{text}");
        }
        let one = "a@x.vn:{X}y::::::userdb_quota_rule=*:storage=1M\n";
        assert!(Directory::parse(one, "b@x.vn c@x.vn").is_err());
        assert!(Directory::parse(one, "b@x.vn a@x.vn").is_ok());
        assert!(Directory::parse(one, " #b@x.vn a@x.vn").is_err());
        assert!(Directory::parse(one, "B@x.vn a@x.vn").is_err());
    }
}
