"""Alert reasons and incident titles in the reader's language, from the numbers stored with them.

Detectors store an English ``reason`` (the replay output, unchanged) and the numbers behind it
in ``data``; the desk, the report, the API and the alert channels say the same sentence with
gettext in the active language. A row without the numbers it needs (made before they were
stored) shows its stored English text instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

BURST_KEYS = ("count", "topic", "window_minutes", "weekday", "local_time", "expected", "ratio",
              "p_value", "alpha")
VIRAL_KEYS = ("post_id", "author", "in_window", "window_minutes", "reposts", "age_minutes",
              "posted", "max_depth", "verified", "reach", "key_reposter_info")
EMERGING_KEYS = ("term", "topic", "recent", "recent_total", "window_minutes", "authors",
                 "baseline", "baseline_total", "baseline_days", "ratio", "g2", "also")


def alert_language() -> str:
    """The language pushed alerts (WeCom, DingTalk, e-mail…) are written in: there is no reader
    to ask, so the workspace default, ``MONITORING_ALERT_LANGUAGE`` or else ``LANGUAGE_CODE``."""
    return getattr(settings, "MONITORING_ALERT_LANGUAGE", "") or settings.LANGUAGE_CODE


def _minutes(n: float) -> str:
    return ngettext("%(n)s minute", "%(n)s minutes", int(n)) % {"n": f"{n:g}"}


def _burst(d: Mapping[str, Any]) -> str:
    first = ngettext(
        "%(count)d negative item about %(topic)s in %(window)s",
        "%(count)d negative items about %(topic)s in %(window)s", d["count"],
    ) % {"count": d["count"], "topic": d["topic"], "window": _minutes(d["window_minutes"])}
    usual = _("usual for %(when)s is %(expected)s (%(ratio)sx)") % {
        "when": f"{WEEKDAYS_ABBR[int(d['weekday'])]} {d['local_time']}",
        "expected": f"{d['expected']:.2f}", "ratio": f"{d['ratio']:.0f}"}
    chance = _("Chance under the usual rate p=%(p)s, below the false-alarm rate %(alpha)s.") % {
        "p": f"{d['p_value']:.1e}", "alpha": f"{d['alpha']:g}"}
    return _("%(first)s; %(usual)s. %(chance)s") % {"first": first, "usual": usual,
                                                   "chance": chance}


def _viral(d: Mapping[str, Any]) -> str:
    post = (_("Post %(post)s by @%(author)s") if d["author"] else _("Post %(post)s")) % {
        "post": d["post_id"], "author": d["author"]}
    since = (_("%(minutes)s after it was posted") if d["posted"]
             else _("%(minutes)s after its first repost seen")) % {
        "minutes": _minutes(round(d["age_minutes"]))}
    parts = [
        ngettext("%(n)d repost in the last %(window)s", "%(n)d reposts in the last %(window)s",
                 d["in_window"]) % {"n": d["in_window"], "window": _minutes(d["window_minutes"])},
        _("%(n)d in all") % {"n": d["reposts"]},
        since,
    ]
    more = [
        ngettext("chains up to %(n)d deep", "chains up to %(n)d deep", d["max_depth"])
        % {"n": d["max_depth"]},
        ngettext("%(n)d verified reposter", "%(n)d verified reposters", d["verified"])
        % {"n": d["verified"]},
        _("reposters' reach %(n)s followers") % {"n": f"{d['reach']:,}"},
    ]
    text = _("%(post)s is spreading: %(facts)s; %(more)s.") % {
        "post": post, "facts": _(", ").join(parts), "more": _(", ").join(more)}
    who = []
    for r in d["key_reposter_info"]:
        label = (ngettext("%(n)s follower, verified", "%(n)s followers, verified", r["followers"])
                 if r["verified"] else
                 ngettext("%(n)s follower", "%(n)s followers", r["followers"])
                 ) % {"n": f"{r['followers']:,}"}
        who.append(f"@{r['name'] or r['id']} ({label})")
    if who:
        text += " " + _("Key reposters: %(who)s.") % {"who": _(", ").join(who)}
    return text


def _emerging(d: Mapping[str, Any]) -> str:
    days = d["baseline_days"]
    text = _(
        "“%(term)s” appears beside %(topic)s in %(recent)d of the last %(total)d negative items "
        "(%(window)s, %(people)s), against %(baseline)d of %(baseline_total)d items in the "
        "previous %(days)s: %(ratio)sx as frequent, G²=%(g2)s."
    ) % {
        "term": d["term"], "topic": d["topic"], "recent": d["recent"], "total": d["recent_total"],
        "window": _minutes(d["window_minutes"]),
        "people": ngettext("%(n)d person", "%(n)d people", d["authors"]) % {"n": d["authors"]},
        "baseline": d["baseline"], "baseline_total": d["baseline_total"],
        "days": ngettext("%(n)s day", "%(n)s days", int(days)) % {"n": f"{days:g}"},
        "ratio": f"{d['ratio']:.0f}", "g2": f"{d['g2']:.1f}",
    }
    if d["also"]:
        text += " " + _("Also rising: %(words)s.") % {"words": _(", ").join(d["also"])}
    return text


_RENDER: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, Any]], str]]] = {
    "burst": (BURST_KEYS, _burst),
    "viral": (VIRAL_KEYS, _viral),
    "emerging": (EMERGING_KEYS, _emerging),
}


def alert_reason(alert: Any) -> str:
    """The alert's reason in the active language; its stored English reason when the numbers it
    needs were not stored. Takes a stored ``models.Alert`` or a detector's ``detect.Alert``."""
    data = alert.data if isinstance(getattr(alert, "data", None), Mapping) else {}
    render = _RENDER.get(alert.kind)
    if render is None or any(key not in data for key in render[0]):
        return alert.reason
    try:
        return render[1](data)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return alert.reason  # numbers of an unexpected shape: never fail a page over wording


def kind_label(kind: str) -> str:
    return {"burst": _("Burst of negative talk"), "viral": _("Post spreading fast"),
            "emerging": _("Emerging term")}.get(kind, kind)


def title_data(alert: Any, topic_name: str) -> dict[str, Any]:
    """What an incident's title is made of, stored with the incident (Incident.title_data)."""
    data = alert.data if isinstance(getattr(alert, "data", None), Mapping) else {}
    return {"topic": topic_name, "kind": alert.kind, "term": data.get("term") or ""}


def title_from(parts: Mapping[str, Any]) -> str:
    text = _("%(topic)s: %(label)s") % {"topic": parts["topic"],
                                         "label": kind_label(parts["kind"])}
    return text + (f" “{parts['term']}”" if parts.get("term") else "")


def incident_title(incident: Any) -> str:
    """The incident's title in the active language; its stored title for rows made before the
    parts were stored."""
    parts = getattr(incident, "title_data", None)
    if not isinstance(parts, Mapping) or not parts.get("topic") or parts.get("kind") not in _RENDER:
        return incident.title
    return title_from(parts)
