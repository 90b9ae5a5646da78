//! The OpenAPI document at /api/v1/openapi.json: the hand-written part
//! (`openapi.json`: plans, evaluations) joined with what is built here from
//! the same descriptions the forms and import templates use: each record
//! kind's fields (`RecordKind::columns`, `input`, `is_personal`), so that a
//! field added to a kind is in the document without another change.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use pcmd_domain::records::form::{Input, RecordKind};
use pcmd_store::records::read::has_pages;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn err(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The kinds the API serves (those with pages).
fn kinds() -> Vec<RecordKind> {
    RecordKind::ALL.iter().copied().filter(|k| has_pages(*k)).collect()
}

/// A schema name for a kind: `activity` → `ActivityInput`.
fn input_name(kind: RecordKind) -> String {
    let camel: String = kind.as_str().split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
    format!("{camel}Input")
}

/// A field's schema from how the kind's field is entered.
fn field_schema(kind: RecordKind, key: &str, label: &str) -> Value {
    let mut s = match kind.input(key) {
        Input::Number => json!({ "type": "integer", "format": "int64" }),
        Input::Flag => json!({ "type": "boolean" }),
        Input::Date => json!({ "type": "string", "format": "date" }),
        Input::Choice(values) => json!({ "type": "string", "enum": values().into_iter().map(|(v, _)| v).collect::<Vec<_>>() }),
        Input::Services => json!({ "type": "string", "description": "Services received: «dd/mm/yyyy service; …»" }),
        Input::Text | Input::LongText => json!({ "type": "string" }),
    };
    let mut words = label.to_string();
    if kind.is_personal(key) {
        words.push_str(" — personal data (dữ liệu cá nhân): sealed at rest; read back only by the role that may see it, audited");
    }
    if let Some(o) = s.as_object_mut() {
        o.insert("description".into(), Value::from(words));
        o.insert("nullable".into(), Value::Bool(true));
    }
    s
}

/// `{Kind}Input`: a record's fields as a POST sends them; with `version` for a PUT.
fn input_schema(kind: RecordKind, with_version: bool) -> Value {
    let mut props = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for c in kind.columns() {
        props.insert(c.key.into(), field_schema(kind, c.key, c.vi));
        if c.required {
            required.push(Value::from(c.key));
        }
    }
    if with_version {
        props.insert("version".into(), json!({ "type": "integer", "format": "int64", "description": "The version of the record read" }));
        required.push(Value::from("version"));
    }
    json!({
        "type": "object",
        "description": format!("A record of kind {} ({})", kind.as_str(), kind.label_vi()),
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn kind_param() -> Value {
    json!({ "name": "kind", "in": "path", "required": true, "schema": { "type": "string", "enum": kinds().iter().map(|k| k.as_str()).collect::<Vec<_>>() } })
}

fn id_param(what: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" }, "description": what })
}

fn idempotency_param() -> Value {
    json!({
        "name": "Idempotency-Key", "in": "header", "required": false,
        "schema": { "type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$" },
        "description": "A key of the client's own (a UUID): the same request sent again with it gets the first answer back and makes nothing new"
    })
}

/// A request body of one of the kinds' input schemas.
fn kinds_body(with_version: bool) -> Value {
    let suffix = if with_version { "Update" } else { "" };
    let one_of: Vec<Value> = kinds().into_iter().map(|k| schema_ref(&format!("{}{suffix}", input_name(k)))).collect();
    json!({ "required": true, "content": { "application/json": { "schema": { "oneOf": one_of } } } })
}

fn record_paths(paths: &mut Map<String, Value>) {
    let write_errors = |m: &mut Map<String, Value>| {
        m.insert("400".into(), err("The body is not a JSON object, or a bad Idempotency-Key"));
        m.insert("401".into(), err("No valid token"));
        m.insert("403".into(), err("The role may not write this kind, or the record's unit is outside the user's scope"));
        m.insert("404".into(), err("No such kind or record"));
        m.insert("409".into(), err("A duplicate, or (PUT) the record changed since the version read"));
        m.insert("422".into(), err("The record has faults, each by field in `faults`; or the key was used for another request"));
        m.insert("423".into(), err("The record's period is locked by an accepted report"));
    };
    let mut post = Map::new();
    post.insert("201".into(), ok("Written (or, with a key sent again, the first answer)", schema_ref("Saved")));
    write_errors(&mut post);
    let mut put = Map::new();
    put.insert("200".into(), ok("Written: the new version", schema_ref("Saved")));
    write_errors(&mut put);
    paths.insert(
        "/records/{kind}".into(),
        json!({
            "get": {
                "summary": "A page of the records of a kind in the user's scope",
                "parameters": [
                    kind_param(),
                    { "name": "unit", "in": "query", "schema": { "type": "string" }, "description": "A unit code: its records and those under it" },
                    { "name": "from", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "status", "in": "query", "schema": { "type": "string" }, "description": "A value of the kind's status column; tips also open, overdue" },
                    { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Words a record's text holds (sealed text is never searched)" },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                    { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500 } }
                ],
                "responses": {
                    "200": ok("Records, latest first (establishments by name)", schema_ref("RecordPage")),
                    "400": err("A bad day or page"),
                    "401": err("No valid token"),
                    "403": err("The role may not read this kind, or the unit is outside the user's scope"),
                    "404": err("No such kind")
                }
            },
            "post": {
                "summary": "A new record",
                "parameters": [kind_param(), idempotency_param()],
                "requestBody": kinds_body(false),
                "responses": post,
            }
        }),
    );
    paths.insert(
        "/records/{kind}/{id}".into(),
        json!({
            "get": {
                "summary": "One record",
                "parameters": [
                    kind_param(), id_param("The record's id"),
                    { "name": "personal", "in": "query", "schema": { "type": "boolean" }, "description": "With the personal fields: only for the role that may see them; the read is audited" }
                ],
                "responses": {
                    "200": ok("The record", schema_ref("Record")),
                    "401": err("No valid token"),
                    "403": err("Outside the user's role or scope"),
                    "404": err("No such kind or record"),
                    "503": err("The server has no key to open personal data")
                }
            },
            "put": {
                "summary": "A new version of a record: every field, and the version read",
                "parameters": [kind_param(), id_param("The record's id")],
                "requestBody": kinds_body(true),
                "responses": put,
            }
        }),
    );
    paths.insert(
        "/records/{kind}/import".into(),
        json!({
            "post": {
                "summary": "Imports a CSV or XLSX file of records (the kind's template), all or nothing, within the user's scope",
                "parameters": [
                    kind_param(),
                    { "name": "dry_run", "in": "query", "schema": { "type": "boolean" }, "description": "Check every row, write nothing" },
                    idempotency_param()
                ],
                "requestBody": { "required": true, "content": {
                    "text/csv": { "schema": { "type": "string", "format": "binary" } },
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } }
                } },
                "responses": {
                    "200": ok("Every row checked (and written unless a dry run)", schema_ref("ImportOutcome")),
                    "400": err("A bad Idempotency-Key"),
                    "401": err("No valid token"),
                    "403": err("The role may not write this kind"),
                    "404": err("No such kind"),
                    "409": err("The earlier request with this Idempotency-Key is still being processed"),
                    "413": err("The file is over 8 MB"),
                    "415": err("Neither CSV nor XLSX"),
                    "422": err("Faults by line and column in `faults`: nothing was written; or the file is empty or cannot be read")
                }
            }
        }),
    );
}

fn unit_and_report_paths(paths: &mut Map<String, Value>) {
    paths.insert(
        "/units".into(),
        json!({ "get": {
            "summary": "The administrative units valid on a day under a unit (the user's own by default)",
            "parameters": [
                { "name": "on", "in": "query", "schema": { "type": "string", "format": "date" }, "description": "Today by default" },
                { "name": "within", "in": "query", "schema": { "type": "string" }, "description": "A unit code" },
                { "name": "level", "in": "query", "schema": { "type": "string", "enum": ["province", "district", "commune"] } }
            ],
            "responses": {
                "200": ok("Units, by level then name in Vietnamese order", json!({ "type": "array", "items": schema_ref("Unit") })),
                "400": err("A bad day or level"), "401": err("No valid token"), "404": err("No such unit on that day")
            }
        } }),
    );
    paths.insert(
        "/units/{code}".into(),
        json!({ "get": {
            "summary": "One unit, with the units it took over and the one it went into",
            "parameters": [
                { "name": "code", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "on", "in": "query", "schema": { "type": "string", "format": "date" } }
            ],
            "responses": {
                "200": ok("The unit", schema_ref("UnitDetail")),
                "400": err("A bad day"), "401": err("No valid token"), "404": err("No such unit")
            }
        } }),
    );
    let report = || ok("The report", schema_ref("Report"));
    paths.insert(
        "/reports".into(),
        json!({
            "get": {
                "summary": "The reports of units and agencies in the user's scope",
                "parameters": [{ "name": "plan", "in": "query", "schema": { "type": "string" } }],
                "responses": { "200": ok("Reports", json!({ "type": "array", "items": schema_ref("Report") })), "401": err("No valid token"), "403": err("The role does not read reports") }
            },
            "post": {
                "summary": "Opens a report: a unit's (`unit`) or an agency's on its tasks (`agency`), for a plan and period",
                "parameters": [idempotency_param()],
                "requestBody": { "required": true, "content": { "application/json": { "schema": schema_ref("NewReport") } } },
                "responses": {
                    "201": ok("Opened (or, with a key sent again, the first answer)", schema_ref("Report")),
                    "400": err("A bad body, period, unit or key"), "401": err("No valid token"),
                    "403": err("The role may not write reports, or the unit is outside the user's scope"),
                    "404": err("No such plan or agency"),
                    "409": err("The earlier request with this Idempotency-Key is still being processed"),
                    "422": err("Refused: already opened, or the unit is not the plan's; or the key was used for another request")
                }
            }
        }),
    );
    paths.insert(
        "/reports/{id}".into(),
        json!({ "get": {
            "summary": "One report",
            "parameters": [id_param("The report's id")],
            "responses": { "200": report(), "401": err("No valid token"), "403": err("Outside the user's scope"), "404": err("No such report") }
        } }),
    );
    paths.insert(
        "/reports/{id}/{action}".into(),
        json!({ "post": {
            "summary": "Moves a report a step: submit (its writers); accept, return, reopen (the level above; return and reopen need a comment)",
            "parameters": [id_param("The report's id"), { "name": "action", "in": "path", "required": true, "schema": { "type": "string", "enum": ["submit", "accept", "return", "reopen"] } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": schema_ref("ReportStep") } } },
            "responses": {
                "200": report(), "400": err("A bad body"), "401": err("No valid token"),
                "403": err("Not the user's step to take"), "404": err("No such report or step"),
                "409": err("The report changed since the version read"), "422": err("Refused: the step does not follow, or no comment")
            }
        } }),
    );
    paths.insert(
        "/reports/{id}/file/{format}".into(),
        json!({ "get": {
            "summary": "The report as a file: DOCX, XLSX, or CSV (a ZIP of one CSV a table; `table` for one)",
            "parameters": [
                id_param("The report's id"),
                { "name": "format", "in": "path", "required": true, "schema": { "type": "string", "enum": ["docx", "xlsx", "csv"] } },
                { "name": "table", "in": "query", "schema": { "type": "string" } }
            ],
            "responses": {
                "200": { "description": "The file", "content": {
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { "schema": { "type": "string", "format": "binary" } },
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } },
                    "application/zip": { "schema": { "type": "string", "format": "binary" } },
                    "text/csv": { "schema": { "type": "string" } }
                } },
                "401": err("No valid token"), "403": err("Outside the user's scope"), "404": err("No such report, format or table")
            }
        } }),
    );
}

fn plan_paths(paths: &mut Map<String, Value>) {
    let key = json!({ "name": "key", "in": "path", "required": true, "schema": { "type": "string" }, "description": "The plan's key" });
    let scope_errors = |m: &mut Map<String, Value>| {
        m.insert("401".into(), err("No valid token"));
        m.insert("403".into(), err("The plan is outside the user's scope, or the role does not see it"));
        m.insert("404".into(), err("No such plan"));
    };
    let mut plan = Map::new();
    plan.insert("200".into(), ok("The plan", schema_ref("PlanDetail")));
    scope_errors(&mut plan);
    paths.insert("/plans/{key}".into(), json!({ "get": { "summary": "A plan: its targets, tasks, budget lines and reporting duties", "parameters": [key.clone()], "responses": plan } }));
    let mut tasks = Map::new();
    tasks.insert("200".into(), ok("Tasks with their progress, newest first", json!({ "type": "array", "items": schema_ref("Task") })));
    scope_errors(&mut tasks);
    paths.insert(
        "/plans/{key}/tasks".into(),
        json!({ "get": { "summary": "The plan's tasks and every progress report", "parameters": [key.clone()], "responses": tasks } }),
    );
    let written = |what: &str| {
        let mut m = Map::new();
        m.insert("201".into(), ok(what, schema_ref("Saved")));
        m.insert("401".into(), err("No valid token"));
        m.insert("403".into(), err("Not the user's to report"));
        m.insert("404".into(), err("No such plan or task"));
        m.insert("409".into(), err("A duplicate"));
        m.insert("422".into(), err("Faults by field in `faults`; or the key was used for another request"));
        m.insert("423".into(), err("The period is locked"));
        Value::Object(m)
    };
    paths.insert(
        "/plans/{key}/tasks/{code}/progress".into(),
        json!({ "post": {
            "summary": "Progress on a task: an officer of an agency it is assigned to, or the plan's coordinator",
            "parameters": [key.clone(), { "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }, idempotency_param()],
            "requestBody": { "required": true, "content": { "application/json": { "schema": input_schema_without(RecordKind::TaskProgress, &["plan", "task_code"]) } } },
            "responses": written("Reported")
        } }),
    );
    let mut budget = Map::new();
    budget.insert("200".into(), ok("Budget lines by year with what was spent", json!({ "type": "array", "items": schema_ref("BudgetLine") })));
    scope_errors(&mut budget);
    paths.insert(
        "/plans/{key}/budget".into(),
        json!({
            "get": { "summary": "The plan's budget lines", "parameters": [key.clone()], "responses": budget },
            "post": {
                "summary": "Spending of a budget line for a year: the plan's coordinator",
                "parameters": [key.clone(), idempotency_param()],
                "requestBody": { "required": true, "content": { "application/json": { "schema": input_schema_without(RecordKind::BudgetSpending, &["plan"]) } } },
                "responses": written("Recorded")
            }
        }),
    );
    let mut explain = Map::new();
    explain.insert("200".into(), ok("The figure and the records behind it", schema_ref("Explanation")));
    scope_errors(&mut explain);
    paths.insert(
        "/plans/{key}/targets/{code}/explanation".into(),
        json!({ "get": {
            "summary": "The records behind a target's figure, as `pcmd targets explain`",
            "parameters": [
                key, { "name": "code", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "period", "in": "query", "schema": { "type": "string" } },
                { "name": "unit", "in": "query", "schema": { "type": "string" } },
                { "name": "as_of", "in": "query", "schema": { "type": "string" } }
            ],
            "responses": explain
        } }),
    );
}

/// A kind's input without the fields the address gives.
fn input_schema_without(kind: RecordKind, drop: &[&str]) -> Value {
    let mut s = input_schema(kind, false);
    if let Some(p) = s.get_mut("properties").and_then(Value::as_object_mut) {
        for d in drop {
            p.remove(*d);
        }
    }
    if let Some(r) = s.get_mut("required").and_then(Value::as_array_mut) {
        r.retain(|v| !drop.iter().any(|d| v == d));
    }
    s
}

fn schemas(out: &mut Map<String, Value>) {
    let any_object = json!({ "type": "object", "additionalProperties": true });
    out.insert(
        "PlanDetail".into(),
        json!({ "type": "object", "properties": {
            "summary": schema_ref("Plan"), "note": { "type": "string", "nullable": true }, "budget_source": { "type": "string", "nullable": true },
            "budget_lines": { "type": "array", "items": schema_ref("BudgetLine") },
            "targets": { "type": "array", "items": any_object }, "tasks": { "type": "array", "items": any_object },
            "duties": { "type": "array", "items": any_object }, "original_text": { "type": "string", "nullable": true }
        } }),
    );
    out.insert(
        "BudgetLine".into(),
        json!({ "type": "object", "properties": {
            "year": { "type": "integer" }, "item": { "type": "string" }, "agency": { "type": "string", "nullable": true },
            "allocated": { "type": "integer" }, "spent": { "type": "integer", "nullable": true }
        } }),
    );
    out.insert(
        "Task".into(),
        json!({ "type": "object", "properties": {
            "code": { "type": "string" }, "title": { "type": "string" }, "text": { "type": "string" },
            "lead_agency": { "type": "string" }, "lead_agency_name": { "type": "string" }, "co_agencies": { "type": "array", "items": { "type": "string" } },
            "due": { "type": "string", "format": "date", "nullable": true },
            "status": { "type": "string", "enum": ["not_started", "in_progress", "done", "delayed"] },
            "progress": { "type": "array", "items": any_object }
        } }),
    );
    out.insert(
        "Explanation".into(),
        json!({ "type": "object", "properties": {
            "evaluation": schema_ref("Evaluation"),
            "records": { "type": "array", "nullable": true, "items": { "type": "object", "properties": {
                "kind": { "type": "string" }, "id": { "type": "integer" }, "date": { "type": "string", "format": "date" },
                "unit_code": { "type": "string", "nullable": true }, "label": { "type": "string" } } } },
            "outside_scope": { "type": "integer", "description": "Records the figure counted in the unit's territory outside the reader's scope, not listed (old communes of other units that went into the same new commune; the press of the new province after a merger)." },
            "withheld": { "type": "string", "nullable": true, "enum": ["small_counts", "persons_as_counts", "not_readable_by_role", null] }
        } }),
    );
    for k in kinds() {
        out.insert(input_name(k), input_schema(k, false));
        out.insert(format!("{}Update", input_name(k)), input_schema(k, true));
    }
    let unit = json!({
        "type": "object",
        "properties": {
            "code": { "type": "string" }, "name": { "type": "string" }, "unit_type": { "type": "string" },
            "level": { "type": "string", "enum": ["province", "district", "commune"] },
            "parent_code": { "type": "string", "nullable": true },
            "valid_from": { "type": "string", "format": "date" }, "valid_to": { "type": "string", "format": "date" }
        }
    });
    let mut detail = unit.clone();
    if let Some(p) = detail.get_mut("properties").and_then(Value::as_object_mut) {
        p.insert("predecessors".into(), json!({ "type": "array", "items": schema_ref("Unit") }));
        p.insert("successor".into(), json!({ "allOf": [schema_ref("Unit")], "nullable": true }));
    }
    out.insert("Unit".into(), unit);
    out.insert("UnitDetail".into(), detail);
    out.insert(
        "Record".into(),
        json!({
            "type": "object",
            "properties": {
                "id": { "type": "integer" }, "kind": { "type": "string" }, "version": { "type": "integer" },
                "unit_code": { "type": "string", "nullable": true }, "unit_name": { "type": "string", "nullable": true },
                "fields": { "type": "object", "additionalProperties": true, "description": "The record's fields by key: dates YYYY-MM-DD, counts as numbers, flags as booleans" },
                "source": { "type": "string" }, "entered_by": { "type": "string", "nullable": true }, "entered_at": { "type": "string" },
                "personal": { "type": "object", "additionalProperties": true, "description": "With ?personal=true, for the role that may see them" }
            }
        }),
    );
    out.insert(
        "RecordPage".into(),
        json!({ "type": "object", "properties": {
            "kind": { "type": "string" }, "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" },
            "items": { "type": "array", "items": schema_ref("Record") }
        } }),
    );
    out.insert(
        "Saved".into(),
        json!({ "type": "object", "required": ["id", "kind", "version", "href"], "properties": {
            "id": { "type": "integer" }, "kind": { "type": "string" }, "version": { "type": "integer" }, "href": { "type": "string" }
        } }),
    );
    out.insert(
        "ImportOutcome".into(),
        json!({ "type": "object", "properties": { "kind": { "type": "string" }, "rows": { "type": "integer" }, "dry_run": { "type": "boolean" } } }),
    );
    let text = json!({ "type": "string" });
    out.insert(
        "Report".into(),
        json!({ "type": "object", "properties": {
            "id": { "type": "integer" }, "plan": text, "plan_number": text,
            "unit_code": { "type": "string", "nullable": true }, "unit_name": { "type": "string", "nullable": true },
            "agency": { "type": "string", "nullable": true },
            "period": { "type": "object", "properties": { "label": text, "from": { "type": "string", "format": "date" }, "to": { "type": "string", "format": "date" } } },
            "status": { "type": "string", "enum": ["draft", "submitted", "accepted", "returned"] },
            "version": { "type": "integer" }, "issued_on": { "type": "string", "format": "date", "nullable": true },
            "comment": { "type": "string", "nullable": true }, "created_by": text,
            "submitted_by": { "type": "string", "nullable": true }, "submitted_at": { "type": "string", "nullable": true },
            "decided_by": { "type": "string", "nullable": true }, "decided_at": { "type": "string", "nullable": true },
            "narrative": { "type": "object", "additionalProperties": { "type": "string" } }, "href": text
        } }),
    );
    out.insert(
        "NewReport".into(),
        json!({ "type": "object", "required": ["plan", "period"], "additionalProperties": false, "properties": {
            "plan": { "type": "string", "description": "The plan's key or number" },
            "period": { "type": "string", "description": "2025-H1 or 2025 (Decree 09 cut-offs)" },
            "unit": { "type": "string", "description": "A unit code, for a unit's report" },
            "agency": { "type": "string", "description": "An agency's code, for an agency's report on its tasks" }
        } }),
    );
    out.insert(
        "ReportStep".into(),
        json!({ "type": "object", "required": ["version"], "additionalProperties": false, "properties": {
            "version": { "type": "integer", "format": "int64" },
            "comment": { "type": "string", "description": "Why it is returned or reopened" }
        } }),
    );
}

/// Every operation may answer 400 for a path or query it cannot read.
fn bad_parameters(paths: &mut Map<String, Value>) {
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut().filter_map(Value::as_object_mut) {
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                responses.entry("400").or_insert_with(|| err("A path or query parameter that cannot be read"));
            }
        }
    }
}

/// The whole document, built once.
fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc: Value = serde_json::from_str(include_str!("../../openapi.json")).unwrap_or_else(|_| json!({}));
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            record_paths(paths);
            unit_and_report_paths(paths);
            plan_paths(paths);
            bad_parameters(paths);
        }
        if let Some(s) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            schemas(s);
        }
        doc.to_string()
    })
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], document()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_field_is_described_once_from_the_columns() {
        let doc: Value = serde_json::from_str(document()).unwrap();
        let act = &doc["components"]["schemas"]["ActivityInput"];
        // Activity's columns: held_on (date), form (a choice), reached_students (a count).
        assert_eq!(act["properties"]["held_on"]["format"], "date");
        assert_eq!(act["properties"]["reached_students"]["type"], "integer");
        assert!(act["properties"]["form"]["enum"].as_array().unwrap().iter().any(|v| v == "meeting"));
        assert!(act["required"].as_array().unwrap().iter().any(|v| v == "held_on"));
        assert!(doc["components"]["schemas"]["SupportCaseInput"]["properties"]["full_name"]["description"]
            .as_str()
            .unwrap()
            .contains("personal data"));
        assert_eq!(doc["components"]["schemas"]["ActivityInputUpdate"]["required"].as_array().unwrap().last().unwrap(), "version");
        assert!(doc["paths"]["/records/{kind}"]["post"].is_object());
        assert!(doc["paths"]["/plans/{key}/evaluation"]["get"].is_object());
    }
}
