//! Demo data: the real East Midlands authorities (from the reference data), an account for
//! each role, all with one known password, and a reviewer pool of about 150 made-up people
//! generated from a fixed seed, with a few applications waiting and a training session
//! planned, and challenges in every state (`demo_challenges.rs`). Running the demo again
//! refreshes the accounts and leaves the pool and the challenges as they are.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use domain::application::{ApplicationDraft, DateRangeAnswer};
use domain::pool::{
    ConflictAnswer, DateRange, ExpertiseLevel, HomeArea, MemberProfile, MemberStatus, PhoneNumber,
    ReviewerType,
};
use domain::training::SessionPlan;
use domain::{
    AuthoritySlug, EmailAddress, NewPassword, PasswordHash, PersonName, Role, RoleGrant, ThemeCode,
    UserId,
};
use store::{ImportedMember, NewTrainingSession, NewUser, PoolFilter, SessionToken, Store};

use crate::config::Config;

pub const DEFAULT_PASSWORD: &str = "peer-challenge-demo";

/// A demo account as announced on the terminal.
pub struct DemoAccount {
    pub email: String,
    pub description: String,
}

const COORDINATOR_EMAIL: &str = "coordinator@example.org";

const REVIEWERS: [&str; 6] = [
    "Priya Sharma",
    "Tom Whitaker",
    "Grace Okafor",
    "Dan Ellis",
    "Hannah Lowe",
    "Sam Kaur",
];

pub async fn seed(
    store: &Store,
    password: &str,
    settings: &services::Settings,
) -> anyhow::Result<Vec<DemoAccount>> {
    let hash = demo_password_hash(store, password).await?;
    let now = Utc::now();
    let mut accounts = Vec::new();
    let mut add = async |email: String,
                         name: &str,
                         grants: Vec<RoleGrant>,
                         description: String|
           -> anyhow::Result<UserId> {
        let user = NewUser {
            name: PersonName::parse(name).map_err(|problem| anyhow::anyhow!("{problem}"))?,
            email: EmailAddress::parse(&email).map_err(|problem| anyhow::anyhow!("{problem}"))?,
            grants,
        };
        let id = store
            .ensure_user(&user, &hash, now)
            .await
            .with_context(|| format!("demo account {email}"))?;
        accounts.push(DemoAccount { email, description });
        Ok(id)
    };
    let single = |role| RoleGrant::new(role, None).map_err(|problem| anyhow::anyhow!("{problem}"));
    add(
        COORDINATOR_EMAIL.into(),
        "Morgan Reid",
        vec![single(Role::Coordinator)?],
        "regional SEND co-ordinator".into(),
    )
    .await?;
    let project_manager = add(
        "pm@example.org".into(),
        "Jo Bennett",
        vec![single(Role::ProjectManager)?],
        "project manager".into(),
    )
    .await?;
    add(
        "board@example.org".into(),
        "Cllr Pat Hughes",
        vec![single(Role::Board)?],
        "regional board member".into(),
    )
    .await?;
    let today = now.date_naive();
    for authority in store
        .authorities()
        .await?
        .into_iter()
        .filter(|a| a.is_current(today))
    {
        let grant = RoleGrant::new(
            Role::LaLead,
            Some(AuthoritySlug::parse(authority.slug.as_str())?),
        )
        .map_err(|problem| anyhow::anyhow!("{problem}"))?;
        let name = format!("{} SEND lead", authority.name);
        add(
            format!("lead.{}@example.org", authority.slug),
            &name,
            vec![grant],
            format!("local area lead, {}", authority.name),
        )
        .await?;
    }
    let mut reviewer_accounts = Vec::new();
    for (index, name) in REVIEWERS.iter().enumerate() {
        let email = format!("reviewer{}@example.org", index + 1);
        let id = add(
            email.clone(),
            name,
            vec![single(Role::Reviewer)?],
            "reviewer".into(),
        )
        .await?;
        reviewer_accounts.push((id, email));
    }
    seed_pool(store, &reviewer_accounts, project_manager, now).await?;
    crate::demo_challenges::seed(store, settings, now).await?;
    crate::demo_events::seed(store, now).await?;
    // The year's triads come before the biennial cycles: the 2026 cycle's pairing prefers areas
    // outside their triad.
    crate::demo_self_assessment::seed(store, now).await?;
    crate::demo_triads::seed(store, now).await?;
    crate::demo_biennial::seed(store, settings, now).await?;
    Ok(accounts)
}

/// The hash every demo account gets. Starting an existing demo again with the same password
/// keeps the hash the accounts hold (one check of it, instead of a new hash and a write per
/// account); a new password is hashed afresh.
async fn demo_password_hash(store: &Store, password: &str) -> anyhow::Result<PasswordHash> {
    let coordinator =
        EmailAddress::parse(COORDINATOR_EMAIL).map_err(|problem| anyhow::anyhow!("{problem}"))?;
    if let Some((_, Some(stored))) = store.credentials(&coordinator).await?
        && stored.matches(password)
    {
        return Ok(stored);
    }
    // The demo password may be on the common-password list (the default is, on purpose, so it
    // can never be chosen for a real account); the demo sets it directly.
    NewPassword::parse(password, password)
        .map(|checked| checked.hash())
        .or_else(|problem| match problem {
            domain::PasswordProblem::TooCommon => Ok(PasswordHash::for_demo(password)),
            other => Err(other),
        })
        .map_err(|problem| anyhow::anyhow!("--demo-password: {problem}"))
}

/// Tell the person who started the demo where it is and how to sign in.
#[allow(clippy::print_stdout)]
pub fn announce(config: &Config, accounts: &[DemoAccount], password: &str) {
    println!();
    println!("Peer Challenge demo: {}", config.web.base_url);
    println!("Every demo account's password is: {password}");
    println!();
    for account in accounts {
        println!("  {:<42} {}", account.email, account.description);
    }
    println!();
    println!(
        "Emails are written to {}",
        config.data_dir.join("outbox").display()
    );
    println!("Press Ctrl-C to stop.");
    println!();
}

