"""The URL bound in the Fan Service Platform's developer mode, one per account.

GET (binding): a valid signature gets ``echostr`` back as plain text. POST (a message or an
event): a valid signature, a readable body addressed to this account; a message is stored
(idempotently) and the answer is an empty 200, which the platform reads as "no passive reply"
(the team answers from the inbox through ``messages/reply``). Events are acknowledged and not
stored. Every refusal is a JSON ``{"error", "field"}`` with 400 (bad body), 403 (signature),
404 (no such account) or 503 (no app secret configured); never a 500 on bad input.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from inhouse.core.models import Account
from inhouse.pipeline.sync_tasks import app_credentials
from inhouse.sources.fanservice.actions import receive_message
from inhouse.weibo.fanservice import PushError, parse_push, verify

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024  # a private message is small; refuse anything far larger


def _refuse(field: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message, "field": field}, status=status,
                        json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, account_id: int) -> HttpResponse:
    account = Account.objects.filter(pk=account_id, platform="weibo").select_related("workspace").first()
    if account is None:
        return _refuse("account", f"no Weibo account {account_id} on this desk", 404)
    secret = app_credentials().client_secret
    if not secret:
        return _refuse("WEIBO_APP_SECRET", "the desk has no Weibo app secret configured", 503)
    try:
        verify(secret, request.GET)
    except PushError as error:
        log.warning("fan-service push to account %s refused: %s", account.pk, error)
        return _refuse(error.field, error.message, error.status)
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain; charset=utf-8")
    if len(request.body) > MAX_BODY:
        return _refuse("(body)", f"over {MAX_BODY} bytes", 400)
    try:
        push = parse_push(request.body)
    except PushError as error:
        return _refuse(error.field, error.message, error.status)
    if push.receiver_id != account.platform_uid:
        return _refuse("receiver_id", f"{push.receiver_id} is not this account's uid "
                                      f"({account.platform_uid})", 400)
    if push.is_event:
        return HttpResponse("", content_type="text/plain")
    report = receive_message(account, push)
    if report.rejected:
        first = report.rejected[0]
        return _refuse(first.field, first.message, 400)
    return HttpResponse("", content_type="text/plain")
