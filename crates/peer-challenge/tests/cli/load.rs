//! A real server process and a write load against it: several signed-in clients creating
//! training sessions over plain HTTP, each remembering the writes the server acknowledged.
//! Training sessions are the load because a co-ordinator may create any number of them and
//! the store lists them back by title.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const COORDINATOR: &str = "coordinator@example.org";
pub const DEMO_PASSWORD: &str = "peer-challenge-demo";

/// A `peer-challenge demo` process on a port of its own.
pub struct Server {
    pub port: u16,
    child: Child,
}

impl Server {
    /// Start the demo on `data_dir` (and `database_url`, if given) and wait until it answers.
    pub fn start(data_dir: &std::path::Path, database_url: Option<&str>) -> Self {
        Self::start_with(data_dir, database_url, &[])
    }

    /// As [`Server::start`], with these environment variables set too.
    pub fn start_with(
        data_dir: &std::path::Path,
        database_url: Option<&str>,
        env: &[(&str, &std::path::Path)],
    ) -> Self {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_peer-challenge"));
        command
            .args(["demo", "--addr", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(data_dir)
            .env("PEER_CHALLENGE_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(url) = database_url {
            command.args(["--database-url", url]);
        }
        command.envs(env.iter().copied());
        let child = command.spawn().expect("the demo starts");
        let mut server = Self { port, child };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(health) = send(port, "GET", "/healthz", None, None)
                && health.status == 200
            {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited before answering: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "the server answers within 30 seconds"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no graceful shutdown, no checkpoint, whatever was in flight is cut off.
    pub fn kill_hard(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub cookie: Option<String>,
    pub body: String,
}

/// One HTTP/1.1 request on its own connection.
pub fn send(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(15)))?;
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    let body = form.unwrap_or("");
    if form.is_some() {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no complete response")
    })?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status"))?;
    let cookie = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("set-cookie")
            .then(|| value.trim().split(';').next().unwrap_or("").to_owned())
    });
    Ok(Response {
        status,
        cookie,
        body: body.to_owned(),
    })
}

fn form_token(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker).expect("a form token on the page") + marker.len();
    let end = body[start..].find('"').expect("the token ends") + start;
    body[start..end].to_owned()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A browser signed in as the demo's co-ordinator: its session cookie and form token, both
/// kept in the database, so they outlive a restart of the server.
#[derive(Clone, Debug)]
pub struct Client {
    cookie: String,
    token: String,
}

impl Client {
    pub fn sign_in(port: u16) -> Self {
        let page = send(port, "GET", "/sign-in", None, None).expect("sign-in page");
        let cookie = page.cookie.expect("a browser cookie");
        let form = format!(
            "email={}&password={}&csrf_token={}",
            encode(COORDINATOR),
            encode(DEMO_PASSWORD),
            encode(&form_token(&page.body))
        );
        let signed_in =
            send(port, "POST", "/sign-in", Some(&cookie), Some(&form)).expect("signs in");
        assert_eq!(signed_in.status, 303, "{}", signed_in.body);
        let cookie = signed_in.cookie.expect("a new cookie at sign-in");
        let page = send(port, "GET", "/training/new", Some(&cookie), None).expect("form");
        assert_eq!(page.status, 200, "{}", page.body);
        Self {
            token: form_token(&page.body),
            cookie,
        }
    }

    /// Create a training session titled `title`; the status the server answered, or an
    /// error if the connection failed (the server is gone).
    pub fn create_training_session(&self, port: u16, title: &str) -> std::io::Result<u16> {
        let form = format!(
            "title={}&date-day=12&date-month=6&date-year=2027&starts=10%3A00&ends=12%3A30\
             &venue=County+Hall&online_link=&capacity=20&trainer=Load+Test&csrf_token={}",
            encode(title),
            encode(&self.token)
        );
        send(
            port,
            "POST",
            "/training/new",
            Some(&self.cookie),
            Some(&form),
        )
        .map(|response| response.status)
    }
}

/// What a load saw: the titles acknowledged with a redirect, and every other answer.
#[derive(Debug, Default)]
pub struct Tally {
    pub acknowledged: Vec<String>,
    pub refused: Vec<u16>,
    pub cut_off: usize,
}

/// Writers running until told to stop or until the server goes away.
pub struct Load {
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
    writers: Vec<JoinHandle<()>>,
}

impl Load {
    pub fn start(port: u16, clients: &[Client], label: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let tally = Arc::new(Mutex::new(Tally::default()));
        let writers = clients
            .iter()
            .enumerate()
            .map(|(writer, client)| {
                let (stop, tally, client) = (stop.clone(), tally.clone(), client.clone());
                let label = label.to_owned();
                std::thread::spawn(move || {
                    for n in 0.. {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let title = format!("{label} writer {writer} write {n}");
                        let answer = client.create_training_session(port, &title);
                        let mut tally = tally.lock().expect("tally");
                        match answer {
                            // Only a redirect means the row was committed: it is the
                            // handler's answer after the store's transaction returned.
                            Ok(303) => tally.acknowledged.push(title),
                            Ok(status) => tally.refused.push(status),
                            Err(_) => {
                                tally.cut_off += 1;
                                return;
                            }
                        }
                    }
                })
            })
            .collect();
        Self {
            stop,
            tally,
            writers,
        }
    }

    /// The titles acknowledged so far (a write still in flight is not among them).
    pub fn acknowledged_so_far(&self) -> Vec<String> {
        self.tally.lock().expect("tally").acknowledged.clone()
    }

    pub fn finish(self) -> Tally {
        self.stop.store(true, Ordering::Relaxed);
        self.join()
    }

    /// The tally once the server has been killed: no stop is asked for, so every writer goes
    /// on until its next request fails. (Asking them to stop raced with the kill: a writer
    /// between two requests could see the stop first, on a busy machine, and never meet the
    /// dead server.)
    pub fn finish_after_kill(self) -> Tally {
        self.join()
    }

    fn join(self) -> Tally {
        for writer in self.writers {
            writer.join().expect("a writer thread");
        }
        Arc::try_unwrap(self.tally)
            .expect("writers have finished")
            .into_inner()
            .expect("tally")
    }
}

/// Every title in `acknowledged` the database does not hold, read through the store.
pub async fn missing_titles(store: &store::Store, acknowledged: &[String]) -> Vec<String> {
    let held: std::collections::HashSet<String> = store
        .training_sessions()
        .await
        .expect("training sessions")
        .into_iter()
        .map(|session| session.title)
        .collect();
    acknowledged
        .iter()
        .filter(|title| !held.contains(*title))
        .cloned()
        .collect()
}
