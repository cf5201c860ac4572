from django.db import migrations

from households.reference_data import load_reference_lists, load_standard


def forwards(apps, schema_editor):
    load_standard(apps.get_model, "standards/2022-2025.json")
    load_reference_lists(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
