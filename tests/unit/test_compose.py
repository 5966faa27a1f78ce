"""docker-compose.yml cannot run here (no Docker engine): check what it names exists."""

import re
import shlex

import yaml

from bot.cli import COMMANDS
from bot.settings import PROJECT_ROOT

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_it_describes_the_production_services():
    assert {"postgres", "redis", "rasa", "actions", "web"} <= set(SERVICES)


def test_every_build_context_and_dockerfile_exists():
    for service in SERVICES.values():
        if "build" in service:
            context = PROJECT_ROOT / service["build"]["context"]
            assert context.is_dir()
            assert (context / service["build"]["dockerfile"]).is_file()


def test_every_file_a_dockerfile_copies_exists():
    for dockerfile in (PROJECT_ROOT / "docker").glob("*.Dockerfile"):
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY "):
                for source in shlex.split(line)[1:-1]:
                    assert (PROJECT_ROOT / source).exists(), f"{dockerfile.name}: {source}"


def test_every_command_of_ours_exists():
    for name, service in SERVICES.items():
        command = service.get("command", [])
        if command[:3] == ["python", "-m", "bot.cli"]:
            assert command[3] in COMMANDS, name


def test_only_the_web_app_is_published_and_every_app_service_has_a_healthcheck():
    published = {name for name, service in SERVICES.items() if "ports" in service}
    assert published == {"web"}
    for name in ("postgres", "redis", "rasa", "actions", "web"):
        assert "healthcheck" in SERVICES[name], name


def test_rasa_is_never_started_with_its_http_api():
    dockerfile = (PROJECT_ROOT / "docker" / "rasa.Dockerfile").read_text()
    assert "--enable-api" not in dockerfile[dockerfile.index("\nCMD") :]
    assert "rasa" in SERVICES and "ports" not in SERVICES["rasa"]


def test_secrets_come_from_the_environment():
    text = (PROJECT_ROOT / "docker-compose.yml").read_text()
    assert re.search(r"POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?", text)
    assert "password" not in re.sub(r"\$\{[^}]*\}", "", text).lower().replace("postgres_password", "")
