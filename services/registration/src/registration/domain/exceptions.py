"""Domain errors of the registration service."""

from __future__ import annotations

from berdaya_shared.fields import InvalidField as InvalidField  # moved to shared with the gazetteer


class DomainError(Exception):
    """Base class for every rule the domain refuses."""
