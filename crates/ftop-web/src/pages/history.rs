//! The History tab: a tenant's audit log as sentences a reader understands. Each entry says
//! what it is about and what happened (`Task 12 (Exchange Online): Status changed`), then
//! lists the values it records under their field labels ([`Lang::field`]): enumerated values
//! by their names, text quoted and cut, a changed value beside its value before. The raw
//! entries (JSON of the states before and after) stay with the API
//! (`GET /api/v1/tenants/{id}/history`).

use crate::i18n::Lang;
use ftop_domain::catalogue::name_of as service_name;
use ftop_domain::taxonomy::L1;
use ftop_domain::{
    AssignmentRole, ContactType, EngagementScenario, EnterpriseReason, MigrationRejection,
    MigrationStatus, MigrationType, Motion, NoteCategory, OverallStatus, Priority, Rag,
};
use ftop_domain::{TaskStatus, text::FluentValue};
use ftop_store::AuditEntry;
use maud::{Markup, html};
use serde_json::Value;

/// The longest text value shown, in characters; longer text is cut and ends with `…`.
pub(crate) const MAX_CHARS: usize = 80;

/// One entry as the reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Described {
    /// What happened to what (`Note 5 added`).
    pub(crate) sentence: String,
    /// The values the entry records (in the order of their field keys).
    pub(crate) fields: Vec<Shown>,
}

/// A labelled value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    /// The field's label (`Status`).
    pub(crate) label: String,
    /// The value (`“Complete”`).
    pub(crate) value: String,
    /// For a changed field, its value before the change.
    pub(crate) before: Option<String>,
}

/// Task names by ID, in the reader's language ([`crate::service::reader::task_names`]).
pub(crate) type TaskNames = std::collections::HashMap<u32, String>;

/// The kinds of change the History tab can be narrowed to (the audit log's entity names).
pub(crate) const KINDS: [&str; 15] = [
    "tenant",
    "task",
    "note",
    "contact",
    "time",
    "service",
    "entitlement-status",
    "forecast",
    "seats",
    "assignment",
    "tenant-partner",
    "delivery",
    "migration",
    "playbook",
    "enterprise-status",
];

/// A kind of change as the reader calls it.
fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "tenant" => lang.t("history-kind-tenant"),
        "task" => lang.t("history-kind-task"),
        "note" => lang.t("history-kind-note"),
        "contact" => lang.t("history-kind-contact"),
        "time" => lang.t("history-kind-time"),
        "service" => lang.t("history-kind-service"),
        "entitlement-status" => lang.t("history-kind-entitlement-status"),
        "forecast" => lang.t("history-kind-forecast"),
        "seats" => lang.t("history-kind-seats"),
        "assignment" => lang.t("history-kind-assignment"),
        "delivery" => lang.t("history-kind-delivery"),
        "migration" => lang.t("history-kind-migration"),
        "playbook" => lang.t("history-kind-playbook"),
        "enterprise-status" => lang.t("history-kind-enterprise-status"),
        _ => lang.t("history-kind-tenant-partner"),
    }
}

/// The History tab's filters: a kind of change and who made it (`kind`, `who`; empty:
/// any), sent with GET so that a filtered log can be linked to.
pub(crate) fn filters(
    tenant: &str,
    (kind, who): (&str, &str),
    actors: &[String],
    lang: Lang,
) -> Markup {
    html! {
        form.filters method="get" action=(format!("/tenants/{tenant}")) {
            input type="hidden" name="tab" value="history";
            label { (lang.t("history-kind")) " "
                select name="kind" {
                    option value="" selected[kind.is_empty()] { (lang.t("history-any-kind")) }
                    @for k in KINDS { option value=(k) selected[k == kind] { (kind_label(k, lang)) } }
                }
            }
            label { (lang.t("history-who")) " "
                select name="who" {
                    option value="" selected[who.is_empty()] { (lang.t("history-anyone")) }
                    @for a in actors { option value=(a) selected[*a == who] { (a) } }
                }
            }
            button type="submit" { (lang.t("history-filter")) }
        }
    }
}

