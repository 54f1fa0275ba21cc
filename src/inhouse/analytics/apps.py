from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "inhouse.analytics"
    label = "analytics"
