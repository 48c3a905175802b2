// Managing the open conversation (sellers and support): status, priority, labels,
// archive and assignment. Each change answers the updated conversation.

import { upsertConversation } from "../store/conversations.js";

export function manageActions({ store, api }, actions) {
  const change = async (call) => {
    const id = store.state.openId;
    if (!id) return;
    try {
      const answer = await call(id);
      if (answer && answer.conversationId) store.update((state) => upsertConversation(state, answer));
      else await actions.fetchConversation(id);
      actions.announce((t) => t("manage.saved"));
    } catch (error) {
      actions.announce((t) => t("manage.failed", { message: error.message }));
      // Show the stored values again (the control still shows what was asked for).
      store.update((state) => (state.manageRevision += 1));
    }
  };

  return {
    setStatus: (status) => change((id) => api.setStatus(id, status)),
    setPriority: (priority) => change((id) => api.setPriority(id, priority)),
    setLabels: (labels) => change((id) => api.setLabels(id, labels)),
    setArchived: (archived) => change((id) => api.setArchived(id, archived)),
    setAssignee: (userId) => change((id) => api.setAssignee(id, userId)),
  };
}
