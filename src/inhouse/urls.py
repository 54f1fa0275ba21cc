from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from inhouse.access.login import ThrottledAuthenticationForm
from inhouse.reports.interactive import plotly_js
from inhouse.web.workspace import desk_view

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("access/", include("inhouse.access.urls")),
    path("api/", include("inhouse.api.urls")),
    path("content/", include("inhouse.content.urls")),
    path("inbox/", include("inhouse.inbox.urls")),
    path("knowledge/", include("inhouse.knowledge.urls")),
    path("monitoring/", include("inhouse.monitoring.urls")),
    path("channels/", include("inhouse.channels.urls")),
    path("assist/", include("inhouse.assist.urls")),
    path("partners/", include("inhouse.partners.urls")),
    path("weibo-accounts/", include("inhouse.web.accounts")),
    path("fanservice/", include("inhouse.sources.fanservice.urls")),
    path("campaigns/", include("inhouse.campaigns.urls")),
    path("vendor/plotly.min.js", desk_view(plotly_js), name="plotly-js"),
    path("analytics/", include("inhouse.analytics.urls")),
    path("", include("inhouse.web.urls")),
]

handler404 = "inhouse.api.views.not_found"
