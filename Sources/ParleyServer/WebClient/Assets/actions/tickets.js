// Support tickets (CONTRACT.md "Support tickets"): a participant or support asks the
// help desk for a ticket on the open conversation. Its state (`metadata.ticket`) then
// changes as the help desk answers, and arrives like any conversation change
// (`conversation.updated`), so nothing here polls.

import { upsertConversation } from "../store/conversations.js";

export function ticketActions({ store, api }, actions) {
  return {
    /** Shows or hides the form (with its optional reason) under the thread's head. */
    showTicketForm(open) {
      const id = store.state.openId;
      store.update((state) => (state.ticketForm = open && id ? { conversationId: id, sending: false, error: null } : null));
    },

    async requestTicket(reason) {
      const id = store.state.openId;
      if (!id) return;
      store.update((state) => (state.ticketForm = { conversationId: id, sending: true, error: null }));
      try {
        const conversation = await api.requestTicket(id, (reason || "").trim());
        store.update((state) => {
          upsertConversation(state, conversation);
          state.ticketForm = null;
        });
        actions.announce((t) => t("ticket.requestedAnnounce"));
      } catch (error) {
        store.update((state) => (state.ticketForm = { conversationId: id, sending: false, error: error.message }));
      }
    },
  };
}
