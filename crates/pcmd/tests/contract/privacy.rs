//! Personal data is sealed at rest: not readable in the database, readable
//! with the key alone, and every read is audited.

use crate::helpers::on_each_demo_backend;
use sqlx::Row;

#[tokio::test]
async fn identities_and_tip_contents_are_not_readable_in_the_database() {
    on_each_demo_backend(async |db| {
        // The demo's first Sóc Trăng case is «Họ tên mẫu 94-0001»; its tips say «Nội dung tin báo mẫu …».
        let name = "Họ tên mẫu 94-0001";
        let id: i64 = sqlx::query("SELECT id FROM support_case WHERE code = 'HS-94-0001'").fetch_one(db.store.pool()).await.unwrap().get(0);
        let sealed: Vec<u8> =
            sqlx::query("SELECT identity_sealed FROM support_case WHERE id = $1").bind(id).fetch_one(db.store.pool()).await.unwrap().get(0);
        assert!(!sealed.windows(name.len()).any(|w| w == name.as_bytes()));
        if db.name == "sqlite" {
            // Every byte the database holds on disk, the write-ahead log included.
            let path = db.url.trim_start_matches("sqlite://").to_string();
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            for secret in [name, "Họ tên mẫu", "Nội dung tin báo mẫu"] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "«{secret}» is readable in the database file");
            }
        }
        let tips_with_content: i64 =
            sqlx::query("SELECT COUNT(*) FROM tip WHERE content_sealed IS NOT NULL").fetch_one(db.store.pool()).await.unwrap().get(0);
        assert!(tips_with_content > 100);

        // With the key the identity reads back, and the read is in the audit log.
        let sealer = pcmd_store::Sealer::from_file(&db.key_file).unwrap();
        let identity = db.store.read_identity(id, &sealer, "ctxh.tpst").await.unwrap().unwrap();
        assert_eq!(identity.full_name, name);
        let reads: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'read_personal' AND actor = 'ctxh.tpst' AND subject = $1")
            .bind(format!("support_case#{id}"))
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(reads, 1);
        // Another key opens nothing.
        let other = pcmd_store::Sealer::from_key(&[1; 32]);
        assert!(db.store.read_identity(id, &other, "x").await.is_err());
    })
    .await;
}

#[tokio::test]
async fn personal_data_without_a_key_is_refused() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let m = pcmd_store::records::RecordMeta::now(pcmd_domain::records::RecordSource::Entry, None);
        let c = pcmd_domain::records::NewSupportCase {
            code: "HS-X".into(),
            unit_code: "31507".into(),
            opened_on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            closed_on: None,
            age_band: pcmd_domain::records::AgeBand::Unknown,
            sex: pcmd_domain::records::Sex::Unknown,
            needs_support: true,
            eligible: true,
            consent: true,
            services: vec![],
            full_name: Some("Trần Văn B".into()),
            date_of_birth: None,
            id_number: None,
            address: None,
            phone: None,
        };
        let mut tx = db.store.begin().await.unwrap();
        let e = pcmd_store::records::insert_support_case(&mut tx, &units, &c, &m).await.unwrap_err().to_string();
        assert!(e.contains("no encryption key"), "{e}");
        tx.rollback().await.unwrap();
        // pcmd serve refuses to start without its key.
        let missing = db.key_file.with_file_name("absent.key");
        let err = crate::run_cli(db, &["--key-file", missing.to_str().unwrap(), "serve", "--addr", "127.0.0.1:0"]).await.unwrap_err();
        assert!(format!("{err:#}").contains("absent.key"), "{err:#}");
    })
    .await;
}
