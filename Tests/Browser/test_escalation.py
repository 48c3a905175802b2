"""Escalation to a person, sentiment and contact masking in the browser (CONTRACT.md
"Sentiment, escalation, contact masking"): an angry buyer's message reaches support's
escalated view live with its reason, the seller sees the message's sentiment and the
buyer does not; a phone number spelled out in words reaches the seller as [...] with a
note, and support can show the original.

Marta Ruiz and Urban Kicks, who share no demo conversation: each test opens a new one,
so no earlier escalation (the first reason stays) or masking setting is in the way.
"""

import uuid

from selenium.webdriver.common.by import By

from parley_page import ParleyPage

BUYER = "marta"
SELLER = "urban-kicks"
AGENT = "support-emma"

ANGRY = "llevo dos semanas esperando, esto es una estafa"
DISGUISED_PHONE = "escríbeme al seis uno dos tres cuatro cinco seis siete ocho"
MASK = "[…]"


def tag():
    return uuid.uuid4().hex[:6]


def new_thread(buyer, about, first):
    """A new conversation of the buyer with the seller; `about` is {"orderId": …} or {"productId": …}."""
    status, answer = buyer.api(
        "POST",
        "/api/conversations",
        {
            "participants": [{"userId": BUYER, "role": "buyer"}, {"userId": SELLER, "role": "seller"}],
            **about,
            "message": {"content": first},
        },
    )
    assert status == 201, (status, answer)
    return answer["conversationId"]


def message_element(page, predicate):
    """The <li> of the first message of the open thread whose text satisfies `predicate`, or None."""
    for element in page.testid("message", within='[data-testid="messages"]'):
        texts = element.find_elements(By.CSS_SELECTOR, '[data-testid="message-text"]')
        if texts and predicate(texts[0].text):
            return element
    return None


