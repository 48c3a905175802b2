"""Issue 16's "Done when", end to end: a buyer opens an encrypted conversation from the
web client, the seller answers from the Swift client (`parley-e2ee-peer`, ParleyClient's
E2EESession), the database holds only ciphertext; support is assigned, the buyer's page
shares the keys and the agent reads the history; `parley audit verify` proves the
assignment and the key share are in the log, and fails on a copy with one leaf edited.
"""

import json
import os
import sqlite3
import subprocess
import urllib.request

import pytest

from conftest import REPO, service_token
from test_e2ee import AGENT, BUYER, create_encrypted_conversation, database_files, tag, wait_for_device

# Bounds of the Swift peer's runs: its own wait for a readable message, and the process's.
PEER_WAIT_SECONDS = 60
PEER_PROCESS_SECONDS = 120
# A device that must not read the history: how long the peer looks before giving up.
LATE_DEVICE_WAIT_SECONDS = 3
# `parley audit verify` on a copy of a test database.
VERIFY_SECONDS = 120


def server_executable(base_url):
    """The `parley` executable serving `base_url` (read from /proc, so the peer built
    beside it is found too), or the repository's debug build."""
    port = base_url.rsplit(":", 1)[-1].strip("/")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                argv = file.read().decode(errors="replace").split("\0")
            if "serve" in argv and "--port" in argv and argv[argv.index("--port") + 1] == port:
                return os.readlink(f"/proc/{pid}/exe")
        except (OSError, IndexError):
            continue
    return os.path.join(REPO, ".build", "debug", "parley")


def peer_executable(parley):
    path = os.environ.get("PARLEY_E2EE_PEER") or os.path.join(os.path.dirname(parley), "parley-e2ee-peer")
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is missing: build it (swift build builds every product)")
    return path


def spawn_peer(peer, base_url, user, token, device_id, identity, *extra, wait=PEER_WAIT_SECONDS):
    """Runs the Swift peer once and waits for it: the finished process."""
    command = [peer, "--url", base_url, "--token", token, "--user", user, "--device-id", device_id,
               "--identity", identity, "--timeout", str(wait), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=PEER_PROCESS_SECONDS)


def run_peer(peer, base_url, user, token, device_id, identity, *extra):
    """Runs the Swift peer once; answers its JSON lines, or fails with what it said."""
    result = spawn_peer(peer, base_url, user, token, device_id, identity, *extra)
    assert result.returncode == 0, f"parley-e2ee-peer exited {result.returncode}: {result.stderr.strip()}"
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def backup(database, target):
    """A consistent copy of the live SQLite database (its -wal included), made with
    SQLite's online backup while the server keeps running."""
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def verify(parley, database, *extra):
    result = subprocess.run([parley, "audit", "verify", "--database", f"sqlite://{database}", *extra],
                            capture_output=True, text=True, timeout=VERIFY_SECONDS)
    return result.returncode, result.stdout + result.stderr


