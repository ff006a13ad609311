"""CSRF protection on every form that changes state, and the API key respected by the browser UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import build_app, token

from sanctionsnet.web.security import CSRF_COOKIE, SESSION_COOKIE, Signer
from sanctionsnet.web.state import WebConfig

KEY = "web-test-key-1"
BOOK = "name,schema\nPak Chol Sample,Person\n"
FORMS = [
    ("/ui/batch", {"algorithm": "default"}, {"file": ("b.csv", BOOK, "text/csv")}),
    ("/ui/check", {}, {"file": ("t.csv", "id,type,date\n", "text/csv")}),
    ("/ui/logout", {}, None),
    ("/ui/login", {"key": KEY}, None),
    ("/ui/batch/20250101-000000-abcdef/decisions", {"row": "0", "verdict": "false_positive"}, None),
    ("/ui/batch/20250101-000000-abcdef/rerun", {}, None),
]


@pytest.mark.parametrize(("path", "data", "files"), FORMS)
def test_forms_without_a_valid_csrf_token_are_refused(
    client: TestClient, path: str, data: dict[str, str], files: dict[str, object] | None
) -> None:
    good = token(client)  # the client now holds the nonce cookie this token belongs to
    attempts = [
        {},  # no token at all
        {"csrf_token": "forged"},
        {"csrf_token": good[:-2] + ("AA" if not good.endswith("AA") else "BB")},
    ]
    for extra in attempts:
        response = client.post(path, data={**data, **extra}, files=files, follow_redirects=False)
        assert response.status_code == 403, (path, extra, response.status_code)
        assert "Request refused" in response.text
    # A token is only good with its own cookie: another browser's token does not pass.
    with TestClient(client.app) as other:
        theirs = token(other)
    response = client.post(path, data={**data, "csrf_token": theirs}, files=files,
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 403
    # A page of another site cannot post here even with a stolen token.
    response = client.post(path, data={**data, "csrf_token": good}, files=files,
                           headers={"Origin": "https://evil.example"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 403


def test_csrf_cookie_is_httponly_and_strict(web_app: object) -> None:
    with TestClient(web_app) as fresh:  # type: ignore[arg-type]
        response = fresh.get("/ui/batch")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(CSRF_COOKIE + "=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_a_valid_token_from_this_site_passes(client: TestClient) -> None:
    good = token(client)
    response = client.post(
        "/ui/batch",
        data={"csrf_token": good, "algorithm": "default"},
        files={"file": ("b.csv", BOOK, "text/csv")},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/batch/")
    client.app.state.web.jobs.wait()  # type: ignore[attr-defined]


@pytest.fixture
def keyed(web_home: Path) -> TestClient:
    return TestClient(build_app(web_home, keys=(KEY, "web-test-key-2")))


def test_with_keys_the_ui_asks_for_a_login(keyed: TestClient) -> None:
    with keyed as client:
        for path in ("/", "/ui/batch", "/ui/entity/un-sc-kpi.901", "/?name=Pak"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/ui/login?next=")
        login = client.get("/ui/login?next=/ui/batch")
        assert login.status_code == 200 and 'type="password"' in login.text
        # Assets are public; the API keeps its own rule (a key per request).
        assert client.get("/ui/static/style.css").status_code == 200
        assert client.post("/match/default", json={"queries": {}}).status_code == 401
        # A form post without a session is refused, not redirected.
        assert client.post("/ui/batch", data={}, follow_redirects=False).status_code == 401


def test_login_sets_an_httponly_session_that_unlocks_the_ui(keyed: TestClient) -> None:
    with keyed as client:
        csrf = token(client, "/ui/login")
        wrong = client.post("/ui/login", data={"csrf_token": csrf, "key": "nope", "next": "/"})
        assert wrong.status_code == 401 and "not valid" in wrong.text
        response = client.post(
            "/ui/login",
            data={"csrf_token": csrf, "key": KEY, "next": "/ui/batch"},
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/ui/batch"
        cookie = [
            c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
        ]
        assert cookie and "HttpOnly" in cookie[0]
        assert KEY not in cookie[0]  # the session names the key by its id only
        page = client.get("/ui/batch")
        assert page.status_code == 200 and "signed in with key-" in page.text
        # Screening from the UI is audited under the key's id, as the API does.
        assert client.get("/", params={"name": "Pak Chol Sample"}).status_code == 200
        # Log out: the session is gone.
        out = client.post("/ui/logout", data={"csrf_token": token(client, "/ui/batch")},
                          follow_redirects=False)  # fmt: skip
        assert out.status_code == 303
        assert client.get("/ui/batch", follow_redirects=False).status_code == 303


def test_a_key_in_a_header_also_works(keyed: TestClient) -> None:
    with keyed as client:
        response = client.get("/ui/batch", headers={"Authorization": f"Bearer {KEY}"})
        assert response.status_code == 200
        response = client.get("/ui/batch", headers={"X-API-Key": "wrong"}, follow_redirects=False)
        assert response.status_code == 303


def test_forged_expired_or_revoked_sessions_are_refused(web_home: Path) -> None:
    with TestClient(build_app(web_home, keys=(KEY,))) as client:
        signer: Signer = client.app.state.web.signer  # type: ignore[attr-defined]
        expired = signer.session(KEY, now=1_000_000.0)
        forged = signer.session(KEY).replace("key-", "kex-")
        for value in (expired, forged, "garbage", signer.session("some-other-key")):
            client.cookies.set(SESSION_COOKIE, value)
            assert client.get("/ui/batch", follow_redirects=False).status_code == 303
        client.cookies.set(SESSION_COOKIE, signer.session(KEY))
        assert client.get("/ui/batch").status_code == 200
        session = signer.session(KEY)
    # The same store (same secret) served with the key removed: its sessions end.
    with TestClient(build_app(web_home, keys=("web-test-key-2",))) as client:
        client.cookies.set(SESSION_COOKIE, session)
        assert client.get("/ui/batch", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "\\\\evil", "x"])
def test_login_never_redirects_off_site(web_home: Path, target: str) -> None:
    with TestClient(build_app(web_home, keys=(KEY,))) as client:
        csrf = token(client, "/ui/login")
        response = client.post(
            "/ui/login", data={"csrf_token": csrf, "key": KEY, "next": target},
            follow_redirects=False,
        )  # fmt: skip
        assert response.headers["location"] == "/"


def test_ui_uploads_have_their_own_limit(web_home: Path) -> None:
    """A book bigger than an API request is welcome; one over the UI limit gets a 413 page."""
    app = build_app(web_home, config=WebConfig(max_upload=3_000_000))
    big = "name,schema\n" + "Pak Chol Sample,Person\n" * 60_000  # 1.4 MB: over the API's 1 MB
    with TestClient(app) as client:
        response = client.post(
            "/ui/batch", data={"csrf_token": token(client), "algorithm": "default"},
            files={"file": ("big.csv", big, "text/csv")}, follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        huge = big * 3  # 4.2 MB
        response = client.post(
            "/ui/batch", data={"csrf_token": token(client)},
            files={"file": ("huge.csv", huge, "text/csv")}, follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 413 and "too large" in response.text
        # The API's own limit is untouched.
        api = client.post("/match/default", content=b"{" + b" " * 1_100_000 + b"}",
                          headers={"Content-Type": "application/json"})  # fmt: skip
        assert api.status_code == 413
        app.state.web.jobs.wait()
