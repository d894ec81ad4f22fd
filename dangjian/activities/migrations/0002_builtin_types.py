"""Create the built-in activity types (GLOSSARY.md) with the types each may also count as."""

from django.db import migrations


def create_builtin_types(apps, schema_editor):
    from dangjian.activities.defaults import ensure_builtin_types

    ensure_builtin_types(apps.get_model("activities", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_builtin_types, migrations.RunPython.noop)]
