"""Shared factory_boy factories."""

import factory
from stdnum.pe import cui

from lms.models import Institution, Person, Position, Region, User
from lms.roles import Role, assign_role


def valid_dni(n: int) -> str:
    return f"{10_000_000 + n:08d}"


def dni_with_check(number: str) -> str:
    return f"{number}-{cui.calc_check_digits(number)[0]}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.pe")
    first_name = "Rosa"
    last_name = "Quispe"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            assign_role(self, extracted)
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    document_type = "1"
    document_number = factory.Sequence(valid_dni)
    given_names = "José"
    family_names = factory.Sequence(
        lambda n: f"Ñañez Quispe{'' if n == 0 else ' ' + chr(65 + n % 26)}"
    )
    institution = factory.LazyFunction(lambda: Institution.objects.get(code="poder-judicial"))
    position = factory.LazyFunction(lambda: Position.objects.get(code="juez"))
    region = factory.LazyFunction(lambda: Region.objects.get(code="15"))


__all__ = ["PersonFactory", "Role", "UserFactory", "dni_with_check", "valid_dni"]
