"""What feeds ingest from outside: importers of crawler exports, the demo scenario, the fake Weibo API."""
