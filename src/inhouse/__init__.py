"""inhouse: the desk from which an enterprise's own team runs its official Weibo account."""

__version__ = "0.1.0"