// ---- The demo pool -----------------------------------------------------------------------

/// Every demo grows the same pool from this seed.
const SEED: u64 = 0x5EED_2026_0E11;
/// Members generated at random, besides the six demo reviewers.
const GENERATED: usize = 144;

/// SplitMix64: tiny, and the same stream on every platform and release (a library generator
/// may change its stream between versions, and the demo's people with it).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = usize::try_from(high - low + 1).unwrap_or(1);
        low + i64::try_from(self.below(span)).unwrap_or(0)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn weighted<'a, T>(&mut self, items: &'a [(T, usize)]) -> &'a T {
        let total: usize = items.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[items.len() - 1].0
    }
}

/// An authority of the region, as the demo writes about it.
struct Area {
    slug: &'static str,
    name: &'static str,
    council: &'static str,
    board: &'static str,
    /// Roughly the authority's share of the region's children.
    weight: usize,
    neighbours: &'static [&'static str],
}

const AREAS: [Area; 10] = [
    Area {
        slug: "derby",
        name: "Derby",
        council: "Derby City Council",
        board: "NHS Derby and Derbyshire ICB",
        weight: 12,
        neighbours: &[
            "derbyshire",
            "nottingham",
            "nottinghamshire",
            "leicestershire",
        ],
    },
    Area {
        slug: "derbyshire",
        name: "Derbyshire",
        council: "Derbyshire County Council",
        board: "NHS Derby and Derbyshire ICB",
        weight: 20,
        neighbours: &["derby", "nottinghamshire", "nottingham", "leicestershire"],
    },
    Area {
        slug: "leicester",
        name: "Leicester",
        council: "Leicester City Council",
        board: "NHS Leicester, Leicestershire and Rutland ICB",
        weight: 12,
        neighbours: &[
            "leicestershire",
            "rutland",
            "nottingham",
            "west-northamptonshire",
        ],
    },
    Area {
        slug: "leicestershire",
        name: "Leicestershire",
        council: "Leicestershire County Council",
        board: "NHS Leicester, Leicestershire and Rutland ICB",
        weight: 16,
        neighbours: &[
            "leicester",
            "rutland",
            "derbyshire",
            "nottinghamshire",
            "north-northamptonshire",
        ],
    },
    Area {
        slug: "rutland",
        name: "Rutland",
        council: "Rutland County Council",
        board: "NHS Leicester, Leicestershire and Rutland ICB",
        weight: 5,
        neighbours: &[
            "leicestershire",
            "leicester",
            "lincolnshire",
            "north-northamptonshire",
        ],
    },
    Area {
        slug: "lincolnshire",
        name: "Lincolnshire",
        council: "Lincolnshire County Council",
        board: "NHS Lincolnshire ICB",
        weight: 17,
        neighbours: &[
            "nottinghamshire",
            "rutland",
            "leicestershire",
            "north-northamptonshire",
        ],
    },
    Area {
        slug: "nottingham",
        name: "Nottingham",
        council: "Nottingham City Council",
        board: "NHS Nottingham and Nottinghamshire ICB",
        weight: 12,
        neighbours: &["nottinghamshire", "derby", "derbyshire", "leicester"],
    },
    Area {
        slug: "nottinghamshire",
        name: "Nottinghamshire",
        council: "Nottinghamshire County Council",
        board: "NHS Nottingham and Nottinghamshire ICB",
        weight: 19,
        neighbours: &[
            "nottingham",
            "derbyshire",
            "derby",
            "lincolnshire",
            "leicestershire",
        ],
    },
    Area {
        slug: "north-northamptonshire",
        name: "North Northamptonshire",
        council: "North Northamptonshire Council",
        board: "NHS Northamptonshire ICB",
        weight: 12,
        neighbours: &[
            "west-northamptonshire",
            "rutland",
            "leicestershire",
            "leicester",
        ],
    },
    Area {
        slug: "west-northamptonshire",
        name: "West Northamptonshire",
        council: "West Northamptonshire Council",
        board: "NHS Northamptonshire ICB",
        weight: 12,
        neighbours: &["north-northamptonshire", "leicestershire", "leicester"],
    },
];

/// Neighbouring regions the scheme has worked with: region, an employer there, and how many
/// of the generated members come from there.
const OUTSIDE: [(&str, &str, usize); 3] = [
    ("West Midlands", "Staffordshire County Council", 4),
    ("East of England", "Cambridgeshire County Council", 3),
    ("Yorkshire and the Humber", "Sheffield City Council", 2),
];

const FIRST_NAMES: [&str; 60] = [
    "Aisha",
    "Alex",
    "Amara",
    "Amy",
    "Andrew",
    "Anna",
    "Ben",
    "Beth",
    "Callum",
    "Charlotte",
    "Chloe",
    "Claire",
    "Daniel",
    "David",
    "Deborah",
    "Eleanor",
    "Emma",
    "Faisal",
    "Fiona",
    "Gareth",
    "Gemma",
    "Hannah",
    "Harpreet",
    "Helen",
    "Imran",
    "Isla",
    "Jack",
    "James",
    "Jasmine",
    "Joanne",
    "Jordan",
    "Karen",
    "Kelly",
    "Kiran",
    "Laura",
    "Liam",
    "Lucy",
    "Mark",
    "Megan",
    "Michelle",
    "Mohammed",
    "Naomi",
    "Natalie",
    "Nikhil",
    "Olivia",
    "Paul",
    "Rachel",
    "Rebecca",
    "Richard",
    "Rosie",
    "Ruth",
    "Ryan",
    "Sarah",
    "Simon",
    "Sophie",
    "Stephen",
    "Tariq",
    "Tom",
    "Victoria",
    "Zara",
];

