// A search result's snippet as nodes: text nodes, and <mark> around the matches.

import { h } from "../dom.js";

/**
 * The snippet of a search result. `snippet` is plain text and `highlights` the matches
 * as [{start, length}] in UTF-16 code units (JavaScript string indices); ranges that
 * overlap, run backwards or fall outside the text are skipped. Nothing is parsed as markup.
 */
export function snippetNodes(result) {
  const text = String(result.snippet || "");
  if (!Array.isArray(result.highlights)) return legacySnippetNodes(text);
  const fragment = document.createDocumentFragment();
  let position = 0;
  const ranges = result.highlights
    .filter((range) => Number.isInteger(range.start) && Number.isInteger(range.length) && range.length > 0)
    .sort((a, b) => a.start - b.start);
  for (const { start, length } of ranges) {
    if (start < position || start + length > text.length) continue;
    if (start > position) fragment.append(document.createTextNode(text.slice(position, start)));
    fragment.append(h("mark", {}, text.slice(start, start + length)));
    position = start + length;
  }
  if (position < text.length) fragment.append(document.createTextNode(text.slice(position)));
  return fragment;
}

/**
 * Until the server sends `highlights`: the snippet is escaped HTML with <mark> around
 * matches, parsed in an inert document keeping only text and <mark>.
 */
function legacySnippetNodes(snippet) {
  const parsed = new DOMParser().parseFromString(`<body>${snippet}</body>`, "text/html");
  const fragment = document.createDocumentFragment();
  for (const node of parsed.body.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      fragment.appendChild(h("mark", {}, node.textContent));
    } else {
      fragment.appendChild(document.createTextNode(node.textContent));
    }
  }
  return fragment;
}
