"""Fixtures shared by every test: a throwaway database, SQLite or PostgreSQL, and the real stack.

With ``DATABASE_URL`` pointing at a PostgreSQL server, each run makes its own
database there and drops it at the end; otherwise SQLite files in a temp dir.
The stack (Rasa, action server, web app) starts once per run, for every folder
whose tests ask for it (integration, telegram). Its knowledge base is a copy
of knowledge/, which the reload tests edit.
"""

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.cli import setup
from bot.settings import PROJECT_ROOT, Settings
from bot.training import train_if_needed
from tests.integration.stack import Stack, start_stack


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--strict-faq-targets",
        action="store_true",
        help="hold issue 17's FAQ targets on the held-out questions too (make eval)",
    )


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def database_url(var_dir: Path) -> Iterator[str]:
    server_url = Settings().database_url
    if not server_url.startswith("postgresql"):
        yield f"sqlite:///{var_dir / 'regie.db'}"
        return
    name = f"regie_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, var_dir: Path) -> Settings:
    """Settings of the test run: its own database, var folder and copy of knowledge/; schema migrated."""
    knowledge_dir = shutil.copytree(PROJECT_ROOT / "knowledge", var_dir / "knowledge")
    test_settings = Settings(database_url=database_url, var_dir=var_dir, knowledge_dir=knowledge_dir)
    setup(test_settings)
    return test_settings


@pytest.fixture(scope="session")
def stack(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real stack, started once per test run (model trained once, cached by content)."""
    train_if_needed(settings)
    running = start_stack(settings, tmp_path_factory.mktemp("logs"))
    yield running
    running.stop()