const SURNAMES: [&str; 60] = [
    "Ahmed", "Allen", "Atkinson", "Baker", "Barker", "Begum", "Bell", "Bennett", "Brown",
    "Chapman", "Clarke", "Cooper", "Davies", "Dixon", "Edwards", "Evans", "Fletcher", "Foster",
    "Gill", "Green", "Hall", "Harris", "Hill", "Holmes", "Hughes", "Hussain", "Jackson", "Johal",
    "Khan", "Lewis", "Marsh", "Mistry", "Moore", "Morris", "Naylor", "Nowak", "Owen", "Parker",
    "Patel", "Pearson", "Price", "Rahman", "Reid", "Roberts", "Robinson", "Shaw", "Singh", "Smith",
    "Taylor", "Thompson", "Turner", "Walker", "Ward", "Webb", "White", "Wilson", "Wood", "Wright",
    "Young", "Yates",
];

/// How many of each kind of reviewer the generated part of the pool has: mostly local
/// authority officers, then parent carers, health (a third of them Designated Clinical
/// Officers), education and social care professionals, and a few young ambassadors.
const MIX: [(ReviewerType, usize); 7] = [
    (ReviewerType::LaOfficer, 56),
    (ReviewerType::ParentCarer, 29),
    (ReviewerType::Health, 21),
    (ReviewerType::Education, 17),
    (ReviewerType::SocialCare, 12),
    (ReviewerType::YoungAmbassador, 6),
    (ReviewerType::Other, 3),
];

/// The themes each kind of reviewer tends to know best.
fn usual_themes(kind: ReviewerType) -> &'static [&'static str] {
    match kind {
        ReviewerType::LaOfficer => &[
            "EHCNA_TIMELINESS",
            "EHCP_QUALITY",
            "ANNUAL_REVIEWS",
            "JOINT_COMMISSIONING",
            "LEADERSHIP_GOVERNANCE",
            "HIGH_NEEDS_FINANCE",
            "TRANSITIONS",
            "PFA",
            "ALTERNATIVE_PROVISION",
            "DISAGREEMENT_RESOLUTION",
            "WORKFORCE",
            "IDENTIFICATION",
        ],
        ReviewerType::ParentCarer => &[
            "COPRODUCTION",
            "COMMUNICATION",
            "EHCP_QUALITY",
            "ANNUAL_REVIEWS",
            "DISAGREEMENT_RESOLUTION",
            "SOCIAL_CARE",
            "TRANSITIONS",
            "INCLUSION",
        ],
        ReviewerType::Health => &[
            "HEALTH",
            "IDENTIFICATION",
            "SEMH",
            "JOINT_COMMISSIONING",
            "EHCP_QUALITY",
            "TRANSITIONS",
            "PFA",
        ],
        ReviewerType::Education => &[
            "INCLUSION",
            "ATTENDANCE_EXCLUSIONS",
            "OUTCOMES",
            "IDENTIFICATION",
            "SEMH",
            "ALTERNATIVE_PROVISION",
            "ANNUAL_REVIEWS",
            "TRANSITIONS",
        ],
        ReviewerType::SocialCare => &[
            "SOCIAL_CARE",
            "TRANSITIONS",
            "PFA",
            "SEMH",
            "JOINT_COMMISSIONING",
            "COPRODUCTION",
        ],
        ReviewerType::YoungAmbassador => &[
            "COPRODUCTION",
            "PFA",
            "INCLUSION",
            "COMMUNICATION",
            "TRANSITIONS",
        ],
        ReviewerType::Other => &[
            "COMMUNICATION",
            "DISAGREEMENT_RESOLUTION",
            "COPRODUCTION",
            "EHCP_QUALITY",
        ],
    }
}

const ALL_THEMES: [&str; 20] = [
    "IDENTIFICATION",
    "EHCNA_TIMELINESS",
    "EHCP_QUALITY",
    "ANNUAL_REVIEWS",
    "COPRODUCTION",
    "COMMUNICATION",
    "JOINT_COMMISSIONING",
    "HEALTH",
    "SOCIAL_CARE",
    "INCLUSION",
    "ALTERNATIVE_PROVISION",
    "ATTENDANCE_EXCLUSIONS",
    "SEMH",
    "TRANSITIONS",
    "PFA",
    "OUTCOMES",
    "LEADERSHIP_GOVERNANCE",
    "WORKFORCE",
    "DISAGREEMENT_RESOLUTION",
    "HIGH_NEEDS_FINANCE",
];

const SCHOOLS: [&str; 10] = [
    "Oakfield",
    "Willow Bank",
    "Riverside",
    "Beechwood",
    "Hollybrook",
    "Meadowview",
    "Castle Hill",
    "Fernlea",
    "Ashgrove",
    "Brookside",
];

const SCHOOL_KINDS: [&str; 5] = [
    "Primary School",
    "Academy",
    "Special School",
    "Infant School",
    "College",
];

const ADJUSTMENTS: [&str; 5] = [
    "Step-free access, please.",
    "Papers a week before the visit, in a large font.",
    "A quiet room to take breaks in.",
    "I can only travel by public transport.",
    "Time for prayers at midday.",
];

