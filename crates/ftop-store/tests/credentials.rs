//! Credentials that end and a sign-in throttle that holds under concurrency, on both
//! engines: the throttle slot is taken atomically, tokens expire and are revoked, disabled
//! users lose sessions and tokens at once, sessions end when idle, old rows are purged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestDb, actor};
use ftop_domain::UserRole;
use ftop_store::{Slot, StoreError};
use std::sync::Arc;

common::both_engines!(
    concurrent_attempts_take_at_most_the_free_slots,
    tokens_expire_list_and_revoke,
    disabling_ends_sessions_and_tokens_at_once,
    passwords_follow_the_policy_and_changes_end_sessions,
    idle_sessions_end_are_listed_and_purged,
);

async fn concurrent_attempts_take_at_most_the_free_slots(db: &TestDb) {
    let s = Arc::new(db.store.clone());
    // 60 attempts at once on one name: the slot is taken in one statement, so exactly
    // the 5 free ones pass (the 5th makes the next wait) whatever the interleaving.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..60 {
        let s = s.clone();
        set.spawn(async move { s.take_sign_in_slot("name:ann", 5, 900).await.unwrap() });
    }
    let mut granted = 0;
    while let Some(r) = set.join_next().await {
        if r.unwrap() == Slot::Granted {
            granted += 1;
        }
    }
    assert_eq!(granted, 5, "only the free attempts are checked");
    assert_eq!(s.sign_in_failures_of("name:ann").await.unwrap(), 5);
    match s.take_sign_in_slot("name:ann", 5, 900).await.unwrap() {
        Slot::Wait(w) => assert!((1..=2).contains(&w), "a short first wait, not a lock: {w}"),
        Slot::Granted => panic!("the sixth attempt must wait"),
    }
    // Refused attempts did not lengthen the wait: 5 counted, not 61.
    assert_eq!(s.sign_in_failures_of("name:ann").await.unwrap(), 5);
    // The wait grows with each failure that gets a turn, up to the cap.
    db.raw("UPDATE sign_in_throttle SET next_at = 0 WHERE key = 'name:ann'")
        .await;
    assert_eq!(
        s.take_sign_in_slot("name:ann", 5, 900).await.unwrap(),
        Slot::Granted
    );
    match s.take_sign_in_slot("name:ann", 5, 900).await.unwrap() {
        Slot::Wait(w) => assert!((3..=4).contains(&w), "{w}"),
        Slot::Granted => panic!("must wait"),
    }
    db.raw("UPDATE sign_in_throttle SET next_at = 0, failures = 40 WHERE key = 'name:ann'")
        .await;
    s.take_sign_in_slot("name:ann", 5, 900).await.unwrap();
    match s.take_sign_in_slot("name:ann", 5, 900).await.unwrap() {
        Slot::Wait(w) => assert!((899..=900).contains(&w), "capped: {w}"),
        Slot::Granted => panic!("must wait"),
    }
    // A right password clears the name.
    s.clear_sign_in_failures("name:ann", true).await.unwrap();
    assert_eq!(s.sign_in_failures_of("name:ann").await.unwrap(), 0);
    assert_eq!(
        s.take_sign_in_slot("name:ann", 5, 900).await.unwrap(),
        Slot::Granted
    );
}

async fn tokens_expire_list_and_revoke(db: &TestDb) {
    let s = &db.store;
    s.add_user(
        &actor(),
        "ann",
        UserRole::Manager,
        "correct horse battery",
        None,
    )
    .await
    .unwrap();
    let t90 = s.create_token(&actor(), "ann", "ci").await.unwrap();
    let never = s
        .create_token_expiring(&actor(), "ann", "feed", None)
        .await
        .unwrap();
    assert!(s.user_by_token(&t90).await.unwrap().is_some());
    let list = s.tokens(Some("ann")).await.unwrap();
    assert_eq!(list.len(), 2);
    let exp = list[0].expires_at.clone().unwrap();
    let in_90 = (time::OffsetDateTime::now_utc() + time::Duration::days(89))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert!(exp > in_90, "90 days by default: {exp}");
    assert_eq!(list[1].expires_at, None);
    assert!(matches!(
        s.create_token_expiring(&actor(), "ann", "x", Some(0)).await,
        Err(StoreError::Invalid(_))
    ));
    // Past its expiry a token belongs to no one.
    db.raw("UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00Z' WHERE label = 'ci'")
        .await;
    assert!(s.user_by_token(&t90).await.unwrap().is_none());
    assert!(s.tokens(None).await.unwrap()[0].expired);
    // Revoked: gone.
    let id = list[1].id;
    assert!(s.revoke_token(&actor(), id).await.unwrap());
    assert!(s.user_by_token(&never).await.unwrap().is_none());
    assert!(!s.revoke_token(&actor(), id).await.unwrap());
}

