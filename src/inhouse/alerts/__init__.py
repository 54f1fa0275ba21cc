"""Alert channels: how a message reaches the team where it already is.

A plain package (no Django): one folder per channel kind, all the same shape —
``transport.py`` (the HTTP or SMTP call and the error classification) and ``payloads.py``
(pure functions building the body and the signature). :mod:`inhouse.alerts.registry` loads a
kind on first use. The ``channels`` Django app stores configurations and deliveries and calls
these transports; see docs/alerts.md.
"""

from inhouse.alerts.base import Field, Message, Severity, Transport, TransportError

__all__ = ["Field", "Message", "Severity", "Transport", "TransportError"]
