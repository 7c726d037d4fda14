//! A program team's first day through the API alone (issue 14's walk): from a database with
//! one administrator, organisations, people, tenants, assignments, a partner admin staffing
//! their own people, what a partner user then sees and may change, and a bulk reassignment
//! with one row left out. Every caller signs in with a password and works with a token it
//! made for itself.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Harness, PASSWORD};
use ftop_domain::UserRole;
use serde_json::{Value, json};

/// A caller of the API with a bearer token it created for itself after signing in.
struct Caller {
    token: String,
}

impl Caller {
    async fn sign_in(h: &Harness, name: &str, password: &str) -> Caller {
        let (cookie, csrf) = h.sign_in(name, password).await;
        let req = Request::post("/api/v1/me/tokens")
            .header(header::COOKIE, format!("ftop_session={cookie}"))
            .header("x-csrf-token", csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"label": "first day"}).to_string()))
            .unwrap();
        let r = h.send(req).await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.body);
        Caller {
            token: r.json()["token"].as_str().unwrap().to_string(),
        }
    }

    async fn call(
        &self,
        h: &Harness,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> common::Reply {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        h.send(req.unwrap()).await
    }

    /// A call that must answer `want`; its JSON.
    async fn expect(
        &self,
        h: &Harness,
        want: StatusCode,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let r = self.call(h, method, path, body).await;
        assert_eq!(r.status, want, "{method} {path}: {}", r.body);
        r.json_or_null()
    }
}

const PW: &str = "copper kettle meadow 41";

fn tenant_id(i: usize) -> String {
    format!("{i:08x}-d9cb-469f-a165-70867728950e")
}

#[tokio::test]
async fn a_team_runs_itself_through_the_api_from_one_administrator() {
    let mut h = Harness::new().await;
    h.person("root", UserRole::Admin, None).await;
    let admin = Caller::sign_in(&h, "root", PASSWORD).await;
    use StatusCode as S;

    // Organisations and people.
    admin
        .expect(
            &h,
            S::CREATED,
            "POST",
            "/api/v1/partners",
            Some(json!({"name": "Contoso Partners"})),
        )
        .await;
    for (name, role, extra) in [
        ("mona", "manager", json!({})),
        ("eric", "engineer", json!({})),
        ("erin", "engineer", json!({})),
        (
            "paula",
            "partner",
            json!({"partner": "Contoso Partners", "partner_admin": true}),
        ),
    ] {
        let mut body = json!({"name": name, "role": role, "password": PW});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        admin
            .expect(&h, S::CREATED, "POST", "/api/v1/users", Some(body))
            .await;
    }
    // Eleven tenants.
    for i in 0..11 {
        let t = json!({"tenant_id": tenant_id(i), "tenant_name": format!("t{i}.onmicrosoft.com"),
                       "customer": format!("Customer {i}"),
                       "services": [{"service": "exchange", "entitlements": 100 + i}]});
        admin
            .expect(&h, S::CREATED, "POST", "/api/v1/tenants", Some(t))
            .await;
    }

    // The manager staffs four tenants with the engineer as primary FE (and herself as FM,
    // which lets her change them), and attaches the organisation to the first two.
    let mona = Caller::sign_in(&h, "mona", PW).await;
    for i in 0..4 {
        let set = json!({"assignments": [{"user": "mona", "role": "fm"}, {"user": "eric", "role": "fe", "primary": true}]});
        mona.expect(
            &h,
            S::OK,
            "PUT",
            &format!("/api/v1/tenants/{}/assignments", tenant_id(i)),
            Some(set),
        )
        .await;
    }
    for i in 0..2 {
        let v = mona
            .expect(
                &h,
                S::OK,
                "PUT",
                &format!("/api/v1/tenants/{}/partners", tenant_id(i)),
                Some(json!({"partners": ["Contoso Partners"]})),
            )
            .await;
        assert_eq!(v["partners"], json!(["Contoso Partners"]));
    }

    // The partner admin adds a partner user and staffs them as P-FE on the first tenant.
    let paula = Caller::sign_in(&h, "paula", PW).await;
    let v = paula
        .expect(
            &h,
            S::CREATED,
            "POST",
            "/api/v1/users",
            Some(json!({"name": "pedro", "role": "partner", "password": PW})),
        )
        .await;
    assert_eq!(v["user"]["partner"], "Contoso Partners");
    let t0 = format!("/api/v1/tenants/{}/assignments", tenant_id(0));
    let mut set = paula.expect(&h, S::OK, "GET", &t0, None).await["assignments"].clone();
    set.as_array_mut()
        .unwrap()
        .push(json!({"user": "pedro", "role": "p-fe"}));
    paula
        .expect(&h, S::OK, "PUT", &t0, Some(json!({"assignments": set})))
        .await;
    // Not on a tenant outside the organisation.
    let t5 = format!("/api/v1/tenants/{}/assignments", tenant_id(5));
    paula
        .expect(
            &h,
            S::NOT_FOUND,
            "PUT",
            &t5,
            Some(json!({"assignments": [{"user": "pedro", "role": "p-fe"}]})),
        )
        .await;

    // The partner user sees exactly the organisation's tenants, editable only where assigned.
    let pedro = Caller::sign_in(&h, "pedro", PW).await;
    let v = pedro
        .expect(&h, S::OK, "GET", "/api/v1/tenants", None)
        .await;
    let mut seen: Vec<String> = v["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tenant_id"].as_str().unwrap().to_string())
        .collect();
    seen.sort();
    assert_eq!(seen, [tenant_id(0), tenant_id(1)]);
    for (i, editable) in [(0, true), (1, false)] {
        let v = pedro
            .expect(
                &h,
                S::OK,
                "GET",
                &format!("/api/v1/tenants/{}", tenant_id(i)),
                None,
            )
            .await;
        assert_eq!(v["can_edit"], editable, "tenant {i}");
    }
    pedro
        .expect(
            &h,
            S::NOT_FOUND,
            "GET",
            &format!("/api/v1/tenants/{}", tenant_id(5)),
            None,
        )
        .await;

    // Bulk reassignment: eric's four tenants to erin, one row left out.
    let preview = mona
        .expect(
            &h,
            S::OK,
            "POST",
            "/api/v1/reassignments",
            Some(json!({"from": "eric", "to": "erin"})),
        )
        .await;
    let moves = preview["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 4);
    let kept = moves[3]["id"].clone();
    let kept_tenant = moves[3]["tenant_id"].as_str().unwrap().to_string();
    let v = mona
        .expect(
            &h,
            S::OK,
            "POST",
            "/api/v1/reassignments",
            Some(json!({"from": "eric", "to": "erin", "exclude": [kept], "apply": true})),
        )
        .await;
    assert_eq!(v["moved"], 3);
    for i in 0..4 {
        let v = mona
            .expect(
                &h,
                S::OK,
                "GET",
                &format!("/api/v1/tenants/{}/assignments", tenant_id(i)),
                None,
            )
            .await;
        let fe: Vec<&str> = v["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["role"] == "fe")
            .map(|a| a["user"].as_str().unwrap())
            .collect();
        let want = if tenant_id(i) == kept_tenant {
            "eric"
        } else {
            "erin"
        };
        assert_eq!(fe, [want], "tenant {i}");
    }

    // Deactivated: the partner user's token stops at the next request.
    admin
        .expect(
            &h,
            S::OK,
            "PATCH",
            "/api/v1/users/pedro",
            Some(json!({"active": false})),
        )
        .await;
    pedro
        .expect(&h, S::UNAUTHORIZED, "GET", "/api/v1/tenants", None)
        .await;
}
