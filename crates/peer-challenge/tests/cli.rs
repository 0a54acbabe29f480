//! The binary as an operator uses it: help, migrations twice, creating an account with the
//! password on standard input, backups and restores, and the server surviving `kill -9`.

// Beside this file in cli/, not in tests/ itself, where Cargo would build each as a test
// binary of its own.
#[path = "cli/backups.rs"]
mod backups;
#[path = "cli/beside_server.rs"]
mod beside_server;
#[path = "cli/biennial.rs"]
mod biennial;
#[path = "cli/crash.rs"]
mod crash;
#[path = "cli/indicators.rs"]
mod indicators;
#[path = "cli/load.rs"]
mod load;
#[path = "cli/overviews.rs"]
mod overviews;
#[path = "cli/staffing.rs"]
mod staffing;

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub(crate) fn peer_challenge(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args(args)
        .env("PEER_CHALLENGE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("the binary finishes")
}

#[test]
fn help_lists_every_command() {
    let output = peer_challenge(&["--help"], "");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for command in [
        "serve",
        "demo",
        "migrate",
        "create-user",
        "purge",
        "challenges",
        "backup",
        "restore",
        "team",
    ] {
        assert!(help.contains(command), "{command} in:\n{help}");
    }
}

#[test]
fn migrating_twice_then_creating_an_account() {
    let data = tempfile::tempdir().expect("data folder");
    let dir = data.path().to_str().expect("utf-8 path");
    for _ in 0..2 {
        let output = peer_challenge(&["migrate", "--data-dir", dir], "");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(data.path().join("peer-challenge.db").exists());

    let args = [
        "create-user",
        "--data-dir",
        dir,
        "--email",
        "Lead.Rutland@Example.org",
        "--name",
        "Rutland Lead",
    ];
    let created = peer_challenge(
        &[&args[..], &["--role", "la_lead", "--authority", "rutland"]].concat(),
        "a long enough passphrase\n",
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let url = format!(
        "sqlite://{}?mode=rw",
        data.path().join("peer-challenge.db").display()
    );
    let signs_in = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = store::Store::connect(&url).await.expect("database");
            let email = domain::EmailAddress::parse("lead.rutland@example.org").expect("email");
            let (id, hash) = store
                .credentials(&email)
                .await
                .expect("query")
                .expect("the account exists");
            let principal = store
                .principal(id)
                .await
                .expect("query")
                .expect("principal");
            assert!(
                principal
                    .led_authorities()
                    .any(|led| led.as_str() == "rutland")
            );
            hash.is_some_and(|hash| hash.matches("a long enough passphrase"))
        });
    assert!(
        signs_in,
        "the password from standard input is the account's password"
    );

    let weak = peer_challenge(&[&args[..], &["--role", "board"]].concat(), "short\n");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("12 characters"));

    let unscoped = peer_challenge(
        &[&args[..], &["--role", "la_lead"]].concat(),
        "a long enough passphrase\n",
    );
    assert!(String::from_utf8_lossy(&unscoped.stderr).contains("Select the local authority"));

    let unknown = peer_challenge(
        &[&args[..], &["--role", "admin"]].concat(),
        "a long enough passphrase\n",
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("expected one of"));
}

