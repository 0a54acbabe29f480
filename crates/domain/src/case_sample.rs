//! The cases a challenge samples. Case sampling happens inside the host authority's own
//! systems; Peer Challenge holds only what the team needs to plan it: a pseudonymous case
//! reference, the child's age band, primary type of need and type of setting, and short
//! notes, all checked for anything that identifies the child.

use std::fmt;

use thiserror::Error;

use crate::forms::FieldProblem;
use crate::personal_data::{PersonalData, find_personal_data, find_personal_data_among};
use crate::text::{MultiLine, limits};

/// Notes on a sampled case.
pub const NOTES_LIMIT: usize = limits::SHORT_NOTE;

vocabulary!(
    /// The child's age, in the bands of the 0 to 25 SEND system.
    CaseAgeBand {
        Under5 => "0-4", "Under 5";
        FiveToTen => "5-10", "5 to 10";
        ElevenToFifteen => "11-15", "11 to 15";
        SixteenToEighteen => "16-18", "16 to 18";
        NineteenToTwentyFive => "19-25", "19 to 25";
    }
);

vocabulary!(
    /// The primary type of need, as the SEN2 return and the school census record it. Codes are
    /// the DfE's, so figures can be compared with published statistics.
    NeedType {
        SpecificLearningDifficulty => "SPLD", "Specific learning difficulty";
        ModerateLearningDifficulty => "MLD", "Moderate learning difficulty";
        SevereLearningDifficulty => "SLD", "Severe learning difficulty";
        ProfoundAndMultipleLearningDifficulty => "PMLD", "Profound and multiple learning difficulty";
        SocialEmotionalAndMentalHealth => "SEMH", "Social, emotional and mental health";
        SpeechLanguageAndCommunication => "SLCN", "Speech, language and communication needs";
        HearingImpairment => "HI", "Hearing impairment";
        VisualImpairment => "VI", "Visual impairment";
        MultiSensoryImpairment => "MSI", "Multi-sensory impairment";
        PhysicalDisability => "PD", "Physical disability";
        AutisticSpectrumDisorder => "ASD", "Autistic spectrum disorder";
        OtherDifficultyOrDisability => "OTH", "Other difficulty or disability";
        /// On SEN support, with no specialist assessment of the type of need yet.
        NoSpecialistAssessment => "NSA", "SEN support but no specialist assessment of type of need";
    }
);

vocabulary!(
    /// Where the child is educated, or that they are not.
    SettingType {
        EarlyYears => "early_years", "Early years setting";
        MainstreamPrimary => "mainstream_primary", "Mainstream primary school";
        MainstreamSecondary => "mainstream_secondary", "Mainstream secondary school";
        SpecialSchool => "special_school", "Special school";
        AlternativeProvision => "alternative_provision", "Alternative provision";
        FurtherEducation => "further_education", "Further education";
        IndependentSpecialist => "independent_specialist", "Independent specialist provision";
        NotInEducation => "not_in_education", "Not in education or training";
        Other => "other", "Another type of setting";
    }
);

/// What is wrong with a typed case reference, in the words shown next to the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ReferenceProblem {
    #[error("Enter a case reference")]
    Missing,
    #[error("Case reference must be 3 to 20 letters, numbers and hyphens, like NOT-2026-07")]
    Format,
    #[error("Case reference must start with a letter, like NOT-2026-07")]
    FirstCharacter,
    #[error("{}", .0.message())]
    PersonalData(PersonalData),
}

/// A pseudonymous case reference such as `NOT-2026-07`: 3 to 20 letters, digits and
/// hyphens, starting with a letter, stored in upper case, and never an NHS number or unique
/// pupil number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CaseReference(String);

