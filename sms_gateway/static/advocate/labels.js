// The words the console shows for the server's codes. A code with no word here is shown as
// plain words ("left_early" -> "Left early"), never raw.

export const URGENCY = { urgent: "Urgent", normal: "Normal" };
export const CHANNEL = { sms: "SMS", web: "Web" };
export const LANGUAGE = { en: "English", es: "Spanish (quick replies are in Spanish)" };
export const WHO = { youth: "A youth", caregiver: "A caregiver or other adult", unknown: "Not known" };
export const FROM = { youth: "Youth", bot: "Assistant", advocate: "Advocate", system: "System", safety_net: "Safety net" };
export const DELIVERY = { queued: "Queued", sent: "Sent", delivered: "Delivered", failed: "Failed to send",
  cancelled: "Not sent: the person left", standby: "Held for you: not sent" };
export const NOT_SENT = { advocate_answered: "Not sent: you answered", person_left: "Not sent: the person left" };
export const OUTCOME = { resolved: "Resolved", referred: "Referred to a service", no_response: "No response", other: "Other" };
export const STATUS = { queued: "Waiting in the queue", claimed: "Claimed", closed: "Closed", returned: "Handed back to the assistant",
  left: "The person left" };
export const REASON = { asked: "Asked for a person", misunderstood: "The assistant did not understand twice", safety_net: "Crisis words",
  advocate_pick: "An advocate reached out from recent conversations" };

export function humanize(value) {
  const text = String(value || "").trim();
  if (/^[a-z]+(_[a-z]+)+$|^[a-z]+$/.test(text)) {
    const words = text.replace(/_/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  return text;
}

// The word for a code in one of the maps above, or the code as plain words.
export const word = (map, value) => map[value] || humanize(value);

export function reasonText(value) {
  // reason codes such as "asked" or "safety_net:danger" read as words; free text stays as is
  const [code, detail] = String(value || "").split(":", 2);
  if (!REASON[code]) return humanize(value);
  return detail ? `${REASON[code]}: ${humanize(detail).toLowerCase()}` : REASON[code];
}
