"""Assist in the browser: FAQ entries and templates kept in the panel, automatic answers
marked for the buyer (with "not helpful"), the "/" template picker and suggested replies
filling the seller's composer — never sending by themselves.

Casa Verde Hogar and Ana García, whom no other browser test uses: an FAQ entry of theirs
may answer by itself. Automatic answers stop once a conversation is escalated ("not
helpful" does that), so the tests that ask questions open a new order's thread each.
"""

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

SELLER = "casa-verde"
BUYER = "ana"
ORDER = "PED-30012"


def tag():
    return uuid.uuid4().hex[:6]


def new_order_thread(buyer, mark):
    """A new conversation of the buyer with the seller about a new order; answers the order id."""
    order_id = f"PED-T{mark}"
    status, answer = buyer.api(
        "POST",
        "/api/conversations",
        {
            "participants": [{"userId": BUYER, "role": "buyer"}, {"userId": SELLER, "role": "seller"}],
            "orderId": order_id,
            "message": {"content": f"Hola, os escribo por el pedido {order_id}"},
        },
    )
    assert status == 201, (status, answer)
    return order_id


def conversation_id(page, order_id):
    status, answer = page.api("GET", f"/api/conversations?orderId={order_id}&limit=1")
    assert status == 200 and answer["conversations"], (status, answer)
    return answer["conversations"][0]["conversationId"]


def open_panel(page):
    page.wait(lambda d: page.testid("assist-open") and page.testid("assist-open")[0].is_displayed(), "no way to the assist panel")
    page.testid("assist-open")[0].click()
    page.visible('[data-testid="assist-panel"]')
    page.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "assist-title", "the panel's title did not get the focus")
    page.wait(lambda d: page.css('[data-testid="faq-list"] li'), "the FAQ list never loaded")


def close_panel(page):
    page.testid("assist-close")[0].click()
    page.wait(lambda d: not page.testid("assist-panel")[0].is_displayed(), "the panel stayed open")
    page.visible('[data-testid="inbox"]')


def fill(page, testid, text):
    field = page.visible(f'[data-testid="{testid}"]')
    field.clear()
    if text:
        field.send_keys(text)


def field_error(page, testid):
    element = page.testid(testid)[0]
    return element.text if element.is_displayed() else ""


def auto_messages(page):
    return page.css('[data-testid="messages"] [data-testid="message"][data-auto="true"]')


def delete_quietly(page, path):
    try:
        page.api("DELETE", path)
    except Exception:  # the test's own failure matters more than its clean-up
        pass


