//! `pcmd serve` and `pcmd user add`.

use pcmd_domain::roles::Role;
use pcmd_domain::units::UnitIndex;
use pcmd_store::{NewUser, Store};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Mark the session cookie Secure (when served behind HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Load the demo data first (as `pcmd demo`), then serve.
    #[arg(long)]
    pub demo: bool,
    /// Seconds a client has to send a request's head before its connection is closed.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout: u64,
    /// Connections open at once; more are closed at once.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections: u64,
    /// Connections open at once from one address (raise it behind a reverse proxy).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections_per_client: u64,
    /// E-mail reminders every hour (once a day for each account) when a mail server is given.
    #[command(flatten)]
    pub mail: super::remind::MailArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account; its password is generated and printed once.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: Role,
        /// The home unit's code (valid today, or the latest unit with that code).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Turn on two-factor sign-in (TOTP) for an account; prints the secret once.
    Totp {
        #[arg(long)]
        username: String,
    },
    /// Disable an account at once: its sessions and API tokens stop working (audited).
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Set the address an account's daily reminders go to; without --address, clear it (audited).
    Email {
        #[arg(long)]
        username: String,
        #[arg(long)]
        address: Option<String>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a personal access token for the JSON API; it is printed once.
    Create {
        #[arg(long)]
        username: String,
        /// What the token is for (another system's name).
        #[arg(long, default_value = "api")]
        name: String,
        /// How many days the token is valid: 1 to 3650.
        #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
    },
}

pub async fn token(store: &Store, cmd: TokenCommand) -> anyhow::Result<String> {
    match cmd {
        TokenCommand::Create { username, name, days } => {
            let user = store
                .user_by_username(&username)
                .await?
                .ok_or_else(|| anyhow::anyhow!("không có tài khoản «{username}» (no account «{username}»)"))?;
            let token = pcmd_web::auth::random_token()?;
            let hash: String = {
                use sha2::Digest;
                sha2::Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
            };
            let now = chrono::Utc::now();
            let expires = (now + chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
            store.create_api_token(&hash, user.id, &name, &now.format("%Y-%m-%dT%H:%M:%SZ").to_string(), &expires).await?;
            Ok(format!("Mã truy cập cho {username} ({name}), chỉ hiện một lần / shown once:\n{token}"))
        }
    }
}

pub async fn serve(store: Store, args: ServeArgs, key_file: &std::path::Path) -> anyhow::Result<String> {
    store.migrate().await?;
    if args.demo {
        eprintln!("{}", super::demo::run(&store, super::demo::DemoArgs::default(), key_file).await?);
    }
    // Personal data cannot be served without its key: say so at start, not at the first request.
    let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(key_file)?);
    let store = store.with_audit_key(sealer.audit_key());
    if let Some(path) = store.erasure_register().filter(|p| !p.exists()) {
        tracing::warn!(
            "chưa có sổ ghi xóa dữ liệu {} (no erasure register yet): it starts with the first erasure; if this installation has erased personal data before, put its register there",
            path.display()
        );
    }
    daily_privacy_sweep(store.clone(), super::privacy::rules()?);
    let state = pcmd_web::AppState::new(store, args.secure_cookies).await?.with_sealer(sealer).with_privacy(super::privacy::rules()?);
    super::remind::hourly(state.clone(), args.mail.clone())?;
    follow_unit_lists(state.clone());
    eprintln!("pcmd: http://{} (Ctrl-C để dừng / to stop)", args.addr);
    let limits = pcmd_web::Limits {
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        per_client: usize::try_from(args.max_connections_per_client).unwrap_or(usize::MAX),
        ..pcmd_web::Limits::default()
    };
    pcmd_web::serve(state, &args.addr, limits).await?;
    eprintln!("pcmd: đã dừng (stopped)");
    Ok(String::new())
}

/// How often a server asks whether the unit lists changed elsewhere (one row read).
const UNIT_LISTS_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// Every two seconds: the unit lists read again when another node or process has
/// changed them, so that every node's figures and scopes follow a unit change
/// within seconds, without a restart.
fn follow_unit_lists(state: pcmd_web::AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(UNIT_LISTS_POLL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // A database that cannot be reached is said once, not every two seconds, and again when it answers.
        let mut failing = false;
        loop {
            every.tick().await;
            match state.follow_unit_lists().await {
                Ok(read) => {
                    if read {
                        tracing::info!("unit lists changed elsewhere: read again");
                    }
                    if std::mem::take(&mut failing) {
                        tracing::info!("unit lists generation read again");
                    }
                }
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!("unit lists generation not read: {e}");
                }
                Err(_) => {}
            }
        }
    });
}

/// Once a day (from start): anonymise what is past its retention, and warn,
/// in the log, of what will go within the warning days.
fn daily_privacy_sweep(store: Store, rules: pcmd_domain::policy::privacy::ProcessingFile) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
        loop {
            every.tick().await;
            let today = pcmd_domain::date::today_vn();
            match store.privacy_sweep(&rules, today, "pcmd serve", false).await {
                Ok(s) => tracing::info!(
                    support_cases = s.support_cases.len(),
                    tips = s.tips.len(),
                    erased_again = s.reapplied,
                    damaged_register_lines = s.damaged.len(),
                    "privacy sweep: anonymised"
                ),
                Err(e) => tracing::error!("privacy sweep failed: {e}"),
            }
            match super::privacy::due_text(&store, &rules, today, rules.warn_days).await {
                Ok(text) => tracing::warn!("{text}"),
                Err(e) => tracing::error!("privacy due list failed: {e}"),
            }
        }
    });
}

