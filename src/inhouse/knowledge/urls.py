from django.urls import path

from inhouse.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_edit, name="create"),
    path("import/", views.entry_import, name="import"),
    path("try/", views.try_question, name="try"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/edit/", views.entry_edit, name="edit"),
    path("<int:pk>/retire/", views.entry_retire, name="retire"),
]
