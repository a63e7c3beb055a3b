"""Jakarta's calendar: intake windows and due dates are WIB (UTC+7) dates, not UTC dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def today_in_jakarta() -> date:
    return datetime.now(JAKARTA).date()
