// A photo full size, over the page (a modal <dialog>): its name, caption and a download;
// Escape, the close button or a click outside the photo close it, and the focus goes
// back to the thumbnail that opened it.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { attachmentOf } from "../store/attachments.js";
import { downloadAttachment, loadSigned } from "./message-attachment.js";

/** The share of the window the viewer takes at most (the page stays in view around it). */
const VIEWER_SHARE = 0.9;
/** What the frame takes besides the photo: padding, the title bar and a line of caption. */
const FRAME_CHROME_PX = { width: 24, height: 110 };

export class ImageViewerView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.dialog = byId("image-viewer");
    this.shown = null; // `${messageId}|${language}` on screen
    this.opener = null; // the element to give the focus back to

    // Escape (the dialog's "cancel") and every other way out end in "close".
    this.dialog.addEventListener("close", () => {
      this.shown = null;
      replaceChildren(this.dialog);
      dispatch({ type: "viewer.close" });
      if (this.opener && this.opener.isConnected) this.opener.focus();
      this.opener = null;
    });
    // Escape closes the photo only, not what is behind it (the thread at phone width).
    this.dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") event.stopPropagation();
    });
    // The dialog's own box is the backdrop around the frame: a click there is outside.
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.dialog.close();
    });
    window.addEventListener("resize", () => this.fit());
    store.subscribe((state) => this.render(state));
  }

  /**
   * Sizes the photo to fit the window, its proportions kept, never enlarged: set before
   * it loads (from the attachment's width and height), so nothing jumps.
   */
  fit() {
    const image = this.dialog.open && this.dialog.querySelector('[data-testid="viewer-image"]');
    const width = image ? Number(image.getAttribute("width")) : 0;
    const height = image ? Number(image.getAttribute("height")) : 0;
    if (!(width > 0 && height > 0)) return;
    const room = {
      width: window.innerWidth * VIEWER_SHARE - FRAME_CHROME_PX.width,
      height: window.innerHeight * VIEWER_SHARE - FRAME_CHROME_PX.height,
    };
    const scale = Math.max(0, Math.min(1, room.width / width, room.height / height));
    image.style.width = `${Math.floor(width * scale)}px`;
    image.style.height = `${Math.floor(height * scale)}px`;
  }

  render(state) {
    const wanted = state.attachments.viewer;
    const message = wanted && state.threads.get(wanted.conversationId)?.byId.get(wanted.messageId);
    const attachment = message ? attachmentOf(message) : null;
    if (!attachment || state.openId !== wanted.conversationId) {
      if (this.dialog.open) this.dialog.close();
      return;
    }
    const key = `${message.messageId}|${state.language}`;
    if (this.shown === key) return;
    this.shown = key;
    if (!this.dialog.open) this.opener = document.activeElement;
    this.build(message, attachment, localize(state.language));
    if (!this.dialog.open) this.dialog.showModal();
    this.fit();
    this.dialog.querySelector('[data-testid="viewer-close"]').focus();
  }

  build(message, attachment, { t }) {
    const caption = String(message.content || "").trim();
    const image = h("img", {
      class: "viewer-image",
      "data-testid": "viewer-image",
      alt: caption || attachment.name,
      width: attachment.width || null,
      height: attachment.height || null,
    });
    const failed = h("p", { class: "attachment-unavailable", hidden: true }, t("attach.unavailable"));
    loadSigned(image, attachment.attachmentId, "original", this.dispatch, () => {
      image.hidden = true;
      failed.hidden = false;
    });
    replaceChildren(
      this.dialog,
      h(
        "div",
        { class: "viewer-frame" },
        h(
          "div",
          { class: "viewer-head" },
          h("h2", { id: "image-viewer-title", class: "viewer-title" }, t("attach.viewer", { name: attachment.name })),
          h(
            "button",
            {
              type: "button",
              class: "secondary small",
              "data-testid": "viewer-download",
              onclick: () => downloadAttachment(attachment, this.dispatch).catch(() => {}),
            },
            t("attach.download"),
          ),
          h(
            "button",
            {
              type: "button",
              class: "secondary small viewer-close",
              "data-testid": "viewer-close",
              "aria-label": t("attach.close"),
              title: t("attach.close"),
              onclick: () => this.dialog.close(),
            },
            h("span", { "aria-hidden": "true" }, "×"),
          ),
        ),
        image,
        failed,
        caption ? h("p", { class: "viewer-caption", "data-testid": "viewer-caption" }, caption) : null,
      ),
    );
  }
}