fn job(rng: &mut Rng, kind: ReviewerType, designated: bool) -> &'static str {
    let titles: &[&'static str] = match kind {
        ReviewerType::LaOfficer => &[
            "Head of SEND",
            "SEND casework manager",
            "EHC plan co-ordinator",
            "Principal educational psychologist",
            "Inclusion service manager",
            "SEND commissioning manager",
            "Preparation for adulthood lead",
            "SEND quality assurance officer",
            "Assistant director for education",
            "Early years SEND lead",
        ],
        ReviewerType::ParentCarer => &[
            "Parent carer forum co-chair",
            "Parent carer representative",
            "Parent carer forum participation lead",
            "Parent of a young person with an EHC plan",
        ],
        ReviewerType::Health if designated => &["Designated Clinical Officer for SEND"],
        ReviewerType::Health => &[
            "Community paediatrician",
            "Speech and language therapy lead",
            "Children's occupational therapist",
            "CAMHS clinical lead",
            "Designated Medical Officer",
            "Children's community nurse",
        ],
        ReviewerType::Education => &[
            "SENCO",
            "Headteacher",
            "Deputy headteacher and inclusion lead",
            "Specialist teacher, sensory support",
            "Learning support manager",
            "Early years setting manager",
        ],
        ReviewerType::SocialCare => &[
            "Disabled children's team manager",
            "Social worker, children with disabilities",
            "Short breaks co-ordinator",
            "Transitions social worker",
            "Independent reviewing officer",
        ],
        ReviewerType::YoungAmbassador => &["Young ambassador"],
        ReviewerType::Other => &[
            "SEND information, advice and support adviser",
            "Independent SEND consultant",
            "Family support worker",
        ],
    };
    rng.pick::<&str>(titles)
}

/// Where they work, made up from their area: councils and boards are the real ones of the
/// region, schools and forums are invented.
fn organisation(rng: &mut Rng, kind: ReviewerType, designated: bool, home: &Home) -> String {
    let (name, council, board) = match home {
        Home::Area(area) => (area.name, area.council.to_owned(), area.board.to_owned()),
        Home::Outside(region, council) => (
            *region,
            (*council).to_owned(),
            format!("An integrated care board in the {region}"),
        ),
    };
    match kind {
        ReviewerType::LaOfficer => council,
        ReviewerType::SocialCare => format!("{council}, children's social care"),
        ReviewerType::ParentCarer => format!("{name} Parent Carer Forum"),
        ReviewerType::Health if designated => board,
        ReviewerType::Health => format!("{name} children's community health service"),
        ReviewerType::Education => {
            format!("{} {}, {name}", rng.pick(&SCHOOLS), rng.pick(&SCHOOL_KINDS))
        }
        ReviewerType::YoungAmbassador => format!("{name} young people's SEND forum"),
        ReviewerType::Other => format!("{name} SEND information, advice and support service"),
    }
}

enum Home {
    Area(&'static Area),
    Outside(&'static str, &'static str),
}

fn area(slug: &str) -> Option<&'static Area> {
    AREAS.iter().find(|area| area.slug == slug)
}

fn slug(text: &str) -> anyhow::Result<AuthoritySlug> {
    AuthoritySlug::parse(text).map_err(|problem| anyhow::anyhow!("{text}: {problem}"))
}

fn theme(code: &str) -> anyhow::Result<ThemeCode> {
    ThemeCode::parse(code).ok_or_else(|| anyhow::anyhow!("unknown theme {code}"))
}

/// 2 to 5 themes, mostly from what their kind of reviewer usually knows, levels weighted
/// towards some and strong knowledge.
fn expertise(
    rng: &mut Rng,
    kind: ReviewerType,
) -> anyhow::Result<Vec<(ThemeCode, ExpertiseLevel)>> {
    let count = rng.weighted(&[(2usize, 25), (3, 35), (4, 25), (5, 15)]);
    let levels: &[(ExpertiseLevel, usize)] = match kind {
        ReviewerType::ParentCarer | ReviewerType::YoungAmbassador => &[
            (ExpertiseLevel::Some, 45),
            (ExpertiseLevel::Strong, 45),
            (ExpertiseLevel::Specialist, 10),
        ],
        _ => &[
            (ExpertiseLevel::Some, 35),
            (ExpertiseLevel::Strong, 45),
            (ExpertiseLevel::Specialist, 20),
        ],
    };
    let mut chosen: BTreeMap<&str, ExpertiseLevel> = BTreeMap::new();
    while chosen.len() < *count {
        let code = if rng.chance(80) {
            *rng.pick(usual_themes(kind))
        } else {
            *rng.pick(&ALL_THEMES)
        };
        let level = *rng.weighted(levels);
        chosen.entry(code).or_insert(level);
    }
    chosen
        .into_iter()
        .map(|(code, level)| Ok((theme(code)?, level)))
        .collect()
}

