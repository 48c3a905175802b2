// Every action of the page, and the intents views raise. Actions call the API and the
// realtime connection and change the store; views only read the store and `dispatch`
// intents ({type, ...}), so data flows one way: intent → action → store → views.

import { assistActions } from "./assist.js";
import { attachmentActions } from "./attachments.js";
import { composerActions } from "./composer.js";
import { e2eeActions } from "./e2ee.js";
import { escalationActions } from "./escalation.js";
import { inboxActions } from "./inbox.js";
import { liveActions } from "./live.js";
import { manageActions } from "./manage.js";
import { notificationActions } from "./notifications.js";
import { pageActions } from "./page.js";
import { sessionActions } from "./session.js";
import { threadActions } from "./thread.js";
import { ticketActions } from "./tickets.js";

/**
 * The actions over `context` ({store, api}). Each group may call the others through the
 * shared `actions` object, filled in before any of them runs.
 */
export function createActions(context) {
  const actions = {};
  for (const group of [pageActions, sessionActions, inboxActions, threadActions, composerActions, attachmentActions, manageActions, assistActions, escalationActions, liveActions, notificationActions, ticketActions, e2eeActions]) {
    Object.assign(actions, group(context, actions));
  }
  return actions;
}

/** The one function views are given: `dispatch({type: "conversation.open", conversationId})`. */
export function createDispatch(actions) {
  const intents = {
    "language.choose": ({ language }) => actions.setLanguage(language),
    "signIn.pick": ({ userId }) => actions.pickDevUser(userId),
    "session.signOut": () => actions.signOut(),
    "inbox.filter": ({ patch }) => actions.changeFilters(patch),
    "inbox.more": () => actions.loadInbox({ more: true }),
    "search.run": ({ q }) => actions.search(q),
    "search.clear": ({ focusSearch = false }) => actions.clearSearch({ focusSearch }),
    "conversation.open": ({ conversationId, focusSeq = null }) => actions.openConversation(conversationId, { focusSeq }),
    "thread.close": () => actions.closeThread(),
    "thread.older": () => actions.loadOlder(),
    "message.send": ({ text }) => actions.sendMessage(text),
    "message.retry": ({ clientMessageId }) => actions.retry(clientMessageId),
    "composer.input": ({ text }) => actions.composerInput(text),
    "composer.idle": () => actions.stopTyping(),
    "manage.status": ({ status }) => actions.setStatus(status),
    "manage.priority": ({ priority }) => actions.setPriority(priority),
    "manage.labels": ({ labels }) => actions.setLabels(labels),
    "manage.archived": ({ archived }) => actions.setArchived(archived),
    "manage.assignee": ({ userId }) => actions.setAssignee(userId),
    "assist.open": () => actions.openAssistPanel(),
    "assist.close": () => actions.closeAssistPanel(),
    "assist.faqOwner": ({ owner }) => actions.chooseFAQOwner(owner),
    "assist.saveFAQ": ({ faqId, draft }) => actions.saveFAQEntry(faqId, draft),
    "assist.deleteFAQ": ({ faqId }) => actions.deleteFAQEntry(faqId),
    "assist.saveTemplate": ({ templateId, draft }) => actions.saveTemplate(templateId, draft),
    "assist.deleteTemplate": ({ templateId }) => actions.deleteTemplate(templateId),
    "assist.resetForm": ({ form }) => actions.resetAssistForm(form),
    "assist.autoAnswer": ({ on }) => actions.setAutoAnswer(on),
    "templates.load": () => actions.loadTemplates(),
    "template.use": ({ templateId, values }) => actions.useTemplate(templateId, values),
    "template.cancel": () => actions.cancelTemplate(),
    "composer.fill": ({ text }) => actions.fillComposer(text),
    "auto.feedback": ({ messageId, helpful }) => actions.sendFeedback(messageId, helpful),
    "escalation.dismiss": ({ conversationId }) => actions.dismissEscalationNotice(conversationId),
    "message.toggleOriginal": ({ messageId }) => actions.toggleOriginal(messageId),
    "attachment.add": ({ file, more = 0 }) => actions.attachFile(file, { more }),
    "attachment.remove": () => actions.removeAttachment(),
    "attachment.send": ({ caption }) => actions.sendAttachment(caption),
    // Answers a promise of the URL (views set it as an <img> source or a download's href).
    "attachment.url": ({ attachmentId, variant, fresh = false }) => actions.attachmentURL(attachmentId, { variant, fresh }),
    "viewer.open": ({ conversationId, messageId }) => actions.openViewer(conversationId, messageId),
    "viewer.close": () => actions.closeViewer(),
    "notifications.enable": () => actions.enableNotifications(),
    "notifications.disable": () => actions.disableNotifications(),
    "ticket.form": ({ open }) => actions.showTicketForm(open),
    "ticket.request": ({ reason }) => actions.requestTicket(reason),
    "conversation.new": ({ open }) => actions.showNewConversation(open),
    "conversation.create": ({ draft }) => actions.createConversation(draft),
    "e2ee.acceptKey": ({ userId, deviceId, safetyNumber }) => actions.acceptDeviceKey(userId, deviceId, safetyNumber),
    "e2ee.report": ({ conversationId, messageId }) => actions.reportMessage(conversationId, messageId),
  };
  return (intent) => {
    const handler = intents[intent.type];
    if (!handler) throw new Error(`unknown intent ${intent.type}`);
    return handler(intent);
  };
}
