// The conversation on screen: its id as soon as it is asked for, its details once loaded.
// Written only by conversation.js; read by the modules that draw or act on it.

export const current = { id: null, handoff: null, loading: false };

export const isOpen = (id) => current.id !== null && String(id) === String(current.id);

export const spanish = () => Boolean(current.handoff && current.handoff.summary
  && current.handoff.summary.language === "es");
