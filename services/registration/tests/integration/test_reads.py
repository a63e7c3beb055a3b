"""Reads an officer types into: searches with odd characters, tampered cursors, and a
programme open to all of Jakarta."""

import base64
import json

from .helpers import (
    admin,
    born,
    create_programme,
    expect,
    expect_problem,
    lurah_office,
    person,
    register,
    up2k,
)


def test_percent_and_underscore_in_a_name_search_are_plain_characters(client):
    lurah = lurah_office(client)
    register(client, lurah, person("Siti Aminah"))
    register(client, lurah, person("Dewi_Lestari", birth_date=born(3)))
    everyone = expect(client.get("/participants", headers=lurah, params={"q": "%"}), 200)["items"]
    assert everyone == []
    underscored = expect(client.get("/participants", headers=lurah, params={"q": "i_l"}), 200)
    assert [p["full_name"] for p in underscored["items"]] == ["Dewi_Lestari"]
    assert expect(client.get("/participants", headers=lurah, params={"q": "AMINAH"}), 200)["items"]


def test_a_tampered_cursor_is_a_422_naming_the_cursor(client):
    lurah = lurah_office(client)
    for values in ([None, None], [{"a": 1}, "x"], ["only one"]):
        cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
        expect_problem(client.get("/participants", headers=lurah, params={"cursor": cursor}),
                       422, "cursor")
        expect_problem(client.get("/applications", headers=lurah, params={"cursor": cursor}),
                       422, "cursor")


def test_a_programme_may_target_the_whole_province(client):
    body = up2k(target_area_code="31", kelurahan_quota=None,
                eligibility_rules=[{"kind": "resides_in", "area_codes": ["31"]}])
    programme = create_programme(client, body)
    assert programme["target_area_code"] == "31"
    assert expect(client.get(f"/programmes/{programme['id']}", headers=admin(client)), 200)["id"]
