"""The owner connects and re-authorises the workspace's Weibo accounts (OAuth2), and every
desk page shows a banner while an account waits for that.

Flow: POST ``connect`` (optionally for one account) stores a random ``state`` in the session
and redirects to Weibo's ``oauth2/authorize`` under ``WEIBO_API_BASE`` (the fake in the demo);
Weibo sends the browser back to ``callback`` with ``code`` and ``state``; the code is exchanged
for a token, which is stored encrypted with its expiry through
:func:`inhouse.pipeline.sync.mark_reauthorised` (audited, clears the re-authorisation flag).
All routes need ``Perm.TOKENS_MANAGE`` (the owner).

Wiring (lead): ``path("weibo-accounts/", include("inhouse.web.accounts"))`` in the project
URLs; ``"inhouse.web.accounts.reauth_banner"`` in the template context processors; and in
``web/base.html`` after the top bar:
``{% if reauth_accounts %}{% include "web/accounts_banner.html" %}{% endif %}``.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inhouse.access.permissions import Perm
from inhouse.core.models import Account
from inhouse.pipeline.sync import connect_account, mark_reauthorised
from inhouse.pipeline.sync_tasks import app_credentials
from inhouse.web.workspace import desk_view
from inhouse.weibo import oauth
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.errors import WeiboError
from inhouse.weibo.retry import RetryPolicy

log = logging.getLogger(__name__)
SESSION_KEY = "inhouse_weibo_oauth"


def oauth_http() -> httpx.Client:
    """The HTTP client for the code exchange (tests hand in one serving the fake)."""
    return httpx.Client(timeout=10.0)


def _redirect_uri(request: HttpRequest) -> str:
    return app_credentials().redirect_uri or request.build_absolute_uri(reverse("accounts:callback"))


def _fanservice_url(request: HttpRequest, account: Account) -> str:
    try:
        return request.build_absolute_uri(reverse("fanservice:receive", args=[account.pk]))
    except NoReverseMatch:
        return ""


def _page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    now = timezone.now()
    rows = []
    for account in Account.objects.filter(workspace=request.desk.workspace).order_by("screen_name"):
        expires = account.token_expires_at
        rows.append({
            "account": account,
            "connected": bool(account.token_encrypted),
            "expired": expires is not None and expires <= now,
            "fanservice_url": _fanservice_url(request, account) if account.is_enterprise else "",
        })
    configured = bool(app_credentials().client_id and app_credentials().client_secret)
    return render(request, "web/accounts.html", {
        "rows": rows, "error": error, "configured": configured,
        "api_base": settings.WEIBO_API_BASE, "redirect_uri": _redirect_uri(request),
    }, status=status)


@require_GET
@desk_view(perm=Perm.TOKENS_MANAGE)
def accounts(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@desk_view(perm=Perm.TOKENS_MANAGE)
def connect(request: HttpRequest) -> HttpResponse:
    """Send the owner to Weibo's authorize page, for one account or a new one."""
    credentials = app_credentials()
    if not (credentials.client_id and credentials.client_secret):
        return _page(request, error=_("Set WEIBO_APP_KEY and WEIBO_APP_SECRET (the Weibo app's "
                                      "credentials) before connecting an account."), status=400)
    account_id = request.POST.get("account") or None
    if account_id is not None:
        if not str(account_id).isdigit() or not Account.objects.filter(
                workspace=request.desk.workspace, pk=account_id).exists():
            return _page(request, error=_("No such account in this workspace."), status=400)
        account_id = int(account_id)
    state = oauth.new_state()
    request.session[SESSION_KEY] = {"state": state, "account": account_id,
                                    "workspace": request.desk.workspace.pk}
    # forcelogin: the browser may be logged in to Weibo as someone else.
    return redirect(oauth.authorize_url(settings.WEIBO_API_BASE, credentials.client_id,
                                        _redirect_uri(request), state, forcelogin=True))


@require_GET
@desk_view(perm=Perm.TOKENS_MANAGE)
def callback(request: HttpRequest) -> HttpResponse:
    """Weibo's redirect back: check the state, exchange the code, store the token."""
    pending: dict[str, Any] = request.session.pop(SESSION_KEY, None) or {}
    if request.GET.get("error") or request.GET.get("error_code"):
        reason = request.GET.get("error_description") or request.GET.get("error") or request.GET["error_code"]
        return _page(request, error=_("Weibo did not authorise the account: %(reason)s") % {"reason": reason[:200]})
    code, state = request.GET.get("code", ""), request.GET.get("state", "")
    if not pending or not state or state != pending.get("state") \
            or pending.get("workspace") != request.desk.workspace.pk:
        return _page(request, error=_("This authorisation was not started here or has already been "
                                      "used; start again with Connect or Re-authorise."))
    if not code:
        return _page(request, error=_("Weibo sent no authorisation code; start again."))
    credentials = app_credentials()
    screen_name = ""
    try:
        with oauth_http() as http:
            token = oauth.exchange_code(http, settings.WEIBO_API_BASE, credentials.client_id,
                                        credentials.client_secret, code, _redirect_uri(request))
            if not pending.get("account") and token.uid:
                screen_name = _screen_name(http, token)
    except WeiboError as error:
        log.warning("OAuth code exchange failed: %s", error)
        return _page(request, error=_("Weibo refused the authorisation code: %(error)s") % {"error": error})
    workspace = request.desk.workspace
    account = Account.objects.filter(workspace=workspace, pk=pending.get("account")).first() \
        if pending.get("account") else None
    if account is not None and token.uid and token.uid != account.platform_uid:
        return _page(request, error=_("You signed in to Weibo as uid %(uid)s, but this account is "
                                      "@%(name)s (uid %(expected)s). Sign in as that account and "
                                      "try again.") % {"uid": token.uid, "name": account.screen_name,
                                                       "expected": account.platform_uid})
    if account is None:
        if not token.uid:
            return _page(request, error=_("Weibo did not say which account was authorised."))
        account = connect_account(workspace, request.user, token.uid, screen_name or token.uid)
    mark_reauthorised(account, token.access_token, token.expires_at, actor=request.user, uid=token.uid)
    return redirect("accounts:list")


def _screen_name(http: httpx.Client, token: oauth.Token) -> str:
    """The new account's name from users/show; the uid stands in when Weibo will not say."""
    client = WeiboClient(token.access_token, base_url=settings.WEIBO_API_BASE, http=http,
                         retry=RetryPolicy(max_attempts=1, max_rate_limit_waits=0))
    try:
        return str(client.users_show(uid=token.uid).get("screen_name") or "")
    except WeiboError as error:
        log.info("users/show for the new account %s failed: %s", token.uid, error)
        return ""


def reauth_banner(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the accounts of the desk's workspace waiting for re-authorisation,
    for members who may re-authorise them (the owner); nothing for everyone else."""
    desk = getattr(request, "desk", None)  # set by desk_view on every desk page
    if desk is None or not desk.can(Perm.TOKENS_MANAGE):
        return {}
    waiting = list(Account.objects.filter(workspace=desk.workspace, reauth_required_at__isnull=False)
                   .order_by("screen_name"))
    return {"reauth_accounts": waiting} if waiting else {}


app_name = "accounts"
urlpatterns = [
    path("", accounts, name="list"),
    path("connect/", connect, name="connect"),
    path("callback/", callback, name="callback"),
]
