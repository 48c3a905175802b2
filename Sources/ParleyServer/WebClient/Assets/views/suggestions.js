// Suggested replies above the composer of sellers, support and service: up to three
// chips (the reply and where it comes from) for the newest buyer message nobody has
// answered. A click puts the reply in the composer; nothing is sent by itself.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { shownSuggestions, usesAssist } from "../store/assist.js";

export class SuggestionsView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.section = byId("suggestions");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const id = state.openId;
    const suggestions = usesAssist(state) && id ? shownSuggestions(state, id) : [];
    this.section.hidden = suggestions.length === 0;
    // The buyer message they answer (for tests and for telling two sets apart).
    const forMessageId = suggestions.length ? state.suggestions.get(id).forMessageId : "";
    if (this.section.dataset.forMessageId !== forMessageId) this.section.dataset.forMessageId = forMessageId;
    const key = JSON.stringify([state.language, id, suggestions]);
    if (key === this.shown) return;
    this.shown = key;
    if (suggestions.length === 0) {
      this.section.textContent = "";
      return;
    }
    const { t } = localize(state.language);
    replaceChildren(
      this.section,
      h("h3", { id: "suggestions-title", class: "suggestions-title" }, t("suggest.title")),
      h(
        "ul",
        { class: "suggestion-list" },
        suggestions.map((suggestion) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "suggestion",
                "data-testid": "suggestion",
                "data-source": suggestion.source,
                title: suggestion.content,
                "aria-label": t("suggest.use", { text: suggestion.content }),
                onclick: () => this.dispatch({ type: "composer.fill", text: suggestion.content }),
              },
              h("span", { class: "suggestion-source", "data-testid": "suggestion-source" }, t(`suggest.source.${suggestion.source}`)),
              h("span", { class: "suggestion-text", "data-testid": "suggestion-text" }, suggestion.content),
            ),
          ),
        ),
      ),
    );
  }
}
