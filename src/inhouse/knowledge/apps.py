from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "inhouse.knowledge"
    label = "knowledge"
