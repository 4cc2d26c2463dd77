"""Reading report files into :class:`ReportInput` items (no database here).

Accepted: ``.txt``, ``.md``, ``.html``/``.htm`` (main text by trafilatura),
``.json`` (an object or an array of objects) and ``.jsonl`` (one object a
line), each object ``{title, text, outlet, url, date}``; folders of them.
Metadata comes from a sidecar ``manifest.csv`` (file, outlet, url, date,
title) or from front matter. Every problem raises :class:`UnsupportedFile`
with a message naming the file and what was wrong (issue #2).
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from lib.errors import UnsupportedFile

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("file", "outlet", "url", "date", "title")

# A leading "date 2024-10-24" token, as in seed 004 (issue #2).
_DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_HEADLINE_END = re.compile(r"[.!?:;,\"”’)]$")
MAX_TITLE_WORDS = 25


@dataclass(frozen=True)
class ReportInput:
    """One report as read from a file, before it is stored."""

    text: str
    title: str
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    source_path: str | None = None


@dataclass(frozen=True)
class Meta:
    """Metadata from a manifest row or front matter; None = not given."""

    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None

    def merged_over(self, other: "Meta") -> "Meta":
        """This metadata, falling back to ``other`` field by field."""
        return Meta(*(a if a not in (None, "") else b for a, b in zip(
            (self.outlet, self.url, self.published, self.title),
            (other.outlet, other.url, other.published, other.title))))


@dataclass
class FileResult:
    """What ingest did with one file."""

    path: str
    status: str  # added | present | rejected
    reason: str | None = None
    report_ids: list[str] = field(default_factory=list)

    @property
    def report_id(self) -> str | None:
        return self.report_ids[0] if self.report_ids else None

    def as_dict(self) -> dict:
        return {"path": self.path, "status": self.status, "reason": self.reason,
                "report_id": self.report_id}


def parse_date(value: object, where: str) -> date | None:
    """ISO date (or datetime) to a date; None for empty. Raises UnsupportedFile."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise UnsupportedFile(f"{where}: date {text!r} is not an ISO date (expected YYYY-MM-DD)") from None


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest: given files as they are, folders walked in name order.

    Inside folders, manifest.csv (metadata) and hidden files are skipped.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*"))
                       if p.is_file() and p.name != MANIFEST
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            out.append(path)
    return out


def read_manifest(folder: Path) -> dict[str, Meta]:
    """``manifest.csv`` of ``folder`` as {file name: Meta}; {} when there is none."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedFile(f"{path}: not UTF-8 text; save the manifest as UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise UnsupportedFile(
            f"{path}: expected a header with columns {', '.join(MANIFEST_COLUMNS)}; "
            f"got {', '.join(reader.fieldnames or []) or 'no header'}")
    manifest: dict[str, Meta] = {}
    for line_no, row in enumerate(reader, start=2):
        name = (row.get("file") or "").strip()
        if not name:
            continue
        manifest[name] = Meta(
            outlet=(row.get("outlet") or "").strip() or None,
            url=(row.get("url") or "").strip() or None,
            published=parse_date(row.get("date"), f"{path} line {line_no}"),
            title=(row.get("title") or "").strip() or None,
        )
    return manifest


def check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UnsupportedFile(
            f"{name}: file is {size / 1048576:.1f} MB, over the limit of "
            f"{max_bytes / 1048576:g} MB (FACTDESK_MAX_FILE_MB)")


def read_file(path: Path, meta: Meta | None = None, max_bytes: int = 20 * 1048576) -> list[ReportInput]:
    """The reports in the file at ``path``. Raises UnsupportedFile."""
    name = str(path)
    if not path.is_file():
        raise UnsupportedFile(f"{name}: no such file")
    check_size(name, path.stat().st_size, max_bytes)
    return read_bytes(name, path.read_bytes(), meta, max_bytes)


def read_bytes(name: str, data: bytes, meta: Meta | None = None,
               max_bytes: int = 20 * 1048576) -> list[ReportInput]:
    """The reports in ``data``, a file called ``name`` (its suffix picks the reader)."""
    meta = meta or Meta()
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFile(
            f"{name}: unsupported file type {suffix or '(none)'!s}; expected one of "
            f"{', '.join(sorted(SUFFIXES))}")
    check_size(name, len(data), max_bytes)
    text = decode(name, data)
    if not text.strip():
        raise UnsupportedFile(f"{name}: file is empty")
    if suffix in HTML_SUFFIXES:
        items = [from_html(name, text, meta)]
    elif suffix == ".json":
        items = from_json(name, text, meta)
    elif suffix == ".jsonl":
        items = from_jsonl(name, text, meta)
    else:
        items = [from_text(name, text, meta)]
    return [replace(item, source_path=name) for item in items]


def decode(name: str, data: bytes) -> str:
    """UTF-8 (BOM allowed) or BOM-marked UTF-16 text; binary and other bytes rejected."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnsupportedFile(f"{name}: cannot decode as UTF-16 ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise UnsupportedFile(f"{name}: binary file (contains NUL bytes); expected text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedFile(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8") from None


