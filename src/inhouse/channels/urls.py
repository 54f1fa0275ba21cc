from django.urls import path

from inhouse.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.channel_list, name="list"),
    path("add/<str:kind>/", views.channel_add, name="add"),
    path("<int:pk>/", views.channel_edit, name="edit"),
    path("<int:pk>/test/", views.channel_test, name="test"),
    path("<int:pk>/toggle/", views.channel_toggle, name="toggle"),
]
