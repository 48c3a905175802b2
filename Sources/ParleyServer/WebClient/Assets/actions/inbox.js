// The inbox: pages of conversations under the filters, single conversations fetched
// when an event or a search names one we do not have, and search.

import { ApiError } from "../services/api.js";
import { filterQuery, upsertConversation } from "../store/conversations.js";

/** Results asked for per search: a screenful, well under the server's page limit. */
const SEARCH_RESULTS = 30;
/** Conversations of search results fetched at once when the inbox does not hold them. */
const MAX_RESULT_CONVERSATIONS_FETCHED = 20;

export function inboxActions({ store, api }, actions) {
  /** Only the newest inbox request may write its answer (filters change under it). */
  let inboxRequest = 0;
  /** conversationId -> the request in flight, so one conversation is fetched once at a time. */
  const conversationFetches = new Map();

  return {
    async loadInbox({ more = false } = {}) {
      const { inbox, filters, limits } = store.state;
      if (more && !inbox.nextCursor) return;
      const request = ++inboxRequest;
      store.update((state) => (state.inbox.loading = true));
      try {
        const answer = await api.listConversations(filterQuery(filters), limits.defaultPageSize, more ? inbox.nextCursor : null);
        if (request !== inboxRequest) return;
        store.update((state) => {
          for (const conversation of answer.conversations || []) upsertConversation(state, conversation);
          state.inbox.nextCursor = answer.nextCursor || null;
          state.inbox.error = null;
          state.inbox.loadedOnce = true;
        });
      } catch (error) {
        if (request !== inboxRequest) return;
        if (!(error instanceof ApiError && error.status === 401)) store.update((state) => (state.inbox.error = error.message));
      } finally {
        if (request === inboxRequest) store.update((state) => (state.inbox.loading = false));
      }
    },

    changeFilters(patch) {
      store.update((state) => {
        Object.assign(state.filters, patch);
        state.inbox.nextCursor = null;
      });
      actions.loadInbox();
    },

    fetchConversation(id) {
      if (conversationFetches.has(id)) return conversationFetches.get(id);
      const request = api
        .conversation(id)
        .then((conversation) => store.update((state) => upsertConversation(state, conversation)))
        .finally(() => conversationFetches.delete(id));
      conversationFetches.set(id, request);
      return request;
    },

    async search(q) {
      const isCurrent = () => store.state.search && store.state.search.q === q;
      store.update((state) => (state.search = { q, loading: true, error: null, results: [] }));
      try {
        const answer = await api.search(q, Math.min(SEARCH_RESULTS, store.state.limits.maxSearchPageSize));
        if (!isCurrent()) return;
        const results = answer.results || [];
        store.update((state) => (state.search = { q, loading: false, error: null, results }));
        const missing = [...new Set(results.map((r) => r.conversationId))].filter((id) => !store.state.conversations.has(id));
        await Promise.allSettled(missing.slice(0, MAX_RESULT_CONVERSATIONS_FETCHED).map((id) => actions.fetchConversation(id)));
      } catch (error) {
        if (!isCurrent()) return;
        store.update((state) => (state.search = { q, loading: false, error: error.message, results: [] }));
      }
    },

    clearSearch({ focusSearch = false } = {}) {
      store.update((state) => (state.search = null));
      if (focusSearch) actions.requestFocus("search");
    },

    /** Opens what a link asked for: a conversation, or the thread of an order or product. */
    async openFromLink(open) {
      try {
        if (open.conversation) return await actions.openConversation(open.conversation);
        const filter = open.orderId ? { orderId: open.orderId } : { productId: open.productId };
        for (const archived of ["false", "true"]) {
          const answer = await api.listConversations({ ...filter, archived }, store.state.limits.defaultPageSize);
          const found = (answer.conversations || [])[0];
          if (found) {
            store.update((state) => upsertConversation(state, found));
            return await actions.openConversation(found.conversationId);
          }
        }
      } catch {
        /* the list is there; nothing to open */
      }
    },
  };
}
