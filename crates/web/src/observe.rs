//! Observability: every request gets an id (the client's `x-request-id` when it
//! is a sane one, else a new one), carried by every log line of the request
//! (a `tracing` span) and returned in the response; and `/metrics`, in the
//! Prometheus text format — requests by route and status, a latency histogram
//! by route, the database pool's connections — answered only to the machine
//! itself (loopback) or to an administrator's API token.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: &str = "x-request-id";

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Series {
    /// Requests by status code.
    by_status: BTreeMap<u16, u64>,
    /// Cumulative counts per bucket, then the sum of seconds and the count.
    buckets: [u64; BUCKETS.len()],
    seconds: f64,
    count: u64,
}

/// Counters kept in memory since the process started (per node).
#[derive(Default)]
pub struct Metrics {
    /// By (method, route pattern): patterns, not paths, so the series stay few.
    series: Mutex<BTreeMap<(String, String), Series>>,
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut m) = self.series.lock() else { return };
        let s = m.entry((method.to_string(), route.to_string())).or_default();
        *s.by_status.entry(status).or_insert(0) += 1;
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                if let Some(b) = s.buckets.get_mut(i) {
                    *b += 1;
                }
            }
        }
        s.seconds += seconds;
        s.count += 1;
    }

    /// The Prometheus text exposition of the counters and the pool's gauges.
    pub fn render(&self, pool_size: u32, pool_idle: usize) -> String {
        let mut out = String::new();
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let _ = writeln!(out, "# HELP pcmd_http_requests_total Requests answered, by method, route and status.");
        let _ = writeln!(out, "# TYPE pcmd_http_requests_total counter");
        let Ok(m) = self.series.lock() else { return out };
        for ((method, route), s) in m.iter() {
            for (status, n) in &s.by_status {
                let _ = writeln!(out, "pcmd_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}", esc(route));
            }
        }
        let _ = writeln!(out, "# HELP pcmd_http_request_duration_seconds Time to answer, by method and route.");
        let _ = writeln!(out, "# TYPE pcmd_http_request_duration_seconds histogram");
        for ((method, route), s) in m.iter() {
            let labels = format!("method=\"{method}\",route=\"{}\"", esc(route));
            for (le, n) in BUCKETS.iter().zip(s.buckets.iter()) {
                let _ = writeln!(out, "pcmd_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {n}");
            }
            let _ = writeln!(out, "pcmd_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "pcmd_http_request_duration_seconds_sum{{{labels}}} {}", s.seconds);
            let _ = writeln!(out, "pcmd_http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
        let _ = writeln!(out, "# HELP pcmd_db_pool_connections Database connections held by the pool, by state.");
        let _ = writeln!(out, "# TYPE pcmd_db_pool_connections gauge");
        let _ = writeln!(out, "pcmd_db_pool_connections{{state=\"idle\"}} {pool_idle}");
        let _ = writeln!(out, "pcmd_db_pool_connections{{state=\"in_use\"}} {}", (pool_size as usize).saturating_sub(pool_idle));
        out
    }
}

/// A client's id if it is short and plain, else a new random one.
fn request_id(req: &Request) -> String {
    let given = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok());
    match given {
        Some(id) if !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => id.to_string(),
        _ => {
            let mut b = [0u8; 8];
            // An id, not a secret: a zero id if the generator failed is harmless.
            let _ = getrandom::getrandom(&mut b);
            b.iter().map(|x| format!("{x:02x}")).collect()
        }
    }
}

/// The middleware: id, span, log line, metrics.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().to_string();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "(unmatched)".to_string(), |p| p.as_str().to_string());
    let span = tracing::info_span!("request", id = %id, method = %method, route = %route);
    let mut resp = next.run(req).instrument(span.clone()).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = resp.status().as_u16();
    state.metrics.record(&method, &route, status, seconds);
    span.in_scope(|| tracing::info!(status, ms = format!("{:.1}", seconds * 1000.0), "answered"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    resp
}

/// `GET /metrics`: for the machine itself or an administrator's token; 404 to anyone else
/// (the endpoint does not say it exists). A request from the machine that carries a
/// proxy's forwarding header came from elsewhere through a reverse proxy on the same
/// host, which every such request would otherwise pass as the machine's own.
pub async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    let proxied = ["forwarded", "x-forwarded-for", "x-real-ip", "x-client-ip", "true-client-ip", "cf-connecting-ip"]
        .iter()
        .any(|h| req.headers().contains_key(*h));
    let loopback = !proxied && req.extensions().get::<crate::auth::ClientIp>().is_some_and(|c| c.0.is_loopback());
    let admin = match crate::api::bearer_user(&state, req.headers()).await {
        Ok(Some(u)) => u.role == pcmd_domain::roles::Role::Admin,
        _ => false,
    };
    if !loopback && !admin {
        return StatusCode::NOT_FOUND.into_response();
    }
    let pool = state.store.pool();
    let body = state.metrics.render(pool.size(), pool.num_idle());
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}
