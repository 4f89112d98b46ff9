"""Demo assessments for `seed_demo`: a question bank and the pre-/post-test of the flagship course
(ETI-101), paper scores with a realistic spread in its past workshops, and online attempts."""

import random
from decimal import Decimal

from django.db import transaction
from wagtail.models import Locale

from assessments.completion import completions_flush
from assessments.models import Assessment, AssessmentItem, Choice, Completion, Kind, Question
from assessments.scores import score_record
from assessments.selectors import workshop_knowledge_gain
from assessments.services import attempt_start, attempt_submit
from attendance.models import Registration, Workshop
from courses.models import CoursePage
from lms.demo import register_demo
from lms.models import Person, User

# (Spanish, English, type, options [(es, en, correct)], tags, feedback es, feedback en)
QUESTIONS = [
    (
        "¿Qué es un conflicto de intereses?",
        "What is a conflict of interest?",
        "single",
        [
            (
                "Una situación en que un interés personal puede influir en una decisión pública",
                "A situation where a personal interest may sway a public decision",
                True,
            ),
            (
                "Un desacuerdo entre dos entidades públicas",
                "A disagreement between two public bodies",
                False,
            ),
            ("Una sanción administrativa", "An administrative penalty", False),
        ],
        ["conflicto-de-intereses"],
        "Basta con que el interés personal pueda influir: no hace falta que la decisión ya se haya tomado.",
        "It is enough that the personal interest may sway the decision; it need not have been taken yet.",
    ),
    (
        "Un servidor evalúa una propuesta de la empresa de su hermano. ¿Qué debe hacer primero?",
        "An official assesses a bid from their brother's company. What should they do first?",
        "single",
        [
            ("Declarar el conflicto y abstenerse", "Declare the conflict and step aside", True),
            ("Evaluar con especial rigor", "Assess it with extra care", False),
            (
                "Pedir a su hermano que retire la propuesta",
                "Ask the brother to withdraw the bid",
                False,
            ),
        ],
        ["conflicto-de-intereses", "competencia:actuar"],
        "La abstención protege el proceso y al propio servidor.",
        "Stepping aside protects the process and the official.",
    ),
    (
        "Recibir un obsequio de un proveedor con un proceso en curso está permitido si su valor es bajo.",
        "Accepting a gift from a supplier with an ongoing tender is fine if it is cheap.",
        "true_false",
        [("Verdadero", "True", False), ("Falso", "False", True)],
        ["obsequios"],
        "Con un proceso en curso, cualquier obsequio compromete la imparcialidad.",
        "With a tender under way, any gift compromises impartiality.",
    ),
    (
        "¿Cuáles son señales de alerta en una contratación? (marque todas)",
        "Which are red flags in a procurement? (tick all)",
        "multiple",
        [
            ("Un solo postor en procesos repetidos", "A single bidder in repeated tenders", True),
            (
                "Requisitos hechos a la medida de un proveedor",
                "Requirements tailored to one supplier",
                True,
            ),
            (
                "Publicación del proceso en el portal oficial",
                "Publication of the tender on the official portal",
                False,
            ),
        ],
        ["contrataciones", "competencia:detectar"],
        "Postor único y requisitos a medida son alertas clásicas; la publicación es una buena práctica.",
        "A single bidder and tailored requirements are classic red flags; publication is good practice.",
    ),
    (
        "¿Ante quién se presenta una denuncia por corrupción con reserva de identidad?",
        "Where is a corruption complaint with identity protection filed?",
        "single",
        [
            (
                "La oficina de integridad o la plataforma de denuncias",
                "The integrity office or the complaints platform",
                True,
            ),
            (
                "El jefe inmediato, por escrito firmado",
                "The line manager, in a signed letter",
                False,
            ),
            ("Las redes sociales de la entidad", "The agency's social media", False),
        ],
        ["denuncias", "competencia:actuar"],
        "Los canales oficiales garantizan la reserva de identidad y medidas de protección.",
        "Official channels guarantee identity protection and safeguards.",
    ),
    (
        "¿Cuántos días hábiles tiene un servidor para presentar su declaración jurada de intereses al asumir el cargo?",
        "How many working days does an official have to file the declaration of interests on taking office?",
        "numeric",
        [],
        ["declaraciones"],
        "Quince días hábiles desde el inicio del cargo.",
        "Fifteen working days from taking office.",
    ),
    (
        "La sextorsión es una forma de corrupción.",
        "Sextortion is a form of corruption.",
        "true_false",
        [("Verdadero", "True", True), ("Falso", "False", False)],
        ["genero"],
        "Es abuso de poder a cambio de un beneficio sexual: corrupción con impacto de género.",
        "It is abuse of power for a sexual favour: corruption with a gender impact.",
    ),
    (
        "¿Qué principio exige publicar la información sobre el uso de recursos públicos?",
        "Which principle requires publishing information on the use of public funds?",
        "single",
        [
            ("Transparencia", "Transparency", True),
            ("Eficiencia", "Efficiency", False),
            ("Jerarquía", "Hierarchy", False),
        ],
        ["principios"],
        "",
        "",
    ),
]

