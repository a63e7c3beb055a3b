"""Periodic jobs, run by the ``jobs`` role (``python -m monitoring jobs``)."""

import asyncio
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from berdaya_shared.db import transaction
from berdaya_shared.logging import get_logger
from berdaya_shared.runtime import PeriodicJob, ServiceRuntime

from .config import MonitoringSettings
from .service_layer import escalations, handlers, referrals

log = get_logger(__name__)
BATCH = 500


def flag_overdue(sessions: sessionmaker[Session], *, source: str, today: date) -> int:
    """Flag every overdue visit, one transaction per batch; returns how many were flagged."""
    total = 0
    while True:
        with transaction(sessions) as session:
            flagged = handlers.flag_overdue_visits(session=session, today=today,
                                                   source=source, limit=BATCH)
        total += flagged
        if flagged < BATCH:
            return total


def sweep(sessions: sessionmaker[Session], *, source: str, today: date,
          reminder_days_before: int) -> tuple[int, int]:
    """Raise due escalations, send due reminders and flag referrals past their agreed days,
    a batch per transaction; returns how many escalations and reminders."""
    raised = reminded = 0
    while True:
        with transaction(sessions) as session:
            batch = escalations.escalate(session=session, today=today, source=source, limit=BATCH)
        raised += batch
        if batch < BATCH:
            break
    while True:
        with transaction(sessions) as session:
            batch = escalations.remind(session=session, today=today, source=source,
                                       days_before=reminder_days_before, limit=BATCH)
        reminded += batch
        if batch < BATCH:
            break
    while True:
        with transaction(sessions) as session:
            batch = referrals.flag_overdue(session=session, today=today, limit=BATCH)
        if batch < BATCH:
            return raised, reminded


def escalation_job(runtime: ServiceRuntime, settings: MonitoringSettings,
                   today: Callable[[], date]) -> PeriodicJob:
    async def run() -> None:
        raised, reminded = await asyncio.to_thread(
            sweep, runtime.sessions, source=settings.source, today=today(),
            reminder_days_before=settings.reminder_days_before)
        if raised or reminded:
            log.info("visits.escalated_and_reminded", escalations=raised, reminders=reminded)

    return PeriodicJob(name="escalations", interval_s=settings.overdue_check_interval_s, run=run)


def overdue_visits(runtime: ServiceRuntime, settings: MonitoringSettings,
                   today: Callable[[], date]) -> PeriodicJob:
    async def run() -> None:
        flagged = await asyncio.to_thread(flag_overdue, runtime.sessions, source=settings.source,
                                          today=today())
        if flagged:
            log.info("visits.flagged_overdue", count=flagged)

    return PeriodicJob(name="overdue-visits", interval_s=settings.overdue_check_interval_s, run=run)


def all_jobs(runtime: ServiceRuntime, settings: MonitoringSettings, *,
             today: Callable[[], date]) -> list[PeriodicJob]:
    return [overdue_visits(runtime, settings, today), escalation_job(runtime, settings, today)]
