// Who is signed in, and the session's generation: bumped when a session ends, so that a late
// answer for the old session is dropped. The session itself is an HttpOnly cookie this code
// never sees; the CSRF token lives only here, in memory (never in storage).
import { sessionEnded, signedIn } from "./signals.js";

export const session = { me: null, csrf: null, generation: 0 };

export async function begin(me) {
  session.me = me;
  session.csrf = me.csrf;
  signedIn.emit(me);
}

export function end(note) {
  if (!session.me) return;
  session.generation += 1;
  session.me = null;
  session.csrf = null;
  sessionEnded.emit(note);  // nothing a youth wrote stays on the page after the session ends
}

// A check for answers that arrive after an await: still the same session?
export function stillCurrent() {
  const generation = session.generation;
  return () => generation === session.generation;
}

export const may = (permission) => Boolean(session.me && Array.isArray(session.me.permissions)
  && session.me.permissions.includes(permission));

export const isMine = (handoff) => Boolean(handoff && session.me && handoff.status === "claimed"
  && handoff.claimed_by === session.me.username);
