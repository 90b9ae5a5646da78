//! User-facing text, from i18n/vi.toml (first) and i18n/en.toml.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

fn table(text: &str) -> HashMap<String, String> {
    toml::from_str(text).unwrap_or_default()
}

fn tables() -> &'static (HashMap<String, String>, HashMap<String, String>) {
    static T: OnceLock<(HashMap<String, String>, HashMap<String, String>)> = OnceLock::new();
    T.get_or_init(|| (table(include_str!("../i18n/vi.toml")), table(include_str!("../i18n/en.toml"))))
}

/// The words of one language, for templates: `{{ t.get("login_title") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    /// The words for `key`, when either language has them.
    pub fn try_get(&self, key: &str) -> Option<&'static str> {
        let (vi, en) = tables();
        let t = if self.lang == Lang::En { en } else { vi };
        t.get(key).or_else(|| vi.get(key)).map(String::as_str)
    }

    pub fn get(&self, key: &str) -> &'static str {
        let (vi, en) = tables();
        let t = if self.lang == Lang::En { en } else { vi };
        t.get(key).or_else(|| vi.get(key)).map_or("?", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let (vi, en) = tables();
        let mut a: Vec<&String> = vi.keys().collect();
        let mut b: Vec<&String> = en.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert!(!vi.is_empty());
        assert_eq!(Tr { lang: Lang::Vi }.get("sign_in"), "Đăng nhập");
        assert_eq!(Tr { lang: Lang::En }.get("sign_in"), "Sign in");
    }
}
