//! Reminders by e-mail: once a day, each account with an address receives what
//! its home page lists as needing it (counts, units, plans — never a person's
//! data), through a mail server reached by plain SMTP (an internal relay: the
//! connection is not encrypted, so it belongs on the office network or on the
//! same host). A digest is marked sent only once the server took it, so a server
//! that is down loses nothing: the next run sends it.

use crate::auth::CurrentUser;
use crate::i18n::Lang;
use crate::AppState;
use base64::Engine as _;
use chrono::NaiveDate;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Where mail goes: `smtp://host:port` (port 25 if none).
#[derive(Debug, Clone)]
pub struct Smtp {
    host: String,
    port: u16,
}

impl Smtp {
    pub fn parse(url: &str) -> Result<Smtp, String> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| format!("«{url}»: dùng smtp://máy:cổng (use smtp://host:port)"))?;
        let rest = rest.trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("«{url}»: cổng không hợp lệ (bad port)"))?),
            None => (rest, 25),
        };
        if host.is_empty() {
            return Err(format!("«{url}»: thiếu tên máy (no host)"));
        }
        Ok(Smtp { host: host.to_string(), port })
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Run {
    pub sent: usize,
    /// Nothing needed the account today.
    pub nothing: usize,
    /// Sent earlier today.
    pub already: usize,
    /// The server refused or could not be reached (tried again next run).
    pub failed: Vec<String>,
}

async fn reply(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, want: &[u16]) -> Result<(), String> {
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(Duration::from_secs(30), r.read_line(&mut line))
            .await
            .map_err(|_| "hết thời gian chờ máy chủ thư (timeout)".to_string())?;
        n.map_err(|e| e.to_string())?;
        if line.is_empty() {
            return Err("máy chủ thư đóng kết nối (connection closed)".into());
        }
        let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).ok_or_else(|| format!("trả lời lạ (odd reply): {}", line.trim()))?;
        if line.as_bytes().get(3) == Some(&b'-') {
            continue;
        }
        return if want.contains(&code) { Ok(()) } else { Err(format!("máy chủ thư từ chối (refused): {}", line.trim())) };
    }
}

/// A header value in UTF-8 (RFC 2047).
fn encoded(text: &str) -> String {
    format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(text))
}

/// Sends one message: a plain-text body in UTF-8, carried in base64.
pub async fn send(smtp: &Smtp, from: &str, to: &str, subject: &str, body: &str) -> Result<(), String> {
    for address in [from, to] {
        if address.chars().any(|c| c.is_control() || c.is_whitespace() || c == '<' || c == '>') {
            return Err(format!("địa chỉ không hợp lệ (bad address): {address}"));
        }
    }
    let stream = tokio::time::timeout(Duration::from_secs(10), TcpStream::connect((smtp.host.as_str(), smtp.port)))
        .await
        .map_err(|_| "không kết nối được máy chủ thư (connect timeout)".to_string())?
        .map_err(|e| format!("không kết nối được máy chủ thư (cannot connect): {e}"))?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    reply(&mut read, &[220]).await?;
    let mut say = async |line: String, want: &[u16]| -> Result<(), String> {
        write.write_all(line.as_bytes()).await.map_err(|e| e.to_string())?;
        reply(&mut read, want).await
    };
    say("EHLO pcmd\r\n".into(), &[250]).await?;
    say(format!("MAIL FROM:<{from}>\r\n"), &[250]).await?;
    say(format!("RCPT TO:<{to}>\r\n"), &[250, 251]).await?;
    say("DATA\r\n".into(), &[354]).await?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    let lines: Vec<&str> = b64.as_bytes().chunks(76).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    let message = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {}\r\nDate: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n.\r\n",
        encoded(subject),
        chrono::Utc::now().to_rfc2822(),
        lines.join("\r\n")
    );
    say(message, &[250]).await?;
    // The message is taken; a refused goodbye changes nothing.
    let _ = say("QUIT\r\n".into(), &[221]).await;
    Ok(())
}

/// Sends today's digest to every account with an address that has something
/// needing it and has not had today's yet. `site` is the address people open
/// pcmd at, for the links.
pub async fn send_digests(state: &AppState, smtp: &Smtp, from: &str, site: &str, today: NaiveDate) -> Result<Run, crate::WebError> {
    let mut run = Run::default();
    let day = today.to_string();
    let site = site.trim_end_matches('/');
    for (user, email) in state.store.users_with_email().await? {
        if state.store.reminder_sent(user.id, &day).await? {
            run.already += 1;
            continue;
        }
        let reader =
            CurrentUser { user: user.clone(), csrf: String::new(), lang: Lang::Vi, here: String::new(), session: String::new(), seen_version: None };
        let plans = crate::pages::visible_plans(state, &reader).await?;
        let items = crate::pages::agenda_for(state, &reader, &plans, today).await?;
        if items.is_empty() {
            run.nothing += 1;
            continue;
        }
        let subject = format!("pcmd: {} việc cần làm ngày {}", items.len(), pcmd_domain::date::format_vn(today));
        let mut body = format!(
            "Kính gửi {},\n\nNhững việc đang chờ đồng chí trên hệ thống pcmd (ngày {}):\n\n",
            user.display_name,
            pcmd_domain::date::format_vn(today)
        );
        for i in &items {
            body.push_str(&format!("- {}{}\n  {site}{}\n", if i.late { "[QUÁ HẠN] " } else { "" }, i.text, i.href));
        }
        body.push_str("\nThư gửi tự động mỗi ngày một lần khi có việc cần làm; thư không chứa thông tin về cá nhân. Đăng nhập để xem chi tiết.\n");
        match send(smtp, from, &email, &subject, &body).await {
            Ok(()) => {
                let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
                state.store.mark_reminder_sent(user.id, &day, i64::try_from(items.len()).unwrap_or(i64::MAX), &at).await?;
                run.sent += 1;
            }
            Err(e) => {
                tracing::warn!(user = %user.username, "reminder not sent: {e}");
                run.failed.push(format!("{}: {e}", user.username));
            }
        }
    }
    Ok(run)
}
