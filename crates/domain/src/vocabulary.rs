//! Closed lists of words (kinds, forms, channels…) stored as snake_case text.

/// What every closed list offers, for code that works on any of them (a form's choices, a field's kind).
pub trait Vocabulary: Copy + std::str::FromStr<Err = String> + 'static {
    /// The first word of the list.
    const FIRST: Self;
    /// Every value with its Vietnamese label.
    fn choices() -> Vec<(&'static str, &'static str)>;
    /// The key it is stored as.
    fn key(self) -> &'static str;
}

/// Declares an enum whose variants are stored and read as fixed strings, with
/// a Vietnamese label for each.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal, $vi:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// Every value with its Vietnamese label, for a form's choices.
            pub fn choices() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.as_str(), v.label_vi())).collect()
            }

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The Vietnamese word, for pages and documents.
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi,)+ }
            }
        }

        impl $crate::vocabulary::Vocabulary for $name {
            // Evaluated when compiled: a list without words does not build.
            const FIRST: Self = match Self::ALL {
                [first, ..] => *first,
                [] => panic!("a vocabulary has at least one word"),
            };
            fn choices() -> Vec<(&'static str, &'static str)> {
                $name::choices()
            }
            fn key(self) -> &'static str {
                self.as_str()
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($text | $vi => Ok($name::$variant),)+
                    other => Err(format!(
                        "«{other}» không có trong danh mục; dùng: {} (not one of: {})",
                        [$($text),+].join(", "), [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
