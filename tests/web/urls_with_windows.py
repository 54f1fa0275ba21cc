"""The project's URLs plus stand-ins for windows that are not routed yet."""

from django.http import HttpResponse
from django.urls import include, path

from inhouse.urls import urlpatterns as project

stand_in = ([path("", lambda request: HttpResponse("inbox"), name="list")], "inbox")
urlpatterns = [path("inbox/", include(stand_in)), *project]
