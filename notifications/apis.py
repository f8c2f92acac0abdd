"""The inbox over the API: list, mark one read, mark all read."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.access import notification_access_for_recipient
from notifications.models import Notification
from notifications.selectors import notification_list, notification_unread_count
from notifications.services import notification_mark_all_read, notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "is_read", "read_at", "created_at"]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Only unread")

    class Meta:
        model = Notification
        fields = ["kind"]


class NotificationListApi(generics.ListAPIView):
    """My notifications, newest first. `?unread=true` for unread only."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notification_list(recipient=self.request.user)


class NotificationMarkReadApi(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, notification_id: int):
        notification = notification_access_for_recipient(actor=request.user, notification_id=notification_id)
        notification = notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationMarkAllReadApi(APIView):
    class MarkAllReadSerializer(serializers.Serializer):
        marked = serializers.IntegerField()
        unread = serializers.IntegerField()

    @extend_schema(request=None, responses=MarkAllReadSerializer)
    def post(self, request):
        marked = notification_mark_all_read(recipient=request.user)
        data = {"marked": marked, "unread": notification_unread_count(recipient=request.user)}
        return Response(self.MarkAllReadSerializer(data).data, status=status.HTTP_200_OK)
