//! Running the service: the HTTP server and the outbox worker side by side, both stopping
//! cleanly on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use metrics_exporter_prometheus::PrometheusBuilder;
use services::mail::Mailer;
use services::upkeep::{ExtraJob, Upkeep};
use store::Store;
use tokio::sync::watch;
use web::AppState;

use crate::config::Config;

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    serve_store(config, store).await
}

pub async fn serve_store(config: Config, store: Store) -> anyhow::Result<()> {
    let started = Instant::now();
    let metrics = PrometheusBuilder::new()
        .install_recorder()
        .context("installing the metrics recorder")?;
    let mailer = Mailer::new(store.clone(), &config.web.mail).context("setting up email")?;
    let session_policy = config.web.session_policy();
    let state = AppState::new(store.clone(), config.web.clone(), metrics).await?;
    let app = web::router(state);

    let (stop, stopped) = watch::channel(false);
    let worker = tokio::spawn(mailer.run_until_shutdown(stopped.clone()));
    let sweeper = tokio::spawn(purge_sessions(
        store.clone(),
        session_policy,
        stopped.clone(),
    ));
    let mut upkeep = Upkeep::new(store.clone(), config.web.clone());
    if let Some(dir) = config.backup.dir.clone() {
        upkeep = upkeep.with_backup(scheduled_backup(dir, config.backup.keep));
    }
    let upkeep = tokio::spawn(upkeep.run_until_shutdown(stopped.clone()));

    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("listening on {}", config.addr))?;
    tracing::info!(
        addr = %config.addr,
        ready_ms = started.elapsed().as_millis() as u64,
        "Peer Challenge is ready at {}",
        config.web.base_url
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving")?;
    tracing::info!("shutting down: finishing the email in progress");
    let _ = stop.send(true);
    let _ = worker.await;
    let _ = sweeper.await;
    let _ = upkeep.await;
    store.close().await?;
    Ok(())
}

/// Remove sessions that have ended, every ten minutes.
async fn purge_sessions(
    store: Store,
    policy: store::SessionPolicy,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        if let Err(error) = store
            .purge_expired_sessions(policy, chrono::Utc::now())
            .await
        {
            tracing::warn!(%error, "could not purge expired sessions");
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(600)) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// The daily backup as an upkeep job: a timestamped copy in `dir`, keeping the newest
/// `keep`. The co-ordinator's page shows the file's name, never the folder's path.
fn scheduled_backup(dir: PathBuf, keep: usize) -> ExtraJob {
    Box::new(move |store| {
        let dir = dir.clone();
        Box::pin(async move {
            match crate::backup::take_scheduled(&store, &dir, keep).await {
                Ok(path) => Ok(format!(
                    "Saved as {}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                )),
                Err(error) => {
                    tracing::warn!(error = format!("{error:#}"), "scheduled backup failed");
                    Err("The backup could not be written (the server log has the details)".into())
                }
            }
        })
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
