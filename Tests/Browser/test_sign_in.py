"""Production sign-in: the marketplace hands the page a token (fragment or postMessage).

The tokens come from the --dev signer here; in production the marketplace signs them.
"""

import json
import urllib.request

from selenium.webdriver.common.by import By


def dev_token(base_url, user_id):
    request = urllib.request.Request(
        base_url + "/dev/tokens",
        data=json.dumps({"userId": user_id}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["token"]


def frame_parley(page, parent_url, base_url):
    """Opens the page at `parent_url` and puts Parley's page (at `base_url`) in an iframe on it."""
    page.driver.get(parent_url)
    page.driver.execute_script(
        """
        const frame = document.createElement('iframe');
        frame.id = 'parley';
        frame.style.width = '1200px';
        frame.style.height = '800px';
        frame.src = arguments[0] + '/';
        document.body.appendChild(frame);
        """,
        base_url,
    )
    return page.wait(lambda d: d.find_element(By.ID, "parley"), "no iframe")


def post_token_into_frame(page, frame, token, target_origin):
    """Posts `token` from the top page into `frame`; returns once the frame has it."""
    page.driver.switch_to.frame(frame)
    page.wait(
        lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="sign-in"]')
        and d.find_element(By.CSS_SELECTOR, '[data-testid="sign-in"]').is_displayed(),
        "the framed page did not load",
    )
    # Counts the messages that reach the page. It listens after the app does, so once it
    # has counted one the app has handled it (taking a token signs in at once).
    page.driver.execute_script("window.postedMessages = 0; window.addEventListener('message', () => window.postedMessages++);")
    page.driver.switch_to.default_content()
    page.driver.execute_script(
        "document.getElementById('parley').contentWindow.postMessage({type: 'parley-token', token: arguments[0]}, arguments[1])",
        token,
        target_origin,
    )
    page.driver.switch_to.frame(frame)
    page.wait(lambda d: d.execute_script("return window.postedMessages") >= 1, "the posted message never arrived")


def test_token_in_the_fragment_signs_in_and_leaves_the_address_bar(open_browser, base_url):
    token = dev_token(base_url, "ana")
    page = open_browser()
    page.driver.get(f"{base_url}/#token={token}&orderId=PED-10231")
    page.wait(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="current-user"]').get_attribute("data-user-id") == "ana",
        "the fragment's token did not sign in",
    )
    assert token not in page.driver.current_url and "#" not in page.driver.current_url
    # The order named in the fragment is opened.
    page.wait(lambda d: page.testid("thread-title")[0].text == "Zapatillas talla 38", "the order's thread did not open")
    # A reload keeps the session (sessionStorage, this tab only).
    page.driver.refresh()
    page.wait(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="current-user"]').get_attribute("data-user-id") == "ana",
        "the session did not survive a reload",
    )
    # Signing out forgets it.
    page.testid("sign-out")[0].click()
    page.wait(lambda d: page.testid("sign-in")[0].is_displayed(), "no sign-in screen after signing out")
    assert page.driver.execute_script("return sessionStorage.getItem('parley.token')") is None


def test_embedding_page_posts_the_token_into_an_iframe(open_browser, base_url, embedder_url):
    token = dev_token(base_url, "tienda-sol")
    page = open_browser()
    # The "marketplace": another origin (localhost instead of 127.0.0.1), allowed by
    # --allowed-origins, embedding the page.
    marketplace = embedder_url
    assert marketplace != base_url
    frame = frame_parley(page, marketplace + "/health", base_url)
    post_token_into_frame(page, frame, token, base_url)
    page.wait(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="current-user"]').get_attribute("data-user-id") == "tienda-sol",
        "the posted token did not sign in",
    )
    page.wait(lambda d: page.testid("conversation-item"), "the seller's inbox did not load in the frame")
