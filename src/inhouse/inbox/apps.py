from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inhouse.inbox"
    label = "inbox"
