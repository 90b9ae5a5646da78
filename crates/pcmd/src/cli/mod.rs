//! The command line: one subcommand a module.

mod assessment;
mod audit;
mod backup;
mod bench;
mod demo;
mod draft;
mod export;
mod output;
mod plans;
mod privacy;
mod records;
mod remind;
mod report;
mod settings;
mod targets;
mod units;
mod web;

use clap::{Parser, Subcommand};
use pcmd_store::Store;
use std::process::ExitCode;

pub use output::Format;

/// pcmd — hệ thống thông tin phòng, chống mại dâm (the information system of a
/// province's anti-prostitution programme).
#[derive(Debug, Parser)]
#[command(name = "pcmd", version, about)]
pub struct Cli {
    /// Database: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "PCMD_DATABASE_URL", default_value = "sqlite://pcmd.db")]
    pub database: String,
    /// The key that seals personal data, kept outside the database (created by `pcmd demo` if missing).
    #[arg(long, global = true, env = "PCMD_KEY_FILE", default_value = "pcmd.key")]
    pub key_file: std::path::PathBuf,
    /// The erasure register, where every erasure of personal data is written before it is
    /// made (beside the key file by default: `pcmd.key` → `pcmd.erasures`). Nodes serving one
    /// database keep one register on shared storage.
    #[arg(long, global = true, env = "PCMD_ERASURE_REGISTER")]
    pub erasure_register: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or update the database schema.
    Migrate,
    /// Serve the web application.
    Serve(web::ServeArgs),
    /// Accounts.
    #[command(subcommand)]
    User(web::UserCommand),
    /// Personal access tokens for the JSON API.
    #[command(subcommand)]
    Token(web::TokenCommand),
    /// Migrate, then load the unit lists, agencies and the two seed plans (idempotent).
    Demo(demo::DemoArgs),
    /// Administrative units before and after the 2025 reform.
    #[command(subcommand)]
    Units(units::UnitsCommand),
    /// Agencies and who leads the programme.
    #[command(subcommand)]
    Agencies(units::AgenciesCommand),
    /// Plans, their targets, tasks and budget.
    #[command(subcommand)]
    Plans(plans::PlansCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Benchmarks: print measured figures.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Write the import template of a record kind (XLSX or CSV).
    Template(records::TemplateArgs),
    /// Import records from a CSV or XLSX file: all rows or none.
    Import(records::ImportArgs),
    /// Back up every table into one file (JSON lines), read in one consistent snapshot.
    Backup { file: std::path::PathBuf },
    /// Restore a backup into an empty database of the same backend, all or nothing; then
    /// erase again what the erasure register beside the key file says was erased.
    Restore {
        file: std::path::PathBuf,
        /// Restore although no erasure register is beside the key file (none was ever
        /// kept, or it is lost): personal data erased after the backup may come back.
        #[arg(long)]
        without_erasure_register: bool,
    },
    /// A unit's periodic report for a plan as DOCX, XLSX or CSV.
    Report(report::ReportArgs),
    /// A unit's document settings: issuing body, place, recipients, signer (audited).
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// E-mail each account with an address what needs it today (once a day).
    Remind(remind::MailArgs),
    /// Personal data (Law 91/2025/QH15): retention sweep, what is due, a person's export.
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// Export indicator values for other systems (DHIS2).
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Targets evaluated from the records: value, threshold, status.
    #[command(subcommand)]
    Targets(targets::TargetsCommand),
}

/// Runs the command line and turns any error into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Log lines (the web server's, each with its request id) go to stderr;
    // PCMD_LOG sets the filter, e.g. PCMD_LOG=debug or PCMD_LOG=pcmd_web=warn.
    let filter = tracing_subscriber::EnvFilter::try_from_env("PCMD_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("pcmd_web=info,warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lỗi: không khởi động được (cannot start): {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(text) => {
            if !text.is_empty() {
                // A reader that stops early (`| head`) is no error of ours.
                use std::io::Write;
                let _ = writeln!(std::io::stdout().lock(), "{text}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lỗi (error): {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command and returns what it prints.
pub async fn run(cli: Cli) -> anyhow::Result<String> {
    if let Command::Template(args) = cli.command {
        return records::template(args);
    }
    // Every anonymisation is written beside the key before it commits, and
    // re-applied by a restore and each sweep (store/src/erasures.rs).
    let register = cli.erasure_register.clone().unwrap_or_else(|| pcmd_store::erasures::register_beside(&cli.key_file));
    let mut store = Store::connect(&cli.database).await?.with_erasure_register(register);
    // With the key file at hand, every audit entry this command writes is anchored under it.
    if cli.key_file.exists() {
        store = store.with_audit_key(pcmd_store::Sealer::from_file(&cli.key_file)?.audit_key());
    }
    let out = match cli.command {
        Command::Migrate => {
            store.migrate().await?;
            // The legal time limits are law, not demo data: every database holds them.
            let mut tx = store.begin().await?;
            pcmd_store::records::save_deadline_rules(&mut tx, &crate::embedded::deadline_rules()?).await?;
            tx.commit().await?;
            format!("Cơ sở dữ liệu đã cập nhật ({}). Database schema up to date.", store.backend().name())
        }
        Command::Demo(args) => demo::run(&store, args, &cli.key_file).await?,
        Command::Units(c) => units::run(&store, c).await?,
        Command::Agencies(c) => units::run_agencies(&store, c).await?,
        Command::Plans(c) => plans::run(&store, c).await?,
        Command::Targets(c) => targets::run(&store, c).await?,
        Command::Backup { file } => backup::backup(&store, &file).await?,
        Command::Restore { file, without_erasure_register } => backup::restore(&store, &file, without_erasure_register).await?,
        Command::Report(a) => report::run(&store, &store.unit_index().await?, a).await?,
        Command::Settings(c) => settings::run(&store, c).await?,
        Command::Privacy(c) => privacy::run(&store, c, &cli.key_file, cli.erasure_register.is_some()).await?,
        Command::Remind(args) => remind::run(store.clone(), args).await?,
        Command::Export(c) => export::run(&store, &store.unit_index().await?, c).await?,
        Command::Import(args) => records::import(&store, args, &cli.key_file).await?,
        Command::Bench(c) => bench::run(&store, c).await?,
        Command::Audit(c) => audit::run(&store, c, &cli.key_file).await?,
        Command::User(c) => web::user(&store, c, &cli.key_file).await?,
        Command::Token(c) => web::token(&store, c).await?,
        Command::Serve(args) => return web::serve(store, args, &cli.key_file).await,
        Command::Template(_) => String::new(),
    };
    store.close().await;
    Ok(out)
}
