// Small DOM helpers. Text always goes in through text nodes (never innerHTML), so
// nothing a user typed can become markup.

/**
 * Creates an element.
 *   h("button", {class: "x", type: "button", onclick: fn, "data-testid": "y"}, "label", child)
 * Props starting with "on" become event listeners; `class`, `text`, `hidden`, `disabled`,
 * `value`, `checked` and `selected` are set as properties; everything else is an
 * attribute (null/undefined/false skip it). Children: strings, numbers, nodes, arrays, null.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      element.className = value;
    } else if (key === "text") {
      element.textContent = String(value);
    } else if (["hidden", "disabled", "value", "checked", "selected"].includes(key)) {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent, ...children) {
  parent.textContent = "";
  append(parent, children);
}

/** `document.getElementById`, failing loudly when the page and the code disagree. */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
}

/** Whether the page is at phone width (inbox and thread as two screens; see style.css). */
export function isNarrow() {
  return window.matchMedia("(max-width: 720px)").matches;
}

/** A random id for clientMessageId (crypto.randomUUID needs a secure context). */
export function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
