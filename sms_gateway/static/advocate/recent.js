// Recent conversations nobody escalated. Only roles with the reach_out permission
// (permissions.yml) see them, and every reach-out gives one of the helpline's reasons, which
// the server audits with it.
import { api, json, unlessEnded } from "./api.js";
import { openConversation } from "./conversation.js";
import { $, announce, button, domId, el, waitingText } from "./dom.js";
import { CHANNEL, humanize, word } from "./labels.js";
import { may, stillCurrent } from "./session.js";
import { queueStale, sessionEnded, signedIn } from "./signals.js";

let busy = false;
let again = false;
let ticker = 0;
let timer = 0;

function setUp(me) {
  $("recent-section").hidden = !may("reach_out");
  const first = el("option", "", "Choose…");
  first.value = "";
  const options = (Array.isArray(me.reach_out_reasons) ? me.reach_out_reasons : []).map((reason) => {
    const option = el("option", "", reason.label);
    option.value = reason.id;
    return option;
  });
  $("reach-reason").replaceChildren(first, ...options);
}

async function loadRecent() {
  if (!may("reach_out")) return;
  if (busy) { again = true; return; }  // once more after this one
  busy = true;
  const same = stillCurrent();
  try {
    const response = await api("/advocate/api/recent");
    if (!response.ok) throw new Error(String(response.status));
    const data = await json(response);
    if (same()) render(Array.isArray(data.items) ? data.items : []);
  } finally {
    busy = false;
    if (again && same()) {
      again = false;
      loadRecent().catch(() => {});
    }
  }
}

function render(items) {
  const list = $("recent");
  const hadFocus = list.contains(document.activeElement);
  list.replaceChildren(...items.map(row));
  $("recent-empty").hidden = items.length > 0;
  if (hadFocus) (list.querySelector("button") || $("recent-title")).focus();
}

function row(item) {
  const li = el("li", "item");
  li.dataset.id = String(item.id);
  const labelId = domId("recent", item.id);
  const head = el("div", "item-head");
  head.append(
    el("span", "channel", word(CHANNEL, item.channel)),
    el("span", "waiting", `Last message ${waitingText(item.last_seconds)} ago`),
  );
  const flags = Array.isArray(item.flags) ? item.flags : [];
  if (flags.length) head.append(el("span", "badge badge-urgent", `Crisis words: ${flags.map((f) => humanize(f).toLowerCase()).join(", ")}`));
  const title = el("h4", "reason", `${item.contact} · ${item.messages} ${item.messages === 1 ? "message" : "messages"}`);
  title.id = labelId;
  const reach = button("Reach out", "", "pick");
  reach.setAttribute("aria-describedby", `${labelId} recent-help`);
  reach.addEventListener("click", () => pick(item.id, reach));
  const actions = el("div", "row-actions");
  actions.append(reach);
  const foot = el("div", "item-foot");
  foot.append(actions);
  li.append(head, title, foot);
  return li;
}

async function pick(id, control) {
  control.disabled = true;
  try {
    const reason = $("reach-reason").value;
    if (!reason) {
      announce("Choose why you are reaching out first.");
      $("reach-reason").focus();
      return;
    }
    const response = await api(`/advocate/api/recent/${encodeURIComponent(String(id))}/pick`, { method: "POST", body: { reason } });
    if (response.status === 409 || response.status === 404) {
      announce("This conversation cannot be picked up now.");
      loadRecent().catch(() => {});
      return;
    }
    if (!response.ok) throw new Error(String(response.status));
    const data = await json(response);
    announce("You reached out. The conversation is yours now.");
    queueStale.emit();
    await openConversation(data.handoff, { focus: true, toReply: true });
  } catch (error) {
    unlessEnded(error, () => announce("That did not work. Try again."));
  } finally {
    if (control.isConnected) control.disabled = false;
  }
}

$("recent-refresh").addEventListener("click", () => loadRecent().catch((error) =>
  unlessEnded(error, () => announce("The list could not load. Try again."))));
queueStale.on(() => {  // what is queued or held leaves the list
  window.clearTimeout(timer);
  timer = window.setTimeout(() => loadRecent().catch(() => {}), 100);
});
signedIn.on((me) => {
  setUp(me);
  ticker = window.setInterval(() => loadRecent().catch(() => {}), 60_000);  // new ones, each minute
  loadRecent().catch(() => {});
});
sessionEnded.on(() => {
  window.clearInterval(ticker);
  window.clearTimeout(timer);
  $("recent").replaceChildren();
});
