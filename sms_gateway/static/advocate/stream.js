// The live stream (server-sent events). It carries ids and counts only: what changed is
// fetched through the same role and claim checks as every other request. The server ends it
// with the session; while it is down the queue is polled instead, and on its return
// everything is fetched again.
import { api, json } from "./api.js";
import { messageArrived, openConversation } from "./conversation.js";
import { current, isOpen } from "./current.js";
import { $, announce } from "./dom.js";
import { markUnread } from "./queue.js";
import { end, session } from "./session.js";
import { queueStale, sessionEnded, signedIn } from "./signals.js";
import { setDelivery } from "./transcript.js";

const POLL_WHILE_DOWN = 15_000;
let source = null;
let down = false;
let retryDelay = 1000;
let retryTimer = 0;
let pollTimer = 0;

function show(live) {
  const stream = $("stream");
  stream.dataset.state = live ? "live" : "down";
  stream.textContent = live ? "Live" : "Reconnecting…";
  if (live) {
    window.clearInterval(pollTimer);
    pollTimer = 0;
  } else if (!pollTimer) {  // one steady poll while down, whatever the retries do meanwhile
    pollTimer = window.setInterval(() => queueStale.emit(), POLL_WHILE_DOWN);
  }
}

function connect() {
  if (source) source.close();
  const events = new EventSource("/advocate/api/events");  // same origin: the cookie goes along
  source = events;
  events.onopen = () => {
    retryDelay = 1000;
    show(true);
    if (down) {  // catch up on whatever happened while the stream was down
      down = false;
      queueStale.emit();
      if (current.id !== null) openConversation(current.id, { focus: false });
    }
  };
  // the server ends the stream with its session (sign-out, idle, the absolute limit)
  events.addEventListener("ended", () => { if (source === events) end("Your session ended. Please sign in again."); });
  events.onmessage = (event) => {
    let data;
    try { data = JSON.parse(event.data); } catch (_) { return; }
    if (data && typeof data === "object") handle(data);
  };
  events.onerror = () => {
    if (source !== events) return;
    down = true;
    show(false);
    if (events.readyState === EventSource.CLOSED) {  // the browser gave up (e.g. 401): we retry
      source = null;
      retryLater();
    }
  };
}

function retryLater() {
  window.clearTimeout(retryTimer);
  retryTimer = window.setTimeout(reconnect, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 30_000);
}

async function reconnect() {
  if (!session.me) return;
  try {
    const response = await api("/advocate/api/me");  // a 401 here ends the session on the page
    if (response.ok) session.csrf = (await json(response)).csrf || session.csrf;
    connect();
  } catch (_) {
    if (session.me) retryLater();
  }
}

function handle(data) {
  if (data.type === "queue") {
    queueStale.emit();
  } else if (data.type === "message" && data.message_id !== undefined) {
    if (isOpen(data.handoff)) messageArrived(data.message_id);
    else if (data.from === "youth") markUnread(data.handoff);
  } else if (data.type === "left") {
    // the person sent EXIT or STOP, or used quick exit: show it at once, replies are refused
    queueStale.emit();
    if (isOpen(data.handoff)) {
      openConversation(current.id, { focus: false });
      announce("This person has left the chat.");
    }
  } else if (data.type === "delivery" && isOpen(data.handoff)) {
    setDelivery(data.message_id, data.delivery, data.reason, data.failure);
  }
}

signedIn.on(connect);
sessionEnded.on(() => {
  if (source) source.close();
  source = null;
  down = false;
  retryDelay = 1000;
  window.clearTimeout(retryTimer);
  window.clearInterval(pollTimer);
  pollTimer = 0;
});
