// The page's small helpers. Every word a youth wrote is untrusted: it reaches the page through
// textContent only (el), never parsed as HTML.

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);  // text only, ever
  return node;
}

export function button(text, className = "", action = "") {
  const node = el("button", className, text);
  node.type = "button";
  if (action) node.dataset.action = action;
  return node;
}

// An id made from a server id, safe to use in aria-describedby.
export const domId = (prefix, id) => `${prefix}-${String(id).replace(/[^A-Za-z0-9_-]/g, "_")}`;

export function announce(text) {
  const region = $("announce");
  region.textContent = "";
  // a fresh text node after a tick, so the same words said twice are read twice
  window.setTimeout(() => { region.textContent = text; }, 50);
}

export function waitingText(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s < 60) return "under 1 min";
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function clockTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
