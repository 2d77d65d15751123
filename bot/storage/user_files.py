"""One user's data files, parsed once and kept in memory, replayed from the write-ahead log.

    <user>/wal                                   committed turns since the last checkpoint
    <user>/coach.json                            profile, conversation state, stored buttons, meta
    <user>/contacts/00.json ... 0f.json          contacts and their history index, by id hash
    <user>/reminders/00.json ... 0f.json         open reminders, by id hash
    <user>/history/interactions/000001.json ...  interactions, 200 a segment, oldest first
    <user>/history/reminders/000001.json ...     finished reminders, likewise
    <user>/undo.json                             what recent undoable turns changed

Records live in *logical tables* ("contacts", "interactions/000003"...); each
maps to one or more files. A table is read from its files on first use, the
log's later commits are applied over it, and it then stays in memory until
the files change under it (the caller checks the log's signature each
session). Every file keeps TinyDB's layout; files of older versions (one
coach.json with every contact and reminder) are read as a base layer and
split at the next checkpoint.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.storage import wal
from bot.storage.atomic_json import (
    AtomicJSONStorage,
    dump,
    ensure_private_dir,
    fsync_dir,
    sweep_temp_files,
)
from bot.storage.errors import CorruptStoreError, StoreError, from_os_error

Doc = dict[str, Any]

MAIN = "coach.json"
WAL = "wal"
BUCKETS = 16
SEGMENT_SIZE = 200
# Fold the log into the data files once it holds this much (a few hundred turns; a cold
# start reads it in about 10 ms).
CHECKPOINT_BYTES = 1024 * 1024
# Parsed history segments kept per user; the rest are re-read when needed.
SEGMENTS_KEPT = 24
# The next attempt of a reminder that is not waiting (see UserFiles.attempts).
NEVER = math.inf
# Entries kept in a user's journal of changes before it starts over (UserFiles.journal):
# few, as every cached user keeps one.
JOURNAL_KEPT = 512  # about 50 turns; an index not looked at for longer files all again
# Characters of committed records' dumps kept per user (UserFiles.texts): a few big contacts.
TEXTS_KEPT = 128 * 1024
_EPOCHS = itertools.count(1)

SEGMENTED = {"interactions": "history/interactions", "finished": "history/reminders"}
BUCKETED = {"contacts": "contacts", "history_index": "contacts", "reminders": "reminders"}
IN_MAIN = ("profile", "state", "buttons", "meta")
# The field of each table's documents that holds its key.
KEY_FIELD = {
    "state": "name",
    "buttons": "ref",
    "meta": "name",
    "history_index": "contact",
    "contacts": "id",
    "reminders": "id",
    "undo": "id",
}
PROFILE_KEY = "profile"
# Tables that older versions kept in coach.json.
LEGACY_IN_MAIN = ("contacts", "reminders")


def segment_table(kind: str, number: int) -> str:
    """The logical table of segment `number` of "interactions" or "finished"."""
    return f"{kind}/{number:06d}"


def bucket(key: str) -> str:
    return f"{zlib.crc32(key.encode('utf-8', 'surrogatepass')) % BUCKETS:02x}"


def key_of(table: str, doc: Doc) -> str:
    if table == "profile":
        return PROFILE_KEY
    return str(doc.get(KEY_FIELD.get(table.split("/", 1)[0], "id")))


def place(table: str, key: str) -> tuple[str, str]:
    """Return (file relative to the user folder, table name inside it) for a record."""
    if table in IN_MAIN:
        return MAIN, table
    if table in BUCKETED:
        return f"{BUCKETED[table]}/{bucket(key)}.json", table
    if table == "undo":
        return "undo.json", "undo"
    kind, _, number = table.partition("/")
    return f"{SEGMENTED[kind]}/{number}.json", "records"


def files_of(table: str) -> list[tuple[str, str]]:
    """Every (file, table inside it) a logical table is spread over."""
    if table in BUCKETED:
        return [(f"{BUCKETED[table]}/{b:02x}.json", table) for b in range(BUCKETS)]
    return [place(table, "")]


@dataclass
class FoldPlan:
    """A fold of the log into the data files, in three phases (see UserFiles.plan_fold)."""

    seq: int  # the last turn it folds
    base: int  # the log's base when planned
    wal_end: int  # offset in the log just after turn `seq`
    wal: wal.Signature | None  # the log when planned (a replaced log voids the plan)
    files: dict[str, dict[str, list[Doc]]] = field(default_factory=dict)
    temps: dict[str, str] = field(default_factory=dict)  # file -> its fsynced temp copy
    touched: set[str] = field(default_factory=set)
    touched_files: set[str] = field(default_factory=set)


class UserFiles:
    """The parsed state of one user folder: tables in memory plus the log position."""

    def __init__(self, folder: Path, decode: Callable[[str, str, Doc], Any]) -> None:
        self.folder = folder
        self.wal_path = folder / WAL
        self.wal_file, self._main_file = str(self.wal_path), str(folder / MAIN)
        # Turns a stored document of a table into its domain object (raises CorruptStoreError).
        self.decode = decode
        self.tables: dict[str, dict[str, Doc]] = {}
        # Commits for tables not loaded yet, applied when they are.
        self.pending: dict[str, list[tuple[str, Doc | None]]] = {}
        # Decoded objects per table (key -> object), kept in step with `tables`;
        # `complete` names the tables decoded in full (contacts, reminders).
        self.decoded: dict[str, dict[str, Any]] = {}
        self.complete: set[str] = set()
        # Every (table, key) applied, in order, since `epoch` began: what changed since a
        # mark (epoch, position), for indexes kept over these records. A new epoch (unique
        # across UserFiles) starts whenever decoded records may be replaced or reordered
        # without a journal entry, so an older mark tells nothing.
        self.journal: list[tuple[str, str, bool]] = []  # (table, key, gone)
        self.epoch = next(_EPOCHS)
        # Each committed open reminder's next attempt (a timestamp; NEVER: not waiting),
        # for the current profile; kept in step with the reminders and profile tables.
        self.attempts: dict[str, float] = {}
        # (table, key) -> (the record as committed, its undo digest), made by the commit that
        # wrote it: an Undo checks that nothing changed it since without serialising it again.
        self.digests: dict[tuple[str, str], tuple[Doc, str]] = {}
        # (table, key) -> (the record as committed, its dump()), as its commit serialised it:
        # an undoable turn keeps the record as it was in its undo record, and a contact
        # with dozens of facts is 16 KB to serialise again (see keep_texts).
        self.texts: dict[tuple[str, str], tuple[Doc, str]] = {}
        self._texts_size = 0
        self.seq = 0  # the last commit applied
        self.base = 0  # the last commit folded into the data files
        self.wal_end = 0  # offset after the last applied log line
        self.signature: tuple[wal.Signature | None, wal.Signature | None] | None = None
        self.touched: set[str] = set()  # logical tables changed since the last checkpoint
        self.touched_files: set[str] = set()  # and the files they live in
        self.segments = OrderedDict[str, None]()  # loaded segments, least recently used first
        self.known_segments: dict[str, set[int]] = {}
        # Per history segment: contact id -> keys of their interactions in it, in order.
        self.by_contact: dict[str, dict[str, list[str]]] = {}
        self.swept = False
        # Tables and files of a fold in progress (see plan_fold): changed, not yet written.
        self.folding: set[str] = set()
        self.folding_files: set[str] = set()

    # -- paths -----------------------------------------------------------------
    def current_signature(self) -> tuple[wal.Signature | None, wal.Signature | None]:
        return wal.signature(self.wal_file), wal.signature(self._main_file)

    # -- bringing the cache up to date ---------------------------------------------
    def refresh(self, *, writable: bool) -> None:
        """Make the cache match the files (cheap when nothing changed: two stats)."""
        try:
            now = self.current_signature()
            if now == self.signature:
                return
            wal_sig = now[0]
            old_wal = self.signature[0] if self.signature else None
            same_log = (
                old_wal is not None
                and wal_sig is not None
                and wal_sig.inode == old_wal.inode
                and wal_sig.size >= old_wal.size
                and self.signature is not None
                and now[1] == self.signature[1]
            )
            if same_log:
                self._read_log(self.wal_end, writable=writable)
            else:
                self._reload(writable=writable)
            self.signature = self.current_signature()
        except OSError as exc:
            raise from_os_error(self.folder, exc, "read") from exc

    def _reload(self, *, writable: bool) -> None:
        tail = wal.read(self.wal_path, 0)
        if self.signature is not None and tail.base == self.seq and self._main_unchanged():
            # Another process folded the log we had already applied: the cache still holds.
            self.base, self.wal_end = tail.base, 0
            self.touched.clear()
            self.touched_files.clear()
        else:
            self.tables.clear()
            self.pending.clear()
            self.decoded.clear()
            self.complete.clear()
            self.new_epoch()
            self.attempts.clear()
            self.segments.clear()
            self.known_segments.clear()
            self.by_contact.clear()
            self.touched.clear()
            self.touched_files.clear()
            self.base = self.seq = max(tail.base, 0)
            self.wal_end = 0
        self._apply_tail(tail, writable=writable)

    def _main_unchanged(self) -> bool:
        return self.signature is not None and wal.signature(self._main_file) == self.signature[1]

    def _read_log(self, offset: int, *, writable: bool) -> None:
        self._apply_tail(wal.read(self.wal_path, offset), writable=writable)

    def _apply_tail(self, tail: wal.Tail, *, writable: bool) -> None:
        for commit in tail.commits:
            if commit.seq <= self.seq:
                continue  # already folded into the files
            self.apply(commit.seq, commit.ops)
        self.wal_end = tail.end
        if tail.torn and writable:
            self._drop_torn_tail(tail)

    def _drop_torn_tail(self, tail: wal.Tail) -> None:
        """Cut a tail no turn was acknowledged for; keep a copy if it looks like damage."""
        if tail.damaged:
            # Whole lines after a bad one: not a kill mid-append. Keep the evidence
            # (in the user's own folder, so forgetting the user removes it too).
            damaged = self.folder / f"wal.damaged-{os.getpid()}-{self.seq}"
            data = self.wal_path.read_bytes()
            fd = os.open(damaged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        if tail.end == 0:
            wal.reset(self.wal_path, self.seq)
        else:
            wal.cut(self.wal_path, tail.end)

    def new_epoch(self) -> None:
        """Start the journal over: marks from before tell nothing any more."""
        self.journal = []
        self.epoch = next(_EPOCHS)

    # -- applying commits ----------------------------------------------------------
    def apply(
        self,
        seq: int,
        ops: list[wal.Op],
        objects: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        """Apply one commit's operations to the cache.

        `objects` are decoded copies of the written records, where the writer
        has them; other decoded entries are re-decoded (complete tables) or dropped.
        """
        if len(self.journal) > JOURNAL_KEPT:
            self.new_epoch()
        for table, key, doc in ops:
            table, key = str(table), str(key)
            self.journal.append((table, key, doc is None))
            self.touched.add(table)
            self.touched_files.add(place(table, key)[0])
            if table == "reminders":
                self.attempts.pop(key, None)
            elif table == "profile":
                self.attempts.clear()
            kind, _, number = table.partition("/")
            if number and kind in self.known_segments:
                self.known_segments[kind].add(int(number))
            decoded = self.decoded.get(table)
            if decoded is not None:
                obj = (objects or {}).get((table, key))
                if doc is None:
                    decoded.pop(key, None)
                elif obj is not None:
                    decoded[key] = obj
                elif table in self.complete:
                    decoded[key] = self.decode(table, key, doc)
                else:
                    decoded.pop(key, None)
                    self.complete.discard(table)
                    self.new_epoch()  # decoded afresh (and in a new order) when next read
            index = self.by_contact.get(table)
            loaded = self.tables.get(table)
            if index is not None and doc is not None:
                for contact_id in _contacts_of(doc):
                    keys = index.setdefault(str(contact_id), [])
                    if key not in keys:
                        keys.append(key)
            elif index is not None and loaded is not None and key in loaded:
                # Gone: out of the index too, or a contact's list grows with every reminder
                # they ever had (done ones leave the table).
                for contact_id in _contacts_of(loaded[key]):
                    keys = index.get(str(contact_id), [])
                    if key in keys:
                        keys.remove(key)
            if loaded is None:
                self.pending.setdefault(table, []).append((key, doc))
            elif doc is None:
                loaded.pop(key, None)
            else:
                loaded[key] = doc
        self.seq = max(self.seq, seq)

    def keep_texts(
        self, ops: list[wal.Op], dumped: wal.Dumped, tables: Callable[[str], bool]
    ) -> None:
        """Keep the dump() of the records just committed to `tables` (see `texts`), within
        TEXTS_KEPT characters a user: a later turn finds them by the record's identity."""
        for table, key, doc in ops:
            if doc is None or not tables(table):
                continue
            known = dumped.get(id(doc))
            if known is None or known[0] is not doc:
                continue
            if self._texts_size + len(known[1]) > TEXTS_KEPT:
                self.texts.clear()
                self._texts_size = 0
            old = self.texts.get((table, key))
            if old is not None:
                self._texts_size -= len(old[1])
            self.texts[(table, key)] = known
            self._texts_size += len(known[1])

    # -- reading tables --------------------------------------------------------------
    def table(self, name: str) -> dict[str, Doc]:
        """The records of logical table `name` (key -> document); callers must not change them."""
        loaded = self.tables.get(name)
        if loaded is not None:
            if name in self.segments:
                self.segments.move_to_end(name)
            return loaded
        if name in IN_MAIN:
            # One read of coach.json serves all four of its tables.
            main = self._read_file(MAIN)
            for table in IN_MAIN:
                if table not in self.tables:
                    self._install(table, self._docs_in(main, MAIN, table, table))
            return self.tables[name]
        return self._install(name, self._load(name))

    def _install(self, name: str, loaded: dict[str, Doc]) -> dict[str, Doc]:
        for key, doc in self.pending.pop(name, []):
            if doc is None:
                loaded.pop(key, None)
            else:
                loaded[key] = doc
        self.tables[name] = loaded
        if "/" in name:
            self.segments[name] = None
            while len(self.segments) > SEGMENTS_KEPT:
                old, _ = self.segments.popitem(last=False)
                if old not in self.touched and old not in self.folding:
                    self.tables.pop(old, None)
                    self.decoded.pop(old, None)
                    self.by_contact.pop(old, None)
                # A changed segment stays until the checkpoint writes it.
        return loaded

    def keys_of(self, table: str, contact_id: str) -> list[str]:
        """Keys of `contact_id`'s records in `table` (a history segment, or reminders),
        oldest first (may include deleted ones: check the record)."""
        index = self.by_contact.get(table)
        if index is None:
            index = {}
            for key, doc in self.table(table).items():
                for cid in _contacts_of(doc):
                    index.setdefault(str(cid), []).append(key)
            self.by_contact[table] = index
        return index.get(contact_id, [])

    def _load(self, name: str) -> dict[str, Doc]:
        docs: dict[str, Doc] = {}
        if name in LEGACY_IN_MAIN:
            docs.update(self._docs(MAIN, name, name))
        if name in BUCKETED:
            # Only the buckets that exist: a new user's records are all still in the log.
            present = self._listing(BUCKETED[name])
            targets = [(p, t) for p, t in files_of(name) if p.rpartition("/")[2] in present]
        else:
            targets = files_of(name)
        for path, inner in targets:
            docs.update(self._docs(path, inner, name))
        return docs

    def _listing(self, folder: str) -> set[str]:
        try:
            return {entry.name for entry in os.scandir(os.path.join(self.folder, folder))}
        except FileNotFoundError:
            return set()
        except OSError as exc:
            raise from_os_error(self.folder / folder, exc, "read") from exc

    def _docs(self, path: str, inner: str, table: str) -> dict[str, Doc]:
        return self._docs_in(self._read_file(path), path, inner, table)

    def _docs_in(
        self, data: dict[str, dict[str, Any]], path: str, inner: str, table: str
    ) -> dict[str, Doc]:
        out: dict[str, Doc] = {}
        for doc in (data.get(inner) or {}).values():
            if not isinstance(doc, dict):
                raise CorruptStoreError(
                    self.folder / path, f"has a record that is not an object ({inner})"
                )
            out[key_of(table, doc)] = doc
        return out

    def _read_file(self, path: str) -> dict[str, dict[str, Any]]:
        return AtomicJSONStorage(self.folder / path).read() or {}

    def segment_numbers(self, kind: str) -> list[int]:
        """The segments of "interactions" or "finished" that exist on disk or in the log."""
        known = self.known_segments.get(kind)
        if known is None:
            known = self.known_segments[kind] = set()
            folder = self.folder / SEGMENTED[kind]
            try:
                for entry in os.scandir(folder):
                    stem, dot, ext = entry.name.partition(".")
                    if dot and ext == "json" and stem.isdigit():
                        known.add(int(stem))
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise from_os_error(folder, exc, "read") from exc
            for table in (*self.tables, *self.pending):
                prefix, _, number = table.partition("/")
                if prefix == kind and number.isdigit():
                    known.add(int(number))
        return sorted(known)

    def has_legacy_tables(self) -> bool:
        main = self._read_file(MAIN)
        return any(main.get(t) for t in LEGACY_IN_MAIN)

    # -- checkpoints -------------------------------------------------------------------
    def checkpoint(self) -> None:
        """Write every file the log changed, then start an empty log (all under the caller's lock).

        Each file is replaced atomically; a crash half-way leaves the log whole,
        and replaying it over files that already hold its changes is harmless.
        """
        plan = self.plan_fold()
        try:
            self.write_fold(plan)
            self.finish_fold(plan)
        except BaseException:
            self.abandon_fold(plan)
            raise

    def plan_fold(self) -> FoldPlan:
        """Phase 1 of a fold, under the lock: what each changed file must hold now.

        The plan holds its own lists of the (never changed in place) documents, so
        phase 2 can write them without the lock while later turns commit to the log.
        """
        paths = set(self.touched_files) | self.folding_files
        if self.has_legacy_tables():
            # Written by an older version: split everything out of coach.json now.
            paths |= {MAIN, *(p for t in BUCKETED for p, _ in files_of(t))}
        contents = self._contents(paths)
        plan = FoldPlan(self.seq, self.base, self.wal_end, wal.signature(self.wal_file))
        for path, content in contents.items():
            target = self.folder / path
            if not any(content.values()) and not target.exists():
                continue
            ensure_private_dir(target.parent)  # now: phase 2 must never create a folder
            plan.files[path] = content
        plan.touched, plan.touched_files = set(self.touched), paths
        # Changed segments stay in memory until the fold is done (see _install).
        self.folding |= self.touched
        self.folding_files |= paths
        self.touched.clear()
        self.touched_files.clear()
        return plan

    def write_fold(self, plan: FoldPlan) -> None:
        """Phase 2, without the lock: each file's new version as a fsynced temp file."""
        for path, content in plan.files.items():
            layout = {
                inner: {str(n): doc for n, doc in enumerate(docs, start=1)}
                for inner, docs in content.items()
            }
            target = self.folder / path
            plan.temps[path] = AtomicJSONStorage(target).write_temp(dump(layout))

    def finish_fold(self, plan: FoldPlan) -> bool:
        """Phase 3, under the lock (and after a refresh): put the files in place, cut the log.

        Returns False (and changes nothing) if the log was replaced meanwhile, by a
        checkpoint here or in another process: the plan may then be older than the files.
        """
        now = wal.signature(self.wal_file)
        if (
            self.base != plan.base
            or now is None
            or plan.wal is None
            or now.inode != plan.wal.inode
            or self.wal_end < plan.wal_end
        ):
            self.abandon_fold(plan)
            return False
        folders = set()
        # coach.json goes last, so old tables in it stay readable until every file that
        # replaces them is in place. A crash between renames leaves the log whole.
        for path in sorted(plan.temps, key=lambda p: (p == MAIN, p)):
            target = self.folder / path
            os.replace(plan.temps.pop(path), target)
            folders.add(target.parent)
        for folder in folders:
            fsync_dir(folder)
        # The turns after the plan stay in the log, behind a header naming the plan's.
        with open(self.wal_path, "rb") as fh:
            fh.seek(plan.wal_end)
            later = fh.read(self.wal_end - plan.wal_end)
        head = wal.header(plan.seq)
        wal.replace(self.wal_path, head + later)
        self.base, self.wal_end = plan.seq, len(head) + len(later)
        self.folding -= plan.touched
        self.folding_files -= plan.touched_files
        self.signature = self.current_signature()
        return True

    def abandon_fold(self, plan: FoldPlan) -> None:
        """Drop a fold that failed or lost a race: its files count as changed again."""
        for tmp in plan.temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        plan.temps.clear()
        self.touched |= plan.touched
        self.touched_files |= plan.touched_files
        self.folding -= plan.touched
        self.folding_files -= plan.touched_files

    def _contents(self, paths: set[str]) -> dict[str, dict[str, list[Doc]]]:
        """What each file of `paths` must hold now (the buckets of a table in one pass)."""
        out: dict[str, dict[str, list[Doc]]] = {}
        for table, folder in BUCKETED.items():
            mine = [p for p in paths if p.startswith(folder + "/")]
            if not mine:
                continue
            split: dict[str, list[Doc]] = {}
            for key, doc in self.table(table).items():
                split.setdefault(f"{folder}/{bucket(key)}.json", []).append(doc)
            for path in mine:
                out.setdefault(path, {})[table] = split.get(path, [])
        for path in paths:
            if path not in out:
                out[path] = self._content(path)
        return out

    def _content(self, path: str) -> dict[str, list[Doc]]:
        """What file `path` must hold now: table inside it -> documents."""
        if path == MAIN:
            kept = {
                inner: list(docs.values())
                for inner, docs in self._read_file(MAIN).items()
                if inner not in (*IN_MAIN, *LEGACY_IN_MAIN)  # a newer version's table: keep it
            }
            return kept | {t: list(self.table(t).values()) for t in IN_MAIN}
        folder, _, name = path.rpartition("/")
        if path == "undo.json":
            return {"undo": list(self.table("undo").values())}
        if folder in SEGMENTED.values():
            kind = next(k for k, f in SEGMENTED.items() if f == folder)
            return {"records": list(self.table(segment_table(kind, int(name[:-5]))).values())}
        wanted = name[:-5]
        return {
            table: [doc for key, doc in self.table(table).items() if bucket(key) == wanted]
            for table, where in BUCKETED.items()
            if where == folder
        }

    def wal_size(self) -> int:
        return self.signature[0].size if self.signature and self.signature[0] else 0

    def sweep(self) -> None:
        """Remove temp files left by killed writes (once per process per user)."""
        if self.swept:
            return
        self.swept = True
        present = self._listing("")
        folders = [self.folder] + [
            self.folder / d for d in ("contacts", "reminders") if d in present
        ]
        if "history" in present:
            folders += [self.folder / d for d in SEGMENTED.values()]
        sweep_temp_files(folders)

    def all_tables(self) -> Iterator[str]:
        """Every logical table that exists (for a rewrite of everything)."""
        yield from IN_MAIN
        yield from BUCKETED
        yield "undo"
        for kind in SEGMENTED:
            for number in self.segment_numbers(kind):
                yield segment_table(kind, number)


def check_folder(folder: Path) -> None:
    """Raise a StoreError saying plainly why `folder` can't hold data, if it can't."""
    for path in (folder, *folder.parents):
        if path.exists() and not path.is_dir():
            raise StoreError(path, "is a file, not a folder", "not-a-folder")


def _contacts_of(doc: Doc) -> Sequence[object]:
    """Whom a record is about: an interaction's people, or a reminder's one contact."""
    if "contact_ids" in doc:
        people: Sequence[object] = doc["contact_ids"]
        return people
    return (doc["contact_id"],) if "contact_id" in doc else ()
