"""The IATI 2.03 activity file of a donor participation report: one activity (the training
programme) whose results are the report's indicators, with baseline, targets and actuals per
quarter and fiscal year, and the main period's actuals broken down by sex (and the report's other
donor breakdowns) as IATI ``dimension`` elements.

The input is ``Report.as_dict()`` of a *donor* report (reports.services). IATI has no
"suppressed" flag: a suppressed figure is left out and a ``comment`` says why. A value flagged
suppressed is never written, whatever the dict carries.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from lxml import etree

from reports.models import STAFF_ONLY_DIMENSIONS, Indicator, Measure
from reports.periods import fiscal_quarter, fiscal_year

IATI_VERSION = "2.03"
IATI_CONTENT_TYPE = "application/xml"
LANGUAGES = ("es", "en")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI codelists (https://iatistandard.org/en/iati-standard/203/codelists/).
ACTIVITY_STATUS_IMPLEMENTATION = "2"  # ActivityStatus
ACTIVITY_DATE_ACTUAL_START = "2"  # ActivityDateType
DESCRIPTION_GENERAL = "1"  # DescriptionType
ROLE_FUNDING, ROLE_IMPLEMENTING = "1", "4"  # OrganisationRole
SECTOR_DAC_5 = "1"  # SectorVocabulary: OECD DAC CRS purpose codes (5 digit)
SECTOR_ANTI_CORRUPTION = "15113"  # Anti-corruption organisations and institutions
INDICATOR_VOCABULARY_REPORTING_ORG = "99"  # IndicatorVocabulary: the reporting organisation's own
# ResultType: 1 output, 2 outcome, 3 impact, 9 other (a process indicator has no closer code).
RESULT_TYPE = {
    Indicator.Level.OUTPUT: "1",
    Indicator.Level.OUTCOME: "2",
    Indicator.Level.OBJECTIVE: "3",
    Indicator.Level.PROCESS: "9",
}
# IndicatorMeasure: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative. Counts, hours, the
# normalized gain (a ratio) and a difference in points are numbers ("unit"); % improved and
# % mastered are percentages.
MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"
PERCENT_MEASURES = {Measure.GAIN_IMPROVED, Measure.GAIN_MASTERED}
# Counts and hours may be added up across activities; means, gains and rates may not.
AGGREGATABLE_MEASURES = {
    Measure.REACHED,
    Measure.TRAINED,
    Measure.COMPLETIONS,
    Measure.CONTACT_HOURS,
}
SEX_VALUES = {"F": "female", "M": "male", "X": "not reported"}

# The file carries Spanish and English side by side whatever the active language, so these texts
# are written in both here rather than translated.
ACTIVITY_TITLE = {
    "es": "Capacitación en ética pública y prevención de la corrupción",
    "en": "Training in public ethics and the prevention of corruption",
}
ACTIVITY_DESCRIPTION = {
    "es": (
        "Cursos en línea y talleres para jueces, fiscales, policías, funcionarios públicos, "
        "abogados, periodistas e integrantes de la sociedad civil del Perú. Los resultados son "
        "los indicadores del programa por trimestre y año fiscal del Gobierno de los EE. UU. "
        "(octubre a septiembre), con cifras pequeñas suprimidas para proteger la privacidad."
    ),
    "en": (
        "Online courses and workshops for judges, prosecutors, police officers, public "
        "officials, lawyers, journalists and civil-society members in Peru. The results are the "
        "programme's indicators by quarter and US Government fiscal year (October to "
        "September), with small figures suppressed to protect privacy."
    ),
}
DIMENSION_NAMES = {
    "sex": {"es": "sexo", "en": "sex"},
    "age_band": {"es": "grupo de edad (5 años)", "en": "age band (5 years)"},
    "youth": {"es": "grupo de edad (15–29 / 30+)", "en": "age group (15–29 / 30+)"},
    "institution": {"es": "institución", "en": "institution"},
    "position": {"es": "cargo", "en": "position"},
    "region": {"es": "región", "en": "region"},
    "modality": {"es": "modalidad", "en": "modality"},
    "course": {"es": "curso", "en": "course"},
}
NOTE_SUPPRESSED = {
    "es": (
        "Cifra suprimida para proteger la privacidad: menos de {k} personas (celda pequeña), "
        "u oculta para que otra cifra suprimida no pueda deducirse de los totales."
    ),
    "en": (
        "Figure suppressed for privacy: fewer than {k} people (small cell), or hidden so that "
        "another suppressed figure cannot be worked out from the totals."
    ),
}
NOTE_SUPPRESSED_CELLS = {
    "es": (
        "Desagregación por {dimensions}: {cells} celda(s) suprimida(s) para proteger la "
        "privacidad (menos de {k} personas, o para que no puedan deducirse de los totales); "
        "no se publican."
    ),
    "en": (
        "Breakdown by {dimensions}: {cells} cell(s) suppressed for privacy (fewer than {k} "
        "people, or hidden so that they cannot be worked out from the totals); not published."
    ),
}
NOTE_TO_DATE = {
    "es": "Cifra a la fecha: el periodo no había terminado cuando se generó el informe.",
    "en": "Figure to date: the period had not ended when the report was generated.",
}
NOTE_RESTATED = {
    "es": "Cifra corregida: se informó {value} el {day}.",
    "en": "Restated figure: first reported as {value} on {day}.",
}
NOTE_RESTATED_SUPPRESSED = {"es": "suprimida", "en": "suppressed"}


def iati_activities_xml(report: dict, *, activity: Mapping | None = None) -> bytes:
    """An ``<iati-activities version="2.03">`` document (UTF-8, with declaration) holding one
    activity whose results are the report's indicators. ``activity`` overrides the settings'
    metadata: identifier, reporting_org_{ref,name,type}, funding_org_{ref,name,type},
    title/description ({language: text}), start (a date or YYYY-MM-DD), baseline_year,
    country, sector."""
    parameters = report["parameters"]
    if parameters.get("audience") != "donor":
        # Staff figures are not suppressed; an IATI file is published.
        raise ValueError("Only a donor report (small cells suppressed) goes into an IATI file.")
    meta = _metadata(parameters, activity or {})
    generated = _datetime(report["generated_at"])
    root = etree.Element(
        "iati-activities", {"version": IATI_VERSION, "generated-datetime": generated}
    )
    node = etree.SubElement(
        root,
        "iati-activity",
        {XML_LANG: "es", "last-updated-datetime": generated, "hierarchy": "1"},
    )
    etree.SubElement(node, "iati-identifier").text = meta["identifier"]
    reporting = etree.SubElement(
        node,
        "reporting-org",
        {"ref": meta["reporting_org_ref"], "type": meta["reporting_org_type"]},
    )
    _narratives(reporting, {"es": meta["reporting_org_name"]})
    _narratives(etree.SubElement(node, "title"), meta["title"])
    _narratives(
        etree.SubElement(node, "description", {"type": DESCRIPTION_GENERAL}), meta["description"]
    )
    funder = etree.SubElement(
        node,
        "participating-org",
        {
            "ref": meta["funding_org_ref"],
            "type": meta["funding_org_type"],
            "role": ROLE_FUNDING,
        },
    )
    _narratives(funder, {"en": meta["funding_org_name"]})
    implementer = etree.SubElement(
        node,
        "participating-org",
        {
            "ref": meta["reporting_org_ref"],
            "type": meta["reporting_org_type"],
            "role": ROLE_IMPLEMENTING,
        },
    )
    _narratives(implementer, {"es": meta["reporting_org_name"]})
    etree.SubElement(node, "activity-status", {"code": ACTIVITY_STATUS_IMPLEMENTATION})
    etree.SubElement(
        node,
        "activity-date",
        {"type": ACTIVITY_DATE_ACTUAL_START, "iso-date": meta["start"].isoformat()},
    )
    etree.SubElement(node, "recipient-country", {"code": meta["country"], "percentage": "100"})
    etree.SubElement(
        node,
        "sector",
        {"vocabulary": SECTOR_DAC_5, "code": meta["sector"], "percentage": "100"},
    )
    for indicator in report["indicators"]:
        _result(node, indicator, parameters, meta)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _metadata(parameters: dict, activity: Mapping) -> dict:
    meta = {
        "identifier": settings.LMS_IATI_ACTIVITY_IDENTIFIER,
        "reporting_org_ref": settings.LMS_IATI_REPORTING_ORG_REF,
        "reporting_org_name": settings.LMS_IATI_REPORTING_ORG_NAME,
        "reporting_org_type": settings.LMS_IATI_REPORTING_ORG_TYPE,
        "funding_org_ref": settings.LMS_IATI_FUNDING_ORG_REF,
        "funding_org_name": settings.LMS_IATI_FUNDING_ORG_NAME,
        "funding_org_type": settings.LMS_IATI_FUNDING_ORG_TYPE,
        "title": ACTIVITY_TITLE,
        "description": ACTIVITY_DESCRIPTION,
        "start": settings.LMS_IATI_ACTIVITY_START or _project_start(parameters),
        "country": "PE",
        "sector": SECTOR_ANTI_CORRUPTION,
        **activity,
    }
    start = meta["start"]
    meta["start"] = date.fromisoformat(start) if isinstance(start, str) else start
    meta.setdefault("baseline_year", meta["start"].year)
    return meta


def _project_start(parameters: dict) -> date:
    month = parameters.get("project_start")
    if month:
        return date.fromisoformat(f"{month}-01")
    return fiscal_year(parameters["fiscal_year"]).starts


def _result(parent, indicator: dict, parameters: dict, meta: dict) -> None:
    measure = indicator["measure"]
    aggregatable = "1" if measure in AGGREGATABLE_MEASURES else "0"
    result = etree.SubElement(
        parent,
        "result",
        {"type": _result_type(indicator), "aggregation-status": aggregatable},
    )
    names = _texts(indicator, "name", "names")
    definitions = _texts(indicator, "definition", "definitions")
    _narratives(etree.SubElement(result, "title"), names)
    if definitions:
        _narratives(etree.SubElement(result, "description"), definitions)
    node = etree.SubElement(
        result,
        "indicator",
        {
            "measure": MEASURE_PERCENTAGE if measure in PERCENT_MEASURES else MEASURE_UNIT,
            "ascending": "1",
            "aggregation-status": aggregatable,
        },
    )
    _narratives(etree.SubElement(node, "title"), names)
    if definitions:
        _narratives(etree.SubElement(node, "description"), definitions)
    etree.SubElement(
        node,
        "reference",
        {"vocabulary": INDICATOR_VOCABULARY_REPORTING_ORG, "code": indicator["code"]},
    )
    if indicator.get("baseline") is not None:
        baseline = etree.SubElement(
            node,
            "baseline",
            {"year": str(meta["baseline_year"]), "value": _number(indicator["baseline"])},
        )
        if indicator.get("baseline_note"):
            _comment(baseline, [{"es": indicator["baseline_note"], "en": None}])
    for row in indicator["periods"]:
        if row["kind"] == "life":
            continue  # IATI periods are a year at most; life of project stays in the report.
        _period(node, indicator, row, parameters)


def _period(parent, indicator: dict, row: dict, parameters: dict) -> None:
    fy = parameters["fiscal_year"]
    if row["kind"] == "quarter":
        period = fiscal_quarter(fy, int(row["key"][-1]))
        starts, ends = period.starts, period.ends
    else:  # the fiscal year up to the end of the report's period
        starts = fiscal_year(fy).starts
        ends = date.fromisoformat(parameters["period"]["ends"])
    main = row["key"] == indicator["period"]
    has_actual = row["suppressed"] or row["actual"] is not None
    if row["target"] is None and not has_actual:
        return  # a quarter not begun, without a target
    node = etree.SubElement(parent, "period")
    etree.SubElement(node, "period-start", {"iso-date": starts.isoformat()})
    etree.SubElement(node, "period-end", {"iso-date": ends.isoformat()})
    if row["target"] is not None:
        etree.SubElement(node, "target", {"value": _number(row["target"])})
    if not has_actual:
        return
    k = parameters.get("k")
    notes = []
    attributes = {}
    if row["suppressed"]:
        notes.append(_format(NOTE_SUPPRESSED, k=k))
    else:
        attributes["value"] = _number(row["actual"])
    if row["to_date"]:
        notes.append(NOTE_TO_DATE)
    if row["restated"] and row.get("reported"):
        notes.append(_restated(row["reported"]))
    cells = []
    if main:
        for table in indicator.get("breakdowns", []):
            dims = table["dimensions"]
            if any(d in STAFF_ONLY_DIMENSIONS for d in dims):
                continue
            hidden = 0
            for cell in table["rows"]:
                if cell["total"] or any(cell["keys"].get(d) is None for d in dims):
                    continue  # totals and margins are not published as dimensions
                if cell["suppressed"]:
                    hidden += 1
                elif cell["value"] is not None:
                    cells.append(cell)
            if hidden:
                notes.append(
                    _format(
                        NOTE_SUPPRESSED_CELLS,
                        k=k,
                        cells=hidden,
                        dimensions=lambda lang, dims=dims: " × ".join(
                            DIMENSION_NAMES.get(d, {}).get(lang, d) for d in dims
                        ),
                    )
                )
    actual = etree.SubElement(node, "actual", attributes)
    if notes:
        _comment(actual, notes)
    for cell in cells:
        dimensional = etree.SubElement(node, "actual", {"value": _number(cell["value"])})
        for dimension, key in cell["keys"].items():
            value = SEX_VALUES.get(key) if dimension == "sex" else None
            etree.SubElement(
                dimensional,
                "dimension",
                {"name": dimension, "value": value or str(cell["labels"][dimension])},
            )


def _result_type(indicator: dict) -> str:
    level = indicator.get("level_code") or _level_code(indicator["level"])
    return RESULT_TYPE.get(level, "9")


def _level_code(level: str) -> str | None:
    """The report carries the level's display label in the language it was made in."""
    if level in Indicator.Level.values:
        return level
    for language in (translation.get_language() or "es", *LANGUAGES):
        with translation.override(language):
            for value, label in Indicator.Level.choices:
                if str(label) == level:
                    return value
    return None


