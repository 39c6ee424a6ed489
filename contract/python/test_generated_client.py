"""The client OpenAPI Generator makes from openapi.yaml (generator `python`, as the seed's was)
works against serve-fake: the seed's client, made from Grafana's published spec, revokes with
DELETE and fails against a real Grafana."""

import json

import pytest

import grafanaApiClient
from grafanaApiClient.exceptions import (
    ApiException,
    ForbiddenException,
    NotFoundException,
    UnauthorizedException,
)
from grafanaApiClient.models.add_invite_form import AddInviteForm


def api(fake, token=None, user=None, password=None):
    """An OrgInvitesApi for the fake, with the credentials given (none by default)."""
    cfg = grafanaApiClient.Configuration(host=fake["url"] + "api")
    if token is not None:
        cfg.access_token = token
    if user is not None:
        cfg.username, cfg.password = user, password
    return grafanaApiClient.OrgInvitesApi(grafanaApiClient.ApiClient(cfg))


def message(exc):
    """Grafana's message in an error answer's JSON body."""
    return json.loads(exc.body)["message"]


def test_the_class_is_the_seeds():
    assert hasattr(grafanaApiClient, "OrgInvitesApi"), "the single tag org_invites names the class"
    for method in ("add_org_invite", "get_pending_org_invites", "revoke_invite", "get_invite_info_by_code", "complete_invite"):
        assert hasattr(grafanaApiClient.OrgInvitesApi, method)


def test_the_token_goes_as_http_bearer(fake):
    client = api(fake, token=fake["token"])
    auth = client.api_client.configuration.auth_settings()["bearer"]
    sent = {k: auth[k] for k in ("type", "in", "key", "value")}
    assert sent == {"type": "bearer", "in": "header", "key": "Authorization", "value": "Bearer " + fake["token"]}
    assert isinstance(client.get_pending_org_invites(), list)


def test_add_list_revoke_list(fake):
    client = api(fake, token=fake["token"])
    added = client.add_org_invite(AddInviteForm(login_or_email="py-gen@example.invalid", role="Editor", name="Py", send_email=False))
    assert added.message == "Created invite for py-gen@example.invalid"

    pending = [i for i in client.get_pending_org_invites() if i.email == "py-gen@example.invalid"]
    assert len(pending) == 1
    invite = pending[0]
    assert invite.role == "Editor"
    assert invite.name == "Py"
    assert len(invite.code) == 30 and invite.code.isalnum()
    assert invite.url.endswith("/invite/" + invite.code)
    assert invite.org_id == 1
    assert invite.email_sent is False

    revoked = client.revoke_invite(invite.code)  # PATCH, as every Grafana registers it
    assert revoked.message == "Invite revoked"
    assert all(i.code != invite.code for i in client.get_pending_org_invites())


def test_basic_auth_works_too(fake):
    client = api(fake, user=fake["user"], password=fake["password"])
    assert isinstance(client.get_pending_org_invites(), list)


def test_unknown_code_is_404_with_grafanas_message(fake):
    with pytest.raises(NotFoundException) as err:
        api(fake, token=fake["token"]).revoke_invite("0" * 30)
    assert err.value.status == 404
    assert message(err.value) == "Invite not found"


def test_the_two_412s_are_told_apart_by_their_body(fake):
    client = api(fake, token=fake["token"])
    with pytest.raises(ApiException) as member:
        client.add_org_invite(AddInviteForm(login_or_email="member", role="Viewer", send_email=False))
    assert member.value.status == 412
    assert message(member.value) == "User member is already added to organization"

    with pytest.raises(ApiException) as smtp:
        client.add_org_invite(AddInviteForm(login_or_email="py-smtp@example.invalid", role="Viewer", send_email=True))
    assert smtp.value.status == 412
    assert message(smtp.value).startswith("SMTP not configured")
    # The invite was saved all the same, without an email.
    saved = [i for i in client.get_pending_org_invites() if i.email == "py-smtp@example.invalid"]
    assert len(saved) == 1 and saved[0].email_sent is False
    client.revoke_invite(saved[0].code)


@pytest.mark.parametrize(
    "creds",
    [
        pytest.param({}, id="no credentials"),
        pytest.param({"token": "glsa_wrong0000000000000000000000000_00000000"}, id="a wrong token"),
        pytest.param({"user": "admin", "password": "not-the-password"}, id="a wrong password"),
    ],
)
def test_401(fake, creds):
    with pytest.raises(UnauthorizedException) as err:
        api(fake, **creds).get_pending_org_invites()
    assert err.value.status == 401


def test_403_for_a_viewer(fake):
    with pytest.raises(ForbiddenException) as err:
        api(fake, user="member", password="pw-member").get_pending_org_invites()
    assert err.value.status == 403


def test_the_invitee_accepts_without_credentials(fake):
    """ACCEPT-1, ACCEPT-2, ACCEPT-4: the invitee's two operations, with a client that has no
    credentials at all, then the new user signs in with Basic auth."""
    from grafanaApiClient.models.complete_invite_form import CompleteInviteForm

    admin = api(fake, token=fake["token"])
    admin.add_org_invite(AddInviteForm(login_or_email="py-accept@example.invalid", role="Editor", name="Acc", send_email=False))
    code = next(i.code for i in admin.get_pending_org_invites() if i.email == "py-accept@example.invalid")

    invitee = api(fake)
    info = invitee.get_invite_info_by_code(code)
    assert (info.email, info.name, info.username) == ("py-accept@example.invalid", "Acc", "py-accept@example.invalid")

    form = CompleteInviteForm(invite_code=code, email="py-accept@example.invalid", username="py-accept", password="py-accept-pw")
    done = invitee.complete_invite(form)
    assert done.message == "User created and logged in"
    assert done.id > 0
    assert all(i.email != "py-accept@example.invalid" for i in admin.get_pending_org_invites())

    with pytest.raises(ApiException) as again:
        invitee.complete_invite(form)
    assert again.value.status == 412
    assert message(again.value) == "Invite cannot be used in status Completed"
    with pytest.raises(NotFoundException):
        invitee.get_invite_info_by_code(code)
    with pytest.raises(ForbiddenException):
        api(fake, user="py-accept", password="py-accept-pw").get_pending_org_invites()
