"""The project's URLs plus the fan-service receiver, for tests that run before the lead routes
it in inhouse/urls.py (harmless after: the same pattern twice resolves to the first)."""

from django.urls import include, path

from inhouse.urls import urlpatterns as project

urlpatterns = [path("fanservice/", include("inhouse.sources.fanservice.urls")), *project]