#[test]
fn settings_come_from_a_file_then_the_environment() {
    let file_dir = tempfile::tempdir().expect("folder");
    let env_dir = tempfile::tempdir().expect("folder");
    let config = file_dir.path().join("peer-challenge.toml");
    std::fs::write(
        &config,
        format!("data_dir = {:?}\n", file_dir.path().join("from-file")),
    )
    .expect("config file");

    let from_file = peer_challenge(&["migrate", "--config", config.to_str().expect("path")], "");
    assert!(
        from_file.status.success(),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    assert!(file_dir.path().join("from-file/peer-challenge.db").exists());

    let overridden = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args(["migrate", "--config", config.to_str().expect("path")])
        .env("PEER_CHALLENGE_DATA_DIR", env_dir.path())
        .output()
        .expect("runs");
    assert!(overridden.status.success());
    assert!(
        env_dir.path().join("peer-challenge.db").exists(),
        "the environment overrides the file"
    );

    let typo = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args(["migrate"])
        .env("PEER_CHALLENGE_DATA_DIR", env_dir.path())
        .env("PEER_CHALLENGE_SESSION_IDLE_MINUTES", "an hour")
        .output()
        .expect("runs");
    assert!(
        !typo.status.success(),
        "a bad value stops start-up instead of being ignored"
    );
}

/// `purge` deletes what the retention rules no longer keep, under the configured period,
/// and prints the counts.
#[test]
fn purge_deletes_old_personal_data_and_prints_counts() {
    use chrono::{Duration, Utc};
    use domain::pool::{HomeArea, MemberProfile, MemberStatus, ReviewerType};

    let data = tempfile::tempdir().expect("data folder");
    let dir = data.path().to_str().expect("utf-8 path");
    let migrated = peer_challenge(&["migrate", "--data-dir", dir], "");
    assert!(migrated.status.success());
    let url = format!(
        "sqlite://{}?mode=rw",
        data.path().join("peer-challenge.db").display()
    );
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = store::Store::connect(&url).await.expect("database");
            let now = Utc::now();
            let profile = |email: &str| MemberProfile {
                name: domain::PersonName::parse("Former Member").expect("name"),
                email: domain::EmailAddress::parse(email).expect("email"),
                phone: None,
                reviewer_type: ReviewerType::Education,
                organisation: "A school".into(),
                home: HomeArea::Authority(domain::AuthoritySlug::parse("rutland").expect("slug")),
                experience: String::new(),
                adjustments: String::new(),
                needs_training: false,
                trained_on: None,
                online_only: false,
                max_per_year: 4,
                expertise: vec![],
                unavailable: vec![],
                conflicts: vec![],
                travel_to: vec![],
            };
            // Left 20 and 8 months ago.
            for (email, months) in [
                ("left.long.ago@example.org", 20),
                ("left.lately@example.org", 8),
            ] {
                let id = store
                    .add_pool_member(&profile(email), None, None, now - Duration::days(900))
                    .await
                    .expect("member");
                store
                    .set_member_status(
                        id,
                        MemberStatus::Left,
                        None,
                        now - Duration::days(30 * months),
                    )
                    .await
                    .expect("leave");
            }
            store.close().await.expect("close");
        });

    let purged = peer_challenge(&["purge", "--data-dir", dir], "");
    assert!(
        purged.status.success(),
        "{}",
        String::from_utf8_lossy(&purged.stderr)
    );
    let printed = String::from_utf8_lossy(&purged.stdout);
    assert!(printed.contains("Retention period: 12 months"), "{printed}");
    assert!(printed.contains("Former members deleted: 1"), "{printed}");
    assert!(printed.contains("Applications deleted: 0"), "{printed}");

    // A shorter period from the environment takes the other one too.
    let shorter = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args(["purge", "--data-dir", dir])
        .env("PEER_CHALLENGE_LOG", "warn")
        .env("PEER_CHALLENGE_RETENTION_MONTHS", "6")
        .output()
        .expect("the binary runs");
    assert!(
        shorter.status.success(),
        "{}",
        String::from_utf8_lossy(&shorter.stderr)
    );
    let printed = String::from_utf8_lossy(&shorter.stdout);
    assert!(printed.contains("Retention period: 6 months"), "{printed}");
    assert!(printed.contains("Former members deleted: 1"), "{printed}");
}

/// The demo serves, reports health and metrics, and stops cleanly on SIGTERM.
#[test]
fn the_demo_serves_and_shuts_down_gracefully() {
    let data = tempfile::tempdir().expect("data folder");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args([
            "demo",
            "--data-dir",
            data.path().to_str().expect("path"),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("PEER_CHALLENGE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the demo starts");
    let get = |path: &str| -> Option<String> {
        use std::io::Read;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        Some(response)
    };
    let mut health = None;
    for _ in 0..300 {
        health = get("/healthz");
        if health.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let health = health.expect("the demo answers within 30 seconds");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    get("/").expect("home page");
    let metrics = get("/metrics").expect("metrics");
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/healthz\""));

    let terminated = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(terminated.success());
    let status = server.wait().expect("the demo exits");
    assert!(
        status.success(),
        "a clean exit after SIGTERM, not {status:?}"
    );
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut server.stdout.take().expect("stdout"), &mut printed)
        .expect("stdout");
    assert!(
        printed.contains("coordinator@example.org") && printed.contains("peer-challenge-demo"),
        "{printed}"
    );
}

