//! Serving: the listener (TCP_NODELAY), each request run to its end, and a bounded stop; and
//! the layers every request passes (`headers`, `forms`, `sessions`) and who may use each
//! route (`access`).
pub mod access;
pub mod forms;
pub mod headers;
pub mod sessions;

use crate::panic_page;
use axum::response::Response;
use axum::Router;

/// How long connections still open at Ctrl-C or SIGTERM get to finish before the server
/// stops anyway (a stop must not wait on a client that never closes its connection).
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a client may take to send a request's headers (a slow client holding
/// connections open half-sent is cut off), and how long a request body may go without
/// sending anything.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
pub const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// How long a slow client may take: to send a request's headers, and between two pieces of
/// a request's body.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub header_read: std::time::Duration,
    pub body_idle: std::time::Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: HEADER_READ_TIMEOUT,
            body_idle: BODY_IDLE_TIMEOUT,
        }
    }
}

/// Serve until Ctrl-C or SIGTERM, then give open connections `SHUTDOWN_GRACE` to finish.
/// Every connection has TCP_NODELAY: a response written in more than one piece (a streamed
/// page, a static file's headers then body) otherwise waits for the client's delayed ACK,
/// about 40 ms each (the load benchmark found every page and even a 2 KB static file at a
/// 40 ms floor). Connections are served by hyper directly (axum::serve cannot set hyper's
/// header read timeout): headers must arrive within [`HEADER_READ_TIMEOUT`], and a request
/// body that stops sending for [`BODY_IDLE_TIMEOUT`] ends with an error (400).
pub async fn serve(router: Router, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_with(router, listener, Timeouts::default()).await
}

/// [`serve`] with other time limits for slow clients.
pub async fn serve_with(
    router: Router,
    listener: tokio::net::TcpListener,
    timeouts: Timeouts,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use tower::ServiceExt;
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        timeouts.body_idle,
    ));
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(std::time::Duration::from_secs(20)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let (tcp, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(%e, "could not accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(%e, "could not set TCP_NODELAY");
        }
        let service = RunToCompletion {
            router: router.clone(),
            client,
        }
        .map_request(|request: axum::http::Request<hyper::body::Incoming>| {
            request.map(axum::body::Body::new)
        });
        let connection = builder
            .serve_connection_with_upgrades(
                TokioIo::new(tcp),
                hyper_util::service::TowerToHyperService::new(service),
            )
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("connections still open {SHUTDOWN_GRACE:?} after the stop signal: stopping anyway");
        }
    }
    Ok(())
}

/// One connection's requests, each run to its end in a task of its own that starts when hyper
/// hands the request over, even if the client hangs up first. hyper drops (cancels) a
/// request's future when its connection closes, and sqlx is not safe to cancel everywhere: on
/// PostgreSQL a request cancelled while `BEGIN` is on the wire leaves its pooled connection
/// inside a transaction that nothing ends (sqlx 0.8.6 and 0.9.0, transact-rs/sqlx#4393), so
/// later statements on it do not commit and its locks stall other requests. A request cut off
/// between its commit and the session save or the data epoch's move would leave those
/// behind too. The task starts in `call`, not on the future's first poll: hyper can see the
/// hang-up before it polls. Also gives each request the client's address (`ConnectInfo`).
#[derive(Clone)]
struct RunToCompletion {
    router: Router,
    client: std::net::SocketAddr,
}

impl tower::Service<axum::extract::Request> for RunToCompletion {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Response, std::convert::Infallible>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: axum::extract::Request) -> Self::Future {
        use tower::ServiceExt;
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.client));
        let task = tokio::spawn(self.router.clone().oneshot(request));
        Box::pin(async move {
            Ok(match task.await {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(e) => panic_page(Box::new(e.to_string())),
            })
        })
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
