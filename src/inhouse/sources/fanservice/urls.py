from django.urls import path

from inhouse.sources.fanservice.views import receive

app_name = "fanservice"
urlpatterns = [
    path("<int:account_id>/", receive, name="receive"),
]
