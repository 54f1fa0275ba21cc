"""``{% latest_ai_draft conversation "reply" as draft %}`` and ``{{ draft|cited }}`` for the desk."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from inhouse.assist.drafts import latest
from inhouse.assist.grounding import CITE
from inhouse.assist.models import AssistDraft

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_ai_draft(context, obj, kind: str) -> AssistDraft | None:
    """The newest draft of ``kind`` for a conversation or an incident of this desk."""
    desk = context.get("request") and getattr(context["request"], "desk", None)
    if desk is None or obj is None:
        return None
    return latest(desk.workspace, f"{obj._meta.model_name}:{obj.pk}", kind)


def _source_link(draft: AssistDraft, label: str) -> str:
    source = next((s for s in draft.sources if s["label"] == label), None)
    if source is None:
        return format_html('<span class="cite cite-unknown" title="?">[{}]</span>', label)
    url = ""
    try:
        if source["kind"] == "kb":
            url = reverse("knowledge:entry", args=[int(source["ref"])])
        elif source["kind"] == "item":
            from inhouse.core.models import Item

            item = Item.objects.filter(workspace=draft.workspace,
                                       platform_id=source["ref"]).only("pk").first()
            url = reverse("web:item", args=[item.pk]) if item else ""
    except (NoReverseMatch, ValueError):
        url = ""
    title = source["text"][:120]
    if url:
        return format_html('<a class="cite" href="{}" title="{}">[{}]</a>', url, title, label)
    return format_html('<span class="cite" title="{}">[{}]</span>', title, label)


@register.filter
def cited(draft: AssistDraft) -> SafeString:
    """The draft's text, escaped, with citations as links to their sources and the claims
    that trace to nothing marked."""
    text = draft.text
    spans = sorted((u["start"], u["end"]) for u in (draft.trace or {}).get("untraced", []))
    out: list[str] = []
    pos = 0

    def piece(chunk: str) -> str:
        parts, last = [], 0
        for m in CITE.finditer(chunk):
            parts.append(escape(chunk[last:m.start()]))
            parts.append(_source_link(draft, m.group(1)))
            last = m.end()
        parts.append(escape(chunk[last:]))
        return "".join(parts)

    for start, end in spans:
        if start < pos:
            continue
        out.append(piece(text[pos:start]))
        out.append('<mark class="untraced">' + piece(text[start:end]) + "</mark>")
        pos = end
    out.append(piece(text[pos:]))
    return mark_safe("".join(out))  # every piece above is escaped or built by format_html


@register.simple_tag(takes_context=True)
def desk_can(context, perm: str) -> bool:
    """``{% desk_can "content.publish" as may %}``: the viewer's role holds ``perm``."""
    from inhouse.access.permissions import Perm

    desk = context.get("request") and getattr(context["request"], "desk", None)
    return bool(desk is not None and desk.can(Perm(perm)))


@register.simple_tag(takes_context=True)
def ai_draft_for(context, subject: str, kind: str) -> AssistDraft | None:
    """``{% ai_draft_for "report:weekly:2026-11-20" "summary" as draft %}``."""
    desk = context.get("request") and getattr(context["request"], "desk", None)
    return latest(desk.workspace, subject, kind) if desk is not None else None
