"""The real stack for integration tests: Rasa, the action server and the web app.

Each runs as its own process, started by the same ``bot.cli serve-*`` commands
as ``make run``, on free ports, with a TCP proxy in front of Rasa and of the
action server so that tests can cut or stall them.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.settings import PROJECT_ROOT, Settings
from tests.integration.proxy import TcpProxy

READY_TIMEOUT_SECONDS = 240
# Long enough for 50 concurrent bookings on 2 shared cores; the "rasa slow" test waits this long.
TEST_RASA_TIMEOUT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    """The running processes and how to reach them."""

    web_url: str
    rasa_url: str
    settings: Settings
    rasa_proxy: TcpProxy
    action_proxy: TcpProxy
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.read_text()[-3000:]}" for p in sorted(self.log_dir.glob("*.log")))

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.rasa_proxy.close()
        self.action_proxy.close()


def start_stack(settings: Settings, log_dir: Path, *, proxied: bool = True) -> Stack:
    """Start the three servers for ``settings`` and wait until /healthz says 200.

    ``proxied=False`` (make bench): the servers talk directly, as in production,
    so the proxies' own relaying is not measured.
    """
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    stack = Stack(
        web_url=f"http://127.0.0.1:{web_port}",
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        settings=settings,
        rasa_proxy=TcpProxy(rasa_port),
        action_proxy=TcpProxy(action_port),
        log_dir=log_dir,
    )
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "VAR_DIR": str(settings.var_dir),
        "KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "RASA_PORT": str(rasa_port),
        "ACTION_SERVER_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "RASA_URL": f"http://127.0.0.1:{stack.rasa_proxy.port if proxied else rasa_port}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{stack.action_proxy.port if proxied else action_port}",
        "RASA_TIMEOUT_SECONDS": str(TEST_RASA_TIMEOUT_SECONDS),
        # Every test talks from 127.0.0.1, many messages a minute: the limits have their own tests.
        "RATE_LIMIT_PER_SENDER_PER_MINUTE": "0",
        "RATE_LIMIT_PER_IP_PER_MINUTE": "0",
    }
    for name in ("actions", "rasa", "web"):
        with (log_dir / f"{name}.log").open("w") as log:
            stack.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", f"serve-{name}"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    try:
        wait_until_healthy(stack)
    except Exception:
        stack.stop()
        raise
    return stack


def wait_until_healthy(stack: Stack) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        exited = [name for name, p in stack.processes.items() if p.poll() is not None]
        if exited:
            raise RuntimeError(f"{exited} exited during start\n{stack.logs()}")
        try:
            if httpx.get(f"{stack.web_url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the stack did not become healthy in {READY_TIMEOUT_SECONDS} s\n{stack.logs()}")
