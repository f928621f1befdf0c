"""The real URLconf plus one view that crashes, to see what a server error shows."""

from django.urls import path
from rest_framework.decorators import api_view, authentication_classes, permission_classes

from api.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


class DatabaseExploded(Exception):
    pass


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def crash(request):
    raise DatabaseExploded('Key (email)=(astrid@example.org) already exists. at "/srv/app.py"')


urlpatterns = [*urlpatterns, path("api/v1/crash/", crash)]
