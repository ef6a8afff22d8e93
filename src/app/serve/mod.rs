//! `gwlint serve`: a page on this machine where a draft is pasted or dropped and checked.
//! A thin shell over the engine entry points the CLI uses (see [`api`]); the page itself
//! (HTML, JS, CSS in `page/`) is compiled into the binary, loads nothing from the network
//! and talks only to this server.
//!
//! - [`api`]: the requests and their answers (pure);
//! - [`guard`]: loopback address, Host / Origin checks, body limit (pure);
//! - [`http`]: axum routes on a single-threaded tokio runtime; the engine runs on the
//!   blocking pool.
//!
//! Nothing is written to disk and no path from a request is ever opened.

#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod api;
pub mod guard;
pub mod http;

use crate::app::workspace::{load_rules, RuleSourceArgs};
use crate::app::EXIT_ERROR;
use std::io::Write;
use std::sync::Arc;

/// The port used when `--port` is not given.
pub const DEFAULT_PORT: u16 = 8707;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 127.0.0.1 上的端口（0 表示任选一个空闲端口）；只在本机地址上监听
    #[arg(long, default_value_t = DEFAULT_PORT, value_name = "N")]
    pub port: u16,
    /// 用默认浏览器打开页面
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub rules: RuleSourceArgs,
}

/// Serve until the process is stopped. Returns the exit code (2 when the rules do not
/// load or the port cannot be had).
pub fn run(args: &ServeArgs) -> i32 {
    let rules = match load_rules(&args.rules) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .max_blocking_threads(4)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            stderr_line!("gwlint：错误：无法启动服务：{e}");
            return EXIT_ERROR;
        }
    };
    runtime.block_on(async {
        let address = guard::listen_address(args.port);
        let listener = match tokio::net::TcpListener::bind(address).await {
            Ok(l) => l,
            Err(e) => {
                stderr_line!(
                    "gwlint：错误：无法在 {address} 上监听：{e}（请用 --port N 换一个端口；0 表示任选一个空闲端口）"
                );
                return EXIT_ERROR;
            }
        };
        let port = match listener.local_addr() {
            Ok(a) => a.port(),
            Err(_) => args.port,
        };
        let url = format!("http://127.0.0.1:{port}/");
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "gwlint serve: {url}");
            let _ = writeln!(
                out,
                "只在本机访问，文本不离开这台电脑，不写入磁盘。按 Ctrl+C 停止。"
            );
            let _ = out.flush();
        }
        if args.open {
            open_browser(&url);
        }
        let state = Arc::new(http::AppState { rules, port });
        match axum::serve(listener, http::router(state)).await {
            Ok(()) => crate::app::EXIT_CLEAN,
            Err(e) => {
                stderr_line!("gwlint：错误：服务意外停止：{e}");
                EXIT_ERROR
            }
        }
    })
}

/// Ask the desktop to open `url`; a failure is reported, the server keeps running.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // reaped on a thread of its own so that it does not linger as a zombie
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => stderr_line!("gwlint：提示：无法打开浏览器（{e}），请自己打开 {url}"),
    }
}