impl CaseReference {
    /// Personal data is looked for first, so someone who pastes an NHS number ("943 476
    /// 5919") is told why it cannot be stored, not that spaces are not allowed.
    pub fn parse(input: &str) -> Result<Self, ReferenceProblem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ReferenceProblem::Missing);
        }
        let identifiers = [PersonalData::NhsNumber, PersonalData::UniquePupilNumber];
        if let Some(found) = find_personal_data_among(trimmed, &identifiers) {
            return Err(ReferenceProblem::PersonalData(found));
        }
        if !(3..=20).contains(&trimmed.len())
            || !trimmed
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(ReferenceProblem::Format);
        }
        if !trimmed.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(ReferenceProblem::FirstCharacter);
        }
        Ok(Self(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The case form exactly as typed, so a page with errors shows every answer again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseAnswers {
    pub reference: String,
    pub age_band: String,
    pub need_type: String,
    pub setting_type: String,
    pub notes: String,
}

/// A checked case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEntry {
    pub reference: CaseReference,
    pub age_band: CaseAgeBand,
    pub need_type: NeedType,
    pub setting_type: SettingType,
    /// Optional: empty when none were given.
    pub notes: String,
}

impl CaseAnswers {
    /// The case, or every problem in the order of the form (one per field). Field keys are
    /// the form's ids: `reference`, `age_band`, `need_type`, `setting_type`, `notes`.
    pub fn check(&self) -> Result<CaseEntry, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let reference = keep(
            &mut problems,
            "reference",
            CaseReference::parse(&self.reference).map_err(|problem| problem.to_string()),
        );
        let age_band = keep(
            &mut problems,
            "age_band",
            CaseAgeBand::parse(self.age_band.trim())
                .ok_or_else(|| "Select the age band".to_owned()),
        );
        let need_type = keep(
            &mut problems,
            "need_type",
            NeedType::parse(self.need_type.trim())
                .ok_or_else(|| "Select the primary type of need".to_owned()),
        );
        let setting_type = keep(
            &mut problems,
            "setting_type",
            SettingType::parse(self.setting_type.trim())
                .ok_or_else(|| "Select the type of setting".to_owned()),
        );
        let notes = keep(&mut problems, "notes", checked_notes(&self.notes));
        match (reference, age_band, need_type, setting_type, notes) {
            (Some(reference), Some(age_band), Some(need_type), Some(setting_type), Some(notes)) => {
                Ok(CaseEntry {
                    reference,
                    age_band,
                    need_type,
                    setting_type,
                    notes,
                })
            }
            _ => Err(problems),
        }
    }
}

/// Keeps a field's value, or records its problem and keeps nothing: so every `None` has
/// exactly one problem.
fn keep<T>(problems: &mut Vec<FieldProblem>, field: &str, result: Result<T, String>) -> Option<T> {
    result
        .map_err(|message| problems.push(FieldProblem::new(field, message)))
        .ok()
}

