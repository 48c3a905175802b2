// "Offline — reconnecting…" while a signed-in page has no realtime connection.

import { byId } from "../dom.js";
import { localize } from "../i18n.js";

export class ConnectionBannerView {
  constructor(store) {
    this.banner = byId("connection-banner");
    store.subscribe((state) => this.render(state));
    this.render(store.state);
  }

  render(state) {
    const offline = Boolean(state.me) && state.connection === "offline";
    this.banner.hidden = !offline;
    this.banner.textContent = offline ? localize(state.language).t("app.offline") : "";
    this.banner.dataset.state = state.connection;
  }
}
