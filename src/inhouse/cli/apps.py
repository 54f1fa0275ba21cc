from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "inhouse.cli"
    label = "cli"
