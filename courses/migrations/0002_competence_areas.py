"""The six competence areas in health pedagogy (Vågan et al. 2016), as data.

Editors can rename or extend them in the admin; courses refer to them by row.
"""

from django.db import migrations

AREAS = [
    ("kommunikasjon", "Kommunikasjon", "Communication",
     "Samtaler som tar utgangspunkt i hva som er viktig for den enkelte."),
    ("gruppeledelse", "Gruppeledelse", "Group leadership",
     "Å lede lærings- og mestringsgrupper og legge til rette for erfaringsutveksling."),
    ("sykdom-og-diagnose", "Sykdom og diagnose", "Disease and diagnosis",
     "Kunnskap om sykdom, behandling, rettigheter og hjelpemidler."),
    ("mestring", "Mestring og mestringsstrategier", "Coping and coping strategies",
     "Å styrke mestringstro, håp og livskvalitet i hverdagen."),
    ("pedagogikk", "Pedagogikk", "Pedagogy",
     "Å planlegge, gjennomføre og evaluere undervisning for pasienter og pårørende."),
    ("brukermedvirkning", "Brukermedvirkning", "User participation",
     "Brukermedvirkning på individ-, tjeneste- og systemnivå."),
]


def create_areas(apps, schema_editor):
    CompetenceArea = apps.get_model("courses", "CompetenceArea")
    for order, (slug, name, name_en, description) in enumerate(AREAS, start=1):
        CompetenceArea.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "description": description, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(create_areas, migrations.RunPython.noop)]
