"""Account endpoints: login and logout, passwords, API keys, settings, sandbox accounts."""

from __future__ import annotations

from typing import Any

from .errors import (
    ACCOUNT_EXISTS,
    ACCOUNT_UNPRIVILEGED,
    INVALID_OPTION,
    INVALID_QUERY,
    ITEM_NOT_FOUND,
    LOGIN_INVALID,
    MISSING_PARAMETER,
    UNPRIVILEGED_COMMENT,
    ApiError,
)
from .params import Params
from .protocol import Request, Response, Route, documented
from .state import (
    AUTHORIZATION_FOR_MECHANICAL,
    DEFAULT_JOB_NOTES,
    REQUIRE_AUTHORIZATION,
    SETTING_DEFAULTS,
    Account,
    State,
    new_id,
)

MAX_JOB_NOTES = 6000
LOGIN_HEADERS = {
    "username": "x-auth-user",
    "password": "x-auth-password",
    "securekey": "x-auth-securekey",
}
"""Login takes its credentials from the query (or form) or from these headers."""


def login(request: Request, state: State) -> Response:
    """A new API token for a username with its password or one of its secure keys."""
    username = _credential(request, "username")
    password = _credential(request, "password")
    securekey = _credential(request, "securekey")
    if not username:
        raise ApiError(MISSING_PARAMETER, "missing required parameter: username (or x-auth-user)")
    if not password and not securekey:
        raise ApiError(
            MISSING_PARAMETER,
            "missing required parameter: password or securekey "
            "(or the x-auth-password or x-auth-securekey header)",
        )
    with state.lock:
        account = state.accounts.get(username)
        given = [secret for secret in (securekey, password) if secret]
        if any(secret in state.removed_keys for secret in given):
            raise ApiError(ACCOUNT_UNPRIVILEGED, f"{UNPRIVILEGED_COMMENT} (a removed securekey)")
        if account is None:
            raise ApiError(LOGIN_INVALID, "Invalid username or password (username)")
        if securekey and securekey not in account.api_keys:
            raise ApiError(LOGIN_INVALID, f"Invalid securekey for {username!r} (securekey)")
        if not securekey and password != account.password:
            raise ApiError(LOGIN_INVALID, f"Invalid password for {username!r} (password)")
        token = new_id()
        state.add_token(token, account.username, permanent=False)
    return Response.json({"ApiToken": token})


def _credential(request: Request, name: str) -> str | None:
    """A login credential from the query or form, else from its x-auth header."""
    value = request.params.optional(name)
    if value is None:
        value = request.headers.get(LOGIN_HEADERS[name])
    return value


def logout(request: Request, state: State) -> Response:
    """End the session: the token is refused from now on (permanent tokens stay valid)."""
    token = request.params.required("api_token")
    with state.lock:
        session = state.sessions.get(token)
        if session is not None and not session.permanent:
            del state.sessions[token]
    return Response.no_content()


def update_password(request: Request, state: State) -> Response:
    """Set a new password for the caller, or for its sub-account ``username`` (POST only)."""
    params = request.params
    new_password = params.required("new_password")
    with state.lock:
        account = state.managed_account(request.caller, params.optional("username"), "username")
        account.password = new_password
    return Response.no_content()


def update_setting(request: Request, state: State) -> Response:
    """Change one account setting of the caller or of its sub-account ``account_id``."""
    params = request.params
    name = params.choice("setting", tuple(SETTING_DEFAULTS))
    value = _setting_value(params, name)
    with state.lock:
        account = state.managed_account(request.caller, params.optional("account_id"), "account_id")
        account.settings[name] = value
    return Response.no_content()


def _setting_value(params: Params, name: str) -> Any:
    """The typed value of ``value`` for setting ``name``."""
    if params.optional("value") is None:
        raise ApiError(MISSING_PARAMETER, "missing required parameter: value")
    if name == DEFAULT_JOB_NOTES:
        text = params.optional("value") or ""
        if len(text) > MAX_JOB_NOTES:
            raise ApiError(
                INVALID_OPTION, f"value: {name} is limited to {MAX_JOB_NOTES} characters"
            )
        return text
    assert name in (REQUIRE_AUTHORIZATION, AUTHORIZATION_FOR_MECHANICAL)
    value = params.optional("value") or ""
    if value.lower() not in ("true", "false"):
        raise ApiError(INVALID_OPTION, f"value: {name} must be true or false, got {value!r}")
    return value.lower() == "true"