# Workshops of the flagship course get paper scores (out of 20): (mean pre, mean gain).
SCORE_PROFILE = (Decimal("9.5"), Decimal("5.0"))


def _bank() -> list[Question]:
    questions = []
    for es, en, kind, options, tags, feedback, feedback_en in QUESTIONS:
        question = Question.objects.filter(text=es).first()
        if question is None:
            question = Question.objects.create(
                text=es,
                text_en=en,
                type=kind,
                numeric_answer=Decimal("15") if kind == "numeric" else None,
                feedback=feedback,
                feedback_en=feedback_en,
            )
            for n, (label, label_en, right) in enumerate(options):
                Choice.objects.create(
                    question=question, text=label, text_en=label_en, is_correct=right, sort_order=n
                )
            question.tags.add(*tags)
            question.save()
        questions.append(question)
    return questions


def _assessment(course, kind, title, title_en, questions, **rules) -> Assessment:
    assessment, created = Assessment.objects.get_or_create(
        course=course,
        kind=kind,
        defaults={"title": title, "title_en": title_en, **rules},
    )
    if created:
        for n, question in enumerate(questions):
            AssessmentItem.objects.create(assessment=assessment, question=question, sort_order=n)
    return assessment


def _clip(value: float, top: int = 20) -> Decimal:
    return Decimal(str(round(min(max(value, 0), top) * 2) / 2))  # half points, 0..20


@register_demo(order=30)
@transaction.atomic
def seed_assessments(rng: random.Random) -> list[str]:
    course = CoursePage.objects.filter(code="ETI-101", locale=Locale.get_default()).first()
    if course is None:
        return []
    bank = _bank()
    rules = {
        "instructions": "Responda sin consultar materiales. Sus respuestas se guardan mientras avanza.",
        "instructions_en": "Answer without notes. Your answers are saved as you go.",
        "time_limit_minutes": 20,
        "paper_max_score": Decimal("20"),
        "shuffle_questions": True,
        "shuffle_choices": True,
    }
    _assessment(
        course,
        Kind.PRE,
        "Prueba de entrada",
        "Pre-test",
        bank,
        attempts_allowed=1,
        review=Assessment.Review.SCORE,
        **rules,
    )
    _assessment(
        course, Kind.POST, "Prueba de salida", "Post-test", bank, attempts_allowed=2, **rules
    )
    practice = Assessment.objects.filter(course=course, kind=Kind.PRACTICE).first()
    if practice is None:
        Assessment.objects.create(
            course=course,
            kind=Kind.PRACTICE,
            title="Práctica: conflicto de intereses",
            title_en="Practice: conflicts of interest",
            selection=Assessment.Selection.DRAWN,
            draw_tags="conflicto-de-intereses, obsequios, declaraciones",
            draw_count=3,
            attempts_allowed=0,
            review=Assessment.Review.ANSWERS,
        )

    trainer = User.objects.filter(email="trainer@demo.pe").first()
    mean_pre, mean_gain = SCORE_PROFILE
    scored = 0
    for workshop in Workshop.objects.filter(course=course, status__in=["closed", "completed"]):
        for registration in workshop.registrations.filter(status=Registration.Status.CONFIRMED):
            if registration.scores.exists():
                continue
            pre = _clip(rng.gauss(float(mean_pre), 3.0))
            if rng.random() < 0.03:
                pre = Decimal(20)  # someone who already knew it all
            score_record(
                registration=registration,
                kind=Kind.PRE,
                score=pre,
                max_score=Decimal(20),
                method="grid",
                recorded_by=trainer,
            )
            if rng.random() < 0.08:
                continue  # left before the post-test
            post = _clip(float(pre) + rng.gauss(float(mean_gain), 3.0))
            score_record(
                registration=registration,
                kind=Kind.POST,
                score=post,
                max_score=Decimal(20),
                method="grid",
                recorded_by=trainer,
            )
            scored += 1

    participant = Person.objects.filter(user__email="participant@demo.pe").first()
    pre_test = Assessment.objects.get(course=course, kind=Kind.PRE)
    if participant and not pre_test.attempts.filter(person=participant).exists():
        attempt = attempt_start(assessment=pre_test, person=participant, rng=rng)
        answers = {}
        for item in attempt.questions.select_related("question"):
            question = item.question
            if question.type == "numeric":
                answers[question.pk] = "10"
            else:
                options = list(question.choices.all())
                pick = rng.choice(options)
                answers[question.pk] = [pick.pk]
        attempt_submit(attempt=attempt, answers=answers)

    completions_flush()
    lines = [
        f"Evaluaciones: banco de {len(bank)} preguntas; pre-test, post-test y práctica de ETI-101."
    ]
    for workshop in Workshop.objects.filter(course=course, status__in=["closed", "completed"]):
        gain = workshop_knowledge_gain(workshop)
        if gain.n_matched:
            lines.append(
                f"  {workshop.code}: {gain.n_matched} con pre y post, pre {gain.mean_pre}% → post "
                f"{gain.mean_post}%, ganancia normalizada {gain.hake_gain}."
            )
    done = Completion.objects.filter(status=Completion.Status.COMPLETED).count()
    lines.append(f"Finalizaciones: {Completion.objects.count()} decisiones, {done} completadas.")
    return lines
