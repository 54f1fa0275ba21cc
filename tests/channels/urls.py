"""The project's URLs plus the channels page, for the view tests until inhouse/urls.py
includes it (then the fixture in test_views uses the real ones)."""

from django.urls import include, path

from inhouse.urls import urlpatterns as project

urlpatterns = [*project, path("channels/", include("inhouse.channels.urls"))]
