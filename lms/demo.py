"""Demo data contributed by every app: `seed_demo` seeds the registry, then runs these in order.

An app adds its part in its own ``demo.py`` with ``@register_demo(order)``; the function gets a
seeded ``random.Random`` and returns lines to print. lms never imports the other apps.
"""

import random
from collections.abc import Callable

from lms.bulk import bulk_work

DemoSeeder = Callable[[random.Random], list[str]]
_SEEDERS: list[tuple[int, DemoSeeder]] = []


def register_demo(order: int) -> Callable[[DemoSeeder], DemoSeeder]:
    def decorator(func: DemoSeeder) -> DemoSeeder:
        _SEEDERS.append((order, func))
        return func

    return decorator


def run_demo_seeders(rng: random.Random) -> list[str]:
    lines: list[str] = []
    with bulk_work():  # derived data (e.g. completion decisions) once, at the end
        for _order, seeder in sorted(_SEEDERS, key=lambda item: item[0]):
            lines.extend(seeder(rng))
    return lines
