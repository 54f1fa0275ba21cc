from django.urls import path

from inhouse.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("fans/", views.fans, name="fans"),
    path("reports/", views.reports, name="reports"),
    path("reports/<str:kind>/", views.report_page, name="report"),
    path("reports/<str:kind>/<str:fmt>/", views.report_download, name="report_download"),
    path("settings/", views.settings_page, name="settings"),
]
