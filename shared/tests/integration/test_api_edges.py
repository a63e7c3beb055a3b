"""What every service's API does at its edges, whatever the route: problems in the caller's
language, text PostgreSQL cannot store refused as a 422 naming the field, integers bounded to
their columns, and a bug of ours answered, logged and counted like any other request."""

import json
import logging
import threading
import time
from typing import Annotated

import pytest
import structlog
from fastapi import APIRouter, FastAPI, File, Form, UploadFile
from fastapi.testclient import TestClient
from pydantic import BaseModel
from pydantic import Field as PField
from sqlmodel import Field, Session, select

from berdaya_shared.api.app import create_service_app
from berdaya_shared.api.types import INT32_MAX, Int32, NoNul
from berdaya_shared.db import (
    conflict_on_duplicate,
    get_for_update,
    make_engine,
    new_base,
    session_factory,
    transaction,
)
from berdaya_shared.errors import Conflict, ProblemError
from berdaya_shared.logging import configure_logging
from berdaya_shared.settings import ServiceSettings


class Thing(BaseModel):
    name: Annotated[str, PField(max_length=20)]
    count: Int32 = 0
    tags: list[Annotated[str, PField(max_length=20)]] = []


def _router() -> APIRouter:
    router = APIRouter()

    @router.get("/things/{thing_id}")
    def get_thing(thing_id: str, q: Annotated[str | None, PField(max_length=20)] = None) -> dict[str, str]:
        if thing_id == "taken":
            raise Conflict("Nama ini sudah dipakai.", en="This name is taken.", field="thing_id")
        return {"id": thing_id, "q": q or ""}

    @router.post("/things")
    def create_thing(body: Thing) -> dict[str, int]:
        return {"count": body.count}

    @router.post("/uploads")
    def upload(file: Annotated[UploadFile, File()],
               note: Annotated[str, Form(max_length=20), NoNul]) -> dict[str, str]:
        return {"note": note}

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug of ours, with secret input 3174064101900001")

    return router


@pytest.fixture
def client(tmp_path):  # type: ignore[no-untyped-def]
    settings = ServiceSettings(service_name="edges", environment="test",
                               database_url=f"sqlite:///{tmp_path / 'edges.db'}",
                               kafka_bootstrap_servers="127.0.0.1:1")
    engine = make_engine(settings.database_url)
    app: FastAPI = create_service_app(settings=settings, engine=engine, routers=[_router()])
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    engine.dispose()


def test_problems_are_bahasa_by_default_and_english_on_request(client):
    bahasa = client.get("/things/taken")
    assert bahasa.status_code == 409
    assert bahasa.headers["content-type"] == "application/problem+json"
    assert bahasa.json()["title"] == "Konflik"
    assert bahasa.json()["detail"] == "Nama ini sudah dipakai."
    assert bahasa.json()["field"] == "thing_id"
    assert bahasa.headers["content-language"] == "id"
    for header in ("en", "en-US,en;q=0.9", "id;q=0.3, en;q=0.8"):
        english = client.get("/things/taken", headers={"Accept-Language": header})
        assert english.json()["title"] == "Conflict", header
        assert english.json()["detail"] == "This name is taken."
        assert english.headers["content-language"] == "en"
    for header in ("fr", "id", "en;q=0.2, id"):
        assert client.get("/things/taken", headers={"Accept-Language": header}
                          ).json()["title"] == "Konflik", header


