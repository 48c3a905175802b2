// Which screens show: sign-in, the workspace or the assist panel, the thread or its
// placeholder, and at phone width the inbox or the thread (Escape goes back to the list).

import { byId, isNarrow } from "../dom.js";

export class LayoutView {
  constructor(store, dispatch) {
    this.workspace = byId("workspace");
    this.threadEmpty = byId("thread-empty");
    this.threadBody = byId("thread-body");
    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented) return;
      if (event.key === "Escape" && store.state.assist.panelOpen) dispatch({ type: "assist.close" });
      else if (event.key === "Escape" && isNarrow() && store.state.openId) dispatch({ type: "thread.close" });
    });
    store.subscribe((state) => this.render(state));
    this.render(store.state);
  }

  render(state) {
    this.workspace.hidden = !state.me || state.assist.panelOpen;
    if (state.me) this.workspace.dataset.role = state.me.role;
    this.workspace.classList.toggle("show-thread", state.openId !== null);
    const open = Boolean(state.me) && state.openId !== null && state.conversations.has(state.openId);
    this.threadEmpty.hidden = open;
    this.threadBody.hidden = !open;
  }
}
