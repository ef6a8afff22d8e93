//! The server's safety rules, as pure functions the HTTP layer applies to every request:
//!
//! - it listens on the loopback address only ([`listen_address`]; there is no option to
//!   choose another);
//! - the `Host` header must name this server (`127.0.0.1:PORT` or `localhost:PORT`): a
//!   page on another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its
//!   own name and is refused;
//! - a browser's `Origin` (and `Sec-Fetch-Site`), when sent, must be this server: another
//!   site's page cannot post to it;
//! - a request body is at most [`MAX_BODY_BYTES`], refused with a message saying so.

use std::net::{Ipv4Addr, SocketAddr};

/// The largest request body accepted (an uploaded `.docx` with pictures, or a pasted text).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The only address the server listens on.
pub fn listen_address(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// The host names under which this server may be addressed.
const LOCAL_NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

/// Why a request is refused before it reaches a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

/// The request's `Host` header (exactly one, ASCII) names this server on `port`.
pub fn check_host(host: Option<&str>, port: u16) -> Result<(), Refusal> {
    let refused = |shown: &str| {
        Refusal {
        status: 403,
        message: format!(
            "gwlint serve 只接受发往本机的请求：Host「{shown}」不是 127.0.0.1:{port}（refused: foreign Host header; open http://127.0.0.1:{port}/）"
        ),
    }
    };
    let Some(host) = host else {
        return Err(refused("(missing)"));
    };
    let named_here = LOCAL_NAMES
        .iter()
        .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")));
    if named_here {
        Ok(())
    } else {
        Err(refused(host))
    }
}

/// A browser's `Origin` header, when present, is this server's own (`http://` + an allowed
/// host); `Sec-Fetch-Site`, when present, is not `cross-site` or `same-site`. Requests
/// without either (curl, scripts on this machine) pass.
pub fn check_origin(
    origin: Option<&str>,
    fetch_site: Option<&str>,
    port: u16,
) -> Result<(), Refusal> {
    let refused = |what: String| Refusal {
        status: 403,
        message: format!(
            "gwlint serve 拒绝来自其他网页的请求：{what}（refused: cross-origin request）"
        ),
    };
    if let Some(origin) = origin {
        let own = LOCAL_NAMES
            .iter()
            .any(|name| origin.eq_ignore_ascii_case(&format!("http://{name}:{port}")));
        if !own {
            return Err(refused(format!("Origin「{origin}」")));
        }
    }
    if let Some(site) = fetch_site {
        if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") {
            return Err(refused(format!("Sec-Fetch-Site: {site}")));
        }
    }
    Ok(())
}

/// The message for a body over the limit.
pub fn too_large(received: Option<u64>) -> Refusal {
    let got = match received {
        Some(n) => format!("收到 {:.1} MiB", n as f64 / 1048576.0),
        None => "超过上限".to_string(),
    };
    Refusal {
        status: 413,
        message: format!(
            "内容太大（{got}），上限为 {} MiB。请拆分文档或删去图片后再试。（request body larger than {} MiB）",
            MAX_BODY_BYTES >> 20,
            MAX_BODY_BYTES >> 20
        ),
    }
}

/// A declared `Content-Length` over [`MAX_BODY_BYTES`] is refused before the body is read.
pub fn check_length(content_length: Option<&str>) -> Result<(), Refusal> {
    match content_length.and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(n) if n > MAX_BODY_BYTES as u64 => Err(too_large(Some(n))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listens_on_loopback_only() {
        for port in [0, 80, 8707, u16::MAX] {
            let addr = listen_address(port);
            assert!(addr.ip().is_loopback(), "{addr}");
            assert_eq!(addr.port(), port);
        }
    }

    #[test]
    fn host_must_name_this_server_and_port() {
        assert!(check_host(Some("127.0.0.1:8707"), 8707).is_ok());
        assert!(check_host(Some("LOCALHOST:8707"), 8707).is_ok());
        for bad in [
            "127.0.0.1:8708",
            "127.0.0.1",
            "evil.example:8707",
            "localhost.evil.example:8707",
            "127.0.0.1:8707.evil.example",
            "[::1]:8707",
            "",
        ] {
            let e = check_host(Some(bad), 8707).unwrap_err();
            assert_eq!(e.status, 403, "{bad}");
            assert!(e.message.contains("Host"), "{}", e.message);
        }
        assert!(check_host(None, 8707).is_err());
    }

    #[test]
    fn origin_must_be_this_server_when_sent() {
        assert!(check_origin(None, None, 8707).is_ok());
        assert!(check_origin(Some("http://127.0.0.1:8707"), Some("same-origin"), 8707).is_ok());
        assert!(check_origin(Some("http://localhost:8707"), None, 8707).is_ok());
        for bad in [
            "http://evil.example",
            "https://127.0.0.1:8707",
            "http://127.0.0.1:9999",
            "null",
        ] {
            assert_eq!(check_origin(Some(bad), None, 8707).unwrap_err().status, 403);
        }
        assert!(check_origin(None, Some("cross-site"), 8707).is_err());
        assert!(check_origin(None, Some("none"), 8707).is_ok());
    }

    #[test]
    fn oversized_length_is_refused_with_the_limit_in_the_message() {
        assert!(check_length(Some("1024")).is_ok());
        assert!(check_length(None).is_ok());
        let e = check_length(Some(&(MAX_BODY_BYTES + 1).to_string())).unwrap_err();
        assert_eq!(e.status, 413);
        assert!(e.message.contains("32 MiB"), "{}", e.message);
    }
}
