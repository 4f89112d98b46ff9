"""Load the code lists (regions, institutions, positions) and the first consent texts.

The data is frozen here on purpose: later edits by staff live in the database.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

INSTITUTIONS = [
    ("poder-judicial", "Poder Judicial", "Judiciary", "PJ"),
    ("amag", "Academia de la Magistratura", "Judicial Academy", "AMAG"),
    ("ministerio-publico", "Ministerio Público – Fiscalía de la Nación", "Public Ministry – Office of the Attorney General", "MP"),
    ("jnj", "Junta Nacional de Justicia", "National Board of Justice", "JNJ"),
    ("contraloria", "Contraloría General de la República", "Office of the Comptroller General", "CGR"),
    ("defensoria", "Defensoría del Pueblo", "Ombudsman's Office", "DP"),
    ("mininter-pnp", "Ministerio del Interior / Policía Nacional del Perú", "Ministry of the Interior / National Police of Peru", "PNP"),
    ("minjusdh", "Ministerio de Justicia y Derechos Humanos", "Ministry of Justice and Human Rights", "MINJUSDH"),
    ("procuraduria-anticorrupcion", "Procuraduría Pública Especializada en Delitos de Corrupción", "Specialised Public Attorney's Office for Corruption Offences", "PPEDC"),
    ("sip-pcm", "Secretaría de Integridad Pública (PCM)", "Public Integrity Secretariat (PCM)", "SIP"),
    ("gobierno-regional", "Gobierno regional", "Regional government", ""),
    ("gobierno-local", "Gobierno local", "Local government", ""),
    ("medios", "Medios de comunicación", "Media", ""),
    ("sociedad-civil", "Sociedad civil", "Civil society", ""),
    ("colegio-abogados", "Colegio de abogados", "Bar association", ""),
    ("academia", "Academia", "Academia", ""),
    ("sector-privado", "Sector privado", "Private sector", ""),
]

# Other spellings people write in spreadsheets (editable later in the admin).
INSTITUTION_ALIASES = {
    "poder-judicial": "Corte Superior de Justicia, Corte Suprema, Judicial",
    "ministerio-publico": "Ministerio Público, Fiscalía de la Nación, Fiscalía, Public Prosecutor's Office",
    "mininter-pnp": "PNP, Policía Nacional, Policía Nacional del Perú, Ministerio del Interior, MININTER",
    "contraloria": "Contraloría, Comptroller General",
    "defensoria": "Defensoría, Ombudsman",
    "minjusdh": "MINJUS, Ministerio de Justicia",
    "procuraduria-anticorrupcion": "Procuraduría Anticorrupción, Procuraduría",
    "sip-pcm": "PCM, Secretaría de Integridad Pública",
    "gobierno-regional": "GORE, Gobierno Regional",
    "gobierno-local": "Municipalidad, Municipio, Gobierno Local",
    "medios": "Medio de comunicación, Prensa, Media outlet",
    "sociedad-civil": "ONG, NGO",
    "colegio-abogados": "CAL, Colegio de Abogados de Lima",
    "academia": "Universidad, University",
}

POSITIONS = [
    ("juez", "Juez / jueza", "Judge"),
    ("fiscal", "Fiscal", "Prosecutor"),
    ("policia", "Policía", "Police officer"),
    ("funcionario", "Funcionario/a o servidor/a público/a", "Public official"),
    ("auditor", "Auditor/a de control", "Control auditor"),
    ("procurador", "Procurador/a", "State attorney"),
    ("abogado", "Abogado/a", "Lawyer"),
    ("periodista", "Periodista", "Journalist"),
    ("sociedad-civil", "Integrante de sociedad civil", "Civil-society member"),
    ("docente", "Docente", "Teacher"),
    ("estudiante", "Estudiante", "Student"),
    ("otro", "Otro", "Other"),
]

CONSENT_TEXTS = [
    (
        "ethnicity",
        "es",
        "Autorizo de manera previa, libre, expresa, inequívoca e informada el tratamiento de mi "
        "autoidentificación étnica, dato sensible según la Ley N.° 29733, Ley de Protección de Datos "
        "Personales, con la única finalidad de elaborar estadísticas agregadas de participación del "
        "programa. No se compartirá de forma individual con terceros ni con donantes. Puedo retirar "
        "este consentimiento en cualquier momento; al hacerlo, el dato se elimina.",
    ),
    (
        "ethnicity",
        "en",
        "I give my prior, free, express, unequivocal and informed consent to the processing of my "
        "ethnic self-identification, sensitive data under Peru's Law 29733 on Personal Data "
        "Protection, for the sole purpose of aggregated participation statistics of the program. It "
        "will not be shared individually with third parties or donors. I may withdraw this consent "
        "at any time; the data is then erased.",
    ),
    (
        "disability",
        "es",
        "Autorizo de manera previa, libre, expresa, inequívoca e informada el tratamiento de mis "
        "respuestas a las preguntas sobre dificultades funcionales (Grupo de Washington), dato de "
        "salud sensible según la Ley N.° 29733, con la única finalidad de elaborar estadísticas "
        "agregadas de participación y de ofrecer ajustes razonables. No se compartirá de forma "
        "individual con terceros ni con donantes. Puedo retirar este consentimiento en cualquier "
        "momento; al hacerlo, el dato se elimina.",
    ),
    (
        "disability",
        "en",
        "I give my prior, free, express, unequivocal and informed consent to the processing of my "
        "answers to the functional difficulty questions (Washington Group), sensitive health data "
        "under Peru's Law 29733, for the sole purpose of aggregated participation statistics and of "
        "offering reasonable accommodation. It will not be shared individually with third parties "
        "or donors. I may withdraw this consent at any time; the data is then erased.",
    ),
]


def load(apps, schema_editor):
    Region = apps.get_model("lms", "Region")
    Institution = apps.get_model("lms", "Institution")
    Position = apps.get_model("lms", "Position")
    ConsentText = apps.get_model("lms", "ConsentText")

    with open(DATA_DIR / "regions.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    departments = {}
    for row in rows:
        if row["level"] == "department":
            departments[row["inei_code"]] = Region.objects.create(
                code=row["inei_code"], level="department", name=row["name"], iso_code=row["iso_code"]
            )
    Region.objects.bulk_create(
        Region(
            code=row["inei_code"],
            level="province",
            name=row["name"],
            iso_code=row["iso_code"],
            parent=departments[row["parent_code"]],
        )
        for row in rows
        if row["level"] == "province"
    )
    Institution.objects.bulk_create(
        Institution(
            code=code,
            name=es,
            name_en=en,
            short_name=short,
            aliases=INSTITUTION_ALIASES.get(code, ""),
            sort_order=i,
        )
        for i, (code, es, en, short) in enumerate(INSTITUTIONS, start=1)
    )
    Position.objects.bulk_create(
        Position(code=code, name=es, name_en=en, sort_order=i)
        for i, (code, es, en) in enumerate(POSITIONS, start=1)
    )
    ConsentText.objects.bulk_create(
        ConsentText(purpose=purpose, version="1", language=lang, text=text)
        for purpose, lang, text in CONSENT_TEXTS
    )


class Migration(migrations.Migration):
    dependencies = [("lms", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
