"""Order rules: the life cycle, what may be ordered, the token bucket, fingerprints."""

from datetime import UTC, date, datetime, timedelta

import pytest

from berdaya_shared.errors import Conflict, InvalidInput
from marketplace.domain.orders import (
    Bucket,
    BuyerKind,
    NewOrder,
    OrderStatus,
    check_delivery_date,
    check_orderable,
    check_quantity,
    check_transition,
    take_token,
)

NOW = datetime(2027, 4, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("current", "new"), [
    ("placed", OrderStatus.ACCEPTED), ("placed", OrderStatus.DECLINED),
    ("accepted", OrderStatus.FULFILLED), ("accepted", OrderStatus.CANCELLED)])
def test_allowed_transitions(current, new):
    check_transition(current, new)


@pytest.mark.parametrize(("current", "new"), [
    ("placed", OrderStatus.FULFILLED), ("placed", OrderStatus.CANCELLED),
    ("accepted", OrderStatus.ACCEPTED), ("declined", OrderStatus.ACCEPTED),
    ("fulfilled", OrderStatus.CANCELLED), ("cancelled", OrderStatus.FULFILLED)])
def test_wrong_transitions_are_conflicts_naming_status(current, new):
    with pytest.raises(Conflict) as refused:
        check_transition(current, new)
    assert refused.value.field == "status" and refused.value.en


@pytest.mark.parametrize(("available", "seller", "ok"), [
    (True, "active", True), (False, "active", False), (True, "paused", False),
    (True, "pending_consent", False), (True, "consent_withdrawn", False)])
def test_only_a_visible_product_may_be_ordered(available, seller, ok):
    if ok:
        check_orderable(available=available, seller_status=seller)
    else:
        with pytest.raises(Conflict):
            check_orderable(available=available, seller_status=seller)


def test_quantity_within_stock():
    check_quantity(5, 5)
    check_quantity(10_000, None)  # made to order
    with pytest.raises(Conflict) as above:
        check_quantity(6, 5)
    assert above.value.field == "quantity"
    with pytest.raises(InvalidInput):
        check_quantity(0, None)
    with pytest.raises(InvalidInput):
        check_quantity(10_001, None)


def test_delivery_date_today_to_a_year_ahead():
    today = date(2027, 4, 10)
    check_delivery_date(None, today=today)
    check_delivery_date(today, today=today)
    for bad in (today - timedelta(days=1), today + timedelta(days=400)):
        with pytest.raises(InvalidInput):
            check_delivery_date(bad, today=today)


def test_the_bucket_allows_a_burst_then_refills_at_its_rate():
    bucket, wait = None, None
    for _ in range(3):
        bucket, wait = take_token(bucket, now=NOW, per_minute=6, burst=3)
        assert wait is None
    refused, wait = take_token(bucket, now=NOW, per_minute=6, burst=3)
    assert wait == 10  # one token every 10 s
    later, wait = take_token(refused, now=NOW + timedelta(seconds=10), per_minute=6, burst=3)
    assert wait is None and later.tokens == pytest.approx(0)
    full, _ = take_token(Bucket(0, NOW), now=NOW + timedelta(hours=1), per_minute=6, burst=3)
    assert full.tokens == pytest.approx(2)  # never more than the burst


def test_the_fingerprint_changes_with_the_request():
    order = NewOrder(product_id="p", quantity=2, buyer_kind=BuyerKind.PUBLIC, buyer_name="Rina")
    same = NewOrder(product_id="p", quantity=2, buyer_kind=BuyerKind.PUBLIC, buyer_name="Rina")
    other = NewOrder(product_id="p", quantity=3, buyer_kind=BuyerKind.PUBLIC, buyer_name="Rina")
    assert order.fingerprint() == same.fingerprint() != other.fingerprint()
