//! pcmd's store: one schema on embedded SQLite (the default) and PostgreSQL,
//! chosen from the database URL. SQL is written once (sqlx's `Any` driver,
//! `$n` placeholders, ISO-text dates); the two migration histories are kept
//! side by side in `migrations/` and checked by one contract test suite.

pub mod account_admin;
mod accounts;
mod agencies;
pub mod agency_admin;
pub mod audit;
pub mod backup;
mod behind;
pub mod changes;
mod connect;
mod dataset;
pub mod erasures;
mod error;
mod facts;
pub mod idempotency;
pub mod plan_duties;
pub mod plan_versions;
mod plans;
pub mod portal;
pub mod privacy;
pub mod private_file;
mod progress;
pub mod records;
pub mod referrals;
mod reminders;
pub mod reports;
mod sealed;
mod settings;
pub mod target_values;
pub mod unit_changes;
mod units;

pub use account_admin::{AccountView, SessionView};
pub use accounts::{NewUser, UserRecord};
pub use agencies::{save_agencies, AgencyView, LeadView};
pub use agency_admin::NewAgency;
pub use behind::{record_kind_behind, RecordRef};
pub use connect::{Backend, Store};
pub use dataset::content_hash;
pub use dataset::{dataset_hash, record_dataset};
pub use error::StoreError;
pub use facts::*;
pub use plan_versions::{PlanVersionView, Saver};
pub use plans::{save_plan, BudgetLineView, PlanSummary, PlanView, SaveOutcome, TargetView, TaskView};
pub use progress::{latest_status, ProgressView};
pub use sealed::Sealer;
pub use target_values::{NewReportedValue, ReportedValue};
pub use units::{import_units, Succession, UNITS_DATASET};

/// A transaction on either backend.
///
/// A pitfall of sqlx 0.8's `Any` driver on PostgreSQL: it binds a `None::<f64>`
/// as a `real` (float4) NULL, and a statement prepared with it then refuses a
/// non-null `f64`. Every query that binds an `Option<f64>` is therefore run with
/// `.persistent(false)`, so that it is prepared anew with the actual types.
///
/// It carries the store's audit anchoring key, so that the audit entry written
/// in it is anchored (see `audit`); it derefs to the connection, as sqlx's does.
pub struct Tx<'a> {
    inner: sqlx::Transaction<'a, sqlx::Any>,
    audit_key: Option<audit::AuditKey>,
}

impl<'a> Tx<'a> {
    pub(crate) fn new(inner: sqlx::Transaction<'a, sqlx::Any>, audit_key: Option<audit::AuditKey>) -> Self {
        Tx { inner, audit_key }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
    }
}

/// A savepoint inside a transaction: committing it keeps its work inside the
/// outer transaction, rolling it back undoes only its own.
pub async fn savepoint<'a>(tx: &'a mut Tx<'_>) -> Result<Tx<'a>, StoreError> {
    let key = tx.audit_key;
    Ok(Tx::new(sqlx::Acquire::begin(&mut **tx).await?, key))
}
