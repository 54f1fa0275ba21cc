from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "inhouse.pipeline"
    label = "pipeline"

    def ready(self) -> None:
        # Bind shared tasks to our Celery app in every process (web, CLI, worker), so that
        # .delay() goes to the configured broker and not Celery's default.
        import inhouse.worker  # noqa: F401
