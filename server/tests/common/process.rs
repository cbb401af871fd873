//! The real `seedbed` binary as a child process, on a database the test's in-process app
//! also uses: for the tests that stop, kill or run several instances.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// `N` different loopback ports nothing listens on now.
pub fn free_ports<const N: usize>() -> [u16; N] {
    let listeners: Vec<std::net::TcpListener> = (0..N)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port"))
        .collect();
    std::array::from_fn(|i| {
        listeners[i]
            .local_addr()
            .map(|a| a.port())
            .expect("a bound port")
    })
}

/// One `seedbed serve` process. Dropping it kills the process.
pub struct Instance {
    process: Option<std::process::Child>,
    binary: PathBuf,
    pub port: u16,
    /// Its own address (not through a proxy).
    pub base: String,
    /// Where its mail is written, one file a message.
    pub outbox: PathBuf,
    env: Vec<(String, String)>,
}

impl Instance {
    /// Start `seedbed serve` on `database_url` with its own port and outbox under `dir`, and
    /// wait until `/health` answers. `env` adds or overrides settings (SEEDBED_BASE_URL, …).
    pub async fn start(database_url: &str, dir: &Path, env: &[(&str, &str)]) -> Instance {
        let [port] = free_ports();
        Instance::start_on(port, database_url, dir, env).await
    }

    /// `start` on a port chosen by the caller.
    pub async fn start_on(
        port: u16,
        database_url: &str,
        dir: &Path,
        env: &[(&str, &str)],
    ) -> Instance {
        let binary = PathBuf::from(env!("CARGO_BIN_EXE_seedbed"));
        Instance::start_binary(binary, port, database_url, dir, env).await
    }

    /// `start_on` with a copy of the binary (files it reads from beside itself differ).
    pub async fn start_binary(
        binary: PathBuf,
        port: u16,
        database_url: &str,
        dir: &Path,
        env: &[(&str, &str)],
    ) -> Instance {
        let outbox = dir.join(format!("outbox-{port}"));
        let base = format!("http://127.0.0.1:{port}");
        let mut all: Vec<(String, String)> = [
            ("SEEDBED_DATABASE_URL", database_url.to_string()),
            ("SEEDBED_ADDR", format!("127.0.0.1:{port}")),
            ("SEEDBED_BASE_URL", base.clone()),
            ("SEEDBED_OUTBOX_DIR", outbox.display().to_string()),
            ("SEEDBED_LOG", "error".to_string()),
            ("LEPTOS_OUTPUT_NAME", "seedbed".to_string()),
            ("LEPTOS_SITE_ROOT", dir.display().to_string()),
            ("LEPTOS_SITE_PKG_DIR", "pkg".to_string()),
            ("LEPTOS_ENV", "PROD".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for (key, value) in env {
            all.retain(|(k, _)| k != key);
            all.push((key.to_string(), value.to_string()));
        }
        let mut instance = Instance {
            process: None,
            binary,
            port,
            base,
            outbox,
            env: all,
        };
        instance.start_again().await;
        instance
    }

    /// Start the process again (after `stop` or `kill`) on the same port and settings.
    pub async fn start_again(&mut self) {
        assert!(self.process.is_none(), "already running");
        let mut process = std::process::Command::new(&self.binary)
            .arg("serve")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the seedbed binary starts");
        let client = reqwest::Client::new();
        for _ in 0..400 {
            let up = client
                .get(format!("{}/health", self.base))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if up {
                self.process = Some(process);
                return;
            }
            if let Ok(Some(status)) = process.try_wait() {
                panic!("seedbed serve exited at start: {status}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = process.kill();
        let _ = process.wait();
        panic!("seedbed serve did not answer /health within 20 s");
    }

    /// SIGTERM, as systemd stops a service: it stops taking connections, finishes the
    /// requests it has, and exits. Waits for the exit.
    pub async fn stop(&mut self) {
        let Some(mut process) = self.process.take() else {
            return;
        };
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &process.id().to_string()])
            .status();
        for _ in 0..600 {
            if let Ok(Some(_)) = process.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = process.kill();
        let _ = process.wait();
        panic!("seedbed serve did not stop within 30 s of SIGTERM");
    }

    /// SIGKILL: the process dies at once, mid-request.
    pub fn kill(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    /// The subjects of the mail this instance has written to its outbox so far.
    pub fn mail_subjects(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.outbox) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter_map(|text| {
                // Headers end at the first empty line; a long one is folded onto lines
                // that start with white space.
                let headers = text.split("\r\n\r\n").next()?.replace("\r\n ", " ");
                headers
                    .lines()
                    .find_map(|l| l.strip_prefix("Subject: ").map(str::to_string))
            })
            .collect()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}
