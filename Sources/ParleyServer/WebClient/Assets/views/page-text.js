// The page's fixed text (index.html's [data-i18n] elements), its language and title,
// in the store's language.

import { localize } from "../i18n.js";

export class PageTextView {
  constructor(store) {
    this.language = null;
    store.subscribe((state) => this.render(state));
    this.render(store.state);
  }

  render(state) {
    if (state.language === this.language) return;
    this.language = state.language;
    const { t } = localize(state.language);
    document.documentElement.lang = state.language;
    for (const element of document.querySelectorAll("[data-i18n]")) {
      element.textContent = t(element.dataset.i18n);
    }
    for (const attr of ["aria-label", "placeholder", "title"]) {
      const dataKey = `data-i18n-${attr}`;
      for (const element of document.querySelectorAll(`[${dataKey}]`)) {
        element.setAttribute(attr, t(element.getAttribute(dataKey)));
      }
    }
    document.title = t("app.title");
  }
}
