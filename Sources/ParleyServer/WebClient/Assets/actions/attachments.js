// Attachments: a file picked, dropped or pasted waits in the composer; sending uploads
// it (with progress), then sends it as an `image` or `file` message through REST (the
// WebSocket's message.send carries text only), with the composer's text as caption.
// Downloads and <img> sources are signed links (POST /api/attachments/{id}/link): the
// token never goes in a URL. Links are kept per attachment until shortly before they
// expire.

import { randomId } from "../dom.js";
import { draftErrorText, draftOf, errorKind, humanSize, isBusy, isImageType, isRefused } from "../store/attachments.js";
import { isEncrypted } from "../store/e2ee.js";

/** A signed link is asked for again this long before it expires (the server's last 5 minutes). */
const LINK_RENEW_MARGIN_MS = 30_000;
/** Signed links kept at most (the oldest go first); a thread shows far fewer at once. */
const MAX_CACHED_LINKS = 500;
/** Upload progress is written to the store at most this often (progress events come in bursts). */
const PROGRESS_INTERVAL_MS = 100;

export function attachmentActions({ store, api }, actions) {
  let draftSerial = 0;
  /** conversationId -> abort() of the upload in flight. */
  const uploads = new Map();
  /** `${userId} ${attachmentId}` -> {url, expiresAt (ms), pending: Promise | null}. */
  const links = new Map();

  const setDraft = (conversationId, serial, change) =>
    store.update((state) => {
      const draft = state.attachments.drafts.get(conversationId);
      if (draft && draft.serial === serial) change(draft);
    });

  const fail = (conversationId, serial, kind, message = "") => {
    setDraft(conversationId, serial, (draft) => {
      draft.state = "failed";
      draft.error = { kind, message };
    });
    const draft = draftOf(store.state, conversationId);
    if (draft && draft.serial === serial) actions.announce((t) => draftErrorText(draft, t));
  };

  /** The signed link of an attachment, from the cache while it has time left, else a new one. */
  const signedLink = (attachmentId, { fresh = false } = {}) => {
    const key = `${store.state.me ? store.state.me.userId : ""} ${attachmentId}`;
    const cached = links.get(key);
    if (cached && cached.pending) return cached.pending;
    if (cached && !fresh && cached.expiresAt - Date.now() > LINK_RENEW_MARGIN_MS) return Promise.resolve(cached.url);
    const pending = api.attachmentLink(attachmentId).then(
      (answer) => {
        const expiresAt = Date.parse(answer.expiresAt);
        links.delete(key); // re-inserted last: the Map keeps insertion order, the oldest go first
        links.set(key, { url: answer.url, expiresAt: Number.isNaN(expiresAt) ? Date.now() : expiresAt, pending: null });
        while (links.size > MAX_CACHED_LINKS) links.delete(links.keys().next().value);
        return answer.url;
      },
      (error) => {
        links.delete(key);
        throw error;
      },
    );
    links.set(key, { url: null, expiresAt: 0, pending });
    return pending;
  };

  const upload = (conversationId, draft) =>
    new Promise((resolve, reject) => {
      let lastWrite = 0;
      const { promise, abort } = api.uploadAttachment(conversationId, draft.file, (loaded, total) => {
        const now = Date.now();
        if (now - lastWrite < PROGRESS_INTERVAL_MS && loaded < total) return;
        lastWrite = now;
        if (draftOf(store.state, conversationId)?.serial !== draft.serial) {
          abort(); // removed, or signed out, meanwhile
          return;
        }
        setDraft(conversationId, draft.serial, (d) => {
          d.loaded = loaded;
          d.total = total;
        });
      });
      uploads.set(conversationId, abort);
      promise.then(resolve, reject).finally(() => {
        if (uploads.get(conversationId) === abort) uploads.delete(conversationId);
      });
    });

  return {
    /** A file picked, dropped or pasted: it waits in the open conversation's composer (one per message). */
    attachFile(file, { more = 0 } = {}) {
      const conversationId = store.state.openId;
      if (!conversationId || !file) return;
      // Files are uploaded as they are: none in an end-to-end encrypted conversation.
      if (isEncrypted(store.state.conversations.get(conversationId))) return;
      if (isBusy(draftOf(store.state, conversationId))) return;
      const serial = ++draftSerial;
      store.update((state) => {
        state.attachments.drafts.set(conversationId, {
          serial,
          file,
          name: file.name || "file",
          size: file.size,
          // A preview for what the browser can show; what it is the server decides on upload.
          previewable: /^image\//i.test(file.type || ""),
          state: "ready",
          loaded: 0,
          total: file.size,
          error: file.size === 0 ? { kind: "empty", message: "" } : null,
          caption: "",
          uploaded: null,
          clientMessageId: randomId(),
        });
      });
      if (file.size === 0) store.update((state) => (state.attachments.drafts.get(conversationId).state = "failed"));
      actions.announce((t) => {
        const added = t("attach.added", { name: file.name || "file", size: humanSize(file.size, store.state.language) });
        return more > 0 ? `${added} ${t("attach.oneAtATime", { name: file.name || "file" })}` : added;
      });
      actions.requestFocus("composer");
    },

    /** Takes the waiting file out of the composer (and stops its upload). */
    removeAttachment() {
      const conversationId = store.state.openId;
      const draft = draftOf(store.state, conversationId);
      if (!draft || draft.state === "sending") return;
      uploads.get(conversationId)?.();
      store.update((state) => state.attachments.drafts.delete(conversationId));
      actions.requestFocus("composer");
    },

    /**
     * Sends the waiting file with `caption`: upload (once; a retry after a failed send
     * reuses the upload), then the message with the same clientMessageId, so that a
     * retry never sends it twice.
     */
    async sendAttachment(caption) {
      const conversationId = store.state.openId;
      const draft = draftOf(store.state, conversationId);
      if (!draft || isBusy(draft)) return;
      if (isRefused(draft)) return;
      // A file waiting from before the conversation turned encrypted is not sent in clear.
      if (isEncrypted(store.state.conversations.get(conversationId))) return;
      const { serial } = draft;
      actions.stopTyping();
      setDraft(conversationId, serial, (d) => {
        if (caption.trim() || !d.caption) d.caption = caption;
        d.state = d.uploaded ? "sending" : "uploading";
        d.error = null;
        d.loaded = 0;
      });
      let uploaded = draft.uploaded;
      if (!uploaded) {
        try {
          uploaded = await upload(conversationId, draft);
        } catch (error) {
          if (error.code === "aborted") return;
          fail(conversationId, serial, errorKind(error), error.message);
          return;
        }
        setDraft(conversationId, serial, (d) => {
          d.uploaded = uploaded;
          d.state = "sending";
          d.loaded = d.total;
        });
      }
      const current = draftOf(store.state, conversationId);
      if (!current || current.serial !== serial) return;
      try {
        const message = await api.sendAttachment(conversationId, {
          type: isImageType(uploaded.contentType) ? "image" : "file",
          attachmentId: uploaded.attachmentId,
          content: current.caption,
          clientMessageId: current.clientMessageId,
        });
        store.update((state) => {
          const d = state.attachments.drafts.get(conversationId);
          if (d && d.serial === serial) state.attachments.drafts.delete(conversationId);
        });
        if (message && message.messageId) actions.handleMessage(message);
        actions.announce((t) => t("attach.sent", { name: uploaded.name || draft.name }));
      } catch (error) {
        fail(conversationId, serial, errorKind(error), error.message);
      }
    },

    /** The URL of an attachment ("original" or "thumbnail") through a signed link; `fresh` when one failed. */
    async attachmentURL(attachmentId, { variant = "original", fresh = false } = {}) {
      const url = new URL(await signedLink(attachmentId, { fresh }), window.location.href);
      if (variant === "thumbnail") url.pathname = `${url.pathname.replace(/\/+$/, "")}/thumbnail`;
      return url.href;
    },

    openViewer(conversationId, messageId) {
      store.update((state) => (state.attachments.viewer = { conversationId, messageId }));
    },

    closeViewer() {
      if (store.state.attachments.viewer) store.update((state) => (state.attachments.viewer = null));
    },
  };
}
