"""The personal-data registry (lms/privacy.py) classifies every field of every model of our apps:
a field added anywhere, by hand or by a migration, fails here until someone says whether it is
personal and, if so, how it is downloaded, erased and kept."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from lms.privacy import (
    APPS,
    REGISTRY,
    Erase,
    Kind,
    ModelRule,
    app_models,
    model_fields,
    not_personal,
    personal,
    registry_problems,
)


def test_every_field_of_every_model_of_our_apps_is_classified():
    assert registry_problems() == []


def test_the_walk_covers_every_app_and_their_migration_made_fields():
    labels = {model._meta.label for model in app_models()}
    assert {label.split(".")[0] for label in labels} >= {"lms", "courses", "attendance"}
    assert set(APPS) >= {"lms", "courses", "attendance", "assessments", "certificates", "reports"}
    assert "id" in model_fields(app_models(["lms"])[0])
    course_fields = model_fields(
        next(m for m in app_models() if m._meta.label == "courses.CoursePage")
    )
    assert "page_ptr" in course_fields and "audience" in course_fields  # link + many-to-many


@isolate_apps("lms")
def test_a_model_nobody_classified_fails():
    class Nickname(models.Model):
        nickname = models.CharField(max_length=40)

        class Meta:
            app_label = "lms"

        def __str__(self):
            return self.nickname

    problems = registry_problems(models=[Nickname], registry=REGISTRY)

    assert problems == ["lms.Nickname: not in the personal-data registry (lms/privacy.py)"]


@isolate_apps("lms")
def test_a_new_unclassified_field_fails_and_a_classified_one_passes():
    class Badge(models.Model):
        code = models.CharField(max_length=10)
        nickname = models.CharField(max_length=40)

        class Meta:
            app_label = "lms"

        def __str__(self):
            return self.code

    half = {"lms.Badge": ModelRule("lms.Badge", not_personal("id code"))}
    assert registry_problems(models=[Badge], registry=half) == [
        "lms.Badge.nickname: not classified in lms/privacy.py"
    ]

    full = {
        "lms.Badge": ModelRule(
            "lms.Badge",
            {**not_personal("id code"), "nickname": personal(Erase.CLEAR)},
            person="person",
            area="badges",
        )
    }
    assert registry_problems(models=[Badge], registry=full) == []


@isolate_apps("lms")
def test_personal_data_nobody_can_export_or_erase_fails():
    class Note(models.Model):
        text = models.TextField()

        class Meta:
            app_label = "lms"

        def __str__(self):
            return self.text

    rule = ModelRule("lms.Note", {**not_personal("id"), "text": personal(Erase.SET)})
    problems = registry_problems(models=[Note], registry={"lms.Note": rule})

    assert "lms.Note: holds a participant's data but has no way to find their rows" in problems
    assert "lms.Note: holds a participant's data but is not in the download" in problems
    assert "lms.Note.text: SET without a value" in problems


def test_a_stale_rule_for_a_removed_field_fails():
    person_rule = REGISTRY["lms.Person"]
    stale = ModelRule(
        "lms.Person",
        {**person_rule.fields, "nickname": personal(Erase.CLEAR)},
        person="pk",
        area="profile",
    )
    problems = registry_problems(models=[person_rule.model], registry={"lms.Person": stale})

    assert problems == ["lms.Person.nickname: classified but no such field"]


@pytest.mark.parametrize(
    "label, field",
    [
        ("lms.Person", "document_number"),
        ("lms.Person", "birth_date"),
        ("lms.User", "email"),
        ("lms.SelfIdentification", "ethnicity"),
        ("certificates.Certificate", "holder_name"),
        ("certificates.Certificate", "pdf"),
        ("attendance.AttendanceCorrection", "reason"),
        ("lms.MergeLog", "duplicate_snapshot"),
    ],
)
def test_the_obviously_personal_fields_are_erased(label, field):
    rule = REGISTRY[label].fields[field]
    assert rule.kind == Kind.PARTICIPANT
    assert rule.erase != Erase.KEEP
