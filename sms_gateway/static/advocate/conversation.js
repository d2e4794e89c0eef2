// One conversation on screen: loading it (through the same role and claim checks as every
// request), its summary, its state line and which controls it allows, and new messages as the
// live stream says they exist.
import { api, handoffPath, json, unlessEnded } from "./api.js";
import { current, isOpen } from "./current.js";
import { $, announce, el } from "./dom.js";
import { CHANNEL, LANGUAGE, STATUS, URGENCY, WHO, humanize, reasonText, word } from "./labels.js";
import { clearPlan, loadPlan } from "./plan.js";
import { clearReply, countReply } from "./replybox.js";
import { isMine, stillCurrent } from "./session.js";
import { openChanged, sessionEnded } from "./signals.js";
import { addMessage, clearTranscript, lastShownId, scrollToEnd } from "./transcript.js";

let waitingIds = [];  // messages announced while the conversation was loading
let fetching = false;
let fetchAgain = false;
let summaryOpen;  // the advocate's choice, kept from one conversation to the next

export async function openConversation(id, { focus = true, toReply = false } = {}) {
  const switching = !isOpen(id);
  current.id = id;
  current.loading = true;
  waitingIds = [];
  if (switching) {
    clearReply();
    $("reply-status").textContent = "";
    $("outcome").value = "";
  }
  openChanged.emit(id);
  try {
    const same = stillCurrent();
    const response = await api(handoffPath(id));
    // another conversation was opened meanwhile, or the session ended
    if (!same() || !isOpen(id)) return;
    if (response.status === 404 || response.status === 403) {
      announce(response.status === 403
        ? "Another advocate has this conversation now."
        : "That conversation is no longer available.");
      closeConversation();
      return;
    }
    if (!response.ok) throw new Error(String(response.status));
    const handoff = await json(response);
    if (!same() || !isOpen(id)) return;
    render(handoff);
    const missed = waitingIds.length;
    waitingIds = [];
    current.loading = false;
    if (missed) fetchNew();
    $("console-view").classList.add("has-open");
    $("conversation-view").hidden = false;
    if (focus) (toReply && isMine(current.handoff) ? $("reply") : $("conv-title")).focus();
  } catch (error) {
    if (isOpen(id)) unlessEnded(error, () => announce("The conversation could not load. Try again."));
  } finally {
    if (isOpen(id)) current.loading = false;
  }
}

// The stream says a message exists: its text comes through GET .../messages, for the one open.
export function messageArrived(messageId) {
  if (current.loading) waitingIds.push(messageId);
  else fetchNew();
}

// Messages after the newest one shown, one fetch at a time (events that come meanwhile ask
// for one more round).
async function fetchNew() {
  if (fetching) { fetchAgain = true; return; }
  const id = current.id;
  if (id === null) return;
  fetching = true;
  try {
    do {
      fetchAgain = false;
      const same = stillCurrent();
      const response = await api(handoffPath(id, `/messages?after=${lastShownId()}`));
      if (!same() || !isOpen(id) || !response.ok) return;
      const body = await json(response);
      for (const message of Array.isArray(body.messages) ? body.messages : []) addMessage(message);
    } while (fetchAgain);
  } catch (error) {
    unlessEnded(error, () => announce("New messages could not load. Try again."));
  } finally {
    fetching = false;
    // asked again for another conversation opened meanwhile: its round now
    if (fetchAgain && current.id !== null && !isOpen(id)) fetchNew();
  }
}

function forget() {
  current.id = null;
  current.handoff = null;
  current.loading = false;
  waitingIds = [];
  clearTranscript();
  clearPlan();
  for (const id of ["summary", "contact", "conv-state", "summary-brief"]) $(id).replaceChildren();
  clearReply();
  $("conversation-view").hidden = true;
  $("console-view").classList.remove("has-open");
}

export function closeConversation() {
  forget();
  openChanged.emit(null);
  $("queue-title").focus();
}

