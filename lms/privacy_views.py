"""A participant's personal-data pages: consents, the download of their data, their requests.

Thin views over lms.selectors.privacy and lms.services.privacy. Every page needs a login linked
to a registry record, and shows only that record's data.
"""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lms.exports import attachment
from lms.models import Consent, ConsentText, SelfIdentification
from lms.privacy_forms import ConsentGiveForm, DataRequestForm, SelfIdentificationAnswersForm
from lms.selectors.privacy import (
    consent_overview,
    consent_text_current,
    data_requests_of,
    person_data,
    person_data_zip,
)
from lms.services.privacy import (
    data_request_submit,
    participant_consent_give,
    participant_consent_withdraw,
    participant_self_identification_update,
    person_export_record,
)


def with_person(view):
    """Login required, and a registry record linked to the login (else an explanation)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        person = getattr(request.user, "person", None)
        if person is None:
            return render(request, "privacy/no_record.html", status=404)
        return view(request, person, *args, **kwargs)

    return wrapped


@require_GET
@with_person
def overview(request, person):
    return render(
        request,
        "privacy/overview.html",
        {"person": person, "open_requests": data_requests_of(person=person).filter(closed_at=None)},
    )


@require_GET
@with_person
def consents(request, person):
    return render(request, "privacy/consents.html", {"purposes": consent_overview(person=person)})


@require_http_methods(["GET", "POST"])
@with_person
def consent_withdraw(request, person, consent_id: int):
    consent = get_object_or_404(
        Consent.objects.select_related("text"), pk=consent_id, person=person, withdrawn_at=None
    )
    if request.method == "POST":
        participant_consent_withdraw(consent=consent, user=request.user)
        messages.success(
            request,
            _("Your consent was withdrawn. The answers it covered have been erased."),
        )
        return redirect("privacy:consents")
    return render(request, "privacy/consent_withdraw.html", {"consent": consent})


@require_http_methods(["GET", "POST"])
@with_person
def consent_give(request, person, purpose: str):
    if purpose not in ConsentText.Purpose.values:
        raise Http404
    text = consent_text_current(purpose=purpose)
    if text is None:
        raise Http404
    form = ConsentGiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant_consent_give(person=person, text=text, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your consent is recorded."))
        return redirect("privacy:consents")
    return render(request, "privacy/consent_give.html", {"text": text, "form": form})


@require_http_methods(["GET", "POST"])
@with_person
def self_identification(request, person):
    """The participant's own ethnicity and disability answers, for the purposes they consent to.

    A purpose without a standing consent shows no answers and no questions, only the way to the
    consent page (withdrawing a consent erases its answers: lms.services.people)."""
    purposes = consent_overview(person=person)
    consented = {state.purpose for state in purposes if state.active}
    selfid = SelfIdentification.objects.filter(person=person).first()
    initial = {}
    if selfid is not None:
        if ConsentText.Purpose.ETHNICITY in consented:
            initial["ethnicity"] = selfid.ethnicity
        if ConsentText.Purpose.DISABILITY in consented:
            initial.update({f"wg_{d}": v for d, v in selfid.disability_answers.items()})
    form = SelfIdentificationAnswersForm(
        request.POST if request.method == "POST" else None, consented=consented, initial=initial
    )
    if request.method == "POST" and consented and form.is_valid():
        try:
            participant_self_identification_update(
                person=person, user=request.user, **form.answers()
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect("privacy:self_identification")
    sections = [
        {"state": state, "fields": form.purpose_fields(state.purpose)} for state in purposes
    ]
    return render(
        request,
        "privacy/self_identification.html",
        {"form": form, "sections": sections, "consented": consented},
    )


@require_GET
@with_person
def download(request, person):
    return render(request, "privacy/download.html", {"person": person})


def _filename(extension: str) -> str:
    return f"mis-datos-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_GET
@with_person
def download_json(request, person):
    data = person_data(person=person)
    person_export_record(person=person, user=request.user, fmt="json")
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return attachment(body, _filename("json"), "application/json; charset=utf-8")


@require_GET
@with_person
def download_csv(request, person):
    data = person_data(person=person)
    person_export_record(person=person, user=request.user, fmt="csv")
    return attachment(person_data_zip(data=data), _filename("zip"), "application/zip")


@require_GET
@with_person
def requests(request, person):
    return render(
        request, "privacy/requests.html", {"data_requests": data_requests_of(person=person)}
    )


@require_http_methods(["GET", "POST"])
@with_person
def request_new(request, person):
    form = DataRequestForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = data_request_submit(
                person=person,
                kind=data["kind"],
                field=data["field"],
                correct_value=data["correct_value"],
                details=data["details"],
                actor=request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Your request was received. We will answer by %(date)s.")
                % {"date": made.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("privacy:requests")
    return render(request, "privacy/request_new.html", {"form": form})