def get_settings(request: Request, state: State) -> Response:
    """The caller's settings, inherited ones included, as a JSON object."""
    with state.lock:
        settings = {name: state.setting(request.caller, name) for name in SETTING_DEFAULTS}
    return Response.json(settings)


def verify_key(request: Request, state: State) -> Response:
    """Whose token this is: ``{"name": <username>}``."""
    return Response.json({"name": request.caller})


def generate_api_key(request: Request, state: State) -> Response:
    """The secure key of the caller (or of its sub-account ``account_id``): the existing one,
    or a new one with ``force_new=true`` or when it has none."""
    params = request.params
    force_new = params.boolean("force_new")
    with state.lock:
        account = state.managed_account(request.caller, params.optional("account_id"), "account_id")
        if force_new or not account.api_keys:
            account.api_keys.append(new_id())
        key = account.api_keys[-1] if force_new else account.api_keys[0]
    return Response.json({"ApiKey": key})


def remove_api_key(request: Request, state: State) -> Response:
    """Invalidate a secure key of the caller or of one of its sub-accounts."""
    key = request.params.required("api_securekey")
    with state.lock:
        owner = next((a for a in state.accounts.values() if key in a.api_keys), None)
        if owner is None:
            raise ApiError(ITEM_NOT_FOUND, f"api_securekey {key!r} is not an active key")
        if not state.is_within(owner.username, request.caller):
            raise ApiError(ACCOUNT_UNPRIVILEGED, f"{UNPRIVILEGED_COMMENT} (api_securekey)")
        owner.api_keys.remove(key)
        state.removed_keys.add(key)
    return Response.no_content()


def create_account(request: Request, state: State) -> Response:
    """Create a sandbox account (POST): top-level, or a sub-account of ``parent_account``.

    ``sub_account`` names an existing descendant of the caller that becomes a sub-account of
    the new account.
    """
    params = request.params
    username = params.required("new_username")
    password = params.required("new_password")
    parent_name = params.optional("parent_account") or None
    child_name = params.optional("sub_account") or None
    with state.lock:
        if username in state.accounts:
            raise ApiError(ACCOUNT_EXISTS, f"new_username: an account named {username!r} exists")
        parent = None
        if parent_name is not None:
            parent = state.managed_account(request.caller, parent_name, "parent_account")
        child = None
        if child_name is not None:
            child = state.managed_account(request.caller, child_name, "sub_account")
            if child.username == request.caller:
                raise ApiError(INVALID_QUERY, "sub_account cannot be the calling account")
            if parent is not None and state.is_within(parent.username, child.username):
                raise ApiError(
                    INVALID_QUERY,
                    f"sub_account {child.username!r} is parent_account or one of its ancestors",
                )
        state.add_account(
            Account(
                username,
                password,
                parent=parent.username if parent is not None else None,
                first_name=params.optional("first_name"),
                last_name=params.optional("last_name"),
                email=params.optional("email"),
                created=state.now(),
            )
        )
        if child is not None:
            child.parent = username
    return Response.no_content()


ROUTES: dict[str, Route] = {
    "/api/account/login": Route(
        login, needs_token=False, names=documented("username", "password", "securekey")
    ),
    "/api/account/logout": Route(logout),
    "/api/account/update_password": Route(
        update_password, methods=("POST",), names=documented("new_password", "username")
    ),
    "/api/account/update_setting": Route(
        update_setting, methods=("POST",), names=documented("setting", "value", "account_id")
    ),
    "/api/account/get_settings": Route(get_settings),
    "/api/account/verify_key": Route(verify_key),
    "/api/account/generate_api_key": Route(
        generate_api_key, names=documented("account_id", "force_new")
    ),
    "/api/account/remove_api_key": Route(remove_api_key, names=documented("api_securekey")),
    "/api/account/create": Route(
        create_account,
        methods=("POST",),
        names=documented(
            "new_username",
            "new_password",
            "sub_account",
            "parent_account",
            "first_name",
            "last_name",
            "email",
        ),
    ),
}