function listValue(value) {
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null && v !== undefined && String(v).trim());
    if (!items.length) return null;
    const list = el("ul", "plain");
    for (const v of items) list.append(el("li", "", typeof v === "object" ? (v.title || v.name || v.text || JSON.stringify(v)) : v));
    return list;
  }
  if (value === null || value === undefined || !String(value).trim()) return null;
  return document.createTextNode(String(value));
}

function renderSummary(h) {
  const summary = h.summary || {};
  const urgency = word(URGENCY, summary.urgency || h.urgency);
  const who = WHO[summary.who] || humanize(summary.who) || WHO.unknown;
  const why = summary.reason_text && !/^[a-z_:]+$/.test(summary.reason_text)
    ? summary.reason_text : reasonText(summary.reason || h.reason);
  const facts = [  // only what was recorded is shown; the rest is named once, below
    ["Why it escalated", why],
    ["Urgency", summary.declined ? `${urgency}: ${summary.declined}` : urgency],
    ["Who is writing", who],
    ["Writes in", word(LANGUAGE, summary.language)],
    ["Place (city)", summary.place],
    ["What they asked", summary.asked, true],
    ["What the assistant already gave", summary.bot_gave, true],
  ];
  const dl = $("summary");
  dl.replaceChildren();
  const missing = [];
  for (const [term, value, wide] of facts) {
    const content = listValue(value);
    if (!content) { missing.push(term.toLowerCase()); continue; }
    const row = el("div", wide ? "fact wide" : "fact");
    const dd = el("dd");
    dd.append(content);
    row.append(el("dt", "", term), dd);
    dl.append(row);
  }
  if (missing.length) {
    const row = el("div", "fact wide missing");
    row.append(el("dt", "", "Not recorded"), el("dd", "unknown", missing.join(", ")));
    dl.append(row);
  }
  // Collapsed on a laptop so the messages keep the height; open on a tall screen. The line in
  // the bar says the essentials either way.
  $("summary-brief").textContent = [why, urgency, summary.who ? who : null].filter(Boolean).join(" · ");
  $("summary-box").open = summaryOpen === undefined ? window.innerHeight >= 1000 : summaryOpen;
  $("contact").textContent = h.contact || `${CHANNEL[h.channel] || ""} (hidden)`;
}

function render(h) {
  current.handoff = h;
  const urgency = (h.summary && h.summary.urgency) || h.urgency;
  $("conv-title").textContent = `${word(URGENCY, urgency)} · ${word(CHANNEL, h.channel)} conversation`;
  $("conversation-view").classList.toggle("urgent", urgency === "urgent");
  renderSummary(h);
  const log = $("transcript-log");
  log.setAttribute("aria-busy", "true");  // one announcement for the history, not one per line
  clearTranscript();
  for (const message of Array.isArray(h.transcript) ? h.transcript : []) addMessage(message, false);
  log.removeAttribute("aria-busy");
  scrollToEnd();
  renderControls(h);
  openChanged.emit(h.id);
  loadPlan(h).catch(() => {});
}

function renderControls(h) {
  const mine = isMine(h);
  let text;
  if (h.status === "left") text = h.notice || "This person has left the chat.";
  else if (mine) text = "You have this conversation. Your replies go to them now; the assistant stays quiet.";
  else if (h.status === "queued") text = "Waiting in the queue. Claim it to reply.";
  else if (h.status === "claimed") text = `Claimed by ${h.claimed_by || "another advocate"}. You can read it; only they can reply.`;
  else text = `${word(STATUS, h.status)}.`;
  $("conv-state").textContent = text;
  $("reply-fields").disabled = !mine;
  $("claim-open").hidden = h.status !== "queued";
  $("release").hidden = !mine;
  $("hand-back").hidden = !mine;
  $("close-form").hidden = !mine;
  countReply();
}

$("summary-box").addEventListener("toggle", () => { summaryOpen = $("summary-box").open; });
$("back").addEventListener("click", closeConversation);
sessionEnded.on(forget);
