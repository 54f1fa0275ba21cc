"""AI assistance: drafts grounded in what the workspace holds, every claim traced (issue 10)."""
