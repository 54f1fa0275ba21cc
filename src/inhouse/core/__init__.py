"""Core data model: workspaces, official accounts, authors and the one Item table."""
