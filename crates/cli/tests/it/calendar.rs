//! `egov calendar`, as an operator runs it.

use std::process::Command;

fn egov(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(args)
        .output()
        .expect("egov runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn calendar_commands() {
    assert_eq!(
        egov(&["calendar", "add-working-days", "2021-04-28", "3"]),
        "2021-05-05\n"
    );
    assert_eq!(
        egov(&["calendar", "lunar", "2021-02-12"]),
        "1/1/2021 Tân Sửu\n"
    );
    assert_eq!(
        egov(&["calendar", "lunar", "2025-07-25"]),
        "1/6/2025 (nhuận) Ất Tỵ\n"
    );
    assert_eq!(
        egov(&["calendar", "solar", "1/6/2025", "--leap"]),
        "2025-07-25\n"
    );
    assert_eq!(egov(&["calendar", "solar", "10/3/2021"]), "2021-04-21\n");
    let holidays = egov(&["calendar", "holidays", "2021"]);
    assert!(
        holidays.lines().any(|l| l.starts_with("2021-04-30 ")),
        "{holidays}"
    );
    assert!(
        holidays.lines().any(|l| l.starts_with("2021-04-21 ")),
        "Giỗ Tổ: {holidays}"
    );
}