#[test]
fn solve_reads_and_writes_the_plain_assignment_form() {
    let dir = tempfile::tempdir().expect("folder");
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("path").to_owned()
    };
    let scores = file(
        "scores.csv",
        "challenge,reviewer,score\nc1,alice,0.9\nc1,bob,0.5\nc1,carol,0.7\nc2,alice,0.8\nc2,bob,0.6\nc2,carol,0.1\n",
    );
    let constraints = file("constraints.csv", "c2,carol,1\nc1,alice,-1\n");
    let max_load = file("max_load.csv", "reviewer,max\nalice,1\nbob,2\ncarol,2\n");
    let output = dir.path().join("result.json");
    let run = peer_challenge(
        &[
            "solve",
            "--scores",
            &scores,
            "--constraints",
            &constraints,
            "--max-load",
            &max_load,
            "--team-size",
            "2",
            "--output",
            output.to_str().expect("path"),
        ],
        "",
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let result: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).expect("result")).expect("json");
    let users = |challenge: &str| -> Vec<&str> {
        result[challenge]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|member| member["user"].as_str())
            .collect()
    };
    assert_eq!(users("c1"), ["carol", "bob"], "alice is forbidden on c1");
    assert_eq!(users("c2"), ["alice", "carol"], "carol is forced onto c2");

    let bad = file("bad.csv", "c1,alice,0.9\nc1,bob,high\n");
    let refused = peer_challenge(
        &[
            "solve",
            "--scores",
            &bad,
            "--constraints",
            &constraints,
            "--max-load",
            &max_load,
            "--team-size",
            "2",
        ],
        "",
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("row 2, column 3"));
}

