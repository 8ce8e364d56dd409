from django.contrib import admin
from django.urls import include, path

from events.admin import view_on_site

urlpatterns = [
    # In place of the admin's own, which redirects for any staff member.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("events.api.urls")),
    path("", include("events.urls")),
]

handler404 = "events.views.not_found"
