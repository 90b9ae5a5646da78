//! Who does what (tổ chức thực hiện) and who reports to whom (chế độ báo cáo)
//! in a plan's text.

use super::outline::{clause, code, item_end, Mark, Para};
use serde::Serialize;

/// A task given to an agency (its lead) with the agencies it works with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftTask {
    pub code: String,
    pub clause: String,
    /// The agency as printed ("Sở Lao động - Thương binh và Xã hội").
    pub title: String,
    pub text: String,
    /// The agency's code when the province's list knows the name.
    pub lead_agency: Option<String>,
    pub lead_agency_name: String,
    pub co_agencies: Vec<String>,
    pub co_agency_names: Vec<String>,
    pub line: usize,
}

/// How often a report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    SixMonthly,
    Yearly,
    Ad,
}

impl Frequency {
    pub const ALL: [Frequency; 5] = [Frequency::Monthly, Frequency::Quarterly, Frequency::SixMonthly, Frequency::Yearly, Frequency::Ad];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::SixMonthly => "six_monthly",
            Frequency::Yearly => "yearly",
            Frequency::Ad => "ad",
        }
    }

    pub fn parse(s: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// A reporting duty: "Định kỳ 06 tháng, 01 năm báo cáo UBND tỉnh (qua Sở Lao
/// động - Thương binh và Xã hội để tổng hợp)".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftDuty {
    pub frequencies: Vec<Frequency>,
    /// Who reports: the agency of the task the sentence is in, or "" for every body the plan names.
    pub reporter: String,
    pub recipient: String,
    pub through: Option<String>,
    /// The code of the agency it goes through, when the province's list knows the name.
    pub through_agency: Option<String>,
    /// A due day as printed ("trước ngày 15/6"), if any.
    pub due: Option<String>,
    pub sentence: String,
    pub line: usize,
}

/// A known agency: code and name (and a short name), to recognise it in the text.
#[derive(Debug, Clone)]
pub struct KnownAgency {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
}

/// Old and new placement of tone marks written alike ("uỷ" and "ủy"), small letters.
fn fold(s: &str) -> String {
    const PAIRS: [(&str, &str); 12] = [
        ("uỷ", "ủy"),
        ("uý", "úy"),
        ("uỳ", "ùy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("oè", "òe"),
        ("oé", "óe"),
    ];
    let mut l = s.to_lowercase();
    for (old, new) in PAIRS {
        l = l.replace(old, new);
    }
    l
}

/// The ways a text names an agency: its full name, its name without the
/// province ("Sở Y tế tỉnh Lai Châu" → "Sở Y tế", "Công an tỉnh"), its short name.
fn names_of(a: &KnownAgency) -> Vec<String> {
    let full = fold(&a.name);
    let mut out = vec![full.clone()];
    if let Some(at) = full.find(" tỉnh ") {
        out.push(full[..at].to_string());
        out.push(full[..at + " tỉnh".len()].to_string());
    }
    // "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" is also "Mặt trận Tổ quốc tỉnh".
    let shorter: Vec<String> =
        out.iter().filter_map(|n| n.strip_prefix("ủy ban mặt trận")).map(|rest| format!("mặt trận{}", rest.replace(" việt nam", ""))).collect();
    out.extend(shorter);
    out.extend(a.short_name.iter().map(|s| fold(s)).filter(|s| s.chars().count() > 4));
    out.retain(|n| n.chars().count() > 4);
    out
}

/// The agency a task names first.
fn find_agency<'a>(known: &'a [KnownAgency], name: &str) -> Option<&'a KnownAgency> {
    let n = fold(name);
    known
        .iter()
        .filter_map(|a| {
            let best = names_of(a).into_iter().filter_map(|v| n.find(&v).map(|at| (at, std::cmp::Reverse(v.len())))).min();
            best.or_else(|| fold(&a.name).contains(&n).then_some((0, std::cmp::Reverse(n.len())))).map(|k| (k, a))
        })
        .min_by_key(|(k, _)| *k)
        .map(|(_, a)| a)
}

/// The agencies named after "phối hợp với" in a task's text: those the list
/// knows, in the order they appear.
fn co_agencies<'a>(known: &'a [KnownAgency], text: &str, lead: Option<&str>) -> Vec<&'a KnownAgency> {
    let lower = fold(text);
    let mut found: Vec<(usize, &KnownAgency)> = Vec::new();
    for (at, _) in lower.match_indices("phối hợp với") {
        let span = lower.get(at..).unwrap_or("");
        let span = span.get(..span.find(['.', ';', '\n']).unwrap_or(span.len())).unwrap_or(span);
        for a in known {
            if Some(a.code.as_str()) == lead || found.iter().any(|(_, f)| f.code == a.code) {
                continue;
            }
            if let Some(p) = names_of(a).iter().filter_map(|n| span.find(n.as_str())).min() {
                found.push((at + p, a));
            }
        }
    }
    found.sort_by_key(|(p, a)| (*p, std::cmp::Reverse(a.name.len())));
    found.into_iter().map(|(_, a)| a).collect()
}

