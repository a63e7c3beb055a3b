"""Attendance per session (bulk, corrections audited, constant queries) and assessments."""

import uuid
from contextlib import contextmanager

from sqlalchemy import event, func, select

from training.adapters.tables import Assessment, Attendance, AttendanceCorrection

from .helpers import officer, ok, schedule, sheet, trainer


def count(runtime, model, *where) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


@contextmanager
def statements(engine):
    """Count the SQL statements sent to the database inside the block."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_correction_is_audited_with_who_when_and_old_to_new(runtime, client):
    run = schedule(runtime, client, 2, sessions=1)
    first, second = run.people
    path = f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance"
    ok(client.put(path, headers=officer(runtime), json=sheet({first: "present", second: "absent"})))

    corrected = ok(client.put(path, headers=trainer(runtime, "pelatih-1"),
                              json=sheet({first: "present", second: "excused"})))

    assert corrected == {"recorded": 2, "corrected": 1}
    stored = {a["participant_id"]: (a["status"], a["recorded_by"])
              for a in ok(client.get(path, headers=officer(runtime)))}
    assert stored == {first: ("present", "camat-cilandak"), second: ("excused", "pelatih-1")}
    [audit] = ok(client.get(f"{path}/corrections", headers=officer(runtime)))
    assert (audit["participant_id"], audit["old_status"], audit["new_status"]) == \
        (second, "absent", "excused")
    assert audit["corrected_by"] == "pelatih-1" and audit["corrected_at"]
    sessions = ok(client.get(f"/cohorts/{run.cohort}/sessions", headers=officer(runtime)))
    assert sessions[0]["attendance_recorded_by"] == "pelatih-1"


def test_a_bad_sheet_names_the_field_and_stores_nothing(runtime, client):
    run = schedule(runtime, client, 2, sessions=1)
    first, second = run.people
    headers, stranger = officer(runtime), str(uuid.uuid4())
    path = f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance"

    for url, body, status, field in [
        (f"/cohorts/{run.cohort}/sessions/{uuid.uuid4()}/attendance",
         sheet({first: "present", second: "present"}), 404, "session_id"),
        (path, sheet({first: "present", stranger: "present"}), 422, "entries.1.participant_id"),
        (path, {"entries": [{"participant_id": first, "status": "present"},
                            {"participant_id": first, "status": "absent"}]}, 422,
         "entries.1.participant_id"),
        (path, sheet({first: "present"}), 422, "entries"),  # the whole session, every member
    ]:
        refused = client.put(url, headers=headers, json=body)
        assert (refused.status_code, refused.json()["field"]) == (status, field), refused.text

    assert count(runtime, Attendance) == 0
    assert ok(client.get(f"/cohorts/{run.cohort}/sessions", headers=headers))[0][
        "attendance_recorded_at"] is None


def test_attendance_of_a_planned_cohort_waits_for_its_start(runtime, client):
    run = schedule(runtime, client, 1, sessions=1, start=False)
    refused = client.put(f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance",
                         headers=officer(runtime), json=sheet({run.people[0]: "present"}))
    assert refused.status_code == 409 and refused.json()["field"] == "status"


def test_a_thousand_participants_are_recorded_without_per_participant_queries(runtime, client):
    small = schedule(runtime, client, 10, sessions=1, capacity=1000)
    large = schedule(runtime, client, 1000, sessions=1, capacity=1000)
    headers = officer(runtime)

    def save(run, status):  # type: ignore[no-untyped-def]
        path = f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance"
        with statements(runtime.engine) as sent:
            ok(client.put(path, headers=headers, json=sheet(dict.fromkeys(run.people, status))))
        return len(sent)

    # The same number of statements for 10 members as for 1,000, first entry and correction.
    assert save(small, "present") == save(large, "present")
    assert save(small, "absent") == save(large, "absent")
    assert count(runtime, Attendance, Attendance.cohort_id == large.cohort,
                 Attendance.status == "absent") == 1000
    assert count(runtime, AttendanceCorrection) == 1010


def test_scores_are_0_to_100_per_kind_with_who_and_when(runtime, client):
    run = schedule(runtime, client, 2, sessions=1)
    first, second = run.people
    headers, path = officer(runtime), f"/cohorts/{run.cohort}/assessments"

    for body, status, field in [
        ({"scores": [{"participant_id": first, "kind": "practical", "score": 101}]}, 422,
         "scores.0.score"),
        ({"scores": [{"participant_id": first, "kind": "oral", "score": 80}]}, 422,
         "scores.0.kind"),
        ({"scores": [{"participant_id": first, "kind": "practical", "score": 80},
                     {"participant_id": str(uuid.uuid4()), "kind": "practical", "score": 80}]},
         422, "scores.1.participant_id"),
    ]:
        refused = client.put(path, headers=headers, json=body)
        assert (refused.status_code, refused.json()["field"]) == (status, field), refused.text
    assert count(runtime, Assessment) == 0

    ok(client.put(path, headers=headers, json={"scores": [
        {"participant_id": first, "kind": "practical", "score": 0},
        {"participant_id": first, "kind": "written", "score": 100},
        {"participant_id": second, "kind": "practical", "score": 55}]}))
    ok(client.put(path, headers=trainer(runtime, "pelatih-1"), json={"scores": [
        {"participant_id": second, "kind": "practical", "score": 65}]}))  # re-assessed
    scores = {(s["participant_id"], s["kind"]): (s["score"], s["assessed_by"])
              for s in ok(client.get(path, headers=headers))}
    assert scores == {(first, "practical"): (0, "camat-cilandak"),
                      (first, "written"): (100, "camat-cilandak"),
                      (second, "practical"): (65, "pelatih-1")}
