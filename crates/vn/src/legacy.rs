//! Legacy Vietnamese encodings: TCVN3 (ABC) and VNI-Windows to Unicode.
//!
//! Old documents arrive typed with `.VnTime` (TCVN3) or VNI-Times fonts: the
//! bytes are Latin-1, the font draws Vietnamese letters. Read as text they
//! look like "Céng hoµ x· héi" or "Coäng hoøa xaõ hoäi". Owns the two
//! conversions. Invariant: output is NFC, and characters outside the
//! encodings' letter ranges (ASCII, digits, punctuation) pass unchanged.
//!
//! Limits: TCVN3 drew uppercase toned letters with separate fonts
//! (`.VnTimeH`) reusing the lowercase codes, so those come back lowercase.

use unicode_normalization::UnicodeNormalization;

/// Reads bytes as Latin-1: one char per byte, the form legacy text has
/// when the font is lost.
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// TCVN3 code points 0xA1..=0xFE and their letters ('\0' = unused).
const TCVN3_HIGH: [char; 94] = [
    // A1..=AE: capital base letters, then lowercase base letters.
    'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ',
    // AF..=B4: unused.
    '\0', '\0', '\0', '\0', '\0', '\0', // B5..=BA: a with tones, BA unused.
    'à', 'ả', 'ã', 'á', 'ạ', '\0', // BB..=BE: ă with tones (ặ is at C6).
    'ằ', 'ẳ', 'ẵ', 'ắ', // BF..=C5: unused.
    '\0', '\0', '\0', '\0', '\0', '\0', '\0', // C6..=CB: ặ, then â with tones.
    'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', // CC..=D1: e with tones (CD unused).
    'è', '\0', 'ẻ', 'ẽ', 'é', 'ẹ', // D2..=D6: ê with tones.
    'ề', 'ể', 'ễ', 'ế', 'ệ', // D7..=DE: i with tones (D9..=DB unused).
    'ì', 'ỉ', '\0', '\0', '\0', 'ĩ', 'í', 'ị', // DF..=E4: o with tones (E0 unused).
    'ò', '\0', 'ỏ', 'õ', 'ó', 'ọ', // E5..=E9: ô with tones.
    'ồ', 'ổ', 'ỗ', 'ố', 'ộ', // EA..=EE: ơ with tones.
    'ờ', 'ở', 'ỡ', 'ớ', 'ợ', // EF..=F4: u with tones (F0 unused).
    'ù', '\0', 'ủ', 'ũ', 'ú', 'ụ', // F5..=F9: ư with tones.
    'ừ', 'ử', 'ữ', 'ứ', 'ự', // FA..=FE: y with tones.
    'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ',
];

/// Converts TCVN3 (ABC) text, given as Latin-1 chars, to Unicode NFC.
///
/// ```
/// assert_eq!(vn::legacy::from_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam"),
///            "Cộng hoà xã hội chủ nghĩa Việt Nam");
/// ```
pub fn from_tcvn3(s: &str) -> String {
    s.chars()
        .map(|c| {
            let index = u32::from(c).wrapping_sub(0xA1);
            usize::try_from(index)
                .ok()
                .and_then(|i| TCVN3_HIGH.get(i))
                .copied()
                .filter(|&l| l != '\0')
                .unwrap_or(c)
        })
        .collect()
}

/// VNI letters typed as one char.
fn vni_letter(c: char) -> Option<char> {
    Some(match c {
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        _ => return None,
    })
}

/// VNI marks typed after a vowel, as combining marks.
fn vni_marks(c: char) -> Option<&'static [char]> {
    const ACUTE: char = '\u{301}';
    const GRAVE: char = '\u{300}';
    const HOOK: char = '\u{309}';
    const TILDE: char = '\u{303}';
    const DOT: char = '\u{323}';
    const CIRC: char = '\u{302}';
    const BREVE: char = '\u{306}';
    Some(match c {
        'ù' | 'Ù' => &[ACUTE],
        'ø' | 'Ø' => &[GRAVE],
        'û' | 'Û' => &[HOOK],
        'õ' | 'Õ' => &[TILDE],
        'ï' | 'Ï' => &[DOT],
        'â' | 'Â' => &[CIRC],
        'ê' | 'Ê' => &[BREVE],
        'á' | 'Á' => &[CIRC, ACUTE],
        'à' | 'À' => &[CIRC, GRAVE],
        'å' | 'Å' => &[CIRC, HOOK],
        'ã' | 'Ã' => &[CIRC, TILDE],
        'ä' | 'Ä' => &[CIRC, DOT],
        'é' | 'É' => &[BREVE, ACUTE],
        'è' | 'È' => &[BREVE, GRAVE],
        'ú' | 'Ú' => &[BREVE, HOOK],
        'ü' | 'Ü' => &[BREVE, TILDE],
        'ë' | 'Ë' => &[BREVE, DOT],
        _ => return None,
    })
}

fn is_vowel(c: char) -> bool {
    "aeiouyơưAEIOUYƠƯ".contains(c)
}

/// Converts VNI-Windows text, given as Latin-1 chars, to Unicode NFC.
///
/// ```
/// assert_eq!(vn::legacy::from_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"),
///            "Cộng hòa xã hội chủ nghĩa Việt Nam");
/// ```
pub fn from_vni(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let mut prev_vowel = false;
    for c in s.chars() {
        if prev_vowel && let Some(marks) = vni_marks(c) {
            out.extend(marks);
            // Marks stack once: "aâ" then a tone is written as one char.
            prev_vowel = false;
            continue;
        }
        let letter = vni_letter(c).unwrap_or(c);
        prev_vowel = is_vowel(letter);
        out.push(letter);
    }
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_samples() {
        let cases = [
            (
                "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
                "Cộng hoà xã hội chủ nghĩa Việt Nam",
            ),
            ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
            (
                "Së Th«ng tin vµ TruyÒn th«ng",
                "Sở Thông tin và Truyền thông",
            ),
            (
                "Tr¶ lêi: ®· nhËn 437/Q§-UBND",
                "Trả lời: đã nhận 437/QĐ-UBND",
            ),
            ("ASCII 123 stays", "ASCII 123 stays"),
        ];
        for (legacy, want) in cases {
            assert_eq!(from_tcvn3(legacy), want);
        }
        // From raw bytes: "Tµi" = 54 B5 69.
        assert_eq!(from_tcvn3(&latin1(&[0x54, 0xB5, 0x69])), "Tài");
    }

    #[test]
    fn vni_samples() {
        let cases = [
            (
                "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
                "Cộng hòa xã hội chủ nghĩa Việt Nam",
            ),
            (
                "Ñoäc laäp - Töï do - Haïnh phuùc",
                "Độc lập - Tự do - Hạnh phúc",
            ),
            (
                "Sôû Thoâng tin vaø Truyeàn thoâng",
                "Sở Thông tin và Truyền thông",
            ),
            ("Nguyeãn Ngoïc Thaønh", "Nguyễn Ngọc Thành"),
            ("aên ôn möa, ñaëng, ñaát, naém", "ăn ơn mưa, đặng, đất, nắm"),
            ("TRAØ VINH, ÑAÉK LAÉK", "TRÀ VINH, ĐẮK LẮK"),
            ("ASCII 123 stays", "ASCII 123 stays"),
        ];
        for (legacy, want) in cases {
            assert_eq!(from_vni(legacy), want, "{legacy}");
        }
    }
}
