//! The biennial large-scale peer challenge: a cycle's states and who moves it, its details as
//! the co-ordinator types them (year, day, venue, priorities tagged with themes, the areas
//! taking part, the deadlines), and the rules a pairing of "who challenges whom" must keep,
//! checked alike for the engine's proposal, a swap by hand and a repair after an opt-out.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use crate::forms::FieldProblem;
use crate::{AuthoritySlug, OneLine, ThemeCode, limits, personal_data};

vocabulary!(
    /// Where a cycle stands. Codes are stored.
    CycleState {
        Planning => "planning", "Planning";
        PairingPublished => "pairing_published", "Pairing published";
        KloesShared => "kloes_shared", "KLOEs shared";
        Held => "held", "Event held";
        Actions => "actions", "Agreed actions";
        OverviewPublished => "overview_published", "Overview published";
        Closed => "closed", "Closed";
    }
);

impl CycleState {
    /// The one state a cycle moves on to from this one.
    pub fn next(self) -> Option<Self> {
        let at = Self::ALL.iter().position(|state| *state == self)?;
        Self::ALL.get(at + 1).copied()
    }

    /// The details (date, venue, priorities, deadlines) change only while planning.
    pub fn may_edit_details(self) -> bool {
        self == Self::Planning
    }

    /// The pairing is generated and swapped while planning; publishing fixes it.
    pub fn may_change_pairing(self) -> bool {
        self == Self::Planning
    }

    /// Each area names its team once it knows whom it challenges, until the event.
    pub fn may_name_team(self) -> bool {
        matches!(self, Self::PairingPublished | Self::KloesShared)
    }

    /// KLOEs are drafted, commented on and agreed between publishing and the KLOE deadline.
    pub fn may_draft_kloes(self) -> bool {
        self == Self::PairingPublished
    }

    /// Areas offer each other support once they know the pairing, until the cycle closes.
    pub fn may_offer_support(self) -> bool {
        !matches!(self, Self::Planning | Self::Closed)
    }

    /// Whether the agreed KLOEs have been shared with the areas they are for.
    pub fn kloes_shared(self) -> bool {
        !matches!(self, Self::Planning | Self::PairingPublished)
    }

    /// An area may leave until the event is held (after publishing, the pairing is repaired).
    pub fn may_opt_out(self) -> bool {
        matches!(
            self,
            Self::Planning | Self::PairingPublished | Self::KloesShared
        )
    }
}

/// Why a cycle may not move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoveProblem {
    #[error("A cycle moves one step at a time, in order")]
    NotNext,
    #[error("The pairing is published with its own button, once it has been generated")]
    PublishThePairing,
}

/// A move the co-ordinator asks for on the cycle page: only to the next state, and never past
/// planning except by publishing the pairing (which emails every area).
pub fn check_move(from: CycleState, to: CycleState) -> Result<(), MoveProblem> {
    if from.next() != Some(to) {
        return Err(MoveProblem::NotNext);
    }
    if to == CycleState::PairingPublished {
        return Err(MoveProblem::PublishThePairing);
    }
    Ok(())
}

/// A priority agreed in advance, tagged with the practice themes it touches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Priority {
    pub title: OneLine,
    pub themes: Vec<ThemeCode>,
}

/// How many priorities the form offers.
pub const PRIORITY_SLOTS: usize = 4;

/// A cycle's details, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleDetails {
    pub year: i32,
    pub event_date: NaiveDate,
    pub venue: OneLine,
    pub kloes_due: NaiveDate,
    pub actions_due: NaiveDate,
    pub priorities: Vec<Priority>,
    /// Whether two areas may challenge each other (A→B with B→A).
    pub allow_reciprocal: bool,
    /// How the pairing treats the year's triads.
    pub triads: TriadPairing,
}

/// How the pairing treats the triads of the cycle's year (the annual programme's groups of three
/// or four areas that already challenge each other): a preference the engine keeps where a
/// pairing that keeps the rules allows, never a rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TriadPairing {
    #[default]
    NoPreference,
    /// Each area challenges one outside its triad: a fresh pair of eyes.
    OutsideTriad,
    /// Each area challenges one of its triad.
    WithinTriad,
}

