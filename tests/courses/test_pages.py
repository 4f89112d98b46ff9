"""Page types: where each may live, creation through the admin form, rendering, drafts."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CatalogPage, CoursePage, HomePage, LessonPage, ModulePage
from courses.services import site_structure_ensure
from lms.models import User
from tests.courses.factories import build_course


class PageTreeRulesTests(WagtailPageTestCase):
    def test_allowed_parents(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedParentPageTypes(CatalogPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {CatalogPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})

    def test_allowed_children(self):
        self.assertAllowedSubpageTypes(HomePage, {CatalogPage})
        self.assertAllowedSubpageTypes(CatalogPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_a_lesson_cannot_sit_directly_under_a_course(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CatalogPage, ModulePage)


class AdminCreationTests(WagtailPageTestCase):
    def setUp(self):
        self.admin = User.objects.create_superuser("editor@example.pe", "a-long-password-1")
        self.client.force_login(self.admin)
        self.course, _ = build_course()

    def test_course_created_through_the_admin_form(self):
        catalog = self.course.get_parent()
        self.assertCanCreate(
            catalog,
            CoursePage,
            nested_form_data(
                {
                    "title": "Control interno",
                    "slug": "control-interno",
                    "code": "CTL-201",
                    "summary": "Señales de alerta en contrataciones.",
                    "contact_hours": "16",
                    "modality": "blended",
                    "gender_equality_hours": "0",
                    "min_attendance_percent": "80",
                    "pass_mark_percent": "70",
                    "mastery_percent": "85",
                    "require_all_lessons": "on",
                    "objectives": streamfield([("objective", "Identificar señales de colusión")]),
                }
            ),
        )

    def test_lesson_with_streamfield_blocks_created_through_the_admin_form(self):
        module = self.course.get_children().first()
        self.assertCanCreate(
            module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Regalos y cohecho",
                    "slug": "regalos",
                    "estimated_minutes": "25",
                    "summary": "Qué se puede aceptar.",
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>Un regalo puede ser cohecho.</p>")),
                            (
                                "callout",
                                {
                                    "kind": "law",
                                    "title": "Código Penal",
                                    "body": rich_text("<p>Cohecho pasivo.</p>"),
                                },
                            ),
                            (
                                "case_study",
                                {
                                    "title": "La canasta",
                                    "situation": rich_text(
                                        "<p>Un proveedor envía una canasta.</p>"
                                    ),
                                    "questions": streamfield([("item", "¿Debe aceptarla?")]),
                                    "discussion": rich_text("<p>No.</p>"),
                                },
                            ),
                        ]
                    ),
                }
            ),
        )

    def test_course_code_is_unique_per_language(self):
        catalog = self.course.get_parent()
        duplicate = CoursePage(
            title="Otra", slug="otra", code="ETI-101", summary="x", contact_hours=1
        )
        with self.assertRaises(Exception) as caught:
            catalog.add_child(instance=duplicate)
        self.assertIn("code", str(caught.exception))


class RenderingTests(WagtailPageTestCase):
    def setUp(self):
        self.course, self.lessons = build_course()
        self.admin = User.objects.create_superuser("editor@example.pe", "a-long-password-1")

    def test_every_page_type_renders(self):
        pages = site_structure_ensure()
        for page in (
            pages["home_es"],
            pages["catalog_es"],
            self.course,
            self.course.get_children().first().specific,
        ):
            self.assertPageIsRenderable(page)
        self.client.force_login(self.admin)  # lessons are for enrolled people or staff
        response = self.client.get(self.lessons[0].url)
        self.assertContains(response, "Lección 1.1")
        self.assertContains(response, "acción")

    def test_drafts_are_not_visible(self):
        build_course(code="BOR-1", title="Borrador", publish=False)
        self.assertEqual(self.client.get("/es/cursos/bor-1/").status_code, 404)
        catalog = self.client.get(self.course.get_parent().url)
        self.assertContains(catalog, self.course.title)
        self.assertNotContains(catalog, "Borrador")

    def test_a_draft_lesson_is_neither_listed_nor_served(self):
        module = self.course.get_children().first()
        draft = module.add_child(
            instance=LessonPage(title="Lección en borrador", slug="borrador", body=[], live=False)
        )
        self.client.force_login(self.admin)
        self.assertNotContains(self.client.get(self.course.url), "Lección en borrador")
        self.assertEqual(self.client.get(f"{module.url}borrador/").status_code, 404)
        self.assertFalse(draft.live)
