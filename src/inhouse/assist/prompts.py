"""What is sent to the provider, in one place so docs/ai.md can say exactly what leaves.

Sent: the task, the texts of the sources (knowledge-base questions and answers, evidence item
texts, the enterprise's approved statements, timeline entries) and, for a reply, the customer's
own words in that conversation. Never sent: user names, uids, follower counts, e-mail, notes,
tags, tokens, or anything of another conversation or incident.
"""

from __future__ import annotations

from collections.abc import Sequence

from inhouse.assist.grounding import Source

SYSTEM = (
    "你是企业官方微博运营团队的写作助手。只能使用下面“资料”里的内容，不得编造任何事实、数字、"
    "日期、产品名称、用户或评论。每一句包含事实的话后面必须用方括号标注所依据的资料编号，如[S1]。"
    "资料不足以回答时，只输出 NO_ANSWER。语气真诚、简洁，符合品牌口吻。"
)
MAX_SOURCE_CHARS = 400  # per source: keeps the prompt (and the bill) bounded

TASKS = {
    "reply": "为下面这位顾客的咨询写一条微博回复，140字以内，直接回答问题。",
    "statement": "为下面这起舆情事件写一份简短的官方回应（holding statement）：承认关注到情况，"
                 "说明正在核查和已采取的措施，不做资料之外的承诺。",
    "summary": "用几句话概括下面的事件经过或本周情况，每句标注依据的资料。",
}


def source_block(sources: Sequence[Source]) -> str:
    lines = []
    for s in sources:
        text = " ".join(s.text.split())[:MAX_SOURCE_CHARS]
        lines.append(f"[{s.label}] ({s.kind} {s.ref}): {text}")
    return "\n".join(lines)


def messages(task: str, sources: Sequence[Source], subject: str = "",
             voice: str = "") -> list[dict]:
    """The chat messages for ``task`` ("reply", "statement" or "summary")."""
    system = SYSTEM + (f"\n品牌口吻：{voice.strip()}" if voice.strip() else "")
    user = [f"TASK: {task}", TASKS[task]]
    if subject:
        user += ["", "对象：", subject.strip()]
    user += ["", "资料：", source_block(sources)]
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(user)}]
