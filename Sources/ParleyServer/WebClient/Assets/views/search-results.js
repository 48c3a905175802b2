// Search results in place of the inbox: each the message's conversation, sender, time
// and snippet with the matches marked; opening one shows the message in its thread.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { conversationTitle } from "../store/conversations.js";
import { displayName } from "../store/state.js";
import { snippetNodes } from "./snippet.js";

export class SearchResultsView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.results = byId("search-results");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    if (!state.me) return;
    const search = state.search;
    this.results.hidden = !search;
    if (!search) {
      this.shown = null;
      return;
    }
    const { t, formatRelative, formatFullTime } = localize(state.language);
    const titleOf = (result) => {
      const conversation = state.conversations.get(result.conversationId);
      return conversation ? conversationTitle(conversation, t) : result.conversationId;
    };
    // Rebuild only when something shown changed (a rebuild would move the focus).
    const key = JSON.stringify([
      state.language, state.clock, search, search.results.map(titleOf), search.results.map((r) => displayName(state, r.message.senderId)),
    ]);
    if (key === this.shown) return;
    this.shown = key;
    let summary;
    if (search.loading) summary = t("signIn.loading");
    else if (search.error) summary = t("search.failed", { message: search.error });
    else if (search.results.length === 0) summary = t("search.none", { q: search.q });
    else if (search.results.length === 1) summary = t("search.oneResult", { q: search.q });
    else summary = t("search.results", { n: search.results.length, q: search.q });
    const items = search.results.map((result) => {
      const message = result.message;
      const title = titleOf(result);
      return h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "search-result",
            "data-testid": "search-result",
            "data-conversation-id": result.conversationId,
            "data-seq": message.seq,
            onclick: () => this.dispatch({ type: "conversation.open", conversationId: result.conversationId, focusSeq: message.seq }),
          },
          h(
            "span",
            { class: "conversation-top" },
            h("span", { class: "conversation-title" }, title),
            h("time", { class: "conversation-time", datetime: message.timestamp, title: formatFullTime(message.timestamp) }, formatRelative(message.timestamp)),
          ),
          h("span", { class: "conversation-context" }, displayName(state, message.senderId)),
          h("span", { class: "snippet", "data-testid": "search-snippet" }, snippetNodes(result)),
        ),
      );
    });
    replaceChildren(
      this.results,
      h(
        "div",
        { class: "search-summary" },
        h("p", { role: "status", "data-testid": "search-summary" }, summary),
        h(
          "button",
          {
            type: "button",
            class: "link-button",
            "data-testid": "search-clear",
            onclick: () => this.dispatch({ type: "search.clear", focusSearch: true }),
          },
          t("search.clear"),
        ),
      ),
      h("ul", { class: "result-list" }, items),
    );
  }
}
