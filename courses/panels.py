"""Sections that later apps add to a participant's "My learning" page (workshops, certificates).

courses never imports those apps: they register a provider here from their AppConfig.ready().
A provider gets the request and the person and returns (order, template name, context) or None.
"""

from collections.abc import Callable

Panel = tuple[int, str, dict]
PanelProvider = Callable[..., Panel | None]
_PROVIDERS: list[PanelProvider] = []


def register_learning_panel(provider: PanelProvider) -> PanelProvider:
    _PROVIDERS.append(provider)
    return provider


def learning_panels(request, person) -> list[Panel]:
    panels = [panel for provider in _PROVIDERS if (panel := provider(request, person)) is not None]
    return sorted(panels, key=lambda panel: panel[0])


# The lesson quiz block shows an assessment; the assessments app says how (courses does not know).
QuizRenderer = Callable[..., dict | None]
_QUIZ_RENDERERS: list[QuizRenderer] = []


def register_quiz_renderer(renderer: QuizRenderer) -> QuizRenderer:
    _QUIZ_RENDERERS.append(renderer)
    return renderer


def quiz_context(request, assessment) -> dict | None:
    """{"template": ..., **context} from the first renderer that knows the assessment."""
    for renderer in _QUIZ_RENDERERS:
        context = renderer(request, assessment)
        if context is not None:
            return context
    return None
