// Attaching in the composer: the paperclip button (and its hidden file input), files
// dropped on the open thread (with a drop zone shown while dragging), images pasted
// into the text box, and the tray above the composer with the waiting file: a preview
// of an image, its name and size, the upload's progress, an error, and Remove.
// Sending is the composer's (its text goes as the caption; see composer.js).

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { draftErrorText, draftOf, humanSize, isBusy, isRefused } from "../store/attachments.js";
import { isEncrypted } from "../store/e2ee.js";
import { fileIconNode } from "./message-attachment.js";

/** The preview's box in the tray (CSS pixels; drawn at the screen's density). */
const PREVIEW_SIDE_PX = 56;
/** Images larger than this many bytes get no preview (decoding them costs more than it shows). */
const MAX_PREVIEW_BYTES = 40 * 1024 * 1024;

export class AttachmentTrayView {
  constructor(store, dispatch) {
    this.store = store;
    this.dispatch = dispatch;
    this.tray = byId("attachment-tray");
    this.button = byId("attach-button");
    this.input = byId("attach-input");
    this.textBox = byId("composer-input");
    this.threadBody = byId("thread-body");
    this.dropZone = byId("drop-zone");
    this.shownSerial = null;
    this.parts = null; // the tray's elements for the draft shown (updated in place)
    this.dragDepth = 0;

    this.button.addEventListener("click", () => {
      this.input.value = ""; // picking the same file again still fires "change"
      this.input.click();
    });
    this.input.addEventListener("change", () => {
      this.take(this.input.files);
      this.input.value = "";
    });
    this.textBox.addEventListener("paste", (event) => {
      const files = filesOf(event.clipboardData);
      if (files.length === 0) return; // text: pasted as usual
      event.preventDefault();
      if (this.encryptedOpen()) return; // files would be uploaded in clear
      this.take(files);
    });

    // Dragging files over the thread shows where to drop them. dragenter/dragleave fire
    // for every child crossed, hence the depth count.
    this.threadBody.addEventListener("dragenter", (event) => {
      if (!this.accepts(event)) return;
      event.preventDefault();
      this.dragDepth += 1;
      this.dropZone.hidden = false;
    });
    this.threadBody.addEventListener("dragover", (event) => {
      if (!this.accepts(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      this.dropZone.hidden = false;
    });
    this.threadBody.addEventListener("dragleave", () => {
      this.dragDepth = Math.max(0, this.dragDepth - 1);
      if (this.dragDepth === 0) this.dropZone.hidden = true;
    });
    this.threadBody.addEventListener("drop", (event) => {
      this.dragDepth = 0;
      this.dropZone.hidden = true;
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      if (this.encryptedOpen()) return;
      this.take(filesOf(event.dataTransfer));
    });
    // A file dropped anywhere else must not make the browser leave the page to show it.
    for (const type of ["dragover", "drop"]) {
      window.addEventListener(type, (event) => {
        if (!event.defaultPrevented && carriesFiles(event.dataTransfer)) event.preventDefault();
      });
    }
    store.subscribe((state) => this.render(state));
  }

  /** Whether a drag can end in an attachment here (files, an open conversation, nothing being sent). */
  accepts(event) {
    const { state } = this.store;
    return carriesFiles(event.dataTransfer) && Boolean(state.openId) && !this.encryptedOpen() && !isBusy(draftOf(state, state.openId));
  }

  /** Whether the open conversation is end-to-end encrypted: attachments would go in clear, so none. */
  encryptedOpen() {
    const { state } = this.store;
    return Boolean(state.openId) && isEncrypted(state.conversations.get(state.openId));
  }

  take(fileList) {
    const files = Array.from(fileList || []);
    if (files.length === 0) return;
    this.dispatch({ type: "attachment.add", file: files[0], more: files.length - 1 });
  }

  render(state) {
    const id = state.openId;
    if (!state.me || !id) {
      this.shownSerial = null;
      return;
    }
    const l10n = localize(state.language);
    const draft = draftOf(state, id);
    // No attaching in an encrypted conversation (files are uploaded unencrypted).
    const encrypted = isEncrypted(state.conversations.get(id));
    this.button.hidden = encrypted;
    this.button.disabled = encrypted || isBusy(draft);
    this.tray.hidden = !draft;
    if (!draft) {
      if (this.shownSerial !== null) replaceChildren(this.tray);
      this.shownSerial = null;
      this.parts = null;
      return;
    }
    const key = `${draft.serial} ${state.language}`;
    if (this.shownSerial !== key) {
      this.shownSerial = key;
      this.build(draft, l10n);
    }
    this.update(draft, l10n);
  }

  /** The tray's elements for a draft; the preview is drawn once. */
  build(draft, { t }) {
    const preview = fileIconNode({ contentType: draft.file.type, name: draft.name });
    if (draft.previewable && draft.size > 0 && draft.size <= MAX_PREVIEW_BYTES) this.drawPreview(draft.file, preview);
    const progress = h("progress", { class: "tray-progress", "data-testid": "attachment-progress", max: "1", value: "0", "aria-label": t("attach.progress", { name: draft.name }) });
    this.parts = {
      progress,
      status: h("span", { class: "tray-status", "data-testid": "attachment-status", role: "status" }),
      caption: h("span", { class: "tray-caption", "data-testid": "attachment-caption" }),
      error: h("p", { class: "tray-error", "data-testid": "attachment-error" }),
      retry: h("button", { type: "button", class: "link-button", "data-testid": "attachment-retry", onclick: () => this.retry() }, t("attach.retry")),
      remove: h(
        "button",
        {
          type: "button",
          class: "chip-remove tray-remove",
          "data-testid": "attachment-remove",
          "aria-label": t("attach.remove", { name: draft.name }),
          title: t("attach.remove", { name: draft.name }),
          onclick: () => this.dispatch({ type: "attachment.remove" }),
        },
        h("span", { "aria-hidden": "true" }, "×"),
      ),
    };
    replaceChildren(
      this.tray,
      h(
        "div",
        { class: "tray-item" },
        preview,
        h(
          "div",
          { class: "tray-info" },
          h(
            "p",
            { class: "tray-line" },
            h("span", { class: "tray-name", "data-testid": "attachment-name" }, draft.name),
            " ",
            h("span", { class: "tray-size", "data-testid": "attachment-size" }, humanSize(draft.size, this.store.state.language)),
          ),
          this.parts.caption,
          h("p", { class: "tray-line" }, progress, this.parts.status),
          h("p", { class: "tray-line" }, this.parts.error, this.parts.retry),
        ),
        this.parts.remove,
      ),
    );
  }

  update(draft, { t }) {
    const { progress, status, caption, error, retry, remove } = this.parts;
    this.tray.dataset.state = draft.state;
    const busy = isBusy(draft);
    progress.hidden = !busy;
    const fraction = draft.total > 0 ? Math.min(1, draft.loaded / draft.total) : 0;
    progress.value = draft.state === "sending" ? 1 : fraction;
    progress.dataset.loaded = String(draft.loaded);
    if (draft.state === "uploading") status.textContent = t("attach.uploading", { percent: Math.round(fraction * 100) });
    else if (draft.state === "sending") status.textContent = t("attach.sending");
    else if (draft.state === "ready") status.textContent = t("attach.ready");
    else status.textContent = "";
    caption.hidden = draft.state === "ready" || !draft.caption;
    caption.textContent = draft.caption ? t("attach.caption", { text: draft.caption }) : "";
    error.hidden = !draft.error;
    error.textContent = draft.error ? draftErrorText(draft, t) : "";
    retry.hidden = !draft.error || isRefused(draft);
    remove.disabled = draft.state === "sending";
  }

  /** Sends again, with the text in the composer as the caption (or the one given before). */
  retry() {
    this.dispatch({ type: "attachment.send", caption: this.textBox.value });
    if (this.textBox.value) {
      this.textBox.value = "";
      this.textBox.dispatchEvent(new Event("input"));
    }
  }

  /**
   * Draws the picked image, scaled down, on a canvas in place of `placeholder`.
   * createImageBitmap decodes the file itself: no object URL in an <img> (the page's
   * Content-Security-Policy allows images from the server and data: only), and nothing
   * if the browser cannot decode it (a file that only claims to be an image).
   */
  async drawPreview(file, placeholder) {
    if (typeof createImageBitmap !== "function") return;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      return; // not an image this browser decodes: the icon stays
    }
    const scale = Math.min(1, PREVIEW_SIDE_PX / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const density = window.devicePixelRatio || 1;
    const canvas = h("canvas", { class: "tray-preview", "data-testid": "attachment-preview", "aria-hidden": "true", width: Math.round(width * density), height: Math.round(height * density) });
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    if (placeholder.isConnected) placeholder.replaceWith(canvas);
  }
}

function carriesFiles(dataTransfer) {
  return Boolean(dataTransfer) && Array.from(dataTransfer.types || []).includes("Files");
}

/** The files of a drop or a paste (pasted screenshots come as items of kind "file"). */
function filesOf(dataTransfer) {
  if (!dataTransfer) return [];
  const files = Array.from(dataTransfer.files || []);
  if (files.length > 0) return files;
  return Array.from(dataTransfer.items || [])
    .filter((item) => item.kind === "file")
    .map((item) => item.getAsFile())
    .filter(Boolean);
}
