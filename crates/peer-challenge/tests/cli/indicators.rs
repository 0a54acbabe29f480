//! `peer-challenge indicators import FILE`: a good file prints what it imported by level and
//! period; a bad one prints each problem by row and column, imports nothing and exits non-zero.

use crate::peer_challenge;

const GOOD: &str = "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,old_la_code,la_name,percent_issued_within_20_weeks
2020,Calendar year,National,E92000001,,,,,58.0
2020,Calendar year,Local authority,E92000001,E12000004,E06000015,831,Derby,low
";

#[test]
fn a_file_is_imported_all_or_nothing() {
    let data = tempfile::tempdir().expect("data folder");
    let dir = data.path().to_str().expect("utf-8 path");
    let file = data.path().join("sen2-2020.csv");
    let bad = data.path().join("bad.csv");
    std::fs::write(&file, GOOD).expect("write");
    std::fs::write(&bad, GOOD.replace(",low", ",lots")).expect("write");
    assert!(
        peer_challenge(&["migrate", "--data-dir", dir], "")
            .status
            .success()
    );

    let refused = peer_challenge(
        &[
            "indicators",
            "import",
            bad.to_str().expect("path"),
            "--data-dir",
            dir,
        ],
        "",
    );
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("row 3, column percent_issued_within_20_weeks"),
        "{said}"
    );
    assert!(said.contains("nothing was imported"));

    let imported = peer_challenge(
        &[
            "indicators",
            "import",
            file.to_str().expect("path"),
            "--data-dir",
            dir,
        ],
        "",
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let printed = String::from_utf8_lossy(&imported.stdout);
    assert!(printed.contains("release \"sen2-2020\""), "{printed}");
    assert!(
        printed.contains("National         2020     1 figures"),
        "{printed}"
    );
    assert!(printed.contains("Local authority  2020     1 figures"));
    assert!(
        printed.contains("2 added"),
        "the bad file added nothing before: {printed}"
    );
}
