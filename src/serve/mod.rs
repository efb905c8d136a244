//! `almanac serve`: the site rendered in memory, served over HTTP, rebuilt
//! when a file changes, with open pages reloaded.
//!
//! Vocabulary: a *generation* counts successful or failed rebuilds; pages
//! long-poll `/__almanac/livereload?gen=N` and reload when it moves on. A
//! failed rebuild keeps serving the last good site, with the error laid
//! over every page. The server only serves what the pipeline rendered: no
//! path from a request ever reaches the file system.

mod http;
mod watch;

use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::pipeline::{BuildOptions, Session};
use crate::session::Files;

/// What the HTTP threads read and the rebuilds replace.
struct State {
    files: Arc<Files>,
    generation: u64,
    error: Option<String>,
}

/// State plus the signal that it changed.
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn snapshot(&self) -> (Arc<Files>, u64, Option<String>) {
        let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        (s.files.clone(), s.generation, s.error.clone())
    }
}

/// A running dev server.
pub struct DevServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    session: Mutex<Session>,
    http: Arc<tiny_http::Server>,
    accept: Option<JoinHandle<()>>,
}

impl DevServer {
    /// Binds `bind` (such as `127.0.0.1:1111`, or port 0 for any), builds the
    /// site with that address as its base URL, and starts serving.
    pub fn start(mut opts: BuildOptions, bind: &str) -> Result<DevServer> {
        let unavailable = |e: &dyn std::fmt::Display| {
            Error::Unavailable(
                Diagnostic::error(format!("cannot listen on {bind}: {e}"))
                    .help("pick another port with --port, or stop the program using this one"),
            )
        };
        let listener = listen(bind).map_err(|e| unavailable(&e))?;
        let http = tiny_http::Server::from_listener(listener, None).map_err(|e| unavailable(&e))?;
        let addr = http.server_addr().to_ip().ok_or_else(|| {
            Error::Unavailable(Diagnostic::error(format!(
                "cannot listen on {bind}: not an IP address"
            )))
        })?;
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        opts.base_url = Some(format!("http://{host}:{}", addr.port()));
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                files: Arc::new(Files::new()),
                generation: 0,
                error: None,
            }),
            changed: Condvar::new(),
        });
        let mut server = DevServer {
            addr,
            shared,
            session: Mutex::new(Session::new(opts)),
            http: Arc::new(http),
            accept: None,
        };
        // Requests wait in the listen queue until the first build is in memory.
        let _ = server.rebuild_now();
        let (http, shared) = (server.http.clone(), server.shared.clone());
        server.accept = Some(std::thread::spawn(move || http::accept(&http, &shared)));
        Ok(server)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The current generation.
    pub fn generation(&self) -> u64 {
        self.shared.snapshot().1
    }

    /// The error of the last rebuild, if it failed.
    pub fn error(&self) -> Option<String> {
        self.shared.snapshot().2
    }

    /// Rebuilds now; on failure the last good site stays up with the error shown.
    /// Returns what to print.
    pub fn rebuild_now(&self) -> std::result::Result<String, String> {
        self.rebuild(None)
    }

    /// Rebuilds after the files at `paths` changed, redoing only what they touch.
    pub fn rebuild_paths(
        &self,
        paths: &[std::path::PathBuf],
    ) -> std::result::Result<String, String> {
        self.rebuild(Some(paths))
    }

    fn rebuild(&self, paths: Option<&[std::path::PathBuf]>) -> std::result::Result<String, String> {
        let started = Instant::now();
        let result = {
            let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
            match paths {
                Some(p) => session.apply(p),
                None => session.render(),
            }
        };
        let mut state = self.shared.state.lock().unwrap_or_else(|p| p.into_inner());
        state.generation += 1;
        let report = match result {
            Ok(site) => {
                state.files = site.files.clone();
                state.error = None;
                let warnings: Vec<String> = site.warnings.iter().map(ToString::to_string).collect();
                let (pages, _, _) = site.counts;
                let stages: Vec<String> = site
                    .timings
                    .stages
                    .iter()
                    .map(|(s, t)| format!("{s} {:.0}", t.as_secs_f64() * 1000.0))
                    .collect();
                let mut msg = format!(
                    "Rendered {} of {} files ({pages} pages) in {} ms ({} ms)",
                    site.rendered.len(),
                    site.files.len(),
                    started.elapsed().as_millis(),
                    stages.join(", ")
                );
                for w in warnings {
                    msg.push_str("\n\n");
                    msg.push_str(&w);
                }
                Ok(msg)
            }
            Err(e) => {
                let text = e.to_string();
                state.error = Some(text.clone());
                Err(text)
            }
        };
        drop(state);
        self.shared.changed.notify_all();
        report
    }

    /// Stops serving.
    pub fn shutdown(mut self) {
        self.http.unblock();
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

/// Options of `almanac serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build.
    pub build: BuildOptions,
    /// Address to listen on.
    pub bind: String,
    /// Port; `None` for 1111, or the next free port when it is taken.
    pub port: Option<u16>,
    /// Open a browser.
    pub open: bool,
}

