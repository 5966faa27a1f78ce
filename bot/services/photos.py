"""Photos residents send during a report: checked by their content, stored under var/ by a random name.

The content decides the type (a file named .jpg may be anything): JPEG, PNG
and WebP only, 5 MB at most. The file's name is the photo's random id, so
nothing a resident chose reaches the disk, and the files are never served
as they are: the console reads them for signed-in staff only.
"""

import secrets
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from bot.errors import PhotoNotExpected, PhotoTooLarge, PhotoWrongType
from bot.models import Conversation, Mode, Photo

MAX_PHOTO_BYTES = 5 * 1024 * 1024
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def content_type_of(data: bytes) -> str:
    """The image type the bytes are, or ``PhotoWrongType``; ``PhotoTooLarge`` over 5 MB."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoTooLarge()
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise PhotoWrongType()


def check_expected(conversation: Conversation) -> None:
    """A photo is taken only while the bot's last message asks for one."""
    if conversation.photo_requested_at is None or conversation.mode is not Mode.BOT:
        raise PhotoNotExpected()


def save(session: Session, *, conversation: Conversation, data: bytes, photo_dir: Path) -> Photo:
    """Write the file and add its row; the caller removes the file if the transaction fails."""
    content_type = content_type_of(data)
    photo = Photo(id=secrets.token_hex(16), conversation_id=conversation.id, content_type=content_type, size=len(data))
    path = path_of(photo, photo_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed: a crash never leaves half a photo under its final name.
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)
    session.add(photo)
    session.flush()
    return photo


def path_of(photo: Photo, photo_dir: Path) -> Path:
    """Where the photo's file is."""
    return photo_dir / f"{photo.id}.{EXTENSIONS[photo.content_type]}"


def delete_files(photo_dir: Path, photo_ids: Sequence[str]) -> None:
    """Delete the files of these photos (their rows may be gone already: every extension is tried)."""
    for photo_id in photo_ids:
        for extension in EXTENSIONS.values():
            (photo_dir / f"{photo_id}.{extension}").unlink(missing_ok=True)
