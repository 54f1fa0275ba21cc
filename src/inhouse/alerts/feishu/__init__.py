"""Feishu / Lark custom bot: rich-text post; optional signing (in the body) and keyword."""
