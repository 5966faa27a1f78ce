"""``make bench``: speed of FAQ answers through POST /api/chat, beside Rasa's own REST endpoint.

Starts the stack (as the integration tests do, without their proxies) on a
throwaway SQLite database and sends the development questions of
tests/nlu_dev/ (never the held-out ones):

- one sender at a time, in conversations of CONVERSATION_LENGTH messages:
  median and p95 per message;
- open loop at rising rates from SENDERS senders: p50 and p95 at each rate,
  and the highest rate whose p95 stays under P95_LIMIT_MS;
- the memory (RSS) of the Rasa and action server processes, and how long the
  action server took to fit the FAQ engine at start.

Each figure is printed beside the previous engine's (the ResponseSelector
inside Rasa), measured on these 2-core machines on 2026-11-30 (issue 17).
"""

import asyncio
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import httpx

from bot.cli import setup
from bot.faq.evaluation import DEVELOPMENT_DIR, questions
from bot.settings import Settings
from bot.training import train_if_needed
from tests.integration.stack import Stack, start_stack

CONVERSATION_LENGTH = 10
SEQUENTIAL_MESSAGES = 200
RATES = (10, 20, 25, 30, 35, 40, 45, 50)
SECONDS_PER_RATE = 10
SENDERS = 50
P95_LIMIT_MS = 150
BEFORE = {"p50 /api/chat": 106.0, "p50 Rasa REST": 92.0, "saturation": 15.0, "Rasa MB": 1950.0, "actions MB": 590.0}

Send = Callable[[str, str], None]
AsyncSend = Callable[[httpx.AsyncClient, str, str], Awaitable[None]]


def timed(send: Send, sender: str, text: str) -> float:
    """Milliseconds taken by one message."""
    start = time.perf_counter()
    send(sender, text)
    return (time.perf_counter() - start) * 1000


