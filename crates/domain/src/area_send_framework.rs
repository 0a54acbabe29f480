//! The area SEND inspection framework as versioned reference data: its evaluation criteria
//! (the strands a self-assessment has a section for, in the framework's two families), the
//! three-outcome scale an area rates itself on, and how confident it is in that rating.
//! A new edition of the handbook is a new `FRAMEWORK_VERSION` with its own strands; a stored
//! self-assessment names the version it was written against.

use serde::{Deserialize, Serialize};

use crate::FrameworkFamily;

/// The edition the strands below are taken from: the handbook "came into force on 6 June 2025"
/// (<https://www.gov.uk/government/publications/area-send-framework-and-handbook/area-send-inspections-framework-and-handbook>,
/// checked December 2026). The outcome statements below are the published ones, word for word
/// up to their second sentence, as the Ofsted/CQC page and partnerships' own pages (for example
/// <https://lancashireandsouthcumbria.icb.nhs.uk/our-work/special-educational-needs-and-disabilities-send/joint-local-area-send-inspections>)
/// quote them. The strands are the handbook's evaluation criteria in its two families; their
/// codes are stored and never change, a reworded criterion changes only its label.
pub const FRAMEWORK_VERSION: &str = "2025-06";

/// What the edition is called and where it is published, for the pages to name.
pub const FRAMEWORK_SOURCE: &str =
    "Area SEND inspections: framework and handbook (Ofsted and CQC, updated 6 June 2025)";
pub const FRAMEWORK_URL: &str =
    "https://www.gov.uk/government/publications/area-send-framework-and-handbook";

vocabulary!(
    /// The handbook's evaluation criteria, each a section of the self-assessment.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    Strand {
        NeedsIdentified => "needs_identified", "Children and young people's needs are identified accurately and assessed in a timely and effective way";
        FamiliesParticipate => "families_participate", "Children, young people and their families participate in decision-making about their individual plans and support";
        RightHelp => "right_help", "Children and young people receive the right help and support at the right time";
        NextSteps => "next_steps", "Children and young people are well prepared for their next steps and achieve strong outcomes";
        ValuedIncluded => "valued_included", "Children and young people with SEND are valued, visible and included in their communities";
        LeadersAmbitious => "leaders_ambitious", "Leaders are ambitious for children and young people with SEND";
        LeadersEngage => "leaders_engage", "Leaders actively engage and work with children, young people and families";
        SharedUnderstanding => "shared_understanding", "Leaders have an accurate, shared understanding of the needs of children and young people in their local area";
        Commissioning => "commissioning", "Leaders commission services and provision to meet needs and aspirations, including alternative provision";
        EvaluateImprove => "evaluate_improve", "Leaders evaluate services and make improvements";
        MultiAgency => "multi_agency", "Leaders create an environment in which effective practice and multi-agency working can flourish";
    }
);

impl Strand {
    /// The family the criterion sits in.
    pub fn family(self) -> FrameworkFamily {
        match self {
            Self::NeedsIdentified
            | Self::FamiliesParticipate
            | Self::RightHelp
            | Self::NextSteps
            | Self::ValuedIncluded => FrameworkFamily::ExperiencesAndOutcomes,
            _ => FrameworkFamily::PartnershipAndSystem,
        }
    }

    /// The strands of the version a self-assessment was written against; `None` for a
    /// version this build does not know.
    pub fn of_version(version: &str) -> Option<&'static [Strand]> {
        (version == FRAMEWORK_VERSION).then_some(&Self::ALL[..])
    }
}

vocabulary!(
    /// The framework's three outcomes, as an area rates itself on a strand.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    SelfRating {
        Positive => "positive", "The local area partnership's SEND arrangements typically lead to positive experiences and outcomes for children and young people with SEND";
        Inconsistent => "inconsistent", "The local area partnership's arrangements lead to inconsistent experiences and outcomes for children and young people with SEND";
        SystemicFailings => "systemic_failings", "There are widespread and/or systemic failings leading to significant concerns about the experiences and outcomes of children and young people with SEND";
    }
);

impl SelfRating {
    /// The outcome in a few words, for a crowded table such as the heat map.
    pub fn short(self) -> &'static str {
        match self {
            Self::Positive => "Typically positive",
            Self::Inconsistent => "Inconsistent",
            Self::SystemicFailings => "Systemic failings",
        }
    }

    /// The outcome's place on the scale, best first, so a claim can be set against an
    /// inspection's outcome.
    pub fn rank(self) -> u8 {
        match self {
            Self::Positive => 0,
            Self::Inconsistent => 1,
            Self::SystemicFailings => 2,
        }
    }

    /// The GOV.UK tag colour the rating is shown with, as inspection outcomes are.
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Positive => "govuk-tag--green",
            Self::Inconsistent => "govuk-tag--yellow",
            Self::SystemicFailings => "govuk-tag--red",
        }
    }
}

vocabulary!(
    /// How sure the area is of its rating, from the strength of its evidence.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    Confidence {
        High => "high", "High";
        Medium => "medium", "Medium";
        Low => "low", "Low";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_families_have_strands_and_the_version_is_known() {
        let strands = Strand::of_version(FRAMEWORK_VERSION).expect("the current edition");
        assert_eq!(strands.len(), 11);
        for family in FrameworkFamily::ALL {
            assert!(strands.iter().any(|s| s.family() == family));
        }
        assert_eq!(
            strands
                .iter()
                .filter(|s| s.family() == FrameworkFamily::ExperiencesAndOutcomes)
                .count(),
            5
        );
        assert!(Strand::of_version("2023-01").is_none());
    }
}
