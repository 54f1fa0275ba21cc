from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "inhouse.outbox"
    label = "outbox"
