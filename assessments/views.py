"""Participant pages for online assessments: the assessment (rules, past attempts, start),
taking an attempt (server deadline, autosave, nothing of the answers in the page), the review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import Assessment, Attempt, Question
from assessments.selectors import may_take
from assessments.services import (
    GRACE,
    attempt_close_if_overdue,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    attempts_left,
)


def _person(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(
            _("Your login is not linked to a participant record; contact the program staff.")
        )
    return person


def _own_attempt(request, pk: int) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("assessment__course"), pk=pk, person=_person(request)
    )
    return attempt_close_if_overdue(attempt)


@login_required
def assessment_detail(request, pk: int):
    assessment = get_object_or_404(Assessment.objects.select_related("course"), pk=pk)
    person = _person(request)
    if not may_take(person, assessment):
        raise PermissionDenied(_("Enrol in the course or register in one of its workshops first."))
    attempts = list(Attempt.objects.filter(assessment=assessment, person=person).order_by("number"))
    for attempt in attempts:
        attempt_close_if_overdue(attempt)
    attempts = list(Attempt.objects.filter(assessment=assessment, person=person).order_by("number"))
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "attempts": attempts,
            "open_attempt": next((a for a in attempts if a.status == "in_progress"), None),
            "left": attempts_left(assessment, person),
            "question_count": (
                assessment.draw_count
                if assessment.selection == Assessment.Selection.DRAWN
                else assessment.items.count()
            ),
        },
    )


@login_required
@require_POST
def start(request, pk: int):
    assessment = get_object_or_404(Assessment, pk=pk)
    person = _person(request)
    if not may_take(person, assessment):
        raise PermissionDenied
    try:
        attempt = attempt_start(assessment=assessment, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:assessment", pk=assessment.pk)
    return redirect("assessments:attempt", pk=attempt.pk)


def _answers_from(post, attempt: Attempt) -> dict:
    answers = {}
    for item in attempt.questions.select_related("question"):
        key = f"q{item.question_id}"
        if item.question.type == Question.Type.NUMERIC:
            if key in post:
                answers[item.question_id] = post.get(key, "")
        elif item.question.type == Question.Type.MULTIPLE:
            if key in post or f"{key}-present" in post:
                answers[item.question_id] = post.getlist(key)
        elif key in post:
            answers[item.question_id] = [post.get(key)]
    return answers


def _questions_for_page(attempt: Attempt) -> list[dict]:
    """What the page shows: texts and options in the attempt's order, never which is right."""
    rows = []
    for item in attempt.questions.select_related("question").prefetch_related("question__choices"):
        question = item.question
        by_id = {c.pk: c for c in question.choices.all()}
        rows.append(
            {
                "item": item,
                "question": question,
                "options": [
                    {"id": cid, "label": by_id[cid].label, "chosen": cid in (item.selected or [])}
                    for cid in item.choice_order
                    if cid in by_id
                ],
            }
        )
    return rows


@login_required
def take(request, pk: int):
    attempt = _own_attempt(request, pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("assessments:review", pk=attempt.pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        answers = _answers_from(request.POST, attempt)
        try:
            if "submit" in request.POST:
                attempt = attempt_submit(attempt=attempt, answers=answers)
                return redirect("assessments:review", pk=attempt.pk)
            attempt_save_answers(attempt=attempt, answers=answers)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            if wants_json:
                return JsonResponse({"ok": False, "message": message}, status=400)
            messages.error(request, message)
            return redirect("assessments:attempt", pk=attempt.pk)
        if wants_json:
            return JsonResponse({"ok": True, "saved_at": timezone.now().isoformat()})
        messages.success(request, _("Your answers are saved."))
        return redirect("assessments:attempt", pk=attempt.pk)
    remaining = (
        max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
        if attempt.deadline
        else None
    )
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "rows": _questions_for_page(attempt),
            "remaining": remaining,
            "grace": int(GRACE.total_seconds()),
        },
    )


@login_required
def review(request, pk: int):
    attempt = _own_attempt(request, pk)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("assessments:attempt", pk=attempt.pk)
    assessment = attempt.assessment
    show_answers = (
        assessment.review == Assessment.Review.ANSWERS
        and attempt.status == Attempt.Status.SUBMITTED
    )
    rows = []
    if show_answers:
        for row in _questions_for_page(attempt):
            by_id = {c.pk: c for c in row["question"].choices.all()}
            for option in row["options"]:
                option["correct"] = by_id[option["id"]].is_correct
            rows.append(row)
    return render(
        request,
        "assessments/review.html",
        {
            "attempt": attempt,
            "assessment": assessment,
            "rows": rows,
            "show_answers": show_answers,
            "pass_mark": assessment.pass_mark,
        },
    )


def quiz_block_context(request, assessment) -> dict:
    """What the lesson quiz block shows: the kind, the time limit, my best score, a link."""
    best = None
    person = getattr(getattr(request, "user", None), "person", None)
    if person is not None:
        best = (
            Attempt.objects.filter(
                assessment=assessment, person=person, status=Attempt.Status.SUBMITTED
            )
            .order_by("-percent")
            .values_list("percent", flat=True)
            .first()
        )
    return {
        "template": "assessments/quiz_block.html",
        "assessment": assessment,
        "best": best,
        "url": reverse("assessments:assessment", args=[assessment.pk]),
    }
