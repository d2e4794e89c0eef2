// Waypoint web chat. Leaves nothing on the device: no cookies, no storage, no service worker;
// the conversation id lives only in this script's memory and travels in a header, never in a
// URL (URLs end up in logs). Quick exit (button or Esc) clears the page, tells the server to
// forget the conversation and replaces this history entry.
"use strict";
(() => {
  const exitUrl = document.body.dataset.exitUrl || "about:blank";
  const words = document.body.dataset;  // the page's words, in its language (chat_page.yml)
  const log = document.getElementById("messages");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  let token = null;
  let events = null;
  let counter = 0;

  const api = (path, options = {}) =>
    fetch(path, { credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", ...options });
  const withToken = (headers = {}) => ({ ...headers, "X-Chat-Token": token });

  function quickExit() {
    if (token) {
      const body = new Blob([JSON.stringify({ conversation: token })], { type: "application/json" });
      try { navigator.sendBeacon("/chat/api/forget", body); } catch (_) { /* leave anyway */ }
    }
    token = null;
    if (events) events.abort();
    document.title = "";
    document.body.replaceChildren();
    window.location.replace(exitUrl);
  }

  function show(message) {
    const item = document.createElement("li");
    item.className = `msg from-${message.from || "bot"}`;
    const who = document.createElement("span");
    who.className = "visually-hidden";
    const said = message.from === "you" ? words.youSaid : message.from === "advocate" ? words.personSaid : words.helperSaid;
    who.textContent = `${said} `;
    const text = document.createElement("p");
    text.textContent = message.text;  // never innerHTML: replies and input are untrusted text
    text.prepend(who);
    item.append(text);
    if (message.choices && message.choices.length) {
      const group = document.createElement("div");
      group.className = "choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", words.choices);
      for (const choice of message.choices) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = choice.title;
        button.addEventListener("click", () => submit({ text: choice.title, payload: choice.payload }));
        group.append(button);
      }
      item.append(group);
    }
    log.append(item);
    item.scrollIntoView({ block: "end" });
  }

  async function start() {
    const response = await api("/chat/api/conversations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ language: words.language }),
    });
    if (!response.ok) {
      // too many chats at once from here: the server's kind answer, in the page's language
      const detail = response.status === 429 ? (await response.json().catch(() => ({}))).detail : null;
      throw new Error(typeof detail === "string" ? detail : "start failed");
    }
    token = (await response.json()).conversation;
    listen(token);
  }

  // Server-sent events read with fetch (EventSource cannot send the token header): each
  // "data:" line is one message; after a dropped stream, reconnect and catch up from the
  // last id seen, while this conversation is still the page's.
  async function listen(forToken, lastId = null, delay = 1000) {
    const controller = new AbortController();
    events = controller;
    let seen = lastId;
    try {
      const headers = { "X-Chat-Token": forToken, Accept: "text/event-stream" };
      if (seen) headers["Last-Event-ID"] = seen;
      const response = await api("/chat/api/events", { headers, signal: controller.signal });
      if (response.status === 404) return;  // the conversation ended: nothing more will come
      if (!response.ok || !response.body) throw new Error(String(response.status));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) seen = line.slice(4);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (!data) continue;
          const event = JSON.parse(data);
          if (event.type === "message") show(event.message);
        }
      }
    } catch (_) {
      if (controller.signal.aborted) return;  // quick exit or a new conversation
    }
    if (token === forToken && events === controller) {
      setTimeout(() => { if (token === forToken) listen(forToken, seen, Math.min(delay * 2, 30000)); }, delay);
    }
  }

  async function submit(body, retried = false) {
    if (!token) {
      try { await start(); } catch (error) {
        status.textContent = error && error.message !== "start failed" ? error.message : words.startFailed;
        return;
      }
    }
    counter += 1;
    const id = `m${Date.now().toString(36)}${counter}`;
    if (!retried) show({ from: "you", text: body.text, choices: [] });
    status.textContent = words.sending;
    try {
      const response = await api("/chat/api/messages", {
        method: "POST",
        headers: withToken({ "Content-Type": "application/json" }),
        body: JSON.stringify({ id, ...body }),
      });
      if (response.status === 404 && !retried) {  // the server forgot an idle chat: start again
        token = null;
        if (events) events.abort();
        return submit(body, true);
      }
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      status.textContent = "";
      for (const message of data.messages) show(message);
    } catch (_) {
      status.textContent = words.sendFailed;
    }
  }

  // Closing the tab or reloading ends the chat (nothing on the device can bring it back): the
  // server forgets it as quick exit does, so no advocate's queue keeps a chat nobody can read.
  window.addEventListener("pagehide", (event) => {
    if (event.persisted || !token) return;  // kept in the back-forward cache: it may come back
    const body = new Blob([JSON.stringify({ conversation: token })], { type: "application/json" });
    try { navigator.sendBeacon("/chat/api/forget", body); } catch (_) { /* closing anyway */ }
  });
  document.getElementById("quick-exit").addEventListener("click", quickExit);
  // One press of Escape is enough: when someone walks in, there may be no time for two.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); quickExit(); }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    submit({ text });
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  start().catch((error) => {
    status.textContent = error && error.message !== "start failed" ? error.message : words.startFailed;
  });
})();
