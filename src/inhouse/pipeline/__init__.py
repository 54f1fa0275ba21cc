"""Pipeline: ingest -> analyze -> route, as plain functions over batches."""
