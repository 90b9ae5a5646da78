//! Facts read from the store once per range and kept for the engine's lifetime.

use crate::source::FactSource;
use chrono::NaiveDate;
use pcmd_store::*;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

type Range = (NaiveDate, NaiveDate);

/// Facts are kept sorted by unit, for `indicators::of_members`.
trait ByUnit {
    fn unit(&self) -> i64;
}

macro_rules! by_unit {
    ($($t:ty),*) => { $(impl ByUnit for $t { fn unit(&self) -> i64 { self.unit_id } })* };
}
by_unit!(
    ActivityQuarterFact,
    ActivityFact,
    PublicationFact,
    EstablishmentFact,
    TipFact,
    CaseFact,
    DistrictPlanFact,
    SupportFact,
    TrainingFact,
    ReferenceFact
);

impl ByUnit for i64 {
    fn unit(&self) -> i64 {
        *self
    }
}

fn sort_by_unit<T: ByUnit>(v: &mut [T]) {
    v.sort_by_key(ByUnit::unit);
}

pub struct FactBook<'a, S: FactSource = Store> {
    store: &'a S,
    /// Only these units' facts are read (sorted), when the engine serves one territory.
    within: Option<Vec<i64>>,
    activities: HashMap<Range, Vec<ActivityFact>>,
    activity_quarters: HashMap<(String, String), Vec<ActivityQuarterFact>>,
    publications: HashMap<Range, Vec<PublicationFact>>,
    establishments: HashMap<Range, Vec<EstablishmentFact>>,
    tips: HashMap<(NaiveDate, NaiveDate, NaiveDate), Vec<TipFact>>,
    cases: HashMap<(i32, i32), Vec<CaseFact>>,
    district_plans: HashMap<(i32, i32), Vec<DistrictPlanFact>>,
    pilots: HashMap<Range, Vec<i64>>,
    support: HashMap<Range, Vec<SupportFact>>,
    training: HashMap<Range, Vec<TrainingFact>>,
    references: HashMap<(i32, i32), Vec<ReferenceFact>>,
}

macro_rules! memo {
    ($self:ident . $field:ident, $key:expr, $load:expr) => {{
        let slot = match $self.$field.entry($key) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let mut v = $load.await?;
                sort_by_unit(&mut v);
                e.insert(v)
            }
        };
        Ok(slot.as_slice())
    }};
}

impl<'a, S: FactSource> FactBook<'a, S> {
    pub fn new(store: &'a S, within: Option<Vec<i64>>) -> Self {
        FactBook {
            store,
            within,
            activities: HashMap::new(),
            activity_quarters: HashMap::new(),
            publications: HashMap::new(),
            establishments: HashMap::new(),
            tips: HashMap::new(),
            cases: HashMap::new(),
            district_plans: HashMap::new(),
            pilots: HashMap::new(),
            support: HashMap::new(),
            training: HashMap::new(),
            references: HashMap::new(),
        }
    }

    pub async fn activities(&mut self, r: Range) -> Result<&[ActivityFact], StoreError> {
        memo!(self.activities, r, self.store.activity_facts(r.0, r.1, self.within.as_deref()))
    }

    /// The quarters with an activity, by unit, for calendar months `first`..=`last` (`YYYY-MM`).
    pub async fn activity_quarters(&mut self, first: String, last: String) -> Result<&[ActivityQuarterFact], StoreError> {
        memo!(self.activity_quarters, (first.clone(), last.clone()), self.store.activity_quarter_facts(&first, &last, self.within.as_deref()))
    }

    pub async fn publications(&mut self, r: Range) -> Result<&[PublicationFact], StoreError> {
        memo!(self.publications, r, self.store.publication_facts(r.0, r.1))
    }

    pub async fn establishments(&mut self, r: Range) -> Result<&[EstablishmentFact], StoreError> {
        memo!(self.establishments, r, self.store.establishment_facts(r.0, r.1, self.within.as_deref()))
    }

    pub async fn tips(&mut self, r: Range, as_of: NaiveDate) -> Result<&[TipFact], StoreError> {
        memo!(self.tips, (r.0, r.1, as_of), self.store.tip_facts(r.0, r.1, as_of, self.within.as_deref()))
    }

    pub async fn cases(&mut self, years: (i32, i32)) -> Result<&[CaseFact], StoreError> {
        memo!(self.cases, years, self.store.case_facts(years.0, years.1))
    }

    pub async fn district_plans(&mut self, years: (i32, i32)) -> Result<&[DistrictPlanFact], StoreError> {
        memo!(self.district_plans, years, self.store.district_plan_facts(years.0, years.1))
    }

    pub async fn pilots(&mut self, r: Range) -> Result<&[i64], StoreError> {
        memo!(self.pilots, r, self.store.pilot_units(r.0, r.1))
    }

    pub async fn support(&mut self, r: Range) -> Result<&[SupportFact], StoreError> {
        memo!(self.support, r, self.store.support_facts(r.0, r.1, self.within.as_deref()))
    }

    pub async fn training(&mut self, r: Range) -> Result<&[TrainingFact], StoreError> {
        memo!(self.training, r, self.store.training_facts(r.0, r.1))
    }

    pub async fn references(&mut self, years: (i32, i32)) -> Result<&[ReferenceFact], StoreError> {
        memo!(self.references, years, self.store.reference_facts(years.0, years.1))
    }
}
