//! Facts read from the store once per range and kept for the engine's lifetime.

use crate::source::FactSource;
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::units::ids::IdMap;
use pcmd_store::*;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) type Range = (NaiveDate, NaiveDate);

/// A fact of one unit. Facts are kept sorted by unit, for `indicators::of_members`.
pub trait ByUnit {
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

/// Facts sorted by unit, with where each unit's facts lie: a territory of a
/// few units finds its facts without searching.
pub struct Indexed<T> {
    rows: Vec<T>,
    at: IdMap<(usize, usize)>,
}

impl<T: ByUnit> Indexed<T> {
    pub fn new(mut rows: Vec<T>) -> Self {
        rows.sort_by_key(ByUnit::unit);
        let mut at = IdMap::default();
        let mut start = 0;
        for (i, r) in rows.iter().enumerate() {
            if rows.get(i + 1).is_none_or(|next| next.unit() != r.unit()) {
                at.insert(r.unit(), (start, i + 1));
                start = i + 1;
            }
        }
        Indexed { rows, at }
    }

    /// The facts of one unit.
    pub fn of(&self, unit: i64) -> &[T] {
        self.at.get(&unit).and_then(|(a, b)| self.rows.get(*a..*b)).unwrap_or(&[])
    }
}

impl<T> std::ops::Deref for Indexed<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.rows
    }
}

pub struct FactBook<'a, S: FactSource = Store> {
    store: &'a S,
    /// Only these units' facts are read (sorted), when the engine serves one territory.
    pub(crate) within: Option<Vec<i64>>,
    activities: HashMap<Range, Indexed<ActivityFact>>,
    activity_quarters: HashMap<(String, String), Indexed<ActivityQuarterFact>>,
    publications: HashMap<Range, Indexed<PublicationFact>>,
    establishments: HashMap<Range, Indexed<EstablishmentFact>>,
    tips: HashMap<(NaiveDate, NaiveDate, NaiveDate), Indexed<TipFact>>,
    cases: HashMap<(i32, i32), Indexed<CaseFact>>,
    district_plans: HashMap<(i32, i32), Indexed<DistrictPlanFact>>,
    pilots: HashMap<Range, Indexed<i64>>,
    support: HashMap<Range, Indexed<SupportFact>>,
    training: HashMap<Range, Indexed<TrainingFact>>,
    references: HashMap<(i32, i32), Indexed<ReferenceFact>>,
    /// `Period::buckets` of the windows met: every unit asks for the same months and quarters.
    buckets: HashMap<(NaiveDate, NaiveDate, u32), Arc<[Period]>>,
}

impl<'a, S: FactSource> FactBook<'a, S> {
    /// Where the facts come from, for what is read once per target (reported values).
    pub(crate) fn source(&self) -> &'a S {
        self.store
    }
}

macro_rules! memo {
    ($self:ident . $field:ident, $key:expr, $load:expr) => {{
        let slot = match $self.$field.entry($key) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(Indexed::new($load.await?)),
        };
        Ok(&*slot)
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
            buckets: HashMap::new(),
        }
    }

    /// `w.buckets(months)`, cut once per engine.
    pub fn buckets(&mut self, w: &Period, months: u32) -> Arc<[Period]> {
        self.buckets.entry((w.from, w.to, months)).or_insert_with(|| w.buckets(months).into()).clone()
    }

    pub async fn activities(&mut self, r: Range) -> Result<&Indexed<ActivityFact>, StoreError> {
        memo!(self.activities, r, self.store.activity_facts(r.0, r.1, self.within.as_deref()))
    }

    /// The quarters with an activity, by unit, for calendar months `first`..=`last` (`YYYY-MM`).
    pub async fn activity_quarters(&mut self, first: String, last: String) -> Result<&Indexed<ActivityQuarterFact>, StoreError> {
        memo!(self.activity_quarters, (first.clone(), last.clone()), self.store.activity_quarter_facts(&first, &last, self.within.as_deref()))
    }

    pub async fn publications(&mut self, r: Range) -> Result<&Indexed<PublicationFact>, StoreError> {
        memo!(self.publications, r, self.store.publication_facts(r.0, r.1))
    }

    pub async fn establishments(&mut self, r: Range) -> Result<&Indexed<EstablishmentFact>, StoreError> {
        memo!(self.establishments, r, self.store.establishment_facts(r.0, r.1, self.within.as_deref()))
    }

    pub async fn tips(&mut self, r: Range, as_of: NaiveDate) -> Result<&Indexed<TipFact>, StoreError> {
        memo!(self.tips, (r.0, r.1, as_of), self.store.tip_facts(r.0, r.1, as_of, self.within.as_deref()))
    }

    pub async fn cases(&mut self, years: (i32, i32)) -> Result<&Indexed<CaseFact>, StoreError> {
        memo!(self.cases, years, self.store.case_facts(years.0, years.1))
    }

    pub async fn district_plans(&mut self, years: (i32, i32)) -> Result<&Indexed<DistrictPlanFact>, StoreError> {
        memo!(self.district_plans, years, self.store.district_plan_facts(years.0, years.1))
    }

    pub async fn pilots(&mut self, r: Range) -> Result<&Indexed<i64>, StoreError> {
        memo!(self.pilots, r, self.store.pilot_units(r.0, r.1))
    }

    pub async fn support(&mut self, r: Range) -> Result<&Indexed<SupportFact>, StoreError> {
        memo!(self.support, r, self.store.support_facts(r.0, r.1, self.within.as_deref()))
    }

    pub async fn training(&mut self, r: Range) -> Result<&Indexed<TrainingFact>, StoreError> {
        memo!(self.training, r, self.store.training_facts(r.0, r.1))
    }

    pub async fn references(&mut self, years: (i32, i32)) -> Result<&Indexed<ReferenceFact>, StoreError> {
        memo!(self.references, years, self.store.reference_facts(years.0, years.1))
    }
}

