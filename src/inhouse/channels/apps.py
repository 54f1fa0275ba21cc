from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "inhouse.channels"
    label = "channels"