fn checked_notes(text: &str) -> Result<String, String> {
    let notes = MultiLine::parse("Notes", text, NOTES_LIMIT)
        .map_err(|found| found.to_string())?
        .into_string();
    match find_personal_data(&notes) {
        Some(found) => Err(found.message().to_owned()),
        None => Ok(notes),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn answers() -> CaseAnswers {
        CaseAnswers {
            reference: " not-2026-07 ".into(),
            age_band: "5-10".into(),
            need_type: "ASD".into(),
            setting_type: "mainstream_primary".into(),
            notes: "Year 6 pupil, EHCP issued 2024".into(),
        }
    }

    fn fields(result: Result<CaseEntry, Vec<FieldProblem>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| (problem.field, problem.message))
            .collect()
    }

    #[test]
    fn a_complete_case_is_accepted() {
        let entry = answers()
            .check()
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(entry.reference.as_str(), "NOT-2026-07");
        assert_eq!(entry.age_band, CaseAgeBand::FiveToTen);
        assert_eq!(entry.need_type, NeedType::AutisticSpectrumDisorder);
        assert_eq!(entry.setting_type, SettingType::MainstreamPrimary);
        assert_eq!(entry.notes, "Year 6 pupil, EHCP issued 2024");

        let mut no_notes = answers();
        no_notes.notes = "  ".into();
        assert!(no_notes.check().is_ok_and(|entry| entry.notes.is_empty()));
    }

    #[test]
    fn every_problem_is_named_next_to_its_field() {
        assert_eq!(
            fields(CaseAnswers::default().check()),
            [
                ("reference", "Enter a case reference"),
                ("age_band", "Select the age band"),
                ("need_type", "Select the primary type of need"),
                ("setting_type", "Select the type of setting"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );
        let bad = CaseAnswers {
            reference: "NOT 2026 07".into(),
            age_band: "4-5".into(),
            need_type: "asd".into(),
            setting_type: "school".into(),
            notes: "x".repeat(NOTES_LIMIT + 1),
        };
        assert_eq!(
            fields(bad.check()),
            [
                (
                    "reference",
                    "Case reference must be 3 to 20 letters, numbers and hyphens, like NOT-2026-07"
                ),
                ("age_band", "Select the age band"),
                ("need_type", "Select the primary type of need"),
                ("setting_type", "Select the type of setting"),
                ("notes", "Notes must be 2,000 characters or fewer"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );
    }

    #[test]
    fn notes_must_not_identify_a_child() {
        let mut named = answers();
        named.notes = "Jack Brown, born 3 May 2016".into();
        assert_eq!(
            fields(named.check()),
            [(
                "notes".to_owned(),
                PersonalData::NameWithDateOfBirth.message().to_owned()
            )]
        );
        named.notes = "Lives at DE1 2AB".into();
        assert_eq!(
            fields(named.check()),
            [(
                "notes".to_owned(),
                PersonalData::Postcode.message().to_owned()
            )]
        );
    }

    #[test]
    fn references_are_pseudonymous() {
        let parse = |text: &str| CaseReference::parse(text).map(|reference| reference.0);
        assert_eq!(parse("der-1"), Ok("DER-1".to_owned()));
        assert_eq!(parse("AB"), Err(ReferenceProblem::Format));
        assert_eq!(parse(&"A".repeat(21)), Err(ReferenceProblem::Format));
        assert_eq!(parse("NOT_2026"), Err(ReferenceProblem::Format));
        assert_eq!(parse("2026-07"), Err(ReferenceProblem::FirstCharacter));
        assert_eq!(parse("-NOT"), Err(ReferenceProblem::FirstCharacter));
        assert_eq!(
            parse("943 476 5919"),
            Err(ReferenceProblem::PersonalData(PersonalData::NhsNumber))
        );
        assert_eq!(
            parse("NHS-9434765919"),
            Err(ReferenceProblem::PersonalData(PersonalData::NhsNumber))
        );
        assert_eq!(
            parse("b801200005001"),
            Err(ReferenceProblem::PersonalData(
                PersonalData::UniquePupilNumber
            ))
        );
        assert_eq!(
            ReferenceProblem::PersonalData(PersonalData::UniquePupilNumber).to_string(),
            PersonalData::UniquePupilNumber.message()
        );
    }

    #[test]
    fn codes_round_trip() {
        for band in CaseAgeBand::ALL {
            assert_eq!(CaseAgeBand::parse(band.code()), Some(band));
        }
        for need in NeedType::ALL {
            assert_eq!(NeedType::parse(need.code()), Some(need));
        }
        for setting in SettingType::ALL {
            assert_eq!(SettingType::parse(setting.code()), Some(setting));
        }
        assert_eq!(
            NeedType::AutisticSpectrumDisorder.label(),
            "Autistic spectrum disorder"
        );
    }

    proptest! {
        #[test]
        fn a_reference_is_stored_as_typed_in_upper_case(
            text in "[A-Za-z][A-Za-z0-9-]{2,19}",
        ) {
            let identifiers = [PersonalData::NhsNumber, PersonalData::UniquePupilNumber];
            prop_assume!(find_personal_data_among(&text, &identifiers).is_none());
            let reference = CaseReference::parse(&text);
            prop_assert_eq!(reference.map(|r| r.0), Ok(text.to_ascii_uppercase()));
        }
    }
}
