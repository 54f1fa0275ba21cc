from django.urls import path

from inhouse.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_edit, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/duty/", views.duty, name="duty"),
    path("<int:pk>/events/", views.event_add, name="event_add"),
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/instant/", views.instant, name="instant"),
    path("<int:pk>/report/", views.campaign_report, name="report"),
    path("<int:pk>/report.csv", views.campaign_report_csv, name="report_csv"),
    path("<int:pk>/report.pdf", views.campaign_report_pdf, name="report_pdf"),
    path("events/<int:pk>/remove/", views.event_remove, name="event_remove"),
    path("events/<int:pk>/timeline/", views.timeline_add, name="timeline_add"),
]