/// The generated members, deterministic from [`SEED`] for a given day.
fn generated_members(today: NaiveDate, now: DateTime<Utc>) -> anyhow::Result<Vec<ImportedMember>> {
    let mut rng = Rng(SEED);
    let mut kinds: Vec<ReviewerType> = MIX
        .iter()
        .flat_map(|(kind, count)| std::iter::repeat_n(*kind, *count))
        .collect();
    debug_assert_eq!(kinds.len(), GENERATED);
    // Shuffle (Fisher–Yates) so kinds are not in blocks.
    for index in (1..kinds.len()).rev() {
        let other = rng.below(index + 1);
        kinds.swap(index, other);
    }
    // Homes: the few from neighbouring regions exactly as OUTSIDE says, the rest spread over
    // the region by the authorities' sizes; shuffled like the kinds.
    let area_weights: Vec<(usize, usize)> = AREAS
        .iter()
        .enumerate()
        .map(|(index, area)| (index, area.weight))
        .collect();
    let mut homes: Vec<usize> = OUTSIDE
        .iter()
        .enumerate()
        .flat_map(|(index, (_, _, count))| std::iter::repeat_n(AREAS.len() + index, *count))
        .collect();
    while homes.len() < kinds.len() {
        homes.push(*rng.weighted(&area_weights));
    }
    for index in (1..homes.len()).rev() {
        let other = rng.below(index + 1);
        homes.swap(index, other);
    }
    let mut names = BTreeSet::new();
    let mut members = Vec::with_capacity(kinds.len());
    let mut paused = 0;
    for (index, (kind, pick)) in kinds.into_iter().zip(homes).enumerate() {
        let (first, last) = loop {
            let pair = (*rng.pick(&FIRST_NAMES), *rng.pick(&SURNAMES));
            if names.insert(pair) {
                break pair;
            }
        };
        let home = match AREAS.get(pick) {
            Some(area) => Home::Area(area),
            None => {
                let (region, council, _) = OUTSIDE[pick - AREAS.len()];
                Home::Outside(region, council)
            }
        };
        let designated = kind == ReviewerType::Health && rng.chance(35);
        let organisation = organisation(&mut rng, kind, designated, &home);
        let title = job(&mut rng, kind, designated);
        let years = rng.between(2, 25);
        let mut experience = match kind {
            ReviewerType::YoungAmbassador => {
                "Young ambassador: talks with children and young people about the support they get."
                    .to_owned()
            }
            ReviewerType::ParentCarer => format!("{title}. Parent of a child with SEND."),
            _ => format!("{title}, {years} years working in SEND."),
        };
        if rng.chance(25) {
            experience.push_str(" Has taken part in peer reviews in other areas.");
        } else if kind == ReviewerType::LaOfficer && rng.chance(10) {
            experience.push_str(" Former member of an area SEND inspection team.");
        }

        // Trained, waiting for training, or untrained but not asking for it. Parent carers
        // and young ambassadors are more often new to reviewing, so more of them wait.
        let (trained_share, waiting_share) = match kind {
            ReviewerType::ParentCarer | ReviewerType::YoungAmbassador => (50, 38),
            _ => (68, 17),
        };
        let roll = rng.below(100);
        let trained = roll < trained_share;
        let (needs_training, joined_days_ago) = if trained {
            (false, rng.between(120, 1600))
        } else if roll < trained_share + waiting_share {
            (true, rng.between(5, 420))
        } else {
            (false, rng.between(10, 700))
        };
        let joined_at = now - Duration::days(joined_days_ago);
        let trained_on = trained.then(|| {
            let after = joined_at.date_naive() + Duration::days(rng.between(0, 150));
            after.min(today - Duration::days(7))
        });

        let outside = matches!(home, Home::Outside(..));
        let online_only = match kind {
            ReviewerType::YoungAmbassador => rng.chance(50),
            _ if outside => rng.chance(55),
            _ => rng.chance(12),
        };
        let mut travel_to = Vec::new();
        if !online_only {
            match &home {
                Home::Area(area) => {
                    travel_to.push(slug(area.slug)?);
                    for _ in 0..rng.between(1, 3) {
                        travel_to.push(slug(rng.pick::<&str>(area.neighbours))?);
                    }
                }
                Home::Outside(..) => {
                    for _ in 0..rng.between(1, 2) {
                        travel_to.push(slug(rng.pick(&AREAS).slug)?);
                    }
                }
            }
            // How far people go, from a stream of its own so the rest of each person stays
            // as it was. In a regional scheme that pays expenses most reviewers who travel
            // at all go to every neighbouring area, and about a third anywhere in the
            // region; without that, small or edge areas such as North Northamptonshire
            // could not be staffed at all.
            let mut reach = Rng(SEED ^ ((u64::try_from(index).unwrap_or(0) + 1) << 20));
            if let Home::Area(area) = &home {
                for neighbour in area.neighbours {
                    travel_to.push(slug(neighbour)?);
                }
            }
            if reach.chance(35) {
                for area in &AREAS {
                    travel_to.push(slug(area.slug)?);
                }
            }
            travel_to.sort();
            travel_to.dedup();
        }

        let mut unavailable = Vec::new();
        if rng.chance(25) {
            for _ in 0..rng.between(1, 2) {
                let start = today + Duration::days(rng.between(10, 270));
                let end = start + Duration::days(rng.between(0, 13));
                unavailable.push(DateRange::new(start, end)?);
            }
        }

        let mut conflicts = Vec::new();
        let conflict_chance = match kind {
            ReviewerType::LaOfficer => 30,
            ReviewerType::Health | ReviewerType::Education | ReviewerType::SocialCare => 12,
            _ => 0,
        };
        if rng.chance(conflict_chance) {
            let home_slug = match &home {
                Home::Area(area) => Some(area.slug),
                Home::Outside(..) => None,
            };
            let previous = match home_slug.and_then(area) {
                Some(area) => self::area(rng.pick::<&str>(area.neighbours)),
                None => Some(rng.pick(&AREAS)),
            };
            if let Some(previous) = previous {
                let until = today.year() - i32::try_from(rng.between(1, 4)).unwrap_or(1);
                let employer = match kind {
                    ReviewerType::Health => previous.board,
                    _ => previous.council,
                };
                conflicts.push((
                    slug(previous.slug)?,
                    format!("Worked for {employer} until {until}"),
                ));
            }
        }

        let email = format!(
            "{}.{}@example.org",
            first.to_lowercase(),
            last.to_lowercase()
        );
        let profile = MemberProfile {
            name: PersonName::parse(&format!("{first} {last}"))
                .map_err(|problem| anyhow::anyhow!("{problem}"))?,
            email: EmailAddress::parse(&email).map_err(|problem| anyhow::anyhow!("{problem}"))?,
            phone: rng
                .chance(70)
                .then(|| format!("07700 900{:03}", rng.below(1000)))
                .map(|number| {
                    PhoneNumber::parse(&number).map_err(|problem| anyhow::anyhow!("{problem}"))
                })
                .transpose()?,
            reviewer_type: kind,
            organisation,
            home: match &home {
                Home::Area(area) => HomeArea::Authority(slug(area.slug)?),
                Home::Outside(region, _) => HomeArea::OutsideRegion((*region).to_owned()),
            },
            experience,
            adjustments: if rng.chance(8) {
                (*rng.pick(&ADJUSTMENTS)).to_owned()
            } else {
                String::new()
            },
            needs_training,
            trained_on,
            online_only,
            max_per_year: match kind {
                ReviewerType::YoungAmbassador => 2,
                _ => *rng.weighted(&[(2u8, 15), (3, 25), (4, 40), (6, 15), (8, 5)]),
            },
            expertise: expertise(&mut rng, kind)?,
            unavailable,
            conflicts,
            travel_to,
        };
        let status = if paused < 4 && rng.chance(4) {
            paused += 1;
            MemberStatus::Paused
        } else {
            MemberStatus::Active
        };
        members.push(ImportedMember {
            profile,
            user: None,
            joined_at,
            status,
        });
    }
    Ok(members)
}

