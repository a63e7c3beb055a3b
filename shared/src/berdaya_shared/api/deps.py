"""Dependencies every service's routes use.

Routes open their transaction explicitly (``with transaction(sessions) as session``) and build
the response inside it: the commit happens before the response is sent, so a 2xx always means
"stored", and a failed commit is an error the caller sees.
"""

from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from .problems import language_of


def get_sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="Page size")]
CursorQuery = Annotated[str | None, Query(description="The next_cursor of the previous page")]
# The reader's language for people-facing text stored in both (reasons, reports): "id" by
# default, "en" when Accept-Language prefers English (the same rule as problem details).
LanguageDep = Annotated[str, Depends(language_of)]
