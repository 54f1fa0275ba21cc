from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "inhouse.content"
    label = "content"
