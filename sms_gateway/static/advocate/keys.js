// Keys for a busy shift (never while typing): j/k move through the queue, c claims the open or
// focused conversation, r goes to the reply box, q back to the queue.
import { current } from "./current.js";
import { $ } from "./dom.js";

function typing(target) {
  return Boolean(target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)));
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const rows = [...document.querySelectorAll("#queue > li")];
  const at = rows.findIndex((li) => li.contains(document.activeElement) || li.classList.contains("open"));
  const focusRow = (index) => {
    const li = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (li) li.querySelector("[data-action=open]").focus();
  };
  if (event.key === "j") { event.preventDefault(); focusRow(at + 1); }
  else if (event.key === "k") { event.preventDefault(); focusRow(at < 0 ? 0 : at - 1); }
  else if (event.key === "c") {
    const li = at >= 0 ? rows[at] : null;
    const claim = (li && li.querySelector("[data-action=claim]")) || (!$("claim-open").hidden && $("claim-open"));
    if (claim) { event.preventDefault(); claim.click(); }
  } else if (event.key === "r" && !$("reply-fields").disabled && current.id !== null) {
    event.preventDefault(); $("reply").focus();
  } else if (event.key === "q") { event.preventDefault(); $("queue-title").focus(); }
});
