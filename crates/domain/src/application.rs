//! An application to join the reviewer pool. A draft keeps every answer exactly as typed (so
//! nothing is lost on an error or the back button); each page validates its own answers;
//! `complete` turns the whole draft into a checked [`Application`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::forms::FieldProblem;
use crate::pool::{
    AgeBand, ConflictAnswer, DateRange, ExpertiseLevel, HomeArea, MemberProfile, PhoneNumber,
    ReviewerType, check_conflicts, parse_date_parts,
};
use crate::text::{MultiLine, OneLine, limits};
use crate::{AuthoritySlug, EmailAddress, PersonName, ThemeCode};

vocabulary!(
    /// Where an application is in vetting.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    ApplicationStatus {
        /// Under 18: waiting for a parent or carer to consent.
        AwaitingConsent => "awaiting_consent", "Waiting for consent";
        /// Waiting for the project manager.
        Submitted => "submitted", "To review";
        /// Sent back to the applicant with a question.
        MoreInformationRequested => "more_information_requested", "More information requested";
        Approved => "approved", "Approved";
        Declined => "declined", "Declined";
        Withdrawn => "withdrawn", "Withdrawn";
    }
);

impl ApplicationStatus {
    /// Still being decided: a new application from the same email updates this one.
    pub const OPEN: [ApplicationStatus; 3] = [
        Self::AwaitingConsent,
        Self::Submitted,
        Self::MoreInformationRequested,
    ];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}
/// The question pages, in the order an applicant meets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationPage {
    Name,
    Role,
    Age,
    Organisation,
    Themes,
    Experience,
    Training,
    Participation,
    Dates,
    Conflicts,
    Adjustments,
    Privacy,
}

impl ApplicationPage {
    pub const ALL: [ApplicationPage; 12] = [
        Self::Name,
        Self::Role,
        Self::Age,
        Self::Organisation,
        Self::Themes,
        Self::Experience,
        Self::Training,
        Self::Participation,
        Self::Dates,
        Self::Conflicts,
        Self::Adjustments,
        Self::Privacy,
    ];

    /// The URL segment: `/apply/<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Role => "role",
            Self::Age => "age",
            Self::Organisation => "organisation",
            Self::Themes => "themes",
            Self::Experience => "experience",
            Self::Training => "training",
            Self::Participation => "participation",
            Self::Dates => "dates",
            Self::Conflicts => "conflicts",
            Self::Adjustments => "adjustments",
            Self::Privacy => "privacy",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|page| page.slug() == slug)
    }

    /// Whether this applicant is asked this page (only young ambassadors give an age band).
    pub fn applies_to(self, draft: &ApplicationDraft) -> bool {
        self != Self::Age || draft.reviewer_type == ReviewerType::YoungAmbassador.code()
    }

    /// The page after this one for this applicant, or None when the next step is checking.
    pub fn next(self, draft: &ApplicationDraft) -> Option<Self> {
        Self::ALL
            .into_iter()
            .skip_while(|page| *page != self)
            .skip(1)
            .find(|page| page.applies_to(draft))
    }

    /// The page before this one, for the back link.
    pub fn previous(self, draft: &ApplicationDraft) -> Option<Self> {
        Self::ALL
            .into_iter()
            .rev()
            .skip_while(|page| *page != self)
            .skip(1)
            .find(|page| page.applies_to(draft))
    }
}

/// A period typed into two GOV.UK date inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRangeAnswer {
    pub start_day: String,
    pub start_month: String,
    pub start_year: String,
    pub end_day: String,
    pub end_month: String,
    pub end_year: String,
}

impl DateRangeAnswer {
    fn is_blank(&self) -> bool {
        [
            &self.start_day,
            &self.start_month,
            &self.start_year,
            &self.end_day,
            &self.end_month,
            &self.end_year,
        ]
        .iter()
        .all(|part| part.trim().is_empty())
    }
}

/// The applicant's experience, and the adjustments they need.
pub const LONG_TEXT_LIMIT: usize = limits::SHORT_NOTE;
/// An employer or organisation, or a region outside the East Midlands.
pub const ORGANISATION_LIMIT: usize = limits::NAME;
/// The project manager's question to an applicant, or the reason for declining them.
pub const DECISION_NOTE_LIMIT: usize = limits::SHORT_NOTE;

