"""Add the built-in types the duties ledgers need (挂点联系, 听取汇报, 廉政/提醒/诫勉谈话 …) and mark talks."""

from django.db import migrations


def create_builtin_types(apps, schema_editor):
    from dangjian.activities.defaults import ensure_builtin_types

    ensure_builtin_types(apps.get_model("activities", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_activitytype_is_talk")]

    operations = [migrations.RunPython(create_builtin_types, migrations.RunPython.noop)]
