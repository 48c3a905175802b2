// The attachment of a message in the thread: a photo's thumbnail (a button opening the
// viewer) or a file's card (icon, name, size, type, Download). Sources and downloads
// are signed links asked for through `dispatch` (the token never goes in a URL); a
// link that stopped working (expired) is asked for again, once.

import { h } from "../dom.js";
import { fileBadge, humanSize, isImageType, thumbnailBox, typeLabel } from "../store/attachments.js";

/** The node of `message`'s attachment. `l10n` is localize(language)'s answer. */
export function attachmentNode(message, attachment, l10n, language, dispatch) {
  return isImageType(attachment.contentType)
    ? imageNode(message, attachment, l10n, dispatch)
    : fileCard(attachment, l10n, language, dispatch);
}

function imageNode(message, attachment, { t }, dispatch) {
  const box = thumbnailBox(attachment);
  const caption = String(message.content || "").trim();
  const image = h("img", {
    class: "attachment-thumbnail",
    "data-testid": "attachment-thumbnail",
    alt: caption || attachment.name,
    width: box ? box.width : null,
    height: box ? box.height : null,
    decoding: "async",
  });
  const failed = h("span", { class: "attachment-unavailable", "data-testid": "attachment-unavailable", hidden: true }, t("attach.unavailable"));
  // Asked for when it comes near the screen: a long thread of photos costs no links until read.
  whenNearScreen(image, () =>
    loadSigned(image, attachment.attachmentId, "thumbnail", dispatch, () => {
      image.hidden = true;
      failed.hidden = false;
    }),
  );
  return h(
    "div",
    { class: "attachment attachment-image", "data-testid": "attachment-image", "data-attachment-id": attachment.attachmentId },
    h(
      "button",
      {
        type: "button",
        class: "image-open",
        "data-testid": "image-open",
        "aria-label": t("attach.open", { name: attachment.name }),
        "aria-haspopup": "dialog",
        onclick: () => dispatch({ type: "viewer.open", conversationId: message.conversationId, messageId: message.messageId }),
      },
      image,
      failed,
    ),
  );
}

function fileCard(attachment, { t }, language, dispatch) {
  const problem = h("span", { class: "file-problem", "data-testid": "file-problem", role: "status" });
  const download = h(
    "button",
    {
      type: "button",
      class: "secondary small file-download",
      "data-testid": "file-download",
      "aria-label": t("attach.downloadNamed", { name: attachment.name }),
      onclick: async () => {
        problem.textContent = "";
        try {
          await downloadAttachment(attachment, dispatch);
        } catch (error) {
          problem.textContent = t("attach.error.other", { name: attachment.name, message: error.message || "" });
        }
      },
    },
    h("span", { "aria-hidden": "true" }, "⬇ "),
    t("attach.download"),
  );
  return h(
    "div",
    { class: "attachment attachment-file", "data-testid": "attachment-file", "data-attachment-id": attachment.attachmentId },
    fileIconNode(attachment),
    h(
      "span",
      { class: "file-info" },
      h("span", { class: "file-name", "data-testid": "file-name", title: attachment.name }, attachment.name),
      h(
        "span",
        { class: "file-meta", "data-testid": "file-meta" },
        `${humanSize(attachment.size, language)} · ${typeLabel(attachment, t)}`,
      ),
      problem,
    ),
    download,
  );
}

/** How far outside the visible part of the thread a thumbnail starts loading. */
const NEAR_SCREEN_MARGIN = "400px";

/** element -> what to do when it first comes near the screen. */
const nearScreenCallbacks = new WeakMap();
let nearScreenObserver = null;

/** Runs `callback` once, when `element` first comes within NEAR_SCREEN_MARGIN of the screen. */
function whenNearScreen(element, callback) {
  if (typeof IntersectionObserver !== "function") {
    callback();
    return;
  }
  nearScreenObserver ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        nearScreenObserver.unobserve(entry.target);
        const run = nearScreenCallbacks.get(entry.target);
        nearScreenCallbacks.delete(entry.target);
        run?.();
      }
    },
    { rootMargin: NEAR_SCREEN_MARGIN },
  );
  nearScreenCallbacks.set(element, callback);
  nearScreenObserver.observe(element);
}

/**
 * Sets `image`'s source to a signed link of the attachment; when it fails to load
 * (an expired link), once more with a fresh link, then `onFailure`.
 */
export function loadSigned(image, attachmentId, variant, dispatch, onFailure) {
  let retried = false;
  image.addEventListener("error", () => {
    if (!image.getAttribute("src")) return;
    if (retried) {
      onFailure();
      return;
    }
    retried = true;
    dispatch({ type: "attachment.url", attachmentId, variant, fresh: true }).then((url) => (image.src = url), onFailure);
  });
  dispatch({ type: "attachment.url", attachmentId, variant }).then((url) => (image.src = url), onFailure);
}

/** Downloads an attachment under its name through a signed link (a link made and clicked, then dropped). */
export async function downloadAttachment(attachment, dispatch) {
  const url = await dispatch({ type: "attachment.url", attachmentId: attachment.attachmentId, variant: "original" });
  const link = h("a", { href: url, download: attachment.name, rel: "noopener", hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
}

/** A page with its type's mark on it (decorative: the type is written beside it). */
export function fileIconNode(attachment) {
  const badge = fileBadge(attachment);
  return h("span", { class: `file-icon${badge === "PDF" ? " pdf" : ""}`, "aria-hidden": "true" }, badge);
}
