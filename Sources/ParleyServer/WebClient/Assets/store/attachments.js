// Attachments as the page keeps them: the file waiting in each conversation's composer
// (its "draft": picked, uploading, sending or failed), the photo open in the viewer,
// and the functions views use to describe an attachment (size, type, thumbnail box).

/** The longest side of a thumbnail the server makes (CONTRACT.md "Attachments"). */
export const THUMBNAIL_MAX_SIDE = 320;

/** The attachment part of a fresh state. */
export function emptyAttachments() {
  return {
    // conversationId -> {serial, file, name, size, previewable, state: "ready"|"uploading"|"sending"|"failed",
    //                    loaded, total, error: {kind, message} | null, caption, uploaded: attachment | null, clientMessageId}
    drafts: new Map(),
    viewer: null, // the photo shown full size: {conversationId, messageId}
  };
}

/** The file waiting in a conversation's composer, or null. */
export function draftOf(state, conversationId) {
  return (conversationId && state.attachments.drafts.get(conversationId)) || null;
}

/** Whether a draft is on its way (its Send and Remove wait). */
export function isBusy(draft) {
  return Boolean(draft) && (draft.state === "uploading" || draft.state === "sending");
}

/** Errors that trying again cannot mend (the file itself is refused). */
const FINAL_ERRORS = new Set(["mismatch", "empty", "tooLarge"]);

/** Whether a draft was refused for good: Send then sends the text alone; only Remove clears it. */
export function isRefused(draft) {
  return Boolean(draft && draft.error) && FINAL_ERRORS.has(draft.error.kind);
}

/** Whether a stored content type is one the server serves as an image (with a thumbnail). */
export function isImageType(contentType) {
  return /^image\/(jpeg|png|webp|gif)$/i.test(String(contentType || ""));
}

/** A message's attachment, when it has one. */
export function attachmentOf(message) {
  return message && message.attachment && message.attachment.attachmentId ? message.attachment : null;
}

/**
 * The box of an image's thumbnail: the served size scaled so that its longest side is
 * at most THUMBNAIL_MAX_SIDE, never enlarged (as the server makes it). Null when the
 * size is unknown.
 */
export function thumbnailBox(attachment) {
  const width = Number(attachment.width);
  const height = Number(attachment.height);
  if (!(width > 0 && height > 0)) return null;
  const scale = Math.min(1, THUMBNAIL_MAX_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const SIZE_UNITS = ["KB", "MB", "GB"];

/** "812 B", "47 KB", "3.4 MB" (binary multiples, as file managers show them), in the language's digits. */
export function humanSize(bytes, language) {
  const size = Math.max(0, Number(bytes) || 0);
  if (size < 1024) return `${new Intl.NumberFormat(language).format(size)} B`;
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
  return `${number} ${SIZE_UNITS[unit]}`;
}

/** What kind of file it is, in words: "PDF", "Texto", "Imagen JPEG", or the name's extension. */
export function typeLabel(attachment, t) {
  const type = String(attachment.contentType || "").toLowerCase();
  if (type === "application/pdf") return t("attach.type.pdf");
  if (type.startsWith("text/plain")) return t("attach.type.text");
  if (isImageType(type)) return t("attach.type.image", { format: type.slice("image/".length).toUpperCase() });
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(String(attachment.name || ""));
  return extension ? extension[1].toUpperCase() : t("attach.type.other");
}

/**
 * The short mark on a file's icon ("PDF", "TXT", "JPEG", the name's extension), or "".
 * Decorative: the type is written out beside it.
 */
export function fileBadge(attachment) {
  const type = String(attachment.contentType || "").toLowerCase();
  if (type === "application/pdf") return "PDF";
  if (type.startsWith("text/plain")) return "TXT";
  if (/^image\/[a-z]+$/.test(type)) return type.slice("image/".length).toUpperCase().slice(0, 4);
  const extension = /\.([A-Za-z0-9]{1,4})$/.exec(String(attachment.name || ""));
  return extension ? extension[1].toUpperCase() : "";
}

/** The text of an error of a draft, in the page's language. */
export function draftErrorText(draft, t) {
  const name = draft.name;
  const { kind, message } = draft.error || {};
  switch (kind) {
    case "mismatch":
      return t("attach.error.mismatch", { name });
    case "tooLarge":
      return t("attach.error.tooLarge", { name });
    case "empty":
      return t("attach.error.empty", { name });
    case "rateLimited":
      return t("attach.error.rateLimited");
    case "network":
      return t("attach.error.network");
    default:
      return t("attach.error.other", { name, message: message || "" });
  }
}

/** An ApiError as the kind of a draft's error. */
export function errorKind(error) {
  if (!error || error.status === 0) return "network";
  if (error.code === "content_type_mismatch") return "mismatch";
  if (error.status === 413) return "tooLarge";
  if (error.status === 429) return "rateLimited";
  return "other";
}

/**
 * A message in one line for the inbox and announcements: its text, saying what came
 * with it ("Foto", "factura.pdf", "Foto: the caption").
 */
export function messageSummary(message, t) {
  if (message.encrypted) return t("e2ee.summary");
  const text = String(message.content || "");
  const attachment = attachmentOf(message);
  if (!attachment && message.type !== "image" && message.type !== "file") return text;
  const image = message.type === "image" || (attachment && isImageType(attachment.contentType));
  const what = image ? t("attach.photo") : attachment ? attachment.name : t("attach.file");
  return text.trim() ? `${what}: ${text}` : what;
}
