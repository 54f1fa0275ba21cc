"""DingTalk (钉钉) custom robot: markdown with @mentions; optional HMAC signing and keyword."""
