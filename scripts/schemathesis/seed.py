"""Fills a fresh Parley node with a few conversations among the schema-fuzzing users, so
that schemathesis reaches real conversations instead of 404s, and prints their ids, one
a line.

    python3 seed.py BASE_URL   (tokens in PARLEY_FUZZ_BUYER_TOKEN, ..._SELLER_, ..._SUPPORT_,
                                ..._SERVICE_TOKEN; see scripts/schemathesis.sh)

Standard library only: it runs before the schemathesis virtualenv matters.
"""

import json
import os
import sys
import urllib.error
import urllib.request

BASE = sys.argv[1].rstrip("/")
TOKENS = {role: os.environ[f"PARLEY_FUZZ_{role.upper()}_TOKEN"] for role in ("buyer", "seller", "support", "service")}
# How many conversations to make: enough for variety, few enough to stay quick.
CONVERSATIONS = 6


def call(method, path, role, body=None):
    request = urllib.request.Request(
        BASE + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {TOKENS[role]}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        sys.exit(f"seed: {method} {path} as {role} failed: {error.code} {error.read().decode(errors='replace')}")


# An agent is assigned only once the server has seen it with a support token.
call("GET", "/api/conversations", "support")
ids = []
for index in range(CONVERSATIONS):
    conversation = call(
        "POST",
        "/api/conversations",
        "buyer",
        {
            "participants": [{"userId": "fuzz-buyer", "role": "buyer"}, {"userId": "fuzz-seller", "role": "seller"}],
            "productId": f"product-{index}",
            **({"orderId": f"order-{index}"} if index % 2 else {}),
            "subject": f"Pedido {index}: ¿cuándo llega el envío?",
            "labels": ["fuzz", f"label-{index}"],
            "message": {"content": f"Hola, ¿cuándo llega el envío {index}?", "clientMessageId": f"seed-{index}"},
        },
    )
    conversation_id = conversation["conversationId"]
    ids.append(conversation_id)
    call("POST", f"/api/conversations/{conversation_id}/messages", "seller", {"content": "Shipped yesterday, tracking soon."})
    call("POST", f"/api/conversations/{conversation_id}/read", "buyer", {"seq": 2})
    if index % 3 == 0:
        call("PUT", f"/api/conversations/{conversation_id}/assignee", "service", {"assignedTo": "fuzz-support"})
print("\n".join(ids))
