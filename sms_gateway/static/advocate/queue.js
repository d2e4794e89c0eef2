// The queue: urgent first, then longest waiting (the server's order). Rows are kept and only
// redrawn when what they say changed, so focus and screen readers are not disturbed; new
// items are announced; the open conversation follows changes made elsewhere.
import { claim } from "./actions.js";
import { api, json, unlessEnded } from "./api.js";
import { openConversation } from "./conversation.js";
import { current, isOpen } from "./current.js";
import { $, announce, button, domId, el, waitingText } from "./dom.js";
import { CHANNEL, REASON, URGENCY, reasonText, word } from "./labels.js";
import { session, stillCurrent } from "./session.js";
import { openChanged, queueStale, sessionEnded, signedIn } from "./signals.js";

let items = [];
let fetchedAt = 0;
let seen = null;  // ids in the last fetch; null before the first
const unread = new Set();
const rows = new Map();  // queue id -> <li>
let timer = 0;
let ticker = 0;
let loading = null;
let again = false;

function schedule() {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => loadQueue().catch(() => {}), 100);
}

export async function loadQueue() {
  if (loading) {  // one fetch at a time; fetch once more after it if asked again
    again = true;
    return loading;
  }
  const same = stillCurrent();
  loading = (async () => {
    const response = await api("/advocate/api/queue");
    if (!response.ok) throw new Error(String(response.status));
    const data = await json(response);
    if (!same()) return;
    const fresh = Array.isArray(data.items) ? data.items : [];
    announceNew(fresh);
    items = fresh;
    fetchedAt = Date.now();
    renderQueue();
    followOpen();
  })();
  try {
    await loading;
  } finally {
    loading = null;
    if (again && session.me) {
      again = false;
      schedule();
    }
  }
}

// New words from the youth in a conversation this advocate holds (not in every queued one).
export function markUnread(handoffId) {
  const item = items.find((q) => String(q.id) === String(handoffId));
  if (!item || !session.me || item.claimed_by !== session.me.username) return;
  unread.add(String(handoffId));
  renderQueue();
  announce("New message in one of your conversations.");
}

function announceNew(fresh) {
  if (seen) {
    const added = fresh.filter((item) => !seen.has(String(item.id)) && item.status === "queued");
    if (added.some((item) => item.urgency === "urgent")) announce("New urgent conversation in the queue.");
    else if (added.length) announce("New conversation in the queue.");
  }
  seen = new Set(fresh.map((item) => String(item.id)));
}

function followOpen() {
  // someone else claimed, released or closed the conversation on screen: show the new state
  const open = current.handoff;
  if (current.id === null || !open || current.loading) return;
  const item = items.find((q) => isOpen(q.id));
  const changed = item
    ? item.status !== open.status || item.urgency !== open.urgency
      || (item.claimed_by || null) !== (open.claimed_by || null)
    : ["queued", "claimed"].includes(open.status);
  if (changed) openConversation(current.id, { focus: false });
}

function claimedText(item) {
  if (!item.claimed_by) return "Not claimed";
  if (session.me && item.claimed_by === session.me.username) return "Claimed by you";
  return `Claimed by ${item.claimed_by}`;
}

const waitingLine = (item) => `Waiting ${waitingText((Number(item.waiting_seconds) || 0) + (Date.now() - fetchedAt) / 1000)}`;

function renderQueue() {
  const list = $("queue");
  let cursor = list.firstElementChild;
  for (const item of items) {
    const key = String(item.id);
    let li = rows.get(key);
    if (!li) {
      li = el("li", "item");
      li.dataset.id = key;
      rows.set(key, li);
    }
    fillRow(li, item);
    if (li !== cursor) list.insertBefore(li, cursor);
    else cursor = cursor.nextElementSibling;
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    rows.delete(cursor.dataset.id);
    cursor.remove();
    cursor = next;
  }
  const waiting = items.filter((item) => item.status === "queued").length;
  $("queue-count").textContent = `(${waiting} waiting)`;
  $("queue-empty").hidden = items.length > 0;
  document.title = `${waiting ? `(${waiting}) ` : ""}Advocate console`;
}

function fillRow(li, item) {
  const key = String(item.id);
  const isNew = unread.has(key);
  const open = isOpen(item.id);
  li.classList.toggle("urgent", item.urgency === "urgent");
  li.classList.toggle("open", open);
  if (open) li.setAttribute("aria-current", "true");
  else li.removeAttribute("aria-current");
  li.dataset.urgency = item.urgency;
  li.dataset.status = item.status;
  const signature = JSON.stringify([item.urgency, item.channel, item.reason, item.status,
    item.claimed_by, item.summary_line, isNew, session.me && session.me.username]);
  if (li.dataset.signature === signature) {
    li.querySelector(".waiting").textContent = waitingLine(item);
    return;
  }
  li.dataset.signature = signature;
  const reasonId = domId("reason", key);

  // Two lines a row (about 64 px): what and how long, then why and what to do.
  const head = el("div", "item-head");
  head.append(
    el("span", `badge ${item.urgency === "urgent" ? "badge-urgent" : "badge-normal"}`, word(URGENCY, item.urgency)),
    el("span", "channel", word(CHANNEL, item.channel)),
    el("span", "waiting", waitingLine(item)),
  );
  if (isNew) head.append(el("span", "badge badge-new", "New message"));
  // "Claimed by …" only when it is (an unclaimed row has its Claim button instead)
  if (item.claimed_by) head.append(el("span", "claimed", claimedText(item)));
  const title = reasonText(item.reason) || REASON.asked;
  const reason = el("h3", "reason", title);
  reason.id = reasonId;
  if (item.summary_line && item.summary_line !== title) reason.append(" ", el("span", "summary-line", `· ${item.summary_line}`));

  const buttons = el("div", "row-actions");
  const openButton = button("Open", "secondary", "open");
  openButton.setAttribute("aria-describedby", reasonId);
  openButton.addEventListener("click", () => openConversation(item.id, { focus: true }));
  buttons.append(openButton);
  if (item.status === "queued") {
    const claimButton = button("Claim", "", "claim");
    claimButton.setAttribute("aria-describedby", reasonId);
    claimButton.addEventListener("click", () => claim(item.id, claimButton));
    buttons.append(claimButton);
  }
  const foot = el("div", "item-foot");
  foot.append(reason, buttons);
  const hadFocus = li.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  li.replaceChildren(head, foot);
  if (hadFocus) {
    const refocus = li.querySelector(`[data-action="${hadFocus}"]`) || li.querySelector("button");
    if (refocus) refocus.focus();
  }
}

function tick() {
  for (const item of items) {
    const li = rows.get(String(item.id));
    if (li) li.querySelector(".waiting").textContent = waitingLine(item);
  }
}

queueStale.on(schedule);
openChanged.on((id) => {
  if (id !== null) unread.delete(String(id));
  renderQueue();
});
signedIn.on(() => {
  ticker = window.setInterval(tick, 15_000);
  loadQueue().catch((error) => unlessEnded(error, () => announce("The queue could not load. It will try again.")));
});
sessionEnded.on(() => {
  window.clearTimeout(timer);
  window.clearInterval(ticker);
  items = [];
  seen = null;
  unread.clear();
  rows.clear();
  $("queue").replaceChildren();
});
