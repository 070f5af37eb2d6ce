"""Backups: the database and the uploaded files in one tar archive, checked whole before a restore writes.

`backup_write(out)` makes `out` (written beside it under a temporary name, fsynced, then renamed: a crash never
leaves half an archive under the real name). Members, in order:
- `database.sqlite3`: a copy by SQLite's online backup API (consistent while the server writes), or
  `database.pgdump`: `pg_dump --format=custom` run inside an exported snapshot, so that the row counts of the
  manifest are those of the very same instant;
- `media/<name>`: every file of the default storage (uploaded documents), whatever the storage;
- `manifest.json`, last: format version, date, Atelier version, database vendor, applied migrations, rows per
  table, and the size and SHA-256 of every other member. Last, so a file cut short has no manifest.

`restore(archive)` refuses a target that already holds tables (restore goes into a new, empty database: no
`migrate` before), then unpacks the archive into a temporary folder while hashing, and refuses it whole if a
member is missing, extra, shortened or changed, or if it comes from a newer Atelier (unknown migrations); only
then it loads the database (SQLite backup API, or `pg_restore --single-transaction`), reinstalls the triggers
that keep issued documents unchanged (billing.guards: they come with the dump, reinstalling is idempotent),
writes the files, and compares the row counts with the manifest. The issued documents' originals live in the
database (billing.Original), so they come with it.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError

FORMAT = "atelier-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRESQL_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupRefused(AtelierError):
    """A backup that cannot be made, or a restore refused before anything was written."""


# -- the database, read ------------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(name for (name,) in rows)


def _counts(execute, tables: list[str]) -> dict[str, int]:
    return {table: execute(f'SELECT COUNT(*) FROM "{table}"')[0] for table in tables}


def _migrations(execute, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    return sorted(
        f"{app}.{name}" for app, name in execute("SELECT app, name FROM django_migrations", many=True)
    )


def _sqlite_executor(db: sqlite3.Connection):
    def execute(sql, many=False):
        cursor = db.execute(sql)
        return cursor.fetchall() if many else cursor.fetchone()

    return execute


def _sqlite_dump(folder: Path) -> tuple[Path, dict]:
    """A consistent copy of the live SQLite database (online backup API), and what it holds."""
    if connection.in_atomic_block:  # the copy would wait forever for this connection's own write lock
        raise BackupRefused(_("La sauvegarde se lance hors de toute transaction."))
    connection.ensure_connection()
    copy = folder / SQLITE_MEMBER
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
        tables = _sqlite_tables(target)
        execute = _sqlite_executor(target)
        facts = {"row_counts": _counts(execute, tables), "migrations": _migrations(execute, tables)}
    finally:
        target.close()
    return copy, facts


def _postgresql_environment() -> tuple[list[str], dict]:
    """libpq arguments and environment for pg_dump / pg_restore, from Django's settings (password by env)."""
    params = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return [*args, "--dbname", params["NAME"]], env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupRefused(
            _("%(tool)s est introuvable : installez le client PostgreSQL (paquet postgresql-client).")
            % {"tool": name}
        )
    return found


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupRefused(
            _("%(tool)s a échoué : %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()}
        )


def _postgresql_dump(folder: Path) -> tuple[Path, dict]:
    """pg_dump of the database as one snapshot, with the counts and migrations read in that same snapshot."""
    pg_dump = _tool("pg_dump")
    copy = folder / POSTGRESQL_MEMBER
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
            tables = [name for (name,) in cursor.fetchall()]

            def execute(sql, many=False):
                cursor.execute(sql)
                return cursor.fetchall() if many else cursor.fetchone()

            facts = {"row_counts": _counts(execute, tables), "migrations": _migrations(execute, tables)}
            args, env = _postgresql_environment()
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={copy}", *args], env)
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return copy, facts


# -- the uploaded files ------------------------------------------------------------------------------------


def media_names(storage=None, folder: str = "") -> list[str]:
    """Every file of the storage, recursively (a storage that has no folder yet holds nothing)."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += media_names(storage, f"{folder}{sub}/")
    return sorted(names)


class _Hashing(io.RawIOBase):
    """A read-only stream that hashes what is read through it."""

    def __init__(self, stream):
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        self.sha256.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


# -- backup ------------------------------------------------------------------------------------------------


def _add(tar: tarfile.TarFile, name: str, stream, size: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    hashing = _Hashing(stream)
    tar.addfile(info, hashing)
    if hashing.size != size:  # a file that changed size while read: the archive would lie
        raise BackupRefused(
            _("Le fichier %(name)s a changé pendant la sauvegarde : relancez-la.") % {"name": name}
        )
    return {"size": size, "sha256": hashing.sha256.hexdigest()}


def backup_write(out: Path) -> dict:
    """Write the archive to `out`; return its manifest."""
    out = Path(out).resolve()
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupRefused(_("Base %(v)s non prise en charge.") % {"v": connection.vendor})
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise BackupRefused(
            _("Écriture impossible dans %(d)s : %(e)s.") % {"d": out.parent, "e": exc.strerror}
        ) from exc
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".atelier-backup-") as work:
            dump = _sqlite_dump if connection.vendor == "sqlite" else _postgresql_dump
            database, facts = dump(Path(work))
            files = {}
            with os.fdopen(handle, "wb") as stream:
                with tarfile.open(fileobj=stream, mode="w:gz") as tar:
                    with database.open("rb") as data:
                        files[database.name] = _add(tar, database.name, data, database.stat().st_size)
                    database.unlink()  # the folder beside `out` holds one copy at a time
                    for name in media_names():
                        with default_storage.open(name, "rb") as data:
                            member = MEDIA_PREFIX + name
                            files[member] = _add(tar, member, data, default_storage.size(name))
                    manifest = {
                        "format": FORMAT,
                        "version": VERSION,
                        "atelier": metadata.version("atelier"),
                        "created_at": timezone.now().isoformat(timespec="seconds"),
                        "database": {"vendor": connection.vendor, "member": database.name},
                        "migrations": facts["migrations"],
                        "row_counts": facts["row_counts"],
                        "files": files,
                    }
                    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                    _add(tar, MANIFEST, io.BytesIO(data), len(data))
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return manifest


# -- restore -----------------------------------------------------------------------------------------------


def target_tables() -> tuple[list[str], int]:
    """(tables, rows in them) of the database Atelier is set to use."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        rows = 0
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            rows += cursor.fetchone()[0]
    return tables, rows


def _refuse_unless_empty() -> None:
    tables, rows = target_tables()
    if rows:
        raise BackupRefused(
            _(
                "La base cible contient déjà des données (%(rows)d lignes dans %(tables)d tables) : la "
                "restauration se fait dans une base vide, rien n'a été écrit."
            )
            % {"rows": rows, "tables": len(tables)}
        )
    if tables:
        raise BackupRefused(
            _(
                "La base cible contient déjà %(tables)d tables (vides) : restaurez dans une base neuve, sans "
                "lancer « atelier migrate » avant. Rien n'a été écrit."
            )
            % {"tables": len(tables)}
        )


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def unpack_verified(archive: Path, folder: Path) -> dict:
    """Unpack `archive` into `folder`, hashing as it goes; return the manifest once every member matches it."""
    found: dict[str, dict] = {}
    unreadable = _("Archive illisible ou incomplète (%(e)s) : restauration refusée, rien n'a été écrit.")
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            for member in tar:
                if not member.isfile() or not _safe_member(member.name):
                    raise BackupRefused(
                        _("Élément inattendu dans l'archive : %(n)s. Restauration refusée.")
                        % {"n": member.name}
                    )
                target = folder / "members" / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                with open(target, "wb") as copy:
                    hashing = _Hashing(source)
                    shutil.copyfileobj(hashing, copy, CHUNK)
                found[member.name] = {"size": hashing.size, "sha256": hashing.sha256.hexdigest()}
    except FileNotFoundError:
        raise BackupRefused(_("Fichier introuvable : %(f)s.") % {"f": archive}) from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupRefused(unreadable % {"e": exc}) from None
    if MANIFEST not in found:
        raise BackupRefused(unreadable % {"e": _("pas de manifeste")})
    try:
        manifest = json.loads((folder / "members" / MANIFEST).read_text())
        expected = manifest["files"]
        vendor = manifest["database"]["vendor"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupRefused(unreadable % {"e": _("manifeste illisible")}) from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupRefused(
            _("Ce fichier n'est pas une sauvegarde Atelier de version %(v)d.") % {"v": VERSION}
        )
    del found[MANIFEST]
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            raise BackupRefused(_("Archive incomplète : %(n)s manque. Restauration refusée.") % {"n": name})
        if name not in expected:
            raise BackupRefused(_("%(n)s n'est pas dans le manifeste. Restauration refusée.") % {"n": name})
        if found[name] != expected[name]:
            raise BackupRefused(
                _("%(n)s ne correspond pas à son empreinte SHA-256 : archive altérée, restauration refusée.")
                % {"n": name}
            )
    if vendor != connection.vendor:
        raise BackupRefused(
            _("Sauvegarde d'une base %(a)s : elle se restaure dans une base %(a)s, pas %(b)s.")
            % {"a": vendor, "b": connection.vendor}
        )
    return manifest


def _refuse_newer(manifest: dict) -> None:
    """A backup of a newer Atelier holds tables this code does not know: refused before writing."""
    from django.db.migrations.loader import MigrationLoader

    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupRefused(
            _(
                "Sauvegarde faite par une version plus récente d'Atelier (migration inconnue : %(m)s) : mettez "
                "Atelier à jour avant de restaurer."
            )
            % {"m": unknown[0]}
        )


def _load_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _load_postgresql(dump: Path) -> None:
    pg_restore = _tool("pg_restore")
    args, env = _postgresql_environment()
    connection.close()  # pg_restore works in its own session
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(dump),
        ],
        env,
    )