/// How many rows of dates and conflicts the pages offer (no JavaScript "add another").
pub const ANSWER_ROWS: usize = 3;

/// Every answer as the applicant typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationDraft {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub reviewer_type: String,
    pub age_band: String,
    pub guardian_email: String,
    pub organisation: String,
    /// An authority slug, or `outside` for outside the East Midlands.
    pub home_authority: String,
    pub outside_region: String,
    /// Theme code → level code; themes they do not know are absent.
    pub expertise: BTreeMap<String, String>,
    pub experience: String,
    /// `yes` or `no`.
    pub needs_training: String,
    /// `yes` if they can only take part online.
    pub online_only: String,
    pub travel_to: Vec<String>,
    pub unavailable: Vec<DateRangeAnswer>,
    pub conflicts: Vec<ConflictAnswer>,
    pub adjustments: String,
    pub privacy_agreed: bool,
}

/// The reference facts validation needs: which authority slugs and theme codes exist.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub authorities: Vec<AuthoritySlug>,
    pub themes: Vec<ThemeCode>,
    /// The authorities' names, for messages that name one; a slug without one is named by
    /// its slug.
    pub authority_names: BTreeMap<AuthoritySlug, String>,
}

impl Vocabulary {
    fn named_authorities(&self) -> Vec<(AuthoritySlug, String)> {
        self.authorities
            .iter()
            .map(|slug| {
                let name = self.authority_names.get(slug).cloned();
                (slug.clone(), name.unwrap_or_else(|| slug.to_string()))
            })
            .collect()
    }
}

/// A checked application, ready to submit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub profile: MemberProfile,
    pub age_band: Option<AgeBand>,
    /// The parent or carer asked to consent for an applicant under 18.
    pub guardian_email: Option<EmailAddress>,
}

/// The yearly load a new member starts with; the project manager can change it.
pub const DEFAULT_MAX_PER_YEAR: u8 = 4;

/// Optional text over several lines, as kept; a problem is recorded against `field`.
fn bounded(
    field: &str,
    label: &str,
    text: &str,
    limit: usize,
    problems: &mut Vec<FieldProblem>,
) -> String {
    MultiLine::parse(label, text, limit)
        .map(MultiLine::into_string)
        .unwrap_or_else(|found| {
            problems.push(FieldProblem::new(field, found));
            String::new()
        })
}

