// The search box above the inbox: Enter searches, an empty search or Escape clears.

import { byId } from "../dom.js";
import { FocusTarget } from "./focus-target.js";

export class SearchFormView {
  constructor(store, dispatch) {
    this.form = byId("search-form");
    this.input = byId("search-input");
    this.focusTarget = new FocusTarget("search");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const q = this.input.value.trim();
      dispatch(q ? { type: "search.run", q } : { type: "search.clear" });
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && store.state.search) {
        event.preventDefault();
        this.input.value = "";
        dispatch({ type: "search.clear" });
      }
    });
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    // The limit is in bytes and maxlength counts UTF-16 units: it stops the plainly too long, the server the rest.
    if (state.limits) this.input.maxLength = state.limits.maxSearchQueryBytes;
    // Cleared elsewhere (the results' "clear" link): empty the box too.
    if (!state.search && this.searchShown) this.input.value = "";
    this.searchShown = Boolean(state.search);
    if (this.focusTarget.take(state)) this.input.focus();
  }
}
