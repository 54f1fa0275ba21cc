from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "inhouse.monitoring"
    label = "monitoring"