impl TriadPairing {
    pub const ALL: [Self; 3] = [Self::NoPreference, Self::OutsideTriad, Self::WithinTriad];

    /// How it is stored and posted.
    pub fn code(self) -> &'static str {
        match self {
            Self::NoPreference => "any",
            Self::OutsideTriad => "outside",
            Self::WithinTriad => "within",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|choice| choice.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NoPreference => "No preference",
            Self::OutsideTriad => "Prefer an area outside its triad",
            Self::WithinTriad => "Prefer an area in its triad",
        }
    }
}

/// A cycle's details as typed on the form (dates dd/mm/yyyy), kept as typed for the page
/// shown back with its problems.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct CycleAnswers {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub event_date: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub kloes_due: String,
    #[serde(default)]
    pub actions_due: String,
    #[serde(default)]
    pub priority_1: String,
    #[serde(default)]
    pub priority_2: String,
    #[serde(default)]
    pub priority_3: String,
    #[serde(default)]
    pub priority_4: String,
    #[serde(default)]
    pub priority_1_themes: Vec<String>,
    #[serde(default)]
    pub priority_2_themes: Vec<String>,
    #[serde(default)]
    pub priority_3_themes: Vec<String>,
    #[serde(default)]
    pub priority_4_themes: Vec<String>,
    /// "yes" when two areas may challenge each other.
    #[serde(default)]
    pub reciprocal: String,
    /// A `TriadPairing` code; none posted is no preference.
    #[serde(default)]
    pub triads: String,
    /// The areas ticked to take part (on creation only; checked against the region's by the
    /// use case, which knows them).
    #[serde(default)]
    pub areas: Vec<String>,
}

impl CycleAnswers {
    /// The answers of details already saved, for the edit form.
    pub fn of(details: &CycleDetails) -> Self {
        let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        let mut answers = Self {
            year: details.year.to_string(),
            event_date: day(details.event_date),
            venue: details.venue.as_str().to_owned(),
            kloes_due: day(details.kloes_due),
            actions_due: day(details.actions_due),
            reciprocal: if details.allow_reciprocal { "yes" } else { "" }.to_owned(),
            triads: details.triads.code().to_owned(),
            ..Self::default()
        };
        for (slot, priority) in details.priorities.iter().enumerate() {
            let (title, themes) = answers.slot_mut(slot);
            *title = priority.title.as_str().to_owned();
            *themes = priority
                .themes
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect();
        }
        answers
    }

    /// Priority `slot` (0-based): its title and ticked themes as typed.
    pub fn slot(&self, slot: usize) -> (&str, &[String]) {
        match slot {
            0 => (&self.priority_1, &self.priority_1_themes),
            1 => (&self.priority_2, &self.priority_2_themes),
            2 => (&self.priority_3, &self.priority_3_themes),
            _ => (&self.priority_4, &self.priority_4_themes),
        }
    }

    fn slot_mut(&mut self, slot: usize) -> (&mut String, &mut Vec<String>) {
        match slot {
            0 => (&mut self.priority_1, &mut self.priority_1_themes),
            1 => (&mut self.priority_2, &mut self.priority_2_themes),
            2 => (&mut self.priority_3, &mut self.priority_3_themes),
            _ => (&mut self.priority_4, &mut self.priority_4_themes),
        }
    }

