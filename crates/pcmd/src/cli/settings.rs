//! `pcmd settings show|set`: a unit's document settings — what its reports say
//! about who issues, sends and signs them. Every change is audited.

use pcmd_domain::report::DocumentSetting;
use pcmd_domain::units::UnitIndex;
use pcmd_store::Store;

#[derive(Debug, clap::Subcommand)]
pub enum SettingsCommand {
    /// Every setting of a unit, set or default.
    Show {
        #[arg(long)]
        unit: String,
    },
    /// Set one setting (an empty VALUE goes back to the default). Keys: issuer_line_1,
    /// issuer_line_2, place, number_symbol, recipient, copies_to (separated by ;),
    /// filed_with, signer_capacity (TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH…), signer_title, signer_name.
    Set {
        #[arg(long)]
        unit: String,
        key: DocumentSetting,
        value: String,
    },
}

fn unit_id(units: &UnitIndex, code: &str) -> anyhow::Result<i64> {
    let today = pcmd_domain::date::today_vn();
    units
        .resolve(code, today)
        .or_else(|| units.resolve(code, pcmd_domain::units::LAST_DAY_BEFORE_REFORM))
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("không có đơn vị hành chính mã «{code}» (no unit «{code}»)"))
}

pub async fn run(store: &Store, cmd: SettingsCommand) -> anyhow::Result<String> {
    let units = store.unit_index().await?;
    match cmd {
        SettingsCommand::Show { unit } => {
            let id = unit_id(&units, &unit)?;
            let set = store.document_settings(id).await?;
            let lines: Vec<String> = DocumentSetting::ALL
                .iter()
                .map(|k| format!("{:<16} {:<40} {}", k.as_str(), k.label_vi(), set.get(k).map_or("(mặc định / default)", String::as_str)))
                .collect();
            Ok(lines.join("\n"))
        }
        SettingsCommand::Set { unit, key, value } => {
            let id = unit_id(&units, &unit)?;
            store.set_document_setting(id, key, &value, "pcmd settings").await?;
            Ok(format!("Đã lưu {} của đơn vị {unit} (saved; audited)", key.label_vi()))
        }
    }
}
