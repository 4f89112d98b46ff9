"""Replace Wagtail's welcome page with the platform's home page, served at the site root."""

from django.db import migrations

INTRO = (
    "<p>Plataforma de capacitación del programa anticorrupción: cursos en línea, talleres "
    "presenciales, asistencia verificable y certificados que cualquiera puede comprobar.</p>"
)


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("courses", "HomePage")

    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="courses")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Integridad LMS",
        draft_title="Integridad LMS",
        slug="inicio",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/inicio/",
        locale=locale,
        intro=INTRO,
        verification_note="Para verificar un certificado, escanee su código QR.",
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Integridad LMS"},
    )
    Page.objects.filter(depth=1).update(numchild=1)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home, migrations.RunPython.noop)]