def from_text(name: str, text: str, meta: Meta) -> ReportInput:
    """Plain text or Markdown: optional front matter, optional headline line."""
    text, front = split_front_matter(name, text)
    meta = meta.merged_over(front)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    published = meta.published
    prefix = _DATE_PREFIX.match(text)
    if prefix:
        published = published or parse_date(prefix.group(1), name)
        text = text[prefix.end():]
    title, body = split_headline(text)
    body = body.strip()
    if not body:
        raise UnsupportedFile(f"{name}: no report text (only a headline or whitespace)")
    return ReportInput(text=body, title=meta.title or title or derive_title(body),
                       outlet=meta.outlet, url=meta.url, published=published)


def split_front_matter(name: str, text: str) -> tuple[str, Meta]:
    """Front matter (``---`` YAML block) as Meta, and the text after it."""
    if not text.lstrip("\ufeff").startswith("---"):
        return text, Meta()
    import frontmatter

    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # yaml errors come in several classes
        raise UnsupportedFile(f"{name}: malformed front matter ({exc.__class__.__name__}: {exc})") from None
    data = post.metadata
    return post.content, Meta(
        outlet=_str_or_none(data.get("outlet") or data.get("source")),
        url=_str_or_none(data.get("url")),
        published=parse_date(data.get("date"), name),
        title=_str_or_none(data.get("title")),
    )


def split_headline(text: str) -> tuple[str | None, str]:
    """(headline, rest) when the first line reads as a headline, else (None, text).

    A headline is a short first line with no sentence-ending punctuation and
    more text after it (seeds 000, 001, 003 open with one; 002, 004 don't).
    """
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if (first and rest.strip() and len(first.split()) <= MAX_TITLE_WORDS
            and not _HEADLINE_END.search(first)):
        return first, rest
    return None, stripped


def derive_title(text: str, words: int = 12) -> str:
    """A display title from the first sentence's opening words."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    tokens = first.split()
    return " ".join(tokens[:words]) + ("…" if len(tokens) > words else "")


def from_html(name: str, html: str, meta: Meta) -> ReportInput:
    """Main text and metadata of an HTML page, by trafilatura."""
    import trafilatura

    try:
        body = trafilatura.extract(html, include_comments=False, include_tables=False,
                                   favor_precision=True)
        info = trafilatura.extract_metadata(html)
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        raise UnsupportedFile(f"{name}: cannot parse HTML ({exc.__class__.__name__}: {exc})") from None
    if not body or not body.strip():
        raise UnsupportedFile(f"{name}: no main text found in the HTML")
    page = Meta(
        outlet=getattr(info, "sitename", None) or None,
        url=getattr(info, "url", None) or None,
        published=_safe_date(getattr(info, "date", None)),
        title=getattr(info, "title", None) or None,
    )
    meta = meta.merged_over(page)
    body = body.strip()
    return ReportInput(text=body, title=meta.title or derive_title(body), outlet=meta.outlet,
                       url=meta.url, published=meta.published)


def from_json(name: str, text: str, meta: Meta) -> list[ReportInput]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnsupportedFile(f"{name}: malformed JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise UnsupportedFile(f"{name}: JSON nested too deeply") from None
    objects = data if isinstance(data, list) else [data]
    if not objects:
        raise UnsupportedFile(f"{name}: empty JSON array; expected report objects")
    return [from_object(f"{name} item {i}", obj, meta) for i, obj in enumerate(objects, start=1)]


def from_jsonl(name: str, text: str, meta: Meta) -> list[ReportInput]:
    items = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnsupportedFile(f"{name}: malformed JSON at line {line_no}: {exc.msg}") from None
        except RecursionError:
            raise UnsupportedFile(f"{name}: JSON nested too deeply at line {line_no}") from None
        items.append(from_object(f"{name} line {line_no}", obj, meta))
    return items


def from_object(where: str, obj: object, meta: Meta) -> ReportInput:
    """One ``{title, text, outlet, url, date}`` object; text is required."""
    if not isinstance(obj, dict):
        raise UnsupportedFile(f"{where}: expected a JSON object with a 'text' field, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UnsupportedFile(f"{where}: field 'text' must be a non-empty string")
    for key in ("title", "outlet", "url"):
        if obj.get(key) is not None and not isinstance(obj.get(key), str):
            raise UnsupportedFile(f"{where}: field {key!r} must be a string")
    own = Meta(outlet=obj.get("outlet") or None, url=obj.get("url") or None,
               published=parse_date(obj.get("date"), where), title=obj.get("title") or None)
    own = own.merged_over(meta)
    body = text.strip()
    return ReportInput(text=body, title=own.title or derive_title(body), outlet=own.outlet,
                       url=own.url, published=own.published)


def _str_or_none(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _safe_date(value: object) -> date | None:
    try:
        return parse_date(value, "")
    except UnsupportedFile:
        return None
