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

  // Numbers become links a thumb can tap: tel: to call, sms: to text (with the word to send,
  // "text HOME to 741741"). A full phone number always; a short one (911, 988, 741741) only
  // when the words just before it say call or text, so a ZIP code or a time stays plain.
  const PHONE = /(?:1-)?\(?\b\d{3}\)?[ -]\d{3}-\d{4}\b|\b\d{3,6}\b/g;
  const TO_CALL = /(call|llama|llamar|ll[aá]mal[eo]|marca|al|to|:)\s*$/i;
  const TO_TEXT = /(text|texto|mensaje|env[ií]a|manda|escribe)\b[^.]*$/i;
  const KEYWORD = /\b([A-Z]{3,})\b(?![\s\S]*\b[A-Z]{3,}\b)/;
  function withLinks(text, into) {
    let last = 0;
    for (const match of text.matchAll(PHONE)) {
      const number = match[0];
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      const full = /\d{3}\D+\d{4}/.test(number);
      const callOrText = /(call or text|llama o [^.]{0,25})\s*$/i.test(before);  // a call link
      const texting = !callOrText && TO_TEXT.test(before);
      if (!full && !callOrText && !TO_CALL.test(before) && !texting) continue;
      into.append(text.slice(last, match.index));
      const link = document.createElement("a");
      const digits = number.replace(/\D/g, "");
      const keyword = texting ? (before.match(KEYWORD) || [])[1] : null;
      link.href = texting ? `sms:${digits}${keyword ? `?body=${encodeURIComponent(keyword)}` : ""}` : `tel:${digits}`;
      link.textContent = number;
      into.append(link);
      last = match.index + number.length;
    }
    into.append(text.slice(last));
  }

  function show(message) {
    const item = document.createElement("li");
    const from = message.from || "bot";
    item.className = `msg from-${from}`;
    const who = document.createElement("span");
    who.className = "visually-hidden";
    let said = from === "you" ? words.youSaid : from === "system" ? words.noticeSaid : words.helperSaid;
    if (from === "advocate") {
      // who is writing, seen and heard: the name the advocate chose, or "a person from our team"
      const label = message.name ? `${message.name}, ${words.advocateWord}` : words.teamPerson;
      const author = document.createElement("p");
      author.className = "author";
      author.setAttribute("aria-hidden", "true");
      author.textContent = label;
      item.append(author);
      said = `${label}:`;
    }
    who.textContent = `${said} `;
    const text = document.createElement("p");
    withLinks(String(message.text || ""), text);  // text nodes and links only, never innerHTML
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
