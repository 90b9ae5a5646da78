//! How a record's fields are labelled, entered and shown: one description for
//! every kind, from the same column list the import templates use.

use crate::i18n::{Lang, Tr};
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::money::{format_decimal_vn, format_vnd};
use pcmd_domain::records::form::{Input, RecordKind};
use pcmd_domain::units::UnitIndex;
use pcmd_store::records::read::RecordItem;
use std::collections::HashMap;

/// A field's label: the kind's own Vietnamese header, or the translation.
pub fn label(kind: RecordKind, key: &str, lang: Lang) -> String {
    let own = kind.columns().iter().find(|c| c.key == key).map(|c| strip_hint(c.vi));
    match (lang, own) {
        (Lang::Vi, Some(vi)) => vi,
        _ => Tr { lang }.get(&format!("f_{key}")).to_string(),
    }
}

/// "Hình thức (meeting, …)" → "Hình thức": the hints are for import files.
fn strip_hint(s: &str) -> String {
    match s.find(" (") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// One field of a form, ready to render.
pub struct Field {
    pub key: &'static str,
    pub label: String,
    /// text, long, date, number, flag, choice, services.
    pub input: &'static str,
    pub value: String,
    pub required: bool,
    pub personal: bool,
    pub error: Option<String>,
    /// Value, label, selected.
    pub choices: Vec<(String, String, bool)>,
    /// A list of suggestions (units).
    pub list: Option<&'static str>,
}

fn input_name(i: Input) -> &'static str {
    match i {
        Input::Text => "text",
        Input::LongText => "long",
        Input::Date => "date",
        Input::Number => "number",
        Input::Flag => "flag",
        Input::Choice(_) => "choice",
        Input::Services => "services",
    }
}

/// The fields of a form for `kind`, filled with `values` and their errors.
pub fn form_fields(
    kind: RecordKind,
    lang: Lang,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    personal: bool,
    editing: bool,
    establishments: &[(String, String)],
) -> Vec<Field> {
    let mut out = Vec::new();
    for c in kind.columns() {
        let is_personal = kind.is_personal(c.key);
        if is_personal && !personal {
            continue;
        }
        // Services are added to a case one by one, not rewritten by an edit.
        if editing && c.key == "services" {
            continue;
        }
        let value = values.get(c.key).cloned().unwrap_or_default();
        let input = kind.input(c.key);
        let mut choices: Vec<(String, String, bool)> = match input {
            Input::Choice(f) => f()
                .into_iter()
                .map(|(v, l)| (v.to_string(), if lang == Lang::Vi { l.to_string() } else { v.replace('_', " ") }, v == value))
                .collect(),
            _ => Vec::new(),
        };
        let mut input_name = input_name(input);
        if c.key == "establishment_id" && !establishments.is_empty() {
            choices = establishments.iter().map(|(id, name)| (id.clone(), name.clone(), *id == value)).collect();
            input_name = "choice";
        }
        out.push(Field {
            key: c.key,
            label: label(kind, c.key, lang),
            input: input_name,
            value,
            required: c.required,
            personal: is_personal,
            error: errors.get(c.key).cloned(),
            choices,
            list: (c.key == "unit_code").then_some("units"),
        });
    }
    out
}

fn iso_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// A stored value as a person reads it: dates dd/mm/yyyy, numbers with dot
/// separators, money in đồng, yes/no, the Vietnamese word of a code, the unit's name.
pub fn shown(kind: RecordKind, key: &str, raw: Option<&str>, units: &UnitIndex, lang: Lang) -> String {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else { return String::new() };
    let t = Tr { lang };
    if key == "unit_id" {
        return raw.parse::<i64>().ok().and_then(|id| units.get(id)).map_or_else(|| raw.to_string(), |u| format!("{} ({})", u.name, u.code));
    }
    if key == "deadline" {
        return iso_date(raw).map_or_else(|| raw.to_string(), format_vn);
    }
    match kind.input(key) {
        Input::Date => iso_date(raw).map_or_else(|| raw.to_string(), format_vn),
        Input::Flag => t.get(if raw == "1" { "yes" } else { "no" }).to_string(),
        Input::Choice(f) => match lang {
            Lang::Vi => f().into_iter().find(|(v, _)| *v == raw).map_or_else(|| raw.to_string(), |(_, l)| l.to_string()),
            Lang::En => raw.replace('_', " "),
        },
        Input::Number if key == "year" || key == "establishment_id" => raw.to_string(),
        Input::Number if key == "fines_vnd" || key == "spent" => {
            raw.parse::<i64>().map_or_else(|_| raw.to_string(), |n| format!("{} đồng", format_vnd(n)))
        }
        Input::Number => raw.parse::<f64>().map_or_else(|_| raw.to_string(), format_decimal_vn),
        _ => raw.to_string(),
    }
}

/// A stored record as the values of its edit form.
pub fn form_values(kind: RecordKind, item: &RecordItem, units: &UnitIndex) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for c in kind.columns() {
        let raw = if c.key == "unit_code" { units.get(item.unit_id).map(|u| u.code.clone()) } else { item.get(c.key).map(str::to_string) };
        let Some(raw) = raw else { continue };
        let v = match kind.input(c.key) {
            Input::Date => iso_date(&raw).map_or(raw, format_vn),
            _ => raw,
        };
        out.insert(c.key.to_string(), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_a_vietnamese_officer_writes_them() {
        let units = UnitIndex::default();
        let k = RecordKind::Inspection;
        assert_eq!(shown(k, "inspected_on", Some("2025-03-07"), &units, Lang::Vi), "07/03/2025");
        assert_eq!(shown(k, "fines_vnd", Some("1107680000"), &units, Lang::Vi), "1.107.680.000 đồng");
        assert_eq!(shown(k, "violations", Some("1234"), &units, Lang::Vi), "1.234");
        assert_eq!(shown(k, "team_level", Some("district"), &units, Lang::Vi), "cấp huyện");
        assert_eq!(shown(RecordKind::Tip, "is_complex", Some("1"), &units, Lang::Vi), "có");
        assert_eq!(shown(RecordKind::Tip, "is_complex", Some("0"), &units, Lang::En), "no");
        assert_eq!(label(RecordKind::Activity, "form", Lang::Vi), "Hình thức");
        assert_eq!(label(RecordKind::Activity, "form", Lang::En), "Form");
    }

    /// A field added to a kind's description (`kinds.rs`) appears on its form, in its
    /// template and in the API at once; its English label is the one thing to add.
    #[test]
    fn every_described_field_has_its_label_in_both_languages() {
        let en = Tr { lang: Lang::En };
        let mut missing = Vec::new();
        for kind in RecordKind::ALL {
            for c in kind.columns() {
                if en.get(&format!("f_{}", c.key)) == "?" {
                    missing.push(format!("{kind}.{}", c.key));
                }
            }
        }
        assert!(missing.is_empty(), "no English label (f_KEY in i18n/en.toml) for {missing:?}");
    }
}
