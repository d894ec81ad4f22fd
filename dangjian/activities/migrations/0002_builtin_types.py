"""Create the built-in activity types (GLOSSARY.md) with the types each may also count as."""

from django.db import migrations


def create_builtin_types(apps, schema_editor):
    from dangjian.activities.choices import BUILTIN_TYPES

    ActivityType = apps.get_model("activities", "ActivityType")
    by_code = {}
    for order, (code, name, org_life, attendance, _also) in enumerate(BUILTIN_TYPES, start=1):
        obj, _ = ActivityType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "counts_as_org_life": org_life,
                "takes_attendance": attendance,
                "is_builtin": True,
                "order": order * 10,
            },
        )
        by_code[code] = obj
    for code, _name, _org_life, _attendance, also in BUILTIN_TYPES:
        by_code[code].may_also_count_as.set([by_code[c] for c in also])


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_builtin_types, migrations.RunPython.noop)]
