// Assist (CONTRACT.md "Assist"): the panel where sellers and support keep FAQ entries and
// templates, the automatic answers setting, templates picked in the composer, reply
// suggestions, and the buyer's verdict on an automatic answer. Nothing here sends a
// message: a template or a suggestion only fills the composer.

import { errorField, managesShared, missingVariables, usesAssist } from "../store/assist.js";
import { isEncrypted } from "../store/e2ee.js";

/** New messages in a burst (a replay, an automatic answer right after the question) ask for suggestions once. */
const SUGGESTIONS_DEBOUNCE_MS = 300;
/** Fields of the FAQ form and of the template form that a 400 may name. */
const FAQ_FIELDS = ["question", "alternatives", "answer", "language", "enabled", "ownerId", "scope"];
const TEMPLATE_FIELDS = ["name", "shortcut", "language", "content", "scope"];

export function assistActions({ store, api }, actions) {
  /** conversationId -> the newest suggestions request, so an older answer never overwrites a newer one. */
  const suggestionRequests = new Map();
  const suggestionTimers = new Map();
  let fillSerial = 0;
  let templateUseSerial = 0;
  let templatesLoading = null;

  const setForm = (form, patch) => store.update((state) => Object.assign(state.assist.forms[form], patch));

  /** Saves through `call`; a 400 naming a field is shown beside it. Answers whether it was saved. */
  const save = async (form, fields, call) => {
    setForm(form, { saving: true, error: null });
    try {
      await call();
      store.update((state) => Object.assign(state.assist.forms[form], { saving: false, saved: state.assist.forms[form].saved + 1 }));
      actions.announce((t) => t("assist.saved"));
      return true;
    } catch (error) {
      setForm(form, { saving: false, error: { field: errorField(error, fields), message: error.message } });
      return false;
    }
  };

  const remove = async (call) => {
    try {
      await call();
      actions.announce((t) => t("assist.deleted"));
    } catch (error) {
      store.update((state) => (state.assist.error = error.message));
    }
  };

  return {
    openAssistPanel() {
      if (!usesAssist(store.state)) return;
      store.update((state) => (state.assist.panelOpen = true));
      actions.requestFocus("assist-panel");
      actions.loadAssist();
    },

    closeAssistPanel() {
      store.update((state) => {
        state.assist.panelOpen = false;
        state.assist.error = null;
      });
      actions.requestFocus("assist-open");
    },

    /** The FAQ entries (the caller's, or for support those of `faqOwner`), the templates and the seller's setting. */
    async loadAssist() {
      const { me, assist } = store.state;
      if (!usesAssist(store.state)) return;
      store.update((state) => (state.assist.loading = true));
      const owner = managesShared(store.state) ? assist.faqOwner || null : null;
      const [faq, templates, settings] = await Promise.allSettled([
        api.faqEntries(owner),
        api.templates(),
        me.role === "seller" ? api.assistSettings() : Promise.resolve(null),
      ]);
      if (store.state.me !== me) return; // signed out meanwhile
      store.update((state) => {
        state.assist.loading = false;
        const failed = [faq, templates, settings].find((answer) => answer.status === "rejected");
        state.assist.error = failed ? failed.reason.message : null;
        if (faq.status === "fulfilled" && state.assist.faqOwner === (owner || "")) state.assist.faq = faq.value.entries || [];
        if (templates.status === "fulfilled") state.assist.templates = templates.value.templates || [];
        if (settings.status === "fulfilled" && settings.value) state.assist.autoAnswer = Boolean(settings.value.autoAnswer);
      });
    },

    /** The templates the picker offers, loaded once per session (the panel reloads them after changes). */
    loadTemplates() {
      if (store.state.assist.templates || templatesLoading || !usesAssist(store.state)) return templatesLoading;
      templatesLoading = api
        .templates()
        .then((answer) => store.update((state) => (state.assist.templates = answer.templates || [])))
        .catch(() => {})
        .finally(() => (templatesLoading = null));
      return templatesLoading;
    },

    /** Support and service: whose FAQ entries the panel shows ("" for the global ones). */
    chooseFAQOwner(owner) {
      store.update((state) => {
        state.assist.faqOwner = owner;
        state.assist.faq = null;
      });
      actions.loadAssist();
    },

    async saveFAQEntry(faqId, draft) {
      if (await save("faq", FAQ_FIELDS, () => api.saveFAQEntry(faqId, draft))) await actions.loadAssist();
    },

    async deleteFAQEntry(faqId) {
      await remove(() => api.deleteFAQEntry(faqId));
      await actions.loadAssist();
    },

    async saveTemplate(templateId, draft) {
      if (await save("template", TEMPLATE_FIELDS, () => api.saveTemplate(templateId, draft))) await actions.loadAssist();
    },

    async deleteTemplate(templateId) {
      await remove(() => api.deleteTemplate(templateId));
      await actions.loadAssist();
    },

    /** Clears a form's error (the form was reset or left). */
    resetAssistForm(form) {
      setForm(form, { error: null });
    },

    async setAutoAnswer(on) {
      const before = store.state.assist.autoAnswer;
      store.update((state) => {
        state.assist.autoAnswer = on;
        state.assist.settingsError = null;
      });
      try {
        const answer = await api.saveAssistSettings(on);
        store.update((state) => (state.assist.autoAnswer = Boolean(answer.autoAnswer)));
        actions.announce((t) => t(on ? "assist.autoOn" : "assist.autoOff"));
      } catch (error) {
        store.update((state) => {
          state.assist.autoAnswer = before;
          state.assist.settingsError = error.message;
        });
      }
    },

    /** Asks for the open conversation's suggestions (sellers, support, service), once per burst of messages. */
    loadSuggestions(conversationId) {
      if (!usesAssist(store.state) || !conversationId) return;
      // The server cannot read an end-to-end encrypted conversation: nothing to suggest.
      if (isEncrypted(store.state.conversations.get(conversationId))) return;
      clearTimeout(suggestionTimers.get(conversationId));
      suggestionTimers.set(
        conversationId,
        setTimeout(async () => {
          suggestionTimers.delete(conversationId);
          const request = (suggestionRequests.get(conversationId) || 0) + 1;
          suggestionRequests.set(conversationId, request);
          try {
            const answer = await api.suggestions(conversationId);
            if (suggestionRequests.get(conversationId) !== request) return;
            store.update((state) =>
              state.suggestions.set(conversationId, {
                forMessageId: answer.forMessageId || null,
                suggestions: answer.suggestions || [],
              }),
            );
          } catch {
            // Not offered here (a 403, or the server is busy): show none rather than old ones.
            if (suggestionRequests.get(conversationId) === request) store.update((state) => state.suggestions.delete(conversationId));
          }
        }, SUGGESTIONS_DEBOUNCE_MS),
      );
    },

    /** Puts `text` in the open conversation's composer; the person sends it (or not). */
    fillComposer(text) {
      const conversationId = store.state.openId;
      if (!conversationId) return;
      store.update((state) => (state.composerFill = { serial: ++fillSerial, conversationId, text }));
    },

    /**
     * Renders a template for the open conversation and fills the composer with it. When
     * the server answers `missing_variables`, the picker asks for those values and calls
     * this again with them.
     */
    async useTemplate(templateId, values = {}) {
      const conversationId = store.state.openId;
      const template = (store.state.assist.templates || []).find((t) => t.templateId === templateId);
      if (!conversationId) return;
      store.update((state) => {
        if (state.templateUse && state.templateUse.templateId === templateId) state.templateUse.busy = true;
      });
      try {
        const answer = await api.renderTemplate(conversationId, templateId, values);
        if (store.state.openId !== conversationId) return;
        store.update((state) => (state.templateUse = null));
        actions.fillComposer(answer.content);
      } catch (error) {
        if (store.state.openId !== conversationId) return;
        const missing = error.code === "missing_variables" ? missingVariables(error) : [];
        store.update((state) => {
          const previous = state.templateUse && state.templateUse.templateId === templateId ? state.templateUse : null;
          state.templateUse = {
            conversationId,
            templateId,
            name: template ? template.name : templateId,
            // Keep asking for what was asked before (with the values typed) and what is missing now.
            missing: [...new Set([...(previous ? previous.missing : []), ...missing])],
            values,
            error: missing.length ? null : error.message,
            busy: false,
            serial: previous ? previous.serial : ++templateUseSerial,
          };
        });
      }
    },

    cancelTemplate() {
      store.update((state) => (state.templateUse = null));
      actions.requestFocus("composer");
    },

    /** The buyer's verdict on an automatic answer, sent once. */
    async sendFeedback(messageId, helpful) {
      const conversationId = store.state.openId;
      if (!conversationId || store.state.feedback.has(messageId)) return;
      store.update((state) => state.feedback.set(messageId, "sending"));
      try {
        await api.feedback(conversationId, messageId, helpful);
        store.update((state) => state.feedback.set(messageId, helpful ? "helpful" : "unhelpful"));
        actions.announce((t) => t(helpful ? "auto.thanks" : "auto.handedOver"));
      } catch (error) {
        store.update((state) => state.feedback.delete(messageId));
        actions.announce((t) => t("auto.feedbackFailed", { message: error.message }));
      }
    },
  };
}
