//! The timetable of a challenge's visit days, as the local authority lead builds it: each
//! activity checked field by field, and the clashes across the whole timetable (a reviewer
//! in two places at once, a room booked twice, an activity off the visit days) found so the
//! page can flag them. Clashes are flagged rather than refused, because a timetable is built
//! over weeks and dates and rooms still move.

use chrono::{NaiveDate, NaiveTime};

use crate::forms::FieldProblem;
use crate::ids::{ActivityId, TeamMemberId};
use crate::personal_data::{PersonalData, find_personal_data, find_personal_data_among};
use crate::text::{OneLine, limits};
use crate::training::parse_time;

/// An activity's title, on one line of the timetable.
pub const TITLE_LIMIT: usize = limits::TITLE;
/// A room, a place or an online link.
pub const PLACE_LIMIT: usize = limits::PLACE;

vocabulary!(
    /// What happens in an activity.
    ActivityKind {
        CaseSampling => "case_sampling", "Case sampling";
        FocusGroupParents => "focus_group_parents", "Focus group with parents and carers";
        FocusGroupYoungPeople => "focus_group_young_people", "Focus group with young people";
        Interview => "interview", "Interview";
        SettingVisit => "setting_visit", "Setting visit";
        TeamHuddle => "team_huddle", "Team huddle";
        FeedbackPresentation => "feedback_presentation", "Feedback presentation";
        Other => "other", "Other activity";
    }
);

/// The activity form exactly as typed, so a page with errors shows every answer again. The
/// day is chosen from the visit days as an ISO date (`2027-03-12`); the times are typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityAnswers {
    pub day: String,
    pub starts: String,
    pub ends: String,
    pub kind: String,
    pub title: String,
    pub place: String,
    /// Empty, or the number of one of the challenge's KLOEs ("1" to "3").
    pub kloe: String,
    /// Team member IDs.
    pub reviewers: Vec<String>,
}

/// A checked activity: a day, UK times on it with the end after the start, a title and a
/// place free of anything that identifies a child, and reviewers from the team (each once).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityPlan {
    pub day: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub kind: ActivityKind,
    pub title: String,
    pub place: String,
    pub kloe: Option<u8>,
    pub reviewers: Vec<TeamMemberId>,
}