/// The tasks of the implementation section ("Tổ chức thực hiện"), one per
/// numbered item naming an agency; in a resolution, each "Giao …" item.
pub fn tasks(paras: &[Para], known: &[KnownAgency]) -> Vec<DraftTask> {
    let Some(start) =
        paras.iter().position(|p| p.mark != Mark::None && p.body.to_lowercase().starts_with("tổ chức thực hiện") && p.body.chars().count() < 60)
    else {
        return given(paras, known);
    };
    let end = item_end(paras, start);
    let base = paras.get(start).map_or(0, Para::depth);
    let mut out = Vec::new();
    let mut at = start + 1;
    while at < end {
        let Some(p) = paras.get(at) else { break };
        let item_stop = item_end(paras, at).min(end);
        if p.mark == Mark::None || p.path.len() != base + 1 {
            at += 1;
            continue;
        }
        let (name, first) = match p.body.split_once(':') {
            Some((n, rest)) if n.chars().count() < 100 => (n.trim().to_string(), rest.trim().to_string()),
            _ => (p.body.trim().trim_end_matches('.').to_string(), String::new()),
        };
        let mut text: Vec<String> = Vec::new();
        if !first.is_empty() {
            text.push(first);
        }
        // The closing paragraph and the signature are not the last body's task.
        text.extend(paras.get(at + 1..item_stop).unwrap_or(&[]).iter().take_while(|q| !closing(q)).map(|q| q.text.clone()));
        let text = text.join("\n");
        let mut t = task(p, base, name, text, known);
        if let Some(Mark::Roman(r)) = paras.get(start).map(|h| &h.mark) {
            t.code = format!("{r}.{}", t.code);
        }
        out.push(t);
        at = item_stop;
    }
    out
}

fn task(p: &Para, base: usize, name: String, text: String, known: &[KnownAgency]) -> DraftTask {
    let lead_name = name.strip_prefix("Đề nghị ").unwrap_or(&name).to_string();
    let lead = find_agency(known, &lead_name);
    // Bodies named in the title after the first ("Viện Kiểm sát …, Tòa án …") work with it.
    let title = fold(&lead_name);
    let mut co: Vec<&KnownAgency> = known
        .iter()
        .filter(|a| {
            let lead_full = lead.map(|l| fold(&l.name)).unwrap_or_default();
            Some(a.code.as_str()) != lead.map(|l| l.code.as_str())
                && names_of(a).iter().any(|n| title.contains(n.as_str()) && !lead_full.contains(n.as_str()))
        })
        .collect();
    for a in co_agencies(known, &text, lead.map(|a| a.code.as_str())) {
        if !co.iter().any(|c| c.code == a.code) {
            co.push(a);
        }
    }
    DraftTask {
        code: code(p.path.get(base..).unwrap_or(&[])),
        clause: clause(&p.path),
        title: name,
        text,
        lead_agency: lead.map(|a| a.code.clone()),
        lead_agency_name: lead_name,
        co_agencies: co.iter().map(|a| a.code.clone()).collect(),
        co_agency_names: co.iter().map(|a| a.name.clone()).collect(),
        line: p.line,
    }
}

/// A resolution's "Giao Ủy ban nhân dân tỉnh … tổ chức triển khai" items.
fn given(paras: &[Para], known: &[KnownAgency]) -> Vec<DraftTask> {
    let mut out = Vec::new();
    for p in paras {
        let Some(rest) = p.body.strip_prefix("Giao ") else { continue };
        let stop = [" tổ chức", " triển khai", " thực hiện", " chỉ đạo", " chủ trì"].iter().filter_map(|w| rest.find(w)).min().unwrap_or(rest.len());
        let name = rest.get(..stop).unwrap_or(rest).trim().to_string();
        let mut t = task(p, p.path.len().saturating_sub(1), name, p.body.clone(), known);
        // "Điều 2, khoản 1" is task "2.1", as the plan files number them.
        if let Some(n) = p.path.iter().find_map(|st| if let Mark::Article(n) = st.mark { Some(n) } else { None }) {
            t.code = format!("{n}.{}", t.code);
        }
        out.push(t);
    }
    out
}

