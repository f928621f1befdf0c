"""`manage.py create_api_client --name N --role R [--organisation SLUG] --scopes "read write"`."""

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from recruitment import services
from recruitment.enums import Role
from recruitment.exceptions import DomainError
from recruitment.models import Organisation

SCOPES = {"read", "write"}


class Command(BaseCommand):
    help = "Create an OAuth2 client-credentials API client; prints its id and secret once."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--role", required=True, choices=[Role.RECRUITER, Role.PARTNER])
        parser.add_argument("--organisation", help="Organisation slug (required for partners).")
        parser.add_argument("--scopes", default="read")

    def handle(self, *args, **options):
        scopes = options["scopes"].split()
        if not scopes or not set(scopes) <= SCOPES:
            raise CommandError("--scopes takes 'read', 'write' or 'read write'.")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        secret = generate_client_secret()
        Application = get_application_model()
        try:
            with transaction.atomic():
                user = services.user_create(
                    email=f"client-{uuid.uuid4().hex}@clients.invalid",
                    password=None,
                    role=options["role"],
                    organisation=organisation,
                    name=options["name"],
                    is_api_client=True,
                )
                user.api_client_scopes = " ".join(sorted(scopes))
                user.save(update_fields=["api_client_scopes"])
                application = Application.objects.create(
                    name=options["name"],
                    user=user,
                    client_type=Application.CLIENT_CONFIDENTIAL,
                    authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
                    client_secret=secret,  # hashed on save; shown here once
                )
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(f"client_id: {application.client_id}\nclient_secret: {secret}")
