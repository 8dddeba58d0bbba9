"""Files: documents users send, the bot's sendDocument, getFile and downloads.

Telegram keeps every file under a ``file_id`` (which the bot may pass instead of an upload to
send the file again) and a ``file_unique_id``; getFile hands out a ``file_path`` the bot then
downloads from ``/file/bot<token>/<file_path>`` (see ``server``). The Bot API's limits apply:
bots download files of up to 20 MB (getFile refuses bigger ones with ``file is too big``) and
upload files of up to 50 MB (bigger uploads are refused with HTTP 413 before the method runs,
see ``params``).

A document's MIME type comes from its file name's extension, as the server names uploads
itself: the types Telegram clients report for the content files admins send (``.yaml``/``.yml``
application/x-yaml, ``.json`` application/json, ``.md`` text/markdown, ``.txt`` text/plain),
then Python's ``mimetypes``, then the upload's Content-Type, else application/octet-stream.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from .errors import bad_request, not_implemented
from .formatting import render_caption
from .keyboards import check_reply_markup
from .methods_messages import add_bot_message
from .models import StoredFile
from .params import UploadedFile
from .state import World

#: Bots may download files of up to 20 MB.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
_GENERIC_MIME = "application/octet-stream"
_MIME_TYPES = {
    "yaml": "application/x-yaml",
    "yml": "application/x-yaml",
    "json": "application/json",
    "md": "text/markdown",
    "markdown": "text/markdown",
    "txt": "text/plain",
    "csv": "text/csv",
}
_WRONG_FILE = "wrong file identifier/HTTP URL specified"


def guess_mime_type(file_name: str | None, fallback: str | None = None) -> str:
    name = file_name or ""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in _MIME_TYPES:
        return _MIME_TYPES[extension]
    guessed = mimetypes.guess_type(f"x.{extension}", strict=False)[0] if extension else None
    return guessed or fallback or _GENERIC_MIME


def user_file(
    world: World,
    file_name: str,
    content: bytes | None,
    mime_type: str | None,
    file_size: int | None,
) -> StoredFile:
    """A file a user sends. ``content=None`` declares a file too big to download by its
    ``file_size`` alone (nothing is stored); AssertionError for anything else inconsistent."""
    if content is None:
        if file_size is None or file_size <= MAX_DOWNLOAD_BYTES:
            raise AssertionError(
                f"content=None needs file_size > {MAX_DOWNLOAD_BYTES} (a file the bot cannot "
                "download); pass the bytes for smaller files"
            )
    elif file_size is not None and file_size != len(content):
        raise AssertionError(f"file_size {file_size} != len(content) {len(content)}")
    if content is not None and not content:
        raise AssertionError("Telegram clients do not send empty files")
    return world.add_file(content, file_name, mime_type or guess_mime_type(file_name), file_size)


def get_file(world: World, params: dict[str, Any]) -> dict[str, Any]:
    with world.lock:
        stored = world.files.get(params["file_id"].strip())
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": world.file_path_for(stored),
        }


def download(world: World, file_path: str) -> bytes | None:
    """The bytes behind a ``file_path`` getFile gave out, or ``None`` (404)."""
    with world.lock:
        stored = world.file_paths.get(file_path)
        return None if stored is None else stored.data


def _document_param(world: World, params: dict[str, Any]) -> UploadedFile | StoredFile:
    """The upload, or the known file a ``file_id`` (or ``attach://<part>``) names."""
    value = params["document"]
    if isinstance(value, str) and value.startswith("attach://"):
        value = params.get(value[len("attach://"):])
        if not isinstance(value, UploadedFile):
            raise bad_request(_WRONG_FILE)
    if isinstance(value, UploadedFile):
        if not value.data:
            raise bad_request("file must be non-empty")
        return value
    if not isinstance(value, str):
        raise bad_request(_WRONG_FILE)
    if value.startswith(("http://", "https://")):
        raise not_implemented("sendDocument by URL")
    stored = world.files.get(value.strip())
    if stored is None:
        raise bad_request(_WRONG_FILE)
    return stored


def send_document(world: World, params: dict[str, Any]) -> dict[str, Any]:
    with world.lock:
        state = world.chat_for_sending(params["chat_id"])
        document = _document_param(world, params)
        parsed = render_caption(params, strict_ampersand=world.strict_ampersand)
        markup = check_reply_markup(params.get("reply_markup"), private=state.chat["type"] == "private")
        if isinstance(document, UploadedFile):
            mime_type = guess_mime_type(document.filename, document.content_type)
            document = world.add_file(document.data, document.filename, mime_type)
        result = add_bot_message(
            world, state, params, "sendDocument", parsed=parsed,
            raw=params.get("caption") or "", markup=markup, document=document.document(),
        )  # fmt: skip
    world.signal.notify()
    return result


MAX_PHOTO_BYTES = 10 * 1024 * 1024  # Telegram's limit for an uploaded photo


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or a baseline/progressive JPEG; None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
            i += 2 + length
    return None


def send_photo(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """A photo: an uploaded PNG/JPEG (Telegram refuses other bytes, and photos over 10 MB or
    with sides adding up to over 10,000 px) or the ``file_id`` of a photo it already has."""
    with world.lock:
        state = world.chat_for_sending(params["chat_id"])
        value = params.get("photo")
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://"):])
        if isinstance(value, UploadedFile):
            size = _image_size(value.data)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            if len(value.data) > MAX_PHOTO_BYTES or sum(size) > 10_000:
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            stored = world.add_file(value.data, value.filename, "image/png")
            stored.photo_size = size
        elif isinstance(value, str) and value.strip() in world.files and getattr(world.files[value.strip()], "photo_size", None):
            stored = world.files[value.strip()]
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        width, height = stored.photo_size
        photo = [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                  "width": width, "height": height, "file_size": stored.file_size}]
        parsed = render_caption(params, strict_ampersand=world.strict_ampersand)
        markup = check_reply_markup(params.get("reply_markup"), private=state.chat["type"] == "private")
        result = add_bot_message(
            world, state, params, "sendPhoto", parsed=parsed,
            raw=params.get("caption") or "", markup=markup, photo=photo,
        )  # fmt: skip
    world.signal.notify()
    return result


HANDLERS = {
    "getFile": get_file,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
}
