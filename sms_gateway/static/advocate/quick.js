// The helpline's quick replies (checked by the wording checker on the server), in the language
// the person writes in. A tap fills the reply box; nothing is sent without the advocate.
import { api, json } from "./api.js";
import { spanish } from "./current.js";
import { $, el } from "./dom.js";
import { insertReply } from "./replybox.js";
import { stillCurrent } from "./session.js";
import { openChanged, sessionEnded, signedIn } from "./signals.js";

let replies = [];

async function loadQuickReplies() {
  const current = stillCurrent();
  const response = await api("/advocate/api/quick-replies");
  if (!response.ok) return;
  const data = await json(response);
  if (!current()) return;
  replies = Array.isArray(data.items) ? data.items : [];
  renderQuickReplies();
}

function renderQuickReplies() {
  const group = $("quick-replies");
  const es = spanish();
  group.replaceChildren(...replies.map((reply) => {
    const chip = el("button", "chip", reply.title);
    chip.type = "button";
    chip.addEventListener("click", () => insertReply(String((es && reply.text_es) || reply.text || "")));
    return chip;
  }));
  group.hidden = replies.length === 0;
}

signedIn.on(() => loadQuickReplies().catch(() => {}));
openChanged.on(renderQuickReplies);
sessionEnded.on(() => { replies = []; $("quick-replies").replaceChildren(); });
