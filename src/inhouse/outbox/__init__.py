"""The publish queue: every write to Weibo (reply, comment, post) with its idempotency key."""
