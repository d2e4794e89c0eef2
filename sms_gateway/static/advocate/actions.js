// What an advocate does with a conversation: claim it, release it to the queue, hand it back
// to the assistant, or close it with an outcome. A 409 means someone else has it now.
import { api, handoffPath, unlessEnded } from "./api.js";
import { closeConversation, openConversation } from "./conversation.js";
import { current, isOpen } from "./current.js";
import { $, announce } from "./dom.js";
import { OUTCOME } from "./labels.js";
import { queueStale } from "./signals.js";

export async function claim(id, control) {
  if (control) control.disabled = true;
  try {
    const response = await api(handoffPath(id, "/claim"), { method: "POST" });
    if (response.status === 409) {
      announce("Someone else has claimed this conversation.");
      queueStale.emit();
      if (isOpen(id)) openConversation(id, { focus: false });
      return;
    }
    if (!response.ok) throw new Error(String(response.status));
    announce("You claimed this conversation.");
    queueStale.emit();
    await openConversation(id, { focus: true, toReply: true });
  } catch (error) {
    unlessEnded(error, () => announce("The conversation could not be claimed. Try again."));
  } finally {
    if (control && control.isConnected) control.disabled = false;
  }
}

async function act(path, body, done) {
  const id = current.id;
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
    queueStale.emit();
    closeConversation();
  } catch (error) {
    unlessEnded(error, () => { status.textContent = "That did not work. Try again."; });
  }
}

$("claim-open").addEventListener("click", (event) => { if (current.id !== null) claim(current.id, event.target); });
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
