// The one place the page's state lives. Actions change it through `update`; views
// subscribe and render from it. Listeners run once per microtask however many updates
// happened, so a burst of events (a replay, a page of messages) renders once.

export class Store {
  #state;
  #listeners = new Set();
  #queued = false;

  constructor(state) {
    this.#state = state;
  }

  /** The current state; read it, change it only through `update`. */
  get state() {
    return this.#state;
  }

  /** Calls `listener(state)` after every batch of changes; answers a function that stops it. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs `change(state)` and tells the listeners (once, after the current task); answers what `change` answers. */
  update(change) {
    const result = change(this.#state);
    this.#schedule();
    return result;
  }

  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      for (const listener of this.#listeners) listener(this.#state);
    });
  }
}
