from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .reference import reference
from .views import EventViewSet, TimelineViewSet

router = DefaultRouter()
router.register("timelines", TimelineViewSet, basename="timeline")
router.register("events", EventViewSet, basename="event")

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", reference, name="api-docs"),
]