/// The History tab's table (newest first, as the log is given).
pub(crate) fn table(log: &[AuditEntry], names: &TaskNames, lang: Lang) -> Markup {
    html! {
        @if log.is_empty() { p.muted { (lang.t("history-empty")) } }
        @else {
            table id="history" {
                thead { tr { th { (lang.t("when")) } th { (lang.t("who")) } th { (lang.t("what")) } } }
                tbody {
                    @for e in log {
                        @let d = describe(e, names, lang);
                        tr id=(format!("history-{}", e.id)) {
                            td { time datetime=(e.at) { (lang.when(&e.at)) } }
                            td { (e.actor) }
                            td {
                                p.change { (d.sentence) }
                                @if !d.fields.is_empty() {
                                    ul.changes {
                                        @for f in &d.fields {
                                            li {
                                                (f.label) ": " (f.value)
                                                @if let Some(b) = &f.before { " " span.muted { (lang.t_with("history-was", &[("value", b.as_str().into())])) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Entry `e` in `lang`: its sentence and its values.
pub(crate) fn describe(e: &AuditEntry, names: &TaskNames, lang: Lang) -> Described {
    let before = state(e.before.as_deref());
    let after = state(e.after.as_deref());
    let thing = thing(e, &before, &after, names, lang);
    let args = |extra: Option<String>| {
        let mut a: Vec<(&str, FluentValue<'_>)> = vec![("thing", thing.clone().into())];
        if let Some(x) = extra {
            a.push(("fields", x.into()));
        }
        a
    };
    let fields: Vec<Shown>;
    let sentence = match e.action.as_str() {
        "create" => {
            fields = listed(&after, names, lang);
            lang.t_with("history-created", &args(None))
        }
        "delete" => {
            fields = listed(&before, names, lang);
            lang.t_with("history-deleted", &args(None))
        }
        // An eligibility exception granted or ended is a change of the tenant's fields.
        "update" | "exception" if !before.is_empty() => {
            fields = changed(&before, &after, names, lang);
            if fields.is_empty() {
                lang.t_with("history-updated", &args(None))
            } else {
                let names: Vec<&str> = fields.iter().map(|f| f.label.as_str()).collect();
                lang.t_with("history-updated-fields", &args(Some(names.join(", "))))
            }
        }
        "update" => {
            fields = listed(&after, names, lang);
            lang.t_with("history-updated", &args(None))
        }
        _ => {
            fields = listed(if after.is_empty() { &before } else { &after }, names, lang);
            lang.t_with("history-recorded", &args(None))
        }
    };
    Described { sentence, fields }
}

/// A recorded state as (field, value) pairs in their recorded order: the members of an
/// object, or the one field `rows` for a list (an entitlement status's rows). Text that is
/// not JSON records nothing to show.
fn state(json: Option<&str>) -> Vec<(String, Value)> {
    match json.and_then(|j| serde_json::from_str::<Value>(j).ok()) {
        Some(Value::Object(o)) => o.into_iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(v) => vec![("rows".to_string(), v)],
    }
}

fn get<'a>(state: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    state.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Every value of `state` but the empty ones.
fn listed(state: &[(String, Value)], names: &TaskNames, lang: Lang) -> Vec<Shown> {
    state
        .iter()
        .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
        .map(|(k, v)| Shown {
            label: lang.field(k),
            value: named_value(k, v, names, lang),
            before: None,
        })
        .collect()
}

/// [`value`], with a task's name beside its ID (`3979 · Run the kick-off`).
fn named_value(field: &str, v: &Value, names: &TaskNames, lang: Lang) -> String {
    let shown = value(field, v, lang);
    let name = (field == "task_id")
        .then(|| v.as_u64())
        .flatten()
        .and_then(|id| names.get(&u32::try_from(id).ok()?));
    match name {
        Some(n) => format!("{shown} · {n}"),
        None => shown,
    }
}

/// The values of `after` that differ from `before`, each with its value before.
fn changed(
    before: &[(String, Value)],
    after: &[(String, Value)],
    names: &TaskNames,
    lang: Lang,
) -> Vec<Shown> {
    after
        .iter()
        .filter_map(|(k, v)| {
            let old = get(before, k).unwrap_or(&Value::Null);
            (old != v).then(|| Shown {
                label: lang.field(k),
                value: named_value(k, v, names, lang),
                before: Some(named_value(k, old, names, lang)),
            })
        })
        .collect()
}

/// What an entry is about (`Task 12 (Exchange Online)`), from its kind and key.
fn thing(
    e: &AuditEntry,
    before: &[(String, Value)],
    after: &[(String, Value)],
    names: &TaskNames,
    lang: Lang,
) -> String {
    let parts: Vec<&str> = e.entity_key.split('/').collect();
    let last = parts.last().copied().unwrap_or("");
    let service = || service_name(last).into();
    // A name the change itself records, else the key's part.
    let named = |key: &str, fallback: &str| -> String {
        get(after, key)
            .or_else(|| get(before, key))
            .and_then(Value::as_str)
            .unwrap_or(fallback)
            .to_string()
    };
    let id = || e.entity_key.as_str().into();
    match e.entity.as_str() {
        "tenant" => lang.t("history-thing-tenant").to_string(),
        "task" => {
            let task = parts.get(1).copied().unwrap_or("");
            let name = task.parse::<u32>().ok().and_then(|id| names.get(&id));
            let service = parts.get(2).copied().filter(|s| !s.is_empty());
            match (service, name) {
                (None, None) => lang.t_with("history-thing-task", &[("task", task.into())]),
                (None, Some(n)) => lang.t_with(
                    "history-thing-task-named",
                    &[("task", task.into()), ("name", n.as_str().into())],
                ),
                (Some(s), None) => lang.t_with(
                    "history-thing-task-service",
                    &[("task", task.into()), ("service", service_name(s).into())],
                ),
                (Some(s), Some(n)) => lang.t_with(
                    "history-thing-task-service-named",
                    &[
                        ("task", task.into()),
                        ("name", n.as_str().into()),
                        ("service", service_name(s).into()),
                    ],
                ),
            }
        }
        "note" => lang.t_with("history-thing-note", &[("id", id())]),
        "contact" => lang.t_with("history-thing-contact", &[("id", id())]),
        "time" => lang.t_with("history-thing-time", &[("id", id())]),
        "service" => lang.t_with("history-thing-service", &[("service", service())]),
        "entitlement-status" => lang.t_with("history-thing-status-rows", &[("service", service())]),
        "forecast" => lang.t_with("history-thing-forecast", &[("service", service())]),
        "delivery" => lang.t_with("history-thing-delivery", &[("service", service())]),
        "migration" => lang.t_with("history-thing-migration", &[("service", service())]),
        "playbook" => lang.t_with("history-thing-playbook", &[("version", last.into())]),
        "enterprise-status" => lang.t_with("history-thing-enterprise-status", &[("id", id())]),
        "seats" => lang.t_with("history-thing-seats", &[("service", service())]),
        "assignment" => {
            let user = named("user", parts.get(1).copied().unwrap_or(""));
            lang.t_with("history-thing-assignment", &[("user", user.into())])
        }
        "tenant-partner" => {
            let partner = named("partner", last);
            lang.t_with("history-thing-partner", &[("partner", partner.into())])
        }
        _ => lang.t_with("history-thing-other", &[("id", id())]),
    }
}

/// `text` in quotes, cut to [`MAX_CHARS`].
fn quoted(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > MAX_CHARS {
        let cut: String = text.chars().take(MAX_CHARS - 1).collect();
        format!("“{}…”", cut.trim_end())
    } else {
        format!("“{text}”")
    }
}

/// The name of an enumerated value recorded under `field` by its key, when it is one.
fn label_of(field: &str, key: &str, lang: Lang) -> Option<String> {
    Some(match field {
        "status" => lang.label(TaskStatus::parse(key)?).to_string(),
        "overall_status" => lang.label(OverallStatus::parse(key)?).to_string(),
        "priority" => lang.label(Priority::parse(key)?).to_string(),
        "motion" => lang.label(Motion::parse(key)?).to_string(),
        "category" => lang.label(NoteCategory::parse(key)?).to_string(),
        "kind" => lang.label(ContactType::parse(key)?).to_string(),
        "role" => lang.label(AssignmentRole::parse(key)?).to_string(),
        "l1" => lang.label(L1::parse(key)?).to_string(),
        "l2" => lang.reason(key),
        "l3" => lang.engineering_reason(key),
        "service" => service_name(key).to_string(),
        "scenario" => lang.label(EngagementScenario::parse(key)?).to_string(),
        "rejection_reason" => lang.label(MigrationRejection::parse(key)?).to_string(),
        "rag" => lang.label(Rag::parse(key)?).to_string(),
        "reasons" => lang.label(EnterpriseReason::parse(key)?).to_string(),
        _ => return None,
    })
}

/// Whether `s` is a day (`2026-01-31`).
fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A recorded value as shown.
fn value(field: &str, v: &Value, lang: Lang) -> String {
    match v {
        Value::Null => "—".to_string(),
        Value::String(s) if s.trim().is_empty() => "—".to_string(),
        Value::Bool(b) => lang.t(if *b { "yes" } else { "no" }).to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if is_day(s) => s.clone(),
        Value::String(s) if lang.when(s) != *s => lang.when(s),
        Value::String(s) => quoted(&label_of(field, s, lang).unwrap_or_else(|| s.clone())),
        Value::Array(items) if items.is_empty() => "—".to_string(),
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::Object(o) if o.contains_key("l1") => status_row(o, lang),
                Value::Object(o) if o.contains_key("migration_type") => migration_row(o, lang),
                x => value(field, x, lang),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(o) => o
            .iter()
            .filter(|(_, x)| !x.is_null())
            .map(|(k, x)| format!("{}: {}", lang.field(k), value(k, x, lang)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A data migration type row: `200 × Exchange hybrid (Mig-ExHybrid) › In progress`.
fn migration_row(o: &serde_json::Map<String, Value>, lang: Lang) -> String {
    let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("");
    let mut out = match o.get("entitlements") {
        Some(Value::Number(n)) => format!("{n} × "),
        _ => String::new(),
    };
    let kind = text("migration_type");
    out.push_str(
        &MigrationType::parse(kind).map_or_else(|| quoted(kind), |t| lang.label(t).to_string()),
    );
    if let Some(s) = MigrationStatus::parse(text("status")) {
        out.push_str(" › ");
        out.push_str(lang.label(s));
    }
    out
}

/// An entitlement status row: `300 × Blocked › Legal/Regulatory › Legal`.
fn status_row(o: &serde_json::Map<String, Value>, lang: Lang) -> String {
    let text = |k: &str| o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let mut out = match o.get("count") {
        Some(Value::Number(n)) => format!("{n} × "),
        _ => String::new(),
    };
    if let Some(l1) = text("l1") {
        out.push_str(&label_of("l1", l1, lang).unwrap_or_else(|| quoted(l1)));
    }
    if let Some(l2) = text("l2") {
        out.push_str(" › ");
        out.push_str(&lang.reason(l2));
    }
    if let Some(l3) = text("l3") {
        out.push_str(" › ");
        out.push_str(&lang.engineering_reason(l3));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn entry(entity: &str, key: &str, action: &str, before: &str, after: &str) -> AuditEntry {
        let json = |s: &str| (!s.is_empty()).then(|| s.to_string());
        AuditEntry {
            id: 1,
            at: "2026-01-31T09:15:02.123456789Z".into(),
            actor: "maria".into(),
            tenant_id: Some("t".into()),
            entity: entity.into(),
            entity_key: key.into(),
            action: action.into(),
            before: json(before),
            after: json(after),
        }
    }

    fn lines(d: &Described) -> Vec<String> {
        d.fields
            .iter()
            .map(|f| match &f.before {
                Some(b) => format!("{}: {} <- {b}", f.label, f.value),
                None => format!("{}: {}", f.label, f.value),
            })
            .collect()
    }

    #[test]
    fn a_task_change_names_the_task_and_what_changed_in_each_language() {
        let e = entry(
            "task",
            "t/12/exchange",
            "update",
            r#"{"status":"not-started","percent":0,"role":null}"#,
            r#"{"status":"complete","percent":100,"role":null}"#,
        );
        let d = describe(&e, &TaskNames::new(), Lang::En);
        assert_eq!(
            d.sentence,
            "Task 12 (Exchange): Percent complete, Status changed"
        );
        assert_eq!(
            lines(&d),
            [
                "Percent complete: 100 <- 0",
                "Status: “Complete” <- “Not Started”"
            ]
        );
        let es = describe(&e, &TaskNames::new(), Lang::Es);
        assert_eq!(
            es.sentence,
            "Cambio en Tarea 12 (Exchange): Porcentaje completado, Estado"
        );
        assert_eq!(es.fields[1].value, "“Completada”");
        let zh = describe(&e, &TaskNames::new(), Lang::Zh);
        assert!(
            zh.sentence.starts_with("任务 12（Exchange）："),
            "{}",
            zh.sentence
        );
        // A tenant-wide task has no service.
        let e = entry(
            "task",
            "t/3/",
            "update",
            r#"{"status":"not-started"}"#,
            r#"{"status":"blocked"}"#,
        );
        assert_eq!(
            describe(&e, &TaskNames::new(), Lang::En).sentence,
            "Task 3: Status changed"
        );
        // With the playbook's names: the task's name beside its ID, in the sentence and
        // beside a time entry's task.
        let names = TaskNames::from([(3, "Hold the kick-off".to_string())]);
        assert_eq!(
            describe(&e, &names, Lang::En).sentence,
            "Task 3 · Hold the kick-off: Status changed"
        );
        let t = entry("time", "5", "create", "", r#"{"task_id":3,"minutes":45}"#);
        let d = describe(&t, &names, Lang::En);
        let task = d
            .fields
            .iter()
            .find(|f| f.label == "Task")
            .expect("the task");
        assert_eq!(task.value, "3 · Hold the kick-off");
    }

    #[test]
    fn additions_list_what_was_recorded_and_removals_what_was_there() {
        let e = entry(
            "note",
            "5",
            "create",
            "",
            r#"{"category":"migration","body":"Mailboxes move in May.","escalated":true}"#,
        );
        let d = describe(&e, &TaskNames::new(), Lang::En);
        assert_eq!(d.sentence, "Note 5 added");
        assert_eq!(
            lines(&d),
            [
                "Text: “Mailboxes move in May.”",
                "Category: “Migration”",
                "Escalated: Yes"
            ]
        );
        // A deleted contact still says who it was.
        let e = entry(
            "contact",
            "7",
            "delete",
            r#"{"name":"Dana Lee","email":"dana@contoso.example"}"#,
            "",
        );
        let d = describe(&e, &TaskNames::new(), Lang::Es);
        assert_eq!(d.sentence, "Baja: Contacto 7");
        assert_eq!(
            lines(&d),
            [
                "Correo electrónico: “dana@contoso.example”",
                "Nombre: “Dana Lee”"
            ]
        );
    }

    #[test]
    fn status_rows_show_reasons_by_name_and_partners_by_organisation() {
        let e = entry(
            "entitlement-status",
            "t/exchange",
            "update",
            r#"[{"l1":"status-unknown","l2":"new-subscription-or-workload","count":300}]"#,
            r#"[{"l1":"blocked","l2":"legal-regulatory","l3":"legal","count":20},{"l1":"in-progress","l2":"migration","count":280,"target_date":"2026-03-01"}]"#,
        );
        let d = describe(&e, &TaskNames::new(), Lang::En);
        assert_eq!(d.sentence, "Status rows of Exchange: Status rows changed");
        assert_eq!(
            d.fields[0].value,
            "20 × Blocked › Legal/Regulatory › Legal; 280 × In Progress › Migration"
        );
        assert_eq!(
            d.fields[0].before.as_deref(),
            Some("300 × Status Unknown › New Subscription or Workload")
        );
        let zh = describe(&e, &TaskNames::new(), Lang::Zh);
        assert!(
            zh.fields[0].value.contains("受阻 › 法律/法规 › 法律"),
            "{:?}",
            zh.fields
        );
        let e = entry(
            "tenant-partner",
            "t/4",
            "create",
            "",
            r#"{"partner":"Fabrikam","desires_assistance":false}"#,
        );
        let d = describe(&e, &TaskNames::new(), Lang::En);
        assert_eq!(d.sentence, "Partner company Fabrikam added");
        assert_eq!(lines(&d)[0], "Desires partner assistance: No");
    }

    #[test]
    fn values_are_quoted_cut_and_never_raw_json() {
        let long = "word ".repeat(40);
        let e = entry(
            "tenant",
            "t",
            "create",
            "",
            &serde_json::json!({"name": "t.onmicrosoft.com", "customer": "Contoso",
                "status_note": long,
                "services": [{"service": "exchange", "entitlements": 300, "qualified": null}]})
            .to_string(),
        );
        let d = describe(&e, &TaskNames::new(), Lang::En);
        assert_eq!(d.sentence, "Tenant added");
        let note = &d
            .fields
            .iter()
            .find(|f| f.label == "Status note")
            .unwrap()
            .value;
        // The text and its `…` within the limit, between quotes.
        assert_eq!(note.chars().count(), MAX_CHARS + 2, "{note}");
        assert!(
            note.starts_with("“word word") && note.ends_with("…”"),
            "{note}"
        );
        let services = &d
            .fields
            .iter()
            .find(|f| f.label == "Services")
            .unwrap()
            .value;
        assert_eq!(services, "Entitlements: 300, Service: “Exchange”");
        for f in &d.fields {
            assert!(!f.value.contains('{') && !f.value.contains('"'), "{f:?}");
        }
        // Moments in the reader's style, days as they are.
        let e = entry(
            "seats",
            "t/exchange",
            "update",
            "",
            r#"{"qualified":250,"effective":"2026-02-01"}"#,
        );
        assert_eq!(
            lines(&describe(&e, &TaskNames::new(), Lang::En)),
            ["Effective from: 2026-02-01", "Qualified seats: 250"]
        );
        assert_eq!(
            value(
                "at",
                &Value::String("2026-01-31T09:15:02Z".into()),
                Lang::En
            ),
            "2026-01-31 09:15 UTC"
        );
    }

    #[test]
    fn unknown_kinds_and_unreadable_states_still_make_a_sentence() {
        let e = entry("widget", "w-1", "polish", "not json", "");
        let d = describe(&e, &TaskNames::new(), Lang::En);
        assert_eq!(d.sentence, "Record w-1: change recorded");
        assert!(d.fields.is_empty());
        // An update that changed nothing it records.
        let e = entry(
            "forecast",
            "t/teams",
            "update",
            r#"{"submitted":null}"#,
            r#"{"submitted":null}"#,
        );
        assert_eq!(
            describe(&e, &TaskNames::new(), Lang::En).sentence,
            "Forecast for Teams changed"
        );
    }

    #[test]
    fn the_table_shows_sentences_and_no_json() {
        let log = [entry(
            "assignment",
            "t/maria/fasttrack-manager/",
            "create",
            "",
            r#"{"user":"maria","role":"fasttrack-manager","service":"","primary":true}"#,
        )];
        let html = table(&log, &TaskNames::new(), Lang::En).into_string();
        assert!(html.contains("Assignment of maria added"), "{html}");
        assert!(html.contains("2026-01-31 09:15 UTC"), "{html}");
        assert!(
            !html.contains("{&quot;") && !html.contains("<code"),
            "{html}"
        );
        let empty = table(&[], &TaskNames::new(), Lang::Zh).into_string();
        assert!(empty.contains("尚无变更记录"), "{empty}");
    }
}
