"""The REST API: bearer tokens with scopes, JSON views under /api/v1/, its OpenAPI schema."""
