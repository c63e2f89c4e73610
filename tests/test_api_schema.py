"""Schemathesis against the app's own OpenAPI spec: whatever a client sends to any endpoint
(signed in as an admin with a valid CSRF token, so every handler runs), no 5xx comes back,
and every error has the one error shape."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from luoshi import store
from luoshi.serve import create_app
from web_support import sign_in

schemathesis = pytest.importorskip("schemathesis")
# CI runs the same 25 cases per operation every time; LUOSHI_FUZZ_EXAMPLES=N explores N new ones.
EXPLORE = bool(os.environ.get("LUOSHI_FUZZ_EXAMPLES"))
EXAMPLES = int(os.environ.get("LUOSHI_FUZZ_EXAMPLES") or 25)


@pytest.fixture(scope="module")
def signed_in(web_app):
    """(the app on this module's copy of the web database, an admin's headers)."""
    client = sign_in(TestClient(web_app), "admin")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    yield web_app, {"Cookie": cookie, "X-CSRF-Token": client.csrf}
    client.close()


def _operations():
    """(method, path) of every operation in the spec, for the test ids."""
    database = store.connect("sqlite://")  # the spec does not depend on the data
    try:
        spec = create_app(database).openapi()
    finally:
        database.close()
    return [(m.upper(), path) for path, ops in spec["paths"].items() for m in ops if path != "/logout"]


@pytest.mark.parametrize("method, path", _operations())
def test_no_server_errors_and_one_error_shape(signed_in, method, path):
    app, headers = signed_in
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=not EXPLORE,
    )
    def run(case):
        response = case.call(headers={**(case.headers or {}), **headers})
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            body = response.json()
            assert set(body) == {"error"} and {"status", "code", "message"} <= set(body["error"]), body

    run()
