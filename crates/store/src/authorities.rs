//! Reading the reference data: local authorities with their NHS board and predecessor, and
//! the SEND practice themes.

use chrono::NaiveDate;
use domain::{AuthorityKind, AuthoritySlug, FrameworkFamily, ThemeCode};
use sea_orm::{EntityTrait, QueryOrder};

use crate::entity::{local_authority, nhs_board, region, send_theme};
use crate::{Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authority {
    pub slug: AuthoritySlug,
    pub name: String,
    pub gss_code: String,
    pub dfe_number: i32,
    pub kind: AuthorityKind,
    pub nhs_board: String,
    pub region: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub predecessor: Option<AuthoritySlug>,
}

impl Authority {
    /// Whether the authority still exists (Northamptonshire county council does not).
    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.valid_to.is_none_or(|end| end >= today)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub code: ThemeCode,
    pub label: String,
    pub family: FrameworkFamily,
}

impl Store {
    /// Every authority, current and past, by name.
    pub async fn authorities(&self) -> Result<Vec<Authority>, StoreError> {
        let boards: std::collections::BTreeMap<String, String> = nhs_board::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|b| (b.slug, b.name))
            .collect();
        let regions: std::collections::BTreeMap<String, String> = region::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.slug, r.name))
            .collect();
        local_authority::Entity::find()
            .order_by_asc(local_authority::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Authority {
                    slug: AuthoritySlug::parse(&row.slug).map_err(StoreError::corrupt)?,
                    kind: AuthorityKind::parse(&row.kind)
                        .ok_or_else(|| StoreError::corrupt(&row.kind))?,
                    nhs_board: boards
                        .get(&row.nhs_board_slug)
                        .cloned()
                        .unwrap_or(row.nhs_board_slug),
                    region: regions
                        .get(&row.region_slug)
                        .cloned()
                        .unwrap_or(row.region_slug),
                    predecessor: row
                        .predecessor_slug
                        .as_deref()
                        .map(AuthoritySlug::parse)
                        .transpose()
                        .map_err(StoreError::corrupt)?,
                    name: row.name,
                    gss_code: row.gss_code,
                    dfe_number: row.dfe_number,
                    valid_from: row.valid_from,
                    valid_to: row.valid_to,
                })
            })
            .collect()
    }

    pub async fn authority(&self, slug: &AuthoritySlug) -> Result<Option<Authority>, StoreError> {
        Ok(self
            .authorities()
            .await?
            .into_iter()
            .find(|authority| &authority.slug == slug))
    }

    /// The SEND practice themes in their published order.
    pub async fn themes(&self) -> Result<Vec<Theme>, StoreError> {
        send_theme::Entity::find()
            .order_by_asc(send_theme::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Theme {
                    code: ThemeCode::parse(&row.code)
                        .ok_or_else(|| StoreError::corrupt(&row.code))?,
                    family: FrameworkFamily::parse(&row.framework_family)
                        .ok_or_else(|| StoreError::corrupt(&row.framework_family))?,
                    label: row.label,
                })
            })
            .collect()
    }
}

impl Store {
    /// Every authority's name by its slug, for pages and documents that name areas.
    pub async fn authority_names(
        &self,
    ) -> Result<std::collections::BTreeMap<AuthoritySlug, String>, StoreError> {
        Ok(self
            .authorities()
            .await?
            .into_iter()
            .map(|a| (a.slug, a.name))
            .collect())
    }

    /// Every SEND practice theme's label by its code, in the themes' published order, for
    /// pages and documents that name themes.
    pub async fn theme_labels(&self) -> Result<Vec<(ThemeCode, String)>, StoreError> {
        Ok(self
            .themes()
            .await?
            .into_iter()
            .map(|theme| (theme.code, theme.label))
            .collect())
    }
}
