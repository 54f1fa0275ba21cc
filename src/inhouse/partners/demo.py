"""The demo's partner directory: the co-branding partner, industry figures and media of the
demo week, a competitor and a regulator, with owners from the demo team.

Called by the demo loader before the week is routed, so the radar sees the partner's and
the industry's interactions as they arrive. Idempotent: a workspace with a directory is left
alone. The businesses that write in with cooperation offers are deliberately *not* listed:
they are found by their intent, as strangers are.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from inhouse.core.models import Workspace
from inhouse.partners import actions
from inhouse.partners.models import Category, Contact

# Accounts that do not write in the demo week (uids outside the week's cast).
COMPETITOR = ("鹿鸣坚果", "7390000031", "鹿鸣坚果官方旗舰店")
REGULATOR = ("杭州市市场监督管理局", "7390000032", "杭州市场监管")


@transaction.atomic
def seed_demo_directory(workspace: Workspace, owner: AbstractBaseUser,
                        operator: AbstractBaseUser) -> list[Contact]:
    """The directory of the demo brand (once); the operator owns partner and media relations."""
    if Contact.objects.filter(workspace=workspace).exists():
        return []
    from inhouse.sources.demo import people

    rows = (
        (people.PARTNER, Category.PARTNER, operator, "暖冬零食节联名伙伴"),
        (people.FOOD_BLOGGER, Category.INDUSTRY, operator, "美食博主，接商务合作"),
        (people.RETAIL_EXPERT, Category.INDUSTRY, owner, "零售分析师"),
        (people.INDUSTRY_MEDIA, Category.MEDIA, owner, "行业媒体"),
        (people.APPLIANCE_MEDIA, Category.MEDIA, operator, "家电行业媒体（伙伴所在行业）"),
        (people.LOCAL_MEDIA, Category.MEDIA, owner, "本地媒体；舆情期间优先回应"),
    )
    made = [actions.add_contact(workspace, owner, name=p.screen_name, category=category,
                                weibo_uid=p.uid, weibo_name=p.screen_name, owner=who, notes=notes)
            for p, category, who, notes in rows]
    for (name, uid, screen_name), category in ((COMPETITOR, Category.COMPETITOR),
                                               (REGULATOR, Category.REGULATOR)):
        made.append(actions.add_contact(workspace, owner, name=name, category=category,
                                        weibo_uid=uid, weibo_name=screen_name, owner=owner))
    actions.set_default_owner(workspace, owner, operator)
    return made
