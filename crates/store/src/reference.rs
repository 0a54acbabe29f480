//! The reference data shipped in the binary (`reference/*.csv`): regions, NHS boards, local
//! authorities and SEND practice themes. Upserted in one transaction whenever the database
//! does not yet hold this release's facts (`reference_loads` records which it holds).

use chrono::NaiveDate;
use domain::{AuthorityKind, AuthoritySlug, FrameworkFamily, ThemeCode};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use sha2::{Digest, Sha256};

use crate::StoreError;
use crate::entity::{local_authority, nhs_board, reference_load, region, send_theme};

const LOCAL_AUTHORITIES_CSV: &str = include_str!("../reference/local-authorities.csv");
const SEND_THEMES_CSV: &str = include_str!("../reference/send-themes.csv");
const EHCP_TIMELINESS_CSV: &str = include_str!("../reference/ehcp-20-week-timeliness.csv");
const INSPECTIONS_CSV: &str = include_str!("../reference/area-send-inspection-outcomes.csv");
/// The shipped published data's release: a later import of the statistics service's own file
/// revises it, keeping what this copy said.
pub const REFERENCE_PUBLICATION: &str = "Education, health and care plans (SEN2)";
pub const REFERENCE_RELEASE: &str = "Shipped reference data (2022 to 2024)";

