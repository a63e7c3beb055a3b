"""Named states of an application and of a duplicate flag. Only the service layer changes them."""

from typing import Final


class ApplicationStatus:
    """applied -> verified -> enrolled | waitlisted | rejected; an open one can be withdrawn."""

    APPLIED: Final = "applied"
    VERIFIED: Final = "verified"
    ENROLLED: Final = "enrolled"
    WAITLISTED: Final = "waitlisted"
    REJECTED: Final = "rejected"
    WITHDRAWN: Final = "withdrawn"

    OPEN: Final = (APPLIED, VERIFIED, ENROLLED, WAITLISTED)
    REJECTABLE: Final = (APPLIED, WAITLISTED)


class DuplicateStatus:
    """An officer's review of a possible duplicate: open until decided."""

    OPEN: Final = "open"
    DUPLICATE: Final = "duplicate"
    NOT_DUPLICATE: Final = "not_duplicate"

    DECISIONS: Final = (DUPLICATE, NOT_DUPLICATE)


# How an application's state reads in a Bahasa sentence (the API's value stays the English word).
APPLICATION_STATUS_ID: Final = {
    ApplicationStatus.APPLIED: "diajukan",
    ApplicationStatus.VERIFIED: "diverifikasi",
    ApplicationStatus.ENROLLED: "sudah terdaftar sebagai peserta",
    ApplicationStatus.WAITLISTED: "dalam daftar tunggu",
    ApplicationStatus.REJECTED: "ditolak",
    ApplicationStatus.WITHDRAWN: "sudah mengundurkan diri",
}
DUPLICATE_STATUS_ID: Final = {
    DuplicateStatus.OPEN: "belum ditinjau",
    DuplicateStatus.DUPLICATE: "duplikat",
    DuplicateStatus.NOT_DUPLICATE: "bukan duplikat",
}
