// The open conversation's end-to-end encryption, under its head: a lock and what is
// off because the server cannot read the messages (search, automatic answers,
// suggestions, tone, masking, push previews), a warning for every device whose keys
// changed since first seen (with the way to trust the new key once checked), the
// support agent the keys were shared with, and the safety numbers of every device to
// compare (this device's own among them).

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { isEncrypted, participantIds } from "../store/e2ee.js";
import { displayName } from "../store/state.js";
import { lockIcon } from "./lock-icon.js";

export class EncryptionPanelView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.panel = byId("e2ee");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const conversation = state.openId ? state.conversations.get(state.openId) : null;
    if (!state.me || !conversation) return;
    if (!isEncrypted(conversation)) {
      if (this.shown !== null) replaceChildren(this.panel);
      this.shown = null;
      this.panel.hidden = true;
      return;
    }
    const users = participantIds(conversation);
    const assignee = conversation.metadata && conversation.metadata.assignedTo;
    if (assignee && !users.includes(assignee)) users.push(assignee);
    const devices = users.map((userId) => [userId, state.e2ee.devices.get(userId) || []]);
    const shared = state.e2ee.shares.get(conversation.conversationId) || null;
    const key = JSON.stringify([state.language, conversation.conversationId, devices, shared, state.e2ee.device, state.e2ee.error]);
    if (key === this.shown) return;
    this.shown = key;
    const open = this.panel.querySelector("details")?.open || false;
    const { t } = localize(state.language);
    this.panel.hidden = false;
    this.panel.dataset.conversationId = conversation.conversationId;

    const warnings = [];
    const numbers = [];
    for (const [userId, list] of devices) {
      for (const device of list) {
        const name = displayName(state, userId);
        if (device.mine) {
          // Other keys listed under this browser's own device id: never sealed to nor
          // trusted (this browser keeps using its own); the person is told, with no way to accept them.
          if (device.forged) {
            warnings.push(
              h(
                "p",
                { class: "e2ee-warning", role: "alert", "data-testid": "e2ee-key-changed", "data-own": "true", "data-user-id": userId, "data-device-id": device.deviceId },
                t("e2ee.changed", { name, device: device.deviceId }),
              ),
            );
          }
          continue;
        }
        if (device.changed) {
          warnings.push(
            h(
              "p",
              { class: "e2ee-warning", role: "alert", "data-testid": "e2ee-key-changed", "data-user-id": userId, "data-device-id": device.deviceId },
              t("e2ee.changed", { name, device: device.deviceId }),
              " ",
              h(
                "button",
                {
                  type: "button",
                  class: "secondary small",
                  "data-testid": "e2ee-accept-key",
                  onclick: () => this.dispatch({ type: "e2ee.acceptKey", userId, deviceId: device.deviceId, safetyNumber: device.safetyNumber }),
                },
                t("e2ee.accept"),
              ),
            ),
          );
        }
        numbers.push(
          h(
            "li",
            { "data-testid": "safety-number", "data-user-id": userId, "data-device-id": device.deviceId, "data-changed": device.changed ? "true" : "false" },
            h("span", { class: "e2ee-device" }, t("e2ee.device", { name, device: device.deviceId })),
            " ",
            h("code", { class: "safety-digits", "data-testid": "safety-digits" }, device.safetyNumber),
          ),
        );
      }
    }
    const mine = state.e2ee.device;
    replaceChildren(
      this.panel,
      h(
        "p",
        { class: "e2ee-title", "data-testid": "e2ee-lock" },
        lockIcon(),
        " ",
        h("strong", {}, t("e2ee.title")),
      ),
      h("p", { class: "e2ee-off", "data-testid": "e2ee-off" }, t("e2ee.off")),
      state.e2ee.error ? h("p", { class: "e2ee-warning", role: "alert", "data-testid": "e2ee-error" }, t("e2ee.deviceFailed", { message: state.e2ee.error })) : null,
      warnings,
      shared ? h("p", { class: "e2ee-shared", "data-testid": "e2ee-shared", "data-agent-id": shared }, t("e2ee.shared", { name: displayName(state, shared) })) : null,
      h(
        "details",
        { class: "e2ee-safety", "data-testid": "e2ee-safety", open: open || null },
        h("summary", {}, t("e2ee.safety")),
        h("p", { class: "e2ee-help" }, t("e2ee.safetyHelp")),
        h("ul", { class: "safety-numbers" }, numbers),
        mine
          ? h(
              "p",
              { "data-testid": "my-safety-number", "data-device-id": mine.deviceId },
              t("e2ee.mine", { device: mine.deviceId }),
              " ",
              h("code", { class: "safety-digits", "data-testid": "safety-digits" }, mine.safetyNumber),
            )
          : null,
      ),
    );
  }
}
