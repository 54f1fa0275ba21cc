"""Learning from the team: correct an item, retrain the workspace's model, roll it back.

Actions (each audited):
- ``correct_item(item, field, value, by=)`` stores a Correction and sets the item's field;
- ``retrain(workspace, by=)`` fits a new adapter version from the corrections and activates it;
- ``activate(workspace, version, by=)`` switches to an earlier version, or to the base (None).
The analyze stage calls ``apply_learning`` so a workspace's active version relabels its new
items, and a stored correction always wins over any re-analysis of that item.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from inhouse.access.actions import audit, role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.core.models import Intent, Item, Sentiment, Workspace
from inhouse.pipeline.models import Correction, CorrectionField, WorkspaceModel

# who may correct: whoever may answer customers (operators, owners); checked by the actions
CORRECT_PERM = Perm.INBOX_REPLY
ANCHORS = 3000  # uncorrected items, labelled with the base's answer, that anchor the fit
KEEP_VERSIONS = 20
VALUES = {CorrectionField.SENTIMENT: set(Sentiment.values), CorrectionField.INTENT: set(Intent.values)}


class LearningError(ValueError):
    """A correction or retrain that cannot be done as asked; the message says why."""


class NotAllowed(PermissionError):
    pass


def _require(user: AbstractBaseUser | None, workspace: Workspace) -> None:
    if user is None:  # system (scheduled task, CLI)
        return
    role = role_of(user, workspace)
    if not role_has(role, CORRECT_PERM):
        raise NotAllowed(f"{getattr(user, 'username', user)} ({role or 'no role'}) may not "
                         f"correct or retrain the analysis in {workspace}")


def correct_item(item: Item, field: str, value: str, *, by: AbstractBaseUser | None) -> Correction:
    """Set ``item.<field>`` to ``value`` as an operator's correction (stored and audited)."""
    if field not in VALUES:
        raise LearningError(f"field {field!r}: only {', '.join(sorted(VALUES))} can be corrected")
    if value not in VALUES[field]:
        raise LearningError(f"{field} {value!r}: expected one of {', '.join(sorted(VALUES[field]))}")
    _require(by, item.workspace)
    before = getattr(item, field)
    with transaction.atomic():
        correction = Correction.objects.create(workspace=item.workspace, item=item, field=field,
                                               before=before, after=value, by=by)
        Item.objects.filter(pk=item.pk).update(**{field: value})
        setattr(item, field, value)
        audit(item.workspace, by, "nlp.correct", f"item:{item.pk}",
              before={field: before}, after={field: value})
    return correction


def latest_corrections(workspace: Workspace) -> dict[tuple[int, str], str]:
    """(item id, field) -> the latest value an operator gave it."""
    out: dict[tuple[int, str], str] = {}
    for item_id, field, after in (Correction.objects.filter(workspace=workspace)
                                  .order_by("at", "pk").values_list("item_id", "field", "after")):
        out[(item_id, field)] = after
    return out


def _base_labels(texts: list[str]) -> list[dict[str, str]]:
    from inhouse import nlp

    return [{"intent": r.intent, "sentiment": r.sentiment} for r in nlp.analyze_texts(texts)]


def training_examples(workspace: Workspace, anchors: int = ANCHORS, seed: int = 20240611) -> list:
    """Corrected items with their operators' labels, plus a seeded sample of other analysed
    items labelled with the base's own answer. The base labels are recomputed (not read from
    the items, which may hold corrections or an earlier adapter's output)."""
    from inhouse.nlp.intent_adapt import Example

    latest = latest_corrections(workspace)
    corrected_ids = sorted({item_id for item_id, _ in latest})
    others = list(Item.objects.filter(workspace=workspace, analyzed_at__isnull=False)
                  .exclude(pk__in=corrected_ids).exclude(text="").order_by("pk").values_list("pk", flat=True))
    rng = random.Random(seed)
    sample = sorted(rng.sample(others, min(anchors, len(others))))
    texts = dict(Item.objects.filter(pk__in=corrected_ids + sample).values_list("pk", "text"))
    ids = [i for i in corrected_ids + sample if texts.get(i)]
    base = _base_labels([texts[i] for i in ids])
    examples = []
    for item_id, labels in zip(ids, base, strict=True):
        target = dict(labels)
        corrected = set()
        for field in VALUES:
            if (item_id, field) in latest:
                target[field] = latest[(item_id, field)]
                corrected.add(str(field))
        examples.append(Example(texts[item_id], labels, target, frozenset(corrected)))
    return examples


def retrain(workspace: Workspace, *, by: AbstractBaseUser | None = None) -> WorkspaceModel:
    """Fit a new adapter version from the workspace's corrections and make it active."""
    from inhouse.nlp.intent_adapt import fit_adapter

    _require(by, workspace)
    examples = training_examples(workspace)
    n_corrections = sum(len(e.corrected) for e in examples)
    if not n_corrections:
        raise LearningError("no corrections yet: correct some items' sentiment or intent first")
    with transaction.atomic():
        # lock the workspace row so two retrains cannot take the same version number
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
        version = (WorkspaceModel.objects.filter(workspace=workspace).aggregate(v=Max("version"))["v"] or 0) + 1
        adapter = fit_adapter(examples, header={"version": f"v{version}", "workspace": workspace.pk})
        metrics = _fit_metrics(adapter, examples)
        header, blob = adapter.to_bytes()
        WorkspaceModel.objects.filter(workspace=workspace, active=True).update(active=False)
        model = WorkspaceModel.objects.create(workspace=workspace, version=version, header=header,
                                              arrays=blob, corrections=n_corrections, metrics=metrics,
                                              active=True, created_by=by)
        audit(workspace, by, "nlp.retrain", f"workspace-model:v{version}",
              after={"version": version, "corrections": n_corrections, **metrics})
        _prune(workspace)
    return model


