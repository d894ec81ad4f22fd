"""Backups that restore: every table and every uploaded file in one checked archive.

``write_backup()`` makes a ``.tar.gz`` holding

- ``manifest.json``: format, time, database engine, the schema version (the latest migration
  of each app), the row count of every table and the SHA-256 of every other member;
- ``data/<app>.<model>.jsonl``: each table's rows (Django's serializer, one row a line, times to
  the microsecond), all
  read in one snapshot — PostgreSQL in a REPEATABLE READ READ ONLY transaction, SQLite in one
  read transaction (WAL gives it a snapshot without holding writers back);
- ``media/…``: the uploaded files under MEDIA_ROOT (attachments, admission documents).

``restore_backup()`` checks every checksum and that the archive's schema is the one this
program's migrations give, migrates an empty database, loads every table in one transaction,
resets the id sequences, puts the files back and compares the row counts with the manifest.
Because the data are rows, not a database file, a SQLite backup restores into PostgreSQL and
back. Sessions are not kept: after a restore everyone signs in again.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model
from django.utils.duration import duration_iso_string

FORMAT = 1
SKIPPED_APPS = {"sessions"}  # sessions are not data: after a restore everyone signs in again


class BackupError(Exception):
    """A backup that cannot be made or restored; the message is for the operator, in Chinese."""


@dataclass
class BackupReport:
    """What a backup or restore wrote: where, how many rows per table, how many files."""

    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class _ExactEncoder(json.JSONEncoder):
    """JSON for row values without the precision Django's encoder drops (it cuts microseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, datetime.timedelta):
            return duration_iso_string(o)
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def backed_up_models() -> list[type[Model]]:
    """Every concrete table of every installed app, parents before children."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in SKIPPED_APPS:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def schema_version() -> dict[str, str]:
    """The latest migration of each app as this program's code has them."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return dict(sorted(loader.graph.leaf_nodes()))


def applied_schema() -> dict[str, str]:
    """The latest migration of each app applied to the database; BackupError if any is missing."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    leaves = dict(sorted(loader.graph.leaf_nodes()))
    missing = [
        f"{app}.{name}" for app, name in leaves.items() if (app, name) not in loader.applied_migrations
    ]
    if missing:
        raise BackupError(
            f"数据库尚未迁移到本程序的最新结构（缺 {', '.join(missing)}），请先运行 dangjian migrate。"
        )
    return leaves


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """Read every table from one consistent snapshot, without blocking writers."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (a test): its snapshot is the one we read
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Not transaction.atomic(): that is BEGIN IMMEDIATE here, which would hold every writer back
        # for the whole dump. A deferred read transaction in WAL mode sees one snapshot.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic():
        yield


def write_backup(out: Path) -> BackupReport:
    """Write a backup of the database and MEDIA_ROOT to ``out`` (a .tar.gz)."""
    schema = applied_schema()
    report = BackupReport(path=out)
    with tempfile.TemporaryDirectory(prefix="dangjian-backup-") as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        with _snapshot():
            for model in backed_up_models():
                label = model._meta.label_lower
                count = 0
                with (root / "data" / f"{label}.jsonl").open("w", encoding="utf-8") as handle:
                    rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
                    # Many-to-many links are dumped as their own through tables (with their ids), so
                    # the rows here carry only the model's own columns.
                    own = [f.name for f in model._meta.concrete_fields if not f.primary_key]
                    for row in serializers.serialize("python", rows, fields=own):
                        handle.write(json.dumps(row, cls=_ExactEncoder, ensure_ascii=False) + "\n")
                        count += 1
                report.rows[label] = count
        members = sorted(p for p in (root / "data").iterdir())
        media_root = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        report.files = len(media_files)
        checksums = {f"data/{p.name}": _sha256(p) for p in members}
        checksums.update({f"media/{p.relative_to(media_root).as_posix()}": _sha256(p) for p in media_files})
        manifest = {
            "format": FORMAT,
            "program": "dangjian",
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "schema": schema,
            "rows": report.rows,
            "sha256": checksums,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            info.mtime = int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            for path in members:
                archive.add(path, arcname=f"data/{path.name}", recursive=False)
            for path in media_files:
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}", recursive=False)
        partial.replace(out)  # a half-written archive never carries the final name
    return report


def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            handle = archive.extractfile("manifest.json")
            if handle is None:
                raise KeyError("manifest.json")
            manifest = json.loads(handle.read().decode("utf-8"))
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(
            f"无法读取备份文件 {archive_path}：不是党建台账的备份，或文件已损坏（{exc}）。"
        ) from exc
    if manifest.get("program") != "dangjian" or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} 不是本程序能识别的备份文件（格式 {manifest.get('format')!r}）。")
    return manifest


