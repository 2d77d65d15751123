"""An uploaded file: size check, encoding, and which reader it needs.

Address books come from phones, Google, LinkedIn and spreadsheets, in
UTF-8, UTF-16 (Outlook, Windows) or Latin-1; each is decoded and the
choice reported, and anything else is refused with a reason a person can act on.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.transfer.bundle import Restore, read_restore
from bot.transfer.people import AddressBook, UnreadableFile

MAX_BYTES = 5 * 1024 * 1024
_VCARD = re.compile(r"^\s*BEGIN:VCARD\s*$", re.IGNORECASE | re.MULTILINE)
_BINARY_KINDS = (
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook"),
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
)


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in."""

    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """Return the file's text, or raise UnreadableFile if it is too big, empty or binary."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"is {len(data) / 1_048_576:.1f} MB; I read files up to {MAX_BYTES // 1_048_576} MB. "
            "Export without photos, or in parts"
        )
    for magic, kind in _BINARY_KINDS:
        if data.startswith(magic):
            raise UnreadableFile(f"looks like {kind}, not a contacts file")
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            return Decoded(data.decode(codec, errors="replace"), label)
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: ASCII text has a zero in every other byte.
        if head[1::2].count(0) > len(head) // 4:
            return Decoded(data.decode("utf-16-le", errors="replace"), "UTF-16")
        if head[0::2].count(0) > len(head) // 4:
            return Decoded(data.decode("utf-16-be", errors="replace"), "UTF-16")
        raise UnreadableFile("looks like a binary file, not a contacts file")
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "Windows-1252 (Latin-1)")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "Latin-1")


def read_upload(
    name: str, data: bytes, *, columns: Mapping[str, str] | None = None
) -> AddressBook | Restore:
    """Read an uploaded file as an address book or as one of our exports.

    `columns` maps our fields to a CSV's headers where the guess is not enough.
    Raises UnreadableFile when the file as a whole can't be used.
    """
    decoded = decode(data)
    text = decoded.text.replace("\x00", "")
    if not text.strip():
        raise UnreadableFile("is empty")
    note = [] if decoded.encoding == "UTF-8" else [f"Read as {decoded.encoding}."]
    start = text.lstrip()[:1]
    if start in ("{", "["):
        restore = read_restore(text)
        restore.remarks[:0] = note
        return restore
    if _VCARD.search(text):
        from bot.transfer.vcards import read_vcards

        book = read_vcards(text)
    elif _looks_like_table(text):
        from bot.transfer.tables import read_table

        book = read_table(text, columns=columns)
    else:
        raise UnreadableFile(
            "is neither a vCard (.vcf), a CSV table with a header row, "
            "nor a Rapport Coach export (.json)"
        )
    book.remarks[:0] = note
    return book


def _looks_like_table(text: str) -> bool:
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    return any(sep in line for line in lines for sep in (",", ";", "\t"))