impl ApplicationDraft {
    /// Problems on one page; empty when the page is fine.
    pub fn check_page(&self, page: ApplicationPage, vocabulary: &Vocabulary) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        match page {
            ApplicationPage::Name => {
                self.name(&mut problems);
            }
            ApplicationPage::Role => {
                self.kind(&mut problems);
            }
            ApplicationPage::Age => {
                self.age(&mut problems);
            }
            ApplicationPage::Organisation => {
                self.home(vocabulary, &mut problems);
            }
            ApplicationPage::Themes => {
                self.themes(vocabulary, &mut problems);
            }
            ApplicationPage::Experience => {
                bounded(
                    "experience",
                    "Your experience",
                    &self.experience,
                    LONG_TEXT_LIMIT,
                    &mut problems,
                );
            }
            ApplicationPage::Training => {
                self.training(&mut problems);
            }
            ApplicationPage::Participation => {
                self.participation(vocabulary, &mut problems);
            }
            ApplicationPage::Dates => {
                self.dates(&mut problems);
            }
            ApplicationPage::Conflicts => {
                self.declared_conflicts(vocabulary, &mut problems);
            }
            ApplicationPage::Adjustments => {
                bounded(
                    "adjustments",
                    "Adjustments",
                    &self.adjustments,
                    LONG_TEXT_LIMIT,
                    &mut problems,
                );
            }
            ApplicationPage::Privacy => {
                if !self.privacy_agreed {
                    problems.push(FieldProblem::new(
                        "privacy",
                        "Confirm you have read and agree to the privacy notice",
                    ));
                }
            }
        }
        problems
    }

    /// The first page with a problem, so "check your answers" can send the applicant back.
    pub fn first_incomplete_page(&self, vocabulary: &Vocabulary) -> Option<ApplicationPage> {
        ApplicationPage::ALL
            .into_iter()
            .filter(|page| page.applies_to(self))
            .find(|page| !self.check_page(*page, vocabulary).is_empty())
    }

    /// Check every page and build the application.
    pub fn complete(
        &self,
        vocabulary: &Vocabulary,
    ) -> Result<Application, Vec<(ApplicationPage, FieldProblem)>> {
        let mut problems = Vec::new();
        let mut collect = |page: ApplicationPage, found: Vec<FieldProblem>| {
            problems.extend(found.into_iter().map(|problem| (page, problem)));
        };
        let mut page_problems = Vec::new();
        let (name, email, phone) = self.name(&mut page_problems);
        collect(ApplicationPage::Name, std::mem::take(&mut page_problems));
        let kind = self.kind(&mut page_problems);
        collect(ApplicationPage::Role, std::mem::take(&mut page_problems));
        let (age_band, guardian_email) = if ApplicationPage::Age.applies_to(self) {
            self.age(&mut page_problems)
        } else {
            (None, None)
        };
        collect(ApplicationPage::Age, std::mem::take(&mut page_problems));
        let (organisation, home) = self.home(vocabulary, &mut page_problems);
        collect(
            ApplicationPage::Organisation,
            std::mem::take(&mut page_problems),
        );
        let expertise = self.themes(vocabulary, &mut page_problems);
        collect(ApplicationPage::Themes, std::mem::take(&mut page_problems));
        let experience = bounded(
            "experience",
            "Your experience",
            &self.experience,
            LONG_TEXT_LIMIT,
            &mut page_problems,
        );
        collect(
            ApplicationPage::Experience,
            std::mem::take(&mut page_problems),
        );
        let needs_training = self.training(&mut page_problems);
        collect(
            ApplicationPage::Training,
            std::mem::take(&mut page_problems),
        );
        let (online_only, travel_to) = self.participation(vocabulary, &mut page_problems);
        collect(
            ApplicationPage::Participation,
            std::mem::take(&mut page_problems),
        );
        let unavailable = self.dates(&mut page_problems);
        collect(ApplicationPage::Dates, std::mem::take(&mut page_problems));
        let conflicts = self.declared_conflicts(vocabulary, &mut page_problems);
        collect(
            ApplicationPage::Conflicts,
            std::mem::take(&mut page_problems),
        );
        let adjustments = bounded(
            "adjustments",
            "Adjustments",
            &self.adjustments,
            LONG_TEXT_LIMIT,
            &mut page_problems,
        );
        collect(
            ApplicationPage::Adjustments,
            std::mem::take(&mut page_problems),
        );
        if !self.privacy_agreed {
            page_problems.push(FieldProblem::new(
                "privacy",
                "Confirm you have read and agree to the privacy notice",
            ));
        }
        collect(ApplicationPage::Privacy, page_problems);
        match (name, email, kind, home, needs_training) {
            (Some(name), Some(email), Some(reviewer_type), Some(home), Some(needs_training))
                if problems.is_empty() =>
            {
                Ok(Application {
                    profile: MemberProfile {
                        name,
                        email,
                        phone,
                        reviewer_type,
                        organisation,
                        home,
                        experience,
                        adjustments,
                        needs_training,
                        trained_on: None,
                        online_only,
                        max_per_year: DEFAULT_MAX_PER_YEAR,
                        expertise,
                        unavailable,
                        conflicts,
                        travel_to,
                    },
                    age_band,
                    guardian_email,
                })
            }
            _ => Err(problems),
        }
    }

    fn name(
        &self,
        problems: &mut Vec<FieldProblem>,
    ) -> (
        Option<PersonName>,
        Option<EmailAddress>,
        Option<PhoneNumber>,
    ) {
        let name = PersonName::parse(&self.full_name)
            .map_err(|problem| problems.push(FieldProblem::new("full_name", problem)))
            .ok();
        let email = EmailAddress::parse(&self.email)
            .map_err(|problem| problems.push(FieldProblem::new("email", problem)))
            .ok();
        let phone = PhoneNumber::parse_optional(&self.phone)
            .map_err(|problem| problems.push(FieldProblem::new("phone", problem)))
            .ok()
            .flatten();
        (name, email, phone)
    }

    fn kind(&self, problems: &mut Vec<FieldProblem>) -> Option<ReviewerType> {
        let kind = ReviewerType::parse(&self.reviewer_type);
        if kind.is_none() {
            problems.push(FieldProblem::new("reviewer_type", "Select who you are"));
        }
        kind
    }

    fn age(&self, problems: &mut Vec<FieldProblem>) -> (Option<AgeBand>, Option<EmailAddress>) {
        let Some(band) = AgeBand::parse(&self.age_band) else {
            problems.push(FieldProblem::new("age_band", "Select your age"));
            return (None, None);
        };
        if !band.needs_consent() {
            return (Some(band), None);
        }
        let guardian = match EmailAddress::parse(&self.guardian_email) {
            Ok(guardian) if guardian.as_str() == self.email.trim().to_lowercase() => {
                problems.push(FieldProblem::new(
                    "guardian_email",
                    "Enter your parent or carer's own email address, not yours",
                ));
                None
            }
            Ok(guardian) => Some(guardian),
            Err(_) if self.guardian_email.trim().is_empty() => {
                problems.push(FieldProblem::new(
                    "guardian_email",
                    "Enter the email address of a parent or carer: we need their consent because you are under 18",
                ));
                None
            }
            Err(problem) => {
                problems.push(FieldProblem::new("guardian_email", problem));
                None
            }
        };
        (Some(band), guardian)
    }

    fn home(
        &self,
        vocabulary: &Vocabulary,
        problems: &mut Vec<FieldProblem>,
    ) -> (String, Option<HomeArea>) {
        let organisation = OneLine::required(
            "Employer or organisation",
            "your employer or organisation, or 'none'",
            &self.organisation,
            ORGANISATION_LIMIT,
        )
        .map(OneLine::into_string)
        .unwrap_or_else(|found| {
            problems.push(FieldProblem::new("organisation", found));
            String::new()
        });
        let home = match self.home_authority.as_str() {
            "" => {
                problems.push(FieldProblem::new(
                    "home_authority",
                    "Select the local authority you live or work in",
                ));
                None
            }
            "outside" => match OneLine::required(
                "Region",
                "the region you are from",
                &self.outside_region,
                ORGANISATION_LIMIT,
            ) {
                Ok(region) => Some(HomeArea::OutsideRegion(region.into_string())),
                Err(found) => {
                    problems.push(FieldProblem::new("outside_region", found));
                    None
                }
            },
            slug => match vocabulary
                .authorities
                .iter()
                .find(|known| known.as_str() == slug)
            {
                Some(known) => Some(HomeArea::Authority(known.clone())),
                None => {
                    problems.push(FieldProblem::new(
                        "home_authority",
                        "Select a local authority from the list",
                    ));
                    None
                }
            },
        };
        (organisation, home)
    }

    fn themes(
        &self,
        vocabulary: &Vocabulary,
        problems: &mut Vec<FieldProblem>,
    ) -> Vec<(ThemeCode, ExpertiseLevel)> {
        let mut expertise = Vec::new();
        for (code, level) in &self.expertise {
            match (
                vocabulary
                    .themes
                    .iter()
                    .find(|theme| theme.as_str() == code),
                ExpertiseLevel::parse(level),
            ) {
                (Some(theme), Some(level)) => expertise.push((theme.clone(), level)),
                _ if level.is_empty() || level == "none" => {}
                _ => problems.push(FieldProblem::new(
                    format!("theme-{code}"),
                    "Select a level from the list",
                )),
            }
        }
        if expertise.is_empty() && problems.is_empty() {
            problems.push(FieldProblem::new(
                vocabulary
                    .themes
                    .first()
                    .map_or("themes".to_owned(), |theme| format!("theme-{theme}")),
                "Select at least one area of SEND practice you know",
            ));
        }
        expertise
    }

    fn training(&self, problems: &mut Vec<FieldProblem>) -> Option<bool> {
        match self.needs_training.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                problems.push(FieldProblem::new(
                    "needs_training",
                    "Select yes if you would like training before you take part",
                ));
                None
            }
        }
    }

    fn participation(
        &self,
        vocabulary: &Vocabulary,
        problems: &mut Vec<FieldProblem>,
    ) -> (bool, Vec<AuthoritySlug>) {
        let online_only = self.online_only == "yes";
        let mut travel: Vec<AuthoritySlug> = self
            .travel_to
            .iter()
            .filter_map(|slug| {
                vocabulary
                    .authorities
                    .iter()
                    .find(|known| known.as_str() == slug)
                    .cloned()
            })
            .collect();
        travel.sort();
        travel.dedup();
        if self.online_only.is_empty() {
            problems.push(FieldProblem::new(
                "online_only",
                "Select whether you can only take part online",
            ));
        } else if !online_only && travel.is_empty() {
            problems.push(FieldProblem::new(
                "travel_to",
                "Select the areas you can travel to, or say you can only take part online",
            ));
        } else if online_only && !travel.is_empty() {
            // Both answers cannot be meant: ask rather than drop the ticks unseen.
            problems.push(FieldProblem::new(
                "travel_to",
                "You said you can only take part online: untick the areas you can travel to, or say you can travel",
            ));
        }
        (online_only, if online_only { Vec::new() } else { travel })
    }

    fn dates(&self, problems: &mut Vec<FieldProblem>) -> Vec<DateRange> {
        let mut ranges = Vec::new();
        for (index, row) in self
            .unavailable
            .iter()
            .enumerate()
            .filter(|(_, row)| !row.is_blank())
        {
            let start_id = format!("unavailable-{index}-start");
            let end_id = format!("unavailable-{index}-end");
            let start = parse_date_parts(
                "Start date",
                &row.start_day,
                &row.start_month,
                &row.start_year,
            )
            .map_err(|problem| problems.push(FieldProblem::new(start_id, problem)))
            .ok();
            let end = parse_date_parts("End date", &row.end_day, &row.end_month, &row.end_year)
                .map_err(|problem| problems.push(FieldProblem::new(end_id.clone(), problem)))
                .ok();
            if let (Some(start), Some(end)) = (start, end) {
                match DateRange::new(start, end) {
                    Ok(range) => ranges.push(range),
                    Err(problem) => problems.push(FieldProblem::new(end_id, problem)),
                }
            }
        }
        ranges.sort();
        ranges
    }

    fn declared_conflicts(
        &self,
        vocabulary: &Vocabulary,
        problems: &mut Vec<FieldProblem>,
    ) -> Vec<(AuthoritySlug, String)> {
        check_conflicts(
            &self.conflicts,
            &vocabulary.named_authorities(),
            0,
            problems,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_answers_are_bounded_and_clean() {
        let messages = |draft: &ApplicationDraft, page| -> Vec<(String, String)> {
            draft
                .check_page(page, &vocabulary())
                .into_iter()
                .map(|p| (p.field, p.message))
                .collect()
        };
        let mut draft = parent_carer();
        draft.organisation = "Rutland\nParent Carer Forum".into();
        draft.experience = "x".repeat(LONG_TEXT_LIMIT + 1);
        draft.conflicts[0].reason = "My child's school\u{1b}".into();
        assert_eq!(
            messages(&draft, ApplicationPage::Organisation),
            [(
                "organisation".to_owned(),
                "Employer or organisation must be on one line".to_owned()
            )]
        );
        assert_eq!(
            messages(&draft, ApplicationPage::Experience),
            [(
                "experience".to_owned(),
                "Your experience must be 2,000 characters or fewer".to_owned()
            )]
        );
        assert_eq!(
            messages(&draft, ApplicationPage::Conflicts),
            [(
                "conflict-0-reason".to_owned(),
                "Reason must not contain control characters".to_owned()
            )]
        );
        draft.full_name = "Jo\rParent".into();
        assert_eq!(
            messages(&draft, ApplicationPage::Name),
            [(
                "full_name".to_owned(),
                "Full name must be on one line".to_owned()
            )]
        );
    }

    fn vocabulary() -> Vocabulary {
        Vocabulary {
            authorities: ["derby", "rutland", "leicester"]
                .iter()
                .filter_map(|s| AuthoritySlug::parse(s).ok())
                .collect(),
            themes: ["EHCP_QUALITY", "HEALTH"]
                .iter()
                .filter_map(|s| ThemeCode::parse(s))
                .collect(),
            authority_names: AuthoritySlug::parse("derby")
                .map(|derby| (derby, "Derby".to_owned()))
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn a_conflict_declared_twice_is_an_error_naming_it_not_merged() {
        let mut draft = parent_carer();
        draft.conflicts = vec![
            ConflictAnswer {
                authority: "derby".into(),
                reason: "My employer until 2025".into(),
            },
            ConflictAnswer {
                authority: "derby".into(),
                reason: "My child's school".into(),
            },
        ];
        assert_eq!(
            draft.check_page(ApplicationPage::Conflicts, &vocabulary()),
            [FieldProblem::new(
                "conflict-1-authority",
                "You have already listed Derby"
            )]
        );
    }

    #[test]
    fn a_phone_number_is_a_uk_or_international_one() {
        let mut draft = parent_carer();
        for (typed, fine) in [
            ("0115 496 0000", true),
            ("+44 808 157 0192", true),
            ("+1 202 555 0143", true),
            ("123456789012345", false),
            ("0115 496", false),
        ] {
            draft.phone = typed.into();
            let problems = draft.check_page(ApplicationPage::Name, &vocabulary());
            assert_eq!(problems.is_empty(), fine, "{typed}: {problems:?}");
        }
    }

    /// A parent carer's complete, valid answers.
    fn parent_carer() -> ApplicationDraft {
        ApplicationDraft {
            full_name: "Jo Parent".into(),
            email: "Jo.Parent@example.org".into(),
            phone: "07700 900 982".into(),
            reviewer_type: "parent_carer".into(),
            organisation: "Rutland Parent Carer Forum".into(),
            home_authority: "rutland".into(),
            expertise: [
                ("EHCP_QUALITY".to_owned(), "strong".to_owned()),
                ("HEALTH".to_owned(), "none".to_owned()),
            ]
            .into(),
            needs_training: "yes".into(),
            online_only: "no".into(),
            travel_to: vec!["leicester".into(), "derby".into(), "nowhere".into()],
            unavailable: vec![DateRangeAnswer {
                start_day: "1".into(),
                start_month: "Aug".into(),
                start_year: "2027".into(),
                end_day: "31".into(),
                end_month: "8".into(),
                end_year: "2027".into(),
            }],
            conflicts: vec![ConflictAnswer {
                authority: "rutland".into(),
                reason: "My child's school is here".into(),
            }],
            privacy_agreed: true,
            ..ApplicationDraft::default()
        }
    }

    fn fields(problems: &[FieldProblem]) -> Vec<&str> {
        problems
            .iter()
            .map(|problem| problem.field.as_str())
            .collect()
    }

    #[test]
    fn a_complete_draft_becomes_an_application() {
        let application = parent_carer()
            .complete(&vocabulary())
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        let profile = &application.profile;
        assert_eq!(profile.email.as_str(), "jo.parent@example.org");
        assert_eq!(profile.reviewer_type, ReviewerType::ParentCarer);
        assert_eq!(profile.expertise.len(), 1, "'none' is not expertise");
        assert_eq!(
            profile
                .travel_to
                .iter()
                .map(AuthoritySlug::as_str)
                .collect::<Vec<_>>(),
            ["derby", "leicester"]
        );
        assert_eq!(
            profile.unavailable[0].to_string(),
            "1 August 2027 to 31 August 2027"
        );
        assert!(profile.needs_training && profile.trained_on.is_none());
        assert_eq!(application.guardian_email, None);
    }

    #[test]
    fn online_only_with_areas_ticked_asks_which_was_meant() {
        let mut draft = parent_carer();
        draft.online_only = "yes".into();
        let problems = draft.check_page(ApplicationPage::Participation, &vocabulary());
        assert_eq!(fields(&problems), ["travel_to"]);
        assert!(
            problems[0]
                .message
                .starts_with("You said you can only take part online")
        );
        draft.travel_to.clear();
        assert!(
            draft
                .check_page(ApplicationPage::Participation, &vocabulary())
                .is_empty()
        );
    }

    #[test]
    fn an_end_date_before_the_start_is_refused_next_to_the_end_date() {
        let mut draft = parent_carer();
        draft.unavailable[0].end_month = "7".into();
        let problems = draft.check_page(ApplicationPage::Dates, &vocabulary());
        assert_eq!(fields(&problems), ["unavailable-0-end"]);
        assert_eq!(
            problems[0].message,
            "The end date must be the same as or after the start date"
        );
        draft.unavailable[0].start_day = "31".into();
        draft.unavailable[0].start_month = "2".into();
        assert_eq!(
            draft.check_page(ApplicationPage::Dates, &vocabulary())[0].message,
            "Start date must be a real date"
        );
    }

    #[test]
    fn an_under_18_young_ambassador_needs_a_parent_or_carers_email() {
        let mut draft = parent_carer();
        draft.reviewer_type = "young_ambassador".into();
        assert_eq!(
            ApplicationPage::Role.next(&draft),
            Some(ApplicationPage::Age)
        );
        draft.age_band = "16_to_17".into();
        let problems = draft.check_page(ApplicationPage::Age, &vocabulary());
        assert_eq!(fields(&problems), ["guardian_email"]);
        assert!(problems[0].message.contains("consent"));
        draft.guardian_email = "jo.parent@example.org".into();
        assert!(
            draft.check_page(ApplicationPage::Age, &vocabulary())[0]
                .message
                .contains("not yours")
        );
        draft.guardian_email = "carer@example.org".into();
        let application = draft
            .complete(&vocabulary())
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(application.age_band, Some(AgeBand::SixteenToSeventeen));
        assert_eq!(
            application.guardian_email.map(|email| email.to_string()),
            Some("carer@example.org".to_owned())
        );
    }

    #[test]
    fn the_age_page_is_only_for_young_ambassadors() {
        let draft = parent_carer();
        assert_eq!(
            ApplicationPage::Role.next(&draft),
            Some(ApplicationPage::Organisation)
        );
        assert_eq!(
            ApplicationPage::Organisation.previous(&draft),
            Some(ApplicationPage::Role)
        );
        assert_eq!(ApplicationPage::Privacy.next(&draft), None);
    }

    #[test]
    fn every_page_explains_what_is_missing() {
        let empty = ApplicationDraft::default();
        let vocabulary = vocabulary();
        let check = |page| {
            fields(&empty.check_page(page, &vocabulary))
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(check(ApplicationPage::Name), ["full_name", "email"]);
        assert_eq!(check(ApplicationPage::Role), ["reviewer_type"]);
        assert_eq!(
            check(ApplicationPage::Organisation),
            ["organisation", "home_authority"]
        );
        assert_eq!(check(ApplicationPage::Themes), ["theme-EHCP_QUALITY"]);
        assert_eq!(check(ApplicationPage::Training), ["needs_training"]);
        assert_eq!(check(ApplicationPage::Participation), ["online_only"]);
        assert_eq!(check(ApplicationPage::Privacy), ["privacy"]);
        assert!(
            check(ApplicationPage::Dates).is_empty(),
            "dates are optional"
        );
        assert!(
            check(ApplicationPage::Conflicts).is_empty(),
            "conflicts are optional"
        );
        assert_eq!(
            empty.first_incomplete_page(&vocabulary),
            Some(ApplicationPage::Name)
        );
        let errors = empty.complete(&vocabulary).err().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|(page, _)| *page == ApplicationPage::Privacy)
        );
    }

    #[test]
    fn a_conflict_needs_a_reason_and_outside_applicants_a_region() {
        let mut draft = parent_carer();
        draft.conflicts[0].reason.clear();
        assert_eq!(
            fields(&draft.check_page(ApplicationPage::Conflicts, &vocabulary())),
            ["conflict-0-reason"]
        );
        draft.home_authority = "outside".into();
        assert_eq!(
            fields(&draft.check_page(ApplicationPage::Organisation, &vocabulary())),
            ["outside_region"]
        );
        draft.outside_region = "West Midlands".into();
        assert!(
            draft
                .check_page(ApplicationPage::Organisation, &vocabulary())
                .is_empty()
        );
        draft.online_only = "no".into();
        draft.travel_to.clear();
        assert_eq!(
            fields(&draft.check_page(ApplicationPage::Participation, &vocabulary())),
            ["travel_to"]
        );
        draft.phone = "call me".into();
        assert_eq!(
            fields(&draft.check_page(ApplicationPage::Name, &vocabulary())),
            ["phone"]
        );
    }
}
