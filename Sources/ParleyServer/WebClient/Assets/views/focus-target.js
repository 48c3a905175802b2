// Actions ask for the focus to move (`state.focus`, see actions/page.js); the view that
// owns the target moves it, once per request.

export class FocusTarget {
  constructor(name) {
    this.name = name;
    this.handled = 0;
  }

  /** The request for this target not acted on yet, or null; taking it marks it acted on. */
  take(state) {
    const request = state.focus;
    if (!request || request.target !== this.name || request.serial <= this.handled) return null;
    this.handled = request.serial;
    return request;
  }
}
