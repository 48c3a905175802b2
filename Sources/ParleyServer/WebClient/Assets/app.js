// Parley's browser client, wired together. No framework and no build step: ES modules
// served by the server itself. Data flows one way:
//
//   view ──dispatch(intent)──▶ action ──API / realtime──▶ store.update ──▶ views render
//
// store/    the state and the functions over it (one Store, views subscribe)
// actions/  what the page does: sign-in, inbox, thread, composer, management, realtime
// services/ the REST API, the WebSocket, where the token comes from
// views/    one module per part of the page; each renders from the store and raises intents
//           (the assist panel, the template picker and the suggestions beside the
//           composer are one view each, with their actions and their part of the state;
//           the notification control in the top bar and the ticket under the thread's
//           head likewise; end-to-end encryption has its panel under the thread's head
//           and the "new conversation" form in the inbox; attachments have the tray beside the composer, their node in
//           the message list and the photo viewer)
// crypto/   end-to-end encryption on WebCrypto: HPKE (RFC 9180) and the contract's envelopes
// sw.js     the service worker (served at /sw.js): Web Push notifications and their clicks

import { createActions, createDispatch } from "./actions/index.js";
import { preferredLanguage } from "./i18n.js";
import { Api } from "./services/api.js";
import { listenForPostedTokens } from "./services/auth.js";
import { initialState } from "./store/state.js";
import { Store } from "./store/store.js";
import { AnnouncerView } from "./views/announcer.js";
import { AssistPanelView } from "./views/assist-panel.js";
import { AttachmentTrayView } from "./views/attachment-tray.js";
import { ComposerView } from "./views/composer.js";
import { ConnectionBannerView } from "./views/connection-banner.js";
import { ConversationListView } from "./views/conversation-list.js";
import { EncryptionPanelView } from "./views/encryption-panel.js";
import { EscalationNoticesView } from "./views/escalation-notices.js";
import { HeaderView } from "./views/header.js";
import { ImageViewerView } from "./views/image-viewer.js";
import { InboxFiltersView } from "./views/inbox-filters.js";
import { LayoutView } from "./views/layout.js";
import { ManagePanelView } from "./views/manage-panel.js";
import { MessageListView } from "./views/message-list.js";
import { NewConversationView } from "./views/new-conversation.js";
import { NotificationsControlView } from "./views/notifications-control.js";
import { PageTextView } from "./views/page-text.js";
import { SearchFormView } from "./views/search-form.js";
import { SearchResultsView } from "./views/search-results.js";
import { SignInView } from "./views/signin.js";
import { SuggestionsView } from "./views/suggestions.js";
import { TemplatePickerView } from "./views/template-picker.js";
import { ThreadHeaderView } from "./views/thread-header.js";
import { TicketPanelView } from "./views/ticket-panel.js";
import { TypingIndicatorView } from "./views/typing-indicator.js";

const store = new Store(initialState({ language: preferredLanguage() }));
// A 401 anywhere ends the session (`actions` is there before any request is made).
const api = new Api(() => store.state.token, () => actions.sessionExpired());
const actions = createActions({ store, api });
const dispatch = createDispatch(actions);

// In this order: the page's text and layout first, so that a view moving the focus
// finds its element shown.
for (const View of [
  PageTextView, LayoutView, HeaderView, NotificationsControlView, ConnectionBannerView, SignInView,
  NewConversationView, SearchFormView, InboxFiltersView, EscalationNoticesView, ConversationListView, SearchResultsView,
  ThreadHeaderView, TicketPanelView, EncryptionPanelView, ManagePanelView, MessageListView, TypingIndicatorView, SuggestionsView,
  // The picker before the composer: its key handler must run first (see template-picker.js).
  TemplatePickerView, ComposerView, AttachmentTrayView, AssistPanelView, ImageViewerView, AnnouncerView,
]) {
  new View(store, dispatch);
}

listenForPostedTokens((token) => actions.useToken(token));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") actions.pageShown();
});
// For tests and for trying reconnection by hand (see Tests/Browser).
window.parleyDebug = actions.debugHook();

actions.boot();
