"""What a person does and sees on Parley's page, for the browser tests.

Every wait is explicit (WebDriverWait with a bounded timeout); nothing sleeps.
"""

import json
import os
import shutil

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT_SECONDS = float(os.environ.get("PARLEY_BROWSER_WAIT", "15"))


def find_binary(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def new_driver(width=1280, height=900, language="es"):
    """Headless Debian chromium driven by Debian's chromium-driver."""
    options = webdriver.ChromeOptions()
    binary = os.environ.get("CHROMIUM_BIN") or find_binary("chromium", "chromium-browser", "google-chrome")
    if binary:
        options.binary_location = binary
    options.add_argument("--headless=new")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # chromium refuses to run as root with its sandbox
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--disable-gpu")
    options.add_argument("--no-first-run")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--lang={language}")
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = os.environ.get("CHROMEDRIVER_BIN") or find_binary("chromedriver")
    service = Service(driver_path) if driver_path else Service()
    driver = webdriver.Chrome(service=service, options=options)
    # The exact viewport (headless windows have a minimum width; phones are narrower).
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(10)
    return driver


class ParleyPage:
    """One person's browser on Parley."""

    def __init__(self, driver, base_url, screenshots):
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self.screenshots = screenshots

    # Waiting

    def wait(self, condition, message, timeout=WAIT_SECONDS):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(
            condition, message
        )

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def testid(self, name, within=""):
        return self.css(f'{within} [data-testid="{name}"]'.strip())

    def visible(self, selector):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)), f"{selector} never became visible")

    # Signing in

    def sign_in_as(self, user_id, language="es"):
        self.driver.get(self.base_url + "/")
        self.choose_language(language)
        button = self.wait(
            EC.element_to_be_clickable((By.CSS_SELECTOR, f'[data-testid="dev-user-{user_id}"]')),
            f"the dev picker never offered {user_id}",
        )
        button.click()
        self.wait(
            lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="current-user"]').get_attribute("data-user-id") == user_id,
            f"never signed in as {user_id}",
        )
        self.wait(lambda d: self.testid("conversation-item"), f"{user_id}'s inbox stayed empty")
        return self

    def choose_language(self, language):
        select = self.visible('[data-testid="language-select"]')
        Select(select).select_by_value(language)
        self.wait(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, "the language did not change")

    # Inbox

    def conversation_item(self, order_id=None, product_id=None):
        if order_id:
            selector = f'[data-testid="conversation-item"][data-order-id="{order_id}"]'
        else:
            selector = f'[data-testid="conversation-item"]'
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, selector)), f"no conversation for {order_id}")

    def open_conversation(self, order_id):
        self.wait(EC.element_to_be_clickable(self.conversation_item(order_id)), f"{order_id} is not clickable").click()
        self.wait(
            lambda d: self.conversation_item(order_id).get_attribute("aria-current") == "true"
            and d.find_element(By.CSS_SELECTOR, '[data-testid="thread-title"]').is_displayed(),
            f"the thread of {order_id} did not open",
        )
        self.wait(lambda d: self.message_texts(), f"the thread of {order_id} shows no messages")

    @staticmethod
    def item_selector(conversation_id):
        """The inbox entry of a conversation, by its id."""
        return f'[data-testid="conversation-item"][data-conversation-id="{conversation_id}"]'

    def open_thread(self, conversation_id):
        """Opens a conversation from the inbox (waiting for it to be listed) and waits for its messages."""
        selector = self.item_selector(conversation_id)
        self.wait(lambda d: self.css(selector), f"{conversation_id} is not in the inbox")
        self.css(selector)[0].click()
        self.wait(
            lambda d: self.css(selector)[0].get_attribute("aria-current") == "true" and self.message_texts(),
            f"the thread of {conversation_id} did not open",
        )

    def search(self, query):
        box = self.visible('[data-testid="search-input"]')
        box.clear()
        box.send_keys(query, Keys.ENTER)
        self.wait(
            lambda d: self.testid("search-result") or "«" in d.find_element(By.CSS_SELECTOR, '[data-testid="search-summary"]').text,
            f"no search results for {query}",
        )

    # Thread

    def composer(self):
        return self.visible('[data-testid="composer-input"]')

    def type_text(self, text):
        box = self.composer()
        box.click()
        box.send_keys(text)

    def send(self, text):
        """Types a message and sends it with Enter (lines joined with Shift+Enter)."""
        box = self.composer()
        box.click()
        lines = text.split("\n")
        for index, line in enumerate(lines):
            box.send_keys(line)
            if index < len(lines) - 1:
                box.send_keys(Keys.SHIFT, Keys.ENTER)
        box.send_keys(Keys.ENTER)
        self.wait(lambda d: box.get_attribute("value") == "", "Enter did not send the message")

    def messages(self):
        """(text, status, seq) of each message in the open thread, top to bottom."""
        script = """
            return Array.from(document.querySelectorAll('[data-testid="messages"] [data-testid="message"]')).map(li => [
              li.querySelector('[data-testid="message-text"]').innerText,
              (li.querySelector('[data-testid="message-status"]') || {dataset: {}}).dataset.state || null,
              li.dataset.seq ? Number(li.dataset.seq) : null,
            ]);
        """
        return [tuple(row) for row in self.driver.execute_script(script)]

    def message_texts(self):
        return [text for text, _, _ in self.messages()]

    def wait_for_message(self, text, timeout=WAIT_SECONDS):
        self.wait(lambda d: text in self.message_texts(), f"never saw the message {text!r}", timeout)

    def status_of(self, text):
        for message_text, status, _ in self.messages():
            if message_text == text:
                return status
        return None

    def wait_for_status(self, text, status):
        self.wait(lambda d: self.status_of(text) == status, f"{text!r} never showed as {status} (is {self.status_of(text)})")

    def typing_indicator(self):
        element = self.css('[data-testid="typing-indicator"]')
        return element[0].text if element and element[0].is_displayed() else ""

    def banner(self):
        element = self.css('[data-testid="connection-banner"]')
        return element[0].text if element and element[0].is_displayed() else ""

    # The REST API, as the signed-in user (for setting up and cleaning up what a test is not about)

    def api(self, method, path, body=None):
        """Calls Parley's API from the page with this tab's token; answers (status, parsed JSON or None)."""
        script = """
            const [method, path, body, done] = arguments;
            const token = window.sessionStorage.getItem("parley.token");
            const headers = {Accept: "application/json", Authorization: `Bearer ${token}`};
            if (body !== null) headers["Content-Type"] = "application/json";
            fetch(path, {method, headers, body: body === null ? undefined : JSON.stringify(body)})
              .then(async (response) => done([response.status, await response.text()]))
              .catch((error) => done([0, String(error)]));
        """
        status, text = self.driver.execute_async_script(script, method, path, body)
        try:
            return status, (json.loads(text) if text else None)
        except ValueError:
            return status, text

    # Evidence

    def screenshot(self, name):
        os.makedirs(self.screenshots, exist_ok=True)
        path = os.path.join(self.screenshots, name)
        self.driver.save_screenshot(path)
        return path

    def console_errors(self):
        try:
            return [entry for entry in self.driver.get_log("browser") if entry.get("level") == "SEVERE"]
        except Exception:  # some drivers do not keep logs
            return []
