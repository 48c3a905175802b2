// The top bar: who is signed in, the language picker, the way to the assist panel
// (sellers and support) and "sign out".

import { byId, h } from "../dom.js";
import { LANGUAGES, localize } from "../i18n.js";
import { usesAssist } from "../store/assist.js";
import { FocusTarget } from "./focus-target.js";

export class HeaderView {
  constructor(store, dispatch) {
    this.currentUser = byId("current-user");
    this.signOutButton = byId("sign-out");
    this.languageSelect = byId("language-select");
    for (const [code, name] of Object.entries(LANGUAGES)) {
      this.languageSelect.append(h("option", { value: code, selected: code === store.state.language }, name));
    }
    this.languageSelect.addEventListener("change", () => dispatch({ type: "language.choose", language: this.languageSelect.value }));
    this.signOutButton.addEventListener("click", () => dispatch({ type: "session.signOut" }));
    this.assistButton = byId("assist-open");
    this.assistButton.addEventListener("click", () =>
      dispatch({ type: store.state.assist.panelOpen ? "assist.close" : "assist.open" }),
    );
    this.assistFocus = new FocusTarget("assist-open");
    store.subscribe((state) => this.render(state));
    this.render(store.state);
  }

  render(state) {
    this.languageSelect.value = state.language;
    this.assistButton.hidden = !usesAssist(state);
    this.assistButton.setAttribute("aria-expanded", state.assist.panelOpen ? "true" : "false");
    if (this.assistFocus.take(state) && !this.assistButton.hidden) this.assistButton.focus();
    if (!state.me) {
      this.currentUser.textContent = "";
      this.signOutButton.hidden = true;
      return;
    }
    const { t } = localize(state.language);
    this.currentUser.textContent = t("app.signedInAs", { name: state.me.name, role: t(`role.${state.me.role}`) });
    this.currentUser.dataset.userId = state.me.userId;
    this.signOutButton.hidden = false;
  }
}