def test_validation_messages_are_bahasa_and_name_the_field(client):
    too_big = client.post("/things", json={"name": "ok", "count": INT32_MAX + 1})
    assert too_big.status_code == 422 and too_big.json()["field"] == "count"
    assert too_big.json()["title"] == "Masukan tidak valid"
    assert too_big.json()["errors"] == [{"field": "count", "message": f"paling besar {INT32_MAX}"}]
    assert client.post("/things", json={"name": "ok", "count": INT32_MAX}).json() == {
        "count": INT32_MAX}
    missing = client.post("/things", json={}, headers={"Accept-Language": "en"})
    assert missing.json()["title"] == "Invalid input"
    assert missing.json()["errors"] == [{"field": "name", "message": "Field required"}]
    assert client.post("/things", json={}).json()["errors"][0]["message"] == "wajib diisi"
    broken = client.post("/things", content=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["title"] == "JSON tidak sah"


@pytest.mark.parametrize(("method", "url", "kwargs", "field"), [
    ("get", "/things/abc?q=%00", {}, "q"),
    ("get", "/things/abc?q=a%00b", {}, "q"),
    ("get", "/things/a%00b", {}, "path"),
    ("post", "/things", {"json": {"name": "a\x00b"}}, "name"),
    ("post", "/things", {"json": {"name": "ok", "tags": ["x", "y\x00"]}}, "tags.1"),
    ("post", "/things", {"content": b'{"name": "\\u0000"}',
                         "headers": {"Content-Type": "application/json"}}, "name"),
    ("post", "/things", {"data": {"name": "a\x00"}}, "name"),
    ("post", "/uploads", {"files": {"file": ("a.csv", b"x")}, "data": {"note": "a\x00b"}}, "note"),
])
def test_text_with_a_nul_character_is_a_422_naming_the_field(client, method, url, kwargs, field):
    answer = getattr(client, method)(url, **kwargs)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert "NUL" in answer.json()["detail"]
    assert answer.headers["X-Request-ID"]


def test_a_bug_of_ours_is_logged_with_ids_counted_and_answered_as_a_problem(client, capsys):
    configure_logging("edges", "INFO")
    try:
        capsys.readouterr()
        answer = client.get("/boom", headers={"X-Request-ID": "req-500",
                                              "X-Correlation-ID": "corr-500"})
        out = capsys.readouterr().out
    finally:
        structlog.reset_defaults()
        structlog.contextvars.clear_contextvars()
        logging.getLogger().handlers.clear()
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["X-Request-ID"] == "req-500"
    assert answer.json()["title"] == "Kesalahan internal"
    assert "3174064101900001" not in answer.text  # never echoes input
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    error = next(e for e in lines if e["event"] == "http.unhandled_error")
    assert error["request_id"] == "req-500" and error["correlation_id"] == "corr-500"
    assert error["level"] == "error" and "RuntimeError" in error["exception"]
    assert "3174064101900001" not in out  # the 16-digit number is redacted from the traceback
    request = next(e for e in lines if e["event"] == "http.request")
    assert request["status"] == 500 and request["request_id"] == "req-500"
    metrics = client.get("/metrics").text
    assert 'berdaya_http_requests_total{method="GET",route="/boom",service="edges",status="500"}' \
        in metrics


# ---- row locks and unique-violation conflicts, on SQLite and PostgreSQL ----

Base = new_base()


class Seat(Base, table=True):  # type: ignore[call-arg]
    __tablename__ = "seat"
    id: str = Field(primary_key=True)  # type: ignore[assignment]
    status: str = "free"


def _table_engine(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    return engine


def test_get_for_update_waits_for_the_holder_and_sees_what_it_wrote(database_url):
    engine = _table_engine(database_url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        session.add(Seat(id="s1"))
    holding, seen = threading.Event(), []

    def second_reader() -> None:
        holding.wait(10)
        with transaction(sessions) as session:
            seat = get_for_update(session, Seat, "s1")
            assert seat is not None
            seen.append(seat.status)

    reader = threading.Thread(target=second_reader)
    reader.start()
    with transaction(sessions) as session:
        seat = get_for_update(session, Seat, "s1")
        assert seat is not None and seat.status == "free"
        seat.status = "taken"
        session.add(seat)
        session.flush()
        holding.set()
        time.sleep(0.5)  # the reader is now queued on the row (PostgreSQL) or on BEGIN (SQLite)
    reader.join(15)
    assert seen == ["taken"]  # never the stale "free": it waited for the commit
    engine.dispose()


def test_conflict_on_duplicate_turns_a_unique_race_into_a_409(database_url):
    engine = _table_engine(database_url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        session.add(Seat(id="s1"))
    with pytest.raises(Conflict) as caught, transaction(sessions) as session:
        with conflict_on_duplicate(session, field="id", detail="Kursi ini sudah ada.",
                                   en="This seat exists."):
            session.add(Seat(id="s1"))
    assert caught.value.field == "id" and caught.value.detail_in("en") == "This seat exists."
    with transaction(sessions) as session:  # the outer transaction stays usable after the 409
        try:
            with conflict_on_duplicate(session, field="id", detail="ada"):
                session.add(Seat(id="s1"))
        except ProblemError:
            pass
        session.add(Seat(id="s2"))
    with Session(engine) as session:
        assert sorted(s.id for s in session.exec(select(Seat)).all()) == ["s1", "s2"]
    engine.dispose()
