"""Attachments in the browser (CONTRACT.md "Attachments"): a buyer attaches a phone
photo through the paperclip's file input, sees it in the tray with its upload's
progress and sends it with a caption; the seller's page shows the thumbnail live,
opens it full size, and the photo the server serves has no EXIF (no GPS position) left.
The seller sends a PDF invoice back and the buyer downloads it from its card. An HTML
file named foto.png is refused with an error in the UI and nothing is sent. Files
dropped on the thread and images pasted into the composer are attached too.

Marta Ruiz and Urban Kicks; each test opens a conversation of its own.
"""

import base64
import io
import os
import time
import urllib.parse
import urllib.request
import uuid

from PIL import Image, ImageDraw
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from parley_page import ParleyPage
from selenium.webdriver.common.keys import Keys

BUYER = "marta"
SELLER = "urban-kicks"
GPS_IFD = 0x8825
ORIENTATION = 0x0112
# The server's thumbnails: longest side at most this (CONTRACT.md).
THUMBNAIL_MAX_SIDE = 320
# "The seller sees it within a second": a generous bound for a loaded CI machine.
LIVE_SECONDS = 5


def tag():
    return uuid.uuid4().hex[:6]


def new_thread(buyer, first):
    status, answer = buyer.api(
        "POST",
        "/api/conversations",
        {
            "participants": [{"userId": BUYER, "role": "buyer"}, {"userId": SELLER, "role": "seller"}],
            "orderId": f"PED-A{tag()}",
            "message": {"content": first},
        },
    )
    assert status == 201, (status, answer)
    return answer["conversationId"]


