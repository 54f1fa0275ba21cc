"""The Celery application. `celery -A inhouse.worker worker -B` runs workers and beat."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inhouse.settings")

app = Celery("inhouse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["inhouse.pipeline"], related_name="sync_tasks")
app.autodiscover_tasks(["inhouse.core"], related_name="retention")


def _prepare_filesystem_broker() -> None:
    # kombu's filesystem transport expects its folders to exist.
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)


@app.on_configure.connect
def _on_configure(**_: object) -> None:
    _prepare_filesystem_broker()


@app.on_after_finalize.connect
def _schedule(sender: Celery, **_: object) -> None:
    from django.conf import settings

    sender.add_periodic_task(
        float(settings.ANALYZE_INTERVAL_SECONDS),
        sender.signature("pipeline.analyze_pending"),
        name="analyze pending items",
    )
    sender.add_periodic_task(
        float(settings.WEIBO_SYNC_INTERVAL_SECONDS),
        sender.signature("pipeline.sync_accounts"),
        name="sync official accounts from Weibo",
    )
    if settings.RETENTION_DAYS > 0:
        sender.add_periodic_task(86400.0, sender.signature("core.retention"),
                                 name="archive and delete items past INHOUSE_RETENTION_DAYS")
    sender.add_periodic_task(60.0, sender.signature("content.publish_due"),
                             name="publish scheduled posts")
    sender.add_periodic_task(6 * 3600.0, sender.signature("pipeline.retrain_workspace_models"),
                             name="retrain workspace models from operators' corrections")
    sender.add_periodic_task(60.0, sender.signature("outbox.send_pending"),
                             name="send queued Weibo writes")
    sender.add_periodic_task(60.0, sender.signature("inbox.alert_sla_breaches"),
                             name="alert conversations past their SLA")
    sender.add_periodic_task(15.0, sender.signature("channels.deliver_pending"),
                             name="deliver alert channels")
    sender.add_periodic_task(60.0, sender.signature("channels.escalate_unacknowledged"),
                             name="escalate unacknowledged alerts")
    sender.add_periodic_task(600.0, sender.signature("analytics.refresh_recent"),
                             name="analytics roll-ups of today and yesterday")
    sender.add_periodic_task(float(max(settings.ROLLUP_MIN_SECONDS, 5)),
                             sender.signature("analytics.refresh_stale"),
                             name="analytics roll-ups that routing marked stale")
    sender.add_periodic_task(3600.0, sender.signature("analytics.daily"),
                             name="fan snapshots and fan scores (once a day)")
    sender.add_periodic_task(900.0, sender.signature("analytics.send_due_reports"),
                             name="e-mail the daily and weekly reports when due")
