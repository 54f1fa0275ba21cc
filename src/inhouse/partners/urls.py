from django.urls import path

from inhouse.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.cards, name="cards"),
    path("cards/<int:pk>/", views.card, name="card"),
    path("cards/<int:pk>/move/", views.card_move, name="card_move"),
    path("cards/<int:pk>/assign/", views.card_assign, name="card_assign"),
    path("directory/", views.directory, name="directory"),
    path("directory/import/", views.contact_import, name="import"),
    path("directory/default-owner/", views.default_owner, name="default_owner"),
    path("directory/<int:pk>/", views.contact_edit, name="contact"),
    path("directory/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
]
