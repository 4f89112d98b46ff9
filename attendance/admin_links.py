"""Links other apps add to each workshop's menu in the admin list (e.g. tests and completion),
without this app importing them."""

from collections.abc import Callable

WorkshopLink = Callable  # (request, workshop) -> wagtail.admin.ui.menus.MenuItem | None

_links: list[WorkshopLink] = []


def register_workshop_link(link: WorkshopLink) -> None:
    if link not in _links:
        _links.append(link)


def workshop_links(request, workshop) -> list:
    return [item for link in _links if (item := link(request, workshop)) is not None]
