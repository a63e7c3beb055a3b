import pytest
from pydantic import ValidationError

from berdaya_shared.errors import Conflict
from marketplace.api.schemas import ProductChange, ProductCreate
from marketplace.domain import model

PRODUCT = {"name": "Kue lapis", "price": 25000, "unit": "box"}


def test_only_an_active_seller_lists_products():
    model.check_seller_active("active")
    with pytest.raises(Conflict) as refused:
        model.check_seller_active("paused")
    assert refused.value.field == "seller_id"


@pytest.mark.parametrize(("available", "status", "public"), [
    (True, "active", True), (False, "active", False), (True, "paused", False)])
def test_catalogue_shows_available_products_of_active_sellers(available, status, public):
    assert model.is_public(available=available, seller_status=status) is public


@pytest.mark.parametrize("price", [0, -1, "25000", 2.5, True, 1_000_000_001])
def test_price_is_a_positive_whole_number_of_rupiah(price):
    with pytest.raises(ValidationError) as bad:
        ProductCreate.model_validate({**PRODUCT, "price": price})
    assert bad.value.errors()[0]["loc"] == ("price",)


def test_blank_names_are_refused_and_text_is_trimmed():
    with pytest.raises(ValidationError):
        ProductCreate.model_validate({**PRODUCT, "name": "   "})
    assert ProductCreate.model_validate({**PRODUCT, "unit": " pcs "}).unit == "pcs"


def test_a_change_must_change_something():
    with pytest.raises(ValidationError):
        ProductChange.model_validate({})
    assert ProductChange.model_validate({"available": False}).price is None


@pytest.mark.parametrize(("status", "may_list"), [
    ("pending_consent", True), ("active", True), ("paused", False), ("consent_withdrawn", False)])
def test_products_are_prepared_before_consent_but_not_after_a_pause_or_withdrawal(status, may_list):
    if may_list:
        model.check_seller_active(status)
    else:
        with pytest.raises(Conflict):
            model.check_seller_active(status)


@pytest.mark.parametrize("status", ["pending_consent", "paused", "consent_withdrawn"])
def test_only_an_active_seller_shows_in_public(status):
    assert model.is_public(available=True, seller_status=status) is False


def test_consent_opens_a_shop_but_keeps_a_pause():
    assert model.status_after_consent("pending_consent") == "active"
    assert model.status_after_consent("consent_withdrawn") == "active"
    assert model.status_after_consent("paused") == "paused"


def test_the_full_name_is_public_only_when_chosen():
    assert model.public_seller_name(full_name="Siti Aminah", show_full_name=False) is None
    assert model.public_seller_name(full_name="Siti Aminah", show_full_name=True) == "Siti Aminah"


@pytest.mark.parametrize(("check", "allowed"), [
    (model.check_may_pause, {"active"}), (model.check_may_resume, {"paused"}),
    (model.check_may_withdraw, {"active", "paused"})])
def test_status_moves_are_checked(check, allowed):
    for status in ("pending_consent", "active", "paused", "consent_withdrawn"):
        if status in allowed:
            check(status)
        else:
            with pytest.raises(Conflict) as refused:
                check(status)
            assert refused.value.field == "status"