def check_schema(manifest: dict[str, Any]) -> None:
    """Refuse a backup made by a program whose database structure differs from ours."""
    ours, theirs = schema_version(), manifest.get("schema", {})
    if ours == theirs:
        return
    differences = []
    for app in sorted(set(ours) | set(theirs)):
        if ours.get(app) != theirs.get(app):
            differences.append(
                f"{app}：备份为 {theirs.get(app) or '（无）'}，本程序为 {ours.get(app) or '（无）'}"
            )
    raise BackupError(
        "备份文件的数据库结构版本与本程序不一致，不能恢复。请使用制作该备份时的程序版本恢复，"
        "再升级程序并运行 dangjian migrate。差异：" + "；".join(differences)
    )


def _extract_checked(archive_path: Path, manifest: dict[str, Any], into: Path) -> None:
    expected = dict(manifest.get("sha256", {}))
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            if member.name == "manifest.json":
                continue
            name = PurePosixPath(member.name)
            if (
                not member.isfile()
                or name.is_absolute()
                or ".." in name.parts
                or name.parts[0] not in ("data", "media")
            ):
                raise BackupError(f"备份文件中有不应出现的条目：{member.name}")
            if member.name not in expected:
                raise BackupError(f"备份文件中的 {member.name} 不在清单中，文件可能被改动过。")
            target = into / Path(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            with target.open("wb") as handle:
                shutil.copyfileobj(source, handle)
            if _sha256(target) != expected.pop(member.name):
                raise BackupError(
                    f"备份文件中的 {member.name} 校验和不符，文件已损坏或被改动，未作任何恢复。"
                )
    if expected:
        raise BackupError(f"备份文件缺少 {len(expected)} 个条目（如 {next(iter(expected))}），未作任何恢复。")


def _insert_as_stored(model: type[Model], objs: list[Model]) -> int:
    """INSERT rows exactly as they were: a raw insert keeps auto_now times, ids and all."""
    if not objs:
        return 0
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
    for start in range(0, len(objs), size):
        # bulk_create() would stamp created_at/updated_at with the time of the restore.
        model._base_manager._insert(
            objs[start : start + size], fields=fields, using=connection.alias, raw=True
        )
    return len(objs)


def database_is_empty() -> bool:
    """No accounts and no organizations: what a freshly migrated database looks like."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    # core sits below orgs: it names the model through the app registry, not an import
    organization = apps.get_model("orgs", "Organization")
    return not get_user_model().objects.exists() and not organization.objects.exists()


def restore_backup(archive_path: Path, *, replace: bool = False) -> BackupReport:
    """Restore ``archive_path`` into this database (empty unless ``replace``) and MEDIA_ROOT."""
    manifest = read_manifest(archive_path)
    check_schema(manifest)
    report = BackupReport(path=archive_path)
    with tempfile.TemporaryDirectory(prefix="dangjian-restore-") as tmp:
        root = Path(tmp)
        # Everything is checked before anything in the database changes.
        _extract_checked(archive_path, manifest, root)
        try:
            applied_schema()
        except BackupError:
            call_command("migrate", interactive=False, verbosity=0)  # a new, empty database
        if not replace and not database_is_empty():
            raise BackupError("数据库中已有数据。恢复会覆盖全部数据：确认无误时请加 --replace。")
        models = backed_up_models()
        by_label = {m._meta.label_lower: m for m in models}
        unknown = set(manifest["rows"]) - set(by_label)
        if unknown:
            raise BackupError(f"备份中有本程序没有的数据表：{', '.join(sorted(unknown))}")
        with transaction.atomic():
            tables = [m._meta.db_table for m in models]
            for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True):
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            with connection.constraint_checks_disabled():
                for label in manifest["rows"]:
                    path = root / "data" / f"{label}.jsonl"
                    count = 0
                    model = by_label[label]
                    batch: list[Model] = []
                    with path.open(encoding="utf-8") as handle:
                        rows = (json.loads(line) for line in handle if line.strip())
                        # The through tables come as their own tables, so m2m data is not set here;
                        # rows go in by the batch, as stored (no signals: nothing is "new").
                        for obj in serializers.deserialize("python", rows, handle_forward_references=True):
                            batch.append(obj.object)
                            if len(batch) >= 500:
                                count += _insert_as_stored(model, batch)
                                batch = []
                    count += _insert_as_stored(model, batch)
                    report.rows[label] = count
            connection.check_constraints(table_names=tables)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
            for label, expected in manifest["rows"].items():
                found = by_label[label]._base_manager.count()
                if found != expected:
                    raise BackupError(f"恢复后 {label} 有 {found} 行，备份中为 {expected} 行，已撤销恢复。")
        media_source = root / "media"
        media_root = Path(settings.MEDIA_ROOT)
        if media_source.exists():
            for path in sorted(p for p in media_source.rglob("*") if p.is_file()):
                target = media_root / path.relative_to(media_source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                report.files += 1
    from django.core.cache import cache

    cache.clear()  # derived figures were computed from the data that was replaced
    return report
