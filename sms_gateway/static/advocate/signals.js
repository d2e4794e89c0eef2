// Named moments other modules react to, so that a module never has to import the one that
// reacts (the modules form a tree, with no import cycle).

function signal() {
  const listeners = [];
  return {
    on(fn) { listeners.push(fn); },
    emit(...args) {
      // one module's failure must not stop the others (the sign-in view, or clearing a
      // youth's words from the page at sign-out)
      for (const fn of listeners) {
        try { fn(...args); } catch (error) { window.setTimeout(() => { throw error; }); }
      }
    },
  };
}

export const signedIn = signal();       // (me): the session began; each module starts its part
export const sessionEnded = signal();   // (note): each module forgets what it showed
export const queueStale = signal();     // the server's queue may have changed: fetch it again
export const openChanged = signal();    // a conversation was opened, changed or closed
