from django.urls import path

from inhouse.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.incident_list, name="incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/state/", views.incident_transition, name="incident_state"),
    path("incidents/<int:pk>/events/", views.incident_event, name="incident_event"),
    path("incidents/<int:pk>/report/", views.incident_report, name="incident_report"),
    path("incidents/<int:pk>/report.pdf", views.incident_report_pdf, name="incident_report_pdf"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
]
