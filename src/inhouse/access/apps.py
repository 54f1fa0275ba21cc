from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "inhouse.access"
    label = "access"

    def ready(self) -> None:
        from inhouse.access import login  # noqa: F401 - connects the login audit signals
