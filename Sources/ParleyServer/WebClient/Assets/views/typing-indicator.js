// "Ana is typing…" under the open thread.

import { byId } from "../dom.js";
import { localize } from "../i18n.js";
import { displayName } from "../store/state.js";

export class TypingIndicatorView {
  constructor(store) {
    this.line = byId("typing-indicator");
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const typers = state.openId ? [...(state.typing.get(state.openId) || [])] : [];
    if (typers.length === 0) {
      this.line.hidden = true;
      this.line.textContent = "";
      return;
    }
    this.line.hidden = false;
    this.line.textContent = localize(state.language).t("typing.one", {
      name: typers.map((userId) => displayName(state, userId)).join(", "),
    });
  }
}
