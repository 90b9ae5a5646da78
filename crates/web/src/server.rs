//! The listening loop: HTTP/1.1 connections with a bound on how long a client
//! may take to send its request head, on how many connections are open at
//! once and from one address, and a graceful stop on Ctrl-C or SIGTERM
//! (systemd's stop signal): requests under way finish, then the server exits.

use crate::{router, AppState};
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

/// Bounds on connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time a client has to send a request's head (on a new or a kept-alive
    /// connection) before the connection is closed.
    pub header_timeout: Duration,
    /// Connections open at once; beyond it, new ones are closed at once.
    pub max_connections: usize,
    /// Connections open at once from one address (behind a reverse proxy,
    /// raise it: every client then has the proxy's address).
    pub per_client: usize,
    /// How long requests under way may take to finish once asked to stop.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_timeout: Duration::from_secs(10), max_connections: 1024, per_client: 64, grace: Duration::from_secs(10) }
    }
}

/// Counts open connections per address; a slot is given back when its guard drops.
#[derive(Default, Clone)]
struct Clients(Arc<Mutex<HashMap<IpAddr, usize>>>);

struct Slot {
    clients: Clients,
    ip: IpAddr,
}

impl Clients {
    fn take(&self, ip: IpAddr, limit: usize) -> Option<Slot> {
        let mut m = self.0.lock().ok()?;
        let n = m.entry(ip).or_insert(0);
        if *n >= limit {
            return None;
        }
        *n += 1;
        Some(Slot { clients: self.clone(), ip })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut m) = self.clients.0.lock() {
            if let Some(n) = m.get_mut(&self.ip) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    m.remove(&self.ip);
                }
            }
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(state: AppState, addr: &str, limits: Limits) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(listener, state, limits, stop_signal()).await
}

/// Serves on a bound listener until `stop` resolves.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let app = router(state);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let clients = Clients::default();
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // Over either bound, the connection is closed at once (dropping the stream).
        let Ok(permit) = open.clone().try_acquire_owned() else { continue };
        let Some(slot) = clients.take(peer.ip(), limits.per_client) else { continue };
        let _ = stream.set_nodelay(true);
        let ip = crate::auth::ClientIp(peer.ip());
        let service = TowerToHyperService::new(app.clone().map_request(move |req: Request<Incoming>| {
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut().insert(ip);
            req
        }));
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace) => tracing::warn!("requests still under way after the grace period were cut"),
    }
    Ok(())
}
