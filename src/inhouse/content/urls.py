from django.urls import path

from inhouse.content import views

app_name = "content"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_edit, name="create"),
    path("check/", views.check, name="check"),
    path("calendar/", views.calendar, name="calendar"),
    path("keynote/", views.keynote, name="keynote"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
]