    /// The details, or each field's problem keyed by its HTML id. `themes` are the known
    /// practice themes.
    pub fn check(&self, themes: &[ThemeCode]) -> Result<CycleDetails, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let year = match self.year.trim().parse::<i32>() {
            Ok(year) if (2000..=2100).contains(&year) => Some(year),
            _ => {
                problems.push(FieldProblem::new(
                    "year",
                    "Enter the year of the cycle, like 2026",
                ));
                None
            }
        };
        let event_date = date(
            &self.event_date,
            "event_date",
            "the day of the event",
            &mut problems,
        );
        let venue = match OneLine::parse("The venue", &self.venue, limits::PLACE) {
            Ok(venue) if venue.is_empty() => {
                problems.push(FieldProblem::new("venue", "Enter the venue"));
                None
            }
            Ok(venue) => match personal_data::check_free_text("venue", venue.as_str()) {
                Ok(()) => Some(venue),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            Err(error) => {
                problems.push(FieldProblem::new("venue", error));
                None
            }
        };
        let kloes_due = date(
            &self.kloes_due,
            "kloes_due",
            "the date KLOEs are due",
            &mut problems,
        );
        let actions_due = date(
            &self.actions_due,
            "actions_due",
            "the date agreed actions are due",
            &mut problems,
        );
        if let (Some(year), Some(day)) = (year, event_date)
            && day.year() != year
        {
            problems.push(FieldProblem::new(
                "event_date",
                format!("The event must be held in {year}, the cycle's year"),
            ));
        }
        if let (Some(kloes), Some(day)) = (kloes_due, event_date)
            && kloes >= day
        {
            problems.push(FieldProblem::new(
                "kloes_due",
                "KLOEs must be due before the day of the event",
            ));
        }
        if let (Some(actions), Some(day)) = (actions_due, event_date)
            && actions <= day
        {
            problems.push(FieldProblem::new(
                "actions_due",
                "Agreed actions must be due after the day of the event",
            ));
        }
        let mut priorities = Vec::new();
        for slot in 0..PRIORITY_SLOTS {
            let field = format!("priority_{}", slot + 1);
            let (title, ticked) = self.slot(slot);
            let title = match OneLine::parse("The priority", title, limits::TITLE) {
                Ok(title) => title,
                Err(error) => {
                    problems.push(FieldProblem::new(&field, error));
                    continue;
                }
            };
            if title.is_empty() {
                if !ticked.is_empty() {
                    problems.push(FieldProblem::new(
                        &field,
                        format!("Enter priority {} or untick its themes", slot + 1),
                    ));
                }
                continue;
            }
            if let Err(problem) = personal_data::check_free_text(&field, title.as_str()) {
                problems.push(problem);
                continue;
            }
            let chosen: Vec<ThemeCode> = themes
                .iter()
                .filter(|theme| ticked.iter().any(|t| t == theme.as_str()))
                .cloned()
                .collect();
            if chosen.is_empty() {
                problems.push(FieldProblem::new(
                    format!("{field}_themes"),
                    format!("Select at least one theme for priority {}", slot + 1),
                ));
                continue;
            }
            priorities.push(Priority {
                title,
                themes: chosen,
            });
        }
        let triads = match self.triads.as_str() {
            "" => Some(TriadPairing::NoPreference),
            code => TriadPairing::parse(code),
        };
        if triads.is_none() {
            problems.push(FieldProblem::new(
                "triads",
                "Select how the pairing treats this year's triads",
            ));
        }
        if priorities.is_empty() && !problems.iter().any(|p| p.field.starts_with("priority")) {
            problems.push(FieldProblem::new(
                "priority_1",
                "Enter at least one priority agreed for the event",
            ));
        }
        match (year, event_date, venue, kloes_due, actions_due, triads) {
            (
                Some(year),
                Some(event_date),
                Some(venue),
                Some(kloes_due),
                Some(actions_due),
                Some(triads),
            ) if problems.is_empty() => Ok(CycleDetails {
                year,
                event_date,
                venue,
                kloes_due,
                actions_due,
                priorities,
                allow_reciprocal: self.reciprocal == "yes",
                triads,
            }),
            _ => Err(problems),
        }
    }
}

fn date(raw: &str, field: &str, what: &str, problems: &mut Vec<FieldProblem>) -> Option<NaiveDate> {
    match raw.trim() {
        "" => {
            problems.push(FieldProblem::new(field, format!("Enter {what}")));
            None
        }
        text => match NaiveDate::parse_from_str(text, "%d/%m/%Y") {
            Ok(day) => Some(day),
            Err(_) => {
                problems.push(FieldProblem::new(
                    field,
                    format!("Enter {what} as a real date, like 14/03/2026"),
                ));
                None
            }
        },
    }
}

/// One pair: the challenging area's team challenges the challenged area.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pair {
    pub challenger: AuthoritySlug,
    pub challenged: AuthoritySlug,
}

