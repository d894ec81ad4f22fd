"""Jobs benchmark: a roster import of a few thousand rows through the job queue vs the direct call.

    .venv/bin/python bench/jobs_bench.py                       # SQLite (a fresh file under /tmp)
    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobs_bench \\
        .venv/bin/python bench/jobs_bench.py                   # PostgreSQL (database recreated)

A bureau of 60 branches and 1,200 members; import files of ROWS new members each (disjoint ID
numbers, so every run writes the same amount). For each round, in alternating order:

- direct: ``import_roster(...)`` as the web page calls it for a small file;
- job, in-process worker: ``jobs.enqueue(...)`` (file stored, job row + queue row) and one
  iteration of django-tasks-db's worker in this process, timed from enqueue to the job's
  ``finished_at`` — the mechanism's own cost (progress writes, claim, the joint transaction);
- job, worker process: the same through a real ``dangjian worker`` child (polling every second),
  timed from enqueue to ``finished_at`` as the progress page would see it.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))
from roster_bench import GIVEN, SURNAMES, id_number, prepare_database  # noqa: E402

BRANCHES = 60
MEMBERS = 1_200
ROWS = 3_000
ROUNDS = 3


def build() -> dict:
    from django.contrib.auth import get_user_model

    from dangjian.core.models import Role
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization

    lg = Organization.objects.create(name="基准局党组", kind=OrgKind.LEADING_GROUP)
    oc = Organization.objects.create(name="基准局机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=lg)
    branches = [
        Organization.objects.create(name=f"第{i + 1:02d}党支部", kind=OrgKind.BRANCH, parent=oc, order=i)
        for i in range(BRANCHES)
    ]
    officer = get_user_model().objects.create_user("bench_jgdw", password="x" * 12)
    Role.objects.create(user=officer, kind="agency_officer", organization=oc)
    return {"branches": branches, "officer": officer}


def roster_file(data: dict, batch: int) -> bytes:
    from dangjian.members.tests.roster_helpers import HEADER, xlsx

    rows = []
    base = datetime.date(1961, 2, 3)
    for i in range(ROWS):
        born = base + datetime.timedelta(days=(i * 11) % 12_000)
        admitted = born.replace(year=born.year + 26, day=1)
        values = {
            "姓名": f"{SURNAMES[i % 30]}{GIVEN[i % 29]}{GIVEN[(i // 29) % 29]}",
            "性别": "男" if i % 2 else "女",
            "民族": "汉族",
            "出生日期": born,
            "籍贯": "某省",
            "学历": "大学本科",
            # (birth, seq) is unique within a file; the batch keeps files apart.
            "身份证号": id_number(born, 100 * batch + i // 12_000),
            "联系电话": f"137{i:08d}",
            "所在股室": "综合股",
            "职务": "科员",
            "所在支部": data["branches"][i % BRANCHES].name,
            "所在党小组": "",
            "党员状态": "正式党员",
            "入党时间": admitted,
            "转正时间": admitted.replace(year=admitted.year + 1),
            "党费类别": "在职",
            "交纳基数": 5000 + i % 3000,
            "流动党员": "否",
            "备注": "",
        }
        rows.append([values[h] for h in HEADER])
    return xlsx(rows)


def direct(data: dict, content: bytes) -> tuple[float, float]:
    from dangjian.members.roster_import import import_roster

    start, cpu = time.perf_counter(), time.process_time()
    report = import_roster(content, filename="bench.xlsx", user=data["officer"], via="web")
    assert report.imported and report.created == ROWS, report.lines()
    return time.perf_counter() - start, time.process_time() - cpu


def through_job(data: dict, content: bytes, worker: subprocess.Popen | None) -> tuple[float, float]:
    """Wall seconds from enqueue to done, and this process's CPU seconds (0 with a worker process)."""
    from django_tasks_db.management.commands.db_worker import Worker

    from dangjian.core import jobs
    from dangjian.core.models import Job

    start, cpu = time.perf_counter(), time.process_time()
    started_at = datetime.datetime.now(datetime.UTC)
    job = jobs.enqueue(
        "members.roster_import",
        owner=data["officer"],
        title="导入花名册：bench.xlsx",
        arguments={"filename": "bench.xlsx", "dry_run": False},
        upload=content,
        upload_name="bench.xlsx",
    )
    if worker is None:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=1,
            worker_id="bench",
            excluded_queue_names=[],
        ).run()
        job.refresh_from_db()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    else:
        while True:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.05)
        seconds, cpu = (job.finished_at - started_at).total_seconds(), 0.0
    assert job.state == Job.State.DONE and job.result["created"] == ROWS, (job.state, job.error)
    return seconds, cpu


def main() -> None:
    url = prepare_database()
    # Stored uploads go to a scratch folder, shared with the worker process through the environment.
    os.environ["DANGJIAN_VAR_DIR"] = tempfile.mkdtemp(prefix="jobs-bench-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = build()
    print(f"database: {url.split('://')[0]}; {BRANCHES} branches; files of {ROWS:,} new members")
    files = iter(roster_file(data, batch) for batch in range(1, 100))
    results: dict[str, list[tuple[float, float]]] = {"direct": [], "job, in-process worker": []}
    for round_ in range(ROUNDS):
        order = ["direct", "job, in-process worker"]
        for label in order if round_ % 2 == 0 else order[::-1]:
            content = next(files)
            wall, cpu = direct(data, content) if label == "direct" else through_job(data, content, None)
            results[label].append((wall, cpu))
            print(f"  round {round_ + 1}: {label:<26} {wall:6.2f} s (cpu {cpu:5.2f} s)")

    worker = subprocess.Popen([sys.executable, "-m", "dangjian", "worker", "--verbosity", "0"])
    try:
        time.sleep(3)  # Django start-up, so the first job does not pay for it
        results["job, worker process"] = []
        for round_ in range(ROUNDS):
            wall, cpu = through_job(data, next(files), worker)
            results["job, worker process"].append((wall, cpu))
            print(f"  round {round_ + 1}: {'job, worker process':<26} {wall:6.2f} s")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print()
    for label, values in results.items():
        walls = [w for w, _c in values]
        cpus = [c for _w, c in values]
        print(
            f"  {label:<26} wall median {statistics.median(walls):6.2f} s (min {min(walls):.2f}, "
            f"max {max(walls):.2f}); cpu median {statistics.median(cpus):5.2f} s"
        )


if __name__ == "__main__":
    main()