async fn disabling_ends_sessions_and_tokens_at_once(db: &TestDb) {
    let s = &db.store;
    let u = s
        .add_user(
            &actor(),
            "ann",
            UserRole::Manager,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    let (cookie, _) = s.start_session(&u, "10.0.0.1").await.unwrap();
    let token = s.create_token(&actor(), "ann", "ci").await.unwrap();
    s.set_user_disabled(&actor(), "ann", true).await.unwrap();
    assert!(s.session(&cookie).await.unwrap().is_none());
    assert!(s.user_by_token(&token).await.unwrap().is_none());
    assert!(
        s.verify_password("ann", "correct horse battery")
            .await
            .unwrap()
            .is_none()
    );
    // Enabled again: the password works, the old credentials stay ended.
    s.set_user_disabled(&actor(), "ann", false).await.unwrap();
    assert!(
        s.verify_password("ann", "correct horse battery")
            .await
            .unwrap()
            .is_some()
    );
    assert!(s.session(&cookie).await.unwrap().is_none());
    assert!(s.user_by_token(&token).await.unwrap().is_none());
    assert!(matches!(
        s.set_user_disabled(&actor(), "nobody", true).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn passwords_follow_the_policy_and_changes_end_sessions(db: &TestDb) {
    let s = &db.store;
    for bad in ["12345678", "short pass", "qwertyuiop12", "ann-is-my-name"] {
        let e = s
            .add_user(&actor(), "ann", UserRole::Manager, bad, None)
            .await
            .unwrap_err();
        match e {
            StoreError::Invalid(i) => {
                assert_eq!(i.0[0].field, "password", "{bad}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let u = s
        .add_user(
            &actor(),
            "ann",
            UserRole::Manager,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    let (cookie, _) = s.start_session(&u, "10.0.0.1").await.unwrap();
    assert!(matches!(
        s.set_password(&actor(), "ann", "password1234").await,
        Err(StoreError::Invalid(_))
    ));
    assert!(
        s.session(&cookie).await.unwrap().is_some(),
        "refused: nothing changed"
    );
    s.set_password(&actor(), "ann", "tide mango lamp 47")
        .await
        .unwrap();
    assert!(s.session(&cookie).await.unwrap().is_none());
    assert!(
        s.verify_password("ann", "tide mango lamp 47")
            .await
            .unwrap()
            .is_some()
    );
}

async fn idle_sessions_end_are_listed_and_purged(db: &TestDb) {
    let s = &db.store;
    let u = s
        .add_user(
            &actor(),
            "ann",
            UserRole::Manager,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    let (a, _) = s.start_session(&u, "10.0.0.1").await.unwrap();
    let (b, _) = s.start_session(&u, "10.0.0.2").await.unwrap();
    let list = s.sessions_of(u.id, Some(&a)).await.unwrap();
    assert_eq!(list.len(), 2);
    let current: Vec<_> = list.iter().filter(|x| x.current).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].address, "10.0.0.1");
    // Ending one by its public ID; another user's ID or garbage ends nothing.
    let other = list.iter().find(|x| !x.current).unwrap().id.clone();
    assert!(!s.end_session_of(u.id + 1, &other).await.unwrap());
    assert!(!s.end_session_of(u.id, "zz").await.unwrap());
    assert!(s.end_session_of(u.id, &other).await.unwrap());
    assert!(s.session(&b).await.unwrap().is_none());
    assert!(s.session(&a).await.unwrap().is_some());
    // Idle beyond the timeout: ended, then purged with old failure and throttle rows.
    db.raw("UPDATE sessions SET last_seen_at = '2001-01-01T00:00:00Z'")
        .await;
    assert!(s.session(&a).await.unwrap().is_none());
    s.record_sign_in_failure("ann", "10.0.0.1").await.unwrap();
    db.raw(
        "INSERT INTO sign_in_failures (name, peer, at) VALUES ('ann', 'x', '2001-01-01T00:00:00Z')",
    )
    .await;
    db.raw("INSERT INTO sign_in_throttle (key, failures, next_at, updated_at) VALUES ('name:old', 3, 0, 1000)")
        .await;
    let n = s.purge_expired().await.unwrap();
    assert_eq!(n, 3, "one session, one failure row, one throttle row");
    let left = db
        .raw("SELECT CAST(COUNT(*) AS TEXT) FROM sign_in_failures")
        .await;
    assert_eq!(left, vec!["1"], "the recent failure stays");
}
