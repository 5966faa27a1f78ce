"""Alembic environment: migrates the database named by DATABASE_URL."""

from alembic import context

from bot.db import make_engine
from bot.models import Base
from bot.settings import Settings

# Our tables only: Rasa's tracker tables ("events") live in the same
# PostgreSQL database and must never be touched by autogenerate.
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Ignore tables that are not ours."""
    return not (type_ == "table" and reflected and name not in target_metadata.tables)


def run_migrations_online() -> None:
    """Run migrations on a live connection."""
    url = context.config.attributes.get("database_url") or Settings().database_url
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # Batch migrations rebuild a table (copy, drop, rename): with foreign
                # keys enforced, dropping a table other rows point to would fail.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                include_object=include_object,
                render_as_batch=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations_online()
