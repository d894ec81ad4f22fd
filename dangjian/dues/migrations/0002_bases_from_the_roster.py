"""Move the roster's 交纳基数 (Member.dues_base, removed by members 0006) into DuesBase, its one home.

A member with a base on the roster and none on record in dues gets a DuesBase from the admission
month — what the monthly run would have created from the roster. Members with a base on record
keep it: that is the base their standards were computed from.
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    import datetime

    from dangjian.dues.rates import DuesInputError, monthly_standard, table_for

    Member = apps.get_model("members", "Member")
    DuesBase = apps.get_model("dues", "DuesBase")
    have = set(DuesBase.objects.values_list("member_id", flat=True).distinct())
    this_month = datetime.date.today().replace(day=1)
    rows = []
    for member in Member.objects.filter(dues_base__isnull=False).only(
        "id", "dues_base", "dues_category", "admission_date"
    ):
        if member.pk in have:
            continue
        month = member.admission_date.replace(day=1) if member.admission_date else this_month
        try:
            standard = monthly_standard(member.dues_category, member.dues_base, on=month)
        except DuesInputError:
            continue  # e.g. a farmer's amount out of range: the officer enters it in dues
        rows.append(
            DuesBase(
                member_id=member.pk,
                effective_month=month,
                category=member.dues_category,
                amount=member.dues_base,
                standard=standard.amount,
                rate=standard.rate,
                rates_from=table_for(month).valid_from,
                source="roster",
                note="由花名册交纳基数迁移",
            )
        )
    DuesBase.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0001_initial"),
        ("members", "0003_alter_member_options_alter_member_user"),
    ]
    # Before the roster's column is dropped; members itself never depends on dues.
    run_before = [("members", "0006_remove_member_dues_base")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
