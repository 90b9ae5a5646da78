//! Several nodes on one database: two `pcmd serve` processes share sessions
//! (a sign-in on one is valid on the other), and two updates of the same
//! record sent through both at the same time never lose a write: one is saved,
//! the other refused as stale.

use crate::helpers::{on_each_demo_backend, TestDb};
use pcmd_store::NewUser;
use std::process::{Child, Command, Stdio};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Node {
    pub port: u16,
    pub child: Child,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port for a test server, never the same twice in this test process and
/// outside the kernel's ephemeral range (32768–60999), which `bind(:0)` and
/// outgoing connections draw from: two servers started at once by parallel
/// tests once got the same `:0` port, and one test probed the other's server.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = 20_000 + u16::try_from(std::process::id() % 400).unwrap() * 25;
    loop {
        let port = base + NEXT.fetch_add(1, Ordering::Relaxed) % 2_000;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

/// One HTTP/1.1 request over a fresh connection.
pub async fn http(port: u16, method: &str, path: &str, cookie: &str, body: &str) -> std::io::Result<Reply> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok(Reply { status, headers: head.to_string(), body: body.to_string() })
}

async fn start(db: &TestDb) -> Node {
    start_with(db, &[]).await
}

/// `pcmd serve` on a free port with `extra` arguments, once it answers.
pub async fn start_with(db: &TestDb, extra: &[&str]) -> Node {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_pcmd"))
        .args(["--database", &db.url, "--key-file", db.key_file.to_str().unwrap(), "serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let node = Node { port, child };
    for _ in 0..100 {
        if http(port, "GET", "/login", "", "").await.is_ok_and(|r| r.status == 200) {
            return node;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("pcmd serve did not start on port {port}");
}

fn field(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = body.find(&key).unwrap_or_else(|| panic!("no {name} in {body}")) + key.len();
    body[at..].split('"').next().unwrap().to_string()
}

fn cookie_of(headers: &str, name: &str) -> Option<String> {
    headers.lines().filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: "))).find_map(|c| {
        let v = c.strip_prefix(&format!("{name}="))?;
        Some(v.split(';').next().unwrap_or("").to_string())
    })
}

#[tokio::test]
async fn two_nodes_share_sessions_and_never_lose_a_write() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let home = units.resolve("941", chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).unwrap().id;
        let hash = pcmd_web::auth::hash_password("hai-nut-mot-csdl").unwrap();
        let u = NewUser {
            username: "nodes",
            display_name: "Hai nút",
            role: pcmd_domain::roles::Role::Officer,
            unit_id: home,
            agency_id: None,
            password_hash: &hash,
            created_at: "2026-01-01T00:00:00Z",
        };
        db.store.create_user(&u).await.unwrap();
        let (a, b) = (start(db).await, start(db).await);

        // Sign in on node A.
        let page = http(a.port, "GET", "/login", "", "").await.unwrap();
        let login_csrf = cookie_of(&page.headers, "pcmd_login_csrf").unwrap();
        let r = http(
            a.port,
            "POST",
            "/login",
            &format!("pcmd_login_csrf={login_csrf}"),
            &format!("username=nodes&password=hai-nut-mot-csdl&csrf={login_csrf}"),
        )
        .await
        .unwrap();
        assert_eq!(r.status, 303, "{}", r.headers);
        let session = format!("pcmd_session={}", cookie_of(&r.headers, "pcmd_session").unwrap());
        // The session is valid on node B.
        let on_b = http(b.port, "GET", "/records/activity", &session, "").await.unwrap();
        assert_eq!(on_b.status, 200, "a session made on A is valid on B");

        // Both nodes open the same activity's form (same version), then both save at once.
        let id: i64 = on_b.body.split("/records/activity/").skip(1).find_map(|s| s.split('"').next()?.parse().ok()).expect("an activity in the list");
        let form_a = http(a.port, "GET", &format!("/records/activity/{id}/edit"), &session, "").await.unwrap().body;
        let form_b = http(b.port, "GET", &format!("/records/activity/{id}/edit"), &session, "").await.unwrap().body;
        assert_eq!(field(&form_a, "version"), field(&form_b, "version"));
        let post = |form: &str, topic: &str| {
            format!(
                "csrf={}&version={}&held_on={}&unit_code={}&form=meeting&topic={topic}",
                field(form, "csrf"),
                field(form, "version"),
                field(form, "held_on").replace('/', "%2F"),
                field(form, "unit_code")
            )
        };
        let path = format!("/records/activity/{id}");
        let (body_a, body_b) = (post(&form_a, "tu-nut-A"), post(&form_b, "tu-nut-B"));
        let (ra, rb) = tokio::join!(http(a.port, "POST", &path, &session, &body_a), http(b.port, "POST", &path, &session, &body_b));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        let mut statuses = [ra.status, rb.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [303, 409], "one saved, one refused as stale: A {} B {}", ra.status, rb.status);
        let winner = if ra.status == 303 { "tu-nut-A" } else { "tu-nut-B" };
        let loser = if ra.status == 303 { &rb } else { &ra };
        assert!(loser.body.contains("đã được người khác sửa"), "the refusal says why");
        let item = db.store.record(pcmd_domain::records::form::RecordKind::Activity, id).await.unwrap().unwrap();
        assert_eq!(item.get("topic"), Some(winner), "the saved write is the one that was accepted");
        println!("{}: nodes on ports {} and {}; A {} B {}", db.name, a.port, b.port, ra.status, rb.status);
    })
    .await;
}
