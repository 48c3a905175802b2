// Spanish and English. The language comes from localStorage ("parley.lang") when the
// user chose one, else from navigator.language; Spanish for es-*, English otherwise.
// The language in use is the store's (`state.language`); `localize(language)` gives
// the strings and formats for it.

const STORAGE_KEY = "parley.lang";
export const LANGUAGES = { es: "Español", en: "English" };

const STRINGS = {
  es: {
    "app.title": "Parley — mensajes",
    "app.skip": "Saltar al contenido",
    "app.language": "Idioma",
    "app.signOut": "Salir",
    "app.signedInAs": "Sesión de {name} ({role})",
    "app.offline": "Sin conexión — reconectando…",
    "app.connecting": "Conectando…",
    "app.you": "Tú",
    "role.buyer": "comprador",
    "role.seller": "vendedor",
    "role.support": "soporte",
    "role.service": "servicio",
    "signIn.title": "Entrar en Parley",
    "signIn.dev": "Modo de desarrollo: elige un usuario de la tienda de demostración.",
    "signIn.devUsers": "Usuarios de demostración",
    "signIn.production":
      "Abre la mensajería desde tu tienda: ella te identifica. Si llegaste aquí directamente, vuelve a la tienda y entra desde allí.",
    "signIn.expired": "Tu sesión ha caducado. Vuelve a abrir la mensajería desde la tienda.",
    "signIn.loading": "Cargando…",
    "signIn.failed": "No se pudo entrar: {message}",
    "inbox.title": "Conversaciones",
    "inbox.empty": "No hay conversaciones con estos filtros.",
    "inbox.loadMore": "Cargar más",
    "inbox.unread": "{n} sin leer",
    "inbox.noMessages": "Sin mensajes todavía",
    "inbox.loadFailed": "No se pudo cargar la lista: {message}",
    "inbox.archivedBadge": "Archivada",
    "inbox.assignedBadge": "Asignada a {name}",
    "filters.title": "Filtros",
    "filters.status": "Estado",
    "filters.label": "Etiqueta",
    "filters.priority": "Prioridad",
    "filters.assignee": "Asignación",
    "filters.archived": "Ver archivadas",
    "filters.any": "Todas",
    "filters.anyLabel": "Cualquiera",
    "filters.me": "Asignadas a mí",
    "filters.none": "Sin asignar",
    "status.open": "Abierta",
    "status.pending": "Pendiente",
    "status.closed": "Cerrada",
    "priority.low": "Baja",
    "priority.medium": "Media",
    "priority.high": "Alta",
    "priority.badge": "Prioridad {p}",
    "search.label": "Buscar en los mensajes",
    "search.placeholder": "Buscar… (p. ej. envío)",
    "search.submit": "Buscar",
    "search.clear": "Quitar búsqueda",
    "search.results": "{n} resultados para «{q}»",
    "search.oneResult": "1 resultado para «{q}»",
    "search.none": "Nada encontrado para «{q}»",
    "search.failed": "La búsqueda falló: {message}",
    "thread.none": "Elige una conversación de la lista.",
    "thread.back": "Volver a la lista",
    "thread.order": "Pedido {id}",
    "thread.product": "Producto {id}",
    "thread.general": "Conversación",
    "thread.loadOlder": "Ver mensajes anteriores",
    "thread.messages": "Mensajes",
    "thread.with": "Con {names}",
    "thread.loadFailed": "No se pudieron cargar los mensajes: {message}",
    "thread.start": "Aún no hay mensajes. Escribe el primero.",
    "composer.label": "Mensaje",
    "composer.placeholder": "Escribe un mensaje…",
    "composer.hint": "Intro envía; Mayús+Intro añade una línea.",
    "composer.send": "Enviar",
    "composer.tooLong": "El mensaje es demasiado largo.",
    "typing.one": "{name} está escribiendo…",
    "presence.online": "En línea",
    "presence.lastSeen": "Últ. vez {time}",
    "presence.offline": "Desconectado",
    "message.sending": "Enviando…",
    "message.sent": "Enviado",
    "message.seen": "Visto",
    "message.failed": "No enviado",
    "message.retry": "Reintentar",
    "message.seenBy": "Visto por {names}",
    "message.from": "{name}, {time}",
    "announce.newMessage": "Nuevo mensaje de {name}: {text}",
    "announce.newMessageIn": "Nuevo mensaje de {name} en «{subject}»",
    "announce.offline": "Sin conexión. Reconectando.",
    "announce.online": "Conectado de nuevo.",
    "manage.title": "Gestión de la conversación",
    "manage.status": "Estado",
    "manage.priority": "Prioridad",
    "manage.labels": "Etiquetas",
    "manage.addLabel": "Añadir etiqueta",
    "manage.addLabelButton": "Añadir",
    "manage.removeLabel": "Quitar la etiqueta {label}",
    "manage.noLabels": "Sin etiquetas",
    "manage.archive": "Archivar",
    "manage.unarchive": "Desarchivar",
    "manage.assignee": "Asignada a",
    "manage.assignMe": "Asignármela",
    "manage.unassigned": "Nadie",
    "manage.saved": "Guardado.",
    "manage.failed": "No se pudo guardar: {message}",
    "time.now": "ahora",
    "assist.open": "Respuestas y plantillas",
    "assist.title": "Respuestas automáticas y plantillas",
    "assist.close": "Volver a las conversaciones",
    "assist.loading": "Cargando…",
    "assist.loadFailed": "No se pudo cargar o guardar: {message}",
    "assist.saved": "Guardado.",
    "assist.deleted": "Borrado.",
    "assist.edit": "Editar",
    "assist.delete": "Borrar",
    "assist.confirmDelete": "¿Borrar «{name}»?",
    "assist.confirmYes": "Sí, borrar",
    "assist.cancel": "Cancelar",
    "assist.save": "Guardar",
    "assist.saving": "Guardando…",
    "assist.autoAnswer": "Responder automáticamente a las preguntas frecuentes",
    "assist.autoHint": "Si el asistente está seguro, contesta al comprador al momento con tu respuesta; si no, te la sugiere.",
    "assist.autoOn": "Respuestas automáticas activadas.",
    "assist.autoOff": "Respuestas automáticas desactivadas.",
    "assist.settingsFailed": "No se pudo cambiar: {message}",
    "assist.languageAny": "Cualquiera",
    "assist.language.es": "Español",
    "assist.language.en": "Inglés",
    "faq.title": "Preguntas frecuentes",
    "faq.owner": "Preguntas de",
    "faq.global": "El marketplace (globales)",
    "faq.none": "Aún no hay preguntas frecuentes.",
    "faq.new": "Nueva pregunta frecuente",
    "faq.edit": "Editar la pregunta",
    "faq.question": "Pregunta",
    "faq.alternatives": "Otras formas de preguntarlo (una por línea)",
    "faq.answer": "Respuesta",
    "faq.language": "Idioma",
    "faq.enabled": "Activa (se usa para responder y sugerir)",
    "faq.disabled": "Desactivada",
    "faq.globalBadge": "Global",
    "faq.stats": "Respondida {answered} · útil {helpful} · no útil {unhelpful}",
    "faq.alternativesShown": "También: {list}",
    "template.title": "Plantillas",
    "template.none": "Aún no hay plantillas.",
    "template.new": "Nueva plantilla",
    "template.edit": "Editar la plantilla",
    "template.name": "Nombre",
    "template.shortcut": "Atajo (escribe / y el atajo en el mensaje)",
    "template.language": "Idioma",
    "template.content": "Texto",
    "template.contentHint":
      "Variables: {{buyer.name}}, {{seller.name}}, {{orderId}}, {{productId}}, {{subject}}, {{me.name}}; con valor por defecto {{buyer.name | \"cliente\"}}; propias {{custom.NOMBRE}} (se piden al usarla).",
    "template.scope": "Para",
    "template.personal": "Solo yo",
    "template.shared": "Compartida (todos los vendedores y agentes)",
    "template.sharedBadge": "Compartida",
    "template.sentBy": "Plantilla",
    "picker.label": "Plantillas",
    "picker.none": "Ninguna plantilla coincide.",
    "picker.loading": "Cargando plantillas…",
    "picker.hint": "↑ ↓ para elegir, Intro para usarla, Esc para cerrar.",
    "picker.values": "Faltan datos para «{name}»",
    "picker.insert": "Poner en el mensaje",
    "picker.cancel": "Cancelar",
    "picker.failed": "No se pudo usar la plantilla: {message}",
    "suggest.title": "Respuestas sugeridas",
    "suggest.source.faq": "Pregunta frecuente",
    "suggest.source.template": "Plantilla",
    "suggest.source.history": "Respondiste antes",
    "suggest.use": "Poner en el mensaje: {text}",
    "auto.label": "Respuesta automática",
    "auto.sender": "Asistente de Parley",
    "auto.question": "¿Te ha servido esta respuesta?",
    "auto.helpful": "Sí, me sirve",
    "auto.unhelpful": "No me sirve",
    "auto.thanks": "¡Gracias por tu opinión!",
    "auto.handedOver": "Gracias. Una persona del equipo seguirá con tu consulta.",
    "auto.feedbackFailed": "No se pudo enviar tu opinión: {message}",
  },
  en: {
    "app.title": "Parley — messages",
    "app.skip": "Skip to content",
    "app.language": "Language",
    "app.signOut": "Sign out",
    "app.signedInAs": "Signed in as {name} ({role})",
    "app.offline": "Offline — reconnecting…",
    "app.connecting": "Connecting…",
    "app.you": "You",
    "role.buyer": "buyer",
    "role.seller": "seller",
    "role.support": "support",
    "role.service": "service",
    "signIn.title": "Sign in to Parley",
    "signIn.dev": "Development mode: pick a user of the demo marketplace.",
    "signIn.devUsers": "Demo users",
    "signIn.production":
      "Open messages from your marketplace: it signs you in. If you came here directly, go back to the marketplace and open messages from there.",
    "signIn.expired": "Your session has expired. Open messages from the marketplace again.",
    "signIn.loading": "Loading…",
    "signIn.failed": "Could not sign in: {message}",
    "inbox.title": "Conversations",
    "inbox.empty": "No conversations match these filters.",
    "inbox.loadMore": "Load more",
    "inbox.unread": "{n} unread",
    "inbox.noMessages": "No messages yet",
    "inbox.loadFailed": "Could not load the list: {message}",
    "inbox.archivedBadge": "Archived",
    "inbox.assignedBadge": "Assigned to {name}",
    "filters.title": "Filters",
    "filters.status": "Status",
    "filters.label": "Label",
    "filters.priority": "Priority",
    "filters.assignee": "Assignment",
    "filters.archived": "Show archived",
    "filters.any": "All",
    "filters.anyLabel": "Any",
    "filters.me": "Assigned to me",
    "filters.none": "Unassigned",
    "status.open": "Open",
    "status.pending": "Pending",
    "status.closed": "Closed",
    "priority.low": "Low",
    "priority.medium": "Medium",
    "priority.high": "High",
    "priority.badge": "{p} priority",
    "search.label": "Search messages",
    "search.placeholder": "Search… (e.g. refund)",
    "search.submit": "Search",
    "search.clear": "Clear search",
    "search.results": "{n} results for “{q}”",
    "search.oneResult": "1 result for “{q}”",
    "search.none": "Nothing found for “{q}”",
    "search.failed": "Search failed: {message}",
    "thread.none": "Choose a conversation from the list.",
    "thread.back": "Back to the list",
    "thread.order": "Order {id}",
    "thread.product": "Product {id}",
    "thread.general": "Conversation",
    "thread.loadOlder": "Show earlier messages",
    "thread.messages": "Messages",
    "thread.with": "With {names}",
    "thread.loadFailed": "Could not load the messages: {message}",
    "thread.start": "No messages yet. Write the first one.",
    "composer.label": "Message",
    "composer.placeholder": "Write a message…",
    "composer.hint": "Enter sends; Shift+Enter adds a line.",
    "composer.send": "Send",
    "composer.tooLong": "The message is too long.",
    "typing.one": "{name} is typing…",
    "presence.online": "Online",
    "presence.lastSeen": "Last seen {time}",
    "presence.offline": "Offline",
    "message.sending": "Sending…",
    "message.sent": "Sent",
    "message.seen": "Seen",
    "message.failed": "Not sent",
    "message.retry": "Retry",
    "message.seenBy": "Seen by {names}",
    "message.from": "{name}, {time}",
    "announce.newMessage": "New message from {name}: {text}",
    "announce.newMessageIn": "New message from {name} in “{subject}”",
    "announce.offline": "Offline. Reconnecting.",
    "announce.online": "Back online.",
    "manage.title": "Manage conversation",
    "manage.status": "Status",
    "manage.priority": "Priority",
    "manage.labels": "Labels",
    "manage.addLabel": "Add a label",
    "manage.addLabelButton": "Add",
    "manage.removeLabel": "Remove label {label}",
    "manage.noLabels": "No labels",
    "manage.archive": "Archive",
    "manage.unarchive": "Unarchive",
    "manage.assignee": "Assigned to",
    "manage.assignMe": "Assign to me",
    "manage.unassigned": "Nobody",
    "manage.saved": "Saved.",
    "manage.failed": "Could not save: {message}",
    "time.now": "now",
    "assist.open": "Answers & templates",
    "assist.title": "Automatic answers and templates",
    "assist.close": "Back to conversations",
    "assist.loading": "Loading…",
    "assist.loadFailed": "Could not load or save: {message}",
    "assist.saved": "Saved.",
    "assist.deleted": "Deleted.",
    "assist.edit": "Edit",
    "assist.delete": "Delete",
    "assist.confirmDelete": "Delete “{name}”?",
    "assist.confirmYes": "Yes, delete",
    "assist.cancel": "Cancel",
    "assist.save": "Save",
    "assist.saving": "Saving…",
    "assist.autoAnswer": "Answer frequent questions automatically",
    "assist.autoHint": "When the assistant is sure, it answers the buyer at once with your answer; otherwise it suggests it to you.",
    "assist.autoOn": "Automatic answers on.",
    "assist.autoOff": "Automatic answers off.",
    "assist.settingsFailed": "Could not change it: {message}",
    "assist.languageAny": "Any",
    "assist.language.es": "Spanish",
    "assist.language.en": "English",
    "faq.title": "Frequent questions",
    "faq.owner": "Questions of",
    "faq.global": "The marketplace (global)",
    "faq.none": "No frequent questions yet.",
    "faq.new": "New frequent question",
    "faq.edit": "Edit the question",
    "faq.question": "Question",
    "faq.alternatives": "Other ways to ask it (one per line)",
    "faq.answer": "Answer",
    "faq.language": "Language",
    "faq.enabled": "Enabled (used to answer and suggest)",
    "faq.disabled": "Disabled",
    "faq.globalBadge": "Global",
    "faq.stats": "Answered {answered} · helpful {helpful} · not helpful {unhelpful}",
    "faq.alternativesShown": "Also: {list}",
    "template.title": "Templates",
    "template.none": "No templates yet.",
    "template.new": "New template",
    "template.edit": "Edit the template",
    "template.name": "Name",
    "template.shortcut": "Shortcut (type / and the shortcut in a message)",
    "template.language": "Language",
    "template.content": "Text",
    "template.contentHint":
      "Variables: {{buyer.name}}, {{seller.name}}, {{orderId}}, {{productId}}, {{subject}}, {{me.name}}; with a fallback {{buyer.name | \"customer\"}}; your own {{custom.NAME}} (asked for when used).",
    "template.scope": "For",
    "template.personal": "Only me",
    "template.shared": "Shared (every seller and agent)",
    "template.sharedBadge": "Shared",
    "template.sentBy": "Template",
    "picker.label": "Templates",
    "picker.none": "No template matches.",
    "picker.loading": "Loading templates…",
    "picker.hint": "↑ ↓ to choose, Enter to use it, Esc to close.",
    "picker.values": "Values needed for “{name}”",
    "picker.insert": "Put in the message",
    "picker.cancel": "Cancel",
    "picker.failed": "Could not use the template: {message}",
    "suggest.title": "Suggested replies",
    "suggest.source.faq": "Frequent question",
    "suggest.source.template": "Template",
    "suggest.source.history": "You replied before",
    "suggest.use": "Put in the message: {text}",
    "auto.label": "Automatic answer",
    "auto.sender": "Parley assistant",
    "auto.question": "Did this answer help?",
    "auto.helpful": "Yes, it helps",
    "auto.unhelpful": "Not helpful",
    "auto.thanks": "Thanks for telling us!",
    "auto.handedOver": "Thanks. A person from the team will take over your question.",
    "auto.feedbackFailed": "Could not send your answer: {message}",
  },
};

