"""Data migration: read each draft's period code once into the kind/start/end fields."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from dangjian.core.period import Period

    Draft = apps.get_model("reports", "Draft")
    for draft in Draft.objects.all().only("pk", "period"):
        period = Period.parse(draft.period)
        Draft.objects.filter(pk=draft.pk).update(
            period_kind=period.kind, period_start=period.start, period_end=period.end
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from dangjian.core.period import Period

    Draft = apps.get_model("reports", "Draft")
    for draft in Draft.objects.all().only("pk", "period_kind", "period_start", "period_end"):
        period = Period.of(draft.period_kind, draft.period_start, draft.period_end)
        Draft.objects.filter(pk=draft.pk).update(period=period.code)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_draft_period_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
