"""Phone width (inbox and thread as two screens), keyboard use, labels, languages."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def test_phone_width_shows_inbox_and_thread_as_two_screens(open_browser):
    phone = open_browser(width=375, height=800).sign_in_as("ana", language="es")
    inbox = phone.testid("inbox")[0]
    thread = phone.testid("thread")[0]
    assert inbox.is_displayed() and not thread.is_displayed()
    # Nothing wider than the screen.
    assert phone.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot("phone-inbox.png")

    phone.open_conversation("PED-10231")
    phone.wait(lambda d: thread.is_displayed() and not inbox.is_displayed(), "the thread did not replace the inbox")
    back = phone.testid("back-to-list")[0]
    assert back.is_displayed() and back.get_attribute("aria-label") == "Volver a la lista"
    assert phone.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot("phone-thread.png")

    back.click()
    phone.wait(lambda d: inbox.is_displayed() and not thread.is_displayed(), "back did not return to the inbox")
    # Focus returns to the conversation the user came from.
    phone.wait(
        lambda d: d.switch_to.active_element.get_attribute("data-order-id") == "PED-10231",
        "focus did not return to the conversation in the list",
    )


def test_keyboard_only_and_landmarks(open_browser):
    page = open_browser().sign_in_as("ana", language="en")
    driver = page.driver
    # Landmarks and labels for screen readers.
    assert driver.find_elements(By.CSS_SELECTOR, "header.topbar") and driver.find_elements(By.CSS_SELECTOR, "main#main")
    assert driver.find_element(By.CSS_SELECTOR, '[role="search"]')
    announcer = page.testid("announcer")[0]
    assert announcer.get_attribute("aria-live") == "polite"
    assert driver.find_element(By.CSS_SELECTOR, 'label[for="composer-input"]')
    assert driver.find_element(By.CSS_SELECTOR, 'label[for="search-input"]')

    # Tab from the search box reaches the conversation list; Enter opens one and puts
    # the cursor in the composer; Enter sends.
    page.visible('[data-testid="search-input"]').click()
    for _ in range(8):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.get_attribute("data-testid") == "conversation-item":
            break
    focused = driver.switch_to.active_element
    assert focused.get_attribute("data-testid") == "conversation-item"
    # The focused item has a visible focus indicator.
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused)
    assert outline not in ("none", ""), outline
    focused.send_keys(Keys.ENTER)
    page.wait(lambda d: d.switch_to.active_element.get_attribute("data-testid") == "composer-input", "focus did not move to the composer")
    text = "Sent with the keyboard only"
    driver.switch_to.active_element.send_keys(text + " ✓", Keys.ENTER)
    page.wait_for_message(text + " ✓")
    # The list of messages is labelled; new messages from others are announced (see test_chat).
    assert page.testid("messages")[0].get_attribute("aria-label") == "Messages"


def test_language_is_switchable_and_remembered(open_browser):
    page = open_browser().sign_in_as("tienda-sol", language="es")
    assert page.testid("search-submit")[0].text == "Buscar"
    page.choose_language("en")
    page.wait(lambda d: page.testid("search-submit")[0].text == "Search", "the interface did not switch to English")
    assert "Signed in as Tienda Sol" in page.testid("current-user")[0].text
    page.driver.refresh()
    page.wait(lambda d: page.testid("conversation-item"), "no inbox after reload")
    assert page.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert page.testid("search-submit")[0].text == "Search"
