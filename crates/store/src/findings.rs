//! What a challenge finds: evidence notes (a reviewer's drafts and recorded notes), findings
//! per KLOE with the evidence behind them and the team's comments. Values arrive checked by
//! `domain::findings`; every change, and every read of the team's evidence, is audit-logged.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::case_sample::CaseReference;
use domain::findings::{EvidenceEntry, EvidenceKind, FindingEntry, FindingKind};
use domain::lifecycle::ChallengeState;
use domain::{
    ActivityId, AuditEvent, AuditObject, ChallengeId, EvidenceId, FindingCommentId, FindingId,
    UserId,
};
use sea_orm::Value;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::challenges::state_of;
use crate::data_version::{read_set_still_at, read_set_version_on};
use crate::entity::{challenge, evidence_note, finding, finding_comment, finding_evidence};
use crate::{DataVersion, ReadSet, Store, StoreError, audit};

const DRAFT: &str = "draft";
const RECORDED: &str = "recorded";

/// A note of evidence and who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceNote {
    pub id: EvidenceId,
    pub challenge: ChallengeId,
    pub author: Option<UserId>,
    pub author_name: String,
    pub entry: EvidenceEntry,
    /// False for a draft, which only its author sees.
    pub recorded: bool,
    pub updated_at: DateTime<Utc>,
}

/// Who is writing: their account and their name as the team sees it.
#[derive(Clone, Copy, Debug)]
pub struct Author<'a> {
    pub user: UserId,
    pub name: &'a str,
}