/** The language to start in: the one chosen before, else the browser's. */
export function preferredLanguage() {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored && STRINGS[stored]) return stored;
  } catch {
    /* storage disabled */
  }
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return preferred.toLowerCase().startsWith("es") ? "es" : "en";
}

export function isLanguage(language) {
  return Object.hasOwn(STRINGS, language);
}

/** Remembers the user's choice for the next visit. */
export function rememberLanguage(language) {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    /* remembered for this page only */
  }
}

/** The strings and time formats of `language`: {t, formatTime, formatFullTime, formatRelative}. */
export function localize(language) {
  const strings = STRINGS[language] || STRINGS.en;

  /** The string for `key` with {name} placeholders filled in (values are plain text). */
  const t = (key, params = {}) => {
    const template = strings[key] ?? STRINGS.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
  };

  const formatTime = (iso) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    const now = new Date();
    const sameDay = date.toDateString() === now.toDateString();
    const options = sameDay
      ? { hour: "2-digit", minute: "2-digit" }
      : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    return new Intl.DateTimeFormat(language, options).format(date);
  };

  const formatFullTime = (iso) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return new Intl.DateTimeFormat(language, { dateStyle: "full", timeStyle: "short" }).format(date);
  };

  /** "hace 5 minutos" / "5 minutes ago". */
  const formatRelative = (iso) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
    const abs = Math.abs(seconds);
    if (abs < 45) return t("time.now");
    if (abs < 3600) return format.format(Math.round(seconds / 60), "minute");
    if (abs < 86400) return format.format(Math.round(seconds / 3600), "hour");
    if (abs < 86400 * 7) return format.format(Math.round(seconds / 86400), "day");
    return formatTime(iso);
  };

  return { t, formatTime, formatFullTime, formatRelative };
}