def _texts(indicator: dict, key: str, multilingual_key: str) -> dict:
    """{language: text}: both languages when the report gives them, else the one it was made in."""
    found = indicator.get(multilingual_key)
    if found:
        return {lang: text for lang, text in found.items() if text}
    text = indicator.get(key)
    if not text:
        return {}
    language = (translation.get_language() or "es")[:2]
    return {language if language in LANGUAGES else "es": text}


def _narratives(parent, texts: Mapping) -> None:
    for language, text in texts.items():
        if text:
            etree.SubElement(parent, "narrative", {XML_LANG: language}).text = str(text)


def _comment(parent, notes: list[dict]) -> None:
    """One comment (the schema allows one) with every note, a narrative per language."""
    texts = {}
    for language in LANGUAGES:
        parts = [note[language] for note in notes if note.get(language)]
        if parts:
            texts[language] = " ".join(parts)
    _narratives(etree.SubElement(parent, "comment"), texts)


def _format(template: dict, **values) -> dict:
    return {
        language: text.format(
            **{key: value(language) if callable(value) else value for key, value in values.items()}
        )
        for language, text in template.items()
    }


def _restated(reported: dict) -> dict:
    day = reported["at"][:10]
    return {
        language: text.format(
            value=NOTE_RESTATED_SUPPRESSED[language]
            if reported["suppressed"] or reported["value"] is None
            else _number(reported["value"]),
            day=day,
        )
        for language, text in NOTE_RESTATED.items()
    }


def _number(value) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _datetime(text: str) -> str:
    return datetime.fromisoformat(text).replace(microsecond=0).isoformat()
