//! Where the engine reads its facts: per-unit sums of the records over a range
//! of days. The store implements it (from maintained aggregates and the record
//! tables); the engine's own tests implement it over records held in memory,
//! so that its rules are tested without a database.

use chrono::NaiveDate;
use pcmd_store::{
    ActivityFact, ActivityQuarterFact, CaseFact, DistrictPlanFact, EstablishmentFact, PublicationFact, ReferenceFact, ReportedValue, Store,
    StoreError, SupportFact, TipFact, TrainingFact,
};
use std::future::Future;

type Facts<T> = Result<Vec<T>, StoreError>;

/// The facts the engine needs; `within`, when given, restricts them to those units.
pub trait FactSource: Sync {
    /// Activities by unit over `[from, to]`.
    fn activity_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<ActivityFact>> + Send;
    /// The quarters with an activity, by unit (bit k: the k-th quarter from `first`), calendar months `first`..=`last`.
    fn activity_quarter_facts(&self, first: &str, last: &str, within: Option<&[i64]>) -> impl Future<Output = Facts<ActivityQuarterFact>> + Send;
    /// Publications by unit, outlet level and day over `[from, to]`.
    fn publication_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<PublicationFact>> + Send;
    /// Establishments open at some time in `[from, to]`, their workers, inspected in it, and still to inspect.
    fn establishment_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<EstablishmentFact>> + Send;
    /// `establishment_facts` of the whole country for each range; a source may read them in one go.
    fn establishment_facts_for(
        &self,
        ranges: &[(NaiveDate, NaiveDate)],
    ) -> impl Future<Output = Result<Vec<Vec<EstablishmentFact>>, StoreError>> + Send {
        async move {
            let mut out = Vec::with_capacity(ranges.len());
            for (from, to) in ranges {
                out.push(self.establishment_facts(*from, *to, None).await?);
            }
            Ok(out)
        }
    }
    /// Tips whose effective deadline falls in `[from, to]`, as known on `as_of`.
    fn tip_facts(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<TipFact>> + Send;
    fn case_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<CaseFact>> + Send;
    fn district_plan_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<DistrictPlanFact>> + Send;
    /// Units with a pilot model running at some time in `[from, to]`.
    fn pilot_units(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<i64>> + Send;
    fn support_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<SupportFact>> + Send;
    fn training_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<TrainingFact>> + Send;
    fn reference_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<ReferenceFact>> + Send;
    /// The values reported for a target no indicator computes, for one unit.
    fn reported_values(&self, plan_key: &str, target: &str, unit_id: i64) -> impl Future<Output = Facts<ReportedValue>> + Send;
}

impl FactSource for Store {
    fn activity_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<ActivityFact>> + Send {
        Store::activity_facts(self, from, to, within)
    }

    fn activity_quarter_facts(&self, first: &str, last: &str, within: Option<&[i64]>) -> impl Future<Output = Facts<ActivityQuarterFact>> + Send {
        Store::activity_quarter_facts(self, first, last, within)
    }

    fn publication_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<PublicationFact>> + Send {
        Store::publication_facts(self, from, to, None)
    }

    fn establishment_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<EstablishmentFact>> + Send {
        Store::establishment_facts(self, from, to, within)
    }

    fn establishment_facts_for(
        &self,
        ranges: &[(NaiveDate, NaiveDate)],
    ) -> impl Future<Output = Result<Vec<Vec<EstablishmentFact>>, StoreError>> + Send {
        Store::establishment_facts_for(self, ranges)
    }

    fn tip_facts(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<TipFact>> + Send {
        Store::tip_facts(self, from, to, as_of, within)
    }

    fn case_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<CaseFact>> + Send {
        Store::case_facts(self, first_year, last_year, None)
    }

    fn district_plan_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<DistrictPlanFact>> + Send {
        Store::district_plan_facts(self, first_year, last_year, None)
    }

    fn pilot_units(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<i64>> + Send {
        Store::pilot_units(self, from, to, None)
    }

    fn support_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<SupportFact>> + Send {
        Store::support_facts(self, from, to, within)
    }

    fn training_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<TrainingFact>> + Send {
        Store::training_facts(self, from, to, None)
    }

    fn reference_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<ReferenceFact>> + Send {
        Store::reference_facts(self, first_year, last_year, None)
    }

    fn reported_values(&self, plan_key: &str, target: &str, unit_id: i64) -> impl Future<Output = Facts<ReportedValue>> + Send {
        Store::reported_values(self, plan_key, target, unit_id)
    }
}
