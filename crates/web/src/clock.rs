//! The one clock the pages read "now" and "today" from: the system's, or a fixed instant a
//! test sets. "Today" is always the UK date (`domain::clock`), whatever the server's zone.

use chrono::{DateTime, NaiveDate, Utc};
use domain::clock::uk_date;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The real time.
    #[default]
    System,
    /// Always this instant: for tests that need a particular day, or the hour around midnight.
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Fixed(at) => *at,
        }
    }

    /// The UK calendar date now.
    pub fn today(&self) -> NaiveDate {
        uk_date(self.now())
    }
}
