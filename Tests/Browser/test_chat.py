"""A buyer and a seller, each in their own browser, talk about order PED-10231."""

import uuid

ORDER = "PED-10231"  # Ana García (buyer) and Tienda Sol (seller), from demo.json


def tag():
    return uuid.uuid4().hex[:6]


def test_buyer_and_seller_see_messages_typing_and_seen_live(open_browser):
    buyer = open_browser().sign_in_as("ana", language="es")
    seller = open_browser().sign_in_as("tienda-sol", language="en")

    buyer.open_conversation(ORDER)
    assert "Tienda Sol" in buyer.testid("thread-context")[0].text

    # The buyer asks; the seller's inbox shows it arrive (unread, preview) without a reload.
    question = f"¿Me confirmas la dirección de entrega? Es la calle Mayor 5 [{tag()}]"
    buyer.send(question)
    buyer.wait_for_message(question)
    buyer.wait_for_status(question, "sent")
    assert buyer.messages()[-1][0] == question

    seller.wait(lambda d: question[:30] in seller.conversation_item(ORDER).text, "the seller's inbox never showed the question")
    seller.wait(
        lambda d: seller.conversation_item(ORDER).find_elements("css selector", '[data-testid="unread-count"]'),
        "the seller's inbox shows no unread count",
    )
    unread = seller.conversation_item(ORDER).find_element("css selector", '[data-testid="unread-number"]')
    assert int(unread.text) >= 1
    assert seller.conversation_item(ORDER).get_attribute("aria-current") is None
    # Not opened yet: not seen.
    assert buyer.status_of(question) == "sent"

    # The seller opens the thread: it is marked read and the buyer sees "Visto".
    seller.open_conversation(ORDER)
    seller.wait_for_message(question)
    buyer.wait_for_status(question, "seen")
    seen = [s for s in buyer.css('[data-testid="message-status"][data-state="seen"]') if s.is_displayed()]
    assert any("Visto" in s.text for s in seen), [s.text for s in seen]
    seller.wait(lambda d: not seller.conversation_item(ORDER).find_elements("css selector", '[data-testid="unread-count"]'),
                "the seller's unread count did not clear after reading")

    # The seller types: the buyer sees the typing indicator, in Spanish.
    reply = f"Sí, calle Mayor 5. Sale hoy por la tarde [{tag()}]"
    seller.type_text(reply[:12])
    buyer.wait(lambda d: "Tienda Sol está escribiendo" in buyer.typing_indicator(), "the buyer never saw the seller typing")

    # ... and sends: the buyer gets it live, and the indicator goes away.
    seller.composer().clear()
    seller.send(reply)
    buyer.wait_for_message(reply)
    buyer.wait(lambda d: buyer.typing_indicator() == "", "the typing indicator stayed after the message")
    assert buyer.message_texts().count(reply) == 1
    assert buyer.message_texts().index(question) < buyer.message_texts().index(reply)

    # The buyer types (the seller sees it, in English) and sends two lines with Shift+Enter.
    buyer.type_text("Perfecto")
    seller.wait(lambda d: "Ana García is typing" in seller.typing_indicator(), "the seller never saw the buyer typing")
    buyer.composer().clear()
    two_lines = f"¡Gracias!\nEstaré en casa a partir de las 17:00 [{tag()}]"
    buyer.send(two_lines)
    seller.wait_for_message(two_lines)
    assert seller.message_texts().count(two_lines) == 1
    # The seller has the thread open: the buyer's last message is seen too.
    buyer.wait_for_status(two_lines, "seen")

    # Seq order on both sides, each message once.
    for page in (buyer, seller):
        seqs = [seq for _, _, seq in page.messages() if seq is not None]
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    buyer.wait(lambda d: buyer.typing_indicator() == "", "typing indicator still shown")
    buyer.screenshot("buyer-thread.png")


def test_message_text_is_shown_as_text_never_as_markup(open_browser):
    buyer = open_browser().sign_in_as("james", language="en")
    buyer.open_conversation("PED-20417")
    # Before the matches: a precomposed é (two UTF-8 bytes, one UTF-16 unit) and an e with
    # a combining accent (one character, two UTF-16 units), so highlights counted in bytes
    # or in characters instead of UTF-16 units mark the wrong letters.
    hostile = f'Café cafe\u0301 bold <img src=x onerror="window.__parleyXSS=1"><b>bold</b> & <script>window.__parleyXSS=2</script> [{tag()}]'
    buyer.send(hostile)
    buyer.wait_for_message(hostile)
    buyer.wait_for_status(hostile, "sent")
    assert buyer.driver.execute_script("return window.__parleyXSS === undefined")
    assert buyer.css('[data-testid="messages"] img') == []
    assert buyer.css('[data-testid="messages"] b') == []

    # The search snippet is plain text; the page marks the matches from `highlights`.
    buyer.search("bold")
    snippets = [s for s in buyer.testid("search-snippet") if "<b>" in s.text]
    assert snippets, [s.text for s in buyer.testid("search-snippet")]
    assert '<img src=x onerror="window.__parleyXSS=1">' in snippets[0].text
    marks = snippets[0].find_elements("css selector", "mark")
    assert [m.text for m in marks] == ["bold", "bold"]
    assert snippets[0].find_elements("css selector", "b, img, script") == []
    assert buyer.driver.execute_script("return window.__parleyXSS === undefined")
