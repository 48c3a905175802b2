// Templates, FAQ entries, suggestions and automatic answers as the page sees them:
// functions of the state and of the server's answers (CONTRACT.md "Assist").

/** The sender of automatic answers (no token may carry it). */
export const ASSISTANT_ID = "parley.assistant";

/** Templates offered at once by the composer's picker (a short list to move through by keyboard). */
export const MAX_PICKER_TEMPLATES = 8;

/** Whether a message is an automatic answer. */
export function isAutomaticAnswer(message) {
  return Boolean(message && message.auto && message.auto.faqId);
}

/** Whether this user manages FAQ entries and templates and gets suggestions (sellers, support, service). */
export function usesAssist(state) {
  return Boolean(state.me) && ["seller", "support", "service"].includes(state.me.role);
}

/** Whether this user manages the marketplace's own entries and shared templates. */
export function managesShared(state) {
  return Boolean(state.me) && (state.me.role === "support" || state.me.role === "service");
}

/** Whether the signed-in user may edit or delete this FAQ entry (the server decides; this hides useless buttons). */
export function canEditFAQ(state, entry) {
  if (managesShared(state)) return true;
  return entry.scope === "seller" && entry.ownerId === state.me.userId;
}

/** Whether the signed-in user may edit or delete this template. */
export function canEditTemplate(state, template) {
  if (template.scope === "shared") return managesShared(state);
  return template.ownerId === state.me.userId;
}

/**
 * The field a 400 names ("question: required" → "question"), when it is one of
 * `fields`; else null (the error is shown for the whole form).
 */
export function errorField(error, fields) {
  const match = /^([A-Za-z][\w.]*): /.exec((error && error.message) || "");
  if (!match) return null;
  const field = match[1].split(".")[0];
  return fields.includes(field) ? field : null;
}

/** The variables a `missing_variables` error lists ("values missing for: a, b"). */
export function missingVariables(error) {
  const text = (error && error.message) || "";
  const colon = text.indexOf(":");
  if (colon < 0) return [];
  return text
    .slice(colon + 1)
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Lowercase, without accents: "Envío" and "envio" are the same to the picker. */
export function fold(text) {
  return String(text || "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
}

/**
 * The templates matching what follows the "/" in the composer: shortcut starts first,
 * then name starts, then anywhere in the name, shortcut or content; at most
 * MAX_PICKER_TEMPLATES.
 */
export function matchingTemplates(templates, query) {
  const q = fold(query).trim();
  const ranked = [];
  for (const template of templates || []) {
    const shortcut = fold(template.shortcut);
    const name = fold(template.name);
    let rank;
    if (!q) rank = 3;
    else if (shortcut.startsWith(q)) rank = 0;
    else if (name.startsWith(q)) rank = 1;
    else if (name.includes(q) || shortcut.includes(q)) rank = 2;
    else if (fold(template.content).includes(q)) rank = 3;
    else continue;
    ranked.push([rank, name, template]);
  }
  ranked.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return ranked.slice(0, MAX_PICKER_TEMPLATES).map(([, , template]) => template);
}

/** The suggestions to show above the composer of `conversationId` (none while no buyer message waits). */
export function shownSuggestions(state, conversationId) {
  const known = state.suggestions.get(conversationId);
  if (!known || !known.forMessageId) return [];
  return known.suggestions || [];
}
