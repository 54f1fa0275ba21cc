"""Alert channels configured per workspace, and the deliveries sent through them."""
