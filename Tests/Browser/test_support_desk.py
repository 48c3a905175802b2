"""A support agent triages a conversation; the seller's inbox follows live."""

import uuid

from selenium.webdriver.support.ui import Select

ORDER = "PED-20502"  # James Carter and Tienda Sol, assigned to Luis (soporte) in demo.json


def shown_titles(page):
    return [e.text for e in page.testid("conversation-title") if e.is_displayed()]


def test_support_assigns_labels_closes_and_seller_sees_it(open_browser):
    agent = open_browser().sign_in_as("soporte-luis", language="es")
    seller = open_browser().sign_in_as("tienda-sol", language="es")

    # Support sees every conversation, and can narrow to its own.
    agent.wait(lambda d: len(shown_titles(agent)) >= 8, f"support sees {shown_titles(agent)}")
    Select(agent.visible('[data-testid="filter-assignee"]')).select_by_value("soporte-luis")
    agent.wait(lambda d: "Refund for returned headphones" in shown_titles(agent) and "Basic Tee: M or L?" not in shown_titles(agent),
               f"assigned-to-me shows {shown_titles(agent)}")
    agent.open_conversation(ORDER)

    def seller_item_text():
        return seller.conversation_item(ORDER).text

    Select(agent.visible('[data-testid="manage-status"]')).select_by_value("closed")
    seller.wait(lambda d: "Cerrada" in seller_item_text(), "the seller did not see the conversation closed")
    label = f"urgente-{uuid.uuid4().hex[:4]}"
    agent.visible('[data-testid="label-input"]').send_keys(label + "\n")
    seller.wait(lambda d: label in seller_item_text(), "the seller did not see the new label")
    Select(agent.visible('[data-testid="manage-priority"]')).select_by_value("high")
    seller.wait(lambda d: "Prioridad Alta" in seller_item_text(), "the seller did not see the priority")
    Select(agent.visible('[data-testid="manage-assignee"]')).select_by_value("support-emma")
    seller.wait(lambda d: "Asignada a Emma (support)" in seller_item_text(), "the seller did not see the new assignee")

    # The seller answers in the closed conversation: it reopens. The agent, no longer
    # assigned, still sees it (support sees everything; the open thread is refreshed).
    seller.open_conversation(ORDER)
    answer = f"Reembolso hecho, gracias [{uuid.uuid4().hex[:6]}]"
    seller.send(answer)
    agent.wait_for_message(answer, timeout=20)
    agent.wait(lambda d: Select(agent.visible('[data-testid="manage-status"]')).first_selected_option.get_attribute("value") == "open",
               "the agent did not see the conversation reopen", timeout=20)

    # Archiving is per user: the seller archives, finds it under "archived", restores it.
    seller.visible('[data-testid="manage-archive"]').click()
    seller.wait(lambda d: "Refund for returned headphones" not in shown_titles(seller), "archiving did not hide it")
    seller.visible('[data-testid="filter-archived"]').click()
    seller.wait(lambda d: "Refund for returned headphones" in shown_titles(seller), "not listed under archived")
    assert seller.visible('[data-testid="manage-archive"]').text == "Desarchivar"
    seller.visible('[data-testid="manage-archive"]').click()
    seller.wait(lambda d: "Refund for returned headphones" not in shown_titles(seller), "unarchiving did not move it back")
    agent.screenshot("support-desk.png")
