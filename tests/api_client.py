"""Helpers for tests that talk to the JSON API as a fresh user."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

PASSWORD = "a long enough password"


def token_for(client: TestClient) -> dict[str, str]:
    """Sign up a new user with a unique e-mail and return their bearer-token headers."""
    email = f"u-{uuid.uuid4().hex[:10]}@example.com"
    assert client.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    token = client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}
