"""Training the Rasa model, once per content of the training data.

The model is named after a hash of everything that shapes it, so an unchanged
repository reuses its model and any change trains a new one.
"""

import fcntl
import hashlib
import logging
import subprocess
from pathlib import Path

from bot.rasa_process import rasa_environment
from bot.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)

# knowledge/ is not among them: the FAQ engine learns it, not Rasa (bot/faq/).
TRAINING_INPUTS = ("config.yml", "domain", "nlu", "requirements/rasa.txt")
MODELS_DIR = PROJECT_ROOT / "models"
LOCK_FILE = MODELS_DIR / ".training.lock"


def training_hash(root: Path = PROJECT_ROOT) -> str:
    """A short hash of the files that shape the model (names and contents)."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    """Where the model for the current training data is (or will be)."""
    return MODELS_DIR / f"{training_hash()}.tar.gz"


def train_if_needed(settings: Settings) -> Path:
    """The current model, trained first if it does not exist yet; one training at a time."""
    MODELS_DIR.mkdir(exist_ok=True)
    # `make run` beside `make test` would train the same model twice at once, each
    # twice as slow on 2 cores: the second caller waits here, then finds the model.
    with LOCK_FILE.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_unless_present(settings)


def _train_unless_present(settings: Settings) -> Path:
    path = model_path()
    if path.exists():
        logger.info("model up to date: %s", path.name)
        return path
    logger.info("training the model %s (about 4 minutes on 2 cores)", path.name)
    command = [
        str(settings.rasa_executable), "train",
        "--data", "nlu", "--domain", "domain", "--config", "config.yml",
        "--out", str(MODELS_DIR), "--fixed-model-name", path.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(settings), check=True)
    # A model is about 150 MB and only the current one is ever served.
    for stale in MODELS_DIR.glob("*.tar.gz"):
        if stale != path:
            stale.unlink()
    return path
