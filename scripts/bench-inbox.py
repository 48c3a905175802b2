"""Times a seller's inbox page: `seed` makes 60 conversations of 4 messages with one
seller; `time` asks for GET /api/conversations?limit=50 200 times in a row.

    python3 scripts/bench-inbox.py http://127.0.0.1:18095 "$SECRET" seed
    python3 scripts/bench-inbox.py http://127.0.0.1:18095 "$SECRET" time

PARLEY_BIN (default .build/release/parley) mints the tokens.
"""
import os
import json, sys, time, urllib.request, subprocess
PARLEY = os.environ.get("PARLEY_BIN", ".build/release/parley")
base, secret = sys.argv[1], sys.argv[2]
def token(sub, role):
    return subprocess.check_output([PARLEY,"token","--sub",sub,"--role",role,"--jwt-secret",secret]).decode().strip()
def call(method, path, tok, body=None):
    req = urllib.request.Request(base+path, method=method, data=json.dumps(body).encode() if body else None, headers={"Authorization":"Bearer "+tok, "Content-Type":"application/json"})
    return json.load(urllib.request.urlopen(req))
if sys.argv[3] == "seed":
    for i in range(60):
        b = token(f"buyer{i}", "buyer")
        c = call("POST", "/api/conversations", b, {"participants":[{"userId":f"buyer{i}","role":"buyer"},{"userId":"seller1","role":"seller"}],"orderId":f"o{i}","message":{"content":"hola, ¿cuándo llega el envío?"}})
        for j in range(3): call("POST", f"/api/conversations/{c['conversationId']}/messages", b, {"content":f"mensaje {j}"})
else:
    s = token("seller1", "seller")
    times = []
    for _ in range(200):
        t = time.perf_counter(); r = call("GET", "/api/conversations?limit=50", s); times.append(time.perf_counter()-t)
    assert len(r["conversations"]) == 50
    times.sort(); print(f"inbox limit=50: p50 {times[100]*1000:.2f} ms  p90 {times[180]*1000:.2f} ms  max {times[-1]*1000:.2f} ms")
