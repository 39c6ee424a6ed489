"""Schemathesis hooks for make contract-schemathesis. Where Grafana is lenient in a way
docs/grafana-behaviour.md records, a request schemathesis generates as invalid is answered
like a valid one; these hooks declare exactly those answers, each naming its row. Every other
failure stands."""

import schemathesis

ORG_HEADER = "X-Grafana-Org-Id"
ROLES = ("None", "Viewer", "Editor", "Admin")


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if failure.code == "ST204":
        return not _not_found_for_any_method(response)
    if failure.code == "ST201":
        return not _grafana_accepts(case)
    if failure.code in ("ST101", "ST202"):
        return not _refused_by_state(case, response)
    return True


# What completeInvite refuses though the request matches the schema: the answer depends on
# the invite's state or on Go's address parser, not on the request's shape.
#   ACCEPT-3: an email Go's net/mail cannot parse (`format: email` is loose) is 400;
#   ACCEPT-4: an invite no longer pending is 412 "Invite cannot be used in status …";
#   ACCEPT-5: another address than the invite's is 400;
#   ACCEPT-6: an email or username taken is 412 "User with email … already exists", and a
#   password Grafana's policy refuses (the negative phase sends short ones) is its 500
#   "failed to create user".
STATE_REFUSALS = {
    400: ("Invalid email address provided", "The provided email is different from the address that is found in the invite"),
    412: ("Invite cannot be used in status ", "User with email "),
    500: ("failed to create user",),
}


def _refused_by_state(case, response):
    if (case.operation.method.upper(), case.operation.path) != ("POST", "/user/invite/complete"):
        return False
    try:
        message = response.json().get("message", "")
    except (ValueError, AttributeError):
        return False
    return any(message.startswith(m) for m in STATE_REFUSALS.get(response.status_code, ()))


def _not_found_for_any_method(response):
    # OP-1: "Any other method or unknown path is 404 {"message":"Not found"} (no 405)."
    # Grafana's router has no 405: an undeclared method is answered so, and with nothing else.
    if response.status_code != 404:
        return False
    try:
        return response.json() == {"message": "Not found"}
    except ValueError:
        return False


def _grafana_accepts(case):
    """Whether Grafana takes the request as valid, by the rows of docs/grafana-behaviour.md,
    though it breaks the contract's schema somewhere."""
    # ORG-2: "Else the header X-Grafana-Org-Id; a value that is not an integer is ignored."
    # Any value of it is accepted (the request then acts on the default organisation), so it
    # decides nothing here. HTTP-1: unknown headers are ignored too.
    method = case.operation.method.upper()
    if method == "POST":
        return _accepted_invite_form(case.body)
    if method == "PATCH":
        # An invalid invitation code is never accepted (REV-1: 404): only a code of the
        # contract's pattern, with a lenient header, may be answered 200.
        code = (case.path_parameters or {}).get("invitation_code")
        return isinstance(code, str) and 0 < len(code) <= 255 and code.isascii() and code.isalnum()
    return True  # the list reads nothing but the header


def _accepted_invite_form(body):
    # ADD-1: loginOrEmail required, not ""; role required, not null, "" means Viewer and only
    # the first letter is upper-cased (`viewer` works, `VIEWER` is 400).
    # ADD-15: name and sendEmail may be null. Keys the form does not know are ignored, as
    # Go's JSON decoding ignores them.
    if not isinstance(body, dict):
        return False
    login, role = body.get("loginOrEmail"), body.get("role")
    if not isinstance(login, str) or login == "":
        return False
    if not isinstance(role, str) or not (role == "" or role[:1].upper() + role[1:] in ROLES):
        return False
    if "name" in body and not (body["name"] is None or isinstance(body["name"], str)):
        return False
    return "sendEmail" not in body or body["sendEmail"] is None or isinstance(body["sendEmail"], bool)
