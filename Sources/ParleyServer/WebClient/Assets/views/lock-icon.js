// The padlock of end-to-end encryption, drawn (an emoji needs a font the browser may
// not have). Decorative: the words beside it say what it means.

const SVG = "http://www.w3.org/2000/svg";

/** A new 14-pixel padlock, hidden from screen readers. */
export function lockIcon() {
  const svg = document.createElementNS(SVG, "svg");
  for (const [name, value] of Object.entries({
    class: "lock-icon", width: "14", height: "14", viewBox: "0 0 24 24", fill: "none", stroke: "currentColor",
    "stroke-width": "2.2", "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false",
  })) {
    svg.setAttribute(name, value);
  }
  const body = document.createElementNS(SVG, "rect");
  for (const [name, value] of Object.entries({ x: "4", y: "11", width: "16", height: "10", rx: "2" })) body.setAttribute(name, value);
  const shackle = document.createElementNS(SVG, "path");
  shackle.setAttribute("d", "M8 11V7a4 4 0 0 1 8 0v4");
  svg.append(body, shackle);
  return svg;
}