/// A finding with the evidence cited and the team's comments, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub id: FindingId,
    pub challenge: ChallengeId,
    pub entry: FindingEntry,
    pub comments: Vec<FindingComment>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingComment {
    pub id: FindingCommentId,
    pub author_name: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// What a change to evidence or findings is told outside the visit and reporting.
const FINDINGS_CLOSED: &str =
    "Evidence and findings can be changed only during the visit and while reporting";

/// Evidence and findings are written on the visit and while reporting, and not after.
async fn findings_open(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
) -> Result<(), StoreError> {
    let row = challenge::Entity::find_by_id(challenge.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if state_of(&row.state)?.may_record_evidence() {
        Ok(())
    } else {
        Err(StoreError::Conflict(FINDINGS_CLOSED))
    }
}

fn to_note(row: evidence_note::Model) -> Result<EvidenceNote, StoreError> {
    let case_reference = row
        .case_reference
        .as_deref()
        .map(|text| CaseReference::parse(text).map_err(|_| StoreError::corrupt(text)))
        .transpose()?;
    let kind = row
        .kind
        .as_deref()
        .map(|code| EvidenceKind::parse(code).ok_or_else(|| StoreError::corrupt(code)))
        .transpose()?;
    let kloe = row
        .kloe
        .map(|kloe| u8::try_from(kloe).map_err(|_| StoreError::corrupt(kloe)))
        .transpose()?;
    Ok(EvidenceNote {
        id: EvidenceId::from_uuid(row.id),
        challenge: ChallengeId::from_uuid(row.challenge_id),
        author: row.author_id.map(UserId::from_uuid),
        author_name: row.author_name,
        entry: EvidenceEntry {
            activity: row.activity_id.map(ActivityId::from_uuid),
            kloe,
            case_reference,
            kind,
            note: row.note,
        },
        recorded: row.status == RECORDED,
        updated_at: row.updated_at,
    })
}

/// The columns an evidence entry fills, with their values: the same for a new note and a
/// changed one.
fn entry_values(entry: &EvidenceEntry) -> [(evidence_note::Column, Value); 5] {
    use evidence_note::Column;
    [
        (
            Column::ActivityId,
            entry.activity.map(|id| id.as_uuid()).into(),
        ),
        (Column::Kloe, entry.kloe.map(i32::from).into()),
        (
            Column::CaseReference,
            entry.case_reference.as_ref().map(|r| r.to_string()).into(),
        ),
        (
            Column::Kind,
            entry.kind.map(|kind| kind.code().to_owned()).into(),
        ),
        (Column::Note, entry.note.clone().into()),
    ]
}

/// A new evidence note as `save_evidence` writes it.
struct NewNote<'a> {
    id: EvidenceId,
    challenge: ChallengeId,
    entry: &'a EvidenceEntry,
    record: bool,
    author: Author<'a>,
    checked_at: Option<DataVersion>,
    now: DateTime<Utc>,
}

/// Insert `note` if its challenge is in the visit or reporting and, when the note was checked
/// against a reading of the challenge, that reading is still current, both checked in the same
/// statement (`INSERT … SELECT … WHERE`): a reviewer records note after note during a visit,
/// and each statement is a round trip to the database's thread. False when nothing was written.
async fn insert_while_open(
    db: &impl ConnectionTrait,
    note: &NewNote<'_>,
) -> Result<bool, StoreError> {
    use evidence_note::Column;
    let open_states: Vec<&str> = ChallengeState::ALL
        .into_iter()
        .filter(|state| state.may_record_evidence())
        .map(ChallengeState::code)
        .collect();
    let open = Query::select()
        .expr(Expr::val(1))
        .from(challenge::Entity)
        .and_where(challenge::Column::Id.eq(note.challenge.as_uuid()))
        .and_where(challenge::Column::State.is_in(open_states))
        .to_owned();
    let status = if note.record { RECORDED } else { DRAFT };
    let mut columns = vec![
        (Column::Id, note.id.as_uuid().into()),
        (Column::ChallengeId, note.challenge.as_uuid().into()),
        (Column::AuthorId, Some(note.author.user.as_uuid()).into()),
        (Column::AuthorName, note.author.name.to_owned().into()),
        (Column::Status, status.to_owned().into()),
        (Column::CreatedAt, note.now.into()),
        (Column::UpdatedAt, note.now.into()),
    ];
    columns.extend(entry_values(note.entry));
    let (names, values): (Vec<Column>, Vec<Value>) = columns.into_iter().unzip();
    let mut values = Query::select()
        .exprs(values.into_iter().map(Expr::val))
        .and_where(Expr::exists(open))
        .to_owned();
    if let Some(version) = note.checked_at {
        values.and_where(read_set_still_at(ReadSet::Challenge, version));
    }
    let insert = Query::insert()
        .into_table(evidence_note::Entity)
        .columns(names)
        .select_from(values)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?
        .to_owned();
    Ok(db.execute(&insert).await?.rows_affected() == 1)
}

fn evidence_event(
    by: UserId,
    action: &'static str,
    id: EvidenceId,
    challenge: ChallengeId,
) -> AuditEvent {
    AuditEvent::new(
        Some(by),
        action,
        AuditObject::new("evidence", id),
        format!("Evidence on challenge {challenge}"),
    )
}

impl Store {
    /// Save a note: a new one (`existing` None) or the author's own, as a draft or recorded.
    /// A recorded note stays recorded (`Conflict` if asked to become a draft). `NotFound` for
    /// someone else's note, `Conflict` outside the visit and reporting. `checked_at`: the
    /// version of `ReadSet::Challenge` the entry was checked at (its activity, KLOE and case
    /// against the challenge as then read); `Stale`, with nothing written, if it has moved.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_evidence(
        &self,
        challenge: ChallengeId,
        existing: Option<EvidenceId>,
        entry: &EvidenceEntry,
        record: bool,
        author: Author<'_>,
        checked_at: Option<DataVersion>,
        now: DateTime<Utc>,
    ) -> Result<EvidenceId, StoreError> {
        let txn = self.begin_write().await?;
        let id = match existing {
            Some(id) => {
                findings_open(&txn, challenge).await?;
                if let Some(version) = checked_at
                    && read_set_version_on(&txn, ReadSet::Challenge).await? != version
                {
                    return Err(StoreError::Stale);
                }
                let row = own_note(&txn, challenge, id, author.user).await?;
                // The team reads a recorded note: it never goes back to being a draft, and
                // only a complete entry (checked by the caller) may replace it.
                if row.status == RECORDED && !record {
                    return Err(StoreError::Conflict(
                        "A recorded note cannot go back to being a draft: save it with every answer",
                    ));
                }
                let status = if record { RECORDED } else { DRAFT };
                let mut model: evidence_note::ActiveModel = row.into();
                for (column, value) in entry_values(entry) {
                    model.set(column, value);
                }
                model.updated_at = Set(now);
                model.status = Set(status.to_owned());
                model.update(&txn).await?;
                id
            }
            None => {
                let id = EvidenceId::new();
                let note = NewNote {
                    id,
                    challenge,
                    entry,
                    record,
                    author,
                    checked_at,
                    now,
                };
                if !insert_while_open(&txn, &note).await? {
                    // Nothing written: say whether the challenge is missing or closed, and
                    // otherwise it has changed since the entry was checked.
                    findings_open(&txn, challenge).await?;
                    return Err(if checked_at.is_some() {
                        StoreError::Stale
                    } else {
                        StoreError::Conflict(FINDINGS_CLOSED)
                    });
                }
                id
            }
        };
        let action = if record {
            "evidence.recorded"
        } else {
            "evidence.draft_saved"
        };
        audit::append(
            &txn,
            evidence_event(author.user, action, id, challenge),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// The challenge's recorded evidence, by KLOE then oldest first. Every read is logged:
    /// the notes may describe a child's case, even without naming them. `reader` is None
    /// for a report made from the command line.
    pub async fn evidence(
        &self,
        challenge: ChallengeId,
        reader: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<Vec<EvidenceNote>, StoreError> {
        let txn = self.begin_write().await?;
        let notes = evidence_with_status(&txn, challenge, RECORDED, None).await?;
        let event = AuditEvent::new(
            reader,
            "evidence.read",
            AuditObject::new("challenge", challenge),
            format!("{} evidence note(s) read", notes.len()),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(notes)
    }

    /// The ids of the challenge's recorded evidence, which findings may cite (not a read of
    /// the notes themselves, so not logged).
    pub async fn recorded_evidence_ids(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<EvidenceId>, StoreError> {
        Ok(evidence_with_status(&self.db, challenge, RECORDED, None)
            .await?
            .into_iter()
            .map(|note| note.id)
            .collect())
    }

    /// The author's own notes on the challenge, drafts first.
    pub async fn own_evidence(
        &self,
        challenge: ChallengeId,
        author: UserId,
    ) -> Result<Vec<EvidenceNote>, StoreError> {
        let mut notes = evidence_with_status(&self.db, challenge, DRAFT, Some(author)).await?;
        notes.extend(evidence_with_status(&self.db, challenge, RECORDED, Some(author)).await?);
        Ok(notes)
    }

    /// One of the author's own notes (None when it is not theirs or not this challenge's).
    pub async fn own_evidence_note(
        &self,
        challenge: ChallengeId,
        id: EvidenceId,
        author: UserId,
    ) -> Result<Option<EvidenceNote>, StoreError> {
        match own_note(&self.db, challenge, id, author).await {
            Ok(row) => to_note(row).map(Some),
            Err(StoreError::NotFound) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Delete one of the author's own notes; findings that cited it lose the link.
    pub async fn delete_evidence(
        &self,
        challenge: ChallengeId,
        id: EvidenceId,
        author: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        findings_open(&txn, challenge).await?;
        own_note(&txn, challenge, id, author)
            .await?
            .delete(&txn)
            .await?;
        audit::append(
            &txn,
            evidence_event(author, "evidence.deleted", id, challenge),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The challenge's findings by KLOE, then strengths, areas for development and
    /// recommendations, each in the order written.
    pub async fn findings(&self, challenge: ChallengeId) -> Result<Vec<Finding>, StoreError> {
        let rows = finding::Entity::find()
            .filter(finding::Column::ChallengeId.eq(challenge.as_uuid()))
            .order_by_asc(finding::Column::Kloe)
            .order_by_asc(finding::Column::Position)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        let mut cited: BTreeMap<Uuid, Vec<EvidenceId>> = BTreeMap::new();
        for link in finding_evidence::Entity::find()
            .filter(finding_evidence::Column::FindingId.is_in(ids.clone()))
            .order_by_asc(finding_evidence::Column::Position)
            .all(&self.db)
            .await?
        {
            cited
                .entry(link.finding_id)
                .or_default()
                .push(EvidenceId::from_uuid(link.evidence_id));
        }
        let mut comments: BTreeMap<Uuid, Vec<FindingComment>> = BTreeMap::new();
        for row in finding_comment::Entity::find()
            .filter(finding_comment::Column::FindingId.is_in(ids))
            .order_by_asc(finding_comment::Column::CreatedAt)
            .all(&self.db)
            .await?
        {
            comments
                .entry(row.finding_id)
                .or_default()
                .push(FindingComment {
                    id: FindingCommentId::from_uuid(row.id),
                    author_name: row.author_name,
                    text: row.text,
                    created_at: row.created_at,
                });
        }
        let mut findings = rows
            .into_iter()
            .map(|row| {
                let kind =
                    FindingKind::parse(&row.kind).ok_or_else(|| StoreError::corrupt(&row.kind))?;
                Ok(Finding {
                    id: FindingId::from_uuid(row.id),
                    challenge,
                    entry: FindingEntry {
                        kloe: u8::try_from(row.kloe).map_err(|_| StoreError::corrupt(row.kloe))?,
                        kind,
                        text: row.text,
                        evidence: cited.remove(&row.id).unwrap_or_default(),
                    },
                    comments: comments.remove(&row.id).unwrap_or_default(),
                    updated_at: row.updated_at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        findings.sort_by_key(|finding| (finding.entry.kloe, finding.entry.kind));
        Ok(findings)
    }

    /// Add a finding at the end of its KLOE's list.
    pub async fn add_finding(
        &self,
        challenge: ChallengeId,
        entry: &FindingEntry,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<FindingId, StoreError> {
        let txn = self.begin_write().await?;
        findings_open(&txn, challenge).await?;
        check_evidence(&txn, challenge, &entry.evidence).await?;
        let last = finding::Entity::find()
            .filter(finding::Column::ChallengeId.eq(challenge.as_uuid()))
            .order_by_desc(finding::Column::Position)
            .one(&txn)
            .await?
            .map_or(0, |row| row.position);
        let id = FindingId::new();
        finding::ActiveModel {
            id: Set(id.as_uuid()),
            challenge_id: Set(challenge.as_uuid()),
            kloe: Set(i32::from(entry.kloe)),
            kind: Set(entry.kind.code().to_owned()),
            text: Set(entry.text.clone()),
            position: Set(last + 1),
            created_by: Set(Some(by.as_uuid())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        link_evidence(&txn, id, &entry.evidence).await?;
        audit::append(&txn, finding_event(by, "finding.added", id, challenge), now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Change a finding's KLOE, kind, words or evidence.
    pub async fn update_finding(
        &self,
        challenge: ChallengeId,
        id: FindingId,
        entry: &FindingEntry,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        findings_open(&txn, challenge).await?;
        let mut model: finding::ActiveModel = find_finding(&txn, challenge, id).await?.into();
        check_evidence(&txn, challenge, &entry.evidence).await?;
        model.kloe = Set(i32::from(entry.kloe));
        model.kind = Set(entry.kind.code().to_owned());
        model.text = Set(entry.text.clone());
        model.updated_at = Set(now);
        model.update(&txn).await?;
        finding_evidence::Entity::delete_many()
            .filter(finding_evidence::Column::FindingId.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        link_evidence(&txn, id, &entry.evidence).await?;
        audit::append(
            &txn,
            finding_event(by, "finding.changed", id, challenge),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Delete a finding with its comments.
    pub async fn delete_finding(
        &self,
        challenge: ChallengeId,
        id: FindingId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        findings_open(&txn, challenge).await?;
        find_finding(&txn, challenge, id)
            .await?
            .delete(&txn)
            .await?;
        audit::append(
            &txn,
            finding_event(by, "finding.deleted", id, challenge),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A team member's comment on a finding.
    pub async fn comment_on_finding(
        &self,
        challenge: ChallengeId,
        id: FindingId,
        text: &str,
        author: Author<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        findings_open(&txn, challenge).await?;
        find_finding(&txn, challenge, id).await?;
        finding_comment::ActiveModel {
            id: Set(Uuid::new_v4()),
            finding_id: Set(id.as_uuid()),
            author_id: Set(Some(author.user.as_uuid())),
            author_name: Set(author.name.to_owned()),
            text: Set(text.to_owned()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            finding_event(author.user, "finding.commented", id, challenge),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

fn finding_event(
    by: UserId,
    action: &'static str,
    id: FindingId,
    challenge: ChallengeId,
) -> AuditEvent {
    AuditEvent::new(
        Some(by),
        action,
        AuditObject::new("finding", id),
        format!("Finding on challenge {challenge}"),
    )
}

async fn evidence_with_status(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    status: &str,
    author: Option<UserId>,
) -> Result<Vec<EvidenceNote>, StoreError> {
    let mut query = evidence_note::Entity::find()
        .filter(evidence_note::Column::ChallengeId.eq(challenge.as_uuid()))
        .filter(evidence_note::Column::Status.eq(status));
    if let Some(author) = author {
        query = query.filter(evidence_note::Column::AuthorId.eq(author.as_uuid()));
    }
    query
        .order_by_asc(evidence_note::Column::Kloe)
        .order_by_asc(evidence_note::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_note)
        .collect()
}

async fn own_note(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    id: EvidenceId,
    author: UserId,
) -> Result<evidence_note::Model, StoreError> {
    evidence_note::Entity::find_by_id(id.as_uuid())
        .filter(evidence_note::Column::ChallengeId.eq(challenge.as_uuid()))
        .filter(evidence_note::Column::AuthorId.eq(author.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

async fn find_finding(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    id: FindingId,
) -> Result<finding::Model, StoreError> {
    finding::Entity::find_by_id(id.as_uuid())
        .filter(finding::Column::ChallengeId.eq(challenge.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Refuse evidence that is not recorded evidence of this challenge: a note deleted or
/// un-recorded since the form was shown is refused rather than silently dropped. Checked
/// before anything is written, so a refusal leaves no write lock behind on SQLite.
async fn check_evidence(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    evidence: &[EvidenceId],
) -> Result<(), StoreError> {
    let known = evidence_note::Entity::find()
        .filter(evidence_note::Column::ChallengeId.eq(challenge.as_uuid()))
        .filter(evidence_note::Column::Status.eq(RECORDED))
        .filter(evidence_note::Column::Id.is_in(evidence.iter().map(|id| id.as_uuid())))
        .count(db)
        .await?;
    if usize::try_from(known).ok() == Some(evidence.len()) {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "Some of the evidence chosen is no longer recorded: choose again",
        ))
    }
}

/// Link a finding to the evidence behind it, in the order cited.
async fn link_evidence(
    db: &impl ConnectionTrait,
    finding: FindingId,
    evidence: &[EvidenceId],
) -> Result<(), StoreError> {
    for (position, id) in evidence.iter().enumerate() {
        finding_evidence::ActiveModel {
            finding_id: Set(finding.as_uuid()),
            evidence_id: Set(id.as_uuid()),
            position: Set(i32::try_from(position).map_err(StoreError::corrupt)?),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
