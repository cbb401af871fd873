//! Mail transports: SMTP through lettre, or an outbox folder for development.
use app::mail::{Mailer, OutgoingMail};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::{Arc, Mutex};

fn build(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, String> {
    let to: Mailbox = mail.to.parse().map_err(|e| format!("bad recipient: {e}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| e.to_string())
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        Ok(Self {
            transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
            from: from.parse()?,
        })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), String> {
        let message = build(&self.from, &mail)?;
        self.transport
            .send(message)
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(to = %mail.to, subject = %mail.subject, "email sent over SMTP");
        Ok(())
    }
}

/// Writes each message as an .eml file in a folder, and logs it.
pub struct OutboxMailer {
    transport: AsyncFileTransport<Tokio1Executor>,
    dir: String,
    from: Mailbox,
}

impl OutboxMailer {
    pub fn new(dir: &str, from: &str) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            transport: AsyncFileTransport::new(dir),
            dir: dir.to_string(),
            from: from.parse()?,
        })
    }
}

#[async_trait::async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), String> {
        let message = build(&self.from, &mail)?;
        let id = self
            .transport
            .send(message)
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(
            to = %mail.to,
            subject = %mail.subject,
            file = %format!("{}/{id}.eml", self.dir),
            "email written to the outbox (no SMTP server configured)\n{}",
            mail.body
        );
        Ok(())
    }
}

/// Keeps messages in memory, for tests.
#[derive(Clone, Default)]
pub struct CapturingMailer(pub Arc<Mutex<Vec<OutgoingMail>>>);

impl CapturingMailer {
    pub fn messages(&self) -> Vec<OutgoingMail> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

#[async_trait::async_trait]
impl Mailer for CapturingMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), String> {
        self.0.lock().map_err(|e| e.to_string())?.push(mail);
        Ok(())
    }
}
