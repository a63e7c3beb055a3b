"""Trainers and mentors: phones normalised to +62, areas from the shared gazetteer, each
officer sees and manages only the people of their area."""

from .people_helpers import CIPAYUNG, LEBAK_BULUS, mentor_body, officer, ok


def test_a_mentor_is_recorded_with_a_normalised_phone_and_the_default_caseload(runtime, client):
    camat = officer(runtime)
    mentor = ok(client.post("/people", headers=camat, json=mentor_body()), 201)
    assert mentor["phone"] == "+6281234567890"
    assert mentor["max_caseload"] == runtime.settings.mentor_max_caseload == 25
    assert mentor["created_by"] == "camat-cilandak"
    trainer = ok(client.post("/people", headers=camat, json={
        "kind": "trainer", "full_name": "Budi Santoso", "organisation": "Sudin UMKM Jakarta Selatan",
        "phone": "+62 21 7501524", "area_code": LEBAK_BULUS, "user_subject": "budi"}), 201)
    assert trainer["phone"] == "+62217501524" and trainer["max_caseload"] is None
    assert ok(client.get(f"/people/{mentor['id']}", headers=camat))["full_name"] == "Dewi Lestari"


def test_bad_people_are_refused_naming_the_field(runtime, client):
    camat = officer(runtime)
    bad_phone = client.post("/people", headers=camat, json=mentor_body(phone="0812345"))
    assert bad_phone.status_code == 422 and bad_phone.json()["field"] == "phone"
    assert "nomor telepon" in bad_phone.json()["detail"]
    english = client.post("/people", headers={**camat, "Accept-Language": "en"},
                          json=mentor_body(phone="+65 8123 4567"))
    assert english.status_code == 422 and "Indonesian" in english.json()["detail"]
    unknown = client.post("/people", headers=camat, json=mentor_body(area_code="31.74.06.1099"))
    assert unknown.status_code == 422 and unknown.json()["field"] == "area_code"
    trainer_cap = client.post("/people", headers=camat,
                              json=mentor_body(kind="trainer", max_caseload=5))
    assert trainer_cap.status_code == 422 and trainer_cap.json()["field"] == "max_caseload"
    elsewhere = client.post("/people", headers=camat, json=mentor_body(area_code=CIPAYUNG))
    assert elsewhere.status_code == 403
    ok(client.post("/people", headers=camat, json=mentor_body(user_subject="dewi")), 201)
    twice = client.post("/people", headers=camat, json=mentor_body(user_subject="dewi"))
    assert twice.status_code == 409 and twice.json()["field"] == "user_subject"
    listed = ok(client.get("/people", headers=camat))["items"]
    assert len(listed) == 1  # nothing else was stored


def test_officers_see_and_change_only_the_people_of_their_area(runtime, client):
    camat, cipayung = officer(runtime), officer(runtime, area=CIPAYUNG, subject="camat-cipayung")
    admin = officer(runtime, area="31", subject="admin", role="city_admin")
    ours = ok(client.post("/people", headers=camat, json=mentor_body()), 201)
    theirs = ok(client.post("/people", headers=cipayung,
                            json=mentor_body(full_name="Rina", area_code=CIPAYUNG)), 201)
    assert [p["id"] for p in ok(client.get("/people", headers=camat))["items"]] == [ours["id"]]
    assert [p["id"] for p in ok(client.get("/people", headers=cipayung))["items"]] == [theirs["id"]]
    assert {p["id"] for p in ok(client.get("/people", headers=admin))["items"]} == {
        ours["id"], theirs["id"]}
    assert client.get(f"/people/{theirs['id']}", headers=camat).status_code == 404
    assert client.patch(f"/people/{theirs['id']}", headers=camat,
                        json={"full_name": "X"}).status_code == 404
    assert ok(client.get(f"/people/{theirs['id']}", headers=admin))["full_name"] == "Rina"


def test_a_correction_is_attributed_and_normalised(runtime, client):
    camat = officer(runtime)
    mentor = ok(client.post("/people", headers=camat, json=mentor_body()), 201)
    changed = ok(client.patch(f"/people/{mentor['id']}", headers=officer(runtime, subject="lurah"),
                              json={"phone": "0813 1111 2222", "max_caseload": 10,
                                    "organisation": "OK OCE Cilandak"}))
    assert changed["phone"] == "+6281311112222" and changed["max_caseload"] == 10
    assert changed["organisation"] == "OK OCE Cilandak" and changed["updated_by"] == "lurah"
    bad = client.patch(f"/people/{mentor['id']}", headers=camat, json={"phone": "nomor saya"})
    assert bad.status_code == 422 and bad.json()["field"] == "phone"
    assert ok(client.get(f"/people/{mentor['id']}", headers=camat))["phone"] == "+6281311112222"


def test_people_are_listed_page_by_page_with_the_keyset_cursor(runtime, client):
    camat = officer(runtime)
    ids = {ok(client.post("/people", headers=camat, json=mentor_body(full_name=f"Mentor {i}")),
              201)["id"] for i in range(5)}
    ok(client.post("/people", headers=camat, json=mentor_body(kind="trainer")), 201)
    seen, cursor = [], None
    while True:
        page = ok(client.get("/people", headers=camat,
                             params={"kind": "mentor", "limit": 2, **({"cursor": cursor} if cursor else {})}))
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 and set(seen) == ids