impl ActivityAnswers {
    /// The plan, or every problem in the order of the form (one per field). Field keys are
    /// the form's ids: `day`, `starts`, `ends`, `kind`, `title`, `place`, `kloe`,
    /// `reviewers`. `kloe_count` is how many KLOEs the challenge has; `team` the IDs that
    /// may be chosen as reviewers.
    ///
    /// A day outside the visit days is accepted here: [`find_clashes`] flags it instead.
    pub fn check(
        &self,
        kloe_count: usize,
        team: &[TeamMemberId],
    ) -> Result<ActivityPlan, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let day = note(&mut problems, "day", self.checked_day());
        let starts = note(
            &mut problems,
            "starts",
            checked_time(&self.starts, "start", "9:30 or 14:00"),
        );
        let ends =
            checked_time(&self.ends, "end", "10:30 or 15:00").and_then(|ends| match starts {
                Some(starts) if ends <= starts => {
                    Err("The end time must be after the start time".to_owned())
                }
                _ => Ok(ends),
            });
        let ends = note(&mut problems, "ends", ends);
        let kind = note(
            &mut problems,
            "kind",
            ActivityKind::parse(self.kind.trim())
                .ok_or_else(|| "Select the type of activity".to_owned()),
        );
        let title = note(&mut problems, "title", self.checked_title());
        let place = note(&mut problems, "place", self.checked_place());
        let kloe = note(&mut problems, "kloe", self.checked_kloe(kloe_count));
        let reviewers = note(&mut problems, "reviewers", self.checked_reviewers(team));
        match (day, starts, ends, kind, title, place, kloe, reviewers) {
            (
                Some(day),
                Some(starts),
                Some(ends),
                Some(kind),
                Some(title),
                Some(place),
                Some(kloe),
                Some(reviewers),
            ) => Ok(ActivityPlan {
                day,
                starts,
                ends,
                kind,
                title,
                place,
                kloe,
                reviewers,
            }),
            _ => Err(problems),
        }
    }

    fn checked_day(&self) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(self.day.trim(), "%Y-%m-%d")
            .map_err(|_| "Select the day of the activity".to_owned())
    }

    fn checked_title(&self) -> Result<String, String> {
        let title = OneLine::required(
            "Title",
            "a title for the activity",
            &self.title,
            TITLE_LIMIT,
        )
        .map_err(|found| found.to_string())?
        .into_string();
        match find_personal_data(&title) {
            Some(found) => Err(found.message().to_owned()),
            None => Ok(title),
        }
    }

    /// A room, a place or an online link. A setting visit's place may rightly be a school's
    /// address, postcode and all, so only the postcode rule is left out.
    fn checked_place(&self) -> Result<String, String> {
        let place = OneLine::required(
            "Place",
            "the room, place or online link",
            &self.place,
            PLACE_LIMIT,
        )
        .map_err(|found| found.to_string())?
        .into_string();
        match find_personal_data_among(&place, &PersonalData::ALL_BUT_POSTCODE) {
            Some(found) => Err(found.message().to_owned()),
            None => Ok(place),
        }
    }

    fn checked_kloe(&self, kloe_count: usize) -> Result<Option<u8>, String> {
        match self.kloe.trim() {
            "" => Ok(None),
            text => text
                .parse::<u8>()
                .ok()
                .filter(|number| (1..=kloe_count).contains(&usize::from(*number)))
                .map(Some)
                .ok_or_else(|| {
                    "Select one of the challenge's key lines of enquiry, or none".to_owned()
                }),
        }
    }

    /// The chosen reviewers, each once, in the order chosen. Blank values (which a form
    /// sends to say "none") are ignored.
    fn checked_reviewers(&self, team: &[TeamMemberId]) -> Result<Vec<TeamMemberId>, String> {
        let mut reviewers = Vec::new();
        for text in self.reviewers.iter().map(|text| text.trim()) {
            if text.is_empty() {
                continue;
            }
            let reviewer = text
                .parse::<TeamMemberId>()
                .ok()
                .filter(|id| team.contains(id))
                .ok_or_else(|| "Choose reviewers from the team".to_owned())?;
            if !reviewers.contains(&reviewer) {
                reviewers.push(reviewer);
            }
        }
        Ok(reviewers)
    }
}

/// Keeps a field's value, or records its problem and keeps nothing: so every `None` has
/// exactly one problem.
fn note<T>(problems: &mut Vec<FieldProblem>, field: &str, result: Result<T, String>) -> Option<T> {
    result
        .map_err(|message| problems.push(FieldProblem::new(field, message)))
        .ok()
}

/// A time typed as people type them (9:30, 14:00, 2pm, 2:30pm). `which` is "start" or
/// "end"; `like` gives examples.
fn checked_time(text: &str, which: &str, like: &str) -> Result<NaiveTime, String> {
    match text.trim() {
        "" => Err(format!("Enter the {which} time")),
        text => parse_time(text)
            .ok_or_else(|| format!("Enter the {which} time as hours and minutes, like {like}")),
    }
}

/// One activity as the clash check sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledActivity {
    pub id: ActivityId,
    pub day: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub title: String,
    pub place: String,
    pub reviewers: Vec<TeamMemberId>,
}

impl ScheduledActivity {
    /// On the same day, and each starts before the other ends: back to back is fine.
    fn overlaps(&self, other: &Self) -> bool {
        self.day == other.day && self.starts < other.ends && other.starts < self.ends
    }
}

/// Something in the timetable the lead should look at again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clash {
    /// A reviewer is in two activities that overlap in time on `day`.
    ReviewerDoubleBooked {
        reviewer: TeamMemberId,
        day: NaiveDate,
        first: ActivityId,
        second: ActivityId,
    },
    /// Two activities that overlap on `day` use the same room or place (compared ignoring
    /// case and extra spaces). `place` is as the first activity spells it.
    PlaceDoubleBooked {
        place: String,
        day: NaiveDate,
        first: ActivityId,
        second: ActivityId,
    },
    /// The activity's `day` is not one of the visit days.
    OutsideVisitDays {
        activity: ActivityId,
        day: NaiveDate,
    },
}

