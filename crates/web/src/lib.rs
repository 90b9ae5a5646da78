//! pcmd's web application: server-rendered pages, Vietnamese first, with
//! accounts and server-side sessions kept in the database.

mod api;
pub mod auth;
mod cache;
mod charts;
mod error;
mod headers;
pub mod i18n;
mod observe;
mod offline;
mod packed;
mod pages;
mod portal;
mod query;
pub mod remind;
mod server;

pub use error::WebError;

use axum::routing::{get, post};
use axum::Router;
use pcmd_domain::units::UnitIndex;
use pcmd_store::Store;
use std::sync::Arc;

/// Scopes by (unit lists' number, home unit).
type ScopeCache = std::collections::HashMap<(u64, i64), Arc<std::collections::HashSet<i64>>>;

/// What every request may use.
pub struct AppState {
    pub store: Store,
    /// The unit lists as they stood when this state was cloned for the request.
    pub units: Arc<UnitIndex>,
    /// Which unit lists `units` are: each change gives the next number.
    pub(crate) units_generation: u64,
    /// The unit lists as they stand, with their number: replaced when a unit change is
    /// recorded here, or found in the store to have been made elsewhere (`follow_unit_lists`).
    live_units: Arc<std::sync::RwLock<LiveUnits>>,
    /// Whether the session cookie is marked Secure (behind HTTPS).
    pub secure_cookies: bool,
    /// The key that seals personal data and TOTP secrets.
    pub sealer: Option<Arc<pcmd_store::Sealer>>,
    /// The legal deadlines of tips, as stored.
    pub rules: Arc<pcmd_domain::records::RulesFile>,
    /// The statement of personal data processing (retention, warning days), when given.
    pub privacy: Option<Arc<pcmd_domain::policy::privacy::ProcessingFile>>,
    cache: cache::SharedCache,
    metrics: Arc<observe::Metrics>,
    /// How often one address may send tips or try receipt codes (addresses never kept).
    portal_limiter: Arc<portal::limit::Limiter>,
    /// Each home unit's scope, computed once per unit lists (keyed by the lists
    /// they were computed from, so that a state cloned before a change never
    /// fills the cache with the old lists' scopes for the new).
    scopes: Arc<std::sync::Mutex<ScopeCache>>,
    /// Large imports checked or written in the background, by id.
    pub(crate) import_jobs: pages::ImportJobs,
}

/// The unit lists a server holds.
struct LiveUnits {
    /// This server's number for them (`AppState::units_generation`).
    generation: u64,
    /// The store's generation of the unit lists (`Store::unit_lists_generation`) read just before them.
    read_at: i64,
    index: Arc<UnitIndex>,
}

/// Each request's state is a clone of the router's: the clone takes the unit
/// lists as they stand then, so that a unit change recorded from the browser
/// is in every request after it, without a restart, and no request sees the
/// lists change under it.
impl Clone for AppState {
    fn clone(&self) -> Self {
        let (units_generation, units) =
            self.live_units.read().map(|u| (u.generation, u.index.clone())).unwrap_or_else(|_| (self.units_generation, self.units.clone()));
        AppState {
            store: self.store.clone(),
            units,
            units_generation,
            live_units: self.live_units.clone(),
            secure_cookies: self.secure_cookies,
            sealer: self.sealer.clone(),
            rules: self.rules.clone(),
            privacy: self.privacy.clone(),
            cache: self.cache.clone(),
            metrics: self.metrics.clone(),
            portal_limiter: self.portal_limiter.clone(),
            scopes: self.scopes.clone(),
            import_jobs: self.import_jobs.clone(),
        }
    }
}

impl AppState {
    pub async fn new(store: Store, secure_cookies: bool) -> Result<Self, pcmd_store::StoreError> {
        // The generation first: a change made while the lists are read moves it past this, and they are read again.
        let read_at = store.unit_lists_generation().await?;
        let units = Arc::new(store.unit_index().await?);
        let rules = Arc::new(store.deadline_rules().await?);
        Ok(AppState {
            store,
            live_units: Arc::new(std::sync::RwLock::new(LiveUnits { generation: 0, read_at, index: units.clone() })),
            units_generation: 0,
            units,
            secure_cookies,
            sealer: None,
            rules,
            privacy: None,
            cache: cache::SharedCache::default(),
            metrics: Arc::default(),
            portal_limiter: Arc::default(),
            scopes: Arc::default(),
            import_jobs: Arc::default(),
        })
    }

