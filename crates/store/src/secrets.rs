//! Secrets the instances of one deployment must share, such as the key that signs form
//! tokens. Created once, by whichever instance starts first.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, Set};

use crate::entity::instance_secret;
use crate::{Store, StoreError};

impl Store {
    /// The 32-byte key called `name`, created at random on first use. Two instances racing
    /// to create it both end up with the one that won. Once it exists, getting it is a read:
    /// starting an instance writes nothing.
    pub async fn shared_key(&self, name: &str, now: DateTime<Utc>) -> Result<Vec<u8>, StoreError> {
        let existing = instance_secret::Entity::find_by_id(name.to_owned())
            .one(&self.db)
            .await?;
        let stored = match existing {
            Some(stored) => stored,
            None => {
                let mut candidate = [0u8; 32];
                rand::fill(&mut candidate);
                instance_secret::Entity::insert(instance_secret::ActiveModel {
                    name: Set(name.to_owned()),
                    value: Set(STANDARD.encode(candidate)),
                    created_at: Set(now),
                })
                .on_conflict_do_nothing_on([instance_secret::Column::Name])
                .exec(&self.db)
                .await?;
                instance_secret::Entity::find_by_id(name.to_owned())
                    .one(&self.db)
                    .await?
                    .ok_or(StoreError::NotFound)?
            }
        };
        STANDARD.decode(stored.value).map_err(StoreError::corrupt)
    }
}
