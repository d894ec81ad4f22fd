"""Backups restore: a built bureau goes through backup → empty database → restore table by table."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.core.backup import backed_up_models

pytestmark = pytest.mark.django_db


def _tables() -> dict[str, list[dict]]:
    return {m._meta.label_lower: list(m._base_manager.order_by("pk").values()) for m in backed_up_models()}


def _upload(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = Path(settings.MEDIA_ROOT) / "attachments" / "2024" / "签到表.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 signed sheet")
    return upload


@pytest.fixture
def built_bureau(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The whole demo bureau: every app's tables filled."""
    call_command("demo", stdout=io.StringIO())
    return _upload(settings, tmp_path)


@pytest.fixture
def small_bureau(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The test personas' bureau: enough for the refusals, quicker to build."""
    return _upload(settings, tmp_path)


def _edit_manifest(src: Path, dst: Path, change) -> None:  # type: ignore[no-untyped-def]
    with tarfile.open(src, "r:gz") as old, tarfile.open(dst, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))


# Committed data, as in real use: PostgreSQL refuses to TRUNCATE tables with pending trigger
# events inside the test's own transaction. serialized_rollback brings the migrations' seed rows
# back for the tests after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_built_bureau_round_trips_table_by_table(built_bureau, tmp_path, settings):
    before = _tables()
    assert sum(len(rows) for rows in before.values()) > 1000
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "--out", str(archive), stdout=out)
    assert "已备份" in out.getvalue()

    call_command("flush", interactive=False, verbosity=0)  # an empty database
    built_bureau.unlink()
    assert _tables() != before

    call_command("restore", str(archive), stdout=io.StringIO())
    after = _tables()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert built_bureau.read_bytes() == b"%PDF-1.4 signed sheet"


def test_the_manifest_has_the_schema_version_row_counts_and_checksums(small_bureau, tmp_path):
    from dangjian.core.backup import read_manifest, schema_version

    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--out", str(archive), stdout=io.StringIO())
    manifest = read_manifest(archive)
    assert manifest["schema"] == schema_version() and "core" in manifest["schema"]
    assert manifest["rows"]["members.member"] == 5
    assert "media/attachments/2024/签到表.pdf" in manifest["sha256"]
    assert all(len(digest) == 64 for digest in manifest["sha256"].values())


def test_a_backup_of_another_schema_version_is_refused_in_chinese(small_bureau, tmp_path):
    archive, other = tmp_path / "b.tar.gz", tmp_path / "other.tar.gz"
    call_command("backup", "--out", str(archive), stdout=io.StringIO())
    _edit_manifest(archive, other, lambda m: m["schema"].update({"members": "0099_future"}))
    with pytest.raises(CommandError, match="结构版本与本程序不一致.*members"):
        call_command("restore", str(other), "--replace", stdout=io.StringIO())


def test_a_damaged_backup_is_refused_before_anything_changes(small_bureau, tmp_path):
    archive, damaged = tmp_path / "b.tar.gz", tmp_path / "damaged.tar.gz"
    call_command("backup", "--out", str(archive), stdout=io.StringIO())
    _edit_manifest(archive, damaged, lambda m: m["sha256"].update({"data/members.member.jsonl": "0" * 64}))
    before = _tables()
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(damaged), "--replace", stdout=io.StringIO())
    assert _tables() == before


def test_restoring_over_existing_data_needs_replace(small_bureau, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--out", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="不是党建台账的备份"):
        call_command("restore", str(junk), stdout=io.StringIO())