/// The six demo reviewers, pool members linked to their accounts: experienced and trained.
fn demo_reviewers(
    accounts: &[(UserId, String)],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<ImportedMember>> {
    use ExpertiseLevel::{Some as Aware, Specialist, Strong};
    type Fixed = (
        ReviewerType,
        &'static str,
        &'static str,
        &'static str,
        [(&'static str, ExpertiseLevel); 3],
    );
    let fixed: [Fixed; 6] = [
        (
            ReviewerType::LaOfficer,
            "leicester",
            "Leicester City Council",
            "Head of SEND, 18 years working in SEND. Has led peer reviews in two regions.",
            [
                ("EHCP_QUALITY", Specialist),
                ("LEADERSHIP_GOVERNANCE", Strong),
                ("HIGH_NEEDS_FINANCE", Strong),
            ],
        ),
        (
            ReviewerType::LaOfficer,
            "derbyshire",
            "Derbyshire County Council",
            "SEND casework manager, 11 years working in SEND.",
            [
                ("EHCNA_TIMELINESS", Specialist),
                ("ANNUAL_REVIEWS", Strong),
                ("DISAGREEMENT_RESOLUTION", Aware),
            ],
        ),
        (
            ReviewerType::Health,
            "nottingham",
            "NHS Nottingham and Nottinghamshire ICB",
            "Designated Clinical Officer for SEND, 9 years working in SEND.",
            [
                ("HEALTH", Specialist),
                ("JOINT_COMMISSIONING", Strong),
                ("EHCP_QUALITY", Strong),
            ],
        ),
        (
            ReviewerType::Education,
            "lincolnshire",
            "Fernlea Academy, Lincolnshire",
            "SENCO, 14 years working in SEND.",
            [
                ("INCLUSION", Specialist),
                ("IDENTIFICATION", Strong),
                ("ATTENDANCE_EXCLUSIONS", Aware),
            ],
        ),
        (
            ReviewerType::ParentCarer,
            "derby",
            "Derby Parent Carer Forum",
            "Parent carer forum co-chair. Parent of a child with SEND.",
            [
                ("COPRODUCTION", Specialist),
                ("COMMUNICATION", Strong),
                ("TRANSITIONS", Aware),
            ],
        ),
        (
            ReviewerType::SocialCare,
            "leicestershire",
            "Leicestershire County Council, children's social care",
            "Disabled children's team manager, 16 years working in SEND.",
            [
                ("SOCIAL_CARE", Specialist),
                ("TRANSITIONS", Strong),
                ("PFA", Strong),
            ],
        ),
    ];
    let mut members = Vec::new();
    for (index, ((user, email), (kind, home, organisation, experience, themes))) in
        accounts.iter().zip(fixed).enumerate()
    {
        let home_area = area(home).ok_or_else(|| anyhow::anyhow!("unknown area {home}"))?;
        let offset = i64::try_from(index).unwrap_or(0);
        let mut travel_to = vec![slug(home)?];
        for neighbour in home_area.neighbours.iter().take(2) {
            travel_to.push(slug(neighbour)?);
        }
        let joined_at = now - Duration::days(700 + 45 * offset);
        let unavailable = if index == 4 {
            let start = today + Duration::days(40);
            vec![DateRange::new(start, start + Duration::days(9))?]
        } else {
            Vec::new()
        };
        let conflicts = if index == 0 {
            vec![(
                slug("leicestershire")?,
                "Worked for Leicestershire County Council until 2023".to_owned(),
            )]
        } else {
            Vec::new()
        };
        members.push(ImportedMember {
            profile: MemberProfile {
                name: PersonName::parse(REVIEWERS[index])
                    .map_err(|problem| anyhow::anyhow!("{problem}"))?,
                email: EmailAddress::parse(email)
                    .map_err(|problem| anyhow::anyhow!("{problem}"))?,
                phone: Some(
                    PhoneNumber::parse(&format!("07700 900{:03}", 101 + index))
                        .map_err(|problem| anyhow::anyhow!("{problem}"))?,
                ),
                reviewer_type: kind,
                organisation: organisation.to_owned(),
                home: HomeArea::Authority(slug(home)?),
                experience: experience.to_owned(),
                adjustments: String::new(),
                needs_training: false,
                trained_on: Some(joined_at.date_naive() + Duration::days(30)),
                online_only: false,
                max_per_year: 4,
                expertise: themes
                    .iter()
                    .map(|(code, level)| Ok((theme(code)?, *level)))
                    .collect::<anyhow::Result<_>>()?,
                unavailable,
                conflicts,
                travel_to,
            },
            user: Some(*user),
            joined_at,
            status: MemberStatus::Active,
        });
    }
    Ok(members)
}

/// Applications waiting for the project manager, one from an under-18 awaiting consent.
fn pending_applications(today: NaiveDate) -> Vec<ApplicationDraft> {
    let expertise = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(code, level)| ((*code).to_owned(), (*level).to_owned()))
            .collect()
    };
    let next_summer = today.year() + 1;
    vec![
        ApplicationDraft {
            full_name: "Rachel Naylor".into(),
            email: "rachel.naylor@example.net".into(),
            phone: "07700 900201".into(),
            reviewer_type: "parent_carer".into(),
            organisation: "Nottinghamshire Parent Carer Forum".into(),
            home_authority: "nottinghamshire".into(),
            expertise: expertise(&[("COPRODUCTION", "strong"), ("COMMUNICATION", "some")]),
            experience: "Forum steering group member for four years.".into(),
            needs_training: "yes".into(),
            online_only: "no".into(),
            travel_to: vec![
                "nottinghamshire".into(),
                "nottingham".into(),
                "derby".into(),
            ],
            privacy_agreed: true,
            ..ApplicationDraft::default()
        },
        ApplicationDraft {
            full_name: "Imran Hussain".into(),
            email: "imran.hussain@example.net".into(),
            reviewer_type: "la_officer".into(),
            organisation: "Lincolnshire County Council".into(),
            home_authority: "lincolnshire".into(),
            expertise: expertise(&[
                ("EHCNA_TIMELINESS", "strong"),
                ("ANNUAL_REVIEWS", "strong"),
                ("HIGH_NEEDS_FINANCE", "some"),
            ]),
            experience: "SEND team manager; took part in a peer review in Yorkshire.".into(),
            needs_training: "no".into(),
            online_only: "no".into(),
            travel_to: vec![
                "lincolnshire".into(),
                "nottinghamshire".into(),
                "rutland".into(),
            ],
            unavailable: vec![DateRangeAnswer {
                start_day: "1".into(),
                start_month: "8".into(),
                start_year: next_summer.to_string(),
                end_day: "21".into(),
                end_month: "8".into(),
                end_year: next_summer.to_string(),
            }],
            conflicts: vec![ConflictAnswer {
                authority: "nottinghamshire".into(),
                reason: "Worked for Nottinghamshire County Council until 2024".into(),
            }],
            privacy_agreed: true,
            ..ApplicationDraft::default()
        },
        ApplicationDraft {
            full_name: "Naomi Clarke".into(),
            email: "naomi.clarke@example.net".into(),
            reviewer_type: "health".into(),
            organisation: "NHS Leicester, Leicestershire and Rutland ICB".into(),
            home_authority: "leicester".into(),
            expertise: expertise(&[("HEALTH", "specialist"), ("SEMH", "strong")]),
            experience: "Designated Clinical Officer for SEND since 2022.".into(),
            needs_training: "no".into(),
            online_only: "yes".into(),
            privacy_agreed: true,
            ..ApplicationDraft::default()
        },
        ApplicationDraft {
            full_name: "Jordan Mistry".into(),
            email: "jordan.mistry@example.net".into(),
            reviewer_type: "young_ambassador".into(),
            age_band: "16_to_17".into(),
            guardian_email: "parent.of.jordan@example.net".into(),
            organisation: "Derby young people's SEND forum".into(),
            home_authority: "derby".into(),
            expertise: expertise(&[("COPRODUCTION", "some"), ("PFA", "some")]),
            needs_training: "yes".into(),
            online_only: "yes".into(),
            adjustments: "I would like my support worker to come with me.".into(),
            privacy_agreed: true,
            ..ApplicationDraft::default()
        },
        ApplicationDraft {
            full_name: "Fiona Webb".into(),
            email: "fiona.webb@example.net".into(),
            reviewer_type: "education".into(),
            organisation: "Meadowview Special School, Cambridgeshire".into(),
            home_authority: "outside".into(),
            outside_region: "East of England".into(),
            expertise: expertise(&[("INCLUSION", "strong"), ("TRANSITIONS", "some")]),
            needs_training: "yes".into(),
            online_only: "yes".into(),
            privacy_agreed: true,
            ..ApplicationDraft::default()
        },
    ]
}

/// The next training session, three weeks from now, with nobody invited yet.
fn planned_training(today: NaiveDate) -> anyhow::Result<NewTrainingSession> {
    let date = today + Duration::days(21);
    let at = |hour, minute| {
        NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(|| anyhow::anyhow!("bad time"))
    };
    let plan = SessionPlan {
        title: "Reviewer training: peer challenge in practice".into(),
        date,
        starts: at(9, 30)?,
        ends: at(15, 30)?,
        venue: Some("Regional training centre, Room 3, Nottingham".into()),
        online_link: Some("https://meet.example.org/peer-challenge-training".into()),
        capacity: 16,
        trainer: "Morgan Reid".into(),
    };
    Ok(NewTrainingSession::from(&plan))
}

/// Fill an empty pool: the six demo reviewers and 144 generated members in one
/// transaction, then the waiting applications and a planned training session. A pool that
/// already has members is left alone, so running the demo again duplicates nothing.
async fn seed_pool(
    store: &Store,
    reviewer_accounts: &[(UserId, String)],
    project_manager: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if !store.search_pool(&PoolFilter::default()).await?.is_empty() {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let today = domain::clock::uk_date(now);
    let mut members = demo_reviewers(reviewer_accounts, today, now)?;
    members.extend(generated_members(today, now)?);
    store
        .import_pool_members(&members, None, now)
        .await
        .context("the demo pool")?;
    let vocabulary = store.vocabulary().await?;
    for (index, draft) in pending_applications(today).iter().enumerate() {
        let application = draft
            .complete(&vocabulary)
            .map_err(|problems| anyhow::anyhow!("demo application {index}: {problems:?}"))?;
        store
            .submit_application(
                &SessionToken::from_cookie(&format!("demo-application-{index}")),
                draft,
                &application,
                now - Duration::days(12 - 2 * i64::try_from(index).unwrap_or(0)),
                |_| Vec::new(),
            )
            .await
            .context("a demo application")?;
    }
    store
        .create_training_session(&planned_training(today)?, project_manager, now)
        .await
        .context("the demo training session")?;
    tracing::info!(
        members = members.len(),
        elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        "demo pool seeded"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::application::{ApplicationStatus, Vocabulary};
    use domain::pool::AgeBand;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
    }

    fn now() -> DateTime<Utc> {
        uk_noon(today())
    }

    fn uk_noon(day: NaiveDate) -> DateTime<Utc> {
        domain::clock::uk_to_utc(day.and_time(NaiveTime::MIN) + Duration::hours(12))
    }

    #[test]
    fn the_pool_is_the_same_every_time_and_realistically_mixed() {
        let members = generated_members(today(), now()).unwrap_or_default();
        assert_eq!(members.len(), GENERATED);
        assert_eq!(
            members,
            generated_members(today(), now()).unwrap_or_default(),
            "a fixed seed"
        );
        for (kind, count) in MIX {
            assert_eq!(
                members
                    .iter()
                    .filter(|member| member.profile.reviewer_type == kind)
                    .count(),
                count,
                "{kind:?}"
            );
        }
        let emails: BTreeSet<_> = members
            .iter()
            .map(|member| member.profile.email.to_string())
            .collect();
        assert_eq!(emails.len(), members.len(), "no two people share an email");
        for area in &AREAS {
            let home = HomeArea::Authority(slug(area.slug).unwrap_or_else(|_| unreachable!()));
            let living_there = members
                .iter()
                .filter(|member| member.profile.home == home)
                .count();
            assert!(living_there >= 3, "{} has {living_there}", area.name);
        }
        let outside: BTreeSet<_> = members
            .iter()
            .filter_map(|member| match &member.profile.home {
                HomeArea::OutsideRegion(region) => Some(region.clone()),
                HomeArea::Authority(_) => None,
            })
            .collect();
        assert_eq!(outside.len(), 3, "{outside:?}");
        let outsiders = members
            .iter()
            .filter(|member| matches!(member.profile.home, HomeArea::OutsideRegion(_)))
            .count();
        assert!(
            (3..=20).contains(&outsiders),
            "a few from outside: {outsiders}"
        );

        let waiting = members
            .iter()
            .filter(|member| member.profile.needs_training && member.profile.trained_on.is_none())
            .count();
        let trained = members
            .iter()
            .filter(|member| member.profile.trained_on.is_some())
            .count();
        assert!(
            (15..=45).contains(&waiting),
            "waiting for training: {waiting}"
        );
        assert!(trained > members.len() / 2, "most are trained: {trained}");
        assert!(
            trained + waiting < members.len(),
            "some untrained and not waiting"
        );
        let paused = members
            .iter()
            .filter(|member| member.status == MemberStatus::Paused)
            .count();
        assert!((1..=4).contains(&paused), "a few paused: {paused}");
        for member in &members {
            let themes = member.profile.expertise.len();
            assert!((2..=5).contains(&themes), "{themes} themes");
            if let HomeArea::Authority(home) = &member.profile.home {
                assert!(
                    member
                        .profile
                        .conflicts
                        .iter()
                        .all(|(slug, _)| slug != home),
                    "a conflict is never their own authority, which is excluded anyway"
                );
            }
            assert!(member.profile.online_only || !member.profile.travel_to.is_empty());
            assert!(member.joined_at <= now());
        }
        assert!(
            members
                .iter()
                .any(|member| !member.profile.conflicts.is_empty())
        );
        assert!(
            members
                .iter()
                .any(|member| !member.profile.unavailable.is_empty())
        );
        assert!(
            members
                .iter()
                .any(|member| member.profile.organisation.contains("ICB"))
        );
        assert!(members.iter().any(|member| {
            member
                .profile
                .experience
                .starts_with("Designated Clinical Officer")
        }));
    }

    #[test]
    fn every_demo_application_is_complete() {
        let vocabulary = Vocabulary {
            authorities: AREAS
                .iter()
                .filter_map(|area| slug(area.slug).ok())
                .collect(),
            themes: ALL_THEMES
                .iter()
                .filter_map(|code| theme(code).ok())
                .collect(),
            authority_names: Default::default(),
        };
        let drafts = pending_applications(today());
        for draft in &drafts {
            if let Err(problems) = draft.complete(&vocabulary) {
                panic!("{}: {problems:?}", draft.full_name);
            }
        }
        assert!(
            drafts.iter().any(|draft| {
                AgeBand::parse(&draft.age_band).is_some_and(AgeBand::needs_consent)
            })
        );
    }

    #[tokio::test]
    async fn seeding_twice_duplicates_nothing() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let url = format!(
            "sqlite://{}?mode=rwc",
            folder.path().join("demo.db").display()
        );
        let store = Store::open(&url)
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        seed(&store, DEFAULT_PASSWORD, &services::Settings::default())
            .await
            .unwrap_or_else(|error| panic!("{error:#}"));
        seed(&store, DEFAULT_PASSWORD, &services::Settings::default())
            .await
            .unwrap_or_else(|error| panic!("{error:#}"));

        let pool = store
            .search_pool(&PoolFilter::default())
            .await
            .unwrap_or_default();
        assert_eq!(pool.len(), GENERATED + REVIEWERS.len());
        for index in 1..=REVIEWERS.len() {
            let email = EmailAddress::parse(&format!("reviewer{index}@example.org"))
                .unwrap_or_else(|problem| panic!("{problem}"));
            let (account, _) = store
                .credentials(&email)
                .await
                .unwrap_or_default()
                .unwrap_or_else(|| panic!("reviewer{index} has an account"));
            let member = store
                .pool_member_for_user(account)
                .await
                .unwrap_or_default()
                .unwrap_or_else(|| panic!("reviewer{index} is a pool member"));
            assert_eq!(member.profile.email, email);
            assert!(member.is_trained());
        }
        let applications = store
            .applications(&ApplicationStatus::OPEN)
            .await
            .unwrap_or_default();
        assert_eq!(applications.len(), 5);
        assert_eq!(
            applications
                .iter()
                .filter(|application| application.status == ApplicationStatus::AwaitingConsent)
                .count(),
            1
        );
        assert_eq!(store.training_sessions().await.unwrap_or_default().len(), 1);
        assert!(
            store
                .training_demand(Utc::now())
                .await
                .unwrap_or_default()
                .waiting
                >= 15
        );
    }
}
