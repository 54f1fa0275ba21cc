"""The project's URLs plus the knowledge pages, until src/inhouse/urls.py includes them."""

from django.urls import include, path

from inhouse.urls import urlpatterns as project

urlpatterns = [path("knowledge/", include("inhouse.knowledge.urls")), *project]
