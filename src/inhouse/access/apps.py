from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "inhouse.access"
    label = "access"
