//! The findings deck's slides, in the order the team presents them at the end of a visit.

use super::fit::{continued_titles, fit_size, pages};
use super::slides::{
    CONTENT_BODY, Chart, Layout, PARA_SPACE, Para, ParaStyle, SECTION_BODY, Slide,
};
use crate::report::{KloeFindings, ReportContent, long_date};

/// More bullets than this on a slide are hard to take in, whatever their length.
pub(super) const MAX_BULLETS: usize = 6;

/// Short lines (a count of activities of a kind, a KLOE's tally) fit more to a slide.
pub(super) const MAX_SHORT_LINES: usize = 10;

/// The deck: a section left empty gets no slide, and a KLOE's strengths, areas for
/// development and recommendations share slides under their own headings, so a slide is
/// not spent on one bullet.
pub(super) fn slides(report: &ReportContent) -> Vec<Slide> {
    let mut slides = vec![title_slide(report)];
    slides.extend(list_slides("Scope of the challenge", scope(report)));
    slides.extend(list_slides("The peer team", team(report)));
    slides.extend(method_slide(report));
    slides.extend(list_slides_of(
        "What we found: a summary",
        summary(report),
        MAX_SHORT_LINES,
    ));
    for kloe in &report.kloes {
        slides.push(section_slide(kloe));
        let mut paras = Vec::new();
        for (heading, findings) in [
            ("Strengths", &kloe.strengths),
            ("Areas for development", &kloe.areas_for_development),
            ("Recommendations", &kloe.recommendations),
        ] {
            if !findings.is_empty() {
                paras.push(Para::new(ParaStyle::Heading, heading));
                paras.extend(bullets(findings.iter().map(|f| f.text.as_str())));
            }
        }
        slides.extend(list_slides(
            &format!("{}: what we found", kloe.label()),
            paras,
        ));
    }
    slides.extend(list_slides(
        "What happens next",
        bullets(report.what_happens_next.iter().map(String::as_str)),
    ));
    slides
}