def percentiles(durations: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    ordered = sorted(durations)
    return statistics.median(ordered), ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def one_sender(send: Send, texts: list[str]) -> tuple[float, float]:
    """p50 and p95 of messages sent one at a time, a new sender every CONVERSATION_LENGTH messages."""
    senders = [uuid.uuid4().hex for _ in range(len(texts) // CONVERSATION_LENGTH + 1)]
    return percentiles([timed(send, senders[i // CONVERSATION_LENGTH], t) for i, t in enumerate(texts)])


async def open_loop(send: AsyncSend, texts: list[str], rate: int) -> tuple[float, float]:
    """p50 and p95 when messages arrive at ``rate`` a second, whatever the answers' pace.

    One event loop sends them all: a thread per message in flight cost the
    client a whole core at 30 messages/s, taken from the servers it measures.
    """
    senders = [uuid.uuid4().hex for _ in range(SENDERS)]
    loop = asyncio.get_running_loop()
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=2 * SENDERS)) as http:

        async def timed_async(sender: str, text: str) -> float:
            start = time.perf_counter()
            await send(http, sender, text)
            return (time.perf_counter() - start) * 1000

        start = loop.time()
        sent = []
        for i in range(rate * SECONDS_PER_RATE):
            await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
            sent.append(asyncio.create_task(timed_async(senders[i % SENDERS], texts[i % len(texts)])))
        return percentiles(list(await asyncio.gather(*sent)))


def saturation(name: str, send: AsyncSend, texts: list[str]) -> float:
    """Print each rate's figures; return the highest rate whose p95 stays under the limit."""
    held = 0.0
    for rate in RATES:
        wall, cpu = time.perf_counter(), time.process_time()
        p50, p95 = asyncio.run(open_loop(send, texts, rate))
        # The client shares the 2 cores with the servers: its own share is printed beside.
        client = (time.process_time() - cpu) / (time.perf_counter() - wall)
        print(f"  {name:<16} {rate:>3} msg/s   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   client CPU {client:4.0%}")
        if p95 > P95_LIMIT_MS:
            break
        held = rate
    return held


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def fit_seconds(stack: Stack) -> str:
    """Seconds from the action server's "fitting the FAQ engine" to its "Worker ready", read in its log."""
    log = (stack.log_dir / "actions.log").read_text()
    lines = re.findall(r"^(\S+ \S+) .*(?:fitting the FAQ engine|Worker ready)", log, re.MULTILINE)
    stamps = [datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f") for stamp in lines]
    return f"{(stamps[-1] - stamps[0]).total_seconds():.1f} s" if len(stamps) >= 2 else "unknown"


def line(name: str, now: float, before: float, unit: str) -> None:
    """One figure beside the previous engine's, with their ratio."""
    print(f"  {name:<22} {now:8.1f} {unit:<6} before {before:8.1f} {unit:<6} ratio {now / before:5.2f}x")


def measure(stack: Stack, texts: list[str]) -> None:
    """Every figure of the module docstring, printed."""
    with httpx.Client(timeout=60) as http:

        def via_router(sender: str, text: str) -> None:
            http.post(f"{stack.web_url}/api/chat", json={"sender_id": sender, "text": text}).raise_for_status()

        def via_rasa(sender: str, text: str) -> None:
            http.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text})

        one_sender(via_router, texts[:20])  # warm-up
        print(f"one sender at a time ({CONVERSATION_LENGTH}-message conversations, {SEQUENTIAL_MESSAGES} messages):")
        api = one_sender(via_router, texts[:SEQUENTIAL_MESSAGES])
        rasa = one_sender(via_rasa, texts[:SEQUENTIAL_MESSAGES])
    print(f"  POST /api/chat  p50 {api[0]:6.1f} ms  p95 {api[1]:6.1f} ms")
    print(f"  Rasa REST       p50 {rasa[0]:6.1f} ms  p95 {rasa[1]:6.1f} ms   router/Rasa {api[0] / rasa[0]:.2f}x")
    print(f"open loop, {SENDERS} senders, {SECONDS_PER_RATE} s per rate (p95 limit {P95_LIMIT_MS} ms):")
    api_rate = saturation("POST /api/chat", router_sender(stack), texts)
    rasa_rate = saturation("Rasa REST", rasa_sender(stack), texts)
    print("summary, beside the previous engine:")
    line("p50 /api/chat", api[0], BEFORE["p50 /api/chat"], "ms")
    line("p50 Rasa REST", rasa[0], BEFORE["p50 Rasa REST"], "ms")
    line("held, /api/chat", api_rate, BEFORE["saturation"], "msg/s")
    print(f"  {'held, Rasa REST':<22} {rasa_rate:8.1f} msg/s")
    line("Rasa RSS", rss_mb(stack.processes["rasa"].pid), BEFORE["Rasa MB"], "MB")
    line("action server RSS", rss_mb(stack.processes["actions"].pid), BEFORE["actions MB"], "MB")
    print(f"  FAQ engine fitted at start in {fit_seconds(stack)}")


def router_sender(stack: Stack) -> AsyncSend:
    """Sends a message through POST /api/chat, from the running event loop."""

    async def send(http: httpx.AsyncClient, sender: str, text: str) -> None:
        response = await http.post(f"{stack.web_url}/api/chat", json={"sender_id": sender, "text": text})
        response.raise_for_status()

    return send


def rasa_sender(stack: Stack) -> AsyncSend:
    """Sends a message to Rasa's own REST endpoint, from the running event loop."""

    async def send(http: httpx.AsyncClient, sender: str, text: str) -> None:
        await http.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text})

    return send


def main() -> None:
    """Start the stack without proxies and no rate limits, measure, stop it."""
    texts = [text for text, expected in questions(DEVELOPMENT_DIR) if expected]
    with tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(database_url="", var_dir=Path(var_dir))
        setup(settings)
        train_if_needed(settings)
        stack = start_stack(settings, Path(var_dir), proxied=False)
        try:
            measure(stack, texts)
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
