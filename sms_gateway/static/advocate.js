// Waypoint advocate console. Plain script: no build step, no third-party code, nothing eval'd.
// The session is an HttpOnly cookie this script never sees; the CSRF token lives only in this
// closure (never in storage). Every word a youth wrote is untrusted: it reaches the page through
// textContent only, never innerHTML.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const LOGIN = "/advocate/api/login";
  const SMS_AIM = 320;  // DESIGN: SMS replies aim for 320 characters or fewer
  const URGENCY = { urgent: "Urgent", normal: "Normal" };
  const CHANNEL = { sms: "SMS", web: "Web" };
  const LANGUAGE = { en: "English", es: "Spanish (quick replies are in Spanish)" };
  const WHO = { youth: "A youth", caregiver: "A caregiver or other adult", unknown: "Not known" };
  const FROM = { youth: "Youth", bot: "Assistant", advocate: "Advocate", system: "System", safety_net: "Safety net" };
  const DELIVERY = { queued: "Queued", sent: "Sent", delivered: "Delivered", failed: "Failed to send",
    cancelled: "Not sent: the person left", standby: "Held for you: not sent" };
  const NOT_SENT = { advocate_answered: "Not sent: you answered", person_left: "Not sent: the person left" };
  const OUTCOME = { resolved: "Resolved", referred: "Referred to a service", no_response: "No response", other: "Other" };
  const STATUS = { queued: "Waiting in the queue", claimed: "Claimed", closed: "Closed", returned: "Handed back to the assistant",
    left: "The person left" };
  const REASON = { asked: "Asked for a person", misunderstood: "The assistant did not understand twice", safety_net: "Crisis words",
    advocate_pick: "An advocate reached out from recent conversations" };

  const state = {
    me: null, csrf: null,
    events: null, streamDown: false, retryDelay: 1000, retryTimer: 0,
    queue: [], fetchedAt: 0, seen: null, unread: new Set(), queueTimer: 0, queueLoading: null, queueAgain: false,
    openId: null, open: null, loading: false, pending: [], messages: new Map(),
    fetching: false, fetchAgain: false,
    quickReplies: [], ticker: 0, recentLoading: false,
  };
  const rows = new Map();  // queue id -> <li>
  let generation = 0;  // bumped when a session ends: late answers for the old one are dropped

  class SessionEnded extends Error {}

  // -- HTTP -------------------------------------------------------------------------------------

  async function api(path, { method = "GET", body } = {}) {
    const headers = { Accept: "application/json" };
    if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin", cache: "no-store", referrerPolicy: "no-referrer",
    });
    if (response.status === 401 && path !== LOGIN) {
      sessionEnded();
      throw new SessionEnded();
    }
    return response;
  }

  const json = async (response) => { try { return await response.json(); } catch (_) { return {}; } };
  const handoffPath = (id, rest = "") => `/advocate/api/handoffs/${encodeURIComponent(String(id))}${rest}`;

  function announce(text) {
    const region = $("announce");
    region.textContent = "";
    // a fresh text node after a tick, so the same words said twice are read twice
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);  // text only, ever
    return node;
  }

  const humanize = (value) => {
    const text = String(value || "").trim();
    if (/^[a-z]+(_[a-z]+)+$|^[a-z]+$/.test(text)) {
      const words = text.replace(/_/g, " ");
      return words.charAt(0).toUpperCase() + words.slice(1);
    }
    return text;
  };

  function reasonText(value) {
    // reason codes such as "asked" or "safety_net:danger" read as words; free text stays as is
    const [code, detail] = String(value || "").split(":", 2);
    if (!REASON[code]) return humanize(value);
    return detail ? `${REASON[code]}: ${humanize(detail).toLowerCase()}` : REASON[code];
  }

  function waitingText(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return "under 1 min";
    const minutes = Math.floor(s / 60);
    if (minutes < 60) return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function clockTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // -- Sign in and out --------------------------------------------------------------------------

  function showLogin(note) {
    $("starting").hidden = true;
    $("console-view").hidden = true;
    $("account").hidden = true;
    $("login-view").hidden = false;
    $("login-note").textContent = note || "";
    document.title = "Sign in · Advocate console";
    $("username").focus();
  }

  function teardown() {
    generation += 1;
    if (state.events) state.events.close();
    window.clearTimeout(state.retryTimer);
    window.clearTimeout(state.queueTimer);
    window.clearInterval(state.ticker);
    Object.assign(state, {
      me: null, csrf: null, events: null, streamDown: false, retryDelay: 1000,
      queue: [], seen: null, openId: null, open: null, loading: false, pending: [],
    });
    state.unread.clear();
    state.messages.clear();
    state.quickReplies = [];
    rows.clear();
    // nothing a youth wrote stays on the page after the session ends
    for (const id of ["queue", "recent", "transcript", "summary", "contact", "quick-replies", "who", "conv-state", "plan-answers"]) {
      $(id).replaceChildren();
    }
    $("plan").hidden = true;
    $("crisis-banner").hidden = true;
    $("reply").value = "";
    $("conversation-view").hidden = true;
    $("console-view").classList.remove("has-open");
  }

  function sessionEnded() {
    if (!state.me) return;
    teardown();
    showLogin("Your session ended. Please sign in again.");
  }

  async function signedIn(me) {
    state.me = me;
    state.csrf = me.csrf;
    $("starting").hidden = true;
    $("login-view").hidden = true;
    $("login-note").textContent = "";
    $("console-view").hidden = false;
    $("account").hidden = false;
    $("who").textContent = `Signed in as ${me.username}${me.role === "supervisor" ? " (supervisor)" : ""}`;
    $("on-shift").checked = Boolean(me.on_shift);
    $("shown-name").value = me.shown_name || "";
    setUpReachOut(me);
    state.ticker = window.setInterval(tick, 15_000);
    connectEvents();
    try {
      await Promise.all([loadQueue(), loadQuickReplies(), loadRecent()]);
    } catch (error) {
      if (!(error instanceof SessionEnded)) announce("The queue could not load. It will try again.");
    }
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = $("username").value.trim();
    const password = $("password").value;
    const code = $("code").value.replace(/\s+/g, "");
    const note = $("login-note");
    if (!username || !password || !/^[0-9]{6}$/.test(code)) {
      note.textContent = "Enter your username, password and the 6-digit code.";
      return;
    }
    const button = $("login-submit");
    button.disabled = true;
    note.textContent = "";
    try {
      const response = await api(LOGIN, { method: "POST", body: { username, password, code } });
      $("password").value = "";
      $("code").value = "";
      if (response.ok) {
        await signedIn(await json(response));
      } else if (response.status === 429 || response.status === 503) {
        const detail = (await json(response)).detail;
        note.textContent = typeof detail === "string" ? detail : "Sign-in is busy. Try again in a minute.";
      } else if (response.status === 401) {
        note.textContent = "Sign-in failed. Check your username, password and code.";
      } else {
        note.textContent = "Sign-in is not working right now. Try again in a minute.";
      }
    } catch (_) {
      note.textContent = "Could not reach the server. Check your connection and try again.";
    } finally {
      button.disabled = false;
    }
  });

  $("logout").addEventListener("click", async () => {
    try { await api("/advocate/api/logout", { method: "POST" }); } catch (_) { /* signed out either way */ }
    if (!state.me) return;
    teardown();
    showLogin("You signed out.");
  });

  // The name youth see on the web chat ("Ana, advocate"): saved when it changes.
  async function saveShownName(event) {
    if (event) event.preventDefault();
    const box = $("shown-name");
    const name = box.value.trim().replace(/\s+/g, " ");
    try {
      const response = await api("/advocate/api/me/name", { method: "POST", body: { name } });
      if (response.status === 422) { announce("Use a first name only: letters, spaces or hyphens."); return; }
      if (!response.ok) throw new Error(String(response.status));
      box.value = (await json(response)).shown_name || "";
      announce(box.value ? `Youth will see you as ${box.value}.` : "Youth will see you as a person from our team.");
    } catch (error) {
      if (!(error instanceof SessionEnded)) announce("Your name could not be saved. Try again.");
    }
  }
  $("shown-name-form").addEventListener("submit", saveShownName);
  $("summary-box").addEventListener("toggle", () => { state.summaryOpen = $("summary-box").open; });
  $("shown-name").addEventListener("change", () => saveShownName());

  $("on-shift").addEventListener("change", async (event) => {
    const box = event.target;
    const wanted = box.checked;
    box.disabled = true;
    try {
      const response = await api("/advocate/api/shift", { method: "POST", body: { on_shift: wanted } });
      if (!response.ok) throw new Error(String(response.status));
      const data = await json(response);
      box.checked = Boolean(data.on_shift);
      announce(box.checked ? "You are on shift." : "You are off shift.");
    } catch (error) {
      if (error instanceof SessionEnded) return;
      box.checked = !wanted;
      announce("Your shift could not be changed. Try again.");
    } finally {
      box.disabled = false;
    }
  });

  // -- Live updates (server-sent events) --------------------------------------------------------

  function setStream(live) {
    const stream = $("stream");
    stream.dataset.state = live ? "live" : "down";
    stream.textContent = live ? "Live" : "Reconnecting…";
  }

  function connectEvents() {
    if (state.events) state.events.close();
    const source = new EventSource("/advocate/api/events");  // same origin: the cookie goes along
    state.events = source;
    source.onopen = () => {
      state.retryDelay = 1000;
      setStream(true);
      if (state.streamDown) {  // catch up on whatever happened while the stream was down
        state.streamDown = false;
        refreshAll();
      }
    };
    // the server ends the stream with its session (sign-out, idle, the absolute limit)
    source.addEventListener("ended", () => { if (state.events === source) sessionEnded(); });
    source.onmessage = (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch (_) { return; }
      if (data && typeof data === "object") handleEvent(data);
    };
    source.onerror = () => {
      if (state.events !== source) return;
      state.streamDown = true;
      setStream(false);
      if (source.readyState === EventSource.CLOSED) {  // the browser gave up (e.g. 401): we retry
        state.events = null;
        window.clearTimeout(state.retryTimer);
        state.retryTimer = window.setTimeout(reconnect, state.retryDelay);
        state.retryDelay = Math.min(state.retryDelay * 2, 30_000);
      }
    };
  }

  async function reconnect() {
    if (!state.me) return;
    try {
      const response = await api("/advocate/api/me");
      if (response.ok) state.csrf = (await json(response)).csrf || state.csrf;
      connectEvents();
    } catch (error) {
      if (error instanceof SessionEnded) return;
      state.retryTimer = window.setTimeout(reconnect, state.retryDelay);
      state.retryDelay = Math.min(state.retryDelay * 2, 30_000);
    }
  }

  function refreshAll() {
    scheduleQueue();
    if (state.openId !== null) openConversation(state.openId, { focus: false });
  }

  function handleEvent(data) {
    if (data.type === "queue") {
      scheduleQueue();
    } else if (data.type === "message" && data.message_id !== undefined) {
      // the stream says only that there is a new message: its text comes through the same
      // checks as the conversation (GET .../messages), for the one that is open
      if (String(data.handoff) === String(state.openId)) {
        if (state.loading) state.pending.push(data.message_id);
        else fetchNew();
      } else if (data.from === "youth") {
        // flag new words only in the conversations this advocate holds (not every queued one)
        const item = state.queue.find((q) => String(q.id) === String(data.handoff));
        if (item && item.claimed_by === state.me.username) {
          state.unread.add(String(data.handoff));
          renderQueue();
          announce("New message in one of your conversations.");
        }
      }
    } else if (data.type === "left") {
      // the person sent EXIT or STOP, or used quick exit: show it at once, replies are refused
      scheduleQueue();
      if (String(data.handoff) === String(state.openId)) {
        openConversation(state.openId, { focus: false });
        announce("This person has left the chat.");
      }
    } else if (data.type === "delivery") {
      if (String(data.handoff) === String(state.openId)) setDelivery(data.message_id, data.delivery, undefined, data.reason, data.failure);
    }
  }

  // -- Queue ------------------------------------------------------------------------------------

  function scheduleQueue() {
    window.clearTimeout(state.queueTimer);
    state.queueTimer = window.setTimeout(() => {
      loadQueue().catch(() => {});
      loadRecent().catch(() => {});  // what is queued or held leaves the recent list
    }, 100);
  }

  async function loadQueue() {
    if (state.queueLoading) {  // one fetch at a time; fetch once more after it if asked again
      state.queueAgain = true;
      return state.queueLoading;
    }
    const gen = generation;
    state.queueLoading = (async () => {
      const response = await api("/advocate/api/queue");
      if (!response.ok) throw new Error(String(response.status));
      const data = await json(response);
      if (gen !== generation) return;
      const items = Array.isArray(data.items) ? data.items : [];
      announceNew(items);
      state.queue = items;  // the server's order: urgent first, then longest waiting
      state.fetchedAt = Date.now();
      renderQueue();
      followOpen(items);
    })();
    try {
      await state.queueLoading;
    } finally {
      state.queueLoading = null;
      if (state.queueAgain && state.me) {
        state.queueAgain = false;
        scheduleQueue();
      }
    }
  }

  function announceNew(items) {
    const ids = new Set(items.map((item) => String(item.id)));
    if (state.seen) {
      const fresh = items.filter((item) => !state.seen.has(String(item.id)) && item.status === "queued");
      if (fresh.some((item) => item.urgency === "urgent")) announce("New urgent conversation in the queue.");
      else if (fresh.length) announce("New conversation in the queue.");
    }
    state.seen = ids;
  }

  function followOpen(items) {
    // someone else claimed, released or closed the conversation on screen: show the new state
    if (state.openId === null || !state.open || state.loading) return;
    const item = items.find((q) => String(q.id) === String(state.openId));
    const changed = item
      ? item.status !== state.open.status || item.urgency !== state.open.urgency
        || (item.claimed_by || null) !== (state.open.claimed_by || null)
      : ["queued", "claimed"].includes(state.open.status);
    if (changed) openConversation(state.openId, { focus: false });
  }

  function claimedText(item) {
    if (!item.claimed_by) return "Not claimed";
    if (state.me && item.claimed_by === state.me.username) return "Claimed by you";
    return `Claimed by ${item.claimed_by}`;
  }

  function waitingSeconds(item) {
    const base = Number(item.waiting_seconds) || 0;
    return base + (Date.now() - state.fetchedAt) / 1000;
  }

  function renderQueue() {
    const list = $("queue");
    let cursor = list.firstElementChild;
    for (const item of state.queue) {
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
    const waiting = state.queue.filter((item) => item.status === "queued").length;
    $("queue-count").textContent = `(${waiting} waiting)`;
    $("queue-empty").hidden = state.queue.length > 0;
    document.title = `${waiting ? `(${waiting}) ` : ""}Advocate console`;
  }

  function fillRow(li, item) {
    const key = String(item.id);
    const unread = state.unread.has(key);
    const signature = JSON.stringify([item.urgency, item.channel, item.reason, item.status,
      item.claimed_by, item.summary_line, unread, state.me && state.me.username]);
    li.classList.toggle("urgent", item.urgency === "urgent");
    li.classList.toggle("open", key === String(state.openId));
    if (key === String(state.openId)) li.setAttribute("aria-current", "true");
    else li.removeAttribute("aria-current");
    li.dataset.urgency = item.urgency;
    li.dataset.status = item.status;
    if (li.dataset.signature === signature) {
      li.querySelector(".waiting").textContent = `Waiting ${waitingText(waitingSeconds(item))}`;
      return;
    }
    li.dataset.signature = signature;
    const reasonId = `reason-${key.replace(/[^A-Za-z0-9_-]/g, "_")}`;

    const head = el("div", "item-head");
    head.append(
      el("span", `badge ${item.urgency === "urgent" ? "badge-urgent" : "badge-normal"}`, URGENCY[item.urgency] || humanize(item.urgency)),
      el("span", "channel", CHANNEL[item.channel] || humanize(item.channel)),
      el("span", "waiting", `Waiting ${waitingText(waitingSeconds(item))}`),
    );
    if (unread) head.append(el("span", "badge badge-new", "New message"));
    // Two lines a row (about 64 px): what and how long, then why and what to do.
    const title = reasonText(item.reason) || REASON.asked;
    const reason = el("h3", "reason", title);
    reason.id = reasonId;
    if (item.summary_line && item.summary_line !== title) {
      reason.append(" ", el("span", "summary-line", `· ${item.summary_line}`));
    }
    // "Claimed by …" only when it is (an unclaimed row has its Claim button instead)
    if (item.claimed_by) head.append(el("span", "claimed", claimedText(item)));
    const parts = [head];
    const foot = el("div", "item-foot");
    foot.append(reason);

    const buttons = el("div", "row-actions");
    const open = el("button", "secondary", "Open");
    open.type = "button";
    open.dataset.action = "open";
    open.setAttribute("aria-describedby", reasonId);
    open.addEventListener("click", () => openConversation(item.id, { focus: true }));
    buttons.append(open);
    if (item.status === "queued") {
      const claim = el("button", "", "Claim");
      claim.type = "button";
      claim.dataset.action = "claim";
      claim.setAttribute("aria-describedby", reasonId);
      claim.addEventListener("click", () => claim_(item.id, claim));
      buttons.append(claim);
    }
    foot.append(buttons);
    parts.push(foot);
    const hadFocus = li.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    li.replaceChildren(...parts);
    if (hadFocus) {
      const again = li.querySelector(`[data-action="${hadFocus}"]`) || li.querySelector("button");
      if (again) again.focus();
    }
  }

  function tick() {
    for (const item of state.queue) {
      const li = rows.get(String(item.id));
      if (li) li.querySelector(".waiting").textContent = `Waiting ${waitingText(waitingSeconds(item))}`;
    }
    if (state.streamDown) scheduleQueue();  // no live updates: poll instead until they come back
    state.ticks = (state.ticks || 0) + 1;
    if (state.ticks % 4 === 0) loadRecent().catch(() => {});  // new conversations, each minute
  }

  // -- Recent conversations (nobody asked for a person; an advocate may reach out) ---------------

  // Recent conversations nobody escalated: only for roles that may reach out (permissions.yml),
  // each reach-out with one of the helpline's reasons.
  const mayReachOut = () => Boolean(state.me && Array.isArray(state.me.permissions)
    && state.me.permissions.includes("reach_out"));

  function setUpReachOut(me) {
    $("recent-section").hidden = !mayReachOut();
    const select = $("reach-reason");
    select.replaceChildren(el("option", "", "Choose…"));
    select.firstChild.value = "";
    for (const reason of Array.isArray(me.reach_out_reasons) ? me.reach_out_reasons : []) {
      const option = el("option", "", reason.label);
      option.value = reason.id;
      select.append(option);
    }
  }

  async function loadRecent() {
    if (!mayReachOut()) return;
    if (state.recentLoading) return;
    state.recentLoading = true;
    const gen = generation;
    try {
      const response = await api("/advocate/api/recent");
      if (!response.ok) throw new Error(String(response.status));
      const data = await json(response);
      if (gen !== generation) return;
      renderRecent(Array.isArray(data.items) ? data.items : []);
    } finally {
      state.recentLoading = false;
    }
  }

  function renderRecent(items) {
    const list = $("recent");
    const hadFocus = list.contains(document.activeElement);
    list.replaceChildren(...items.map(recentRow));
    $("recent-empty").hidden = items.length > 0;
    if (hadFocus) (list.querySelector("button") || $("recent-title")).focus();
  }

  function recentRow(item) {
    const li = el("li", "item");
    li.dataset.id = String(item.id);
    const labelId = `recent-${String(item.id).replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const head = el("div", "item-head");
    head.append(
      el("span", "channel", CHANNEL[item.channel] || humanize(item.channel)),
      el("span", "waiting", `Last message ${waitingText(item.last_seconds)} ago`),
    );
    const flags = Array.isArray(item.flags) ? item.flags : [];
    if (flags.length) head.append(el("span", "badge badge-urgent", `Crisis words: ${flags.map((f) => humanize(f).toLowerCase()).join(", ")}`));
    const title = el("h4", "reason", `${item.contact} · ${item.messages} ${item.messages === 1 ? "message" : "messages"}`);
    title.id = labelId;
    const foot = el("div", "item-foot");
    const actions = el("div", "row-actions");
    const reach = el("button", "", "Reach out");
    reach.type = "button";
    reach.dataset.action = "pick";
    reach.setAttribute("aria-describedby", `${labelId} recent-help`);
    reach.addEventListener("click", () => pick(item.id, reach));
    actions.append(reach);
    foot.append(actions);
    li.append(head, title, foot);
    return li;
  }

  async function pick(id, button) {
    button.disabled = true;
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
      scheduleQueue();
      await openConversation(data.handoff, { focus: true, toReply: true });
    } catch (error) {
      if (!(error instanceof SessionEnded)) announce("That did not work. Try again.");
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  }

  $("recent-refresh").addEventListener("click", () => loadRecent().catch(() => announce("The list could not load. Try again.")));

  // -- One conversation -------------------------------------------------------------------------

  const isMine = (handoff) => Boolean(handoff && state.me && handoff.status === "claimed"
    && handoff.claimed_by === state.me.username);

  async function claim_(id, button) {
    if (button) button.disabled = true;
    try {
      const response = await api(handoffPath(id, "/claim"), { method: "POST" });
      if (response.status === 409) {
        announce("Someone else has claimed this conversation.");
        scheduleQueue();
        if (String(id) === String(state.openId)) openConversation(id, { focus: false });
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      announce("You claimed this conversation.");
      scheduleQueue();
      await openConversation(id, { focus: true, toReply: true });
    } catch (error) {
      if (!(error instanceof SessionEnded)) announce("The conversation could not be claimed. Try again.");
    } finally {
      if (button && button.isConnected) button.disabled = false;
    }
  }

  async function openConversation(id, { focus = true, toReply = false } = {}) {
    const switching = String(id) !== String(state.openId);
    state.openId = id;
    state.loading = true;
    state.pending = [];
    if (switching) {
      $("reply").value = "";
      $("reply-status").textContent = "";
      $("outcome").value = "";
    }
    state.unread.delete(String(id));
    renderQueue();
    try {
      const gen = generation;
      const response = await api(handoffPath(id));
      // another conversation was opened meanwhile, or the session ended
      if (gen !== generation || String(id) !== String(state.openId)) return;
      if (response.status === 404 || response.status === 403) {
        announce(response.status === 403
          ? "Another advocate has this conversation now."
          : "That conversation is no longer available.");
        closeConversation();
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const handoff = await json(response);
      if (gen !== generation || String(id) !== String(state.openId)) return;
      renderConversation(handoff);
      const pending = state.pending;
      state.pending = [];
      state.loading = false;
      if (pending.length) fetchNew();
      $("console-view").classList.add("has-open");
      $("conversation-view").hidden = false;
      if (focus) (toReply && isMine(state.open) ? $("reply") : $("conv-title")).focus();
    } catch (error) {
      if (error instanceof SessionEnded) return;
      if (String(id) === String(state.openId)) announce("The conversation could not load. Try again.");
    } finally {
      if (String(id) === String(state.openId)) state.loading = false;
    }
  }

  // Messages after the newest one shown, one fetch at a time (events that come meanwhile
  // ask for one more round).
  async function fetchNew() {
    if (state.fetching) { state.fetchAgain = true; return; }
    const id = state.openId;
    if (id === null) return;
    state.fetching = true;
    try {
      do {
        state.fetchAgain = false;
        const shown = [...state.messages.keys()].map(Number).filter(Number.isFinite);
        const after = shown.length ? Math.max(...shown) : 0;
        const gen = generation;
        const response = await api(handoffPath(id, `/messages?after=${after}`));
        if (gen !== generation || String(id) !== String(state.openId) || !response.ok) return;
        const body = await json(response);
        for (const message of Array.isArray(body.messages) ? body.messages : []) addMessage(message);
      } while (state.fetchAgain);
    } catch (error) {
      if (!(error instanceof SessionEnded)) announce("New messages could not load. Try again.");
    } finally {
      state.fetching = false;
    }
  }

  function closeConversation() {
    state.openId = null;
    state.open = null;
    state.pending = [];
    state.messages.clear();
    for (const id of ["transcript", "summary", "contact", "conv-state", "plan-answers"]) $(id).replaceChildren();
    $("plan").hidden = true;
    $("crisis-banner").hidden = true;
    $("reply").value = "";
    $("conversation-view").hidden = true;
    $("console-view").classList.remove("has-open");
    renderQueue();
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

  function renderConversation(h) {
    state.open = h;
    const summary = h.summary || {};
    const urgency = summary.urgency || h.urgency;
    $("conv-title").textContent = `${URGENCY[urgency] || humanize(urgency)} · ${CHANNEL[h.channel] || humanize(h.channel)} conversation`;
    $("conversation-view").classList.toggle("urgent", urgency === "urgent");

    const facts = [  // only what was recorded is shown; the rest is named once, below
      ["Why it escalated", summary.reason_text && !/^[a-z_:]+$/.test(summary.reason_text)
        ? summary.reason_text : reasonText(summary.reason || h.reason)],
      ["Urgency", summary.declined ? `${URGENCY[urgency] || humanize(urgency)}: ${summary.declined}` : URGENCY[urgency] || humanize(urgency)],
      ["Who is writing", WHO[summary.who] || humanize(summary.who) || WHO.unknown],
      ["Writes in", LANGUAGE[summary.language] || humanize(summary.language)],
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
    // Collapsed on a laptop so the messages keep the height; open on a tall screen. The
    // line in the bar says the essentials either way.
    $("summary-brief").textContent = [facts[0][1], URGENCY[urgency] || humanize(urgency),
      WHO[summary.who] || humanize(summary.who) || null].filter(Boolean).join(" · ");
    const box = $("summary-box");
    if (state.summaryOpen === undefined) box.open = window.innerHeight >= 1000;
    else box.open = state.summaryOpen;
    if (missing.length) {
      const row = el("div", "fact wide missing");
      row.append(el("dt", "", "Not recorded"), el("dd", "unknown", missing.join(", ")));
      dl.append(row);
    }
    $("contact").textContent = h.contact || `${CHANNEL[h.channel] || ""} (hidden)`;

    const log = $("transcript-log");
    log.setAttribute("aria-busy", "true");  // one announcement for the history, not one per line
    $("transcript").replaceChildren();
    state.messages.clear();
    for (const message of Array.isArray(h.transcript) ? h.transcript : []) addMessage(message, false);
    log.removeAttribute("aria-busy");
    renderCrisisBanner();
    scrollToEnd();
    renderControls();
    loadPlan(h);
  }

  // What the youth thought through with the helper: fetched only for the advocate who holds
  // the conversation (or a supervisor); never kept in the page longer than the open view.
  async function loadPlan(h) {
    $("plan").hidden = true;
    $("plan-answers").replaceChildren();
    const seesAll = Boolean(state.me && (state.me.permissions || []).includes("see_all_plans"));
    if (!isMine(h) && !seesAll) return;
    const gen = generation;
    const response = await api(handoffPath(h.id, "/plan"));
    if (!response.ok || gen !== generation || !state.open || state.open.id !== h.id) return;
    const plan = await json(response);
    const answers = Array.isArray(plan.answers) ? plan.answers : [];
    if (!answers.length) return;
    $("plan-note").textContent = plan.note || "";
    $("plan-count").textContent = `(${answers.length} ${answers.length === 1 ? "answer" : "answers"})`;
    $("plan").open = false;  // closed until asked for: the transcript keeps its room
    for (const item of answers) {
      const row = el("div", "fact wide");
      row.append(el("dt", "", item.label), el("dd", "", item.answer));
      $("plan-answers").append(row);
    }
    $("plan").hidden = false;
  }

  function renderControls() {
    const h = state.open;
    const mine = isMine(h);
    let text;
    if (h.status === "left") text = h.notice || "This person has left the chat.";
    else if (mine) text = "You have this conversation. Your replies go to them now; the assistant stays quiet.";
    else if (h.status === "queued") text = "Waiting in the queue. Claim it to reply.";
    else if (h.status === "claimed") text = `Claimed by ${h.claimed_by || "another advocate"}. You can read it; only they can reply.`;
    else text = `${STATUS[h.status] || humanize(h.status)}.`;
    $("conv-state").textContent = text;
    $("reply-fields").disabled = !mine;
    $("claim-open").hidden = h.status !== "queued";
    $("release").hidden = !mine;
    $("hand-back").hidden = !mine;
    $("close-form").hidden = !mine;
    renderQuickReplies();
    countReply();
  }

  function scrollToEnd() {
    // the log scrolls by itself on wide screens; the page is never scrolled from under the reader
    const log = $("transcript-log");
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(message, scroll = true) {
    const key = message.id === undefined || message.id === null ? null : String(message.id);
    if (key !== null && state.messages.has(key)) {  // our own reply also comes back as an event
      if (message.delivery) setDelivery(key, message.delivery, undefined, message.reason, message.failure);
      return;
    }
    const from = FROM[message.from] ? message.from : "system";
    const item = el("li", `msg from-${from}`);
    if (key !== null) item.dataset.id = key;
    const meta = el("p", "meta");
    let label = FROM[from];
    if (from === "youth" && state.open && state.open.summary && state.open.summary.who === "caregiver") label = "Caregiver";
    meta.append(el("span", "author", label));
    const at = clockTime(message.at);
    if (at) {
      const time = el("time", "at", at);
      time.dateTime = String(message.at);
      meta.append(" ", time);
    }
    const text = el("p", "text", message.text);  // untrusted: textContent only
    item.append(meta, text);
    if (from === "advocate" || from === "safety_net" || (from === "system" && message.delivery)) {
      const delivery = el("p", "delivery");
      item.append(delivery);
      item.dataset.text = String(message.text || "");
    }
    $("transcript").append(item);
    if (key !== null) state.messages.set(key, item);
    if (from === "advocate") setDelivery(key, message.delivery || "queued", item, message.reason, message.failure);
    if (from === "system" && message.delivery) setDelivery(key, message.delivery, item, message.reason, message.failure);
    if (from === "safety_net") {
      item.dataset.due = String(message.due || "");
      setDelivery(key, message.delivery || "standby", item, message.reason);
    }
    if (scroll) scrollToEnd();
  }

  // Events can overtake each other (a fast send reports "sent" before the message's own
  // "queued" event or the POST answer arrives): a state never goes backwards, and a state for a
  // message not shown yet is kept until it is.
  const DELIVERY_RANK = { standby: -1, queued: 0, sent: 1, delivered: 2, failed: 2, cancelled: 2 };
  const earlyDelivery = new Map();
  function setDelivery(id, delivery, node, reason, failure) {
    const item = node || state.messages.get(String(id));
    if (!item) { earlyDelivery.set(String(id), delivery); return; }
    if (item.classList.contains("from-safety_net")) { standbyState(item, delivery, reason); return; }
    if (!item.classList.contains("from-advocate") && !item.classList.contains("from-system")) return;
    if (!item.querySelector(".delivery")) return;
    const early = earlyDelivery.get(String(id));
    if (early !== undefined) {
      earlyDelivery.delete(String(id));
      if ((DELIVERY_RANK[early] ?? 0) > (DELIVERY_RANK[delivery] ?? 0)) delivery = early;
    }
    const current = item.dataset.delivery;
    if (current && (DELIVERY_RANK[current] ?? 0) > (DELIVERY_RANK[delivery] ?? 0)) return;
    const box = item.querySelector(".delivery");
    item.dataset.delivery = delivery;
    item.classList.toggle("failed", delivery === "failed");
    box.replaceChildren();
    if (delivery === "failed") {
      // why, in words (Twilio's code too), and what the advocate can do
      const why = failure && failure.why ? failure.why : "The message did not go out.";
      const code = failure && failure.code ? ` (${failure.code})` : "";
      box.append(el("strong", "", "Failed to send."), ` ${why}${code} ${failure && failure.advice ? failure.advice : ""} `);
      const canRetry = !failure || failure.can_retry !== false;
      if (isMine(state.open) && canRetry && item.dataset.id) {
        const retry = el("button", "retry", "Retry");
        retry.type = "button";
        retry.addEventListener("click", async () => {
          retry.disabled = true;
          const path = handoffPath(state.openId, `/messages/${item.dataset.id}/retry`);
          try {
            const response = await api(path, { method: "POST", body: {} });
            if (!response.ok) throw new Error(String(response.status));
            item.dataset.delivery = "";  // the same message, queued again: no second copy
            setDelivery(item.dataset.id, "queued", item);
          } catch (error) {
            if (error instanceof SessionEnded) return;
            retry.disabled = false;
            announce("The message could not be queued again. Try again.");
          }
        });
        box.append(retry);
      } else if (!isMine(state.open) && canRetry) {
        box.append("The advocate holding it can retry.");
      }
      if (node === undefined) announce(`A message failed to send. ${why}`);
    } else {
      box.textContent = DELIVERY[delivery] || humanize(delivery);
    }
  }

  // Crisis words while this advocate holds the conversation: the safety net's reply is held
  // back as a suggestion and leaves on its own at its time unless the advocate writes first.
  function standbyState(item, delivery, reason) {
    const current = item.dataset.delivery;
    if (current && (DELIVERY_RANK[current] ?? 0) > (DELIVERY_RANK[delivery] ?? 0)) return;
    item.dataset.delivery = delivery;
    const box = item.querySelector(".delivery");
    if (delivery === "cancelled") box.textContent = NOT_SENT[reason] || DELIVERY.cancelled;
    else if (delivery === "standby") box.textContent = `${DELIVERY.standby}. It goes out at ${clockTime(item.dataset.due) || "its time"} unless you write first.`;
    else box.textContent = `Sent by the safety net (${(DELIVERY[delivery] || humanize(delivery)).toLowerCase()}).`;
    renderCrisisBanner();
  }

  function renderCrisisBanner() {
    const banner = $("crisis-banner");
    const waiting = [...document.querySelectorAll("#transcript .from-safety_net")]
      .filter((item) => item.dataset.delivery === "standby");
    const last = waiting[waiting.length - 1];
    banner.hidden = !last;
    if (!last) return;
    const reason = String(state.open && state.open.reason || "");
    const words = reason.startsWith("safety_net:") ? ` (${humanize(reason.slice(11)).toLowerCase()})` : "";
    $("crisis-banner-text").textContent =
      `Crisis words${words}. The safety net's reply goes out at ${clockTime(last.dataset.due) || "its time"} unless you write first.`;
    $("crisis-use").onclick = () => {
      const box = $("reply");
      const text = last.querySelector(".text").textContent;
      box.value = box.value.trim() ? `${box.value.trimEnd()}\n${text}` : text;
      box.focus();
      countReply();
    };
  }

  // -- Replying ---------------------------------------------------------------------------------

  async function sendReply(text) {
    const id = state.openId;
    const status = $("reply-status");
    if (!text || id === null) return false;
    status.textContent = "Sending…";
    try {
      const response = await api(handoffPath(id, "/messages"), { method: "POST", body: { text } });
      if (response.status === 409) {
        status.textContent = "Someone else has this conversation now. Your reply was not sent.";
        openConversation(id, { focus: false });
        return false;
      }
      if (response.status === 410) {  // the person left: nothing more goes to them
        const detail = (await json(response)).detail;
        status.textContent = typeof detail === "string" ? detail : "This person has left the chat. Your reply was not sent.";
        openConversation(id, { focus: false });
        return false;
      }
      if (!response.ok) throw new Error(String(response.status));
      const data = await json(response);
      if (String(state.openId) === String(id) && data.message) addMessage(data.message);
      status.textContent = "";
      return true;
    } catch (error) {
      if (!(error instanceof SessionEnded)) status.textContent = "Your reply did not send. Try again.";
      return false;
    }
  }

  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = $("reply");
    const text = box.value.trim();
    if (!text || $("reply-fields").disabled) return;
    const send = $("send");
    send.disabled = true;
    const sent = await sendReply(text);
    send.disabled = false;
    if (sent && box.value.trim() === text) {  // keep anything typed while it was sending
      box.value = "";
      countReply();
    }
    box.focus();
  });

  // Keys for a busy shift (never while typing): j/k move through the queue, c claims the open
  // or focused conversation, r goes to the reply box, q back to the queue.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const rowsNow = [...document.querySelectorAll("#queue > li")];
    const current = rowsNow.findIndex((li) => li.contains(document.activeElement) || li.classList.contains("open"));
    const focusRow = (index) => {
      const li = rowsNow[Math.max(0, Math.min(rowsNow.length - 1, index))];
      if (li) li.querySelector("[data-action=open]").focus();
    };
    if (event.key === "j") { event.preventDefault(); focusRow(current + 1); }
    else if (event.key === "k") { event.preventDefault(); focusRow(current < 0 ? 0 : current - 1); }
    else if (event.key === "c") {
      const li = current >= 0 ? rowsNow[current] : null;
      const claim = (li && li.querySelector("[data-action=claim]")) || (!$("claim-open").hidden && $("claim-open"));
      if (claim) { event.preventDefault(); claim.click(); }
    } else if (event.key === "r" && !$("reply-fields").disabled && state.openId !== null) {
      event.preventDefault(); $("reply").focus();
    } else if (event.key === "q") { event.preventDefault(); $("queue-title").focus(); }
  });

  $("reply").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("reply-form").requestSubmit();
    }
  });

  function countReply() {
    const length = $("reply").value.length;
    const sms = state.open && state.open.channel === "sms";
    const out = $("reply-count");
    out.textContent = sms ? `${length} / ${SMS_AIM} characters` : `${length} characters`;
    out.classList.toggle("over", sms && length > SMS_AIM);
  }
  $("reply").addEventListener("input", countReply);

  async function loadQuickReplies() {
    const gen = generation;
    const response = await api("/advocate/api/quick-replies");
    if (!response.ok) return;
    const data = await json(response);
    if (gen !== generation) return;
    state.quickReplies = Array.isArray(data.items) ? data.items : [];
    renderQuickReplies();
  }

  function renderQuickReplies() {
    const group = $("quick-replies");
    group.replaceChildren();
    const spanish = Boolean(state.open && state.open.summary && state.open.summary.language === "es");
    for (const reply of state.quickReplies) {
      const button = el("button", "chip", reply.title);
      button.type = "button";
      button.addEventListener("click", () => {
        const box = $("reply");
        const text = String((spanish && reply.text_es) || reply.text || "");
        // fills the box; the advocate reads and edits it before sending
        box.value = box.value.trim() ? `${box.value.trimEnd()}\n${text}` : text;
        countReply();
        box.focus();
        box.setSelectionRange(box.value.length, box.value.length);
      });
      group.append(button);
    }
    group.hidden = state.quickReplies.length === 0;
  }

  // -- Claim, release, hand back, close ---------------------------------------------------------

  async function act(path, body, done) {
    const id = state.openId;
    if (id === null) return;
    const status = $("reply-status");
    try {
      const response = await api(handoffPath(id, path), { method: "POST", body });
      if (response.status === 409) {
        status.textContent = "Someone else has this conversation now.";
        openConversation(id, { focus: false });
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      announce(done);
      scheduleQueue();
      closeConversation();
    } catch (error) {
      if (!(error instanceof SessionEnded)) status.textContent = "That did not work. Try again.";
    }
  }

  $("claim-open").addEventListener("click", (event) => { if (state.openId !== null) claim_(state.openId, event.target); });
  $("release").addEventListener("click", () => act("/release", undefined, "Released to the queue."));
  $("hand-back").addEventListener("click", () => act("/hand-back", undefined, "Handed back to the assistant."));
  $("close-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const outcome = $("outcome").value;
    if (!OUTCOME[outcome]) {
      $("reply-status").textContent = "Choose an outcome before closing.";
      $("outcome").focus();
      return;
    }
    act("/close", { outcome }, `Conversation closed: ${OUTCOME[outcome]}.`);
  });
  $("back").addEventListener("click", closeConversation);

  // -- Start ------------------------------------------------------------------------------------

  (async () => {
    try {
      const response = await fetch("/advocate/api/me", { credentials: "same-origin", cache: "no-store" });
      if (response.ok) await signedIn(await json(response));
      else showLogin("");
    } catch (_) {
      showLogin("Could not reach the server. Reload the page to try again.");
    }
  })();
})();
