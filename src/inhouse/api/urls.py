"""Routes of the api app, included by the project under /api/: the JSON API under v1/ and
the owner's token pages on the desk."""

from django.urls import path

from inhouse.api import desk, views

app_name = "api"
urlpatterns = [
    path("v1/openapi.json", views.openapi, name="openapi"),
    path("v1/me", views.me, name="me"),
    path("v1/items", views.item_list, name="items"),
    # <path:pk>, not <int:pk>: any id the client sends reaches the view, which answers a bad
    # one with a JSON 404 instead of Django's HTML page. The longer route comes first.
    path("v1/items/<path:pk>", views.item_detail, name="item"),
    path("v1/incidents", views.incident_list, name="incidents"),
    path("v1/incidents/<path:pk>/acknowledge", views.incident_acknowledge,
         name="incident_acknowledge"),
    path("v1/incidents/<path:pk>", views.incident_detail, name="incident"),
    path("v1/conversations", views.conversation_list, name="conversations"),
    path("tokens/", desk.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", desk.token_revoke, name="token_revoke"),
]