def phone_photo(path, size=(1600, 1200)):
    """A JPEG as a phone writes it: EXIF with a GPS position, and orientation 6 (turn it
    90° clockwise). A parcel with a split in it, with some grain so that it does not
    compress to nothing (the upload takes a moment).
    """
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a wall and a floor
        shade = 215 - y * 60 // height if y < height * 2 // 3 else 150 - (y - height * 2 // 3) * 40 // height
        draw.line([(0, y), (width, y)], fill=(shade, shade - 8, shade - 20))
    box = (width // 5, height // 4, width * 4 // 5, height * 5 // 6)
    draw.rectangle(box, fill=(176, 128, 74), outline=(120, 84, 44), width=8)
    draw.rectangle((width // 2 - 40, box[1], width // 2 + 40, box[3]), fill=(214, 196, 150))  # tape
    crack = [(box[0] + 60, box[1] + 90), (box[0] + 220, box[1] + 260), (box[0] + 170, box[1] + 380), (box[0] + 380, box[1] + 560)]
    draw.line(crack, fill=(40, 26, 14), width=14, joint="curve")
    grain = Image.effect_noise(size, 40).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (40.0, 25.0, 12.0), 3: "W", 4: (3.0, 42.0, 5.0)}
    image.save(path, "JPEG", quality=92, exif=exif)
    with open(path, "rb") as file:
        data = file.read()
    assert b"Exif" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the test photo has no GPS"
    return data


def jpeg_markers(data):
    """The markers of a JPEG's segments up to its image data (SOS)."""
    markers, position = [], 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return markers


def small_png(color=(30, 160, 90), size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def invoice_pdf(target_size=48213):
    """A small valid-looking PDF, padded with a comment to about 47 KB."""
    body = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n"
    )
    padding = b"%" + b"x" * (target_size - len(body) - len(b"\n%%EOF\n") - 2) + b"\n"
    return body + padding + b"%%EOF\n"


def attach_through_input(page, path):
    """What the paperclip's file picker gives the page (Selenium types the path into the input)."""
    page.css('[data-testid="attach-input"]')[0].send_keys(path)
    page.wait(lambda d: page.testid("attachment-tray")[0].is_displayed(), "the tray did not show the picked file")


def record_tray(page):
    """Records every state and progress value the tray shows from now on (window.trayLog)."""
    page.driver.execute_script(
        """
        window.trayLog = [];
        const tray = document.querySelector('[data-testid="attachment-tray"]');
        const note = () => {
          const progress = tray.querySelector('[data-testid="attachment-progress"]');
          window.trayLog.push([tray.dataset.state || "", tray.hidden, progress ? Number(progress.value) : null,
                               progress ? !progress.hidden : false]);
        };
        new MutationObserver(note).observe(tray, {attributes: true, subtree: true, childList: true, characterData: true});
        """
    )


def message_with_attachment(page, testid):
    """The <li> of the newest message of the open thread that has a `testid` attachment, or None."""
    found = [li for li in page.testid("message", within='[data-testid="messages"]') if li.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')]
    return found[-1] if found else None


def loaded(page, image):
    return page.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)


def fetch(page, path):
    """GET a path of the page's server with no token (as a signed link must work)."""
    url = urllib.parse.urljoin(page.base_url + "/", path)
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def token_of(page):
    return page.driver.execute_script('return window.sessionStorage.getItem("parley.token")')


def requested_urls(page):
    return page.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


def test_a_buyer_sends_a_phone_photo_and_the_seller_sees_it_without_gps(open_browser, tmp_path):
    buyer = open_browser().sign_in_as(BUYER, language="es")
    cid = new_thread(buyer, "Hola, el paquete llegó roto")
    seller = open_browser().sign_in_as(SELLER, language="en")
    buyer.open_thread(cid)
    seller.open_thread(cid)

    # (The browser reads the file when it uploads it: it stays until the test ends.)
    path = str(tmp_path / "rotura.jpg")
    original = phone_photo(path)
    # A slow uplink, so that the upload's progress shows (about 2 s for the photo).
    buyer.driver.execute_cdp_cmd("Network.enable", {})
    buyer.driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 5, "downloadThroughput": -1, "uploadThroughput": max(len(original) // 2, 64 * 1024)},
    )
    attach_through_input(buyer, path)

    # The tray: a preview of the photo, its name and size, Remove; nothing sent yet.
    tray = buyer.testid("attachment-tray")[0]
    assert buyer.testid("attachment-name")[0].text == "rotura.jpg"
    assert buyer.testid("attachment-size")[0].text.endswith("KB") or buyer.testid("attachment-size")[0].text.endswith("MB")
    buyer.wait(lambda d: buyer.testid("attachment-preview"), "no preview of the picked photo in the tray")
    assert tray.get_attribute("data-state") == "ready"
    remove = buyer.testid("attachment-remove")[0]
    assert remove.get_attribute("aria-label") == "Quitar rotura.jpg"
    before = len(buyer.message_texts())

    record_tray(buyer)
    caption = f"Así llegó la caja {tag()}"
    buyer.send(caption)
    buyer.wait(lambda d: not buyer.testid("attachment-tray")[0].is_displayed(), "the tray stayed after sending", timeout=30)
    buyer.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    log = buyer.driver.execute_script("return window.trayLog")
    states = [state for state, *_ in log]
    assert "uploading" in states and "sending" in states, log
    shown = [value for state, hidden, value, visible in log if state == "uploading" and visible and value is not None]
    assert any(0 < value < 1 for value in shown), f"the progress bar never showed a part done: {log}"
    assert shown == sorted(shown), f"the progress went backwards: {shown}"

    # The buyer's own message: the thumbnail, with its caption under it.
    buyer.wait(lambda d: message_with_attachment(buyer, "attachment-image"), "the buyer's photo message did not show")
    assert len(buyer.message_texts()) == before + 1
    assert buyer.message_texts()[-1] == caption

    # The seller, live: the thumbnail, sized before it loads, the caption as its alt text.
    started = time.monotonic()
    seller.wait(
        lambda d: (li := message_with_attachment(seller, "attachment-image"))
        and loaded(seller, li.find_element(By.CSS_SELECTOR, '[data-testid="attachment-thumbnail"]')),
        "the seller never saw the photo",
        timeout=LIVE_SECONDS,
    )
    print(f"\nthe seller saw the photo {time.monotonic() - started:.2f} s after the buyer's send was stored")
    li = message_with_attachment(seller, "attachment-image")
    assert li.find_element(By.CSS_SELECTOR, '[data-testid="message-text"]').text == caption
    thumbnail = li.find_element(By.CSS_SELECTOR, '[data-testid="attachment-thumbnail"]')
    assert thumbnail.get_attribute("alt") == caption
    width, height = int(thumbnail.get_dom_attribute("width")), int(thumbnail.get_dom_attribute("height"))
    # Orientation 6 applied: the 1600×1200 photo is served 1200×1600; the thumbnail 240×320.
    assert (width, height) == (240, 320), (width, height)
    thumb_src = thumbnail.get_attribute("src")
    assert "/thumbnail?" in thumb_src and "signature=" in thumb_src and "expires=" in thumb_src, thumb_src
    status, headers, thumb_bytes = fetch(seller, thumb_src)
    assert status == 200
    assert max(Image.open(io.BytesIO(thumb_bytes)).size) <= THUMBNAIL_MAX_SIDE

    # The viewer: the full photo in a dialog, focus on its close button; Escape closes it
    # and gives the focus back to the thumbnail.
    opener = li.find_element(By.CSS_SELECTOR, '[data-testid="image-open"]')
    assert opener.get_attribute("aria-label") == "View the photo “rotura.jpg” full size"
    opener.click()
    viewer = seller.visible('[data-testid="image-viewer"]')
    assert viewer.get_attribute("open") is not None
    full = seller.wait(
        lambda d: (images := seller.testid("viewer-image")) and loaded(seller, images[0]) and images[0],
        "the viewer never showed the full photo",
    )
    assert seller.driver.switch_to.active_element.get_attribute("data-testid") == "viewer-close"
    assert seller.testid("viewer-caption")[0].text == caption

    # What the server serves: the photo turned upright, with no EXIF, so no GPS position.
    full_src = full.get_attribute("src")
    assert "signature=" in full_src and "/thumbnail" not in full_src, full_src
    status, headers, served = fetch(seller, full_src)
    assert status == 200 and headers.get("Content-Type") == "image/jpeg", headers
    assert served[:2] == b"\xff\xd8", "not a JPEG"
    assert b"Exif" not in served, "the served photo still has EXIF"
    assert [marker for marker in jpeg_markers(served) if marker in (0xE1, 0xED)] == [], "an APP1 (EXIF, XMP) or APP13 (IPTC) segment is left"
    picture = Image.open(io.BytesIO(served))
    assert picture.size == (1200, 1600), picture.size
    assert not picture.getexif().get_ifd(GPS_IFD) and ORIENTATION not in picture.getexif()
    assert seller.driver.execute_script("return arguments[0].naturalWidth", full) == 1200

    ActionChains(seller.driver).send_keys(Keys.ESCAPE).perform()
    seller.wait(lambda d: viewer.get_attribute("open") is None, "Escape did not close the viewer")
    assert seller.driver.switch_to.active_element == opener, "the focus did not go back to the thumbnail"
    assert seller.testid("thread-title")[0].is_displayed(), "Escape closed more than the viewer"

    # A click outside the photo closes it too; so does the keyboard (Enter on the thumbnail).
    opener.send_keys(Keys.ENTER)
    seller.wait(lambda d: viewer.get_attribute("open") is not None, "Enter on the thumbnail did not open the viewer")
    ActionChains(seller.driver).move_to_element_with_offset(viewer, -viewer.size["width"] // 2 + 4, -viewer.size["height"] // 2 + 4).click().perform()
    seller.wait(lambda d: viewer.get_attribute("open") is None, "a click outside the photo did not close the viewer")

    # The buyer's own photo (on the right of the thread) opens the same way: the screenshot
    # shows it in the chat, with the viewer over it.
    mine = message_with_attachment(buyer, "attachment-image")
    buyer.wait(lambda d: loaded(buyer, mine.find_element(By.CSS_SELECTOR, '[data-testid="attachment-thumbnail"]')), "the buyer's thumbnail did not load")
    mine.find_element(By.CSS_SELECTOR, '[data-testid="image-open"]').click()
    buyer.wait(lambda d: (images := buyer.testid("viewer-image")) and loaded(buyer, images[0]), "the buyer's viewer never showed the photo")
    assert buyer.testid("viewer-close")[0].get_attribute("aria-label") == "Cerrar"
    buyer.screenshot("attachments-photo-viewer.png")
    buyer.testid("viewer-close")[0].click()
    buyer.wait(lambda d: not buyer.testid("image-viewer")[0].is_displayed(), "the close button did not close the viewer")

    # Neither page ever put a token in a URL.
    for page in (buyer, seller):
        token = token_of(page)
        assert token
        leaked = [url for url in requested_urls(page) if token in url or "token=" in url.lower()]
        assert leaked == [], leaked
    assert buyer.console_errors() == [] or all("favicon" in e.get("message", "") for e in buyer.console_errors())


def test_the_seller_sends_an_invoice_back_and_the_buyer_downloads_it(open_browser, tmp_path):
    buyer = open_browser().sign_in_as(BUYER, language="es")
    cid = new_thread(buyer, "¿Me mandáis la factura?")
    seller = open_browser().sign_in_as(SELLER, language="en")
    buyer.open_thread(cid)
    seller.open_thread(cid)

    invoice = invoice_pdf()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    path = str(tmp_path / "factura-2025-118.pdf")
    with open(path, "wb") as file:
        file.write(invoice)
    attach_through_input(seller, path)
    assert not seller.testid("attachment-preview"), "a PDF got an image preview"
    seller.send("Here is your invoice")
    seller.wait(lambda d: not seller.testid("attachment-tray")[0].is_displayed(), "the seller's tray stayed")

    buyer.wait(lambda d: message_with_attachment(buyer, "attachment-file"), "the buyer never saw the invoice", timeout=LIVE_SECONDS)
    li = message_with_attachment(buyer, "attachment-file")
    card = li.find_element(By.CSS_SELECTOR, '[data-testid="attachment-file"]')
    assert card.find_element(By.CSS_SELECTOR, '[data-testid="file-name"]').text == "factura-2025-118.pdf"
    assert card.find_element(By.CSS_SELECTOR, '[data-testid="file-meta"]').text == "47 KB · PDF"
    assert li.find_element(By.CSS_SELECTOR, '[data-testid="message-text"]').text == "Here is your invoice"
    download = card.find_element(By.CSS_SELECTOR, '[data-testid="file-download"]')
    assert download.get_attribute("aria-label") == "Descargar factura-2025-118.pdf"
    buyer.screenshot("attachments-file-card.png")

    # The download: a signed link clicked under the file's name; the bytes are the invoice's.
    buyer.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    download.click()
    target = str(downloads / "factura-2025-118.pdf")
    buyer.wait(lambda d: os.path.exists(target) and os.path.getsize(target) == len(invoice), "the invoice was not downloaded")
    with open(target, "rb") as file:
        assert file.read() == invoice
    for page in (buyer, seller):
        token = token_of(page)
        assert [url for url in requested_urls(page) if token in url] == []


def test_an_html_file_named_like_a_photo_is_refused_and_nothing_is_sent(open_browser, tmp_path):
    buyer = open_browser().sign_in_as(BUYER, language="es")
    cid = new_thread(buyer, "Os mando una foto")
    buyer.open_thread(cid)
    before = buyer.message_texts()
    path = str(tmp_path / "foto.png")
    with open(path, "wb") as file:
        file.write(b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n")
    attach_through_input(buyer, path)
    assert not buyer.testid("attachment-preview"), "the page drew a preview of something that is no image"
    buyer.send("mira")
    error = buyer.wait(
        lambda d: (found := buyer.testid("attachment-error")) and found[0].is_displayed() and found[0],
        "no error for an HTML file named foto.png",
    )
    assert "«foto.png» no es lo que dice ser" in error.text, error.text
    assert buyer.testid("attachment-tray")[0].get_attribute("data-state") == "failed"
    assert not buyer.testid("attachment-retry")[0].is_displayed(), "retrying cannot help a file that is not what it says"
    # Nothing sent: not on the page, not on the server.
    assert buyer.message_texts() == before
    status, page = buyer.api("GET", f"/api/conversations/{cid}/messages")
    assert status == 200 and [m["content"] for m in page["messages"]] == ["Os mando una foto"], page
    # The caption was kept with the file. The refused file stays until removed; text is sent alone meanwhile.
    assert buyer.testid("attachment-caption")[0].text == "Pie: «mira»"
    buyer.send("os la mando luego")
    buyer.wait_for_message("os la mando luego")
    buyer.wait(lambda d: buyer.status_of("os la mando luego") in ("sent", "seen"), "the text was not stored")
    assert buyer.testid("attachment-error")[0].is_displayed()
    status, page = buyer.api("GET", f"/api/conversations/{cid}/messages")
    assert [(m["type"], m["content"]) for m in page["messages"]] == [("text", "Os mando una foto"), ("text", "os la mando luego")]
    # Remove empties the tray and the focus goes back to the text box.
    buyer.testid("attachment-remove")[0].click()
    buyer.wait(lambda d: not buyer.testid("attachment-tray")[0].is_displayed(), "Remove left the tray")
    assert buyer.driver.switch_to.active_element.get_attribute("data-testid") == "composer-input"


DROP_SCRIPT = """
const [selector, base64, name, type, kind] = arguments;
const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const data = new DataTransfer();
data.items.add(new File([bytes], name, {type}));
const target = document.querySelector(selector);
if (kind === "paste") {
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
  return null;
}
target.dispatchEvent(new DragEvent(kind, {dataTransfer: data, bubbles: true, cancelable: true}));
return getComputedStyle(document.querySelector('[data-testid="drop-zone"]')).display;
"""


def test_files_dropped_on_the_thread_or_pasted_into_the_composer_are_attached(open_browser):
    buyer = open_browser().sign_in_as(BUYER, language="en")
    cid = new_thread(buyer, "Two more pictures")
    seller = open_browser().sign_in_as(SELLER, language="es")
    buyer.open_thread(cid)
    seller.open_thread(cid)
    png = base64.b64encode(small_png()).decode()

    # The paperclip is a named button that the keyboard reaches and presses: it opens the
    # file picker (stopped here: headless chromium would wait on it).
    button = buyer.testid("attach-button")[0]
    assert button.get_attribute("aria-label") == "Attach a photo or a file" and button.tag_name == "button"
    buyer.driver.execute_script(
        """window.pickerOpened = 0;
           document.querySelector('[data-testid="attach-input"]').addEventListener("click", (event) => {
             window.pickerOpened += 1; event.preventDefault(); });"""
    )
    buyer.composer().send_keys(Keys.SHIFT, Keys.TAB)
    assert buyer.driver.switch_to.active_element == button, "Shift+Tab from the text box does not reach the paperclip"
    button.send_keys(Keys.ENTER)
    button.send_keys(Keys.SPACE)
    buyer.wait(lambda d: d.execute_script("return window.pickerOpened") == 2, "Enter and Space on the paperclip did not open the picker")

    # Dragging over the thread shows the drop zone; dropping attaches the file.
    zone = buyer.driver.execute_script(DROP_SCRIPT, '[data-testid="messages"]', png, "caja.png", "image/png", "dragenter")
    assert zone == "flex", "no drop zone while dragging a file over the thread"
    assert buyer.testid("drop-zone")[0].text == "Drop here to attach"
    buyer.driver.execute_script(DROP_SCRIPT, '[data-testid="messages"]', png, "caja.png", "image/png", "drop")
    buyer.wait(lambda d: buyer.testid("attachment-tray")[0].is_displayed(), "the dropped file is not in the tray")
    assert not buyer.testid("drop-zone")[0].is_displayed()
    assert buyer.testid("attachment-name")[0].text == "caja.png"
    buyer.wait(lambda d: buyer.testid("attachment-preview"), "no preview of the dropped image")
    buyer.send("dropped")
    seller.wait(
        lambda d: (li := message_with_attachment(seller, "attachment-image"))
        and li.find_element(By.CSS_SELECTOR, '[data-testid="message-text"]').text == "dropped",
        "the dropped photo never reached the seller",
        timeout=LIVE_SECONDS,
    )

    # An image pasted into the text box (a screenshot) is attached; Enter with no text sends it with no caption.
    pasted = base64.b64encode(small_png(color=(220, 200, 40), size=(300, 200))).decode()
    buyer.driver.execute_script(DROP_SCRIPT, '[data-testid="composer-input"]', pasted, "image.png", "image/png", "paste")
    buyer.wait(lambda d: buyer.testid("attachment-tray")[0].is_displayed(), "the pasted image is not in the tray")
    assert buyer.composer().get_attribute("value") == "", "the paste put text in the composer"
    buyer.composer().send_keys(Keys.ENTER)
    buyer.wait(lambda d: not buyer.testid("attachment-tray")[0].is_displayed(), "the pasted image was not sent")

    def seller_sees_pasted(_):
        images = [li for li in seller.testid("message", within='[data-testid="messages"]') if li.find_elements(By.CSS_SELECTOR, '[data-testid="attachment-thumbnail"]')]
        if len(images) < 2:
            return False
        thumbnail = images[-1].find_element(By.CSS_SELECTOR, '[data-testid="attachment-thumbnail"]')
        return thumbnail.get_attribute("alt") == "image.png" and thumbnail.get_dom_attribute("width") == "300" and loaded(seller, thumbnail)

    seller.wait(seller_sees_pasted, "the pasted image never reached the seller", timeout=LIVE_SECONDS)
    # The seller's inbox line says a photo came (no caption to show).
    item = seller.css(ParleyPage.item_selector(cid))[0]
    seller.wait(lambda d: "Marta Ruiz: Foto" in item.text, f"the inbox line does not say a photo came: {item.text!r}")
