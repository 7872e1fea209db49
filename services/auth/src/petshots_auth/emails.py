"""The e-mails the identity service sends: codes and account notices (text + HTML).

Codes appear in the body only (never in a subject line, which lock-screen previews show).
"""

from __future__ import annotations

from html import escape

from petshots_core.mail import Email

_HTML = """<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:32rem">
<h1 style="font-size:1.25rem">{title}</h1>{body}
<p style="color:#666;font-size:.85rem">Petshots &middot; vaccination records for your pets</p>
</body></html>"""


def _html(title: str, first: str, *rest: str, code: str | None = None) -> str:
    """Paragraphs, with the code (if any) set large right after the first one."""
    body = f"<p>{escape(first)}</p>"
    if code is not None:
        body += (
            f'<p style="font-size:1.75rem;letter-spacing:.3rem;font-weight:bold">{escape(code)}</p>'
        )
    body += "".join(f"<p>{escape(p)}</p>" for p in rest)
    return _HTML.format(title=escape(title), body=body)


def confirmation_code(to: str, code: str, base_url: str) -> Email:
    title = "Confirm your e-mail address"
    lines = (
        "Welcome to Petshots. Enter this code to confirm your e-mail address:",
        "The code is valid for 24 hours. If you did not sign up, ignore this e-mail.",
    )
    return Email(
        to=to,
        subject="Your Petshots confirmation code",
        text=f"{lines[0]}\n\n    {code}\n\n{lines[1]}\n\n{base_url}\n",
        html=_html(title, *lines, code=code),
    )


def account_exists(to: str, base_url: str) -> Email:
    lines = (
        "Someone (maybe you) tried to create a Petshots account with this e-mail address, "
        "but you already have one.",
        'If that was you, log in instead, or use "Forgot password" to choose a new password. '
        "If it was not you, you can ignore this e-mail: nothing has changed.",
    )
    return Email(
        to=to,
        subject="You already have a Petshots account",
        text=f"{lines[0]}\n\n{lines[1]}\n\n{base_url}\n",
        html=_html("You already have an account", *lines),
    )


def reset_code(to: str, code: str, base_url: str) -> Email:
    lines = (
        "Enter this code to choose a new Petshots password:",
        "The code is valid for one hour. If you did not ask for it, ignore this e-mail: "
        "your password has not changed.",
    )
    return Email(
        to=to,
        subject="Reset your Petshots password",
        text=f"{lines[0]}\n\n    {code}\n\n{lines[1]}\n\n{base_url}\n",
        html=_html("Reset your password", *lines, code=code),
    )
