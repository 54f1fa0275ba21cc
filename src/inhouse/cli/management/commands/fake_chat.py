"""`inhouse fake-chat`: serve the shipped fake of an OpenAI-compatible chat API."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from inhouse.assist.fake_chat import FakeChat, load_script


class Command(BaseCommand):
    help = ("Serve a local fake of an OpenAI-compatible chat API (POST /v1/chat/completions) "
            "for trying AI assistance without a provider. Without a script it answers grounded: "
            "the first source of the prompt, cited. See docs/ai.md.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8901)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--script", default="",
                            help='JSON list of rules: [{"when": "regex", "reply": "...", '
                                 '"status": 200, "times": 1}]')
        parser.add_argument("--api-key", default="", help="require this bearer key")

    def handle(self, *args, **o):
        try:
            rules = load_script(o["script"]) if o["script"] else []
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        from waitress import serve

        app = FakeChat(rules, api_key=o["api_key"])
        self.stdout.write(f"fake chat API at http://{o['host']}:{o['port']}/v1 "
                          f"({len(rules)} scripted rules); Ctrl-C stops it")
        serve(app, host=o["host"], port=o["port"], threads=4, _quiet=True)
