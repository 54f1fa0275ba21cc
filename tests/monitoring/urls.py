"""The project's URLs plus monitoring's, until src/inhouse/urls.py includes them."""

from django.urls import include, path

from inhouse.urls import urlpatterns as project

urlpatterns = [
    *[p for p in project if "monitoring" not in str(p.pattern)],
    path("monitoring/", include("inhouse.monitoring.urls")),
]
