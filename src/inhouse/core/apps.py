from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inhouse.core"
    label = "core"
