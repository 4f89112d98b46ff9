"""Build a small published course tree: catalogue > course > 2 modules > 3 lessons."""

from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import page_publish, site_structure_ensure


def lesson_body(text: str) -> list:
    return [
        {"type": "paragraph", "value": f"<p>{text}</p>"},
        {
            "type": "callout",
            "value": {"kind": "key_point", "title": "Recuerde", "body": "<p>Probidad.</p>"},
        },
    ]


def build_course(
    *,
    code="ETI-101",
    title="Ética Pública y Prevención de la Corrupción",
    lessons_per_module=(2, 1),
    publish=True,
):
    pages = site_structure_ensure()
    course = pages["catalog_es"].add_child(
        instance=CoursePage(
            title=title,
            slug=code.lower(),
            code=code,
            summary="Principios, conflictos de intereses, regalos y denuncias.",
            contact_hours=12,
            objectives=[("objective", "Reconocer un conflicto de intereses")],
            live=False,
        )
    )
    if publish:
        page_publish(course)
    lessons = []
    for m, count in enumerate(lessons_per_module, start=1):
        module = course.add_child(
            instance=ModulePage(title=f"Módulo {m}", slug=f"modulo-{m}", live=False)
        )
        page_publish(module)
        for n in range(1, count + 1):
            lesson = module.add_child(
                instance=LessonPage(
                    title=f"Lección {m}.{n}",
                    slug=f"leccion-{m}-{n}",
                    body=lesson_body(f"Texto {m}.{n} con ñ y tildes: acción."),
                )
            )
            if publish:
                page_publish(lesson)
            lessons.append(lesson)
    course.refresh_from_db()
    return course, lessons
