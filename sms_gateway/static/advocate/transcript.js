// The messages of the open conversation, each outbound one with its delivery state: what
// happened to it, in words, and what the advocate can do when it failed (Retry re-queues the
// same message, so no second copy appears).
import { api, handoffPath, unlessEnded } from "./api.js";
import { current } from "./current.js";
import { $, announce, button, clockTime, el } from "./dom.js";
import { DELIVERY, FROM, NOT_SENT, humanize, word } from "./labels.js";
import { insertReply } from "./replybox.js";
import { isMine } from "./session.js";

const shown = new Map();  // message id -> <li>

// Events can overtake each other (a fast send reports "sent" before the message's own
// "queued" event or the POST answer arrives): a state never goes backwards, and a state for a
// message not shown yet is kept until it is.
const RANK = { standby: -1, queued: 0, sent: 1, delivered: 2, failed: 2, cancelled: 2 };
const rank = (delivery) => RANK[delivery] ?? 0;
const early = new Map();

export function clearTranscript() {
  shown.clear();
  early.clear();
  $("transcript").replaceChildren();
  $("crisis-banner").hidden = true;
}

export function lastShownId() {
  const ids = [...shown.keys()].map(Number).filter(Number.isFinite);
  return ids.length ? Math.max(...ids) : 0;
}

export function scrollToEnd() {
  // the log scrolls by itself; the page is never scrolled from under the reader
  const log = $("transcript-log");
  log.scrollTop = log.scrollHeight;
}

function authorLabel(from) {
  const who = current.handoff && current.handoff.summary && current.handoff.summary.who;
  return from === "youth" && who === "caregiver" ? "Caregiver" : FROM[from];
}

export function addMessage(message, scroll = true) {
  const key = message.id === undefined || message.id === null ? null : String(message.id);
  if (key !== null && shown.has(key)) {  // our own reply also comes back as an event
    if (message.delivery) setDelivery(key, message.delivery, message.reason, message.failure);
    return;
  }
  const from = FROM[message.from] ? message.from : "system";
  const item = el("li", `msg from-${from}`);
  if (key !== null) item.dataset.id = key;
  const meta = el("p", "meta");
  meta.append(el("span", "author", authorLabel(from)));
  const at = clockTime(message.at);
  if (at) {
    const time = el("time", "at", at);
    time.dateTime = String(message.at);
    meta.append(" ", time);
  }
  item.append(meta, el("p", "text", message.text));  // untrusted: textContent only
  const tracked = from === "advocate" || from === "safety_net" || (from === "system" && message.delivery);
  if (tracked) item.append(el("p", "delivery"));
  $("transcript").append(item);
  if (key !== null) shown.set(key, item);
  if (from === "safety_net") {
    item.dataset.due = String(message.due || "");
    showStandby(item, message.delivery || "standby", message.reason);
  } else if (tracked) {
    showDelivery(item, message.delivery || "queued", message.failure);
  }
  if (scroll) scrollToEnd();
}

// A delivery event or answer for a message: shown if the message is, kept until it is if not.
export function setDelivery(id, delivery, reason, failure) {
  const item = shown.get(String(id));
  if (!item) { early.set(String(id), delivery); return; }
  if (item.classList.contains("from-safety_net")) showStandby(item, delivery, reason);
  else if (item.querySelector(".delivery")) showDelivery(item, delivery, failure, true);
}

function showDelivery(item, delivery, failure, live = false) {
  const before = early.get(item.dataset.id);
  if (before !== undefined) {
    early.delete(item.dataset.id);
    if (rank(before) > rank(delivery)) delivery = before;
  }
  if (item.dataset.delivery && rank(item.dataset.delivery) > rank(delivery)) return;
  const box = item.querySelector(".delivery");
  item.dataset.delivery = delivery;
  item.classList.toggle("failed", delivery === "failed");
  box.replaceChildren();
  if (delivery !== "failed") {
    box.textContent = word(DELIVERY, delivery);
    return;
  }
  // why, in words (Twilio's code too), and what the advocate can do
  const why = failure && failure.why ? failure.why : "The message did not go out.";
  const code = failure && failure.code ? ` (${failure.code})` : "";
  box.append(el("strong", "", "Failed to send."), ` ${why}${code} ${failure && failure.advice ? failure.advice : ""} `);
  const canRetry = !failure || failure.can_retry !== false;
  if (isMine(current.handoff) && canRetry && item.dataset.id) box.append(retryButton(item));
  else if (!isMine(current.handoff) && canRetry) box.append("The advocate holding it can retry.");
  if (live) announce(`A message failed to send. ${why}`);
}

function retryButton(item) {
  const retry = button("Retry", "retry");
  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      const response = await api(handoffPath(current.id, `/messages/${item.dataset.id}/retry`), { method: "POST", body: {} });
      if (!response.ok) throw new Error(String(response.status));
      item.dataset.delivery = "";  // the same message, queued again: no second copy
      showDelivery(item, "queued");
    } catch (error) {
      retry.disabled = false;
      unlessEnded(error, () => announce("The message could not be queued again. Try again."));
    }
  });
  return retry;
}

// Crisis words while this advocate holds the conversation: the safety net's reply is held
// back as a suggestion and leaves on its own at its time unless the advocate writes first.
function showStandby(item, delivery, reason) {
  if (item.dataset.delivery && rank(item.dataset.delivery) > rank(delivery)) return;
  item.dataset.delivery = delivery;
  const box = item.querySelector(".delivery");
  if (delivery === "cancelled") box.textContent = NOT_SENT[reason] || DELIVERY.cancelled;
  else if (delivery === "standby") box.textContent = `${DELIVERY.standby}. It goes out at ${clockTime(item.dataset.due) || "its time"} unless you write first.`;
  else box.textContent = `Sent by the safety net (${word(DELIVERY, delivery).toLowerCase()}).`;
  renderCrisisBanner();
}

function renderCrisisBanner() {
  const banner = $("crisis-banner");
  const waiting = [...shown.values()].filter((item) => item.classList.contains("from-safety_net")
    && item.dataset.delivery === "standby");
  const last = waiting[waiting.length - 1];
  banner.hidden = !last;
  if (!last) return;
  const reason = String((current.handoff && current.handoff.reason) || "");
  const words = reason.startsWith("safety_net:") ? ` (${humanize(reason.slice(11)).toLowerCase()})` : "";
  $("crisis-banner-text").textContent =
    `Crisis words${words}. The safety net's reply goes out at ${clockTime(last.dataset.due) || "its time"} unless you write first.`;
  $("crisis-use").onclick = () => insertReply(last.querySelector(".text").textContent);
}
