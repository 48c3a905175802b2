"""Schemathesis hooks for scripts/schemathesis.sh: every request is signed as one of the
fuzzing users, picked at random, so one run sees the API as a buyer and a seller taking
part in the seeded conversations, a support agent assigned to some, and a service.

The tokens come from PARLEY_FUZZ_BUYER_TOKEN, PARLEY_FUZZ_SELLER_TOKEN,
PARLEY_FUZZ_SUPPORT_TOKEN and PARLEY_FUZZ_SERVICE_TOKEN (minted by `parley token`).

Webhooks the run registers are delivered to by the node's outbox: a valid URL's host is
swapped for a closed loopback port before it is sent, so deliveries fail at once instead
of reaching (or waiting on) whatever host the generator made up.
"""

import os
import random
from urllib.parse import urlsplit, urlunsplit

import schemathesis

TOKENS = [os.environ[f"PARLEY_FUZZ_{role}_TOKEN"] for role in ("BUYER", "SELLER", "SUPPORT", "SERVICE")]

# Templates and FAQ entries are their owner's: another user's personal template, or a
# disabled entry, is rightly 404 to the others. So that the stateful phase's "create,
# then read it back" means something, these are always asked for as the seller (the
# permission matrix test covers every role on them).
OWNED_PREFIXES = ("/api/templates", "/api/faq")


# No caching (a new pick per request) and no refetch on 401: a 401 is an answer to check.
@schemathesis.auth(refresh_interval=None, retry_on=[])
class RotatingBearer:
    def get(self, case, context):
        if case.path.startswith(OWNED_PREFIXES):
            return TOKENS[1]
        return random.choice(TOKENS)

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# Where registered webhooks point: the discard port on loopback, where nothing listens,
# so every delivery is refused at once (and retried later, as for any dead receiver).
CLOSED_RECEIVER = "127.0.0.1:9"


@schemathesis.hook
def before_call(context, case, **kwargs):
    """Points the URL of a webhook registration whose body is schema-valid at
    CLOSED_RECEIVER. A negative body is sent as generated: it is what the server must
    refuse (a case negative elsewhere, in a header say, may well be accepted)."""
    if case.method.upper() != "POST" or case.path != "/api/webhooks" or not isinstance(case.body, dict):
        return
    if case.meta is not None and any(
        location == "body" and component.mode.is_negative for location, component in case.meta.components.items()
    ):
        return
    url = case.body.get("url")
    if not isinstance(url, str):
        return
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{CLOSED_RECEIVER}" if userinfo else CLOSED_RECEIVER
    case.body = {**case.body, "url": urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))}
