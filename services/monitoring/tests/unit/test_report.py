"""The visit report's rules: plausible amounts, one net income, the change against the
baseline."""

import pytest

from berdaya_shared.errors import InvalidInput
from monitoring.domain import report


@pytest.mark.parametrize(("baseline", "net", "change"), [
    (1_500_000, 2_000_000, (500_000, 33.3)),
    (1_000_000, 750_000, (-250_000, -25.0)),
    (3, 5, (2, 66.7)),
    (0, 800_000, (800_000, None)),
    (None, 800_000, (None, None)),
    (1_000_000, None, (None, None)),
])
def test_income_change_against_the_baseline(baseline, net, change):
    assert report.income_change(baseline=baseline, net=net) == change


@pytest.mark.parametrize(("baseline", "net", "note"), [
    (None, 1, "Tidak ada pendapatan awal dari pendaftaran; perubahan pendapatan tidak dihitung."),
    (1, None, "Pendapatan bersih tidak dilaporkan; perubahan pendapatan tidak dihitung."),
    (0, 1, "Pendapatan awal Rp 0; perubahan hanya dihitung dalam rupiah."),
    (1, 1, None),
])
def test_a_missing_change_says_why_in_bahasa(baseline, net, note):
    assert report.income_change_note(baseline=baseline, net=net) == note


def test_amounts_up_to_the_ceiling_are_plausible():
    report.check_amount(report.MAX_MONTHLY_AMOUNT, field="monthly_revenue")
    report.check_amount(None, field="monthly_revenue")
    with pytest.raises(InvalidInput) as absurd:
        report.check_amount(report.MAX_MONTHLY_AMOUNT + 1, field="monthly_revenue")
    assert absurd.value.field == "monthly_revenue"
    assert "Rp 200.000.001 sebulan tidak masuk akal" in str(absurd.value.detail)


@pytest.mark.parametrize(("old", "new", "net"), [(None, 5, 5), (5, None, 5), (5, 5, 5),
                                                 (None, None, None)])
def test_old_and_new_names_of_the_net_income_agree(old, new, net):
    assert report.net_income(monthly_income=old, monthly_net_income=new) == net


def test_two_different_net_incomes_are_refused():
    with pytest.raises(InvalidInput) as bad:
        report.net_income(monthly_income=5, monthly_net_income=6)
    assert bad.value.field == "monthly_net_income"
