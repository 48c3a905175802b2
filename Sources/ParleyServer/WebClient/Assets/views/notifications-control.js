// The "enable notifications" control in the top bar: shown when the browser has Web
// Push and the server a key; says whether notifications are off, on or blocked by the
// browser, turns them on (permission, subscription) and off, and says why it failed.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";

const LABELS = { off: "notify.enable", on: "notify.on", blocked: "notify.blocked", working: "notify.working" };
const HINTS = { off: "notify.enableHint", on: "notify.turnOff", blocked: "notify.blockedHelp", working: null };

/** A bell (struck through when blocked): at phone width the button shows only this. */
function bell(struck) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  for (const [name, value] of Object.entries({
    "aria-hidden": "true", focusable: "false", width: "18", height: "18", viewBox: "0 0 24 24", fill: "none",
    stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round", class: "bell",
  })) {
    svg.setAttribute(name, value);
  }
  const paths = ["M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9", "M13.7 21a2 2 0 0 1-3.4 0"];
  if (struck) paths.push("M3 3l18 18");
  for (const d of paths) {
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

export class NotificationsControlView {
  constructor(store, dispatch) {
    this.button = byId("notifications-toggle");
    this.status = byId("notifications-status");
    this.button.addEventListener("click", () => {
      const { state } = store.state.notifications;
      if (state === "on") dispatch({ type: "notifications.disable" });
      else if (state === "off") dispatch({ type: "notifications.enable" });
    });
    store.subscribe((state) => this.render(state));
    this.render(store.state);
  }

  render(state) {
    const { available, state: current, error } = state.notifications;
    const shown = Boolean(state.me) && available;
    this.button.hidden = !shown;
    if (!shown) {
      this.status.hidden = true;
      this.status.textContent = "";
      return;
    }
    const { t } = localize(state.language);
    this.button.dataset.state = current;
    replaceChildren(this.button, bell(current === "blocked"), h("span", { class: "notifications-label" }, t(LABELS[current])));
    this.button.title = HINTS[current] ? t(HINTS[current]) : "";
    this.button.setAttribute("aria-pressed", current === "on" ? "true" : "false");
    // Blocked: only the browser's site settings can change it (the status says so).
    this.button.disabled = current === "working" || current === "blocked";
    let text = "";
    if (error) text = t(error.key, { message: error.message || "" });
    else if (current === "blocked") text = t("notify.blockedHelp");
    this.status.hidden = text === "";
    this.status.textContent = text;
    this.status.dataset.state = error ? "error" : current;
  }
}
