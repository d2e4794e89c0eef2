// What the youth thought through with the helper: fetched only for the advocate who holds the
// conversation (or a supervisor), closed until asked for, and never kept longer than the view.
import { api, handoffPath, json } from "./api.js";
import { current } from "./current.js";
import { $, el } from "./dom.js";
import { isMine, may, stillCurrent } from "./session.js";

export function clearPlan() {
  $("plan").hidden = true;
  $("plan-answers").replaceChildren();
}

export async function loadPlan(handoff) {
  clearPlan();
  if (!isMine(handoff) && !may("see_all_plans")) return;
  const same = stillCurrent();
  const response = await api(handoffPath(handoff.id, "/plan"));
  if (!response.ok || !same() || !current.handoff || current.handoff.id !== handoff.id) return;
  const plan = await json(response);
  const answers = Array.isArray(plan.answers) ? plan.answers : [];
  if (!answers.length) return;
  $("plan-note").textContent = plan.note || "";
  $("plan-count").textContent = `(${answers.length} ${answers.length === 1 ? "answer" : "answers"})`;
  $("plan").open = false;  // closed until asked for: the transcript keeps its room
  $("plan-answers").replaceChildren(...answers.map((item) => {
    const row = el("div", "fact wide");
    row.append(el("dt", "", item.label), el("dd", "", item.answer));
    return row;
  }));
  $("plan").hidden = false;
}
