from django.urls import path

from inhouse.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("workspace/", views.switch_workspace, name="switch_workspace"),
]
