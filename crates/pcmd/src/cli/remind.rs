//! `pcmd remind`: today's e-mail digests, once (for cron), and the same job
//! every hour inside `pcmd serve --smtp`.

use pcmd_store::Store;

/// Where reminders go and what they link to.
#[derive(Debug, Clone, clap::Args)]
pub struct MailArgs {
    /// The mail server: smtp://host:port (plain SMTP to an office relay).
    #[arg(long)]
    pub smtp: Option<String>,
    /// The sender address of the reminders.
    #[arg(long, default_value = "pcmd@localhost")]
    pub mail_from: String,
    /// The address people open pcmd at, for the links in the reminders.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
}

/// Sends today's digests once and says what happened.
pub async fn run(store: Store, args: MailArgs) -> anyhow::Result<String> {
    let Some(url) = args.smtp.as_deref() else {
        anyhow::bail!("thiếu --smtp smtp://máy:cổng (no mail server given: --smtp smtp://host:port)");
    };
    let smtp = pcmd_web::remind::Smtp::parse(url).map_err(anyhow::Error::msg)?;
    let state = pcmd_web::AppState::new(store, false).await?;
    let run = pcmd_web::remind::send_digests(&state, &smtp, &args.mail_from, &args.public_url, pcmd_domain::date::today_vn())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = format!(
        "đã gửi {} thư, {} tài khoản không có việc, {} đã gửi hôm nay (sent {}, nothing to say {}, already sent today {})",
        run.sent, run.nothing, run.already, run.sent, run.nothing, run.already
    );
    if !run.failed.is_empty() {
        out.push_str(&format!("\nchưa gửi được, sẽ gửi lại lần sau (not sent, tried again next run):\n  {}", run.failed.join("\n  ")));
    }
    Ok(out)
}

/// Every hour from start: the day's digests not yet sent (a mail server that was
/// down gets them at the next hour).
pub fn hourly(state: pcmd_web::AppState, args: MailArgs) -> anyhow::Result<()> {
    let Some(url) = args.smtp.as_deref() else { return Ok(()) };
    let smtp = pcmd_web::remind::Smtp::parse(url).map_err(anyhow::Error::msg)?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            // A clone takes the unit lists as they stand now (a unit change may have come since).
            let state = state.clone();
            match pcmd_web::remind::send_digests(&state, &smtp, &args.mail_from, &args.public_url, pcmd_domain::date::today_vn()).await {
                Ok(r) => tracing::info!(sent = r.sent, failed = r.failed.len(), "reminders"),
                Err(e) => tracing::error!("reminders failed: {e}"),
            }
        }
    });
    Ok(())
}
