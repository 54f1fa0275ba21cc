"""The knowledge window (see DESIGN.md); its models and actions arrive with its issue."""
