//! The routes: the page and its two assets (compiled into the binary), and the JSON API
//! over [`super::api`]. Every request first passes [`guard`] (Host, Origin, body size);
//! every response carries headers that keep the page to itself (CSP: only this server,
//! no framing). The engine runs on tokio's blocking pool, so a long check never stalls
//! the connection loop.
//!
//! Nothing here touches the file system: uploads are read into memory, answered, dropped.

use super::api::{self, ApiError};
use super::guard::{self, Refusal, MAX_BODY_BYTES};
use crate::rules::RuleSet;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use std::sync::Arc;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");

/// What every request shares: the rule set and the port the server answers on.
pub struct AppState {
    pub rules: RuleSet,
    pub port: u16,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route("/api/rules", get(rules_info))
        .route("/api/check", post(check))
        .route("/api/fix", post(fix))
        .route("/api/decode", post(decode))
        .route("/api/annotate", post(annotate))
        .fallback(|| async {
            refusal(&Refusal {
                status: 404,
                message: "没有这个页面（not found）".into(),
            })
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Host, Origin and declared length first; then the security headers on the response.
async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let checked = guard::check_host(single(headers, header::HOST), state.port)
        .and_then(|()| {
            guard::check_origin(
                text(header::ORIGIN),
                headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
                state.port,
            )
        })
        .and_then(|()| guard::check_length(text(header::CONTENT_LENGTH)));
    let mut response = match checked {
        Ok(()) => next.run(req).await,
        Err(r) => refusal(&r),
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
             img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The header's value when it occurs exactly once and is text.
fn single(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(v), None) => v.to_str().ok(),
        _ => None,
    }
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn json_response(status: u16, value: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(value).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        Body::from(body),
    )
        .into_response()
}

fn refusal(r: &Refusal) -> Response {
    json_response(r.status, &serde_json::json!({ "error": r.message }))
}

fn error_response(e: &ApiError) -> Response {
    json_response(e.status, &e.body())
}

/// The body, or why it could not be read (over the limit: 413 with the limit in the
/// message).
fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Refusal> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            guard::too_large(None)
        } else {
            Refusal {
                status: 400,
                message: format!("请求没有读完整（{}）", e.body_text()),
            }
        }
    })
}

/// Run `work` on the blocking pool and turn its result into a JSON response.
async fn answer<F>(work: F) -> Response
where
    F: FnOnce() -> Result<Value, ApiError> + Send + 'static,
{
    answer_with(work, |value| json_response(200, &value)).await
}

/// Run `work` on the blocking pool and turn its result into a response with `respond`
/// (an error: its JSON message; a panic: 500).
async fn answer_with<T, F>(work: F, respond: impl FnOnce(T) -> Response) -> Response
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(value)) => respond(value),
        Ok(Err(e)) => error_response(&e),
        Err(_) => refusal(&Refusal {
            status: 500,
            message: "服务器内部错误，请重试（internal error）".into(),
        }),
    }
}

async fn rules_info(State(state): State<Arc<AppState>>) -> Response {
    json_response(200, &api::rules_info(&state.rules, MAX_BODY_BYTES))
}

async fn check(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body_bytes(body) {
        Ok(b) => b,
        Err(r) => return refusal(&r),
    };
    answer(move || api::check(&state.rules, api::parse(&body)?)).await
}

async fn fix(State(state): State<Arc<AppState>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body_bytes(body) {
        Ok(b) => b,
        Err(r) => return refusal(&r),
    };
    answer(move || api::fix(&state.rules, api::parse(&body)?)).await
}

/// `POST /api/decode?kind=docx` (or `kind=text`): the raw file bytes in, its text out.
async fn decode(uri: Uri, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body_bytes(body) {
        Ok(b) => b,
        Err(r) => return refusal(&r),
    };
    let is_docx = match uri.query() {
        Some("kind=docx") => true,
        Some("kind=text") => false,
        _ => {
            return error_response(&ApiError::bad_request(
                "缺少文件类型（expected ?kind=docx or ?kind=text）",
            ))
        }
    };
    answer(move || api::decode(body.to_vec(), is_docx)).await
}

/// `POST /api/annotate?settings=…&track_changes=1`: the uploaded `.docx` bytes in, the
/// annotated `.docx` out (counts in `X-Gwlint-Comments` and `X-Gwlint-Tracked-Changes`).
async fn annotate(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body_bytes(body) {
        Ok(b) => b,
        Err(r) => return refusal(&r),
    };
    let req = match api::AnnotateRequest::from_query(uri.query()) {
        Ok(r) => r,
        Err(e) => return error_response(&e),
    };
    let date = crate::docx::annotate::revision_date_now();
    let work = move || api::annotate(&state.rules, body.to_vec(), &req, date);
    answer_with(work, |answer: api::AnnotateAnswer| {
        (
            [
                (header::CONTENT_TYPE, DOCX_TYPE.to_string()),
                (
                    header::HeaderName::from_static("x-gwlint-comments"),
                    answer.comments.to_string(),
                ),
                (
                    header::HeaderName::from_static("x-gwlint-tracked-changes"),
                    answer.tracked_fixes.to_string(),
                ),
            ],
            Body::from(answer.bytes),
        )
            .into_response()
    })
    .await
}

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
