from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "inhouse.web"
    label = "web"
