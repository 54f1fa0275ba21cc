"""WeCom (企业微信) group robot: text or markdown to a webhook whose ``key`` is the secret."""
