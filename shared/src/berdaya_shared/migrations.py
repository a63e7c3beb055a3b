"""Alembic, driven from code: each service's ``migrations/env.py`` calls ``run_env(metadata)``.

No alembic.ini: the URL comes from the service settings, so ``REGISTRATION_DATABASE_URL``
is the only place a database is named. SQLite gets batch mode (ALTER TABLE by copy).
"""

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData

from .db import is_sqlite, make_engine


def alembic_config(url: str, migrations: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str, migrations: Path, revision: str = "heads") -> None:
    """Apply every migration; "heads" so that parallel branches (merged later) all apply."""
    command.upgrade(alembic_config(url, migrations), revision)


def new_revision(url: str, migrations: Path, message: str) -> None:
    command.revision(alembic_config(url, migrations), message=message, autogenerate=True)


def run_env(metadata: MetaData) -> None:
    url = context.config.attributes["url"]
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=is_sqlite(url), compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