def _fit_metrics(adapter: Any, examples: list) -> dict[str, Any]:
    """How often the base and the new version agree with the corrections they learned from."""
    from inhouse.nlp.textnorm import normalize_many

    corrected = [e for e in examples if e.corrected]
    norm = normalize_many([e.text for e in corrected])
    base = {h: [e.base.get(h, "") for e in corrected] for h in ("intent", "sentiment")}
    pred = adapter.predict(norm, base)
    out: dict[str, Any] = {}
    for head, labels in pred.items():
        rows = [i for i, e in enumerate(corrected) if head in e.corrected]
        if rows:
            out[f"{head}_corrections"] = len(rows)
            out[f"{head}_base_agrees"] = sum(base[head][i] == corrected[i].target[head] for i in rows)
            out[f"{head}_model_agrees"] = sum(labels[i] == corrected[i].target[head] for i in rows)
    return out


def _prune(workspace: Workspace) -> None:
    old = list(WorkspaceModel.objects.filter(workspace=workspace, active=False)
               .order_by("-version").values_list("pk", flat=True)[KEEP_VERSIONS:])
    WorkspaceModel.objects.filter(pk__in=old).delete()


def activate(workspace: Workspace, version: int | None, *, by: AbstractBaseUser | None = None
             ) -> WorkspaceModel | None:
    """Make ``version`` the active model (roll back or forward); None returns to the base."""
    _require(by, workspace)
    with transaction.atomic():
        before = WorkspaceModel.objects.filter(workspace=workspace, active=True).values_list("version", flat=True).first()
        target = None
        if version is not None:
            target = WorkspaceModel.objects.filter(workspace=workspace, version=version).first()
            if target is None:
                raise LearningError(f"workspace {workspace} has no model version {version}")
        WorkspaceModel.objects.filter(workspace=workspace, active=True).update(active=False)
        if target is not None:
            WorkspaceModel.objects.filter(pk=target.pk).update(active=True)
            target.active = True
        audit(workspace, by, "nlp.activate", f"workspace-model:{f'v{version}' if version else 'base'}",
              before={"version": before}, after={"version": version})
    return target


_cache: dict[int, Any] = {}  # WorkspaceModel pk -> Adapter (versions never change once stored)
_lock = threading.Lock()


def active_adapter(workspace_id: int) -> Any | None:
    """The workspace's active adapter, loaded once per process, or None (the base)."""
    from inhouse.nlp.intent_adapt import Adapter

    row = (WorkspaceModel.objects.filter(workspace_id=workspace_id, active=True)
           .values_list("pk", "header").first())
    if row is None:
        return None
    pk, header = row
    with _lock:
        if pk not in _cache:
            blob = WorkspaceModel.objects.filter(pk=pk).values_list("arrays", flat=True).first()
            _cache[pk] = Adapter.from_bytes(header, bytes(blob))
        return _cache[pk]


def apply_learning(workspace_id: int, item_ids: Sequence[int], texts: Sequence[str],
                   results: Sequence[Any]) -> list[Any]:
    """The analyze stage's hook: the active adapter's labels, then the operators' own
    corrections (a corrected item keeps its correction however often it is re-analysed).
    ``item_ids`` is empty for texts not stored yet: they have no corrections to look up."""
    from dataclasses import replace

    out = list(results)
    adapter = active_adapter(workspace_id)
    if adapter is not None:
        out = adapter.apply(texts, out)
    if not item_ids:
        return out
    corrections = {}
    for item_id, field, after in (Correction.objects.filter(item_id__in=list(item_ids))
                                  .order_by("at", "pk").values_list("item_id", "field", "after")):
        corrections.setdefault(item_id, {})[field] = after
    if corrections:
        out = [replace(r, **corrections[i]) if i in corrections else r
               for i, r in zip(item_ids, out, strict=True)]
    return out


def reanalyze(workspace: Workspace, limit: int = 50000) -> int:
    """Re-run the analyze stage over the workspace's latest items (after a retrain or rollback)."""
    from inhouse.pipeline.analyze import analyze_items

    ids = list(Item.objects.filter(workspace=workspace).order_by("-created_at")
               .values_list("pk", flat=True)[:limit])
    return analyze_items(ids)


# Celery tasks: defined here (not in a tasks module) so they register wherever the analyze
# stage is imported, which every worker does.
@shared_task(name="pipeline.reanalyze_workspace")
def reanalyze_task(workspace_id: int) -> int:
    """After an on-demand retrain or a rollback from the desk: relabel the latest items."""
    return reanalyze(Workspace.objects.get(pk=workspace_id))


@shared_task(name="pipeline.retrain_workspace_models")
def retrain_due_task() -> dict[str, int]:
    """Scheduled: retrain every workspace with corrections newer than its latest version,
    then relabel its latest items."""
    done = {}
    for workspace in Workspace.objects.filter(corrections__isnull=False).distinct():
        # newer than the latest version, active or not: a team that rolled back on purpose
        # keeps its choice until it corrects something new
        latest = WorkspaceModel.objects.filter(workspace=workspace).order_by("-version").first()
        newer = Correction.objects.filter(workspace=workspace)
        if latest is not None:
            newer = newer.filter(at__gt=latest.created_at)
        if not newer.exists():
            continue
        model = retrain(workspace)
        reanalyze(workspace)
        done[workspace.slug] = model.version
    return done
