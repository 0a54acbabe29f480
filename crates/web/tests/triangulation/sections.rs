//! Triangulation on the self-assessment page, through the router on both databases: Derby
//! rating itself typically positive on timely assessment is flagged with the shipped 2024
//! figures (8th of 10 in the region, below England), with the chart and its table beside the
//! section; the honest rating next to it raises nothing; the board sees the flags on the heat
//! map, each cell linking to its section.

use crate::support;

use axum::http::StatusCode;
use chrono::Datelike;
use domain::area_send_framework::Strand;
use support::{TestApp, Who};

async fn derby_claims_against_its_figures(app: TestApp) {
    let year = chrono::Utc::now().date_naive().year();
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let started = coordinator
        .post("/self-assessment", &[("year", &year.to_string())])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let published = coordinator
        .post(&format!("/self-assessment/{year}/publish"), &[])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);

    let base = format!("/self-assessment/{year}/areas/derby");
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let saved = lead
        .post(
            &format!("{base}/edit"),
            &[
                ("summary", "Our partnership"),
                ("needs_identified-rating", "positive"),
                ("needs_identified-confidence", "high"),
                ("right_help-rating", "inconsistent"),
                ("right_help-confidence", "medium"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = lead.get(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    let flags = page
        .body
        .split("id=\"needs_identified-flags\"")
        .nth(1)
        .expect("needs identified is flagged");
    let flags = &flags[..flags.find("</ul>").expect("list")];
    assert!(flags.contains("8th of 10"), "{flags}");
    assert!(
        flags.contains("14.0%") && flags.contains("46.4%"),
        "{flags}"
    );
    assert!(
        !page.body.contains("id=\"right_help-flags\""),
        "an inconsistent rating is not flagged"
    );
    assert!(
        page.body
            .contains("id=\"chart-needs-identified-percent-issued-within-20-weeks-title\""),
        "the trend chart beside the section"
    );
    assert!(page.body.contains("role=\"img\""));
    assert!(
        page.body
            .contains("Derby: EHC plans issued within 20 weeks (%): the figures"),
        "the chart's table alternative"
    );
    assert!(page.body.contains("Not ranked: a count"));

    // Submitted whole: the board's heat map carries the flag in words on the linked cell.
    let mut whole: Vec<(String, String)> = vec![("summary".into(), "Our partnership".into())];
    for strand in Strand::ALL {
        let rating = if strand == Strand::NeedsIdentified {
            "positive"
        } else {
            "inconsistent"
        };
        whole.push((format!("{}-rating", strand.code()), rating.into()));
        whole.push((format!("{}-confidence", strand.code()), "medium".into()));
    }
    let form: Vec<(&str, &str)> = whole
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let submitted = lead.post(&format!("{base}/submit"), &form).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let mut board = app.browser_as(Who::Board).await;
    let map = board
        .get(&format!("/self-assessment/{year}/heat-map"))
        .await;
    assert_eq!(map.status, StatusCode::OK);
    let cell = map
        .body
        .split(&format!(
            "href=\"/self-assessment/{year}/areas/derby#needs_identified\""
        ))
        .nth(1)
        .expect("derby's cell links to its section");
    let cell = &cell[..cell.find("</a>").expect("link")];
    assert!(cell.contains("Typically positive"), "{cell}");
    assert!(cell.contains("1 flag"), "{cell}");
    let honest = map
        .body
        .split(&format!(
            "href=\"/self-assessment/{year}/areas/derby#right_help\""
        ))
        .nth(1)
        .expect("right help's cell");
    assert!(!honest[..honest.find("</a>").expect("link")].contains("flag"));

    // The data pack: Derby's own lead downloads both files from the page's links; with the
    // triads published, Derby's lead downloads its triad partners' packs and no one else's.
    assert!(
        page.body
            .contains(&format!("href=\"{base}/data-pack.pptx\""))
    );
    for file in ["data-pack.pptx", "data-pack.docx"] {
        let download = lead.get(&format!("{base}/{file}")).await;
        assert_eq!(download.status, StatusCode::OK, "{file}");
        assert!(
            download
                .header("content-disposition")
                .is_some_and(|d| d.contains(&format!("data-pack-derby-{year}"))),
            "{file}"
        );
    }
    let cycle = app
        .store
        .annual_cycle(year)
        .await
        .expect("read")
        .expect("cycle");
    let derby = domain::AuthoritySlug::parse("derby").expect("slug");
    let triad = cycle
        .triads
        .iter()
        .find(|t| t.contains(&derby))
        .expect("derby's triad");
    for area in &cycle.areas {
        let pack = lead
            .get(&format!(
                "/self-assessment/{year}/areas/{area}/data-pack.pptx"
            ))
            .await;
        let expected = if triad.contains(area) {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(pack.status, expected, "{area}");
    }
}

crate::app_test!(
    a_positive_claim_against_bottom_third_figures_is_flagged,
    derby_claims_against_its_figures
);

/// The authority page says where a current area stands in its region on each indicator;
/// the former county has no place in today's region and no such table.
async fn the_authority_page_says_where_the_area_stands(app: TestApp) {
    let mut board = app.browser_as(Who::Board).await;
    let derby = board.get("/authorities/derby").await;
    assert_eq!(derby.status, StatusCode::OK);
    let table = derby
        .body
        .split("id=\"standing\"")
        .nth(1)
        .expect("the standing table");
    let table = &table[..table.find("</table>").expect("end")];
    assert!(table.contains("14.0% (2024)"), "{table}");
    assert!(table.contains("8th of 10"), "{table}");
    assert!(table.contains("46.4%"), "{table}");
    let former = board.get("/authorities/northamptonshire").await;
    assert_eq!(former.status, StatusCode::OK);
    assert!(!former.body.contains("id=\"standing\""));
}

crate::app_test!(
    the_authority_page_shows_the_area_s_place_in_its_region,
    the_authority_page_says_where_the_area_stands
);
