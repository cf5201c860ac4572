from django.db import migrations, models

# A stored "exited" or "did not exit" was someone's word, which the review may contradict: the
# outcome is now derived from the plan year's periodic review (plans.outcomes). Such rows go back to
# "in progress", their note kept; the review then says which they are.
DECIDED = ("exited", "not_exited")


def forwards(apps, schema_editor):
    ExitRegistration = apps.get_model("plans", "ExitRegistration")
    ExitRegistration.objects.filter(status__in=DECIDED).update(status="in_progress")


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_programme_2021_2025")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exitregistration",
            name="status",
            field=models.CharField(
                choices=[("registered", "registered"), ("in_progress", "in progress")],
                default="registered",
                max_length=20,
                verbose_name="status",
            ),
        ),
    ]
