// The reply box: its character count (SMS aims for 320), and text put into it by a quick reply
// or the suggested crisis reply, which the advocate reads and edits before sending.
import { current } from "./current.js";
import { $ } from "./dom.js";

const SMS_AIM = 320;  // DESIGN: SMS replies aim for 320 characters or fewer

export function countReply() {
  const length = $("reply").value.length;
  const sms = Boolean(current.handoff && current.handoff.channel === "sms");
  const out = $("reply-count");
  out.textContent = sms ? `${length} / ${SMS_AIM} characters` : `${length} characters`;
  out.classList.toggle("over", sms && length > SMS_AIM);
}

export function insertReply(text) {
  const box = $("reply");
  box.value = box.value.trim() ? `${box.value.trimEnd()}\n${text}` : text;
  countReply();
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

export function clearReply() {
  $("reply").value = "";
  countReply();
}

$("reply").addEventListener("input", countReply);
$("reply").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("reply-form").requestSubmit();
  }
});