/// A hard rule a pairing breaks, in the co-ordinator's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairingBreach {
    ChallengesItself(AuthoritySlug),
    ChallengesTwice(AuthoritySlug),
    ChallengedTwice(AuthoritySlug),
    Unpaired(AuthoritySlug),
    Reciprocal(AuthoritySlug, AuthoritySlug),
    RepeatOfLastCycle(AuthoritySlug, AuthoritySlug),
}

impl PairingBreach {
    /// The rule broken, naming areas by `name`.
    pub fn describe(&self, name: &dyn Fn(&AuthoritySlug) -> String) -> String {
        match self {
            Self::ChallengesItself(a) => format!("{} would challenge itself", name(a)),
            Self::ChallengesTwice(a) => format!("{} would challenge two areas", name(a)),
            Self::ChallengedTwice(a) => format!("{} would be challenged twice", name(a)),
            Self::Unpaired(a) => format!("{} would not challenge or not be challenged", name(a)),
            Self::Reciprocal(a, b) => format!(
                "{} and {} would challenge each other, which this cycle does not allow",
                name(a),
                name(b)
            ),
            Self::RepeatOfLastCycle(a, b) => {
                format!("{} challenged {} in the last cycle too", name(a), name(b))
            }
        }
    }
}

/// Every hard rule `pairs` break among `areas`: nobody challenges itself, each area
/// challenges exactly one and is challenged by exactly one, no reciprocal pair unless allowed,
/// and no pair repeated from the last cycle. Empty when the pairing is sound.
pub fn pairing_breaches(
    areas: &[AuthoritySlug],
    pairs: &[Pair],
    last_cycle: &[Pair],
    allow_reciprocal: bool,
) -> Vec<PairingBreach> {
    let mut breaches = Vec::new();
    let mut challenges: BTreeMap<&AuthoritySlug, usize> = BTreeMap::new();
    let mut challenged: BTreeMap<&AuthoritySlug, usize> = BTreeMap::new();
    let set: BTreeSet<&Pair> = pairs.iter().collect();
    for pair in pairs {
        *challenges.entry(&pair.challenger).or_default() += 1;
        *challenged.entry(&pair.challenged).or_default() += 1;
        if pair.challenger == pair.challenged {
            breaches.push(PairingBreach::ChallengesItself(pair.challenger.clone()));
        }
        let back = Pair {
            challenger: pair.challenged.clone(),
            challenged: pair.challenger.clone(),
        };
        if !allow_reciprocal && pair.challenger < pair.challenged && set.contains(&back) {
            breaches.push(PairingBreach::Reciprocal(
                pair.challenger.clone(),
                pair.challenged.clone(),
            ));
        }
        if last_cycle.contains(pair) {
            breaches.push(PairingBreach::RepeatOfLastCycle(
                pair.challenger.clone(),
                pair.challenged.clone(),
            ));
        }
    }
    for area in areas {
        match (challenges.get(area), challenged.get(area)) {
            (Some(1), Some(1)) => {}
            (Some(n), _) if *n > 1 => breaches.push(PairingBreach::ChallengesTwice(area.clone())),
            (_, Some(n)) if *n > 1 => breaches.push(PairingBreach::ChallengedTwice(area.clone())),
            _ => breaches.push(PairingBreach::Unpaired(area.clone())),
        }
    }
    breaches
}

/// Two challengers swap the areas they challenge.
pub fn swap(pairs: &[Pair], first: &AuthoritySlug, second: &AuthoritySlug) -> Option<Vec<Pair>> {
    let target_of = |a: &AuthoritySlug| {
        pairs
            .iter()
            .find(|p| &p.challenger == a)
            .map(|p| p.challenged.clone())
    };
    let (to_first, to_second) = (target_of(first)?, target_of(second)?);
    if first == second {
        return None;
    }
    Some(
        pairs
            .iter()
            .map(|p| {
                if &p.challenger == first {
                    Pair {
                        challenger: first.clone(),
                        challenged: to_second.clone(),
                    }
                } else if &p.challenger == second {
                    Pair {
                        challenger: second.clone(),
                        challenged: to_first.clone(),
                    }
                } else {
                    p.clone()
                }
            })
            .collect(),
    )
}

