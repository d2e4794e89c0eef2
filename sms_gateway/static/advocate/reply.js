// Sending the advocate's reply. Refused by the server when someone else holds the conversation
// (409) or the person left (410): the reason is shown and the view refreshed; nothing is lost
// from the box.
import { api, handoffPath, json, unlessEnded } from "./api.js";
import { openConversation } from "./conversation.js";
import { current, isOpen } from "./current.js";
import { $ } from "./dom.js";
import { clearReply } from "./replybox.js";
import { addMessage } from "./transcript.js";

async function sendReply(text) {
  const id = current.id;
  const status = $("reply-status");
  if (!text || id === null) return false;
  status.textContent = "Sending…";
  try {
    const response = await api(handoffPath(id, "/messages"), { method: "POST", body: { text } });
    if (response.status === 409) {
      status.textContent = "Someone else has this conversation now. Your reply was not sent.";
      openConversation(id, { focus: false });
      return false;
    }
    if (response.status === 410) {  // the person left: nothing more goes to them
      const detail = (await json(response)).detail;
      status.textContent = typeof detail === "string" ? detail : "This person has left the chat. Your reply was not sent.";
      openConversation(id, { focus: false });
      return false;
    }
    if (!response.ok) throw new Error(String(response.status));
    const data = await json(response);
    if (isOpen(id) && data.message) addMessage(data.message);
    status.textContent = "";
    return true;
  } catch (error) {
    unlessEnded(error, () => { status.textContent = "Your reply did not send. Try again."; });
    return false;
  }
}

$("reply-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("reply");
  const text = box.value.trim();
  if (!text || $("reply-fields").disabled) return;
  const send = $("send");
  send.disabled = true;
  const sent = await sendReply(text);
  send.disabled = false;
  if (sent && box.value.trim() === text) clearReply();  // keep anything typed while it was sending
  box.focus();
});
