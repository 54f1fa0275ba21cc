from django.urls import path

from inhouse.assist import views

app_name = "assist"

urlpatterns = [
    path("", views.provider_settings, name="settings"),
    path("reply/<int:pk>/", views.reply_draft, name="reply"),
    path("statement/<int:pk>/", views.statement_draft, name="statement"),
    path("summary/<int:pk>/", views.incident_summary, name="summary"),
    path("statements/<int:pk>/use/", views.statement_use, name="statement_use"),
    path("report/<str:kind>/", views.report_summary, name="report_summary"),
]
