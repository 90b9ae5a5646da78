//! How a record kind is described once (`kinds.rs`) and what is derived from
//! it: each field's column in an import file and its header, how it is entered
//! on a form, whether it is personal data, how a row's cell is read, the
//! checks that follow from its kind, and the value it stores.
//!
//! A field's kind is a type implementing [`FieldKind`]: `Date`, `Count`,
//! `Choice<ActivityForm>`… Adding a field to a record is one line in
//! `kinds.rs` (and its column in the migrations).

use super::form::{Input, Row};
use super::validate::Check;
use super::Service;
use crate::vocabulary::Vocabulary;
use chrono::NaiveDate;
use std::marker::PhantomData;

/// Where a field's value goes when the record is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A column of the record's own table, of the same name, holding a number (flags 0/1, years).
    Int,
    /// A column of the record's own table, of the same name, holding text (dates ISO, words as keys).
    Text,
    /// The unit's code: the store writes `unit_id`, the unit valid on the record's date.
    Unit,
    /// Resolved or kept elsewhere by the store: a plan's task, services in their own table,
    /// personal data in the sealed column.
    Elsewhere,
}

/// One field of a record kind: its key (the column of files, forms, the API and
/// the table), its Vietnamese header, and what its kind says.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub vi: &'static str,
    /// An import file must have this column; a form must have it filled (flags excepted: empty is "không").
    pub required: bool,
    pub input: Input,
    /// Personal data: sealed at rest, shown only to the role that may see it, each read audited.
    pub personal: bool,
    pub stored: Stored,
}

/// A value to store, as the field's kind gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Text(String),
    Null,
}

/// What a kind of field is: the Rust type it reads into, how it is entered,
/// read from a cell, checked and stored.
pub(crate) trait FieldKind {
    type Value;
    const INPUT: Input;
    const REQUIRED: bool;
    const PERSONAL: bool = false;
    const STORED: Stored;
    fn read(row: &mut Row<'_>, key: &'static str) -> Self::Value;
    /// The checks that need only the value and today's date.
    fn check(_c: &mut Check, _key: &'static str, _v: &Self::Value, _today: NaiveDate) {}
    fn value(v: &Self::Value) -> Value;
}

fn opt_text(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::Text(s.clone()))
}

fn opt_date(v: &Option<NaiveDate>) -> Value {
    v.map_or(Value::Null, |d| Value::Text(d.format("%Y-%m-%d").to_string()))
}

