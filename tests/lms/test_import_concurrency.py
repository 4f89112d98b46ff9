"""Two imports of overlapping files at the same moment: one record per person, nothing lost."""

import threading

import pytest
from django.db import connection, connections

from lms.models import Person
from lms.services.participant_import import import_participants

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _file(first: int, count: int) -> bytes:
    lines = ["numero_documento;nombres;apellidos;correo"]
    lines += [
        f"{40000000 + n};José;Ñañez Quispe;p{n}@example.pe" for n in range(first, first + count)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_concurrent_imports_of_the_same_people_leave_one_record_each():
    assert connection.vendor == "postgresql"
    files = [_file(0, 300), _file(150, 300)]  # rows 150..299 are in both files
    barrier = threading.Barrier(len(files))
    results = [None] * len(files)

    def run(i):
        try:
            barrier.wait()
            results[i] = import_participants(data=files[i], filename=f"f{i}.csv")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(files))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert all(r is not None and r.ok for r in results), [r.errors for r in results if r]
    assert Person.objects.count() == 450
    assert sum(r.created for r in results) == 450
    # Every person from both files is there exactly once.
    numbers = list(Person.objects.values_list("document_number", flat=True))
    assert len(numbers) == len(set(numbers)) == 450
