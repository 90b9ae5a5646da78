//! Imports through the API: the file as the request's body (CSV or XLSX, by its
//! `Content-Type`), checked whole with `?dry_run=true`, or written all or
//! nothing: the same import as the browser's and `pcmd import`, within the
//! user's scope, at most 8 MB and 20,000 rows a request.

use super::idempotent::{self, Key};
use super::{error, ApiError, ApiPath, ApiQuery, ApiUser, Fault};
use crate::pages::records::{self as pages, IMPORT_MAX_FILE, IMPORT_MAX_ROWS};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct ImportQuery {
    dry_run: Option<bool>,
}

#[derive(Serialize)]
struct Outcome {
    kind: &'static str,
    rows: usize,
    dry_run: bool,
}

/// `POST /records/{kind}/import`.
pub async fn import(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let kind = pages::kind_of(&kind)
        .map_err(|_| error(StatusCode::NOT_FOUND, "not_found", format!("không có loại hồ sơ «{kind}»"), format!("no record kind «{kind}»")))?;
    if !user.0.role.may_write(kind) {
        return Err(super::forbidden());
    }
    let mime =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let name = match mime.as_str() {
        "text/csv" => "api.csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "api.xlsx",
        _ => {
            return Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_type",
                "gửi tệp CSV (text/csv) hoặc XLSX (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)",
                "send a CSV (text/csv) or XLSX (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) file",
            ))
        }
    };
    let dry_run = q.dry_run.unwrap_or(false);
    let key = Key::of_bytes(&headers, "POST", &format!("/records/{kind}/import"), &body)?.filter(|_| !dry_run);
    if body.len() > IMPORT_MAX_FILE {
        return Err(error(StatusCode::PAYLOAD_TOO_LARGE, "bad_file", "tệp quá 8 MB: chia tệp", "the file is over 8 MB: split it"));
    }
    if body.is_empty() {
        return Err(error(StatusCode::UNPROCESSABLE_ENTITY, "bad_file", "tệp rỗng", "the file is empty"));
    }
    let sheet = pcmd_import::read::read_bytes(name, body.to_vec()).map_err(|e| {
        let text = format!("{e:#}");
        error(StatusCode::UNPROCESSABLE_ENTITY, "bad_file", text.clone(), text)
    })?;
    if sheet.rows.len() > IMPORT_MAX_ROWS + 2 {
        return Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_rows",
            format!("tệp có {} dòng; mỗi lần nhập tối đa 20.000 dòng: chia tệp", sheet.rows.len()),
            format!("the file has {} rows; an import takes at most 20,000: split the file", sheet.rows.len()),
        ));
    }
    // The key is held (pending) while the rows are written in the import's own transaction.
    idempotent::around(&state, user.0.id, key.as_ref(), 200, async {
        let scope = state.scope(user.0.unit_id);
        let opts = pcmd_import::Options {
            dry_run,
            entered_by: Some(user.0.username.clone()),
            sealer: state.sealer.clone(),
            scope: Some(&scope),
            progress: None,
        };
        match pcmd_import::import_sheet(&state.store, &state.units, &state.rules, kind, name, &sheet, opts).await {
            Ok(report) => serde_json::to_string(&Outcome { kind: kind.as_str(), rows: report.rows, dry_run })
                .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string(), e.to_string())),
            Err(e) => Err(match e.downcast_ref::<pcmd_import::ImportErrors>() {
                Some(errors) => {
                    let faults = errors
                        .errors
                        .iter()
                        .map(|f| Fault { line: Some(f.line), field: f.field.clone(), vi: f.vi.clone(), en: f.en.clone() })
                        .collect();
                    error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "import_faults",
                        format!("tệp có {} lỗi: không dòng nào được ghi", errors.errors.len()),
                        format!("the file has {} faults: no row was written", errors.errors.len()),
                    )
                    .with_faults(faults)
                }
                None => {
                    let text = format!("{e:#}");
                    error(StatusCode::UNPROCESSABLE_ENTITY, "bad_file", text.clone(), text)
                }
            }),
        }
    })
    .await
}
