// Every request the console makes: same origin, the CSRF token on changes, nothing cached. A
// 401 ends the session on the page at once.
import { end, session } from "./session.js";

export const LOGIN = "/advocate/api/login";

export class SessionEnded extends Error {}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET" && session.csrf) headers["X-CSRF-Token"] = session.csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin", cache: "no-store", referrerPolicy: "no-referrer",
  });
  if (response.status === 401 && path !== LOGIN) {
    end("Your session ended. Please sign in again.");
    throw new SessionEnded();
  }
  return response;
}

export const json = async (response) => { try { return await response.json(); } catch (_) { return {}; } };

export const handoffPath = (id, rest = "") => `/advocate/api/handoffs/${encodeURIComponent(String(id))}${rest}`;

// The error handler most actions share: a session that ended says so itself.
export function unlessEnded(error, say) {
  if (!(error instanceof SessionEnded)) say();
}