def test_seller_keeps_a_faq_and_the_buyer_gets_a_marked_automatic_answer(open_browser):
    seller = open_browser().sign_in_as(SELLER, language="es")
    buyer = open_browser().sign_in_as(BUYER, language="es")
    answer = f"Enviamos en 24 h y llega en 2-3 días laborables [{tag()}]"
    assert not buyer.testid("assist-open")[0].is_displayed()  # buyers keep no FAQ
    order = new_order_thread(buyer, tag())

    open_panel(seller)
    assert seller.testid("auto-answer")[0].is_selected()  # automatic answers are on by default
    # A server error is shown beside the field it names.
    fill(seller, "faq-question", "   ")
    fill(seller, "faq-answer", answer)
    seller.testid("faq-save")[0].click()
    seller.wait(lambda d: "question" in field_error(seller, "faq-question-error"), "no error beside the question")
    assert seller.testid("faq-question")[0].get_attribute("aria-invalid") == "true"
    assert field_error(seller, "faq-answer-error") == ""

    fill(seller, "faq-question", "¿Cuánto tarda el envío?")
    fill(seller, "faq-alternatives", "¿Cuándo llega mi pedido?\n¿En cuántos días lo recibo?")
    seller.testid("faq-save")[0].click()
    seller.wait(
        lambda d: any(e.text == answer for e in seller.testid("faq-entry-answer")),
        "the new entry never showed in the list",
    )
    entry = next(e for e in seller.testid("faq-entry") if answer in e.text)
    faq_id = entry.get_attribute("data-faq-id")
    try:
        assert "¿Cuándo llega mi pedido?" in entry.text
        assert "Respondida 0" in entry.find_element(By.CSS_SELECTOR, '[data-testid="faq-entry-stats"]').text
        seller.wait(lambda d: field_error(seller, "faq-question-error") == "", "the old error stayed")
        assert seller.testid("faq-question")[0].get_attribute("value") == ""  # the form is ready for the next one
        close_panel(seller)
        seller.open_conversation(order)

        # The buyer asks as buyers write: no accents, no opening sign, two question marks.
        buyer.open_conversation(order)
        question = "cuanto tarda en llegar el envio??"
        buyer.send(question)
        buyer.wait(lambda d: any(answer in m.text for m in auto_messages(buyer)), "the buyer never got the automatic answer")
        reply = next(m for m in auto_messages(buyer) if answer in m.text)
        assert "Respuesta automática" in reply.find_element(By.CSS_SELECTOR, '[data-testid="auto-label"]').text
        assert "Asistente de Parley" in reply.text
        texts = buyer.message_texts()
        asked = len(texts) - 1 - texts[::-1].index(question)
        assert texts[asked + 1] == answer, texts

        # "Not helpful": sent once, then a person is said to take over.
        reply.find_element(By.CSS_SELECTOR, '[data-testid="auto-unhelpful"]').click()
        buyer.wait(
            lambda d: any("Una persona" in e.text for e in buyer.testid("auto-feedback-done")),
            "no confirmation after «not helpful»",
        )
        assert buyer.testid("auto-unhelpful") == [] and buyer.testid("auto-helpful") == []
        buyer.screenshot("buyer-automatic-answer.png")

        # The seller sees the same answer marked, without the buyer's buttons.
        seller.wait(lambda d: any(answer in m.text for m in auto_messages(seller)), "the seller never saw the automatic answer")
        assert seller.testid("auto-label") and seller.testid("auto-feedback") == []

        # The verdict is counted and the conversation handed to a person (priority high).
        cid = conversation_id(seller, order)
        seller.wait(lambda d: seller.api("GET", f"/api/faq/{faq_id}")[1]["stats"]["unhelpful"] == 1, "the verdict was not counted")
        status, conversation = seller.api("GET", f"/api/conversations/{cid}")
        assert conversation["metadata"].get("priority") == "high", conversation["metadata"]

        # Deleting asks first, then the entry is gone.
        open_panel(seller)
        entry = next(e for e in seller.testid("faq-entry") if e.get_attribute("data-faq-id") == faq_id)
        entry.find_element(By.CSS_SELECTOR, '[data-testid="faq-delete"]').click()
        seller.wait(lambda d: seller.testid("faq-delete-yes"), "no confirmation before deleting")
        seller.testid("faq-delete-yes")[0].click()
        seller.wait(
            lambda d: all(e.get_attribute("data-faq-id") != faq_id for e in seller.testid("faq-entry")),
            "the deleted entry stayed in the list",
        )
        assert seller.api("GET", f"/api/faq/{faq_id}")[0] == 404
    finally:
        delete_quietly(seller, f"/api/faq/{faq_id}")


def test_slash_opens_the_template_picker_and_fills_the_composer_without_sending(open_browser):
    seller = open_browser().sign_in_as(SELLER, language="es")
    mark = tag()
    created = []
    try:
        open_panel(seller)
        # An unknown variable is refused at save, beside the text.
        fill(seller, "template-name", f"Envío hoy {mark}")
        fill(seller, "template-shortcut", f"envio{mark}")
        fill(seller, "template-content", "Hola {{nope}}")
        seller.testid("template-save")[0].click()
        seller.wait(lambda d: "nope" in field_error(seller, "template-content-error"), "no error beside the template's text")
        assert seller.testid("template-content")[0].get_attribute("aria-invalid") == "true"

        fill(seller, "template-content", 'Hola {{buyer.name | "cliente"}}, tu pedido {{orderId}} sale hoy con {{custom.carrier}}.')
        seller.testid("template-save")[0].click()
        seller.wait(lambda d: any(mark in e.text for e in seller.testid("template-entry-name")), "the template never showed")
        fill(seller, "template-name", f"Gracias {mark}")
        fill(seller, "template-content", "¡Gracias por tu compra, {{buyer.name}}!")
        seller.testid("template-save")[0].click()
        seller.wait(lambda d: sum(mark in e.text for e in seller.testid("template-entry-name")) == 2, "the second template never showed")
        created = [e.get_attribute("data-template-id") for e in seller.testid("template-entry") if mark in e.text]
        close_panel(seller)

        seller.open_conversation(ORDER)
        before = seller.message_texts()
        box = seller.composer()
        box.click()
        # "/" and part of a name: both templates, keyboard navigable.
        box.send_keys(f"/{mark}")
        seller.wait(lambda d: len(seller.testid("template-option")) == 2, "the picker did not list both templates")
        seller.screenshot("seller-template-picker.png")
        options = seller.testid("template-option")
        assert options[0].get_attribute("aria-selected") == "true"
        assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
        box.send_keys(Keys.ARROW_DOWN)
        seller.wait(lambda d: seller.testid("template-option")[1].get_attribute("aria-selected") == "true", "ArrowDown did not move")
        box.send_keys(Keys.ARROW_UP, Keys.ARROW_DOWN, Keys.ENTER)
        seller.wait(lambda d: box.get_attribute("value") == "¡Gracias por tu compra, Ana García!", "the composer was not filled")
        assert seller.message_texts() == before  # filled, not sent
        assert not seller.testid("template-picker")[0].is_displayed()

        # Escape closes the picker and leaves the text.
        box.clear()
        box.send_keys("/")
        seller.wait(lambda d: seller.testid("template-option"), "the picker did not open on /")
        box.send_keys(Keys.ESCAPE)
        seller.wait(lambda d: not seller.testid("template-picker")[0].is_displayed(), "Escape did not close the picker")
        assert box.get_attribute("value") == "/"

        # A template with a value to give: the page asks for it, then fills the composer.
        box.clear()
        box.send_keys(f"/envio{mark}")
        seller.wait(lambda d: len(seller.testid("template-option")) == 1, "the shortcut did not narrow the list")
        box.send_keys(Keys.ENTER)
        value = seller.visible('[data-testid="template-value"][data-variable="custom.carrier"]')
        seller.wait(lambda d: d.switch_to.active_element == value, "the missing value's field did not get the focus")
        value.send_keys("SEUR", Keys.ENTER)
        expected = f"Hola Ana García, tu pedido {ORDER} sale hoy con SEUR."
        seller.wait(lambda d: box.get_attribute("value") == expected, "the composer was not filled with the rendered template")
        seller.wait(lambda d: d.switch_to.active_element == box, "the focus did not return to the composer")
        assert seller.message_texts() == before and expected not in seller.message_texts()
        box.clear()
    finally:
        for template_id in created:
            delete_quietly(seller, f"/api/templates/{template_id}")