    /// Reads the unit lists again from the store (after a unit change) for
    /// every request from now on; scopes are computed anew.
    pub(crate) async fn reload_units(&self) -> Result<(), pcmd_store::StoreError> {
        self.read_units(false).await.map(|_| ())
    }

    /// Reads the unit lists; keeps them unless they were read at an older generation than those
    /// held (two reloads crossing), or, when `any` (the store's generation went back, as a
    /// database restored under running nodes can), whatever it is. Whether they were kept.
    async fn read_units(&self, any: bool) -> Result<bool, pcmd_store::StoreError> {
        let read_at = self.store.unit_lists_generation().await?;
        let fresh = Arc::new(self.store.unit_index().await?);
        let mut kept = false;
        if let Ok(mut live) = self.live_units.write() {
            if any || read_at >= live.read_at {
                *live = LiveUnits { generation: live.generation + 1, read_at, index: fresh };
                kept = true;
            }
        }
        if let Ok(mut scopes) = self.scopes.lock() {
            scopes.clear();
        }
        Ok(kept)
    }

    /// Reads the unit lists again when the store's have changed since they were read:
    /// a unit change recorded on another node behind the same database, or by
    /// another process (`pcmd demo`, a restore). `pcmd serve` asks every few
    /// seconds; kept figures and scopes follow the new lists. True when they were read again.
    pub async fn follow_unit_lists(&self) -> Result<bool, pcmd_store::StoreError> {
        let now = self.store.unit_lists_generation().await?;
        let held = self.live_units.read().map(|u| u.read_at).unwrap_or(now);
        if now == held {
            return Ok(false);
        }
        // Lists older than those held are kept only when the store's number went back (a restore).
        self.read_units(now < held).await
    }

    /// The units whose records a user at home in `home` may see.
    pub(crate) fn scope(&self, home: i64) -> Arc<std::collections::HashSet<i64>> {
        let key = (self.units_generation, home);
        if let Some(hit) = self.scopes.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let set = Arc::new(pages::scope_units(&self.units, home));
        if let Ok(mut m) = self.scopes.lock() {
            m.insert(key, set.clone());
        }
        set
    }

    pub fn with_sealer(mut self, sealer: Arc<pcmd_store::Sealer>) -> Self {
        self.sealer = Some(sealer);
        self
    }

