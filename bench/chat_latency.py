"""Latency of POST /api/chat beside Rasa's own REST endpoint, on the real stack.

Starts the stack (as the integration tests do) on a throwaway SQLite database,
then sends the same messages through our router and straight to Rasa, one at a
time and from 10 concurrent senders, and prints medians, p95 and the ratios.
Run with ``make bench``.
"""

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bot.cli import setup
from bot.settings import Settings
from bot.training import train_if_needed
from tests.integration.stack import start_stack

MESSAGES = ["bonjour", "merci bcp", "tu es un robot ?", "aide", "c quoi la regie", "au revoir"]
SEQUENTIAL_ROUNDS = 20
CONCURRENT_SENDERS = 10
CONCURRENT_ROUNDS = 4


def timed(send: Callable[[str, str], None], sender: str, text: str) -> float:
    """Seconds taken by one message."""
    start = time.perf_counter()
    send(sender, text)
    return time.perf_counter() - start


def conversation(send: Callable[[str, str], None], rounds: int) -> list[float]:
    """One sender's conversation of ``rounds`` × MESSAGES; the duration of each message."""
    sender = uuid.uuid4().hex
    return [timed(send, sender, text) for _ in range(rounds) for text in MESSAGES]


def summary(name: str, durations: list[float], wall: float) -> dict[str, float]:
    """Print and return p50, p95 (ms) and throughput (messages/s)."""
    ordered = sorted(durations)
    figures = {
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(len(ordered) * 0.95) - 1] * 1000,
        "rate": len(ordered) / wall,
    }
    print(
        f"  {name:<22} n={len(ordered):<4} p50 {figures['p50']:7.1f} ms   "
        f"p95 {figures['p95']:7.1f} ms   {figures['rate']:6.1f} msg/s"
    )
    return figures


def measure(name: str, send: Callable[[str, str], None], senders: int, rounds: int) -> dict[str, float]:
    """Run ``senders`` concurrent conversations and summarise them."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        results = list(pool.map(lambda _: conversation(send, rounds), range(senders)))
    return summary(name, [d for durations in results for d in durations], time.perf_counter() - start)


def main() -> None:
    """Start the stack, measure both paths, print the ratios."""
    with tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(database_url="", var_dir=Path(var_dir))
        setup(settings)
        train_if_needed(settings)
        stack = start_stack(settings, Path(var_dir))
        try:
            with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=CONCURRENT_SENDERS)) as http:

                def via_router(sender: str, text: str) -> None:
                    http.post(f"{stack.web_url}/api/chat", json={"sender_id": sender, "text": text}).raise_for_status()

                def via_rasa(sender: str, text: str) -> None:
                    http.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text})

                measure("warm-up", via_router, 1, 2)
                print("one sender at a time:")
                api = measure("POST /api/chat", via_router, 1, SEQUENTIAL_ROUNDS)
                rasa = measure("Rasa REST (direct)", via_rasa, 1, SEQUENTIAL_ROUNDS)
                print(f"  ratio p50 {api['p50'] / rasa['p50']:.2f}x")
                print(f"{CONCURRENT_SENDERS} concurrent senders:")
                api_c = measure("POST /api/chat", via_router, CONCURRENT_SENDERS, CONCURRENT_ROUNDS)
                rasa_c = measure("Rasa REST (direct)", via_rasa, CONCURRENT_SENDERS, CONCURRENT_ROUNDS)
                print(
                    f"  ratio p95 {api_c['p95'] / rasa_c['p95']:.2f}x, throughput {api_c['rate'] / rasa_c['rate']:.2f}x"
                )
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