#[test]
fn solve_reads_a_json_problem_and_explains_the_team() {
    let dir = tempfile::tempdir().expect("folder");
    let problem = serde_json::json!({
        "challenges": [{
            "id": "derby-2027-03", "dates": ["2027-03-12"], "host_authority": "derby", "host_nhs_board": "ddicb",
            "themes": ["EHCP_QUALITY"],
            "seats": [{"role": "la_officer", "count": 1}, {"role": "parent_carer"}]
        }],
        "reviewers": [
            {"id": "r1", "roles": ["la_officer"], "home_authority": "leicester", "nhs_board": "llr", "expertise": {"EHCP_QUALITY": "specialist"}, "max_per_year": 4},
            {"id": "r2", "roles": ["la_officer"], "home_authority": "derby", "nhs_board": "ddicb", "expertise": {"EHCP_QUALITY": "specialist"}, "max_per_year": 4},
            {"id": "r3", "roles": ["parent_carer"], "home_authority": "rutland", "nhs_board": "llr", "max_per_year": 4}
        ]
    });
    let input = dir.path().join("problem.json");
    std::fs::write(&input, problem.to_string()).expect("write");
    let run = peer_challenge(
        &[
            "solve",
            "--input",
            input.to_str().expect("path"),
            "--time-limit",
            "5",
        ],
        "",
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let outcome: serde_json::Value =
        serde_json::from_slice(&run.stdout).expect("json on standard output");
    assert_eq!(outcome["outcome"], "solved");
    let team = &outcome["solution"]["teams"][0];
    let members: Vec<&str> = team["seats"]
        .as_array()
        .expect("seats")
        .iter()
        .flat_map(|seat| seat["members"].as_array().into_iter().flatten())
        .filter_map(|member| member["reviewer"].as_str())
        .collect();
    assert_eq!(members, ["r1", "r3"], "r2 works for the host authority");
}

/// `challenges list` prints an aligned table, filters by state, and refuses an unknown state
/// with the valid codes.
#[test]
fn challenges_list_prints_a_table_and_filters_by_state() {
    use domain::challenge::{ChallengeKind, ChallengeRequest, Kloe, VisitFormat};
    use domain::lifecycle::ChallengeState;

    let data = tempfile::tempdir().expect("data folder");
    let dir = data.path().to_str().expect("utf-8 path");
    let empty = peer_challenge(&["challenges", "list", "--data-dir", dir], "");
    assert!(
        empty.status.success(),
        "{}",
        String::from_utf8_lossy(&empty.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&empty.stdout), "No challenges.\n");

    let url = format!(
        "sqlite://{}?mode=rw",
        data.path().join("peer-challenge.db").display()
    );
    let ids = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = store::Store::connect(&url).await.expect("database");
            let now = chrono::Utc::now();
            let rutland = domain::AuthoritySlug::parse("rutland").expect("slug");
            let account = store::NewUser {
                name: domain::PersonName::parse("Rutland SEND lead").expect("name"),
                email: domain::EmailAddress::parse("lead.rutland@example.org").expect("email"),
                grants: vec![
                    domain::RoleGrant::new(domain::Role::LaLead, Some(rutland)).expect("grant"),
                ],
            };
            let user = store
                .ensure_user(&account, &domain::PasswordHash::for_demo("unused"), now)
                .await
                .expect("account");
            let lead = store
                .principal(user)
                .await
                .expect("query")
                .expect("principal");
            let mut ids = Vec::new();
            for (authority, kind) in [
                ("rutland", ChallengeKind::OneDay),
                ("north-northamptonshire", ChallengeKind::TwoDay),
            ] {
                let request = ChallengeRequest {
                    kind,
                    format: VisitFormat::Hybrid,
                    partners: vec![],
                    windows: vec![],
                    focus: "Preparing for adulthood".into(),
                    kloes: vec![Kloe {
                        question: "How well are young people prepared for adulthood?".into(),
                        themes: vec![domain::ThemeCode::parse("PFA").expect("theme")],
                    }],
                };
                let slug = domain::AuthoritySlug::parse(authority).expect("slug");
                ids.push(
                    store
                        .request_challenge(&lead, &slug, &request, now)
                        .await
                        .expect("request"),
                );
            }
            store
                .move_challenge(
                    &lead,
                    ids[1],
                    ChallengeState::Requested,
                    ChallengeState::Scoping,
                    None,
                    now,
                )
                .await
                .expect("move");
            store.close().await.expect("close");
            ids
        });

    let all = peer_challenge(&["challenges", "list", "--data-dir", dir], "");
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    let printed = String::from_utf8_lossy(&all.stdout);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 3, "{printed}");
    let header = lines[0];
    for (column, name) in ["ID", "REFERENCE", "AUTHORITY", "KIND", "STATE"]
        .iter()
        .enumerate()
    {
        let at = header.find(name).expect("a column");
        if column > 0 {
            assert_eq!(&header[at - 2..at], "  ", "columns apart: {header}");
        }
    }
    let column = |name: &str| header.find(name).expect("a column");
    let rutland = lines
        .iter()
        .find(|line| line.contains("rutland"))
        .expect("the Rutland challenge");
    assert!(rutland.starts_with(&ids[0].to_string()), "{printed}");
    assert_eq!(rutland.find("rutland"), Some(column("AUTHORITY")));
    assert_eq!(rutland.find("one_day"), Some(column("KIND")));
    assert_eq!(rutland.find("requested"), Some(column("STATE")));
    assert!(printed.contains("north-northamptonshire  two_day  scoping"));

    let scoping = peer_challenge(
        &[
            "challenges",
            "list",
            "--data-dir",
            dir,
            "--state",
            "scoping",
        ],
        "",
    );
    let printed = String::from_utf8_lossy(&scoping.stdout);
    assert_eq!(printed.lines().count(), 2, "{printed}");
    assert!(printed.contains(&ids[1].to_string()));

    let closed = peer_challenge(
        &["challenges", "list", "--data-dir", dir, "--state", "closed"],
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&closed.stdout),
        "No challenges in state closed.\n"
    );

    let unknown = peer_challenge(
        &[
            "challenges",
            "list",
            "--data-dir",
            dir,
            "--state",
            "finished",
        ],
        "",
    );
    assert!(!unknown.status.success());
    let complaint = String::from_utf8_lossy(&unknown.stderr);
    for state in ChallengeState::ALL {
        assert!(complaint.contains(state.code()), "{complaint}");
    }
}
