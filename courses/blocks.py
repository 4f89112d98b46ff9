"""StreamField blocks of a lesson: text, media, documents, callouts, case studies, quizzes."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from courses.panels import quiz_context

RICH_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"), help_text=_("YouTube or Vimeo address."))
    transcript = blocks.RichTextBlock(label=_("transcript"), required=False, features=RICH_FEATURES)

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Downloadable document")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("key_point", _("Key point")),
            ("warning", _("Warning")),
            ("law", _("Legal reference")),
        ],
        default="key_point",
    )
    title = blocks.CharBlock(label=_("title"), max_length=120)
    body = blocks.RichTextBlock(label=_("text"), features=RICH_FEATURES)

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        label = _("Callout")


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150)
    situation = blocks.RichTextBlock(label=_("situation"), features=RICH_FEATURES)
    questions = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("questions"))
    discussion = blocks.RichTextBlock(
        label=_("discussion"),
        required=False,
        features=RICH_FEATURES,
        help_text=_("Shown after the questions, folded until the learner opens it."),
    )

    class Meta:
        icon = "user"
        template = "courses/blocks/case_study.html"
        label = _("Case study")


class QuizBlock(blocks.StructBlock):
    """An assessment in the lesson; the assessments app renders it (courses.panels)."""

    title = blocks.CharBlock(label=_("title"), max_length=150)
    instructions = blocks.TextBlock(label=_("instructions"), required=False)
    assessment = SnippetChooserBlock(
        "assessments.Assessment", label=_("assessment"), required=False
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        if value.get("assessment") is not None:
            context["quiz"] = quiz_context(request, value["assessment"])
        return context

    class Meta:
        icon = "tasks"
        template = "courses/blocks/quiz.html"
        label = _("Quiz")


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_FEATURES)
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    case_study = CaseStudyBlock()
    quiz = QuizBlock()


class ObjectivesBlock(blocks.StreamBlock):
    objective = blocks.CharBlock(label=_("learning objective"), max_length=300)
