"""Webhooks, notifications and their preferences, and the outbox (dead messages) for staff."""

from django.core import signing
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import role_of, roles
from api.serializers.notifications import (
    NotificationSerializer,
    OutboxMessageSerializer,
    PreferencesSerializer,
    UnsubscribeResponseSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
    WebhookSubscriptionWriteSerializer,
)
from recruitment import selectors
from recruitment.enums import OutboxKind, OutboxStatus, Role
from recruitment.models import NotificationPreference
from workflows.models import OutboxMessage, WebhookDelivery, WebhookSubscription
from workflows.notifications import UNSUBSCRIBE_SALT, outbox_redeliver
from workflows.outbox import EMAIL_EVENTS
from workflows.webhooks import (
    webhook_secret_rotate,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)


class WebhookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                     viewsets.GenericViewSet):  # fmt: skip
    """Signed event deliveries (Standard Webhooks) to your endpoint.

    A partner organisation's subscriptions receive its own organisation's events (applications
    only once nominated to it); recruiters and recruiter API clients receive all. The signing
    secret is in the creation response only; rotating keeps the old one valid for 24 hours.
    Endpoints must be public addresses; redirects are not followed; a 410 disables the
    subscription; 429 and 5xx are retried with backoff (Retry-After honoured).
    """

    queryset = WebhookSubscription.objects.none()  # for schema generation
    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [roles(Role.PARTNER, Role.RECRUITER, Role.ADMIN)]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        queryset = WebhookSubscription.objects.select_related("organisation")
        if role_of(self.request) == Role.ADMIN:
            return queryset
        if role_of(self.request) == Role.PARTNER:
            organisation = selectors.organisation_of(user)
            return queryset.filter(organisation=organisation) if organisation else queryset.none()
        return queryset.filter(owner=user)

    @extend_schema(request=WebhookSubscriptionWriteSerializer,
                   responses={201: WebhookSubscriptionCreatedSerializer})  # fmt: skip
    def create(self, request):
        serializer = WebhookSubscriptionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = None
        if role_of(request) == Role.PARTNER:
            organisation = selectors.organisation_of(request.user)
            if organisation is None:
                self.permission_denied(request, "You belong to no organisation.")
        subscription = webhook_subscription_create(
            owner=request.user,
            organisation=organisation,
            url=serializer.validated_data["url"],
            event_types=serializer.validated_data["event_types"],
        )
        return Response(
            WebhookSubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=WebhookSubscriptionWriteSerializer,
                   responses={200: WebhookSubscriptionSerializer})  # fmt: skip
    def partial_update(self, request, pk=None):
        subscription = self.get_object()
        serializer = WebhookSubscriptionWriteSerializer(
            subscription, data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        subscription = webhook_subscription_update(
            subscription=subscription, data=dict(serializer.validated_data)
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    def perform_destroy(self, instance):
        webhook_subscription_delete(subscription=instance)

    @extend_schema(summary="Rotate the signing secret", request=None,
                   responses={200: WebhookSubscriptionCreatedSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """Returns the new secret once; the previous one also signs for 24 hours."""
        subscription = webhook_secret_rotate(subscription=self.get_object())
        return Response(WebhookSubscriptionCreatedSerializer(subscription).data)

    @extend_schema(summary="Delivery attempts, newest first",
                   responses={200: WebhookDeliverySerializer(many=True)})  # fmt: skip
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """Every attempt with its status code, latency and error."""
        subscription = self.get_object()
        page = self.paginate_queryset(
            WebhookDelivery.objects.filter(subscription=subscription)
            .select_related("message")
            .order_by("-id")
        )
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The emails sent (or about to be sent) to you; statuses are your application's stages."""

    queryset = OutboxMessage.objects.none()  # for schema generation
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["event_type"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return OutboxMessage.objects.filter(recipient=self.request.user, kind=OutboxKind.EMAIL)

    @extend_schema(summary="Email preferences per event type", request=PreferencesSerializer,
                   responses={200: PreferencesSerializer})  # fmt: skip
    @action(detail=False, methods=["get", "put"], pagination_class=None, filterset_fields=None)
    def preferences(self, request):
        """`true` sends email for that event type. Alerts can also be turned off from the
        unsubscribe link in every email."""
        if request.method == "PUT":
            serializer = PreferencesSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            for source, email in serializer.validated_data.items():
                event_type = source.replace("__", ".")
                NotificationPreference.objects.update_or_create(
                    user=request.user, event_type=event_type, defaults={"email": email}
                )
        chosen = dict(
            NotificationPreference.objects.filter(user=request.user).values_list(
                "event_type", "email"
            )
        )
        return Response(
            {event: chosen.get(event, default) for event, default in EMAIL_EVENTS.items()}
        )


TOKEN = OpenApiParameter("token", str, OpenApiParameter.QUERY, required=True)


class UnsubscribeView(APIView):
    """Email links: GET tells what the signed token would turn off, and changes nothing (mail
    scanners fetch links); POST turns it off (RFC 8058 one-click, or the portal's button)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def _token(self, request):
        try:
            return signing.loads(request.query_params.get("token", ""), salt=UNSUBSCRIBE_SALT)
        except signing.BadSignature:
            raise exceptions.ValidationError({"token": ["This link is not valid."]}) from None

    @extend_schema(parameters=[TOKEN], responses={200: UnsubscribeResponseSerializer})
    def get(self, request):
        data = self._token(request)
        current = (
            NotificationPreference.objects.filter(user_id=data["user"], event_type=data["event"])
            .values_list("email", flat=True)
            .first()
        )
        email = EMAIL_EVENTS.get(data["event"], False) if current is None else current
        return Response({"event_type": data["event"], "email": email})

    @extend_schema(parameters=[TOKEN], request=None, responses={200: UnsubscribeResponseSerializer})
    def post(self, request):
        data = self._token(request)
        NotificationPreference.objects.update_or_create(
            user_id=data["user"], event_type=data["event"], defaults={"email": False}
        )
        return Response({"event_type": data["event"], "email": False})


class OutboxMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):  # fmt: skip
    """Every notification the service owes, with its delivery state; dead ones can be
    redelivered. Recruiters and admins only."""

    queryset = OutboxMessage.objects.order_by("-id")
    serializer_class = OutboxMessageSerializer
    permission_classes = [roles(Role.RECRUITER, Role.ADMIN)]
    filterset_fields = ["status", "kind", "event_type"]
    ordering_fields = ["id", "created_at", "next_attempt_at"]

    @extend_schema(summary="Redeliver a dead message", request=None,
                   responses={202: OutboxMessageSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        message = self.get_object()
        if message.status != OutboxStatus.DEAD:
            return Response(
                {"code": "not_dead", "detail": "Only dead messages are redelivered.",
                 "current_status": message.status},
                status=status.HTTP_409_CONFLICT,
            )  # fmt: skip
        message = outbox_redeliver(message)
        return Response(OutboxMessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)
