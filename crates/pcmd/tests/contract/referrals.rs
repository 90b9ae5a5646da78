//! Issue 15 item 4: a support case referred to an agency, the answer due and
//! recorded, the overdue ones on the home page; refusals change nothing.

use crate::helpers::on_each_demo_backend;
use crate::workflow::{call, enc, session};
use axum::http::StatusCode;
use sqlx::Row;

#[tokio::test]
async fn a_referral_is_due_answered_and_reminded_when_late() {
    on_each_demo_backend(async |db| {
        let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(&db.key_file).unwrap());
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_sealer(sealer));
        let caseworker = session(db, "ctxh.tpst").await;
        // An open case of the caseworker's city.
        let (_, list, _) = call(&app, "GET", "/records/support_case?status=open", &caseworker, "").await;
        let id: i64 = list.split("href=\"/records/support_case/").skip(1).find_map(|rest| rest.split('"').next().unwrap().parse().ok()).unwrap();
        let agency: String = sqlx::query("SELECT a.code FROM agency a JOIN unit u ON u.id = a.unit_id WHERE u.code = '94' ORDER BY a.code LIMIT 1")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        let count = || async { sqlx::query("SELECT COUNT(*) FROM referral").fetch_one(db.store.pool()).await.unwrap().get::<i64, _>(0) };
        assert_eq!(count().await, 0, "the demo writes no referrals");
        let today = pcmd_domain::date::today_vn();
        let day = |d: i64| pcmd_domain::date::format_vn(today - chrono::Duration::days(d));
        // An answer due before the referral: refused beside nothing changed.
        let bad = format!("action=refer&agency={agency}&to_service={}&referred_on={}&due_on={}", enc("Khám sức khỏe"), enc(&day(3)), enc(&day(10)));
        let (s, page, _) = call(&app, "POST", &format!("/records/support_case/{id}/referrals"), &caseworker, &bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("hạn phản hồi trước ngày chuyển gửi"));
        assert_eq!(count().await, 0);
        // Referred ten days ago, the answer due three days ago: overdue today.
        let form = format!("action=refer&agency={agency}&to_service={}&referred_on={}&due_on={}", enc("Khám sức khỏe"), enc(&day(10)), enc(&day(3)));
        let (s, _, _) = call(&app, "POST", &format!("/records/support_case/{id}/referrals"), &caseworker, &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, case_page, _) = call(&app, "GET", &format!("/records/support_case/{id}"), &caseworker, "").await;
        assert!(case_page.contains("Khám sức khỏe") && case_page.contains(&format!("chờ phản hồi, hạn {}", day(3))));
        assert!(case_page.contains("<span class=\"status not_met\">quá hạn</span>"));
        let (_, home, _) = call(&app, "GET", "/", &caseworker, "").await;
        assert!(home.contains("1 lượt chuyển gửi hỗ trợ quá hạn chưa có phản hồi"), "{home}");
        // The coordinator of the province is told too; the supervisor may not refer.
        let (_, home, _) = call(&app, "GET", "/", &session(db, "dieuphoi").await, "").await;
        assert!(home.contains("1 lượt chuyển gửi hỗ trợ quá hạn"));
        let (s, _, _) = call(&app, "POST", &format!("/records/support_case/{id}/referrals"), &session(db, "giamsat").await, &form).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(count().await, 1);
        // The answer, today: no longer overdue, and the home page says nothing more.
        let rid: i64 = sqlx::query("SELECT id FROM referral").fetch_one(db.store.pool()).await.unwrap().get(0);
        let answer = format!("action=answer&referral={rid}&answered_on={}&outcome={}", enc(&day(0)), enc("Đã khám, cấp thuốc"));
        let (s, _, _) = call(&app, "POST", &format!("/records/support_case/{id}/referrals"), &caseworker, &answer).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, case_page, _) = call(&app, "GET", &format!("/records/support_case/{id}"), &caseworker, "").await;
        assert!(case_page.contains(&format!("đã phản hồi ngày {}: Đã khám, cấp thuốc", day(0))));
        let (_, home, _) = call(&app, "GET", "/", &caseworker, "").await;
        assert!(!home.contains("chuyển gửi hỗ trợ quá hạn"));
        // Answered twice: refused.
        let (s, page, _) = call(&app, "POST", &format!("/records/support_case/{id}/referrals"), &caseworker, &answer).await;
        assert!(s == StatusCode::UNPROCESSABLE_ENTITY && page.contains("đã có phản hồi"));
    })
    .await;
}
