//! Money: amounts are whole đồng held as `i64` (VND has no minor unit in use).

mod words;

pub use words::vnd_in_words;

/// Writes an amount with dots between thousands, as Vietnamese documents do:
/// `2361370000` → `2.361.370.000`.
pub fn format_vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    let first = digits.len() % 3;
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (i + 3 - first).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A figure as Vietnamese documents write it, to one decimal: `87.5` → `87,5`,
/// `2500` → `2.500`.
pub fn format_decimal_vn(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format_vnd(rounded as i64)
    } else {
        format!("{rounded}").replace('.', ",")
    }
}

/// Reads a number as Vietnamese write it: a decimal comma (`85,5`), dots
/// between thousands (`1.234` or `1.234,5`); a single dot not followed by
/// exactly three digits is read as a decimal point (`85.5`), as a form may send it.
pub fn parse_decimal_vn(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let (whole, frac) = match t.rsplit_once(',') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => match t.rsplit_once('.') {
            Some((w, f)) if t.matches('.').count() == 1 && f.len() != 3 => (w.to_string(), Some(f.to_string())),
            _ => (t.clone(), None),
        },
    };
    let whole = if whole.contains('.') { parse_vnd(&whole)? } else { whole.parse::<i64>().ok()? };
    let v = match frac {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}.{f}", whole.abs()).parse::<f64>().ok()?.copysign(if whole < 0 || t.starts_with('-') { -1.0 } else { 1.0 })
        }
        Some(_) => return None,
        None => whole as f64,
    };
    v.is_finite().then_some(v)
}

/// Reads an amount written with dot separators (`1.107.680.000`) or plain digits.
pub fn parse_vnd(text: &str) -> Option<i64> {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if body.is_empty() || body.starts_with('.') || body.ends_with('.') {
        return None;
    }
    let groups: Vec<&str> = body.split('.').collect();
    if groups.len() > 1 {
        let ok = groups.iter().enumerate().all(|(i, g)| {
            let len_ok = if i == 0 { (1..=3).contains(&g.len()) } else { g.len() == 3 };
            len_ok && g.bytes().all(|b| b.is_ascii_digit())
        });
        if !ok {
            return None;
        }
    }
    let digits: String = groups.concat();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i64 = digits.parse().ok()?;
    Some(if neg { -value } else { value })
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_as_vietnamese_write_them() {
        use super::parse_decimal_vn as p;
        assert_eq!(p("85"), Some(85.0));
        assert_eq!(p("85,5"), Some(85.5));
        assert_eq!(p("85.5"), Some(85.5));
        assert_eq!(p("1.234"), Some(1234.0));
        assert_eq!(p("1.234,75"), Some(1234.75));
        assert_eq!(p("-3,5"), Some(-3.5));
        assert_eq!(p("-0,5"), Some(-0.5));
        assert_eq!(p("abc"), None);
        assert_eq!(p("1,2,3"), None);
        assert_eq!(p(""), None);
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_with_dots() {
        let cases = [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1.000"),
            (12345, "12.345"),
            (1_107_680_000, "1.107.680.000"),
            (1_253_690_000, "1.253.690.000"),
            (2_361_370_000, "2.361.370.000"),
            (-1500, "-1.500"),
            (i64::MIN, "-9.223.372.036.854.775.808"),
        ];
        for (n, s) in cases {
            assert_eq!(format_vnd(n), s, "{n}");
        }
    }

    #[test]
    fn decimals_use_a_comma() {
        assert_eq!(format_decimal_vn(87.54), "87,5");
        assert_eq!(format_decimal_vn(2500.0), "2.500");
        assert_eq!(format_decimal_vn(99.96), "100");
    }

    #[test]
    fn parses_dotted_and_plain() {
        assert_eq!(parse_vnd("2.361.370.000"), Some(2_361_370_000));
        assert_eq!(parse_vnd("2361370000"), Some(2_361_370_000));
        assert_eq!(parse_vnd("1.5"), None);
        assert_eq!(parse_vnd("12.34.567"), None);
        assert_eq!(parse_vnd(""), None);
        assert_eq!(parse_vnd("1,000"), None);
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(n in any::<i64>().prop_filter("MIN has no positive", |n| *n != i64::MIN)) {
            prop_assert_eq!(parse_vnd(&format_vnd(n)), Some(n));
        }
    }
}
