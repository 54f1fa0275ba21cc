"""The web desk: Django templates with htmx."""
