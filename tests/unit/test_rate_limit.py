"""The chat API's per-minute limits, on a clock the test moves."""

from bot.rate_limit import ChatRateLimits, SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_holds_in_any_sliding_minute_and_says_how_long_to_wait():
    clock = Clock()
    window = SlidingWindow(3, clock=clock)
    for _ in range(3):
        assert window.wait_before("a") == 0
        window.record("a")
        clock.now += 10

    assert window.wait_before("a") == 30  # the first event leaves the window 60 s after it
    clock.now += 30
    assert window.wait_before("a") == 0


def test_a_limit_of_zero_means_no_limit():
    window = SlidingWindow(0)
    for _ in range(1000):
        window.record("a")
    assert window.wait_before("a") == 0


def test_a_message_counts_for_its_sender_and_its_address():
    clock = Clock()
    limits = ChatRateLimits(per_sender=2, per_ip=3, clock=clock)

    assert limits.take(sender="s1", address="ip") == 0
    assert limits.take(sender="s1", address="ip") == 0
    assert limits.take(sender="s1", address="ip") == 60  # the sender's limit
    assert limits.take(sender="s2", address="ip") == 0
    assert limits.take(sender="s3", address="ip") == 60  # the address's limit, whatever the sender
    assert limits.take(sender="s4", address="other") == 0


def test_a_refused_message_does_not_count():
    clock = Clock()
    limits = ChatRateLimits(per_sender=1, per_ip=100, clock=clock)
    limits.take(sender="s", address="ip")
    for _ in range(5):
        clock.now += 10
        limits.take(sender="s", address="ip")

    clock.now += 10.5
    assert limits.take(sender="s", address="ip") == 0


def test_idle_keys_are_forgotten():
    clock = Clock()
    window = SlidingWindow(5, clock=clock)
    for key in range(100):
        window.record(str(key))
    clock.now += 200
    window.record("new")

    assert list(window._events) == ["new"]
