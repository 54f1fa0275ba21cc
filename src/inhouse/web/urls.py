from django.urls import path

from inhouse.web import corrections, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("workspace/", views.switch_workspace, name="switch_workspace"),
    path("items/<int:pk>/corrections/", corrections.item_panel, name="item_corrections"),
    path("items/<int:pk>/correct/", corrections.correct, name="item_correct"),
    path("learning/", corrections.learning_page, name="learning"),
    path("learning/retrain/", corrections.retrain, name="learning_retrain"),
    path("learning/activate/", corrections.activate, name="learning_activate"),
]