/// How we gathered evidence: one line of totals above a chart of the activities by kind (the
/// counts are also the chart's alternative text).
fn method_slide(report: &ReportContent) -> Option<Slide> {
    let paras = method(report);
    let (intro, kinds) = paras.split_first()?;
    let mut slide = Slide::new(
        Layout::Content,
        "How we gathered evidence".to_owned(),
        vec![intro.clone()],
    );
    let counts: Vec<(&str, usize)> = kinds
        .iter()
        .filter_map(|para| para.text.rsplit_once(": "))
        .filter_map(|(kind, count)| Some((kind, count.parse().ok()?)))
        .collect();
    slide.chart = Some(Chart {
        description: format!(
            "Activities on the visit by kind: {}.",
            kinds
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        categories: counts.iter().map(|(kind, _)| (*kind).to_owned()).collect(),
        series: vec![(
            "Activities".to_owned(),
            "1D70B8",
            counts.iter().map(|(_, count)| *count).collect(),
        )],
        lines: Vec::new(),
    });
    Some(slide)
}

/// Per KLOE: its question, and how many strengths, areas for development and recommendations
/// the team found, so the audience sees the whole before the detail.
fn summary(report: &ReportContent) -> Vec<Para> {
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let mut paras = Vec::new();
    for kloe in &report.kloes {
        let total =
            kloe.strengths.len() + kloe.areas_for_development.len() + kloe.recommendations.len();
        if total == 0 {
            continue;
        }
        paras.push(Para::new(
            ParaStyle::Heading,
            &format!("{}: {}", kloe.label(), kloe.question),
        ));
        paras.push(Para::new(
            ParaStyle::Bullet,
            &format!(
                "{}, {}, {}",
                count(kloe.strengths.len(), "strength", "strengths"),
                count(
                    kloe.areas_for_development.len(),
                    "area for development",
                    "areas for development"
                ),
                count(
                    kloe.recommendations.len(),
                    "recommendation",
                    "recommendations"
                ),
            ),
        ));
    }
    paras
}

fn title_slide(report: &ReportContent) -> Slide {
    let dates = report.visit_dates_in_words();
    let visit = if dates.is_empty() {
        report.kind.clone()
    } else {
        format!("{}: {dates}", report.kind)
    };
    let version = format!(
        "{} · {} · {}",
        report.version,
        report.reference,
        long_date(report.generated_on)
    );
    let subtitle = [report.area.as_str(), &visit, &version]
        .into_iter()
        .map(|line| Para::new(ParaStyle::Plain, line))
        .collect();
    Slide::new(Layout::Title, report.title.clone(), subtitle)
}

/// The section slide opening a KLOE: its question as the title, its themes beneath, shrunk
/// rather than continued since a section slide stands alone.
fn section_slide(kloe: &KloeFindings) -> Slide {
    let title = format!("{}: {}", kloe.label(), kloe.question);
    let mut slide = Slide::new(Layout::Section, title, Vec::new());
    if !kloe.themes.is_empty() {
        let themes = Para::new(
            ParaStyle::Plain,
            &format!("Themes: {}", kloe.themes.join("; ")),
        );
        let room = SECTION_BODY.room(1);
        slide.body_size = Some(fit_size(
            &themes.text,
            false,
            room.width,
            room.height - PARA_SPACE,
            &[20.0, 18.0, 16.0, 14.0],
        ));
        slide.body = vec![themes];
    }
    slide
}

fn scope(report: &ReportContent) -> Vec<Para> {
    let dates = report.visit_dates_in_words();
    let mut summary = format!("{} for {}", report.kind, report.area);
    if !dates.is_empty() {
        summary.push_str(&format!(", {dates}"));
    }
    let mut paras = vec![Para::new(ParaStyle::Plain, &format!("{summary}."))];
    if !report.focus.is_empty() {
        paras.push(Para::new(ParaStyle::Heading, "Areas of focus"));
        paras.extend(bullets(report.focus.iter().map(String::as_str)));
    }
    paras
}

fn team(report: &ReportContent) -> Vec<Para> {
    report
        .team
        .iter()
        .map(|member| {
            Para::new(
                ParaStyle::Bullet,
                &format!("{} – {}", member.name, member.seat),
            )
        })
        .collect()
}

/// How many activities of each kind, in the order the timetable first has them.
fn method(report: &ReportContent) -> Vec<Para> {
    if report.activities.is_empty() {
        return Vec::new();
    }
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for activity in &report.activities {
        match kinds.iter_mut().find(|(kind, _)| *kind == activity.kind) {
            Some((_, count)) => *count += 1,
            None => kinds.push((&activity.kind, 1)),
        }
    }
    let mut dates: Vec<_> = report.activities.iter().map(|a| a.date).collect();
    dates.sort();
    dates.dedup();
    let activities = match report.activities.len() {
        1 => "1 activity".to_owned(),
        n => format!("{n} activities"),
    };
    let days = match dates.len() {
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    };
    let mut paras = vec![Para::new(
        ParaStyle::Plain,
        &format!("The team took part in {activities} over {days}:"),
    )];
    paras.extend(
        kinds
            .into_iter()
            .map(|(kind, count)| Para::new(ParaStyle::Bullet, &format!("{kind}: {count}"))),
    );
    paras
}

fn bullets<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<Para> {
    texts
        .map(|text| Para::new(ParaStyle::Bullet, text))
        .collect()
}

/// `paras` on as many title-and-content slides as they need, titled `title` and numbered when
/// there is more than one. An empty list gets no slide: a deck people present says nothing
/// rather than "none".
pub(super) fn list_slides(title: &str, paras: Vec<Para>) -> Vec<Slide> {
    list_slides_of(title, paras, MAX_BULLETS)
}

pub(super) fn list_slides_of(title: &str, paras: Vec<Para>, most: usize) -> Vec<Slide> {
    if paras.is_empty() {
        return Vec::new();
    }
    let pages = pages(paras, &CONTENT_BODY.room(most));
    continued_titles(title, pages.len())
        .into_iter()
        .zip(pages)
        .map(|(title, body)| Slide::new(Layout::Content, title, body))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pptx::fit::{line_count, text_height};
    use crate::report::sample;

    fn titles(slides: &[Slide]) -> Vec<&str> {
        slides.iter().map(|slide| slide.title.as_str()).collect()
    }

    #[test]
    fn the_deck_follows_the_presentation_order() {
        let report = sample(2, 1);
        let slides = slides(&report);
        assert_eq!(
            titles(&slides),
            [
                report.title.as_str(),
                "Scope of the challenge",
                "The peer team",
                "How we gathered evidence",
                "What we found: a summary",
                &format!("KLOE 1: {}", report.kloes[0].question),
                "KLOE 1: what we found",
                &format!("KLOE 2: {}", report.kloes[1].question),
                "KLOE 2: what we found",
                "What happens next",
            ]
        );
        let summary: Vec<&str> = slides[4].body.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            summary[..2],
            [
                format!("KLOE 1: {}", report.kloes[0].question).as_str(),
                "1 strength, 1 area for development, 1 recommendation"
            ]
        );
        let found: Vec<&str> = slides[6].body.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(found[0], "Strengths");
        assert_eq!(found[2], "Areas for development");
        assert_eq!(found[4], "Recommendations");
        assert_eq!(slides[0].layout, Layout::Title);
        assert_eq!(slides[5].layout, Layout::Section);
        assert_eq!(slides[6].layout, Layout::Content);
    }

    #[test]
    fn long_lists_continue_on_numbered_slides() {
        let slides = slides(&sample(1, 14));
        let strengths: Vec<&str> = titles(&slides)
            .into_iter()
            .filter(|title| title.starts_with("KLOE 1: what we found"))
            .collect();
        assert!(strengths.len() >= 3, "{strengths:?}");
        assert_eq!(
            strengths[0],
            format!("KLOE 1: what we found (1 of {})", strengths.len())
        );
        assert!(strengths[1].starts_with("KLOE 1: what we found (continued, 2 of"));
        for slide in &slides {
            assert!(slide.body.len() <= MAX_BULLETS, "{}", slide.title);
        }
    }

    #[test]
    fn the_method_counts_activities_by_kind() {
        let mut report = sample(1, 1);
        let extra = report.activities[0].clone();
        report.activities.push(extra);
        let texts: Vec<String> = method(&report).into_iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            [
                "The team took part in 3 activities over 2 days:",
                "Focus group: 2",
                "Case review: 1"
            ]
        );
    }

    #[test]
    fn many_themes_shrink_to_fit_the_section_slide() {
        let mut kloe = sample(1, 0).kloes.remove(0);
        assert_eq!(section_slide(&kloe).body_size, Some(20.0));
        kloe.themes = (1..=8)
            .map(|n| format!("Theme {n}: preparation for adulthood, employment and health"))
            .collect();
        let slide = section_slide(&kloe);
        let size = slide.body_size.expect("a size");
        assert!(size < 20.0, "{size}");
        let room = SECTION_BODY.room(1);
        let lines = line_count(&slide.body[0].text, size, false, room.width);
        assert!(text_height(lines, size) + PARA_SPACE <= room.height);
    }

    #[test]
    fn empty_sections_get_no_slide() {
        let mut report = sample(1, 0);
        report.what_happens_next.clear();
        report.activities.clear();
        report.team.clear();
        let slides = slides(&report);
        assert_eq!(
            titles(&slides),
            [
                report.title.as_str(),
                "Scope of the challenge",
                &format!("KLOE 1: {}", report.kloes[0].question),
            ]
        );
        assert!(
            slides
                .iter()
                .all(|s| s.body.iter().all(|p| !p.text.contains("None recorded")))
        );
    }

    #[test]
    fn eight_kinds_of_activity_fit_one_slide() {
        let mut report = sample(1, 0);
        let first = report.activities[0].clone();
        for n in 0..6 {
            let mut activity = first.clone();
            activity.kind = format!("Kind {n}");
            report.activities.push(activity);
        }
        let slides = slides(&report);
        let method: Vec<&Slide> = slides
            .iter()
            .filter(|s| s.title.starts_with("How we gathered evidence"))
            .collect();
        assert_eq!(method.len(), 1, "{:?}", titles(&slides));
        let chart = method[0].chart.as_ref().expect("the activities as a chart");
        assert_eq!(chart.categories.len(), 8);
        assert_eq!(method[0].body.len(), 1, "one line of totals above it");
    }
}
