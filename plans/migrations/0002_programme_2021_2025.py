from django.db import migrations

from households.reference_data import load_programme


def forwards(apps, schema_editor):
    load_programme(apps.get_model, "reference/programme-2021-2025.json")


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
