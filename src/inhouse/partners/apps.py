from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "inhouse.partners"
    label = "partners"
