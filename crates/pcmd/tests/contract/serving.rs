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
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(tokio::net::TcpStream::connect(("127.0.0.1", node.port)).await.unwrap());
    }
    // Give the server time to accept the three.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut fourth = tokio::net::TcpStream::connect(("127.0.0.1", node.port)).await.unwrap();
    let _ = fourth.write_all(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    let (got, closed) = until_closed(&mut fourth, Duration::from_secs(5)).await;
    assert!(closed.is_some() && got.is_empty(), "a fourth connection from the same address is closed unanswered");
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
