"""A local fake of an OpenAI-compatible chat API, shipped for tests and the demo.

``FakeChat(script)`` is a WSGI app: serve it with ``inhouse fake-chat`` or hand it to
``httpx.WSGITransport``. Without a matching script rule it answers *grounded*: it repeats the
first source the prompt gave, with its citation, so the demo shows sensible drafts. Script rules
answer fixed text (including text that invents a fact, to prove the tracing check catches it)
or an HTTP error, once or every time.
"""

from inhouse.assist.fake_chat.app import FakeChat, Rule, load_script

__all__ = ["FakeChat", "Rule", "load_script"]
