"""The project's URLs with the content window routed (until the lead includes it)."""

from django.urls import include, path

from inhouse.urls import urlpatterns as project

urlpatterns = [path("content/", include("inhouse.content.urls")), *project]
