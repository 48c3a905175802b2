// A search result's snippet as nodes: text nodes, and <mark> around the matches.

import { h } from "../dom.js";

/**
 * The snippet of a search result. `snippet` is plain text and `highlights` the matches
 * as [{start, length}] in UTF-16 code units (JavaScript string indices); ranges that
 * overlap, are empty or fall outside the text are skipped. Nothing is parsed as markup.
 */
export function snippetNodes(result) {
  const text = String(result.snippet || "");
  const ranges = (Array.isArray(result.highlights) ? result.highlights : [])
    .filter((range) => Number.isInteger(range.start) && Number.isInteger(range.length) && range.start >= 0 && range.length > 0)
    .sort((a, b) => a.start - b.start);
  const fragment = document.createDocumentFragment();
  let position = 0;
  for (const { start, length } of ranges) {
    if (start < position || start + length > text.length) continue;
    if (start > position) fragment.append(document.createTextNode(text.slice(position, start)));
    fragment.append(h("mark", {}, text.slice(start, start + length)));
    position = start + length;
  }
  if (position < text.length) fragment.append(document.createTextNode(text.slice(position)));
  return fragment;
}
