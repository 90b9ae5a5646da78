//! Issue 15 item 3: the daily e-mail digest — sent once a day to the accounts
//! with an address and something to do, through a real SMTP conversation with a
//! server this test starts; a server that is down loses nothing; no personal data.

use crate::helpers::on_each_demo_backend;
use crate::pcmd;
use base64::Engine as _;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A mail server that takes every message: (recipient, decoded body, subject header).
async fn mail_server() -> (u16, Arc<Mutex<Vec<(String, String, String)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut read = BufReader::new(read);
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let (mut rcpt, mut data, mut in_data) = (String::new(), String::new(), false);
                loop {
                    let mut line = String::new();
                    if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    if in_data {
                        if line == ".\r\n" {
                            in_data = false;
                            let (head, body) = data.split_once("\r\n\r\n").unwrap();
                            let subject = head.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap_or_default().to_string();
                            let text = base64::engine::general_purpose::STANDARD.decode(body.replace("\r\n", "")).unwrap();
                            keep.lock().unwrap().push((rcpt.clone(), String::from_utf8(text).unwrap(), subject));
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                        }
                        continue;
                    }
                    let answer: &[u8] = match line.get(..4).unwrap_or("") {
                        "EHLO" => b"250-test\r\n250 8BITMIME\r\n",
                        "MAIL" => b"250 ok\r\n",
                        "RCPT" => {
                            rcpt = line.trim().trim_start_matches("RCPT TO:<").trim_end_matches('>').to_string();
                            b"250 ok\r\n"
                        }
                        "DATA" => {
                            in_data = true;
                            data.clear();
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"500 what\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

#[tokio::test]
async fn each_account_gets_its_digest_once_and_a_server_down_loses_nothing() {
    on_each_demo_backend(async |db| {
        pcmd(db, &["user", "email", "--username", "dieuphoi", "--address", "dieuphoi@soctrang.gov.vn"]).await.unwrap();
        pcmd(db, &["user", "email", "--username", "congan", "--address", "congan@soctrang.gov.vn"]).await.unwrap();
        assert!(pcmd(db, &["user", "email", "--username", "canbo.tpst", "--address", "không phải địa chỉ"]).await.is_err(), "refused");
        // The server is down (nothing listens on the port of a listener just closed): nothing is marked sent.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let out = pcmd(db, &["remind", "--smtp", &format!("smtp://127.0.0.1:{closed}"), "--mail-from", "pcmd@soctrang.gov.vn"]).await.unwrap();
        assert!(out.starts_with("đã gửi 0 thư") && out.contains("chưa gửi được"), "{out}");
        // With the server up, both accounts get theirs, and only they (the officer has no address).
        let (port, got) = mail_server().await;
        let smtp = format!("smtp://127.0.0.1:{port}");
        let args = ["remind", "--smtp", &smtp, "--mail-from", "pcmd@soctrang.gov.vn", "--public-url", "https://pcmd.soctrang.gov.vn"];
        let out = pcmd(db, &args).await.unwrap();
        assert!(out.starts_with("đã gửi 2 thư"), "{out}");
        let mail = got.lock().unwrap().clone();
        let mut to: Vec<&str> = mail.iter().map(|m| m.0.as_str()).collect();
        to.sort();
        assert_eq!(to, ["congan@soctrang.gov.vn", "dieuphoi@soctrang.gov.vn"]);
        let coordinator = &mail.iter().find(|m| m.0.starts_with("dieuphoi")).unwrap().1;
        assert!(
            coordinator.contains("117/NQ-HĐND — Tỉnh Sóc Trăng, năm 2025:") && coordinator.contains("https://pcmd.soctrang.gov.vn/plans/"),
            "{coordinator}"
        );
        let investigator = &mail.iter().find(|m| m.0.starts_with("congan")).unwrap().1;
        assert!(investigator.contains("quá hạn chưa xử lý xong"), "{investigator}");
        // No personal data: no supported person's name, no tip's words (the demo's: «Họ tên mẫu …», «Nội dung tin báo mẫu …»).
        for m in &mail {
            assert!(!m.1.contains("Họ tên mẫu") && !m.1.contains("Nội dung tin báo"), "{}", m.1);
            assert!(m.2.starts_with("=?UTF-8?B?"), "the subject in UTF-8");
        }
        // Once a day: a second run sends nothing.
        let out = pcmd(db, &args).await.unwrap();
        assert!(out.starts_with("đã gửi 0 thư") && out.contains("2 đã gửi hôm nay"), "{out}");
        assert_eq!(got.lock().unwrap().len(), 2);
    })
    .await;
}