/// A listening socket whose connections send each write at once. Without
/// TCP_NODELAY a response written in two parts waits for the browser's
/// delayed ACK: 40 ms per page on a keep-alive connection. Accepted
/// sockets inherit the option from the listener.
fn listen(bind: &str) -> std::io::Result<std::net::TcpListener> {
    use std::net::ToSocketAddrs;
    let addr = bind
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no address"))?;
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::STREAM,
        Some(socket2::Protocol::TCP),
    )?;
    socket.set_tcp_nodelay(true)?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// The port `serve` listens on unless told otherwise.
const DEFAULT_PORT: u16 = 1111;

/// Starts on the default port, or, when another server has it (the
/// example site from the README still running, say), on the next free
/// one, saying so, as `hugo server` does.
fn start_on_a_free_port(build: BuildOptions, bind: &str) -> Result<DevServer> {
    let mut first_error = None;
    for port in DEFAULT_PORT..DEFAULT_PORT + 20 {
        let taken = std::net::TcpListener::bind((bind, port)).is_err();
        if taken {
            continue;
        }
        match DevServer::start(build.clone(), &format!("{bind}:{port}")) {
            Ok(server) => {
                if port != DEFAULT_PORT {
                    eprintln!("Port {DEFAULT_PORT} is in use; serving on port {port} instead.");
                }
                return Ok(server);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| {
        Error::Unavailable(
            Diagnostic::error(format!(
                "ports {DEFAULT_PORT} to {} on {bind} are all in use",
                DEFAULT_PORT + 19
            ))
            .help("pick a port with --port"),
        )
    }))
}

/// Runs the dev server until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<()> {
    let root = opts.build.root.clone();
    let watch = watch::start(&root)?;
    let server = match opts.port {
        Some(port) => DevServer::start(opts.build, &format!("{}:{port}", opts.bind))?,
        None => start_on_a_free_port(opts.build, &opts.bind)?,
    };
    match server.error() {
        None => eprintln!("Built the site."),
        Some(e) => eprintln!("{e}\n(serving an error page until the site builds)"),
    }
    let url = format!("http://{}", server.addr());
    println!("Serving {} at {url} — press Ctrl+C to stop", root.display());
    if !server.addr().ip().is_loopback() {
        eprintln!(
            "warning: bound to {}: the site and its drafts are now reachable from the network; use --bind 127.0.0.1 to keep it on this machine",
            server.addr().ip()
        );
    }
    if opts.open {
        open_browser(&url);
    }
    watch.rebuild_on_change(|paths| match server.rebuild_paths(paths) {
        Ok(msg) => eprintln!("{msg}"),
        Err(e) => eprintln!("{e}\n(still serving the last good build)"),
    });
    Ok(())
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        // The launcher exits once the browser has the URL; waiting for it
        // on a thread of its own reaps it instead of leaving a zombie for
        // as long as the server runs.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("could not open a browser; visit {url}"),
    }
}
