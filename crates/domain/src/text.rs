//! Vietnamese text: NFC normalisation and the order of the Vietnamese alphabet
//! (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with tones
//! compared after the letters (ngang, huyền, hỏi, ngã, sắc, nặng), as a
//! Vietnamese dictionary sorts names.

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// The text in Unicode NFC, the form every stored text takes.
pub fn nfc(s: &str) -> String {
    // Most text arrives in NFC already (a quick check, no allocation but the copy).
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

const BREVE: char = '\u{306}';
const CIRCUMFLEX: char = '\u{302}';
const HORN: char = '\u{31B}';

fn tone(c: char) -> Option<u8> {
    match c {
        '\u{300}' => Some(1), // huyền
        '\u{309}' => Some(2), // hỏi
        '\u{303}' => Some(3), // ngã
        '\u{301}' => Some(4), // sắc
        '\u{323}' => Some(5), // nặng
        _ => None,
    }
}

/// The rank of a base letter with its vowel mark, by the Vietnamese alphabet;
/// other characters keep their code point above every letter.
fn letter_rank(base: char, mark: Option<char>) -> u32 {
    const B: Option<char> = Some(BREVE);
    const C: Option<char> = Some(CIRCUMFLEX);
    const H: Option<char> = Some(HORN);
    match (base, mark) {
        ('a', None) => 0,
        ('a', B) => 1,
        ('a', C) => 2,
        ('b', None) => 3,
        ('c', None) => 4,
        ('d', None) => 5,
        ('đ', None) => 6,
        ('e', None) => 7,
        ('e', C) => 8,
        ('g', None) => 9,
        ('h', None) => 10,
        ('i', None) => 11,
        ('k', None) => 12,
        ('l', None) => 13,
        ('m', None) => 14,
        ('n', None) => 15,
        ('o', None) => 16,
        ('o', C) => 17,
        ('o', H) => 18,
        ('p', None) => 19,
        ('q', None) => 20,
        ('r', None) => 21,
        ('s', None) => 22,
        ('t', None) => 23,
        ('u', None) => 24,
        ('u', H) => 25,
        ('v', None) => 26,
        ('x', None) => 27,
        ('y', None) => 28,
        _ => 0x100 + u32::from(base) * 4 + mark.map_or(0, |m| u32::from(m) % 4),
    }
}

/// A key that sorts Vietnamese text in dictionary order, ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CollationKey {
    letters: Vec<u32>,
    tones: Vec<u8>,
    original: String,
}

pub fn collation_key(s: &str) -> CollationKey {
    let lower = s.to_lowercase();
    let mut letters = Vec::new();
    let mut tones = Vec::new();
    for ch in lower.nfc() {
        let mut base = None;
        let mut mark = None;
        let mut t = 0;
        for d in std::iter::once(ch).nfd() {
            if d == BREVE || d == CIRCUMFLEX || d == HORN {
                mark = Some(d);
            } else if let Some(x) = tone(d) {
                t = x;
            } else if base.is_none() {
                base = Some(d);
            }
        }
        letters.push(letter_rank(base.unwrap_or(ch), mark));
        tones.push(t);
    }
    CollationKey { letters, tones, original: s.to_string() }
}

/// Compares two texts in Vietnamese dictionary order.
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    collation_key(a).cmp(&collation_key(b))
}

/// A name without its marks, in small letters and dashes, for keys and file
/// names: "tỉnh Sóc Trăng" → "tinh-soc-trang", "Đắk Lắk" → "dak-lak".
pub fn slug(s: &str) -> String {
    let plain: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    plain.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_the_vietnamese_alphabet_then_tones() {
        // Byte order would put "Đ" after "Z" and "Â" after "B"; the alphabet puts
        // a < ă < â < b, d < đ < e, o < ô < ơ, u < ư; tones after letters.
        let mut names =
            vec!["Đông", "Dương", "Ân", "Bình", "Ăn", "An", "Ơn", "Ôn", "On", "Ưu", "Uy", "Yên", "Zô", "ma", "mà", "mả", "mã", "má", "mạ"];
        names.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(
            names,
            vec!["An", "Ăn", "Ân", "Bình", "Dương", "Đông", "ma", "mà", "mả", "mã", "má", "mạ", "On", "Ôn", "Ơn", "Uy", "Ưu", "Yên", "Zô"]
        );
    }

    #[test]
    fn tones_only_break_ties_between_the_same_letters() {
        // "Bá" (b a, sắc) comes before "Ban" (b a n): letters first.
        assert_eq!(compare_vi("Bá", "Ban"), Ordering::Less);
        assert_eq!(compare_vi("bình", "Bình"), Ordering::Greater, "same letters and tones: byte order of the original breaks the tie");
    }

    #[test]
    fn nfc_joins_decomposed_marks() {
        assert_eq!(nfc("Tie\u{302}\u{301}ng Vie\u{323}\u{302}t"), "Tiếng Việt");
    }
}
