"""Logs carry no personal data: what the filter masks, through a real handler."""

import io
import logging

import pytest

from bot import log_masking


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("rappeler le 06 12 34 56 78 demain", "06 12 34 56 78"),
        ("phone=+33612345678 booked", "+33612345678"),
        ("numéro 07.11.22.33.44", "07.11.22.33.44"),
        ("from samia@regie.fr", "samia@regie.fr"),
        ('GET /api/chat/0b6e4f2a-secret-id/events?tenant=demo HTTP/1.1" 200', "0b6e4f2a-secret-id"),
        ('{"sender": "c1", "message": "j\'ai des dettes", "metadata": {}}', "des dettes"),
        ("{'text': 'je m\\'appelle Awa', 'intent': 'greet'}", "Awa"),
        ('slots {"booking_address": "12 rue Pasteur", "booking_name": "Awa Diallo"}', "Pasteur"),
    ],
)
def test_personal_data_is_masked(line, secret):
    masked = log_masking.mask(line)
    assert secret not in masked and log_masking.MASK in masked


@pytest.mark.parametrize("line", ["conversation 5f1c… escalated (urgent)", "slot 42 seat 1 taken", "RDV-K7M2PQ moved"])
def test_ordinary_lines_are_left_as_they_are(line):
    assert log_masking.mask(line) == line


def test_the_filter_masks_arguments_and_tracebacks_on_a_real_handler():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("tests.log_masking")
    logger.addHandler(handler)
    try:
        log_masking.install()
        logger.warning("booking for %s failed", "06 12 34 56 78")
        try:
            raise ValueError("bad phone 07 11 22 33 44")
        except ValueError:
            logger.exception("while booking")
    finally:
        logger.removeHandler(handler)

    output = stream.getvalue()
    assert "06 12 34 56 78" not in output and "07 11 22 33 44" not in output
    assert "booking for *** failed" in output and "ValueError: bad phone ***" in output


def test_uvicorn_s_handlers_get_the_filter():
    config = log_masking.uvicorn_log_config()
    assert all(handler["filters"] == ["personal_data"] for handler in config["handlers"].values())