def inside(element, testid):
    return element.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def test_an_angry_buyer_reaches_support_escalated_and_only_the_seller_sees_the_sentiment(open_browser):
    buyer = open_browser().sign_in_as(BUYER, language="es")
    order = f"PED-E{tag()}"
    cid = new_thread(buyer, {"orderId": order}, f"Hola, os escribo por el pedido {order}")
    agent = open_browser().sign_in_as(AGENT, language="en")
    seller = open_browser().sign_in_as(SELLER, language="es")

    # Support turns to its escalated view before anything happens: the conversation must
    # arrive live (the inbox is reloaded only every 30 s), with a notice.
    agent.visible('[data-testid="filter-escalated"]').click()
    agent.wait(lambda d: "escalated=true" in " ".join(agent.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")), "the escalated view did not ask the server")
    assert not agent.css(ParleyPage.item_selector(cid)), "a calm conversation is in the escalated view"

    buyer.wait(lambda d: buyer.css(ParleyPage.item_selector(cid)), "the buyer's new conversation is not listed")
    buyer.open_thread(cid)
    seller.wait(lambda d: seller.css(ParleyPage.item_selector(cid)), "the seller never saw the new conversation")
    seller.open_thread(cid)
    buyer.send(ANGRY)

    agent.wait(lambda d: agent.css(ParleyPage.item_selector(cid)), "the escalated conversation never reached support's escalated view")
    item = agent.css(ParleyPage.item_selector(cid))[0]
    badge = item.find_element(By.CSS_SELECTOR, '[data-testid="conversation-escalated"]')
    assert badge.get_attribute("data-reason") == "negative_sentiment"
    assert "Escalated" in badge.text
    assert agent.testid("conversation-item")[0].get_attribute("data-conversation-id") == cid, "not at the top of the escalated view"
    # Every conversation in the view is escalated.
    assert all(inside(e, "conversation-escalated") for e in agent.testid("conversation-item"))
    notice = agent.wait(
        lambda d: [n for n in agent.testid("escalation-notice") if n.get_attribute("data-conversation-id") == cid],
        "no notice of the escalation",
    )[0]
    assert "the buyer wrote very upset" in notice.text
    announced = [line.get_attribute("textContent") for line in agent.css('[data-testid="announcer"] p')]
    assert any("Conversation escalated" in line and "the buyer wrote very upset" in line for line in announced), announced

    # Opening it from the notice: the reason and the time on the conversation's header.
    notice.find_element(By.CSS_SELECTOR, '[data-testid="escalation-notice-open"]').click()
    agent.wait(lambda d: agent.css(ParleyPage.item_selector(cid))[0].get_attribute("aria-current") == "true", "the notice did not open it")
    header = agent.visible('[data-testid="thread-escalation"]')
    assert header.get_attribute("data-reason") == "negative_sentiment"
    assert "Escalated to a person" in header.text and "the buyer wrote very upset" in header.text, header.text
    assert header.find_element(By.CSS_SELECTOR, '[data-testid="escalation-time"]').get_attribute("datetime")
    agent.wait(lambda d: not agent.testid("escalation-notice"), "the notice stayed after opening its conversation")
    status, conversation = agent.api("GET", f"/api/conversations/{cid}")
    assert conversation["metadata"]["priority"] == "high", conversation["metadata"]
    agent.screenshot("support-escalated.png")

    # The seller sees the message's sentiment as a mark with words, and the escalation.
    def seller_mark(_=None):
        element = message_element(seller, lambda text: text == ANGRY)
        return element and inside(element, "sentiment")

    seller.wait(seller_mark, "the seller never saw a sentiment mark on the angry message")
    mark = seller_mark()[0]
    assert mark.get_attribute("data-label") == "negative"
    label = mark.get_attribute("aria-label")
    assert label.startswith("Sentimiento: negativo (-") and label == mark.get_attribute("title"), label
    assert mark.get_attribute("role") == "img" and mark.text.strip() == "▼"
    seller.wait(lambda d: seller.testid("thread-escalation")[0].is_displayed(), "the seller's header does not say it was escalated")
    assert "el comprador escribió muy molesto" in seller.testid("thread-escalation")[0].text
    assert not seller.testid("filter-escalated"), "sellers got support's escalated view"

    # The buyer, its author, sees no sentiment and no escalation.
    buyer.wait_for_message(ANGRY)
    buyer.wait(lambda d: buyer.status_of(ANGRY) in ("sent", "seen"), "the buyer's message was never stored")
    assert buyer.testid("sentiment") == []
    assert not buyer.testid("thread-escalation")[0].is_displayed()
    assert not buyer.testid("conversation-escalated")


def test_a_phone_number_in_words_is_hidden_from_the_seller_and_support_can_show_it(open_browser):
    buyer = open_browser().sign_in_as(BUYER, language="es")
    product = f"PROD-M{tag()}"  # no order yet: contact details are masked
    cid = new_thread(buyer, {"productId": product}, f"Hola, ¿queda stock de {product}?")
    seller = open_browser().sign_in_as(SELLER, language="es")
    buyer.open_thread(cid)
    seller.open_thread(cid)
    buyer.send(DISGUISED_PHONE)

    # The seller gets the message with the number replaced, and a note saying why.
    seller.wait(lambda d: message_element(seller, lambda text: MASK in text), "the seller never got the masked message")
    masked = message_element(seller, lambda text: MASK in text)
    text = masked.find_element(By.CSS_SELECTOR, '[data-testid="message-text"]').text
    assert "seis uno dos" not in text and "escríbeme" in text, text
    note = inside(masked, "masked-note")[0]
    assert "Datos de contacto ocultos" in note.text and "teléfono" in note.text, note.text
    assert "phone" in note.get_attribute("data-kinds").split()
    assert not inside(masked, "reveal-original") and not inside(masked, "original-text")
    assert DISGUISED_PHONE not in seller.driver.page_source

    # The buyer's own copy is the stored one: masked too, with the note, no original.
    buyer.wait(lambda d: message_element(buyer, lambda text: MASK in text), "the buyer's message was not replaced by the stored copy")
    mine = message_element(buyer, lambda text: MASK in text)
    assert inside(mine, "masked-note") and not inside(mine, "reveal-original")

    # Support sees the same masked message and may show the original, by keyboard too.
    agent = open_browser().sign_in_as(AGENT, language="es")
    agent.open_thread(cid)
    agent.wait(lambda d: message_element(agent, lambda text: MASK in text), "support never saw the masked message")
    message = message_element(agent, lambda text: MASK in text)
    toggle = inside(message, "reveal-original")[0]
    original = inside(message, "original-text")[0]
    assert toggle.get_attribute("aria-expanded") == "false" and toggle.text == "Ver el original"
    assert toggle.get_attribute("aria-controls") == original.get_attribute("id")
    assert not original.is_displayed()
    toggle.click()
    agent.wait(
        lambda d: inside(message_element(agent, lambda text: MASK in text), "reveal-original")[0].get_attribute("aria-expanded") == "true",
        "the toggle did not open",
    )
    message = message_element(agent, lambda text: MASK in text)
    shown = inside(message, "original-text")[0]
    assert shown.is_displayed()
    assert inside(message, "original-content")[0].text == DISGUISED_PHONE
    assert agent.driver.switch_to.active_element.get_attribute("data-testid") == "reveal-original", "the focus left the toggle"
    agent.screenshot("support-masked-original.png")
    agent.driver.switch_to.active_element.send_keys("\n")  # Enter on the focused toggle hides it again
    agent.wait(
        lambda d: not inside(message_element(agent, lambda text: MASK in text), "original-text")[0].is_displayed(),
        "the original stayed shown",
    )
