"""Login with an API key when keys are configured; the session is an HttpOnly cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sanctionsnet.web.pages import (
    checked_form,
    field,
    login_session,
    render,
    safe_next,
    secure,
)
from sanctionsnet.web.paths import LOGIN, PREFIX
from sanctionsnet.web.security import SESSION_COOKIE, check_key

router = APIRouter()


@router.get(LOGIN, response_class=HTMLResponse)
async def login_page(request: Request) -> HTMLResponse:
    target = safe_next(request.query_params.get("next"))
    return render(request, "login.html", target=target, error=None, keys_on=_keys_on(request))


@router.post(LOGIN, response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await checked_form(request)
    target = safe_next(field(form, "next"))
    keys: tuple[str, ...] = request.app.state.settings.api_keys
    if not keys:
        return secure(RedirectResponse(target, status_code=303))
    key = field(form, "key").strip()
    if check_key(key, keys) is None:
        return render(
            request,
            "login.html",
            status=401,
            target=target,
            error="That key is not valid." if key else "Enter an API key.",
            keys_on=True,
        )
    response = secure(RedirectResponse(target, status_code=303))
    login_session(request, response, key)
    return response


@router.post(PREFIX + "/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    response = secure(RedirectResponse(LOGIN, status_code=303))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _keys_on(request: Request) -> bool:
    return bool(request.app.state.settings.api_keys)