/// One read of facts, as the book keys it (see `prefetch`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Want {
    Activities(Range),
    ActivityQuarters(String, String),
    Publications(Range),
    Establishments(Range),
    Tips(Range, NaiveDate),
    Cases((i32, i32)),
    DistrictPlans((i32, i32)),
    Pilots(Range),
    Support(Range),
    Training(Range),
    References((i32, i32)),
}

/// The facts of one `Want`.
pub(crate) enum Got {
    Activities(Vec<ActivityFact>),
    ActivityQuarters(Vec<ActivityQuarterFact>),
    Publications(Vec<PublicationFact>),
    Establishments(Vec<EstablishmentFact>),
    Tips(Vec<TipFact>),
    Cases(Vec<CaseFact>),
    DistrictPlans(Vec<DistrictPlanFact>),
    Pilots(Vec<i64>),
    Support(Vec<SupportFact>),
    Training(Vec<TrainingFact>),
    References(Vec<ReferenceFact>),
}

type Loading<'b> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Got, StoreError>> + Send + 'b>>;

impl<S: FactSource> FactBook<'_, S> {
    /// Whether the facts of `w` are held already.
    pub(crate) fn holds(&self, w: &Want) -> bool {
        match w {
            Want::Activities(r) => self.activities.contains_key(r),
            Want::ActivityQuarters(a, b) => self.activity_quarters.contains_key(&(a.clone(), b.clone())),
            Want::Publications(r) => self.publications.contains_key(r),
            Want::Establishments(r) => self.establishments.contains_key(r),
            Want::Tips(r, as_of) => self.tips.contains_key(&(r.0, r.1, *as_of)),
            Want::Cases(y) => self.cases.contains_key(y),
            Want::DistrictPlans(y) => self.district_plans.contains_key(y),
            Want::Pilots(r) => self.pilots.contains_key(r),
            Want::Support(r) => self.support.contains_key(r),
            Want::Training(r) => self.training.contains_key(r),
            Want::References(y) => self.references.contains_key(y),
        }
    }

    /// Reads the facts of `w` from the source, as the memoised readers above do.
    pub(crate) fn load<'b>(&'b self, w: &'b Want) -> Loading<'b> {
        let s = self.store;
        let within = self.within.as_deref();
        match w {
            Want::Activities(r) => Box::pin(async move { Ok(Got::Activities(s.activity_facts(r.0, r.1, within).await?)) }),
            Want::ActivityQuarters(a, b) => Box::pin(async move { Ok(Got::ActivityQuarters(s.activity_quarter_facts(a, b, within).await?)) }),
            Want::Publications(r) => Box::pin(async move { Ok(Got::Publications(s.publication_facts(r.0, r.1).await?)) }),
            Want::Establishments(r) => Box::pin(async move { Ok(Got::Establishments(s.establishment_facts(r.0, r.1, within).await?)) }),
            Want::Tips(r, as_of) => Box::pin(async move { Ok(Got::Tips(s.tip_facts(r.0, r.1, *as_of, within).await?)) }),
            Want::Cases(y) => Box::pin(async move { Ok(Got::Cases(s.case_facts(y.0, y.1).await?)) }),
            Want::DistrictPlans(y) => Box::pin(async move { Ok(Got::DistrictPlans(s.district_plan_facts(y.0, y.1).await?)) }),
            Want::Pilots(r) => Box::pin(async move { Ok(Got::Pilots(s.pilot_units(r.0, r.1).await?)) }),
            Want::Support(r) => Box::pin(async move { Ok(Got::Support(s.support_facts(r.0, r.1, within).await?)) }),
            Want::Training(r) => Box::pin(async move { Ok(Got::Training(s.training_facts(r.0, r.1).await?)) }),
            Want::References(y) => Box::pin(async move { Ok(Got::References(s.reference_facts(y.0, y.1).await?)) }),
        }
    }

    /// Keeps facts read ahead, sorted as the memoised readers keep them.
    pub(crate) fn keep(&mut self, w: Want, got: Got) {
        match (w, got) {
            (Want::Activities(r), Got::Activities(v)) => drop(self.activities.insert(r, Indexed::new(v))),
            (Want::ActivityQuarters(a, b), Got::ActivityQuarters(v)) => drop(self.activity_quarters.insert((a, b), Indexed::new(v))),
            (Want::Publications(r), Got::Publications(v)) => drop(self.publications.insert(r, Indexed::new(v))),
            (Want::Establishments(r), Got::Establishments(v)) => drop(self.establishments.insert(r, Indexed::new(v))),
            (Want::Tips(r, as_of), Got::Tips(v)) => drop(self.tips.insert((r.0, r.1, as_of), Indexed::new(v))),
            (Want::Cases(y), Got::Cases(v)) => drop(self.cases.insert(y, Indexed::new(v))),
            (Want::DistrictPlans(y), Got::DistrictPlans(v)) => drop(self.district_plans.insert(y, Indexed::new(v))),
            (Want::Pilots(r), Got::Pilots(v)) => drop(self.pilots.insert(r, Indexed::new(v))),
            (Want::Support(r), Got::Support(v)) => drop(self.support.insert(r, Indexed::new(v))),
            (Want::Training(r), Got::Training(v)) => drop(self.training.insert(r, Indexed::new(v))),
            (Want::References(y), Got::References(v)) => drop(self.references.insert(y, Indexed::new(v))),
            _ => {}
        }
    }
}