/// Load this release's reference data, unless the database already holds it: a start with
/// nothing new reads one row and writes nothing. Instances starting at once may both load it;
/// the upserts are idempotent and the fingerprint is recorded once.
pub(crate) async fn upsert_all(store: &crate::Store) -> Result<(), StoreError> {
    let db = &store.db;
    let fingerprint = fingerprint();
    let loaded = reference_load::Entity::find_by_id(fingerprint.clone())
        .one(db)
        .await?;
    if loaded.is_some() {
        return Ok(());
    }
    let txn = store.begin_write().await?;
    upsert_places_and_themes(&txn).await?;
    upsert_evidence_base(&txn).await?;
    reference_load::Entity::insert(reference_load::ActiveModel {
        fingerprint: Set(fingerprint),
        loaded_at: Set(chrono::Utc::now()),
    })
    .on_conflict_do_nothing_on([reference_load::Column::Fingerprint])
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The shipped files and the migrations, hashed: a release that changes either loads again.
fn fingerprint() -> String {
    let mut hasher = Sha256::new();
    for part in [
        LOCAL_AUTHORITIES_CSV,
        SEND_THEMES_CSV,
        EHCP_TIMELINESS_CSV,
        INSPECTIONS_CSV,
    ] {
        hasher.update(part.len().to_le_bytes());
        hasher.update(part);
    }
    for name in crate::migration::names() {
        hasher.update(name.len().to_le_bytes());
        hasher.update(name);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The reference data every schema since m0001 holds: regions, NHS boards, authorities and
/// the themes (the published data and inspections need m0012's tables too).
pub(crate) async fn upsert_places_and_themes(txn: &impl ConnectionTrait) -> Result<(), StoreError> {
    let authorities = parse_authorities(LOCAL_AUTHORITIES_CSV)?;
    let themes = parse_themes(SEND_THEMES_CSV)?;
    for row in &authorities {
        upsert_region(txn, &row.region).await?;
        upsert_board(txn, &row.nhs_board).await?;
    }
    // Predecessors first, so the self-reference is always satisfied.
    let (roots, successors): (Vec<_>, Vec<_>) = authorities
        .iter()
        .partition(|row| row.predecessor.is_none());
    for row in roots.into_iter().chain(successors) {
        upsert_authority(txn, row).await?;
    }
    for (position, theme) in themes.iter().enumerate() {
        upsert_theme(txn, theme, position).await?;
    }
    Ok(())
}

struct AuthorityRow {
    slug: AuthoritySlug,
    name: String,
    gss_code: String,
    dfe_number: i32,
    kind: AuthorityKind,
    nhs_board: String,
    region: String,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
    predecessor: Option<AuthoritySlug>,
}

struct ThemeRow {
    code: ThemeCode,
    label: String,
    family: FrameworkFamily,
}

/// A slug for a display name: "NHS Derby and Derbyshire ICB" → "nhs-derby-and-derbyshire-icb".
pub(crate) fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn parse_authorities(csv: &str) -> Result<Vec<AuthorityRow>, StoreError> {
    csv_records(csv)
        .skip(1)
        .map(|fields| {
            let field = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
            let optional_date = |i: usize| -> Result<Option<NaiveDate>, StoreError> {
                match field(i) {
                    "" => Ok(None),
                    text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map(Some)
                        .map_err(StoreError::corrupt),
                }
            };
            Ok(AuthorityRow {
                slug: AuthoritySlug::parse(field(0)).map_err(StoreError::corrupt)?,
                name: field(1).to_owned(),
                gss_code: field(2).to_owned(),
                dfe_number: field(3).parse().map_err(StoreError::corrupt)?,
                kind: AuthorityKind::parse(field(4))
                    .ok_or_else(|| StoreError::corrupt(field(4)))?,
                nhs_board: field(5).to_owned(),
                region: field(6).to_owned(),
                valid_from: optional_date(7)?,
                valid_to: optional_date(8)?,
                predecessor: match field(9) {
                    "" => None,
                    slug => Some(AuthoritySlug::parse(slug).map_err(StoreError::corrupt)?),
                },
            })
        })
        .collect()
}

fn parse_themes(csv: &str) -> Result<Vec<ThemeRow>, StoreError> {
    csv_records(csv)
        .skip(1)
        .map(|fields| {
            let field = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
            Ok(ThemeRow {
                code: ThemeCode::parse(field(0)).ok_or_else(|| StoreError::corrupt(field(0)))?,
                label: field(1).to_owned(),
                family: FrameworkFamily::parse(field(2))
                    .ok_or_else(|| StoreError::corrupt(field(2)))?,
            })
        })
        .collect()
}

/// Records of a small, trusted CSV file embedded in the binary, read by the `csv` crate;
/// blank lines are skipped. A record the reader cannot read ends the list, and the checks of
/// each row's fields (and the reference tests) catch what is missing.
fn csv_records(csv: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes())
        .into_records()
        .map_while(Result::ok)
        .map(|record| record.iter().map(str::to_owned).collect())
}

async fn upsert_region(db: &impl ConnectionTrait, name: &str) -> Result<(), StoreError> {
    let model = region::ActiveModel {
        slug: Set(slug_of(name)),
        name: Set(name.to_owned()),
    };
    region::Entity::insert(model)
        .on_conflict(
            OnConflict::column(region::Column::Slug)
                .update_column(region::Column::Name)
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

async fn upsert_board(db: &impl ConnectionTrait, name: &str) -> Result<(), StoreError> {
    let model = nhs_board::ActiveModel {
        slug: Set(slug_of(name)),
        name: Set(name.to_owned()),
    };
    nhs_board::Entity::insert(model)
        .on_conflict(
            OnConflict::column(nhs_board::Column::Slug)
                .update_column(nhs_board::Column::Name)
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

async fn upsert_authority(db: &impl ConnectionTrait, row: &AuthorityRow) -> Result<(), StoreError> {
    use local_authority::Column;
    let model = local_authority::ActiveModel {
        slug: Set(row.slug.to_string()),
        name: Set(row.name.clone()),
        gss_code: Set(row.gss_code.clone()),
        dfe_number: Set(row.dfe_number),
        kind: Set(row.kind.code().to_owned()),
        nhs_board_slug: Set(slug_of(&row.nhs_board)),
        region_slug: Set(slug_of(&row.region)),
        valid_from: Set(row.valid_from),
        valid_to: Set(row.valid_to),
        predecessor_slug: Set(row.predecessor.as_ref().map(ToString::to_string)),
    };
    local_authority::Entity::insert(model)
        .on_conflict(
            OnConflict::column(Column::Slug)
                .update_columns([
                    Column::Name,
                    Column::GssCode,
                    Column::DfeNumber,
                    Column::Kind,
                    Column::NhsBoardSlug,
                    Column::RegionSlug,
                    Column::ValidFrom,
                    Column::ValidTo,
                    Column::PredecessorSlug,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

async fn upsert_theme(
    db: &impl ConnectionTrait,
    row: &ThemeRow,
    position: usize,
) -> Result<(), StoreError> {
    use send_theme::Column;
    let model = send_theme::ActiveModel {
        code: Set(row.code.to_string()),
        label: Set(row.label.clone()),
        framework_family: Set(row.family.code().to_owned()),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
    };
    send_theme::Entity::insert(model)
        .on_conflict(
            OnConflict::column(Column::Code)
                .update_columns([Column::Label, Column::FrameworkFamily, Column::Position])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The EHC plan timeliness figures and the inspection history shipped with the product: the
/// figures through the importer's own checks, as release `REFERENCE_RELEASE`; inspections
/// added once, never over what the co-ordinator has corrected since.
async fn upsert_evidence_base(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    let known = local_authority::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Ok(domain::indicators::KnownArea {
                slug: AuthoritySlug::parse(&row.slug).map_err(StoreError::corrupt)?,
                gss_code: row.gss_code,
                dfe_number: row.dfe_number,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut records = csv_records(EHCP_TIMELINESS_CSV);
    let headers = records.next().unwrap_or_default();
    let rows: Vec<(u64, Vec<String>)> = (2..).zip(records).collect();
    let checked = domain::indicators::check_file(&headers, &rows, &known).map_err(|problems| {
        StoreError::corrupt(
            problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
        )
    })?;
    let now = chrono::Utc::now();
    crate::indicators::import_in(
        db,
        REFERENCE_PUBLICATION,
        REFERENCE_RELEASE,
        "reference",
        "the product's reference data",
        &checked.observations,
        now,
    )
    .await?;
    for fields in csv_records(INSPECTIONS_CSV).skip(1) {
        let field = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
        let area = AuthoritySlug::parse(field(0)).map_err(StoreError::corrupt)?;
        let inspection = domain::inspections::Inspection {
            month: domain::inspections::parse_month(field(1))
                .ok_or_else(|| StoreError::corrupt(field(1)))?,
            kind: domain::inspections::InspectionKind::parse(field(2))
                .ok_or_else(|| StoreError::corrupt(field(2)))?,
            outcome: domain::inspections::InspectionOutcome::parse(field(3))
                .ok_or_else(|| StoreError::corrupt(field(3)))?,
            report_url: None,
        };
        crate::inspections::upsert(db, &area, &inspection, now, true).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_reference_data_parses() {
        let authorities = parse_authorities(LOCAL_AUTHORITIES_CSV).unwrap_or_default();
        assert_eq!(
            authorities.len(),
            11,
            "ten current authorities and the old Northamptonshire county"
        );
        let leicester = authorities.iter().find(|a| a.slug.as_str() == "leicester");
        assert_eq!(
            leicester.map(|a| a.nhs_board.as_str()),
            Some("NHS Leicester, Leicestershire and Rutland ICB")
        );
        assert_eq!(
            parse_themes(SEND_THEMES_CSV).map(|t| t.len()).ok(),
            Some(20)
        );
    }

    #[test]
    fn slugs_of_names() {
        assert_eq!(
            slug_of("NHS Leicester, Leicestershire and Rutland ICB"),
            "nhs-leicester-leicestershire-and-rutland-icb"
        );
        assert_eq!(slug_of("East Midlands"), "east-midlands");
    }
}
