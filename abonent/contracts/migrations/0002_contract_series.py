from django.db import migrations


def create_series(apps, schema_editor):
    """Contracts are numbered from a default "contract" series; an administrator may change its format."""
    DocumentSeries = apps.get_model("core", "DocumentSeries")
    if not DocumentSeries.objects.filter(document_type="contract", is_default=True).exists():
        DocumentSeries.objects.get_or_create(
            code="contracts",
            defaults={"document_type": "contract", "name": "Contracts", "prefix": "C{yyyy}-", "padding": 6,
                      "reset_yearly": False, "is_default": True, "active": True},
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("core", "0003_saved_views")]

    operations = [migrations.RunPython(create_series, migrations.RunPython.noop)]
