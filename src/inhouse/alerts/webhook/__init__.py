"""Generic webhook: the alert as JSON to any URL, HMAC-SHA256-signed when a secret is set."""