impl Clash {
    /// The activities involved, so the timetable can flag their rows.
    pub fn activities(&self) -> Vec<ActivityId> {
        match self {
            Self::ReviewerDoubleBooked { first, second, .. }
            | Self::PlaceDoubleBooked { first, second, .. } => vec![*first, *second],
            Self::OutsideVisitDays { activity, .. } => vec![*activity],
        }
    }

    /// A sentence for the page, given each activity's title and each reviewer's name.
    pub fn describe(
        &self,
        title_of: impl Fn(ActivityId) -> String,
        name_of: impl Fn(TeamMemberId) -> String,
    ) -> String {
        match self {
            Self::ReviewerDoubleBooked {
                reviewer,
                day,
                first,
                second,
            } => format!(
                "{} is in two places at once: \"{}\" and \"{}\" overlap on {}",
                name_of(*reviewer),
                title_of(*first),
                title_of(*second),
                long_day(*day)
            ),
            Self::PlaceDoubleBooked {
                place,
                day,
                first,
                second,
            } => format!(
                "{place} is booked twice: \"{}\" and \"{}\" overlap on {}",
                title_of(*first),
                title_of(*second),
                long_day(*day)
            ),
            Self::OutsideVisitDays { activity, day } => format!(
                "\"{}\" is on {}, which is not one of the visit days",
                title_of(*activity),
                long_day(*day)
            ),
        }
    }
}

