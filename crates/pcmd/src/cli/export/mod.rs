//! `pcmd export`: indicator values for other systems — a DHIS2 server (2.40+).
//!
//! Two commands, one naming (`codes`): `dhis2-metadata` writes the objects the
//! server needs first (`POST /api/metadata`), `dhis2` the values
//! (`POST /api/dataValueSets`). README "DHIS2 export" says how to send them.

mod codes;
mod metadata;
mod period;
mod values;

use super::demo::parse_date;
use chrono::NaiveDate;
use pcmd_domain::units::UnitIndex;
use pcmd_store::Store;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// The figures of every target for the plan's unit and each district and commune inside it, as DHIS2 dataValueSets JSON.
    Dhis2 {
        /// The plan: number (117/NQ-HĐND) or key.
        #[arg(long)]
        plan: String,
        /// A calendar year (2025), half (2025S1 = January–June), quarter (2025Q3 or 2025-Q3) or month (202503 or 2025-03); Decree 09 periods are refused.
        #[arg(long)]
        period: String,
        /// The unit (the plan's own by default).
        #[arg(long)]
        unit: Option<String>,
        /// Count what was recorded up to this day (the period's end once it is over, else today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// The DHIS2 metadata the plan's values need (data elements, indicators, data sets, the plan, organisation units), for POST /api/metadata.
    Dhis2Metadata {
        /// The plan: number (117/NQ-HĐND) or key.
        #[arg(long)]
        plan: String,
        /// The unit (the plan's own by default), as for `export dhis2`.
        #[arg(long)]
        unit: Option<String>,
        /// The UID of the DHIS2 organisation unit to put the provinces under (the country); by default they are roots.
        #[arg(long)]
        parent: Option<String>,
        /// The level of that organisation unit in DHIS2 (1 for the country).
        #[arg(long)]
        parent_level: Option<u32>,
        /// The UID of the DHIS2 user group that may read and post the values (data read and write);
        /// without it the data sets are shared for metadata only (public `r-------`).
        #[arg(long)]
        data_group: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

fn write(text: &str, out: Option<std::path::PathBuf>, what: String) -> anyhow::Result<String> {
    match out {
        Some(path) => {
            std::fs::write(&path, text)?;
            Ok(format!("{}: {what}", path.display()))
        }
        None => Ok(text.to_string()),
    }
}

pub async fn run(store: &Store, units: &UnitIndex, cmd: ExportCommand) -> anyhow::Result<String> {
    match cmd {
        ExportCommand::Dhis2 { plan, period, unit, as_of, out } => {
            let set = values::data_value_set(store, units, &plan, &period, unit.as_deref(), as_of).await?;
            let n = set.data_values.len();
            write(&serde_json::to_string_pretty(&set)?, out, format!("{n} giá trị (values)"))
        }
        ExportCommand::Dhis2Metadata { plan, unit, parent, parent_level, data_group, out } => {
            let m = metadata::metadata(store, units, &plan, unit.as_deref(), parent.as_deref(), parent_level, data_group.as_deref()).await?;
            let n = metadata::count(&m);
            write(&serde_json::to_string_pretty(&m)?, out, format!("{n} đối tượng (objects)"))
        }
    }
}
