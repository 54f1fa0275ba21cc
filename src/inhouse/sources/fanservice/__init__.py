"""The Fan Service Platform receiver: Weibo pushes an enterprise account's private messages
to ``/fanservice/<account id>/``; see :mod:`inhouse.sources.fanservice.views`."""
