"""Questions and assessments for tests."""

from decimal import Decimal

from assessments.models import Assessment, AssessmentItem, Choice, Question


def single(
    text="¿Quién aprueba el expediente?", *, right="El comité", wrong=("El postor",), tags=()
):
    question = Question.objects.create(text=text, text_en="Who approves the file?")
    Choice.objects.create(question=question, text=right, is_correct=True, sort_order=0)
    for n, label in enumerate(wrong, start=1):
        Choice.objects.create(question=question, text=label, sort_order=n)
    if tags:
        question.tags.add(*tags)
        question.save()
    return question


def multiple(text="Marque los conflictos de interés", *, right=("A", "B"), wrong=("C",)):
    question = Question.objects.create(text=text, type=Question.Type.MULTIPLE)
    for n, label in enumerate([*right, *wrong]):
        Choice.objects.create(
            question=question, text=label, is_correct=label in right, sort_order=n
        )
    return question


def numeric(text="¿Cuántos días hábiles tiene para declarar?", *, answer="15", tolerance="0"):
    return Question.objects.create(
        text=text,
        type=Question.Type.NUMERIC,
        numeric_answer=Decimal(answer),
        numeric_tolerance=Decimal(tolerance),
        feedback="Quince días hábiles, según la norma.",
    )


def build_assessment(course, *, kind="post", questions=(), **fields) -> Assessment:
    fields = {"shuffle_questions": False, "shuffle_choices": False, **fields}
    assessment = Assessment.objects.create(
        course=course, kind=kind, title=f"Prueba {kind}", **fields
    )
    for n, question in enumerate(questions):
        AssessmentItem.objects.create(assessment=assessment, question=question, sort_order=n)
    return assessment


def right_answer(question) -> list[int] | str:
    if question.type == Question.Type.NUMERIC:
        return str(question.numeric_answer)
    return [c.pk for c in question.choices.all() if c.is_correct]


def wrong_answer(question) -> list[int] | str:
    if question.type == Question.Type.NUMERIC:
        return str(question.numeric_answer + 1000)
    return [c.pk for c in question.choices.all() if not c.is_correct][:1]