    pub fn with_privacy(mut self, rules: pcmd_domain::policy::privacy::ProcessingFile) -> Self {
        self.privacy = Some(Arc::new(rules));
        self
    }
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/plans", get(api::plans))
        .route("/plans/{key}", get(api::plan_read))
        .route("/plans/{key}/evaluation", get(api::evaluation))
        .route("/plans/{key}/targets/{code}/explanation", get(api::explanation))
        .route("/plans/{key}/tasks", get(api::plan_tasks))
        .route("/plans/{key}/tasks/{code}/progress", post(api::report_progress))
        .route("/plans/{key}/budget", get(api::plan_budget).post(api::record_spending))
        .route("/records/{kind}", get(api::records_list).post(api::record_create))
        .route("/records/{kind}/import", post(api::records_import).layer(axum::extract::DefaultBodyLimit::max(pages::IMPORT_MAX_FILE + 1)))
        .route("/records/{kind}/{id}", get(api::record_read).put(api::record_update))
        .route("/units", get(api::units))
        .route("/units/{code}", get(api::unit))
        .route("/reports", get(api::reports).post(api::report_create))
        .route("/reports/{id}", get(api::report_read))
        .route("/reports/{id}/{action}", post(api::report_action))
        .route("/reports/{id}/file/{format}", get(api::report_file))
        .route("/session", get(api::session))
        .route("/openapi.json", get(api::openapi))
        .fallback(api::not_found);
    Router::new()
        .nest("/api/v1", api)
        .route("/", get(pages::home))
        .route("/plans/new", get(pages::plan_new).post(pages::plan_upload).layer(axum::extract::DefaultBodyLimit::max(pages::PLAN_UPLOAD_MAX)))
        .route("/plans/confirm", post(pages::plan_confirm))
        .route("/plans/{key}", get(pages::plan))
        .route("/plans/{key}/explain", get(pages::explain))
        .route("/plans/{key}/map.svg", get(pages::plan_map_svg))
        .route("/plans/{key}/map.png", get(pages::plan_map_png))
        .route("/plans/{key}/tasks", get(pages::plan_tasks))
        .route(
            "/plans/{key}/targets/{code}/values",
            get(pages::target_values).post(pages::report_value).layer(axum::extract::DefaultBodyLimit::max(pages::VALUE_UPLOAD_MAX)),
        )
        .route("/plans/{key}/values/{id}/file", get(pages::value_file))
        .route("/plans/{key}/tasks/{code}/progress", post(pages::report_progress))
        .route("/plans/{key}/budget", get(pages::plan_budget).post(pages::record_spending))
        .route("/audit", get(pages::audit))
        .route("/account", get(pages::account))
        .route("/account/password", post(pages::change_password))
        .route("/account/sessions", post(pages::end_sessions))
        .route("/account/totp", get(pages::totp_form).post(pages::totp_confirm))
        .route("/account/set-password", get(pages::set_password_form).post(pages::set_password))
        .route("/admin/users", get(pages::users).post(pages::create_user))
        .route("/admin/agencies", get(pages::agencies).post(pages::agencies_action))
        .route("/admin/units", get(pages::unit_changes).post(pages::record_unit_change))
        .route("/admin/units/earlier", post(pages::record_earlier_change))
        .route("/admin/users/{id}", post(pages::user_action))
        .route("/settings/documents", get(pages::document_settings).post(pages::save_document_settings))
        .route("/reports", get(pages::reports).post(pages::create_report))
        .route("/reports/{id}", get(pages::report).post(pages::report_action))
        .route("/reports/{id}/file/{format}", get(pages::report_file))
        .route("/records", get(pages::records_index))
        .route("/records/{kind}", get(pages::records_list).post(pages::record_create))
        .route("/records/{kind}/new", get(pages::record_new))
        .route("/records/{kind}/export.xlsx", get(pages::records_export))
        .route(
            "/records/{kind}/import",
            get(pages::import_form).post(pages::import_upload).layer(axum::extract::DefaultBodyLimit::max(pages::IMPORT_MAX_BODY)),
        )
        .route("/records/{kind}/template/{format}", get(pages::import_template))
        .route("/records/{kind}/import/jobs/{id}", get(pages::import_job))
        .route("/records/{kind}/{id}", get(pages::record_detail).post(pages::record_update))
        .route("/records/{kind}/{id}/edit", get(pages::record_edit))
        .route("/records/support_case/{id}/rights", post(pages::case_rights_action))
        .route("/records/support_case/{id}/export", get(pages::case_export))
        .route("/records/support_case/{id}/referrals", post(pages::referral_action))
        .route("/records/tip/{id}/messages", post(pages::tip_reply))
        .route("/records/tip/{id}/files/{file}", get(pages::tip_file))
        .route("/to-giac", get(portal::form).post(portal::send).layer(axum::extract::DefaultBodyLimit::max(portal::MAX_BODY)))
        .route("/to-giac/tra-cuu", get(portal::lookup_form).post(portal::lookup))
        .route(portal::RECEIPT_PATH, get(portal::receipt))
        .route("/thoi-han", get(portal::deadlines))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang/{code}", get(auth::switch_language))
        .route("/static/pcmd.css", get(pages::stylesheet))
        .route("/static/offline.js", get(offline::script))
        .route("/static/icon.svg", get(offline::icon))
        .route("/offline", get(offline::page))
        .route("/sw.js", get(offline::worker))
        .route("/manifest.webmanifest", get(offline::manifest))
        .route("/metrics", get(observe::metrics))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe::observe))
        .layer(axum::middleware::from_fn(error::in_language))
        .layer(axum::middleware::from_fn(headers::secure))
        // A request (its body included) that takes longer than this is answered 408:
        // a client sending its form a byte a minute cannot hold a handler.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, std::time::Duration::from_secs(60)))
        // Inside the general compression: an HTML page goes out gzipped from its parts compressed once.
        .layer(axum::middleware::from_fn(packed::stitch))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

pub use server::{serve, serve_on, Limits};
