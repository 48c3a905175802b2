// The aria-live region: each announcement is added once, the last few are kept, and
// each goes after a while (a screen reader has read it by then).

import { byId, h } from "../dom.js";

/** Lines kept in the region. */
const MAX_LINES = 5;
/** How long a line stays. */
const LINE_LIFETIME_MS = 20_000;

export class AnnouncerView {
  constructor(store) {
    this.region = byId("announcer");
    this.lastShown = 0;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    for (const { id, text } of state.announcements) {
      if (id <= this.lastShown) continue;
      this.lastShown = id;
      const line = h("p", {}, text);
      this.region.append(line);
      while (this.region.childElementCount > MAX_LINES) this.region.firstElementChild.remove();
      setTimeout(() => line.remove(), LINE_LIFETIME_MS);
    }
  }
}
