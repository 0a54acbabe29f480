//! Published data through the router and the import use case, on both databases: the shipped
//! EHC plan timeliness on an authority's page (chart and table), a statistics-service file in
//! its real shape imported by the co-ordinator (national, regional and authority rows, an
//! authority outside the region, the old Northamptonshire county, symbols), the same file
//! twice, a later release revising a figure, and bad files refused whole by row and column.

use crate::support;

use axum::http::StatusCode;
use chrono::Utc;
use domain::indicators::{Indicator, Reading, Suppression};
use services::indicators::{ImportRefused, Importer, import_file};
use support::{TestApp, Who};

/// A file as Explore Education Statistics writes it: its own column order, names, a filter
/// column the product does not keep, and symbols.
const EES_FILE: &str = "\u{feff}time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,establishment_phase,percent_issued_within_20_weeks,plans_issued,requests_for_assessment
2019,Calendar year,National,E92000001,England,,,,,,Total,60.4,44000,70000
2019,Calendar year,Regional,E92000001,England,E12000004,East Midlands,,,,Total,55.1,4000,6500
2019,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,928,E10000021,Northamptonshire,Total,40.2,700,1100
2019,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,831,E06000015,Derby,Total,c,low,300
2019,Calendar year,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,373,E08000019,Sheffield,Total,z,x,900
";

async fn import(
    app: &TestApp,
    release: &str,
    file: &str,
) -> Result<services::indicators::Imported, ImportRefused> {
    import_file(
        &app.store,
        Importer::CommandLine,
        services::indicators::DEFAULT_PUBLICATION,
        release,
        file.as_bytes(),
        Utc::now(),
    )
    .await
}

async fn shipped_figures_show_on_the_authority_page(app: TestApp) {
    let mut board = app.browser_as(Who::Board).await;
    let derby = board.get("/authorities/derby").await;
    assert_eq!(derby.status, StatusCode::OK);
    assert!(
        derby.body.contains("role=\"img\""),
        "a chart: {}",
        derby.body
    );
    assert!(
        derby.body.contains("22.6%"),
        "Derby's 2023 figure in the table"
    );
    assert!(derby.body.contains("50.3%"), "England's 2023 figure");
    assert!(derby.body.contains("East Midlands (middle of its areas)"));
    let leicester = board.get("/authorities/leicester").await;
    assert!(
        leicester.body.contains("Not available (x)"),
        "Leicester's missing 2023 is said, not zero"
    );
    let north = board.get("/authorities/north-northamptonshire").await;
    assert!(north.body.contains("Widespread and/or systemic failings"));
    assert!(north.body.contains("id=\"next-inspection\""));
    assert!(
        !north.body.contains("Record an inspection"),
        "the board does not record inspections"
    );
}

app_test!(
    shipped_figures_on_the_authority_page,
    shipped_figures_show_on_the_authority_page
);