def test_suggestions_for_a_question_no_entry_answers_fill_the_seller_composer(open_browser):
    seller = open_browser().sign_in_as(SELLER, language="es")
    buyer = open_browser().sign_in_as(BUYER, language="es")
    mark = tag()
    order = new_order_thread(buyer, mark)
    status, entry = seller.api(
        "POST",
        "/api/faq",
        {"question": "¿Hacéis envíos a Francia?", "answer": f"Sí, enviamos a toda la UE en 3-5 días [{mark}]", "language": "es"},
    )
    assert status == 201, entry
    status, template = seller.api("POST", "/api/templates", {"name": f"Descuento {mark}", "content": f"Ahora mismo no tenemos códigos de descuento [{mark}]"})
    assert status == 201, template
    try:
        # The automatic answers switch: off and on again, kept by the server.
        open_panel(seller)
        switch = seller.testid("auto-answer")[0]
        switch.click()
        seller.wait(lambda d: seller.api("GET", "/api/assist/settings")[1]["autoAnswer"] is False, "the switch did not turn them off")
        switch.click()
        seller.wait(lambda d: seller.api("GET", "/api/assist/settings")[1]["autoAnswer"] is True, "the switch did not turn them on")
        close_panel(seller)

        seller.open_conversation(order)
        buyer.open_conversation(order)
        question = f"hola, me haceis un descuento si compro dos? {mark}"
        buyer.send(question)
        seller.wait_for_message(question)
        asked = seller.wait(
            lambda d: next((m.get_attribute("data-message-id") for m in seller.testid("message") if m.text.find(question) >= 0), None),
            "the question has no id",
        )
        # The suggestions for this question (those for an older one may show first).
        seller.wait(
            lambda d: seller.testid("suggestions")[0].get_attribute("data-for-message-id") == asked
            and seller.testid("suggestions")[0].is_displayed(),
            "the seller got no suggestions for the question",
        )
        chips = seller.testid("suggestion")
        assert 1 <= len(chips) <= 3
        for chip in chips:
            assert chip.find_element(By.CSS_SELECTOR, '[data-testid="suggestion-source"]').text
        # Nothing answered it by itself, and buyers get no suggestions.
        assert not any(mark in m.text for m in auto_messages(buyer))
        assert not buyer.testid("suggestions")[0].is_displayed()

        before = seller.message_texts()
        text = chips[0].find_element(By.CSS_SELECTOR, '[data-testid="suggestion-text"]').text
        chips[0].click()
        box = seller.composer()
        seller.wait(lambda d: box.get_attribute("value").strip() == text.strip(), "the suggestion did not fill the composer")
        assert seller.message_texts() == before  # not sent
        seller.screenshot("seller-suggestions.png")

        # Once the seller answers, nothing waits for an answer: the suggestions go.
        filled = box.get_attribute("value")
        box.send_keys(Keys.ENTER)
        seller.wait_for_message(filled)
        seller.wait(lambda d: not seller.testid("suggestions")[0].is_displayed(), "the suggestions stayed after answering")
    finally:
        delete_quietly(seller, f"/api/faq/{entry['faqId']}")
        delete_quietly(seller, f"/api/templates/{template['templateId']}")
