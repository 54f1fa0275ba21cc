"""The project's URLs plus the inbox, as the lead will include it (see docs/inbox.md)."""

from django.urls import include, path

from inhouse.urls import urlpatterns as project

urlpatterns = [path("inbox/", include("inhouse.inbox.urls")), *project]
