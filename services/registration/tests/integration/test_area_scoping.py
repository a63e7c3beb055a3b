"""Each officer sees and changes only their own area; no token, wrong role: refused."""

from datetime import date

from berdaya_shared.api.auth import issue_token
from registration.adapters.tables import Participant

from .helpers import (
    CILANDAK,
    CILANDAK_BARAT,
    CIPAYUNG,
    LEBAK_BULUS,
    admin,
    apply,
    camat_office,
    count,
    create_programme,
    expect,
    expect_problem,
    headers,
    lurah_office,
    outbox_events,
    person,
    register,
    sqlite_only,
    up2k,
)

# Every officer endpoint, with a body that would be accepted from the right caller.
OFFICER_ENDPOINTS = [
    ("POST", "/participants", person("Tamu")), ("GET", "/participants", None),
    ("GET", "/participants/export.csv", None), ("GET", "/participants/{pid}", None),
    ("PATCH", "/participants/{pid}", {"phone": "081311112222"}),
    ("GET", "/participants/{pid}/history", None),
    ("POST", "/applications", {"participant_id": "{pid}", "programme_id": "{prog}"}),
    ("GET", "/applications", None), ("GET", "/applications/{aid}", None),
    ("POST", "/applications/{aid}/verify", None),
    ("POST", "/applications/{aid}/reject", {"reason": "tidak hadir wawancara"}),
    ("POST", "/applications/{aid}/withdraw", {"reason": "pindah domisili"}),
    ("GET", "/duplicates", None), ("POST", "/duplicates/{fid}/decision", {"decision": "duplicate"}),
    ("POST", "/imports", None),
]


def _fill(value, ids):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def call(client, method, path, body, who, ids):  # type: ignore[no-untyped-def]
    kwargs = {"headers": who}
    if path == "/imports":
        kwargs["files"] = {"file": ("daftar.csv", b"nama;nik\n")}
    elif body is not None:
        kwargs["json"] = _fill(body, ids)
    return client.request(method, path.format(**ids), **kwargs)


def test_officers_of_another_area_neither_see_nor_change_cilandak_barat(runtime, client):
    office = lurah_office(client)
    programme, other_programme = create_programme(client, up2k()), create_programme(client, up2k())
    birthday = date(1979, 3, 2)
    siti = register(client, office, person("Siti Aminah", birth_date=birthday))
    hajah = expect(client.post("/participants", headers=office,
                               json=person("Hj. Siti Aminah", birth_date=birthday)), 201)
    flag = hajah["possible_duplicates"][0]
    applied = apply(client, office, siti["id"], programme["id"])
    events_before = len(outbox_events(runtime))

    outsiders = [lurah_office(client, LEBAK_BULUS), camat_office(client, CIPAYUNG),
                 headers(client, "kelurahan_officer", "31.74.06.100")]  # a prefix, not an area
    for who in outsiders:
        pid, aid = siti["id"], applied["id"]
        expect_problem(client.get(f"/participants/{pid}", headers=who), 404)
        expect_problem(client.patch(f"/participants/{pid}", headers=who,
                                    json={"phone": "081311112222"}), 404)
        expect_problem(client.get(f"/participants/{pid}/history", headers=who), 404)
        assert expect(client.get("/participants", headers=who), 200)["items"] == []
        assert expect(client.get("/participants", headers=who,
                                 params={"kelurahan_code": CILANDAK_BARAT}), 200)["items"] == []
        export = client.get("/participants/export.csv", headers=who)
        assert export.status_code == 200 and export.text.strip().splitlines() == [
            "id,full_name,gender,birth_date,phone,kelurahan_code,pkk_cadre,created_at"]
        expect_problem(client.post("/applications", headers=who, json={
            "participant_id": pid, "programme_id": other_programme["id"]}), 404)
        expect_problem(client.get(f"/applications/{aid}", headers=who), 404)
        assert expect(client.get("/applications", headers=who), 200)["items"] == []
        expect_problem(client.post(f"/applications/{aid}/verify", headers=who), 404)
        expect_problem(client.post(f"/applications/{aid}/reject", headers=who,
                                   json={"reason": "bukan warga sini"}), 404)
        expect_problem(client.post(f"/applications/{aid}/withdraw", headers=who,
                                   json={"reason": "bukan warga sini"}), 404)
        assert expect(client.get("/duplicates", headers=who), 200) == []
        expect_problem(client.post(f"/duplicates/{flag['id']}/decision", headers=who,
                                   json={"decision": "not_duplicate"}), 404)
        expect_problem(client.post("/participants", headers=who,
                                   json=person("Warga Cilandak Barat")), 403, "area")

    # The lurah's own office may not move a person out of its area either.
    expect_problem(client.patch(f"/participants/{siti['id']}", headers=office,
                                json={"kelurahan_code": LEBAK_BULUS}), 403, "area")

    # Nothing changed, and the right officers (kelurahan, its kecamatan) still see it all.
    for who in (office, camat_office(client, CILANDAK)):
        record = expect(client.get(f"/participants/{siti['id']}", headers=who), 200)
        assert (record["phone"], record["kelurahan_code"]) == (siti["phone"], CILANDAK_BARAT)
        assert expect(client.get(f"/participants/{siti['id']}/history", headers=who), 200) == []
        assert expect(client.get(f"/applications/{applied['id']}", headers=who), 200)["status"] == "applied"
        assert [f["id"] for f in expect(client.get("/duplicates", headers=who), 200)] == [flag["id"]]
        listed = expect(client.get("/participants", headers=who), 200)["items"]
        assert {p["id"] for p in listed} == {siti["id"], hajah["participant"]["id"]}
        export = client.get("/participants/export.csv", headers=who).text
        assert len(export.strip().splitlines()) == 3 and siti["nik"] not in export
    assert len(outbox_events(runtime)) == events_before
    assert count(runtime, Participant) == 2


@sqlite_only
def test_no_token_is_401_other_roles_are_403_and_only_city_admins_create_programmes(client):
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    siti = register(client, office, person("Siti Aminah"))
    ids = {"pid": siti["id"], "prog": programme["id"],
           "aid": apply(client, office, siti["id"], programme["id"])["id"], "fid": "no-such-flag"}
    forged = {"Authorization": "Bearer " + issue_token(
        "not-our-secret-" * 3, subject="intruder", roles=["city_admin"], area="31")}

    for method, path, body in OFFICER_ENDPOINTS:
        where = f"{method} {path}"
        for who in ({}, forged):
            response = call(client, method, path, body, who, ids)
            assert response.status_code == 401, where
            assert response.headers["content-type"] == "application/problem+json", where
        for role in ("trainer", "field_officer", "integration"):
            response = call(client, method, path, body, headers(client, role, "31"), ids)
            assert response.status_code == 403, (where, role)

    new_programme = up2k(code="UP2K-CILANDAK-2027")
    for who in (office, camat_office(client), headers(client, "trainer", "31")):
        expect_problem(client.post("/programmes", headers=who, json=new_programme), 403, "roles")
    expect_problem(client.post("/programmes", json=new_programme), 401)
    assert create_programme(client, new_programme)["created_by"] == "admin.kota"
    # Everyone with a role may read the programmes (trainers plan cohorts from them).
    listed = expect(client.get("/programmes", headers=headers(client, "trainer", "31")), 200)
    assert {p["code"] for p in listed} == {programme["code"], "UP2K-CILANDAK-2027"}
    assert expect(client.get(f"/participants/{siti['id']}", headers=admin(client)), 200)["id"] == siti["id"]
