//! Provisioning: egov is the mail server's account directory. It writes
//! the directory as files the server reads — a Dovecot passwd-file and
//! Postfix's `texthash` tables of addresses and aliases — each replaced
//! whole (written beside, synced, renamed), then runs the configured
//! reload command so Postfix re-reads its tables.
//!
//! `provision` applies the boxes with changes the server has not seen, a
//! batch at a time: it writes the files first, then records in the
//! registry the revision each box reached. Stopped between the two, the
//! next run applies the same revisions again, which changes nothing: it
//! is idempotent and resumes where it stopped. `reconcile` compares the
//! files with the registry and reports (or, asked to, repairs) drift.

use std::path::{Path, PathBuf};

use domain::authz::Permission;
use domain::mail::directory::{Directory, Drift, drift};
use domain::mail::mailboxes::{Change, Mailbox, MailboxStatus};
use domain::mail::outbox::About;
use store::mail::mailboxes::MailboxEvent;
use tokio::io::AsyncWriteExt;

use super::outbox;
use crate::{App, AppError, Ctx};

const PASSWD: &str = "passwd";
const MAILBOXES: &str = "virtual_mailboxes";
const ALIASES: &str = "virtual_aliases";
/// Boxes applied per write of the files.
const BATCH: u64 = 250;

/// What a provisioning run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Provisioned {
    /// Boxes whose changes reached the server.
    pub applied: usize,
    /// Of those, boxes the server had for the first time.
    pub created: usize,
    /// Boxes still waiting (the run was limited).
    pub waiting: usize,
}

/// The directory files in one folder.
#[derive(Debug, Clone)]
struct Files {
    dir: PathBuf,
    reload: Option<String>,
}

impl Files {
    async fn read(&self) -> Result<(Directory, String), AppError> {
        let passwd = read_or_empty(&self.dir.join(PASSWD)).await?;
        let aliases = read_or_empty(&self.dir.join(ALIASES)).await?;
        let mailboxes = read_or_empty(&self.dir.join(MAILBOXES)).await?;
        let directory = Directory::parse(&passwd, &aliases)
            .map_err(|e| AppError::Internal(format!("tệp danh bạ máy chủ thư: {e}")))?;
        Ok((directory, mailboxes))
    }