/// The pairing once `leaving` opts out after it was published, changing as few pairs as
/// possible: the area that challenged the leaver takes on the leaver's own target (one
/// change); when that breaks a rule, it takes another pair's target and that pair's
/// challenger takes the leaver's (two changes). `None` when no such repair keeps the rules:
/// the co-ordinator then generates afresh.
pub fn repair_after_opt_out(
    pairs: &[Pair],
    leaving: &AuthoritySlug,
    last_cycle: &[Pair],
    allow_reciprocal: bool,
) -> Option<Vec<Pair>> {
    let orphan = pairs
        .iter()
        .find(|p| &p.challenged == leaving)?
        .challenger
        .clone();
    let freed = pairs
        .iter()
        .find(|p| &p.challenger == leaving)?
        .challenged
        .clone();
    let rest: Vec<Pair> = pairs
        .iter()
        .filter(|p| &p.challenger != leaving && &p.challenged != leaving)
        .cloned()
        .collect();
    let areas: Vec<AuthoritySlug> = pairs
        .iter()
        .map(|p| p.challenger.clone())
        .filter(|a| a != leaving)
        .collect();
    let sound = |candidate: &[Pair]| {
        pairing_breaches(&areas, candidate, last_cycle, allow_reciprocal).is_empty()
    };
    let mut spliced = rest.clone();
    spliced.push(Pair {
        challenger: orphan.clone(),
        challenged: freed.clone(),
    });
    if sound(&spliced) {
        spliced.sort();
        return Some(spliced);
    }
    for other in &rest {
        let mut candidate: Vec<Pair> = rest.iter().filter(|p| *p != other).cloned().collect();
        candidate.push(Pair {
            challenger: orphan.clone(),
            challenged: other.challenged.clone(),
        });
        candidate.push(Pair {
            challenger: other.challenger.clone(),
            challenged: freed.clone(),
        });
        if sound(&candidate) {
            candidate.sort();
            return Some(candidate);
        }
    }
    None
}

vocabulary!(
    /// Which SEND partner a team member represents. Codes are stored.
    TeamPartner {
        LocalAuthority => "la", "Local authority";
        Health => "health", "Health";
        ParentCarerForum => "parent_carer_forum", "Parent carer forum";
        Education => "education", "Education";
        Other => "other", "Other partner";
    }
);

/// A member of an area's team, checked. Members need no account: they are emailed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    pub name: crate::PersonName,
    pub email: crate::EmailAddress,
    pub partner: TeamPartner,
    pub team_lead: bool,
}

/// A team member as typed by the LA lead.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct MemberAnswers {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub partner: String,
    /// "yes" for the team's lead.
    #[serde(default)]
    pub team_lead: String,
}

impl MemberAnswers {
    pub fn check(&self) -> Result<TeamMember, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let name = crate::PersonName::parse(&self.name)
            .map_err(|error| problems.push(FieldProblem::new("name", error)))
            .ok();
        let email = crate::EmailAddress::parse(self.email.trim())
            .map_err(|_| {
                problems.push(FieldProblem::new(
                    "email",
                    "Enter an email address in the correct format, like name@example.org",
                ))
            })
            .ok();
        let partner = TeamPartner::parse(&self.partner);
        if partner.is_none() {
            problems.push(FieldProblem::new(
                "partner",
                "Select which partner they represent",
            ));
        }
        match (name, email, partner) {
            (Some(name), Some(email), Some(partner)) => Ok(TeamMember {
                name,
                email,
                partner,
                team_lead: self.team_lead == "yes",
            }),
            _ => Err(problems),
        }
    }
}

vocabulary!(
    /// Where a KLOE for the challenged area stands. Codes are stored.
    KloeStatus {
        Draft => "draft", "Draft";
        Agreed => "agreed", "Agreed";
    }
);

/// A KLOE the challenging area drafts for the area it challenges, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KloeDraft {
    pub question: crate::MultiLine,
    /// The cycle priority it serves (0-based).
    pub priority: usize,
    pub themes: Vec<ThemeCode>,
}