def restore(archive: Path) -> dict:
    """Restore `archive` into the empty database and storage Atelier is set to use; return its manifest."""
    from atelier.billing import guards

    _refuse_unless_empty()
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".atelier-restore-") as work:
        folder = Path(work)
        manifest = unpack_verified(Path(archive), folder)
        _refuse_newer(manifest)
        media = [name[len(MEDIA_PREFIX) :] for name in manifest["files"] if name.startswith(MEDIA_PREFIX)]
        present = [name for name in media if default_storage.exists(name)]
        if present:
            raise BackupRefused(
                _("Le stockage des fichiers contient déjà %(n)s : restaurez dans un stockage vide.")
                % {"n": present[0]}
            )
        # everything checked: from here on, writes
        dump = folder / "members" / manifest["database"]["member"]
        (_load_sqlite if connection.vendor == "sqlite" else _load_postgresql)(dump)
        guards.install()
        for name in media:
            with open(folder / "members" / (MEDIA_PREFIX + name), "rb") as data:
                saved = default_storage.save(name, File(data))
            if saved != name:
                raise BackupRefused(
                    _("Le fichier %(n)s a été enregistré sous %(s)s.") % {"n": name, "s": saved}
                )
    counts = _counts(lambda sql: _fetch(sql), sorted(manifest["row_counts"]))
    if counts != manifest["row_counts"]:
        differing = sorted(t for t in counts if counts[t] != manifest["row_counts"][t])
        raise BackupRefused(
            _("Nombre de lignes différent après restauration : %(t)s.") % {"t": ", ".join(differing)}
        )
    return manifest


def _fetch(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def describe(manifest: dict) -> str:
    """« 12 345 lignes dans 98 tables, 3 fichiers, base sqlite du 2026-12-06T07:30:00+00:00 »."""
    rows = sum(manifest["row_counts"].values())
    media = sum(1 for name in manifest["files"] if name.startswith(MEDIA_PREFIX))
    return _("%(rows)d lignes dans %(tables)d tables, %(files)d fichiers, base %(vendor)s du %(date)s") % {
        "rows": rows,
        "tables": len(manifest["row_counts"]),
        "files": media,
        "vendor": manifest["database"]["vendor"],
        "date": manifest["created_at"],
    }