    /// Writes the three files, each whole, then has the server re-read
    /// them. The passwd-file goes last: an account can sign in only once
    /// Postfix accepts its mail.
    async fn write(&self, directory: &Directory) -> Result<(), AppError> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| io(&self.dir, &e))?;
        replace(&self.dir.join(ALIASES), &directory.virtual_aliases()).await?;
        replace(&self.dir.join(MAILBOXES), &directory.virtual_mailboxes()).await?;
        replace(&self.dir.join(PASSWD), &directory.passwd_file()).await?;
        self.run_reload().await
    }

    async fn run_reload(&self) -> Result<(), AppError> {
        let Some(command) = self.reload.as_deref() else {
            return Ok(());
        };
        let mut words = command.split_whitespace();
        let Some(program) = words.next() else {
            return Ok(());
        };
        let output = tokio::process::Command::new(program)
            .args(words)
            .output()
            .await
            .map_err(|e| AppError::Unavailable(format!("không chạy được «{command}»: {e}")))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(AppError::Unavailable(format!(
                "«{command}» thất bại ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )))
        }
    }
}

async fn read_or_empty(path: &Path) -> Result<String, AppError> {
    match tokio::fs::read_to_string(path).await {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(io(path, &e)),
    }
}

/// Replaces `path` with `text` so that a reader sees the old file or the
/// new one, never part of it, and a crash keeps one of the two.
async fn replace(path: &Path, text: &str) -> Result<(), AppError> {
    let partial = path.with_extension("egov-part");
    let mut file = tokio::fs::File::create(&partial)
        .await
        .map_err(|e| io(&partial, &e))?;
    file.write_all(text.as_bytes())
        .await
        .map_err(|e| io(&partial, &e))?;
    file.sync_all().await.map_err(|e| io(&partial, &e))?;
    drop(file);
    tokio::fs::rename(&partial, path)
        .await
        .map_err(|e| io(path, &e))
}

fn io(path: &Path, error: &std::io::Error) -> AppError {
    AppError::Internal(format!("{}: {error}", path.display()))
}

/// Holds the directory folder's lock file for the length of a run, so two
/// runs (the server's loop and an operator's command) never interleave
/// their writes.
struct RunLock(std::fs::File);

impl RunLock {
    fn take(dir: &Path) -> Result<Self, AppError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
        let path = dir.join(".egov.lock");
        let file = std::fs::File::create(&path).map_err(|e| io(&path, &e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(AppError::Conflict(
                "Đang có một lượt cấp hộp thư khác chạy; hãy thử lại sau".into(),
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(io(&path, &e)),
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl App {
    fn directory_files(&self) -> Result<Files, AppError> {
        let dir = self.config.mail.directory.clone().ok_or_else(|| {
            AppError::Unavailable(
                "Chưa cấu hình thư mục danh bạ máy chủ thư (EGOV_MAIL_DIRECTORY)".into(),
            )
        })?;
        Ok(Files {
            dir,
            reload: self.config.mail.reload_command.clone(),
        })
    }

    /// Applies the boxes the server has not caught up with, `BATCH` at a
    /// time, at most `limit` of them; `progress` hears (done, waiting at
    /// the start).
    pub async fn provision_mailboxes(
        &self,
        ctx: &Ctx,
        limit: Option<usize>,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Provisioned, AppError> {
        ctx.require_anywhere(Permission::OperateMail)?;
        let files = self.directory_files()?;
        let _lock = RunLock::take(&files.dir)?;
        let total = self.store.read().await?.pending_mailbox_count().await?;
        let (mut server, _) = files.read().await?;
        let mut done = Provisioned::default();
        loop {
            let room = limit.map_or(BATCH, |l| BATCH.min((l - done.applied) as u64));
            if room == 0 {
                break;
            }
            let pending = self.store.read().await?.pending_mailboxes(room).await?;
            if pending.is_empty() {
                break;
            }
            for mailbox in &pending {
                match mailbox.entry() {
                    Some(entry) => server.upsert(entry),
                    None => server.remove(&mailbox.address),
                }
            }
            files.write(&server).await?;
            done.created += self.record_synced(ctx, &pending).await?;
            done.applied += pending.len();
            progress(done.applied, total);
        }
        done.waiting = self.store.read().await?.pending_mailbox_count().await?;
        Ok(done)
    }

    /// Records that the server holds `boxes` at the revisions read: an
    /// approved box becomes active. A box changed since keeps its newer
    /// revision pending. Returns how many became active.
    async fn record_synced(&self, ctx: &Ctx, boxes: &[Mailbox]) -> Result<usize, AppError> {
        let now = domain::to_stored_precision(self.now());
        let mut created = 0;
        let tx = self.store.write().await?;
        for applied in boxes {
            let Some(current) = tx.mailbox(applied.id).await? else {
                continue;
            };
            let mut next = current.clone();
            if current.status == MailboxStatus::Approved && applied.entry().is_some() {
                next = current
                    .apply(&Change::Activate)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                next.activated_at = Some(now);
                created += 1;
                // The new box's first mail: egov's welcome, through the
                // outbox like every mail it sends.
                let agency = tx
                    .agency(next.agency_id)
                    .await?
                    .map(|a| a.name)
                    .unwrap_or_default();
                let mut welcome =
                    outbox::mailbox_created(&next.display_name, &next.address, &agency);
                welcome.about = Some(About::Mailbox(next.id));
                welcome.dedup_key = Some(format!("mailbox_created:{}", next.id));
                outbox::enqueue(&tx, &welcome, now).await?;
                tx.insert_mailbox_event(
                    next.id,
                    &MailboxEvent {
                        at: now,
                        person_id: ctx.actor.as_ref().map(|a| a.person_id),
                        action: "activated".into(),
                        note: String::new(),
                    },
                )
                .await?;
            }
            tx.mark_mailbox_synced(&next, applied.revision).await?;
        }
        tx.commit().await?;
        if created > 0 {
            self.send_mail_now().await;
        }
        Ok(created)
    }

    /// What differs between the registry and the server's files, apart
    /// from boxes still waiting for provisioning; with `repair`, the
    /// files are rewritten from the registry and every box recorded as
    /// applied.
    pub async fn reconcile_mailboxes(
        &self,
        ctx: &Ctx,
        repair: bool,
    ) -> Result<Reconciliation, AppError> {
        ctx.require_anywhere(Permission::OperateMail)?;
        let files = self.directory_files()?;
        let _lock = RunLock::take(&files.dir)?;
        let read = self.store.read().await?;
        let wanted = read.directory_mailboxes().await?;
        let pending = read.pending_mailboxes(u64::MAX).await?;
        drop(read);
        let mut registry = Directory::default();
        for entry in wanted.iter().filter_map(Mailbox::entry) {
            registry.upsert(entry);
        }
        let (server, mailboxes) = files.read().await?;
        let waiting: std::collections::HashSet<&str> =
            pending.iter().map(|m| m.address.as_str()).collect();
        let mut found: Vec<Drift> = drift(&registry, &server)
            .into_iter()
            .filter(|d| !waiting.contains(drifted(d)))
            .collect();
        if mailboxes != server.virtual_mailboxes() {
            found.push(Drift::Differs {
                address: MAILBOXES.into(),
                what: "bảng địa chỉ của Postfix",
            });
        }
        let repaired = repair && (!found.is_empty() || !pending.is_empty());
        if repaired {
            files.write(&registry).await?;
            self.record_synced(ctx, &pending).await?;
        }
        Ok(Reconciliation {
            drift: found,
            waiting: pending.len(),
            repaired,
        })
    }
}

/// What a reconciliation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciliation {
    /// Differences not explained by boxes waiting for provisioning.
    pub drift: Vec<Drift>,
    /// Boxes whose changes the server has not had yet.
    pub waiting: usize,
    /// Whether the files were rewritten from the registry.
    pub repaired: bool,
}

fn drifted(d: &Drift) -> &str {
    match d {
        Drift::Missing(a) | Drift::Extra(a) | Drift::Differs { address: a, .. } => a,
    }
}
