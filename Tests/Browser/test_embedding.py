"""Who may frame the page and hand it a token, and whom the page may talk to.

browser-test.sh allows one embedding origin (`embedder_url`, localhost instead of
127.0.0.1) with --allowed-origins; `foreign_url` is a page on another loopback origin
that is not allowed. A page elsewhere that could frame Parley and post it a token would
sign the visitor in as a user of its choosing (login CSRF) or dress it up for
clickjacking; the page's own policy limits its connections to its own origin.

The sign-in by an allowed embedder is test_sign_in.py's
test_embedding_page_posts_the_token_into_an_iframe.
"""

from selenium.webdriver.common.by import By

from test_sign_in import dev_token, frame_parley, post_token_into_frame


def test_a_page_on_another_origin_cannot_frame_parley(open_browser, base_url, foreign_url):
    page = open_browser()
    frame = frame_parley(page, foreign_url + "/", base_url)
    console = []

    def refused(driver):
        console.extend(entry.get("message", "") for entry in driver.get_log("browser"))
        return any("frame-ancestors" in message for message in console)

    page.wait(refused, "chromium did not refuse the frame for its frame-ancestors")
    page.driver.switch_to.frame(frame)
    # What is in the frame is chromium's error page, not Parley.
    assert not page.css('[data-testid="sign-in"]')
    assert not page.css('[data-testid="current-user"]')


def test_a_token_posted_from_a_page_on_another_origin_is_ignored(open_browser, base_url, foreign_url, unguarded_url):
    token = dev_token(base_url, "tienda-sol")
    # Framed without its policy (as by a browser that ignores frame-ancestors), by a page
    # on an origin that is not allowed: the page's own check must turn the token away.
    page = open_browser()
    frame = frame_parley(page, foreign_url + "/", unguarded_url)
    post_token_into_frame(page, frame, token, unguarded_url)
    assert page.driver.execute_script("return sessionStorage.getItem('parley.token')") is None
    assert not page.css('[data-testid="current-user"][data-user-id]')
    assert page.testid("sign-in")[0].is_displayed()

    # The same page framed by its own origin takes the same token (the check is not
    # simply deaf).
    own = open_browser()
    frame = frame_parley(own, unguarded_url + "/", unguarded_url)
    post_token_into_frame(own, frame, token, unguarded_url)
    own.wait(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="current-user"]').get_attribute("data-user-id") == "tienda-sol",
        "a token posted by the page's own origin was not taken",
    )


def test_the_page_may_open_a_websocket_to_its_own_origin_only(open_browser, embedder_url):
    page = open_browser().sign_in_as("ana")
    # The client's own real-time connection is up under connect-src 'self'.
    page.wait(lambda d: page.banner() == "", f"the page never came online (banner {page.banner()!r})")
    outcome = page.driver.execute_async_script(
        """
        const [foreign, done] = arguments;
        const violations = [];
        document.addEventListener('securitypolicyviolation', (event) => violations.push(event.blockedURI));
        const opened = {};
        for (const [name, url] of [['own', location.origin.replace(/^http/, 'ws') + '/api/realtime'], ['foreign', foreign]]) {
          try {
            const socket = new WebSocket(url);
            socket.onerror = () => {};
            opened[name] = 'constructed';
          } catch (error) {
            opened[name] = 'threw ' + error.name;
          }
        }
        setTimeout(() => done({ opened, violations }), 500);
        """,
        embedder_url.replace("http://", "ws://") + "/api/realtime",
    )
    violations = outcome["violations"]
    foreign_blocked = outcome["opened"]["foreign"].startswith("threw") or any("localhost" in uri for uri in violations)
    assert foreign_blocked, f"a WebSocket to another origin was allowed: {outcome}"
    assert outcome["opened"]["own"] == "constructed"
    assert not any("127.0.0.1" in uri for uri in violations), f"the page's own origin was refused: {outcome}"