/// Declares kinds of field: `Name: Type = input, stored, required, personal, how a cell is read,
/// its check (`|check, key, value, today| …`) and the value it stores (`|value| …`).
macro_rules! field_kinds {
    ($(
        $(#[$meta:meta])*
        $name:ident: $value:ty = $input:expr, $stored:ident, required $req:literal, personal $personal:literal, read $read:ident,
            check |$c:pat_param, $k:pat_param, $v:pat_param, $today:pat_param| $check:expr,
            value |$w:pat_param| $store:expr;
    )+) => {$(
        $(#[$meta])*
        pub struct $name;
        impl FieldKind for $name {
            type Value = $value;
            const INPUT: Input = $input;
            const REQUIRED: bool = $req;
            const PERSONAL: bool = $personal;
            const STORED: Stored = Stored::$stored;
            fn read(row: &mut Row<'_>, key: &'static str) -> $value {
                row.$read(key)
            }
            fn check($c: &mut Check, $k: &'static str, $v: &$value, $today: NaiveDate) {
                $check
            }
            fn value($w: &$value) -> Value {
                $store
            }
        }
    )+};
}

field_kinds! {
    /// A day that must be given (dd/mm/yyyy), from 01/01/2000 to today.
    Date: NaiveDate = Input::Date, Text, required true, personal false, read date,
        check |c, k, v, today| c.date(k, *v, today), value |v| opt_date(&Some(*v));
    /// A day that may be left empty; when given, from 01/01/2000 to today.
    OptDate: Option<NaiveDate> = Input::Date, Text, required false, personal false, read opt_date,
        check |c, k, v, today| if let Some(d) = v { c.date(k, *d, today) }, value |v| opt_date(v);
    /// A day that may be left empty and may lie ahead (a deadline); ordered by the kind's own rules.
    Deadline: Option<NaiveDate> = Input::Date, Text, required false, personal false, read opt_date,
        check |_, _, _, _| (), value |v| opt_date(v);
    /// Words that must be given (NFC, trimmed).
    Text: String = Input::Text, Text, required true, personal false, read text,
        check |c, k, v, _| c.text(k, v), value |v| Value::Text(v.trim().to_string());
    /// Words that may be left empty, on one line.
    OptText: Option<String> = Input::Text, Text, required false, personal false, read opt_text,
        check |_, _, _, _| (), value |v| opt_text(v);
    /// Words that may be left empty, in a text area (findings, outcome, a note).
    LongText: Option<String> = Input::LongText, Text, required false, personal false, read opt_text,
        check |_, _, _, _| (), value |v| opt_text(v);
    /// The code of an administrative unit; the store resolves it on the record's date.
    Unit: String = Input::Text, Unit, required true, personal false, read text,
        check |_, _, _, _| (), value |v| Value::Text(v.trim().to_string());
    /// A reference the store resolves (a plan's number, a task's code): must be given.
    Reference: String = Input::Text, Elsewhere, required true, personal false, read text,
        check |c, k, v, _| c.text(k, v), value |v| Value::Text(v.trim().to_string());
    /// A count of people or items that may be left empty (0): not negative, not absurd.
    Count: i64 = Input::Number, Int, required false, personal false, read count,
        check |c, k, v, _| c.count(k, *v), value |v| Value::Int(*v);
    /// A count that must be given.
    Number: i64 = Input::Number, Int, required true, personal false, read int,
        check |c, k, v, _| c.count(k, *v), value |v| Value::Int(*v);
    /// The number of another record (an establishment): must be given; the store checks it exists.
    Id: i64 = Input::Number, Int, required true, personal false, read int,
        check |_, _, _, _| (), value |v| Value::Int(*v);
    /// An amount in đồng that may be left empty (0).
    Money: i64 = Input::Number, Int, required false, personal false, read count,
        check |c, k, v, _| c.money(k, *v), value |v| Value::Int(*v);
    /// An amount in đồng that must be given.
    Amount: i64 = Input::Number, Int, required true, personal false, read int,
        check |c, k, v, _| c.money(k, *v), value |v| Value::Int(*v);
    /// A year from 2000 to this year.
    Year: i32 = Input::Number, Int, required true, personal false, read year,
        check |c, k, v, today| c.year(k, *v, today), value |v| Value::Int(i64::from(*v));
    /// Có / không; empty is không.
    Flag: bool = Input::Flag, Int, required false, personal false, read flag,
        check |_, _, _, _| (), value |v| Value::Int(i64::from(*v));
    /// Có / không that a file must carry as a column (a support case's need, eligibility,
    /// consent); an empty cell is không.
    Answer: bool = Input::Flag, Int, required true, personal false, read flag,
        check |_, _, _, _| (), value |v| Value::Int(i64::from(*v));
    /// Services received, `dd/mm/yyyy loại; …`: kept in their own table.
    Services: Vec<(NaiveDate, Service)> = Input::Services, Elsewhere, required false, personal false, read services,
        check |_, _, _, _| (), value |_| Value::Null;
    /// Personal data on one line (a name, a number): sealed at rest.
    Personal: Option<String> = Input::Text, Elsewhere, required false, personal true, read opt_text,
        check |_, _, _, _| (), value |_| Value::Null;
    /// Personal data in a text area (what a tip reports): sealed at rest.
    PersonalText: Option<String> = Input::LongText, Elsewhere, required false, personal true, read opt_text,
        check |_, _, _, _| (), value |_| Value::Null;
}

/// One word of a closed list (`vocabulary!`), stored as its key.
pub struct Choice<T>(PhantomData<T>);
impl<T: Vocabulary> FieldKind for Choice<T> {
    type Value = T;
    const INPUT: Input = Input::Choice(T::choices);
    const REQUIRED: bool = true;
    const STORED: Stored = Stored::Text;
    fn read(row: &mut Row<'_>, key: &'static str) -> T {
        row.vocab(key, T::FIRST)
    }
    fn value(v: &T) -> Value {
        Value::Text(v.key().to_string())
    }
}

/// Declares every record kind once: the `RecordKind` word with its label, the
/// struct a form, a file row or the API gives, and each field's kind and header.
/// Derived: `RecordKind::columns`, `parse_row`, `NewRecord`, the field checks
/// of `Validate` (a kind's own rules are in `validate.rs`) and the values stored.
macro_rules! record_kinds {
    ($(
        $(#[$smeta:meta])*
        $kind:ident = $text:literal, $vi:literal => $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $fk:ty, $header:literal; )+
        }
    )+) => {
        $crate::vocabulary!(
            /// What a file, a form or an API call holds.
            RecordKind { $( $kind = $text, $vi; )+ }
        );

        $(
            $(#[$smeta])*
            #[derive(Debug, Clone, PartialEq)]
            pub struct $name {
                $( $(#[$fmeta])* pub $field: $ty, )+
            }

            impl $name {
                pub const KIND: RecordKind = RecordKind::$kind;

                /// Each field: its column, header, input and kind, in the order of files and forms.
                pub const COLUMNS: &'static [$crate::records::describe::Column] = &[$(
                    $crate::records::describe::Column {
                        key: stringify!($field),
                        vi: $header,
                        required: <$fk as $crate::records::describe::FieldKind>::REQUIRED,
                        input: <$fk as $crate::records::describe::FieldKind>::INPUT,
                        personal: <$fk as $crate::records::describe::FieldKind>::PERSONAL,
                        stored: <$fk as $crate::records::describe::FieldKind>::STORED,
                    },
                )+];

                /// Reads one row's cells; faults are collected in the row.
                pub fn read(row: &mut $crate::records::form::Row<'_>) -> Self {
                    $name { $( $field: <$fk as $crate::records::describe::FieldKind>::read(row, stringify!($field)), )+ }
                }

                /// Every field with the value it stores, in the order of `COLUMNS`.
                pub fn values(&self) -> Vec<(&'static str, $crate::records::describe::Value)> {
                    vec![$( (stringify!($field), <$fk as $crate::records::describe::FieldKind>::value(&self.$field)), )+]
                }
            }

            impl $crate::records::Validate for $name {
                fn validate(&self, today: chrono::NaiveDate) -> Result<(), $crate::records::RecordErrors> {
                    let mut c = $crate::records::validate::Check::default();
                    $( <$fk as $crate::records::describe::FieldKind>::check(&mut c, stringify!($field), &self.$field, today); )+
                    $crate::records::validate::Rules::rules(self, &mut c, today);
                    c.done()
                }
            }
        )+

        /// Any new record, as read from a form, an import row or the API.
        #[derive(Debug, Clone, PartialEq)]
        pub enum NewRecord { $( $kind($name), )+ }

        impl NewRecord {
            pub fn kind(&self) -> RecordKind {
                match self { $( NewRecord::$kind(_) => RecordKind::$kind, )+ }
            }

            /// Every field with the value it stores.
            pub fn values(&self) -> Vec<(&'static str, $crate::records::describe::Value)> {
                match self { $( NewRecord::$kind(r) => r.values(), )+ }
            }
        }

        impl $crate::records::Validate for NewRecord {
            fn validate(&self, today: chrono::NaiveDate) -> Result<(), $crate::records::RecordErrors> {
                match self { $( NewRecord::$kind(r) => r.validate(today), )+ }
            }
        }

        impl RecordKind {
            /// The fields of this kind, in the order of files and forms.
            pub fn columns(self) -> &'static [$crate::records::describe::Column] {
                match self { $( RecordKind::$kind => $name::COLUMNS, )+ }
            }
        }

        /// Reads one row as a record of `kind`; every fault of the row is returned.
        pub fn parse_row(kind: RecordKind, row: &mut $crate::records::form::Row<'_>) -> Result<NewRecord, Vec<$crate::records::FieldError>> {
            let parsed = match kind { $( RecordKind::$kind => NewRecord::$kind($name::read(row)), )+ };
            if row.errors.is_empty() {
                Ok(parsed)
            } else {
                Err(std::mem::take(&mut row.errors))
            }
        }
    };
}

pub(crate) use record_kinds;

#[cfg(test)]
mod tests {
    use super::super::form::{parse_row, RecordKind, Row};
    use super::super::*;
    use super::*;

    #[test]
    fn what_a_field_is_follows_from_its_kind() {
        let k = RecordKind::Activity;
        let held = &k.columns()[0];
        assert_eq!((held.key, held.required, held.stored), ("held_on", true, Stored::Text));
        assert!(matches!(k.input("held_on"), Input::Date));
        assert!(matches!(k.input("reached_students"), Input::Number));
        assert!(!k.columns().iter().any(|c| c.key == "reached_students" && c.required), "a count may be left empty");
        assert!(matches!(k.input("form"), Input::Choice(_)));
        assert!(RecordKind::Tip.is_personal("content") && matches!(RecordKind::Tip.input("content"), Input::LongText));
        for key in ["full_name", "date_of_birth", "id_number", "address", "phone"] {
            assert!(RecordKind::SupportCase.is_personal(key), "{key}");
        }
        assert!(!RecordKind::SupportCase.is_personal("code"));
        assert!(!RecordKind::Establishment.is_personal("address"), "an establishment's address is not a person's");
    }

    #[test]
    fn every_kind_names_each_field_once_and_its_unit_as_unit_code() {
        for kind in RecordKind::ALL {
            let keys: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
            let mut unique = keys.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), keys.len(), "{kind}: {keys:?}");
            for c in kind.columns().iter().filter(|c| c.stored == Stored::Unit) {
                assert_eq!(c.key, "unit_code", "{kind}");
            }
        }
    }

    #[test]
    fn a_row_is_read_and_checked_by_its_description() {
        let keys = ["held_on", "unit_code", "form", "topic", "organiser", "reached_students"];
        let cells: Vec<String> = ["15/03/2024", "31507", "họp, nói chuyện", "", "", "12 người"].iter().map(|s| s.to_string()).collect();
        let mut row = Row::new(&keys, &cells);
        let faults: Vec<&str> = parse_row(RecordKind::Activity, &mut row).unwrap_err().iter().map(|f| f.field).collect();
        // The topic is required (Text); «12 người» is not a whole number (Count).
        assert_eq!(faults, ["topic", "reached_students"]);

        let cells: Vec<String> = ["15/03/2024", "31507", "meeting", " Tuyên truyền ", "", "-3"].iter().map(|s| s.to_string()).collect();
        let mut row = Row::new(&keys, &cells);
        let NewRecord::Activity(a) = parse_row(RecordKind::Activity, &mut row).unwrap() else { panic!("an activity") };
        // Read, then checked by kind: a negative count is refused by `Validate`.
        let e = a.validate(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field).collect::<Vec<_>>(), ["reached_students"]);
        let values = NewRecord::Activity(a).values();
        assert_eq!(values[0], ("held_on", Value::Text("2024-03-15".into())));
        assert_eq!(values[3], ("topic", Value::Text("Tuyên truyền".into())));
        assert_eq!(values[4], ("organiser", Value::Null));
        assert_eq!(values[5], ("reached_at_risk_workers", Value::Int(0)), "an absent count is 0");
    }

    #[test]
    fn a_support_case_names_the_person_it_identifies() {
        let keys = ["code", "unit_code", "opened_on", "age_band", "sex", "needs_support", "eligible", "consent", "full_name", "phone"];
        let row = |name: &str| -> Vec<String> {
            ["HS-1", "31507", "01/02/2024", "25_34", "female", "có", "có", "có", name, "0912 345 678"].iter().map(|s| s.to_string()).collect()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let cells = row("Nguyễn Thị A");
        let NewRecord::SupportCase(c) = parse_row(RecordKind::SupportCase, &mut Row::new(&keys, &cells)).unwrap() else { panic!("a case") };
        assert!(c.validate(today).is_ok());
        assert_eq!(c.identity().map(|i| (i.full_name, i.phone)), Some(("Nguyễn Thị A".into(), Some("0912 345 678".into()))));
        assert!(
            NewRecord::SupportCase(c).values().iter().all(|(k, v)| !matches!(*k, "full_name" | "phone") || *v == Value::Null),
            "never stored in clear"
        );
        // A phone without a name is refused with its reason, not kept as a nameless identity nor dropped.
        let cells = row("");
        let NewRecord::SupportCase(c) = parse_row(RecordKind::SupportCase, &mut Row::new(&keys, &cells)).unwrap() else { panic!("a case") };
        assert_eq!(c.validate(today).unwrap_err().0.iter().map(|f| f.field).collect::<Vec<_>>(), ["full_name"]);
    }

    #[test]
    fn a_column_the_store_adds_is_shown_by_its_name() {
        assert!(matches!(RecordKind::Tip.input("due_on"), Input::Date));
        assert!(matches!(RecordKind::Tip.input("deadline"), Input::Date));
        assert!(matches!(RecordKind::Tip.input("rule_code"), Input::Text));
    }
}