/// Creates a user with a generated password; returns the password.
pub async fn add_user(
    store: &Store,
    units: &UnitIndex,
    username: &str,
    role: Role,
    unit: &str,
    agency: Option<&str>,
    name: Option<&str>,
) -> anyhow::Result<String> {
    let today = pcmd_domain::date::today_vn();
    let unit = units
        .resolve(unit, today)
        .or_else(|| units.resolve(unit, pcmd_domain::units::LAST_DAY_BEFORE_REFORM))
        .ok_or_else(|| anyhow::anyhow!("không có đơn vị hành chính mã «{unit}» (no unit «{unit}»)"))?;
    let agency_id = match agency {
        Some(code) => Some(store.agency_id(code).await?),
        None => None,
    };
    let password = pcmd_web::auth::random_token()?.chars().take(16).collect::<String>();
    let hash = pcmd_web::auth::hash_password(&password).map_err(|e| anyhow::anyhow!(e))?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    store
        .create_user(&NewUser {
            username,
            display_name: name.unwrap_or(username),
            role,
            unit_id: unit.id,
            agency_id,
            password_hash: &hash,
            created_at: &now,
        })
        .await?;
    Ok(password)
}

/// Enrols an account in TOTP: a new secret, sealed under the key; returns the otpauth address.
pub async fn enrol_totp(store: &Store, sealer: &pcmd_store::Sealer, username: &str) -> anyhow::Result<String> {
    let user = store.user_by_username(username).await?.ok_or_else(|| anyhow::anyhow!("không có tài khoản «{username}» (no account «{username}»)"))?;
    let secret = pcmd_web::auth::totp::new_secret()?;
    let sealed = sealer.seal("app_user.totp_secret", &secret)?;
    let hex: String = sealed.iter().map(|b| format!("{b:02x}")).collect();
    store.set_totp_secret(user.id, &hex).await?;
    Ok(pcmd_web::auth::totp::otpauth_uri(username, &secret))
}

pub async fn user(store: &Store, cmd: UserCommand, key_file: &std::path::Path) -> anyhow::Result<String> {
    match cmd {
        UserCommand::Add { username, role, unit, agency, name } => {
            let units = store.unit_index().await?;
            let password = add_user(store, &units, &username, role, &unit, agency.as_deref(), name.as_deref()).await?;
            let mut out = format!("Đã tạo tài khoản {username} ({}). Mật khẩu (chỉ hiện một lần / shown once): {password}", role.label_vi());
            if role == Role::Caseworker {
                let sealer = pcmd_store::Sealer::from_file(key_file)?;
                let uri = enrol_totp(store, &sealer, &username).await?;
                out.push_str(&format!("\nXác thực hai lớp (bắt buộc / required), nhập vào ứng dụng xác thực: {uri}"));
            }
            Ok(out)
        }
        UserCommand::Totp { username } => {
            let sealer = pcmd_store::Sealer::from_file(key_file)?;
            let uri = enrol_totp(store, &sealer, &username).await?;
            Ok(format!("Nhập vào ứng dụng xác thực (add to an authenticator app), chỉ hiện một lần / shown once:\n{uri}"))
        }
        UserCommand::Email { username, address } => {
            store.set_user_email(&username, address.as_deref(), "pcmd user email").await?;
            Ok(match address {
                Some(a) => format!("Nhắc việc của {username} gửi đến {a} (reminders go to {a})"),
                None => format!("Đã bỏ địa chỉ thư của {username} (address cleared)"),
            })
        }
        UserCommand::Disable { username } => {
            store.disable_user(&username, "pcmd user disable").await?;
            Ok(format!("Đã khóa tài khoản {username}: phiên và mã truy cập hết hiệu lực (account disabled; sessions and tokens stop)"))
        }
    }
}

/// The demo's accounts, one per role, created once; their passwords are printed then and never again.
pub async fn demo_accounts(store: &Store, sealer: &pcmd_store::Sealer) -> anyhow::Result<Option<String>> {
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let accounts = [
        ("quantri", Role::Admin, "94", None, "Quản trị hệ thống"),
        ("dieuphoi", Role::Coordinator, "94", None, "Cán bộ điều phối Sở Y tế"),
        ("canbo.tpst", Role::Officer, "941", None, "Cán bộ TP. Sóc Trăng"),
        ("kiemtra.tpst", Role::Inspector, "941", None, "Đội kiểm tra 178 TP. Sóc Trăng"),
        ("congan", Role::Investigator, "94", None, "Điều tra viên Công an tỉnh"),
        ("ctxh.tpst", Role::Caseworker, "941", None, "Nhân viên công tác xã hội"),
        ("giamsat", Role::Supervisor, "94", None, "Đại biểu HĐND tỉnh"),
        // Lai Châu: the lead agency that compiles the reports, and a department that reports on its tasks.
        ("dieuphoi.lc", Role::Coordinator, "12", Some("lc-sldtbxh"), "Cán bộ điều phối Sở LĐTBXH Lai Châu"),
        ("canbo.syt.lc", Role::Officer, "12", Some("lc-syt"), "Cán bộ Sở Y tế Lai Châu"),
    ];
    let units = store.unit_index().await?;
    let mut lines = vec!["  tài khoản mẫu (demo accounts; mật khẩu chỉ hiện lần này / passwords shown only now):".to_string()];
    for (username, role, unit, agency, name) in accounts {
        let password = add_user(store, &units, username, role, unit, agency, Some(name)).await?;
        lines.push(format!("    {username:<14} {:<12} {password}", role.as_str()));
    }
    // The caseworker signs in with a second factor: its authenticator secret, shown once too.
    let uri = enrol_totp(store, sealer, "ctxh.tpst").await?;
    lines.push(format!("    ctxh.tpst: xác thực hai lớp / TOTP {uri}"));
    Ok(Some(lines.join("\n")))
}
