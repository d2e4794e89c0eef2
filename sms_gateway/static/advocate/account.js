// The advocate's own settings in the header: who is signed in, on shift or not, and the name
// youth see on the web chat ("Ana, advocate"), saved when it changes.
import { api, json, unlessEnded } from "./api.js";
import { $, announce } from "./dom.js";
import { sessionEnded, signedIn } from "./signals.js";

async function saveShownName(event) {
  if (event) event.preventDefault();
  const box = $("shown-name");
  const name = box.value.trim().replace(/\s+/g, " ");
  try {
    const response = await api("/advocate/api/me/name", { method: "POST", body: { name } });
    if (response.status === 422) { announce("Use a first name only: letters, spaces or hyphens."); return; }
    if (!response.ok) throw new Error(String(response.status));
    box.value = (await json(response)).shown_name || "";
    announce(box.value ? `Youth will see you as ${box.value}.` : "Youth will see you as a person from our team.");
  } catch (error) {
    unlessEnded(error, () => announce("Your name could not be saved. Try again."));
  }
}

async function changeShift(event) {
  const box = event.target;
  const wanted = box.checked;
  box.disabled = true;
  try {
    const response = await api("/advocate/api/shift", { method: "POST", body: { on_shift: wanted } });
    if (!response.ok) throw new Error(String(response.status));
    box.checked = Boolean((await json(response)).on_shift);
    announce(box.checked ? "You are on shift." : "You are off shift.");
  } catch (error) {
    unlessEnded(error, () => {
      box.checked = !wanted;
      announce("Your shift could not be changed. Try again.");
    });
  } finally {
    box.disabled = false;
  }
}

$("shown-name-form").addEventListener("submit", saveShownName);
$("shown-name").addEventListener("change", () => saveShownName());
$("on-shift").addEventListener("change", changeShift);

signedIn.on((me) => {
  $("who").textContent = `Signed in as ${me.username}${me.role === "supervisor" ? " (supervisor)" : ""}`;
  $("on-shift").checked = Boolean(me.on_shift);
  $("shown-name").value = me.shown_name || "";
});
sessionEnded.on(() => { $("who").replaceChildren(); });