async fn a_real_shaped_file_is_imported_once(app: TestApp) {
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let page = coordinator
        .post_multipart(
            "/indicators/import",
            &[
                ("publication", services::indicators::DEFAULT_PUBLICATION),
                ("release", "June 2020"),
            ],
            Some(("file", "sen2.csv", EES_FILE.as_bytes())),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let listed = coordinator.get(page.location().unwrap_or("/")).await;
    assert!(
        listed.body.contains("File imported: 15 figures added"),
        "{}",
        listed.body
    );
    assert!(listed.body.contains("June 2020"));

    let codes = |list: &[&str]| list.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    let values = app
        .store
        .published_values(
            Indicator::TwentyWeekTimeliness,
            &codes(&[
                "E92000001",
                "E12000004",
                "E10000021",
                "E06000015",
                "E08000019",
            ]),
        )
        .await
        .expect("values");
    let of = |code: &str| {
        values
            .iter()
            .find(|v| v.area_code == code && v.period.time_period == "2019")
            .expect("a 2019 figure")
    };
    assert_eq!(of("E92000001").reading, Reading::Value(60.4));
    assert_eq!(of("E12000004").reading, Reading::Value(55.1));
    assert_eq!(
        of("E10000021").authority.as_ref().map(|a| a.as_str()),
        Some("northamptonshire"),
        "the old county is kept as the predecessor it is"
    );
    assert_eq!(
        of("E06000015").reading,
        Reading::Missing(Suppression::Confidential)
    );
    assert_eq!(
        of("E08000019").authority,
        None,
        "Sheffield kept as a comparator"
    );
    assert_eq!(
        of("E08000019").reading,
        Reading::Missing(Suppression::NotApplicable)
    );

    // The same file again changes nothing.
    let again = import(&app, "June 2020", EES_FILE).await.expect("imports");
    assert_eq!(
        (
            again.summary.added,
            again.summary.corrected,
            again.summary.unchanged
        ),
        (0, 0, 15)
    );
    let releases = app.store.indicator_releases().await.expect("releases");
    assert_eq!(releases.len(), 2, "the shipped release and June 2020");

    // The successor's page carries its predecessor's figures, with the region's published row.
    let north = coordinator.get("/authorities/north-northamptonshire").await;
    assert!(north.body.contains("40.2%"), "{}", north.body);
    assert!(north.body.contains("Record an inspection"));
}

app_test!(a_real_shaped_file, a_real_shaped_file_is_imported_once);

async fn a_later_release_revises_and_keeps_what_was_said(app: TestApp) {
    let revised = "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,old_la_code,la_name,percent_issued_within_20_weeks
2023,Calendar year,Local authority,E92000001,E12000004,E06000015,831,Derby,23.0
2023,Calendar year,Local authority,E92000001,E12000004,E06000016,856,Leicester,48.9
";
    let imported = import(&app, "June 2025", revised).await.expect("imports");
    assert_eq!(
        imported.summary.revised, 2,
        "Derby changed, Leicester's x became a value"
    );
    let values = app
        .store
        .published_values(Indicator::TwentyWeekTimeliness, &["E06000015".to_owned()])
        .await
        .expect("values");
    let derby_2023 = values
        .iter()
        .find(|v| v.period.time_period == "2023")
        .expect("2023");
    assert_eq!(derby_2023.reading, Reading::Value(23.0));
    assert_eq!(derby_2023.release, "June 2025");
    assert_eq!(
        derby_2023.earlier,
        vec![(store_release(), Reading::Value(22.6))]
    );
    let page = app
        .browser_as(Who::LeadOfDerby)
        .await
        .get("/authorities/derby")
        .await;
    assert!(page.body.contains("23.0%"));
    assert!(
        page.body
            .contains("June 2025 (revising Shipped reference data")
    );
}

fn store_release() -> String {
    "Shipped reference data (2022 to 2024)".to_owned()
}

app_test!(
    a_later_release_revises,
    a_later_release_revises_and_keeps_what_was_said
);

async fn bad_files_are_refused_whole(app: TestApp) {
    let header = "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,old_la_code,la_name,percent_issued_within_20_weeks";
    let good = "2019,Calendar year,Local authority,E92000001,E12000004,E06000015,831,Derby,33.3";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            "time_period,time_identifier,geographic_level,country_code,region_code,old_la_code,la_name,percent_issued_within_20_weeks\n2019,Calendar year,National,E92000001,,,,50\n".to_owned(),
            "1",
            "new_la_code",
        ),
        (
            format!("{header}\n{good}\n2019,Calendar year,National,E92000001,,,,,n/a\n"),
            "3",
            "percent_issued_within_20_weeks",
        ),
        (
            format!(
                "{header}\n{good}\n2019,Calendar year,Local authority,E92000001,E12000004,E99000001,999,Nowhere,10\n"
            ),
            "3",
            "new_la_code",
        ),
        (format!("{header}\n{good}\n{good}\n"), "3", "(whole row)"),
    ];
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    for (file, row, column) in &cases {
        let page = coordinator
            .post_multipart(
                "/indicators/import",
                &[("publication", "SEN2"), ("release", "Bad")],
                Some(("file", "bad.csv", file.as_bytes())),
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{file}");
        assert!(page.body.contains("nothing was imported"), "{}", page.body);
        assert!(
            page.body
                .contains(&format!("<td class=\"govuk-table__cell\">{row}</td>")),
            "row {row} named for {file}"
        );
        assert!(
            page.body.contains(column),
            "column {column} named: {}",
            page.body
        );
        assert!(
            page.body.contains("value=\"Bad\""),
            "the release typed is kept"
        );
    }
    // Windows-1252: "Derby" then a pound sign as the single byte 0xA3.
    let mut windows = format!("{header}\n{good}\n").into_bytes();
    windows.extend_from_slice(
        b"2020,Calendar year,Local authority,E92000001,E12000004,E06000015,831,Derby \xa3,1\n",
    );
    let page = coordinator
        .post_multipart(
            "/indicators/import",
            &[("publication", "SEN2"), ("release", "Bad")],
            Some(("file", "bad.csv", &windows)),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Row 3"), "{}", page.body);
    assert!(page.body.contains("not UTF-8"));
    let releases = app.store.indicator_releases().await.expect("releases");
    assert_eq!(
        releases.len(),
        1,
        "only the shipped release: nothing was imported"
    );
    // The lead of an area may read the releases but not import.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    assert!(
        !lead
            .get("/indicators")
            .await
            .body
            .contains("Check and import")
    );
}

app_test!(bad_files_refused_whole, bad_files_are_refused_whole);
