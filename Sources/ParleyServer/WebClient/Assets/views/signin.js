// The sign-in screen: the demo user picker with `--dev`, else how to sign in.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";

const ROLE_ORDER = ["buyer", "seller", "support", "service"];

export class SignInView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.section = byId("sign-in");
    this.message = byId("sign-in-message");
    this.list = byId("dev-users");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  /** `state.signIn`: {kind: "loading" | "dev" (users) | "production" | "expired" | "failed", error, expired}. */
  render(state) {
    const mode = state.signIn;
    this.section.hidden = !mode;
    if (!mode) return;
    // Rebuild only when something shown changed (a rebuild would move the focus).
    const key = JSON.stringify([state.language, mode]);
    if (key === this.shown) return;
    this.shown = key;
    const { t } = localize(state.language);
    const { kind, users = [], error = null, expired = false } = mode;
    const lines = [];
    if (kind === "loading") lines.push(t("signIn.loading"));
    if (kind === "expired" || expired) lines.push(t("signIn.expired"));
    if (kind === "production") lines.push(t("signIn.production"));
    if (kind === "dev") lines.push(t("signIn.dev"));
    if (error) lines.push(t("signIn.failed", { message: error }));
    replaceChildren(this.message, lines.map((line) => h("p", {}, line)));

    if (kind !== "dev") {
      this.list.hidden = true;
      return;
    }
    this.list.hidden = false;
    const sorted = [...users].sort(
      (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.name.localeCompare(b.name),
    );
    replaceChildren(
      this.list,
      h("h3", { id: "dev-users-title" }, t("signIn.devUsers")),
      h(
        "ul",
        { "aria-labelledby": "dev-users-title" },
        sorted.map((user) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "dev-user",
                "data-testid": `dev-user-${user.userId}`,
                "data-user-id": user.userId,
                onclick: () => this.dispatch({ type: "signIn.pick", userId: user.userId }),
              },
              h("span", { class: "dev-user-name" }, user.name),
              h("span", { class: `role role-${user.role}` }, t(`role.${user.role}`)),
            ),
          ),
        ),
      ),
    );
  }
}
