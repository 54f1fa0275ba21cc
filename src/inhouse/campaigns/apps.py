from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "inhouse.campaigns"
    label = "campaigns"