def fetch(base_url, path, token):
    request = urllib.request.Request(base_url.rstrip("/") + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def test_issue_16_done_when_web_buyer_swift_seller_agent_and_the_audit_log(open_browser, base_url, tmp_path):
    parley = server_executable(base_url)
    peer = peer_executable(parley)
    work = str(tmp_path)
    seller = f"swift-seller-{tag()}"
    seller_token = service_token(base_url, seller, role="seller")
    device_id = f"swift-{tag()}"
    identity = os.path.join(work, "seller-device.json")

    # The seller's Swift device is registered before the buyer writes (the app installed
    # already): the first epoch is sealed to it too.
    registered = run_peer(peer, base_url, seller, seller_token, device_id, identity)
    assert registered and registered[0]["registered"] == device_id, registered

    buyer = open_browser().sign_in_as(BUYER, language="es")
    wait_for_device(buyer)
    question = f"¿Lo enviáis a Tenerife antes del viernes? pregunta-{tag()}"
    cid = create_encrypted_conversation(buyer, seller, f"PROD-DONE-{tag()}", question)
    buyer.wait_for_status(question, "sent")

    # The Swift seller opens the epoch key sealed to its device, checks the buyer device's
    # signature, decrypts, and answers encrypted.
    answer = f"Sí, sale mañana y llega el jueves. respuesta-{tag()}"
    lines = run_peer(peer, base_url, seller, seller_token, device_id, identity, "--conversation", cid, "--reply", answer)
    from_buyer = [line for line in lines if line["senderId"] == BUYER and not line["sent"]]
    assert from_buyer and from_buyer[0]["encrypted"] and from_buyer[0].get("error") is None, lines
    assert from_buyer[0]["content"] == question
    sent = [line for line in lines if line["sent"]]
    assert len(sent) == 1 and sent[0]["content"] == answer and sent[0]["senderId"] == seller, lines

    # The buyer's page shows the answer, verified and decrypted.
    buyer.wait_for_message(answer, timeout=30)
    answer_text = f'[data-message-id="{sent[0]["messageId"]}"] [data-testid="message-text"]'
    buyer.wait(lambda d: buyer.css(answer_text) and buyer.css(answer_text)[0].get_attribute("data-e2ee") == "ok",
               "the Swift seller's answer is not shown as decrypted")

    # The server holds envelopes only: neither text in the database or its write-ahead log.
    files = database_files(base_url)
    assert files
    for path in files:
        with open(path, "rb") as file:
            data = file.read()
        for text in (question, answer):
            for part in (text, text.split(" ")[-1]):
                assert part.encode() not in data, f"{part!r} is readable in {path}"

    # Support is assigned (the escalation of an encrypted conversation): the buyer's page
    # shares its epoch keys with the agent's device and the agent reads the history.
    agent = open_browser().sign_in_as(AGENT, language="es")
    wait_for_device(agent)
    agent.driver.get(f"{agent.base_url}/?conversation={cid}")
    agent.wait(lambda d: agent.css('[data-testid="message-text"][data-e2ee]'), "the agent does not see the encrypted messages")
    assert question not in agent.driver.page_source
    status, assigned = agent.api("PUT", f"/api/conversations/{cid}/assignee", {"assignedTo": AGENT})
    assert status == 200, (status, assigned)
    buyer.wait(lambda d: buyer.testid("e2ee-shared"), "the buyer's page never shared the keys with support", timeout=30)
    agent.wait_for_message(question, timeout=30)
    agent.wait_for_message(answer, timeout=30)

    # The audit log: a checkpoint signed now (it covers the assignment and the share),
    # the key it verifies with, and a consistent copy of the live database.
    agent_token = service_token(base_url, AGENT, role="support")
    checkpoint = os.path.join(work, "checkpoint.json")
    with open(checkpoint, "wb") as file:
        file.write(fetch(base_url, "/api/audit/checkpoint", agent_token))
    key = os.path.join(work, "audit-key.json")
    with open(key, "wb") as file:
        file.write(fetch(base_url, "/api/audit/key", agent_token))
    live = files[0]  # the database itself; its -wal and -shm follow it
    good = os.path.join(work, "good.sqlite")
    backup(live, good)

    code, output = verify(parley, good, "--checkpoint", checkpoint, "--key-file", key, "--conversation", cid)
    assert code == 0, output
    assert output.rstrip().endswith("OK"), output
    listed = output.split(f"conversation {cid}:", 1)[1].splitlines()[1:]
    assignment = [line for line in listed if '"action":"conversation.assignee"' in line and AGENT in line]
    share = [line for line in listed if '"action":"e2ee.keys_shared"' in line]
    assert assignment and share, output
    assert all("included in the checkpoint" in line for line in assignment + share), output

    # One leaf edited in another copy: the assignment rewritten to name someone else
    # (still canonical JSON, so only the root can tell) fails against the signed checkpoint.
    index = int(assignment[0].split()[0])
    edited = os.path.join(work, "edited.sqlite")
    backup(good, edited)
    with sqlite3.connect(edited) as database:
        (text,) = database.execute("SELECT leaf FROM audit_leaves WHERE idx = ?", (index,)).fetchone()
        database.execute("UPDATE audit_leaves SET leaf = ? WHERE idx = ?", (text.replace(AGENT, "soporte-otro"), index))
    code, output = verify(parley, edited, "--checkpoint", checkpoint, "--key-file", key)
    assert code == 1, output
    assert "audit log FAILED" in output and "was edited" in output, output

    # An edit that leaves the text no longer the canonical leaf is pinned to that leaf.
    share_index = int(share[0].split()[0])
    reformatted = os.path.join(work, "reformatted.sqlite")
    backup(good, reformatted)
    with sqlite3.connect(reformatted) as database:
        (text,) = database.execute("SELECT leaf FROM audit_leaves WHERE idx = ?", (share_index,)).fetchone()
        database.execute("UPDATE audit_leaves SET leaf = ? WHERE idx = ?", (text.replace(",", ", ", 1), share_index))
    code, output = verify(parley, reformatted, "--checkpoint", checkpoint, "--key-file", key)
    assert code == 1, output
    assert f"audit log FAILED at leaf {share_index}" in output, output

    # A device of the seller's added only now holds no key of the history: the peer waits
    # its bounded time for a readable message, then exits 1 saying so.
    late = spawn_peer(peer, base_url, seller, seller_token, f"swift-late-{tag()}", os.path.join(work, "late-device.json"),
                      "--conversation", cid, wait=LATE_DEVICE_WAIT_SECONDS)
    assert late.returncode == 1, (late.returncode, late.stdout, late.stderr)
    assert f"no readable message in conversation {cid}" in late.stderr, late.stderr
    assert question not in late.stdout and answer not in late.stdout
