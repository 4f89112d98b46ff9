"""Bulk work (imports, rosters, seeding): one context that later apps can join.

Data derived from many rows (e.g. completion decisions) is cheaper to compute once at the end of
a bulk write than after every row. An app registers a context manager factory here from its
``AppConfig.ready()``; code that writes in bulk wraps the writes in ``bulk_work()`` inside its
transaction, so the derived data is computed before the commit. lms never imports those apps.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, contextmanager

_FACTORIES: list[Callable[[], AbstractContextManager]] = []


def register_bulk_context(factory: Callable[[], AbstractContextManager]) -> None:
    if factory not in _FACTORIES:
        _FACTORIES.append(factory)


@contextmanager
def bulk_work():
    with ExitStack() as stack:
        for factory in _FACTORIES:
            stack.enter_context(factory())
        yield