const FREQUENCIES: [(&str, Frequency); 9] = [
    ("06 tháng", Frequency::SixMonthly),
    ("6 tháng", Frequency::SixMonthly),
    ("sáu tháng", Frequency::SixMonthly),
    ("hằng quý", Frequency::Quarterly),
    ("hàng quý", Frequency::Quarterly),
    ("hằng tháng", Frequency::Monthly),
    ("hàng tháng", Frequency::Monthly),
    ("hằng năm", Frequency::Yearly),
    ("hàng năm", Frequency::Yearly),
];

/// Every sentence that sets a report's rhythm.
pub fn duties(paras: &[Para], tasks: &[DraftTask]) -> Vec<DraftDuty> {
    let mut out = Vec::new();
    for p in paras {
        for sentence in p.body.split(". ").map(str::trim) {
            let lower = sentence.to_lowercase();
            if !lower.contains("báo cáo") || !(lower.contains("định kỳ") || FREQUENCIES.iter().any(|(w, _)| lower.contains(w))) {
                continue;
            }
            let mut frequencies: Vec<Frequency> = Vec::new();
            for (w, f) in FREQUENCIES {
                if lower.contains(w) && !frequencies.contains(&f) {
                    frequencies.push(f);
                }
            }
            if ["01 năm", "1 năm", "một năm", "tháng, năm", "tháng và năm", "tháng, hằng năm"].iter().any(|w| lower.contains(w))
                && !frequencies.contains(&Frequency::Yearly)
            {
                frequencies.push(Frequency::Yearly);
            }
            if frequencies.is_empty() {
                frequencies.push(Frequency::Ad);
            }
            let recipient = recipient(sentence).unwrap_or_default();
            let through = after_word(sentence, "(qua ", &[" để", ")", ","]).or_else(|| after_word(sentence, " qua ", &[" để", ")", ","]));
            let due = lower.find("trước ngày").map(|at| {
                let tail = sentence.get(at..).unwrap_or("");
                tail.get(..tail.find([',', ';', ')']).unwrap_or(tail.len())).unwrap_or(tail).trim().to_string()
            });
            // The task whose item holds the sentence; a closing paragraph to every body is no one's.
            let closing = closing(p) || (p.mark == Mark::None && p.text.to_lowercase().contains("các sở, ban, ngành"));
            let owner_lines: Vec<usize> = p.path.iter().filter_map(|st| paras.get(st.para)).map(|q| q.line).collect();
            let reporter = if closing {
                String::new()
            } else {
                tasks.iter().find(|t| owner_lines.contains(&t.line)).map(|t| t.lead_agency_name.clone()).unwrap_or_default()
            };
            let through_agency = through.as_deref().and_then(|name| {
                let want = fold(name);
                tasks
                    .iter()
                    .filter(|t| !t.lead_agency_name.is_empty())
                    .find(|t| want.starts_with(&fold(&t.lead_agency_name)))
                    .and_then(|t| t.lead_agency.clone())
            });
            out.push(DraftDuty { frequencies, reporter, recipient, through, through_agency, due, sentence: sentence.to_string(), line: p.line });
        }
    }
    out
}

/// A paragraph that closes the text: "Căn cứ nội dung Kế hoạch này …", "Trên đây …", "Nơi nhận", the signature.
fn closing(p: &Para) -> bool {
    let l = p.text.trim_start_matches('*').to_lowercase();
    p.mark == Mark::None && ["căn cứ nội dung", "trên đây", "nơi nhận", "tm. ", "kt. "].iter().any(|w| l.starts_with(w))
}

/// The body a report goes to: the first "báo cáo" followed by one ("báo cáo UBND tỉnh").
fn recipient(sentence: &str) -> Option<String> {
    const BODIES: [&str; 9] = ["UBND", "Ủy ban", "Uỷ ban", "Bộ ", "Sở ", "Ban ", "Thường trực", "Hội đồng", "Chủ tịch"];
    let lower = sentence.to_lowercase();
    for (at, _) in lower.match_indices("báo cáo ") {
        let tail = sentence.get(at + "báo cáo ".len()..)?;
        if BODIES.iter().any(|b| tail.starts_with(b)) {
            let stop = [" (", " qua ", ";", " để", " trước", " theo", "."].iter().filter_map(|w| tail.find(w)).min().unwrap_or(tail.len());
            return Some(tail.get(..stop)?.trim().trim_end_matches(',').to_string());
        }
    }
    None
}

fn after_word(s: &str, word: &str, stops: &[&str]) -> Option<String> {
    let lower = s.to_lowercase();
    let at = lower.find(&word.to_lowercase())? + word.len();
    let tail = s.get(at..)?;
    let stop = stops.iter().filter_map(|w| tail.find(w)).min().unwrap_or(tail.len());
    let v = tail.get(..stop)?.trim().trim_end_matches('.').to_string();
    (!v.is_empty()).then_some(v)
}
