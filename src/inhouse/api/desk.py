"""The owner's API-token page on the desk: issue a token for a member with scopes (the secret
is shown once), see when each was last used, revoke. Changes go through ``tokens``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inhouse.access.models import Membership
from inhouse.access.permissions import Perm
from inhouse.api import tokens
from inhouse.api.models import ApiToken
from inhouse.api.scopes import SCOPES
from inhouse.web.workspace import desk_view


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    user = forms.ModelChoiceField(label=gettext_lazy("Acts as"), queryset=None)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), widget=forms.CheckboxSelectMultiple,
        choices=[(k, f"{k} — {v[1]}") for k, v in SCOPES.items()])

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        ids = Membership.objects.filter(workspace=workspace).values("user_id")
        self.fields["user"].queryset = get_user_model().objects.filter(pk__in=ids)


@desk_view(perm=Perm.TOKENS_MANAGE)
def token_list(request: HttpRequest) -> HttpResponse:
    ws = request.desk.workspace
    form = TokenForm(request.POST or None, workspace=ws)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _token, secret = tokens.issue(data["user"], ws, data["scopes"], by=request.user,
                                          name=data["name"])
        except ValidationError as exc:
            for name, errs in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errs)
        else:
            form = TokenForm(workspace=ws)
    context = {"form": form, "secret": secret,
               "tokens": ApiToken.objects.filter(workspace=ws).select_related("user")}
    return render(request, "api/tokens.html", context)


@require_POST
@desk_view(perm=Perm.TOKENS_MANAGE)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(workspace=request.desk.workspace, pk=pk).first()
    if token is None:
        raise Http404(_("no such token in this workspace"))
    tokens.revoke(token, by=request.user)
    return redirect("api:tokens")