/// A KLOE as typed: the question, the priority's number and the ticked themes.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct KloeDraftAnswers {
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub themes: Vec<String>,
}

impl KloeDraftAnswers {
    /// The draft for a cycle with `priorities` priorities, tagged from `themes`.
    pub fn check(
        &self,
        priorities: usize,
        themes: &[ThemeCode],
    ) -> Result<KloeDraft, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let question = match crate::MultiLine::parse("The KLOE", &self.question, limits::STATEMENT)
        {
            Ok(question) if question.is_empty() => {
                problems.push(FieldProblem::new(
                    "question",
                    "Enter the key line of enquiry",
                ));
                None
            }
            Ok(question) => match personal_data::check_free_text("question", question.as_str()) {
                Ok(()) => Some(question),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            Err(error) => {
                problems.push(FieldProblem::new("question", error));
                None
            }
        };
        let priority = self
            .priority
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=priorities).contains(n))
            .map(|n| n - 1);
        if priority.is_none() {
            problems.push(FieldProblem::new(
                "priority",
                "Select the priority this KLOE is about",
            ));
        }
        let chosen: Vec<ThemeCode> = themes
            .iter()
            .filter(|theme| self.themes.iter().any(|t| t == theme.as_str()))
            .cloned()
            .collect();
        if chosen.is_empty() {
            problems.push(FieldProblem::new(
                "themes",
                "Select at least one practice theme",
            ));
        }
        match (question, priority) {
            (Some(question), Some(priority)) if problems.is_empty() => Ok(KloeDraft {
                question,
                priority,
                themes: chosen,
            }),
            _ => Err(problems),
        }
    }
}

/// An offer of support from one area to another (what, who, how to reach them), checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportOffer {
    pub to: AuthoritySlug,
    pub what: crate::MultiLine,
    pub who: OneLine,
    pub contact: crate::EmailAddress,
}

/// A support offer as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct SupportOfferAnswers {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub contact: String,
}

