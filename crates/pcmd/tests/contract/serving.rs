//! How `pcmd serve` holds up against clients that misbehave, and how it stops
//! (issue 12 items 6, 10 and 11). These depend on the listening loop, not on
//! the backend, so they run on SQLite only.

use crate::helpers::sqlite;
use crate::nodes::{http, start_with};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Reads until the server closes the connection (or `limit` passes); returns what came and when.
async fn until_closed(s: &mut tokio::net::TcpStream, limit: Duration) -> (Vec<u8>, Option<Duration>) {
    let t = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(t.elapsed()), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, Some(t.elapsed())),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (got, None),
        }
    }
}

async fn keyed_db() -> crate::helpers::TestDb {
    let db = sqlite().await;
    pcmd_store::Sealer::create_file(&db.key_file).unwrap();
    db
}

#[tokio::test]
async fn a_client_that_never_finishes_its_request_head_is_cut_off() {
    let db = keyed_db().await;
    let node = start_with(&db, &["--header-timeout", "1"]).await;
    // Half a head, then silence: before, such a connection stayed open past 90 s.
    let mut half = tokio::net::TcpStream::connect(("127.0.0.1", node.port)).await.unwrap();
    half.write_all(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.unwrap();
    let (_, closed) = until_closed(&mut half, Duration::from_secs(10)).await;
    let closed = closed.expect("the server closes a connection whose head is not sent within --header-timeout (1 s)");
    assert!(closed >= Duration::from_millis(900), "not before the timeout: {closed:?}");
    // A connection that sends nothing at all is closed the same way.
    let mut silent = tokio::net::TcpStream::connect(("127.0.0.1", node.port)).await.unwrap();
    assert!(until_closed(&mut silent, Duration::from_secs(10)).await.1.is_some(), "a silent connection is closed too");
    // The server still answers.
    assert_eq!(http(node.port, "GET", "/login", "", "").await.unwrap().status, 200);
}

#[tokio::test]
async fn one_address_cannot_hold_every_connection() {
    let db = keyed_db().await;
    let node = start_with(&db, &["--max-connections-per-client", "3", "--header-timeout", "30"]).await;
    // Three connections held open. Under load, the readiness probe's connection may not
    // have given its slot back when the third arrives, and the server then closes that
    // one at once (a CI run showed two held, the third in CLOSE-WAIT): a held connection
    // the server closed is replaced until three stay open.
    let mut held: Vec<tokio::net::TcpStream> = Vec::new();
    for _ in 0..40 {
        while held.len() < 3 {
            held.push(tokio::net::TcpStream::connect(("127.0.0.1", node.port)).await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut open = Vec::new();
        for mut s in held.drain(..) {
            let mut byte = [0u8; 1];
            // Still open: nothing to read yet (the read times out). Closed: 0 bytes or an error.
            if tokio::time::timeout(Duration::from_millis(50), s.read(&mut byte)).await.is_err() {
                open.push(s);
            }
        }
        held = open;
        if held.len() == 3 {
            break;
        }
    }
    assert_eq!(held.len(), 3, "three connections held open");
    // The kernel completes a connection before the server's loop accepts it, and under load
    // (the other tests share the two cores) that can take seconds: until the loop has taken
    // the three, a fourth may still be served. So a fourth is tried each second, up to 20 s;
    // once the three are held, every further one must be closed unanswered.
    let mut refused = None;
    let mut tries = Vec::new();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let mut fourth = tokio::net::TcpStream::connect(("127.0.0.1", node.port)).await.unwrap();
        let _ = fourth.write_all(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
        let (got, closed) = until_closed(&mut fourth, Duration::from_secs(20)).await;
        tries.push((String::from_utf8_lossy(got.get(..got.len().min(40)).unwrap_or_default()).to_string(), closed));
        if closed.is_some() && got.is_empty() {
            refused = closed;
            break;
        }
    }
    if refused.is_none() {
        // Which process holds which connection, to tell a stray server on the port from a limit not applied.
        let ss = std::process::Command::new("ss").args(["-tnpa"]).output().map(|o| String::from_utf8_lossy(&o.stdout).to_string());
        eprintln!("port {} pid {}\n{}", node.port, node.child.id(), ss.unwrap_or_default());
    }
    assert!(refused.is_some(), "a fourth connection from the same address is closed unanswered once three are held: {tries:?}");
    // Once one is given back, requests are served again.
    held.pop();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(http(node.port, "GET", "/login", "", "").await.unwrap().status, 200);
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let db = keyed_db().await;
    let mut node = start_with(&db, &[]).await;
    let pid = node.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let t = Instant::now();
    let status = loop {
        if let Some(s) = node.child.try_wait().unwrap() {
            break s;
        }
        assert!(t.elapsed() < Duration::from_secs(15), "pcmd serve ignored SIGTERM (systemd's stop signal)");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "a stop asked for is a clean exit: {status:?}");
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_secret_files_are_private() {
    let db = keyed_db().await;
    let node = start_with(&db, &[]).await;
    let page = http(node.port, "GET", "/login", "", "").await.unwrap();
    let h = page.headers.to_ascii_lowercase();
    for want in [
        "content-security-policy: default-src 'none'; style-src 'self'",
        "frame-ancestors 'none'",
        "x-content-type-options: nosniff",
        "x-frame-options: deny",
        "referrer-policy: same-origin",
        "cache-control: no-store",
    ] {
        assert!(h.contains(want), "{want} missing from {h}");
    }
    let css = http(node.port, "GET", "/static/pcmd.css", "", "").await.unwrap().headers.to_ascii_lowercase();
    assert!(css.contains("nosniff") && !css.contains("no-store"), "the stylesheet may be cached: {css}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let db_file = db.url.trim_start_matches("sqlite://").to_string();
        for f in [db_file.clone(), format!("{db_file}-wal"), db.key_file.display().to_string()] {
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{f} holds password hashes or the key: owner only, got {mode:o}");
        }
    }
}

/// One raw GET with extra header lines; returns the response head and body.
async fn get_with(port: u16, path: &str, extra: &str) -> (String, String) {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n").as_bytes()).await.unwrap();
    let (raw, _) = until_closed(&mut s, Duration::from_secs(10)).await;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_ascii_lowercase(), body.to_string())
}

/// Issue 12, observability: a request id on every response and on the log line
/// of its request; `/metrics` for the machine itself (and an administrator's
/// token), not for anyone else.
#[tokio::test]
async fn requests_carry_an_id_into_the_log_and_the_metrics_stay_inside() {
    let db = keyed_db().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = db.key_file.with_file_name("serve.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pcmd"))
        .args(["--database", &db.url, "--key-file", db.key_file.to_str().unwrap(), "serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if http(port, "GET", "/login", "", "").await.is_ok_and(|r| r.status == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "pcmd serve did not start");
    let (head, _) = get_with(port, "/login", "X-Request-Id: kiem-tra-42\r\n").await;
    assert!(head.contains("x-request-id: kiem-tra-42"), "the client's id comes back: {head}");
    let (head, _) = get_with(port, "/login", "X-Request-Id: <script>\r\n").await;
    let id = head.lines().find_map(|l| l.strip_prefix("x-request-id: ")).unwrap().to_string();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "an unsafe id is replaced by a new one: {id}");
    let (head, body) = get_with(port, "/metrics", "").await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(body.contains("pcmd_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}"), "{body}");
    assert!(body.contains("pcmd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/login\",le=\"+Inf\"}"), "{body}");
    assert!(body.contains("pcmd_db_pool_connections{state=\"idle\"}"), "{body}");
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.lines().any(|l| l.contains("kiem-tra-42") && l.contains("status=200")), "the log line names the request: {text}");
}

#[tokio::test]
async fn metrics_are_not_for_the_public() {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use tower::ServiceExt;
    let db = sqlite().await;
    crate::demo(&db).await;
    let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
    let from = |ip: &str, bearer: Option<&str>| {
        let mut r = Request::get("/metrics");
        if let Some(t) = bearer {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let mut r = r.body(Body::empty()).unwrap();
        r.extensions_mut().insert(pcmd_web::auth::ClientIp(ip.parse().unwrap()));
        r
    };
    assert_eq!(app.clone().oneshot(from("203.0.113.9", None)).await.unwrap().status(), StatusCode::NOT_FOUND, "a stranger sees nothing");
    assert_eq!(app.clone().oneshot(from("127.0.0.1", None)).await.unwrap().status(), StatusCode::OK, "the machine itself does");
    // Through a reverse proxy on the same host every request comes from 127.0.0.1, with a forwarding header.
    for header in ["X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP"] {
        let mut r = from("127.0.0.1", None);
        r.headers_mut().insert(header, "203.0.113.9".parse().unwrap());
        assert_eq!(app.clone().oneshot(r).await.unwrap().status(), StatusCode::NOT_FOUND, "a stranger through a proxy ({header})");
    }
    let token = |user: &str| {
        let user = user.to_string();
        let db = &db;
        async move { crate::pcmd(db, &["token", "create", "--username", &user]).await.unwrap().lines().last().unwrap().trim().to_string() }
    };
    let officer = token("canbo.tpst").await;
    assert_eq!(app.clone().oneshot(from("203.0.113.9", Some(&officer))).await.unwrap().status(), StatusCode::NOT_FOUND, "nor an officer");
    let admin = token("quantri").await;
    assert_eq!(app.clone().oneshot(from("203.0.113.9", Some(&admin))).await.unwrap().status(), StatusCode::OK, "an administrator does");
}
