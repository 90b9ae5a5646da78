//! Amounts in words (đọc số tiền bằng chữ), as a legal text writes them:
//! `2361370000` → "Hai tỷ, ba trăm sáu mươi mốt triệu, ba trăm bảy mươi nghìn đồng".
//!
//! The readings follow common administrative usage: "mốt" for a 1 after a tens
//! digit from twenty, "lăm" for a 5 after any tens digit, "tư" for a 4 after a
//! tens digit from twenty, "linh" for a zero tens digit, "không trăm" for a zero
//! hundreds digit inside a number, and zero groups left out.

const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
const BILLION: u64 = 1_000_000_000;

/// The amount in words with a capital first letter and "đồng" at the end.
pub fn vnd_in_words(amount: i64) -> String {
    let body = if amount == 0 { "không".to_string() } else { number_words(amount.unsigned_abs(), true, ", ") };
    let text = if amount < 0 { format!("âm {body} đồng") } else { format!("{body} đồng") };
    capitalise(&text)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Reads `n` (> 0). `leading` is false when higher groups were read before it,
/// so that its hundreds are read even when zero ("không trăm").
fn number_words(n: u64, leading: bool, sep: &str) -> String {
    if n >= BILLION {
        // The multiplier of "tỷ" is itself a number, read without inner commas.
        let mut out = format!("{} tỷ", number_words(n / BILLION, leading, " "));
        let rest = n % BILLION;
        if rest > 0 {
            out.push_str(sep);
            out.push_str(&below_billion(rest, false, sep));
        }
        out
    } else {
        below_billion(n, leading, sep)
    }
}

fn below_billion(n: u64, leading: bool, sep: &str) -> String {
    let groups = [(n / 1_000_000, " triệu"), ((n / 1000) % 1000, " nghìn"), (n % 1000, "")];
    let mut parts: Vec<String> = Vec::new();
    let mut full = !leading;
    for (value, scale) in groups {
        if value == 0 {
            continue;
        }
        parts.push(format!("{}{scale}", group_words(value, full)));
        full = true;
    }
    parts.join(sep)
}

/// Reads a group of three digits (1..=999). `full` reads a zero hundreds digit.
fn group_words(value: u64, full: bool) -> String {
    let (h, t, u) = ((value / 100) as usize, ((value / 10) % 10) as usize, (value % 10) as usize);
    let mut words: Vec<&str> = Vec::new();
    if full || h > 0 {
        words.push(digit(h));
        words.push("trăm");
    }
    match t {
        0 if u > 0 && !words.is_empty() => words.push("linh"),
        0 => {}
        1 => words.push("mười"),
        _ => {
            words.push(digit(t));
            words.push("mươi");
        }
    }
    match u {
        0 => {}
        1 if t >= 2 => words.push("mốt"),
        4 if t >= 2 => words.push("tư"),
        5 if t >= 1 => words.push("lăm"),
        _ => words.push(digit(u)),
    }
    words.join(" ")
}

fn digit(d: usize) -> &'static str {
    DIGITS.get(d).copied().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn the_resolution_total() {
        // Resolution 117/NQ-HĐND, art. 1 §6a writes exactly this.
        assert_eq!(vnd_in_words(2_361_370_000), "Hai tỷ, ba trăm sáu mươi mốt triệu, ba trăm bảy mươi nghìn đồng");
    }

    #[test]
    fn tricky_forms() {
        let cases: &[(i64, &str)] = &[
            (0, "Không đồng"),
            (1, "Một đồng"),
            (5, "Năm đồng"),
            (10, "Mười đồng"),
            (11, "Mười một đồng"),
            (14, "Mười bốn đồng"),
            (15, "Mười lăm đồng"),
            (20, "Hai mươi đồng"),
            (21, "Hai mươi mốt đồng"),
            (24, "Hai mươi tư đồng"),
            (25, "Hai mươi lăm đồng"),
            (101, "Một trăm linh một đồng"),
            (105, "Một trăm linh năm đồng"),
            (110, "Một trăm mười đồng"),
            (115, "Một trăm mười lăm đồng"),
            (1000, "Một nghìn đồng"),
            (1_005, "Một nghìn, không trăm linh năm đồng"),
            (1_000_000, "Một triệu đồng"),
            (1_000_005, "Một triệu, không trăm linh năm đồng"),
            (1_050_000, "Một triệu, không trăm năm mươi nghìn đồng"),
            (1_107_680_000, "Một tỷ, một trăm linh bảy triệu, sáu trăm tám mươi nghìn đồng"),
            (1_253_690_000, "Một tỷ, hai trăm năm mươi ba triệu, sáu trăm chín mươi nghìn đồng"),
            (2_005_000_000, "Hai tỷ, không trăm linh năm triệu đồng"),
            (1_000_000_000_000, "Một nghìn tỷ đồng"),
            (1_234_000_000_000, "Một nghìn hai trăm ba mươi tư tỷ đồng"),
            (-45_000, "Âm bốn mươi lăm nghìn đồng"),
        ];
        for (n, text) in cases {
            assert_eq!(&vnd_in_words(*n), text, "{n}");
        }
    }

    /// Reads the words back into a number: the inverse used by the property test.
    fn words_to_number(text: &str) -> i128 {
        let body = text.to_lowercase().replace(',', "");
        let mut tokens: Vec<&str> = body.split(' ').collect();
        assert_eq!(tokens.pop(), Some("đồng"));
        let negative = tokens.first() == Some(&"âm");
        if negative {
            tokens.remove(0);
        }
        let (mut result, mut below_billion, mut group, mut last): (i128, i128, i128, i128) = (0, 0, 0, 0);
        for tok in tokens {
            match tok {
                "trăm" => group += last * 99,
                "mươi" => group += last * 9,
                "mười" => group += 10,
                "linh" => {}
                "mốt" => group += 1,
                "tư" => group += 4,
                "lăm" => group += 5,
                "nghìn" => {
                    below_billion += group * 1000;
                    group = 0;
                }
                "triệu" => {
                    below_billion += group * 1_000_000;
                    group = 0;
                }
                "tỷ" => {
                    result = (result + below_billion + group) * 1_000_000_000;
                    below_billion = 0;
                    group = 0;
                }
                word => {
                    let d = DIGITS.iter().position(|w| *w == word).expect(word) as i128;
                    group += d;
                    last = d;
                }
            }
        }
        let n = result + below_billion + group;
        if negative {
            -n
        } else {
            n
        }
    }

    fn amounts() -> impl Strategy<Value = i64> {
        prop_oneof![0i64..1000, 0i64..10_000_000, 0i64..100_000_000_000, any::<i64>()]
    }

    proptest! {
        #[test]
        fn words_read_back_to_the_amount(n in amounts()) {
            let words = vnd_in_words(n);
            prop_assert_eq!(words_to_number(&words), n as i128, "{}", words);
        }

        #[test]
        fn words_are_well_formed(n in amounts()) {
            let words = vnd_in_words(n);
            prop_assert_eq!(words.nfc().collect::<String>(), words.clone());
            prop_assert!(!words.contains("  ") && !words.contains(",,"));
            prop_assert!(words.chars().next().is_some_and(char::is_uppercase));
            prop_assert!(words.ends_with(" đồng"));
            // "mười một" stays, "mươi một" never appears: 1 after twenty is "mốt".
            prop_assert!(!words.contains("mươi một"));
            prop_assert!(!words.contains("mươi năm") && !words.contains("mười năm"));
        }
    }
}
