//! Reading ahead: the facts an evaluation will ask for, read all at once on as
//! many connections as the store has, instead of one after another as the
//! evaluation meets them. What to read is learnt by evaluating a few units
//! against a recorder that answers every question with nothing; a fact the
//! recorder did not foresee is still read on demand, so reading ahead changes
//! when facts are read, never what the figures are.

use crate::facts::{FactBook, Got, Range, Want};
use crate::source::FactSource;
use crate::Engine;
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::plan::Target;
use pcmd_domain::units::Unit;
use pcmd_store::*;
use std::future::Future;
use std::sync::Mutex;

type Facts<T> = Result<Vec<T>, StoreError>;

/// A fact source that writes down what is asked and answers with no facts.
#[derive(Default)]
pub(crate) struct Recorder {
    pub wants: Mutex<Vec<Want>>,
}

impl Recorder {
    fn note<T: Send>(&self, w: Want) -> impl Future<Output = Facts<T>> + Send {
        if let Ok(mut v) = self.wants.lock() {
            if !v.contains(&w) {
                v.push(w);
            }
        }
        std::future::ready(Ok(Vec::new()))
    }
}

impl FactSource for Recorder {
    fn activity_facts(&self, from: NaiveDate, to: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<ActivityFact>> + Send {
        self.note(Want::Activities((from, to)))
    }
    fn activity_quarter_facts(&self, first: &str, last: &str, _: Option<&[i64]>) -> impl Future<Output = Facts<ActivityQuarterFact>> + Send {
        self.note(Want::ActivityQuarters(first.to_string(), last.to_string()))
    }
    fn publication_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<PublicationFact>> + Send {
        self.note(Want::Publications((from, to)))
    }
    fn establishment_facts(&self, from: NaiveDate, to: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<EstablishmentFact>> + Send {
        self.note(Want::Establishments((from, to)))
    }
    fn tip_facts(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<TipFact>> + Send {
        self.note(Want::Tips((from, to), as_of))
    }
    fn case_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<CaseFact>> + Send {
        self.note(Want::Cases((first_year, last_year)))
    }
    fn district_plan_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<DistrictPlanFact>> + Send {
        self.note(Want::DistrictPlans((first_year, last_year)))
    }
    fn pilot_units(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<i64>> + Send {
        self.note(Want::Pilots((from, to)))
    }
    fn support_facts(&self, from: NaiveDate, to: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<SupportFact>> + Send {
        self.note(Want::Support((from, to)))
    }
    fn training_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<TrainingFact>> + Send {
        self.note(Want::Training((from, to)))
    }
    fn reference_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<ReferenceFact>> + Send {
        self.note(Want::References((first_year, last_year)))
    }
    /// Read once per target when evaluated, not ahead.
    fn reported_values(&self, _: &str, _: &str, _: i64) -> impl Future<Output = Facts<ReportedValue>> + Send {
        std::future::ready(Ok(Vec::new()))
    }
}

/// One unit of each level among `units` (the first met): the samples `prefetch` needs.
pub fn one_of_each_level<'u>(units: impl IntoIterator<Item = &'u Unit>) -> Vec<&'u Unit> {
    let mut samples: Vec<&Unit> = Vec::new();
    for u in units {
        if !samples.iter().any(|s| s.level == u.level) {
            samples.push(u);
        }
    }
    samples
}

impl<'a, S: FactSource> Engine<'a, S> {
    /// Reads ahead the facts that evaluating `targets` over `period` for units
    /// like `samples` (one of each level is enough) will ask for, concurrently.
    pub async fn prefetch(&mut self, targets: &[Target], samples: &[&Unit], period: &Period, as_of: NaiveDate) -> Result<(), StoreError> {
        let recorder = Recorder::default();
        {
            let mut dry = Engine::new(&recorder, self.units);
            for unit in samples {
                dry.evaluate_plan(targets, unit, period, as_of).await?;
            }
        }
        let wants = recorder.wants.into_inner().unwrap_or_default();
        self.facts.load_all(wants).await
    }
}

impl<S: FactSource> FactBook<'_, S> {
    /// Loads every fact of `wants` not yet held, all at once.
    pub(crate) async fn load_all(&mut self, wants: Vec<Want>) -> Result<(), StoreError> {
        let missing: Vec<Want> = wants.into_iter().filter(|w| !self.holds(w)).collect();
        // The country's establishments of every range come in one scan (`establishment_facts_for`).
        let together = self.within.is_none();
        let (establishments, rest): (Vec<Want>, Vec<Want>) = missing.into_iter().partition(|w| together && matches!(w, Want::Establishments(_)));
        let ranges: Vec<Range> = establishments.iter().filter_map(|w| if let Want::Establishments(r) = w { Some(*r) } else { None }).collect();
        let loads = rest.iter().map(|w| self.load(w));
        let source = self.source();
        let scan = async {
            if ranges.is_empty() {
                Ok(Vec::new())
            } else {
                source.establishment_facts_for(&ranges).await
            }
        };
        let (got, scanned) = futures_util::future::join(futures_util::future::join_all(loads), scan).await;
        for (w, g) in rest.into_iter().zip(got) {
            self.keep(w, g?);
        }
        for (r, v) in ranges.into_iter().zip(scanned?) {
            self.keep(Want::Establishments(r), Got::Establishments(v));
        }
        Ok(())
    }
}
