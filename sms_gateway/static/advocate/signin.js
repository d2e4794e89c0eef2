// Signing in and out. One answer for an unknown name, a wrong password and a locked account
// (the server gives no more); busy or too many tries say when to try again.
import { LOGIN, api, json } from "./api.js";
import { $ } from "./dom.js";
import { begin, end } from "./session.js";
import { sessionEnded, signedIn } from "./signals.js";

function showLogin(note) {
  $("starting").hidden = true;
  $("console-view").hidden = true;
  $("account").hidden = true;
  $("login-view").hidden = false;
  $("login-note").textContent = note || "";
  document.title = "Sign in · Advocate console";
  $("username").focus();
}

function showConsole() {
  $("starting").hidden = true;
  $("login-view").hidden = true;
  $("login-note").textContent = "";
  $("console-view").hidden = false;
  $("account").hidden = false;
}

async function failureNote(response) {
  if (response.status === 429 || response.status === 503) {
    const detail = (await json(response)).detail;
    return typeof detail === "string" ? detail : "Sign-in is busy. Try again in a minute.";
  }
  if (response.status === 401) return "Sign-in failed. Check your username, password and code.";
  return "Sign-in is not working right now. Try again in a minute.";
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
  const submit = $("login-submit");
  submit.disabled = true;
  note.textContent = "";
  try {
    const response = await api(LOGIN, { method: "POST", body: { username, password, code } });
    $("password").value = "";
    $("code").value = "";
    if (response.ok) await begin(await json(response));
    else note.textContent = await failureNote(response);
  } catch (_) {
    note.textContent = "Could not reach the server. Check your connection and try again.";
  } finally {
    submit.disabled = false;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("/advocate/api/logout", { method: "POST" }); } catch (_) { /* signed out either way */ }
  end("You signed out.");
});

signedIn.on(showConsole);
sessionEnded.on(showLogin);

// The page opens on the session the cookie may already hold, or on the sign-in form.
export async function start() {
  try {
    const response = await fetch("/advocate/api/me", { credentials: "same-origin", cache: "no-store" });
    if (response.ok) await begin(await json(response));
    else showLogin("");
  } catch (_) {
    showLogin("Could not reach the server. Reload the page to try again.");
  }
}