/// A day as GOV.UK writes it: Thursday 11 March 2027.
fn long_day(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// Every clash in the timetable: for each activity in order of day, start and ID, whether
/// it is off the visit days, then each later activity it overlaps with, naming the shared
/// reviewers (in ID order) and then a shared place. Each clashing pair is reported once,
/// earlier activity first.
pub fn find_clashes(visit_days: &[NaiveDate], activities: &[ScheduledActivity]) -> Vec<Clash> {
    let mut ordered: Vec<&ScheduledActivity> = activities.iter().collect();
    ordered.sort_by_key(|activity| (activity.day, activity.starts, activity.id));
    let mut clashes = Vec::new();
    for (index, activity) in ordered.iter().enumerate() {
        if !visit_days.contains(&activity.day) {
            clashes.push(Clash::OutsideVisitDays {
                activity: activity.id,
                day: activity.day,
            });
        }
        // Later activities start no earlier, so the first that starts after this one ends
        // (or falls on a later day) ends the search.
        for later in ordered[index + 1..]
            .iter()
            .take_while(|later| later.day == activity.day && later.starts < activity.ends)
            .filter(|later| activity.overlaps(later))
        {
            clashes.extend(pair_clashes(activity, later));
        }
    }
    clashes
}

/// The clashes between two overlapping activities.
fn pair_clashes(first: &ScheduledActivity, second: &ScheduledActivity) -> Vec<Clash> {
    let mut shared: Vec<TeamMemberId> = first
        .reviewers
        .iter()
        .filter(|reviewer| second.reviewers.contains(reviewer))
        .copied()
        .collect();
    shared.sort();
    shared.dedup();
    let mut clashes: Vec<Clash> = shared
        .into_iter()
        .map(|reviewer| Clash::ReviewerDoubleBooked {
            reviewer,
            day: first.day,
            first: first.id,
            second: second.id,
        })
        .collect();
    let place = tidy_place(&first.place);
    if !place.is_empty() && place.to_lowercase() == tidy_place(&second.place).to_lowercase() {
        clashes.push(Clash::PlaceDoubleBooked {
            place,
            day: first.day,
            first: first.id,
            second: second.id,
        });
    }
    clashes
}

/// A place with single spaces between its words and none around them.
fn tidy_place(place: &str) -> String {
    place.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).unwrap_or_default()
    }

    fn at(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()
    }

    /// IDs that sort in the order of `n`, so tests can predict the order of clashes.
    fn activity_id(n: u128) -> ActivityId {
        ActivityId::from_uuid(Uuid::from_u128(n))
    }

    fn member(n: u128) -> TeamMemberId {
        TeamMemberId::from_uuid(Uuid::from_u128(n))
    }

    fn activity(
        n: u128,
        d: u32,
        (starts, ends): (NaiveTime, NaiveTime),
        place: &str,
        reviewers: &[u128],
    ) -> ScheduledActivity {
        ScheduledActivity {
            id: activity_id(n),
            day: day(d),
            starts,
            ends,
            title: format!("Activity {n}"),
            place: place.into(),
            reviewers: reviewers.iter().copied().map(member).collect(),
        }
    }

    fn answers() -> ActivityAnswers {
        ActivityAnswers {
            day: "2027-03-11".into(),
            starts: "9:30".into(),
            ends: "2:30pm".into(),
            kind: "case_sampling".into(),
            title: "Case sampling with the SEND team".into(),
            place: "Room 2, County Hall, Matlock DE4 3AG".into(),
            kloe: "2".into(),
            reviewers: vec![member(1).to_string(), " ".into(), member(1).to_string()],
        }
    }

    fn fields(result: Result<ActivityPlan, Vec<FieldProblem>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| (problem.field, problem.message))
            .collect()
    }

    #[test]
    fn a_complete_activity_is_accepted() {
        let plan = answers()
            .check(3, &[member(1), member(2)])
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(plan.day, day(11));
        assert_eq!((plan.starts, plan.ends), (at(9, 30), at(14, 30)));
        assert_eq!(plan.kind, ActivityKind::CaseSampling);
        assert_eq!(plan.kloe, Some(2));
        // The blank is ignored and the repeat removed.
        assert_eq!(plan.reviewers, [member(1)]);
        // A setting's postcode is a fine place.
        assert!(plan.place.ends_with("DE4 3AG"));

        let mut no_kloe = answers();
        no_kloe.kloe = String::new();
        no_kloe.reviewers.clear();
        // A date that is not a visit day is accepted here and flagged by find_clashes.
        no_kloe.day = "2027-04-01".into();
        assert!(
            no_kloe
                .check(0, &[])
                .is_ok_and(|plan| plan.kloe.is_none() && plan.reviewers.is_empty())
        );
    }

    #[test]
    fn every_problem_is_named_next_to_its_field() {
        let empty = ActivityAnswers::default();
        assert_eq!(
            fields(empty.check(1, &[])),
            [
                ("day", "Select the day of the activity"),
                ("starts", "Enter the start time"),
                ("ends", "Enter the end time"),
                ("kind", "Select the type of activity"),
                ("title", "Enter a title for the activity"),
                ("place", "Enter the room, place or online link"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );

        let bad = ActivityAnswers {
            day: "2027-02-30".into(),
            starts: "14:00".into(),
            ends: "2pm".into(),
            kind: "picnic".into(),
            title: "x".repeat(TITLE_LIMIT + 1),
            place: "y".repeat(PLACE_LIMIT + 1),
            kloe: "3".into(),
            reviewers: vec![member(9).to_string()],
        };
        assert_eq!(
            fields(bad.check(2, &[member(1)])),
            [
                ("day", "Select the day of the activity"),
                ("ends", "The end time must be after the start time"),
                ("kind", "Select the type of activity"),
                ("title", "Title must be 200 characters or fewer"),
                ("place", "Place must be 500 characters or fewer"),
                (
                    "kloe",
                    "Select one of the challenge's key lines of enquiry, or none"
                ),
                ("reviewers", "Choose reviewers from the team"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );

        let mut broken = answers();
        broken.title = "Focus group\r\nwith parents".into();
        broken.place = "Room 4\u{0}".into();
        assert_eq!(
            fields(broken.check(3, &[member(1)])),
            [
                ("title", "Title must be on one line"),
                ("place", "Place must not contain control characters"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );

        let mut garbled = answers();
        garbled.starts = "half nine".into();
        garbled.ends = "25:00".into();
        garbled.reviewers = vec!["not-an-id".into()];
        assert_eq!(
            fields(garbled.check(3, &[member(1)])),
            [
                (
                    "starts",
                    "Enter the start time as hours and minutes, like 9:30 or 14:00"
                ),
                (
                    "ends",
                    "Enter the end time as hours and minutes, like 10:30 or 15:00"
                ),
                ("reviewers", "Choose reviewers from the team"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );
    }

    #[test]
    fn titles_and_places_must_not_identify_a_child() {
        let mut child = answers();
        child.title = "Interview about Jane Smith DOB 01/02/2015".into();
        child.place = "Room 943 476 5919".into();
        assert_eq!(
            fields(child.check(3, &[member(1)])),
            [
                (
                    "title".to_owned(),
                    PersonalData::NameWithDateOfBirth.message().to_owned()
                ),
                (
                    "place".to_owned(),
                    PersonalData::NhsNumber.message().to_owned()
                ),
            ]
        );
        let mut home = answers();
        home.title = "Home visit, NG1 5DT".into();
        assert_eq!(
            fields(home.check(3, &[member(1)])),
            [(
                "title".to_owned(),
                PersonalData::Postcode.message().to_owned()
            )]
        );
    }

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(ActivityKind::parse("Interview"), None);
    }

    #[test]
    fn a_double_booked_reviewer_is_named_once_per_pair() {
        let activities = [
            activity(2, 11, (at(11, 0), at(12, 0)), "Room 2", &[1, 2]),
            activity(1, 11, (at(10, 0), at(11, 30)), "Room 1", &[2, 1, 3]),
        ];
        let clashes = find_clashes(&[day(11)], &activities);
        assert_eq!(
            clashes,
            [1, 2].map(|reviewer| Clash::ReviewerDoubleBooked {
                reviewer: member(reviewer),
                day: day(11),
                first: activity_id(1),
                second: activity_id(2),
            })
        );
        assert_eq!(clashes[0].activities(), [activity_id(1), activity_id(2)]);
        let title = |id: ActivityId| {
            if id == activity_id(1) {
                "Case sampling".to_owned()
            } else {
                "Interview with the SENCO".to_owned()
            }
        };
        assert_eq!(
            clashes[0].describe(title, |_| "Priya Shah".to_owned()),
            "Priya Shah is in two places at once: \"Case sampling\" and \"Interview with the SENCO\" overlap on Thursday 11 March 2027"
        );
    }

    #[test]
    fn the_same_room_ignoring_case_and_spaces_is_a_clash() {
        let activities = [
            activity(1, 11, (at(10, 0), at(11, 0)), "Room 2, County Hall", &[]),
            activity(
                2,
                11,
                (at(10, 30), at(12, 0)),
                "  room 2,   county HALL ",
                &[],
            ),
            activity(3, 11, (at(10, 30), at(12, 0)), "Room 3, County Hall", &[]),
        ];
        let clashes = find_clashes(&[day(11)], &activities);
        assert_eq!(
            clashes,
            [Clash::PlaceDoubleBooked {
                place: "Room 2, County Hall".into(),
                day: day(11),
                first: activity_id(1),
                second: activity_id(2),
            }]
        );
        assert_eq!(
            clashes[0].describe(|id| format!("Activity {id}"), |_| String::new()),
            format!(
                "Room 2, County Hall is booked twice: \"Activity {}\" and \"Activity {}\" overlap on Thursday 11 March 2027",
                activity_id(1),
                activity_id(2)
            )
        );
    }

    #[test]
    fn back_to_back_and_other_days_are_not_clashes() {
        let activities = [
            activity(1, 11, (at(10, 0), at(11, 0)), "Room 1", &[1]),
            activity(2, 11, (at(11, 0), at(12, 0)), "Room 1", &[1]),
            activity(3, 12, (at(10, 0), at(11, 0)), "Room 1", &[1]),
        ];
        assert_eq!(find_clashes(&[day(11), day(12)], &activities), []);
    }

    #[test]
    fn an_activity_off_the_visit_days_is_flagged() {
        let activities = [activity(1, 13, (at(10, 0), at(11, 0)), "Room 1", &[])];
        let clashes = find_clashes(&[day(11), day(12)], &activities);
        assert_eq!(
            clashes,
            [Clash::OutsideVisitDays {
                activity: activity_id(1),
                day: day(13),
            }]
        );
        assert_eq!(clashes[0].activities(), [activity_id(1)]);
        assert_eq!(
            clashes[0].describe(|_| "Team huddle".into(), |_| String::new()),
            "\"Team huddle\" is on Saturday 13 March 2027, which is not one of the visit days"
        );
    }

    #[test]
    fn clashes_come_in_the_order_of_day_start_and_id() {
        let activities = vec![
            activity(5, 12, (at(9, 0), at(10, 0)), "Hall", &[7]),
            activity(4, 12, (at(9, 0), at(10, 0)), "Hall", &[7]),
            activity(3, 11, (at(14, 0), at(15, 0)), "Room", &[]),
            activity(2, 11, (at(9, 0), at(15, 0)), "Room", &[]),
            activity(1, 11, (at(9, 30), at(10, 0)), "Online", &[]),
        ];
        let expected = vec![
            Clash::PlaceDoubleBooked {
                place: "Room".into(),
                day: day(11),
                first: activity_id(2),
                second: activity_id(3),
            },
            Clash::OutsideVisitDays {
                activity: activity_id(4),
                day: day(12),
            },
            Clash::ReviewerDoubleBooked {
                reviewer: member(7),
                day: day(12),
                first: activity_id(4),
                second: activity_id(5),
            },
            Clash::PlaceDoubleBooked {
                place: "Hall".into(),
                day: day(12),
                first: activity_id(4),
                second: activity_id(5),
            },
            Clash::OutsideVisitDays {
                activity: activity_id(5),
                day: day(12),
            },
        ];
        assert_eq!(find_clashes(&[day(11)], &activities), expected);
        let mut reversed = activities;
        reversed.reverse();
        assert_eq!(find_clashes(&[day(11)], &reversed), expected);
    }

    /// Up to a dozen activities with distinct IDs over two days, three places and four reviewers.
    fn any_timetable() -> impl Strategy<Value = Vec<ScheduledActivity>> {
        let one = (
            11u32..13,
            (16u32..36, 1u32..8),
            prop::sample::select(vec!["Room 1", "room 1", "Room 2"]),
            prop::collection::vec(0u128..4, 0..3),
        )
            .prop_map(|(d, (start, length), place, reviewers)| {
                // Quarter hours from 8:00 to 17:00, lasting a quarter to two hours.
                let quarter = |q: u32| at(q / 4, (q % 4) * 15);
                activity(
                    0,
                    d,
                    (quarter(start), quarter(start + length)),
                    place,
                    &reviewers,
                )
            });
        prop::collection::vec(one, 0..12).prop_map(|mut activities| {
            for (n, activity) in (0u128..).zip(activities.iter_mut()) {
                activity.id = activity_id(n);
            }
            activities
        })
    }

    proptest! {
        #[test]
        fn only_overlapping_activities_clash(
            activities in any_timetable(),
        ) {
            let clashes = find_clashes(&[day(11)], &activities);
            let by_id = |id: ActivityId| activities.iter().find(|activity| activity.id == id);
            for clash in &clashes {
                if let [first, second] = clash.activities().as_slice() {
                    let (Some(first), Some(second)) = (by_id(*first), by_id(*second)) else {
                        return Err(TestCaseError::fail("unknown activity"));
                    };
                    prop_assert!(first.overlaps(second), "{clash:?}");
                }
            }
            // And every overlapping pair with a shared reviewer is reported, once.
            for (index, one) in activities.iter().enumerate() {
                for other in &activities[index + 1..] {
                    let shares = one.reviewers.iter().any(|r| other.reviewers.contains(r));
                    if one.overlaps(other) && shares {
                        let reported = clashes
                            .iter()
                            .filter(|clash| matches!(clash, Clash::ReviewerDoubleBooked { .. }))
                            .map(Clash::activities)
                            .filter(|pair| pair.contains(&one.id) && pair.contains(&other.id))
                            .count();
                        let shared: std::collections::BTreeSet<_> = one
                            .reviewers
                            .iter()
                            .filter(|r| other.reviewers.contains(r))
                            .collect();
                        prop_assert_eq!(reported, shared.len());
                    }
                }
            }
        }
    }
}
