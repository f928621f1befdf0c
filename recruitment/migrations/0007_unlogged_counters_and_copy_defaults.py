"""Rate-limit counters are written by every request and worth nothing after a crash: an
UNLOGGED table skips the write-ahead log (and its flush at each commit). PostgreSQL empties it
after a crash, which at worst lets a caller start a window afresh.

A profile's legal hold gets a database default, as bulk loads with COPY do not name it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0006_search_and_matching"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE recruitment_ratelimitcounter SET UNLOGGED",
            reverse_sql="ALTER TABLE recruitment_ratelimitcounter SET LOGGED",
        ),
        migrations.AlterField(
            model_name="candidateprofile",
            name="legal_hold",
            field=models.BooleanField(db_default=False, default=False),
        ),
    ]
