use clap::Parser;
use server::config::{secure_cookies_default, Cli, Command, ServeArgs};

use std::sync::Arc;

/// mimalloc instead of glibc malloc: under load (perf, release) glibc's malloc, free and
/// consolidation took about a fifth of the server's CPU on every page. It keeps freed memory
/// 10 ms before giving it back; `MIMALLOC_PURGE_DELAY=0` in the environment gives it back at
/// once (README: Configuration, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threads of tokio's blocking pool at most. Static files and uploads are read there
/// (tokio::fs) and passwords are hashed there; left at tokio's default (512), 32 connections
/// asking for a static file grew it to 163 threads and the server's RSS from 66 to 141 MB.
/// The work is bounded by the cores, not by threads: more only cost memory.
const BLOCKING_THREADS: usize = 16;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()?;
    let result = runtime.block_on(run());
    // Dropping the runtime would wait for every blocking task, however long it takes.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    result
}

async fn run() -> anyhow::Result<()> {
    let mut cli = Cli::parse();
    if cli.command.is_none() {
        // `serve` is the default: parse again so its flags and environment variables apply.
        cli = Cli::parse_from(std::env::args().chain(["serve".to_string()]));
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&cli.common.log))
        .init();
    let common = cli.common.clone();
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Migrate => {
            let pool = app::db::connect(&common.database_url, 2).await?;
            app::db::migrate(&pool, &common.database_url).await?;
            println!("Migrations applied to {}", redact(&common.database_url));
        }
        Command::Demo { scale: None } => {
            let pool = app::db::connect(&common.database_url, 2).await?;
            app::db::migrate(&pool, &common.database_url).await?;
            server::cli::demo::load(&pool).await?;
            println!("{}", server::cli::demo::describe());
        }
        Command::Demo { scale: Some(n) } => {
            let scale = server::cli::scale::Scale::times(n).map_err(anyhow::Error::msg)?;
            let pool = app::db::connect(&common.database_url, 2).await?;
            app::db::migrate(&pool, &common.database_url).await?;
            let started = std::time::Instant::now();
            let loaded = server::cli::scale::load(&pool, scale).await?;
            println!("{}", server::cli::demo::describe());
            println!(
                "Scale data (N = {n}) loaded in {:.1} s: {} organisations, {} rounds, {} bids, {} scores, {} funded schemes with {} returns, {} audit entries",
                started.elapsed().as_secs_f64(),
                loaded.organisations,
                scale.rounds,
                loaded.bids,
                loaded.scores,
                loaded.schemes,
                loaded.returns,
                loaded.audit_entries,
            );
            println!(
                "Moderation page: /fund/rounds/{}/moderation",
                loaded.moderation_round
            );
            println!("Open round page: /rounds/{}", loaded.open_round);
        }
        Command::CreateAdmin { email, name } => {
            let pool = app::db::connect(&common.database_url, 2).await?;
            app::db::migrate(&pool, &common.database_url).await?;
            let link =
                server::cli::demo::create_admin(&pool, &email, &name, &common.base_url).await?;
            println!(
                "{email} is an admin. To set the password, open this link within 24 hours:\n{link}"
            );
        }
        Command::Backup { path } => {
            let bytes = server::cli::backup::backup(&common.database_url, &path).await?;
            println!(
                "Backed up {} to {} ({} KB)",
                redact(&common.database_url),
                path.display(),
                bytes / 1024
            );
        }
        Command::Restore { path } => {
            server::cli::backup::restore(&common.database_url, &path).await?;
            println!(
                "Restored {} from {}",
                redact(&common.database_url),
                path.display()
            );
        }
        Command::Serve(args) => serve(common, args).await?,
    }
    Ok(())
}

fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((scheme_user, host)) => {
            let scheme = scheme_user.split("://").next().unwrap_or("db");
            format!("{scheme}://…@{host}")
        }
        None => url.to_string(),
    }
}

async fn serve(common: server::config::Common, args: ServeArgs) -> anyhow::Result<()> {
    let conf = leptos::prelude::get_configuration(None)?;
    let mut leptos_options = conf.leptos_options;
    if leptos_options.output_name.is_empty() {
        leptos_options.output_name = "seedbed".into();
    }
    if let Some(addr) = &args.addr {
        leptos_options.site_addr = addr.parse()?;
    }
    let mailer: Arc<dyn app::mail::Mailer> = match &common.smtp_url {
        Some(url) => Arc::new(server::mail::SmtpMailer::new(url, &common.mail_from)?),
        None => Arc::new(server::mail::OutboxMailer::new(
            &common.outbox_dir,
            &common.mail_from,
        )?),
    };
    let addr = leptos_options.site_addr;
    let (router, state) = server::build(server::BuildOptions {
        database_url: common.database_url.clone(),
        max_connections: common.database_max_connections,
        base_url: common.base_url.clone(),
        secure_cookies: args
            .secure_cookies
            .unwrap_or_else(|| secure_cookies_default(&common.base_url)),
        leptos_options,
        mailer,
        open_data_prefix: common.open_data_prefix.clone(),
        trusted_proxies: args.trusted_proxies.clone(),
        contact: app::state::Contact {
            email: common.contact_email.clone(),
            phone: common.contact_phone.clone(),
            address: common.contact_address.clone(),
            hours: common.contact_hours.clone(),
        },
    })
    .await?;
    if args.demo {
        server::cli::demo::load(&state.pool).await?;
        println!("{}", server::cli::demo::describe());
    }
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!(
        "Seedbed is running at http://{addr} on {}",
        redact(&common.database_url)
    );
    server::serve(router, listener).await?;
    Ok(())
}
