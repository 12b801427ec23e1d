"""When the database drops the app's connections, requests fail fast with 503 and the app recovers."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from rehearse.settings import Settings
from rehearse.web.app import create_app


@pytest.mark.postgres
def test_terminated_connections_are_replaced_and_requests_recover(postgres_schema, tmp_path):
    """pg_terminate_backend on this app's own connections (found by application_name) only."""
    own = type(postgres_schema)(postgres_schema.base_url)
    name = f"rehearse-fault-{uuid.uuid4().hex[:8]}"
    app = create_app(Settings(data_dir=tmp_path, database_url=f"{own.url}&application_name={name}",
                              secret_key="k" * 48, feedback_backend="lexical"))
    admin = create_engine(own.base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        client = TestClient(app)
        assert client.get("/api/roles").status_code == 200
        for _ in range(3):
            with admin.begin() as connection:
                killed = connection.execute(
                    text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :n"),
                    {"n": name},
                ).scalar()
            assert killed >= 1
            statuses = [client.get("/api/roles").status_code for _ in range(5)]
            assert all(status in (200, 503) for status in statuses), statuses
            assert statuses[-1] == 200  # recovered by itself, without a restart
        assert client.get("/readyz").status_code == 200
    finally:
        admin.dispose()
        app.state.database.dispose()
        own.drop()


def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(tmp_path):
    from rehearse.db.database import Database

    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'ok.db'}",
                              secret_key="k" * 48, feedback_backend="lexical"))
    try:
        # The running app loses its database: a PostgreSQL URL where nothing listens (port 1, loopback).
        app.state.database.dispose()
        app.state.database = Database("postgresql://rehearse@127.0.0.1:1/none?connect_timeout=2")
        response = TestClient(app).get("/api/roles")
        assert response.status_code == 503 and response.headers["retry-after"] == "5"
        assert "database is busy or unreachable" in response.json()["detail"]
        assert TestClient(app).get("/readyz").status_code == 503
        page = TestClient(app).get("/roles/anything")
        assert page.status_code == 503 and "text/html" in page.headers["content-type"]
    finally:
        app.state.database.dispose()
