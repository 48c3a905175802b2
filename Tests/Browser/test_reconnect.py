"""The buyer's connection drops and comes back: nothing lost, nothing doubled.

The page's debug hook (window.parleyDebug.dropConnection) closes the WebSocket and
makes the page behave as if the network were gone (no reconnection, REST calls fail)
until restoreConnection(); the page then reconnects on its own, resuming from the last
cursor it saw.
"""

import uuid

ORDER = "PED-10231"


def test_buyer_offline_and_back_sees_everything_once_and_in_order(open_browser):
    buyer = open_browser().sign_in_as("ana", language="es")
    seller = open_browser().sign_in_as("tienda-sol", language="es")
    buyer.open_conversation(ORDER)
    seller.open_conversation(ORDER)
    run = uuid.uuid4().hex[:6]

    # A live message first, so the buyer holds a resume cursor.
    hello = f"Te escribo en un momento [{run}]"
    seller.send(hello)
    buyer.wait_for_message(hello)
    assert buyer.driver.execute_script("return window.parleyDebug.cursor()") is not None
    assert buyer.banner() == ""

    # Offline: the banner says so.
    buyer.driver.execute_script("window.parleyDebug.dropConnection()")
    buyer.wait(lambda d: buyer.banner() == "Sin conexión — reconectando…", f"no offline banner (saw {buyer.banner()!r})")
    assert buyer.testid("connection-banner")[0].get_attribute("role") == "status"

    # The seller writes twice meanwhile (both stored: the seller sees them sent).
    first = f"Primero: el repartidor pasa mañana [{run}]"
    second = f"Segundo: entre las 10:00 y las 14:00 [{run}]"
    seller.send(first)
    seller.wait_for_status(first, "sent")
    seller.send(second)
    seller.wait_for_status(second, "sent")

    # The buyer writes while offline: it waits as "Enviando…".
    offline_note = f"Escrito sin conexión [{run}]"
    buyer.send(offline_note)
    buyer.wait_for_status(offline_note, "sending")
    buyer.screenshot("offline-banner.png")
    assert first not in buyer.message_texts() and second not in buyer.message_texts()

    # Back online: the banner goes, the two messages arrive once each and in order,
    # and the message written offline is delivered once.
    buyer.driver.execute_script("window.parleyDebug.restoreConnection()")
    buyer.wait(lambda d: buyer.banner() == "", "the offline banner stayed")
    buyer.wait_for_message(first)
    buyer.wait_for_message(second)
    buyer.wait_for_status(offline_note, "seen")  # the seller has the thread open
    texts = buyer.message_texts()
    assert texts.count(first) == 1 and texts.count(second) == 1 and texts.count(hello) == 1, texts
    assert texts.index(hello) < texts.index(first) < texts.index(second)
    seller.wait_for_message(offline_note)
    assert seller.message_texts().count(offline_note) == 1

    seqs = [seq for _, _, seq in buyer.messages()]
    assert None not in seqs and seqs == sorted(seqs) and len(seqs) == len(set(seqs)), seqs

    # It came back by resuming from its cursor (the replay carried what was missed).
    stats = buyer.driver.execute_script("return window.parleyDebug.stats()")
    assert stats["lastUrlHadCursor"] is True, stats
    assert stats["replayed"] >= 2, stats
    assert stats["outbox"] == 0, stats
