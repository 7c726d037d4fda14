//! The playbook reader over JSON: the index of phases and processes, one process (steps
//! with their tasks and rules, then the next steps) and the translations report. The same
//! selection as the reader pages (`pages::reader`): `?lang=` names a locale of the
//! playbook or a UI language, else the caller's UI language; a process missing in that
//! language comes in the source language with `fallback: true`. Prose is Markdown, as
//! written in the playbook.

use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::i18n::Lang;
use crate::service::reader::{
    Index, ProcessView, ReaderQuery, Reading, index_of, phase_name, process_view,
};
use axum::Json;
use axum::response::{IntoResponse, Response};
use ftop_playbook::{Playbook, Process, Rule, Task};
use serde_json::{Value, json};
use std::sync::Arc;

/// The playbook and the language asked for.
fn open(
    state: &crate::App,
    lang: Lang,
    q: &ReaderQuery,
) -> Result<(Arc<Playbook>, Reading), AppError> {
    let (_, pb, _) = state.store.playbook()?;
    let r = Reading::of(&pb, q, lang);
    Ok((pb, r))
}

fn summary(p: &Process, locale: &str) -> Value {
    json!({
        "key": p.key,
        "title": p.title,
        "locale": p.locale,
        "fallback": p.locale != locale,
    })
}

/// `GET /playbook`: phases in lifecycle order with their processes.
pub(crate) async fn index(
    state: crate::State,
    _: ApiViewer,
    lang: Lang,
    Query(q): Query<ReaderQuery>,
) -> Result<Response, AppError> {
    let (pb, r) = open(&state, lang, &q)?;
    let Index { phases, others } = index_of(&pb, &r.locale);
    let phases: Vec<Value> = phases
        .into_iter()
        .map(|(key, items)| {
            json!({
                "key": key,
                "name": phase_name(&pb, key, &r.locale).unwrap_or(key),
                "processes": items.iter().map(|p| summary(p, &r.locale)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "locale": r.locale,
        "source_locale": pb.source_locale,
        "locales": pb.locales,
        "phases": phases,
        "other_processes": others.iter().map(|p| summary(p, &r.locale)).collect::<Vec<_>>(),
    }))
    .into_response())
}

fn rules(list: &[&Rule]) -> Vec<Value> {
    list.iter()
        .map(|r| json!({"text": r.text, "tasks": r.tasks}))
        .collect()
}

fn tasks(list: &[&Task]) -> Vec<Value> {
    list.iter()
        .map(|t| {
            json!({
                "id": t.id,
                "name": t.name,
                "mandatory": t.mandatory,
                "role": t.role,
                "role_key": t.role_key,
                "services": t.services,
                "service_keys": t.service_keys,
            })
        })
        .collect()
}

/// `GET /playbook/processes/{key}`: one process as its reader page shows it.
pub(crate) async fn process(
    state: crate::State,
    _: ApiViewer,
    lang: Lang,
    Path(key): Path<String>,
    Query(q): Query<ReaderQuery>,
) -> Result<Response, AppError> {
    let (pb, r) = open(&state, lang, &q)?;
    let Some(ProcessView {
        process: p,
        tasks: step_tasks,
        whole,
        by_step,
        phase,
    }) = process_view(&pb, &key, &r.locale)
    else {
        return Err(AppError::not_found(&format!("process {key}")));
    };
    let steps: Vec<Value> = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "title": s.title,
                "roles": s.roles,
                "role_keys": s.role_keys,
                "motions": s.motions,
                "applies_to": s.applies_to,
                "service_keys": s.service_keys,
                "body": s.body,
                "tasks": step_tasks.get(i).map(|t| tasks(t)).unwrap_or_default(),
                "rules": by_step.get(i).map(|r| rules(r)).unwrap_or_default(),
            })
        })
        .collect();
    let next: Vec<Value> = p
        .next_steps
        .iter()
        .map(|n| json!({"title": n.title, "target_key": n.target_key, "condition": n.condition}))
        .collect();
    Ok(Json(json!({
        "key": p.key,
        "title": p.title,
        "locale": p.locale,
        "requested_locale": r.locale,
        "fallback": p.locale != r.locale,
        "phase": {"key": p.phase_key, "name": phase.or(p.phase.as_deref())},
        "motions": p.motions,
        "motion_keys": p.motion_keys,
        "overview": p.overview,
        "objectives": p.objectives,
        "key_inputs": p.key_inputs,
        "key_outputs": p.key_outputs,
        "rules": rules(&whole),
        "steps": steps,
        "next_steps": next,
        "last_changed": p.last_changed,
    }))
    .into_response())
}

/// `GET /playbook/translations`: per language, what it lacks, adds or contradicts.
pub(crate) async fn translations(
    state: crate::State,
    _: ApiViewer,
    lang: Lang,
    Query(q): Query<ReaderQuery>,
) -> Result<Response, AppError> {
    let (pb, _) = open(&state, lang, &q)?;
    Ok(Json(json!({"report": ftop_playbook::translations(&pb)})).into_response())
}
