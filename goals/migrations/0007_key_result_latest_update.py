import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """Every key result's latest update, value and date, from its updates (the write path's rule:
    latest as-of date, then latest row, corrected rows left out), in one UPDATE."""
    KeyResult = apps.get_model("goals", "KeyResult")
    Measurement = apps.get_model("goals", "Measurement")
    latest = Measurement.objects.filter(key_result_id=OuterRef("pk"), corrected_by__isnull=True).order_by(
        "-as_of", "-pk"
    )
    KeyResult.objects.update(
        current_value=Subquery(latest.values("value")[:1]),
        last_measured_on=Subquery(latest.values("as_of")[:1]),
        latest_update_id=Subquery(latest.values("pk")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0006_english_units_of_measure"),
    ]

    operations = [
        migrations.AddField(
            model_name="keyresult",
            name="latest_update",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="goals.measurement",
                verbose_name="latest update",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
