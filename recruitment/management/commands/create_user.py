"""`manage.py create_user --email E --password P --role ROLE [--organisation SLUG]`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from recruitment import services
from recruitment.enums import Role
from recruitment.exceptions import DomainError
from recruitment.models import Organisation


class Command(BaseCommand):
    help = "Create a candidate, recruiter, partner member or admin."

    def add_arguments(self, parser: Any) -> None:  # noqa: ANN401
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="Organisation slug (partner members).")
        parser.add_argument("--name", default="")

    def handle(self, *args: object, **options: Any) -> None:  # noqa: ANN401
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        try:
            user = services.user_create(
                email=options["email"],
                password=options["password"],
                role=options["role"],
                organisation=organisation,
                name=options["name"],
            )
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(f"created {user.role} user {user.pk}")
