"""Roster import: every row checked, errors by row and column, all or nothing, dry run, re-import."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from dangjian.core.models import AuditLog
from dangjian.members.models import Member, StatusChange
from dangjian.members.roster_export import template_workbook
from dangjian.members.roster_import import import_roster
from dangjian.members.tests.roster_helpers import HEADER, make_id, read_xlsx, row, xlsx

pytestmark = pytest.mark.django_db


def run(data: bytes, user=None, **kw):  # type: ignore[no-untyped-def]
    return import_roster(data, filename="花名册.xlsx", user=user, **kw)


def errors(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in report.file_errors + report.errors]


# --- a good file --------------------------------------------------------------------------------


def test_good_file_creates_members_with_history_and_audit(bureau, personas):
    before = Member.objects.count()
    report = run(
        xlsx(
            [row(), row(姓名="郑八", 身份证号=make_id("19900101", "222"), 出生日期="1990-01-01", 性别="女")]
        ),
        user=personas.secretary_of_branch_1,
    )
    assert report.ok, errors(report)
    assert report.imported and report.created == 2
    assert Member.objects.count() == before + 2
    wu = Member.objects.get(name="吴六安")
    assert wu.organization == bureau.branch_1 and wu.cell == bureau.cell_1
    assert wu.birth_date == datetime.date(1988, 5, 6)
    assert wu.confirmation_date == datetime.date(2013, 7, 1)
    assert wu.is_mobile is False and wu.status_since == datetime.date(2013, 7, 1)
    assert wu.pinyin_initials == "wla"
    assert StatusChange.objects.filter(member=wu, to_status="full").exists()
    log = AuditLog.objects.get(object_id=str(wu.pk), content_type__model="member")
    assert log.actor == personas.secretary_of_branch_1 and log.verb == "花名册导入"
    assert log.changes["name"] == [None, "吴六安"]


def test_importing_the_same_file_twice_changes_nothing(bureau, personas):
    data = xlsx([row(), row(姓名="郑八", 身份证号=make_id("19900101", "222"), 出生日期="1990-01-01")])
    assert run(data, user=personas.agency_officer).created == 2
    members, logs, history = Member.objects.count(), AuditLog.objects.count(), StatusChange.objects.count()
    again = run(data, user=personas.agency_officer)
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 2
    assert (Member.objects.count(), AuditLog.objects.count(), StatusChange.objects.count()) == (
        members,
        logs,
        history,
    )
    assert "2 人无变化" in again.summary


def test_a_known_id_number_updates_that_member_and_logs_the_change(bureau, personas):
    run(xlsx([row()]), user=personas.agency_officer)
    wu = Member.objects.get(name="吴六安")
    report = run(xlsx([row(联系电话="13911112222", 所在党小组="第二党小组")]), user=personas.agency_officer)
    assert report.ok and report.updated == 1 and report.created == 0
    wu.refresh_from_db()
    assert wu.phone == "13911112222" and wu.cell == bureau.cell_2
    log = AuditLog.objects.filter(object_id=str(wu.pk), content_type__model="member", action="update").get()
    assert log.changes["phone"] == ["13900000001", "13911112222"]
    assert log.changes["cell_id"] == [bureau.cell_1.pk, bureau.cell_2.pk]


def test_status_change_by_import_is_dated_in_the_history(bureau, personas):
    pid = make_id("19950101", "333")
    run(
        xlsx(
            [
                row(
                    身份证号=pid,
                    出生日期="1995-01-01",
                    党员状态="预备党员",
                    入党时间="2024-06-01",
                    转正时间="",
                )
            ]
        )
    )
    report = run(
        xlsx([row(身份证号=pid, 出生日期="1995-01-01", 入党时间="2024-06-01", 转正时间="2025-06-01")])
    )
    assert report.ok and report.updated == 1, errors(report)
    member = Member.objects.get(id_number=pid)
    change = member.status_changes.get(from_status="probationary")
    assert change.to_status == "full" and change.date == datetime.date(2025, 6, 1)


def test_officers_own_roster_with_title_row_header_variants_and_loose_dates(bureau, personas):
    header = [
        "序号", "姓 名", "性别", "出生年月", "身份证号码", "所属支部", "人员类别", "入党日期", "转正日期", "手机号码",
        "文化程度",
    ]  # fmt: skip
    rows = [
        [1, "张  三", "男", "1985.03", "１１０１０５１９８５０３１２１２３" + make_id("19850312")[-1],
         " 第一党支部 ", "正式党员", "2010.7.1", "2011年7月1日", "１３９００００００１１", "本科"],
        [2, "李四", "女", datetime.datetime(1990, 8, 20), make_id("19900820", "456").lower(), "第一党支部",
         "预备党员", "2026/3/1", None, 13900000012, "研究生"],
        [3, "王五", "男", "1979-04", make_id("19790418", "789"), "一支部", "正式党员", "2001-07-01",
         "2002-07-01", "", "大专"],
    ]  # fmt: skip
    bureau.branch_1.short_name = "一支部"
    bureau.branch_1.save()
    report = run(
        xlsx(rows, header=header, title="测试局机关党委党员花名册（2024年）"), user=personas.agency_officer
    )
    assert report.ok, errors(report)
    assert report.header_row == 2 and report.rows == 3 and report.created == 3
    zhang = Member.objects.get(name="张三")
    # 出生年月 1985.03 takes the day from the ID number when year and month agree.
    assert zhang.birth_date == datetime.date(1985, 3, 12)
    assert zhang.id_number == make_id("19850312") and zhang.phone == "13900000011"
    assert zhang.admission_date == datetime.date(2010, 7, 1)
    assert zhang.confirmation_date == datetime.date(2011, 7, 1)
    assert zhang.education == "bachelor"
    li = Member.objects.get(name="李四")
    assert li.birth_date == datetime.date(1990, 8, 20) and li.status == "probationary"
    assert li.id_number.endswith(make_id("19900820", "456")[-1].upper()) and li.phone == "13900000012"
    assert Member.objects.get(name="王五").organization == bureau.branch_1
    assert any("序号" in n for n in report.notes)
    assert any("只写到月" in n for n in report.notes)


def test_birth_month_not_matching_the_id_takes_the_first_and_is_reported(bureau):
    report = run(xlsx([row(出生日期="1988.04")]))
    assert not report.ok
    assert errors(report) == ["第2行 D列（出生日期）：出生日期与身份证号中的1988年5月6日不一致。"]


# --- bad rows -----------------------------------------------------------------------------------


def test_wrong_check_digit_is_named_by_row_and_column_and_nothing_is_written(bureau, personas):
    good = make_id("19880506")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = Member.objects.count(), AuditLog.objects.count()
    report = run(
        xlsx(
            [row(姓名="郑八", 身份证号=make_id("19900101", "222"), 出生日期="1990-01-01"), row(身份证号=bad)]
        ),
        user=personas.agency_officer,
    )
    assert not report.ok and not report.imported
    assert errors(report) == [f"第3行 G列（身份证号）：身份证号校验位不正确（应为{good[17]}），请核对。"]
    assert (Member.objects.count(), AuditLog.objects.count()) == before
    assert "整个文件未导入" in report.summary


def test_each_rule_is_reported_on_its_row_and_column(bureau, personas):
    rows = [
        row(),  # 2: fine
        row(身份证号=make_id("19880506")),  # 3: duplicate of row 2
        row(身份证号=make_id("20100101", "111"), 出生日期="2010-01-01"),  # 4: under 18
        row(身份证号=make_id("19800101", "111"), 出生日期="1980-01-01", 转正时间="2012-01-01"),  # 5
        row(身份证号=make_id("19800101", "222"), 出生日期="1980-01-01", 转正时间="2013-01-01"),  # 6
        row(身份证号=make_id("19800101", "333"), 出生日期="1980-01-01", 所在支部="第九党支部"),  # 7
        row(身份证号=make_id("19800101", "444"), 出生日期="1980-01-01", 所在党小组="第三党小组"),  # 8
        row(身份证号=make_id("19800101", "555"), 出生日期="1980-01-01", 姓名="", 性别="未知"),  # 9
        row(身份证号=make_id("19800101", "666"), 出生日期="1980-13-01", 入党时间="2010.7"),  # 10
        row(身份证号="11010519800101", 出生日期="1980-01-01", 交纳基数="五千", 流动党员="也许"),  # 11
        row(身份证号=make_id("19800101", "777"), 出生日期="1980-01-01", 党员状态="", 学历="幼儿园"),  # 12
    ]
    report = run(xlsx(rows), user=personas.agency_officer)
    assert errors(report) == [
        "第3行 G列（身份证号）：与第2行的身份证号重复。",
        "第4行 N列（入党时间）：入党时未满18周岁（党章第一条）。",
        "第5行 O列（转正时间）：转正时间早于入党时间。",
        "第6行 O列（转正时间）：转正时间距入党时间不满一年（预备期为一年，党章第七条）。",
        "第7行 K列（所在支部）：找不到党组织“第九党支部”，或它不在您的管理范围内。请填写党组织的全称或简称。",
        "第8行 L列（所在党小组）：第一党支部下没有名为“第三党小组”的党小组。",
        "第9行 A列（姓名）：姓名不能为空。",
        "第9行 B列（性别）：无法识别的性别“未知”，应填写：男、女。",
        "第10行 D列（出生日期）：日期“1980-13-01”不存在。",
        "第10行 N列（入党时间）：入党时间须写到日，如 2010年7月1日。",
        "第11行 G列（身份证号）：身份证号应为18位，前17位为数字，最后一位为数字或X。",
        "第11行 Q列（交纳基数）：交纳基数“五千”不是数字，请填写金额（元），如 4500.00。",
        "第11行 R列（流动党员）：“也许”无法识别，请填写 是 或 否。",
        "第12行 F列（学历）：无法识别的学历“幼儿园”，应填写：博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中及以下。",
        "第12行 M列（党员状态）：党员状态不能为空，应填写 预备党员 或 正式党员。",
    ]
    assert report.error_count == 15 and Member.objects.filter(name="吴六安").count() == 0


def test_a_branch_secretary_cannot_import_into_another_branch(bureau, personas):
    report = run(xlsx([row(所在支部="第二党支部", 所在党小组="")]), user=personas.secretary_of_branch_1)
    assert errors(report) == [
        "第2行 K列（所在支部）：找不到党组织“第二党支部”，或它不在您的管理范围内。请填写党组织的全称或简称。"
    ]


def test_a_known_id_outside_the_users_scope_is_refused_without_saying_where(bureau, personas):
    pid = make_id("19700101", "999")
    Member.objects.filter(pk=bureau.member_of_branch_2.pk).update(id_number=pid)
    report = run(xlsx([row(身份证号=pid, 出生日期="1970-01-01")]), user=personas.secretary_of_branch_1)
    assert errors(report) == [
        "第2行 G列（身份证号）：该身份证号已有登记，不能重复录入；如为转入的党员，请联系机关党委办理组织关系转接。"
    ]
    assert "第二党支部" not in " ".join(errors(report)) and "范围" not in " ".join(errors(report))


def test_dry_run_reports_the_same_and_writes_nothing(bureau, personas):
    data = xlsx([row(), row(姓名="郑八", 身份证号=make_id("19900101", "222"), 出生日期="1990-01-01")])
    before = Member.objects.count(), AuditLog.objects.count()
    dry = run(data, user=personas.agency_officer, dry_run=True)
    assert dry.ok and dry.created == 2 and not dry.imported
    assert "试导入通过" in dry.summary and "没有写入任何数据" in dry.summary
    assert (Member.objects.count(), AuditLog.objects.count()) == before
    bad = xlsx([row(), row(身份证号="123")])
    assert errors(run(bad, dry_run=True)) == errors(run(bad))


def test_the_templates_example_row_is_skipped_and_said_so(bureau):
    data = template_workbook(branch_name="第一党支部", cell_name="第一党小组")
    report = run(data)
    assert report.file_errors == [] and report.error_count == 0
    assert report.created == 0 and "第2行是模板中的示例行，已跳过。" in report.notes


def test_template_has_chinese_headers_example_and_instructions():
    data = template_workbook()
    rows = read_xlsx(data, "花名册")
    assert list(rows[0]) == HEADER
    assert rows[1][0].startswith("（示例）")
    notes = read_xlsx(data, "填写说明")
    assert any(r[0] == "身份证号" and r[1] == "必填" for r in notes)


# --- bad files ----------------------------------------------------------------------------------


def test_a_file_that_is_not_xlsx_is_named_as_such(bureau):
    assert errors(run(b"name,id\n")) == ["文件不是 Excel .xlsx 格式，请上传 .xlsx 文件（可用本页的模板）。"]
    assert "旧版 Excel（.xls）" in errors(run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))[0]
    assert "无法打开" in errors(run(b"PK\x03\x04 broken zip"))[0]


def test_an_empty_file_and_an_empty_sheet(bureau):
    assert errors(run(b"")) == ["文件是空的（0 字节）。"]
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    assert errors(run(buffer.getvalue())) == ["工作表“Sheet”是空的。"]
    assert errors(run(xlsx([]))) == ["工作表“花名册”在表头（第1行）下面没有数据。"]


def test_missing_required_headers_are_named(bureau):
    header = ["姓名", "性别", "所在支部", "备注"]
    report = run(xlsx([["张三", "男", "第一党支部", ""]], header=header))
    assert report.unreadable
    assert errors(report)[0].startswith("第1行的表头缺少必需的列：出生日期、身份证号、入党时间。")


def test_a_sheet_without_a_header_row(bureau):
    assert "找不到表头" in errors(run(xlsx([["a", "b"]], header=["甲", "乙"])))[0]


def test_a_file_over_the_size_limit_is_refused(bureau, settings):
    settings.IMPORT_MAX_BYTES = 1000
    assert "超过了" in errors(run(xlsx([row()] * 20)))[0]


def test_a_ten_thousand_row_file_whose_last_row_is_bad_is_rejected_whole(bureau):
    rows = []
    for i in range(10_000):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i)
        rows.append(
            row(
                姓名=f"成员{i}",
                身份证号=make_id(f"{birth:%Y%m%d}", f"{i % 1000:03d}"),
                出生日期=birth.isoformat(),
            )
        )
    rows[-1][6] = rows[-1][6][:17] + ("0" if rows[-1][6][17] != "0" else "1")
    progress = []
    report = run(xlsx(rows), progress=lambda done, total: progress.append((done, total)))
    assert report.rows == 10_000 and report.error_count == 1
    assert errors(report)[0].startswith("第10001行 G列（身份证号）：身份证号校验位不正确")
    assert Member.objects.filter(name__startswith="成员").count() == 0
    assert progress[0] == (500, 10_000) and progress[-1] == (10_000, 10_000)


# --- the web page -------------------------------------------------------------------------------


def upload(client, data: bytes, dry_run: bool = False, name: str = "花名册.xlsx"):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    post = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        post["dry_run"] = "on"
    return client.post(reverse("members:import"), post)


@pytest.mark.parametrize("persona", ["outsider", "member", "discipline"])
def test_roles_that_cannot_write_get_403_on_the_import_pages(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(reverse("members:import")).status_code == 403
    assert upload(client, xlsx([row()])).status_code == 403
    assert client.get(reverse("members:import-template")).status_code == 403
    assert Member.objects.filter(name="吴六安").count() == 0


def test_import_page_shows_the_bad_row_and_writes_nothing(personas, login):
    client = login(personas.secretary_of_branch_1)
    page = client.get(reverse("members:import"))
    assert page.status_code == 200 and "试导入" in page.content.decode()
    response = upload(client, xlsx([row(), row(姓名="郑八", 身份证号="110105199001012220")]))
    body = response.content.decode()
    assert response.status_code == 400
    assert "第3行" in body and "G列（身份证号）" in body and "整个文件未导入" in body
    assert Member.objects.filter(name="吴六安").count() == 0


def test_import_page_dry_run_then_import(personas, login):
    client = login(personas.secretary_of_branch_1)
    response = upload(client, xlsx([row()]), dry_run=True)
    assert response.status_code == 200 and "试导入通过" in response.content.decode()
    assert not Member.objects.filter(name="吴六安").exists()
    response = upload(client, xlsx([row()]))
    assert "导入完成：新增 1 人" in response.content.decode()
    assert Member.objects.get(name="吴六安").organization.name == "第一党支部"


def test_a_clean_dry_run_lists_who_changes_and_confirms_without_a_second_upload(personas, login):
    from dangjian.core.models import Job

    client = login(personas.secretary_of_branch_1)
    second = row(姓名="郑八", 身份证号=make_id("19900101", "888"), 出生日期="1990-01-01")
    response = upload(client, xlsx([row(), second]), dry_run=True)
    body = response.content.decode()
    assert response.status_code == 200 and "确认导入" in body
    assert "吴六安" in body and "郑八" in body and "新增" in body
    assert not Member.objects.filter(name__in=["吴六安", "郑八"]).exists()
    job = Job.objects.get(owner=personas.secretary_of_branch_1)

    # Another officer cannot confirm it (it is not theirs: as if it did not exist).
    other = login(personas.agency_officer)
    assert other.post(reverse("members:import-confirm"), {"job": job.pk}).status_code == 404
    assert not Member.objects.filter(name="吴六安").exists()

    client = login(personas.secretary_of_branch_1)
    done = client.post(reverse("members:import-confirm"), {"job": job.pk})
    assert "导入完成：新增 2 人" in done.content.decode()
    assert set(Member.objects.filter(name__in=["吴六安", "郑八"]).values_list("name", flat=True)) == {
        "吴六安",
        "郑八",
    }


def test_confirm_refuses_a_dry_run_that_found_problems(personas, login):
    from dangjian.core.models import Job

    client = login(personas.secretary_of_branch_1)
    upload(client, xlsx([row(身份证号="110105199001012220")]), dry_run=True)
    assert not Job.objects.exists()  # nothing kept: there is nothing to confirm
    assert client.post(reverse("members:import-confirm"), {"job": "999"}).status_code == 404


def test_import_page_refuses_a_file_over_the_limit_before_reading_it(personas, login, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(login(personas.agency_officer), xlsx([row()]))
    assert response.status_code == 400 and "超过了" in response.content.decode()


def test_template_download_is_an_xlsx_naming_a_branch_in_scope(personas, login):
    response = login(personas.secretary_of_branch_1).get(reverse("members:import-template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response.content, "花名册")
    assert rows[1][HEADER.index("所在支部")] == "第一党支部"


def test_the_fast_sheet_reader_reads_what_openpyxl_reads(bureau, personas):
    from dangjian.core.sheets import _fast_sheets, _openpyxl_sheets
    from dangjian.members.roster_export import export_roster

    book = Workbook()
    ws = book.active
    ws.title = "名单"
    ws["A1"] = "标题"
    ws["C3"] = "姓名"
    ws["D3"] = 1985.1
    ws["D3"].number_format = "0.00"
    ws["E3"] = datetime.date(1985, 3, 12)
    ws["F3"] = 13900000001
    ws["G3"] = True
    ws["H3"] = "=1+1"
    ws["B6"] = "１１０ 全角"
    book.create_sheet("空表")
    buffer = io.BytesIO()
    book.save(buffer)
    files = [
        buffer.getvalue(),
        template_workbook(),
        export_roster(Member.objects.all()),
        xlsx([row(出生日期=datetime.datetime(1988, 5, 6))], title="花名册"),
    ]
    for data in files:
        fast = list(_fast_sheets(data))
        slow = _openpyxl_sheets(data)
        assert [s.title for s in fast] == [s.title for s in slow]
        for fast_sheet, slow_sheet in zip(fast, slow, strict=True):
            fast_values, fast_formats = fast_sheet.rows, fast_sheet.formats
            slow_values, slow_formats = slow_sheet.rows, slow_sheet.formats
            trimmed = [tuple(v for v in r) for r in slow_values]
            assert len(fast_values) <= len(trimmed)
            for i, slow_row in enumerate(trimmed):
                fast_row = fast_values[i] if i < len(fast_values) else ()
                padded = list(fast_row) + [None] * (len(slow_row) - len(fast_row))
                assert padded == list(slow_row), (i, fast_row, slow_row)
                for j, value in enumerate(fast_row):
                    if isinstance(value, float):
                        assert fast_formats[i][j] == slow_formats[i][j]


def test_the_template_has_dropdowns_on_coded_columns_and_still_imports(personas, login):
    import openpyxl

    client = login(personas.secretary_of_branch_1)
    response = client.get(reverse("members:import-template"))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["花名册"]
    header = [c.value for c in ws[1]]
    lists = {}
    for validation in ws.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        lists[header[openpyxl.utils.column_index_from_string(column) - 1]] = validation.formula1
    assert lists["性别"] == '"男,女"'
    assert lists["流动党员"] == '"是,否"'
    assert "大学本科" in lists["学历"] and lists["党员状态"] == '"预备党员,正式党员"'
    assert "第一党支部" in lists["所在支部"] and "第二党支部" not in lists["所在支部"]
    assert "第一党小组" in lists["所在党小组"]
    # The filled-in template imports as before (the dropdowns add no sheet the importer reads).
    ws.append(row())
    out = io.BytesIO()
    book.save(out)
    assert "导入完成：新增 1 人" in upload(client, out.getvalue()).content.decode()
