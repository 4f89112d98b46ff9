from lms.models import Person, Region


def test_code_lists_are_loaded(db):
    assert Region.objects.filter(level="department").count() == 25
    assert Person.objects.count() == 0