impl SupportOfferAnswers {
    /// The offer from `from` to one of `areas` (the others taking part).
    pub fn check(
        &self,
        from: &AuthoritySlug,
        areas: &[AuthoritySlug],
    ) -> Result<SupportOffer, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let to = AuthoritySlug::parse(&self.to)
            .ok()
            .filter(|to| to != from && areas.contains(to));
        if to.is_none() {
            problems.push(FieldProblem::new(
                "to",
                "Choose another area taking part to offer support to",
            ));
        }
        let what = match crate::MultiLine::parse("The offer", &self.what, limits::STATEMENT) {
            Ok(what) if what.is_empty() => {
                problems.push(FieldProblem::new("what", "Enter what you offer"));
                None
            }
            Ok(what) => match personal_data::check_free_text("what", what.as_str()) {
                Ok(()) => Some(what),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            Err(error) => {
                problems.push(FieldProblem::new("what", error));
                None
            }
        };
        let who = match OneLine::parse("Who offers it", &self.who, limits::TITLE) {
            Ok(who) if who.is_empty() => {
                problems.push(FieldProblem::new(
                    "who",
                    "Enter who offers it, such as a service or a role",
                ));
                None
            }
            Ok(who) => Some(who),
            Err(error) => {
                problems.push(FieldProblem::new("who", error));
                None
            }
        };
        let contact = crate::EmailAddress::parse(self.contact.trim())
            .map_err(|_| {
                problems.push(FieldProblem::new(
                    "contact",
                    "Enter a contact email address, like send.team@council.example",
                ))
            })
            .ok();
        match (to, what, who, contact) {
            (Some(to), Some(what), Some(who), Some(contact)) => Ok(SupportOffer {
                to,
                what,
                who,
                contact,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> AuthoritySlug {
        AuthoritySlug::parse(s).expect("a slug")
    }

    fn pair(a: &str, b: &str) -> Pair {
        Pair {
            challenger: slug(a),
            challenged: slug(b),
        }
    }

    fn answers() -> CycleAnswers {
        CycleAnswers {
            year: "2026".into(),
            event_date: "15/10/2026".into(),
            venue: "East Midlands Conference Centre".into(),
            kloes_due: "01/10/2026".into(),
            actions_due: "30/11/2026".into(),
            priority_1: "Preparing for adulthood".into(),
            priority_1_themes: vec!["PFA".into()],
            ..CycleAnswers::default()
        }
    }

    fn themes() -> Vec<ThemeCode> {
        vec![ThemeCode::parse("PFA").expect("a code")]
    }

    #[test]
    fn states_move_one_step_and_publishing_has_its_own_step() {
        assert_eq!(
            CycleState::Planning.next(),
            Some(CycleState::PairingPublished)
        );
        assert_eq!(CycleState::Closed.next(), None);
        assert_eq!(
            check_move(CycleState::Planning, CycleState::PairingPublished),
            Err(MoveProblem::PublishThePairing)
        );
        assert_eq!(
            check_move(CycleState::PairingPublished, CycleState::Held),
            Err(MoveProblem::NotNext)
        );
        assert_eq!(
            check_move(CycleState::PairingPublished, CycleState::KloesShared),
            Ok(())
        );
        for state in CycleState::ALL {
            assert_eq!(CycleState::parse(state.code()), Some(state));
        }
    }

    #[test]
    fn good_answers_make_details() {
        let details = answers().check(&themes()).expect("valid");
        assert_eq!(details.year, 2026);
        assert_eq!(details.priorities.len(), 1);
        assert!(!details.allow_reciprocal);
        assert_eq!(details.triads, TriadPairing::NoPreference);
        assert_eq!(CycleAnswers::of(&details).check(&themes()), Ok(details));
    }

    #[test]
    fn the_triad_preference_is_one_of_its_codes() {
        for choice in TriadPairing::ALL {
            let details = CycleAnswers {
                triads: choice.code().into(),
                ..answers()
            }
            .check(&themes())
            .expect("valid");
            assert_eq!(details.triads, choice);
            assert_eq!(CycleAnswers::of(&details).triads, choice.code());
        }
        let problems = CycleAnswers {
            triads: "sometimes".into(),
            ..answers()
        }
        .check(&themes())
        .expect_err("not a choice");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "triads");
    }

    #[test]
    fn each_bad_answer_is_named_by_its_field() {
        let bad = CycleAnswers {
            year: "26".into(),
            event_date: "31/02/2026".into(),
            venue: String::new(),
            priority_1: String::new(),
            priority_1_themes: vec![],
            priority_2: "Early help".into(),
            ..answers()
        };
        let fields: Vec<String> = bad
            .check(&themes())
            .expect_err("invalid")
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["year", "event_date", "venue", "priority_2_themes"]);
        let late_kloes = CycleAnswers {
            kloes_due: "20/10/2026".into(),
            actions_due: "01/10/2026".into(),
            ..answers()
        };
        let fields: Vec<String> = late_kloes
            .check(&themes())
            .expect_err("invalid")
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["kloes_due", "actions_due"]);
    }

    #[test]
    fn personal_data_in_a_priority_is_refused() {
        let bad = CycleAnswers {
            priority_1: "Follow up 943 476 5919".into(),
            ..answers()
        };
        let problems = bad.check(&themes()).expect_err("refused");
        assert_eq!(problems[0].field, "priority_1");
    }

    #[test]
    fn team_members_and_kloes_are_checked_per_field() {
        let member = MemberAnswers {
            name: "Sam Patel".into(),
            email: "sam@derby.example".into(),
            partner: "health".into(),
            team_lead: "yes".into(),
        }
        .check()
        .expect("valid");
        assert!(member.team_lead);
        assert_eq!(member.partner, TeamPartner::Health);
        let fields: Vec<String> = MemberAnswers::default()
            .check()
            .expect_err("empty")
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["name", "email", "partner"]);
        let kloe = KloeDraftAnswers {
            question: "How well do partners plan transitions?".into(),
            priority: "1".into(),
            themes: vec!["PFA".into()],
        };
        assert_eq!(kloe.check(1, &themes()).expect("valid").priority, 0);
        let bad = KloeDraftAnswers {
            question: "Ask about NHS number 943 476 5919".into(),
            priority: "2".into(),
            themes: vec![],
        };
        let fields: Vec<String> = bad
            .check(1, &themes())
            .expect_err("refused")
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["question", "priority", "themes"]);
    }

    #[test]
    fn a_support_offer_goes_to_another_area_taking_part() {
        let areas = [slug("derby"), slug("rutland")];
        let offer = SupportOfferAnswers {
            to: "rutland".into(),
            what: "Our EHC plan quality audit tool and a half-day of training".into(),
            who: "Derby SEND quality team".into(),
            contact: "send.quality@derby.example".into(),
        };
        assert_eq!(
            offer.check(&slug("derby"), &areas).expect("valid").to,
            slug("rutland")
        );
        let to_itself = SupportOfferAnswers {
            to: "derby".into(),
            ..offer.clone()
        };
        let fields: Vec<String> = to_itself
            .check(&slug("derby"), &areas)
            .expect_err("refused")
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["to"]);
        let empty: Vec<String> = SupportOfferAnswers::default()
            .check(&slug("derby"), &areas)
            .expect_err("refused")
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(empty, ["to", "what", "who", "contact"]);
    }

    #[test]
    fn breaches_name_each_rule() {
        let areas = [slug("a"), slug("b"), slug("c")];
        assert!(
            pairing_breaches(
                &areas,
                &[pair("a", "b"), pair("b", "c"), pair("c", "a")],
                &[],
                false
            )
            .is_empty()
        );
        let reciprocal = [pair("a", "b"), pair("b", "a"), pair("c", "c")];
        let breaches = pairing_breaches(&areas, &reciprocal, &[], false);
        assert!(breaches.contains(&PairingBreach::Reciprocal(slug("a"), slug("b"))));
        assert!(breaches.contains(&PairingBreach::ChallengesItself(slug("c"))));
        assert!(pairing_breaches(&areas[..2], &reciprocal[..2], &[], true).is_empty());
        let repeat = pairing_breaches(
            &areas,
            &[pair("a", "b"), pair("b", "c"), pair("c", "a")],
            &[pair("b", "c")],
            false,
        );
        assert_eq!(
            repeat,
            [PairingBreach::RepeatOfLastCycle(slug("b"), slug("c"))]
        );
    }

    #[test]
    fn a_swap_exchanges_two_targets() {
        let pairs = [
            pair("a", "b"),
            pair("b", "c"),
            pair("c", "d"),
            pair("d", "a"),
        ];
        let swapped = swap(&pairs, &slug("a"), &slug("c")).expect("both challenge");
        assert_eq!(
            swapped,
            [
                pair("a", "d"),
                pair("b", "c"),
                pair("c", "b"),
                pair("d", "a")
            ]
        );
        assert_eq!(swap(&pairs, &slug("a"), &slug("z")), None);
    }

    #[test]
    fn an_opt_out_is_repaired_with_one_change_when_it_can_be() {
        let pairs = [
            pair("a", "b"),
            pair("b", "c"),
            pair("c", "d"),
            pair("d", "a"),
        ];
        let repaired = repair_after_opt_out(&pairs, &slug("b"), &[], false).expect("repairable");
        assert_eq!(repaired, [pair("a", "c"), pair("c", "d"), pair("d", "a")]);
        // a→c was last cycle's: a takes another pair's target and that pair's challenger
        // takes c (two changes).
        let five = [
            pair("a", "b"),
            pair("b", "c"),
            pair("c", "d"),
            pair("d", "e"),
            pair("e", "a"),
        ];
        let last = [pair("a", "c")];
        let repaired = repair_after_opt_out(&five, &slug("b"), &last, true).expect("repairable");
        let areas = [slug("a"), slug("c"), slug("d"), slug("e")];
        assert!(pairing_breaches(&areas, &repaired, &last, true).is_empty());
        let changed = repaired.iter().filter(|p| !five.contains(p)).count();
        assert_eq!(changed, 2, "{repaired:?}");
        // Three areas left to two, reciprocity forbidden: nothing keeps the rules.
        let three = [pair("a", "b"), pair("b", "c"), pair("c", "a")];
        assert_eq!(repair_after_opt_out(&three, &slug("c"), &[], false), None);
    }
}
