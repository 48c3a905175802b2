"""Schemathesis hooks for scripts/schemathesis.sh: every request is signed as one of the
fuzzing users, picked at random, so one run sees the API as a buyer and a seller taking
part in the seeded conversations, a support agent assigned to some, and a service.

The tokens come from PARLEY_FUZZ_BUYER_TOKEN, PARLEY_FUZZ_SELLER_TOKEN,
PARLEY_FUZZ_SUPPORT_TOKEN and PARLEY_FUZZ_SERVICE_TOKEN (minted by `parley token`).
"""

import os
import random

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
