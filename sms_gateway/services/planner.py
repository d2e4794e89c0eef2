"""Thinking a plan through with a youth, one question per message (issue 12; chapter 9 and
Resource 9-B, 001 L3403-3463, L10657-10735).

Consent first: an offer, then whether the answers may be kept. Every question can be skipped
and the whole thing stopped ("stop here", "listo"; never STOP, the carrier's opt-out), and a
question of their own ("where is a shelter?") sets the plan aside for the assistant to answer.
Asked to send the plan back, the SMS answer is always no, with why and numbers easy to
remember (001 L3403-3410); the web chat may show the kept answers, in the page's memory only.

Pure logic: what to say and what the plan becomes. The gateway stores it (plan_store.py) and
sends it (pipeline.py); the assistant (Rasa) never sees a plan answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from resources.planning import Planning, Step, load_planning
from resources.replies import render
from sms_gateway.services.plan_store import REDACTED, SHOWN, PlanState
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.turns import PERSON_PAYLOAD

STEP_TTL = timedelta(hours=2)  # a question not answered for this long is set aside
PREFIX = "/plan_"
START, NOT_NOW, KEEP, DONT_KEEP = "/plan_start", "/plan_not_now", "/plan_keep", "/plan_dont_keep"
YES, NO, NOT_SURE, SKIP, DONE, GO_ON = (
    "/plan_yes", "/plan_no", "/plan_not_sure", "/plan_skip", "/plan_done", "/plan_go_on",
)  # fmt: skip
# A tapped choice means the same as these words.
_AS_WORD = {
    START: "yes", KEEP: "yes", YES: "yes", NOT_NOW: "done", DONT_KEEP: "no", NO: "no",
    NOT_SURE: "not_sure", SKIP: "skip", DONE: "done", GO_ON: "go_on",
}  # fmt: skip


@dataclass(frozen=True)
class PlanTurn:
    """What one message did to the plan."""

    messages: list[BotMessage]
    state: PlanState | None  # what to store (None: no plan any more)
    passthrough: bool = False  # not for the plan: the assistant answers it, then `messages`
    answered: bool = False  # the message was an answer: its text is stored as REDACTED
    flags: str = ""  # "danger": they said they are in danger now (an urgent handoff)
    shows_answers: bool = False  # a web reply with the answers (logged as shown, not kept)

    @property
    def kept_reply(self) -> list[BotMessage] | None:
        """What the message log keeps of a reply that showed the answers (None: the reply)."""
        return [BotMessage(SHOWN)] if self.shows_answers else None

    @property
    def recorded(self) -> str | None:
        """What a handoff transcript records for the youth's message (None: the message)."""
        return REDACTED if self.answered else None


class Planner:
    def __init__(self, plan_days: str, planning: Planning | None = None) -> None:
        self._plan = planning or load_planning()
        self._days = plan_days

    def wants(self, text: str, payload: str | None, has_plan: bool) -> bool:
        """Whether this message may concern a plan (cheap: most messages do not)."""
        if payload and payload.startswith(PREFIX):
            return True
        return has_plan or self._plan.asks_for(text) not in (None, "done", "aside")

    def turn(
        self,
        state: PlanState | None,
        text: str,
        payload: str | None,
        channel: str,
        language: str,
        now: datetime | None = None,
    ) -> PlanTurn | None:
        """The plan's part of this message, or None when the message is not about it."""
        now = now or datetime.now(UTC)
        ours = payload if payload and payload.startswith(PREFIX) else None
        if payload and not ours:  # a choice of the assistant's ("talk to a person")
            return self._set_aside(state) if _waiting(state, now) else None
        word = _AS_WORD[ours] if ours in _AS_WORD else (None if ours else self._plan.word(text))
        ask = None if ours else self._plan.asks_for(text)
        if ask == "done":  # "ya no quiero seguir, dejalo": the same as "enough for now"
            word, ask = "done", None
        if state is not None and _waiting(state, now) and ask is None:
            # An answer ("Tia Marisol", "mi ID") says little about the language it is in:
            # the plan goes on in the language it started in.
            language = state.language
        say = _Say(channel, language, self._days)
        if state is not None:
            state = replace(state, language=language, answers=dict(state.answers))
        if ask == "send_back":
            return self._send_back(state, now, say)
        if ask == "delete":
            kept = state is not None and bool(state.answers)
            return PlanTurn([say.text("plan_deleted" if kept else "plan_nothing_kept")], None)
        if state is not None and _waiting(state, now):
            if ask == "start":  # asked again while a question waits: that question
                step = self._plan.step(state.step or "")
                if step is not None:
                    return PlanTurn([self._question(step, say)], _asked(state, step.id, now))
            return self._answer(state, text, word, ask == "aside", now, say)
        if state is not None and (word == "go_on" or ask == "start") and state.resume:
            step = self._plan.step(state.resume)
            if step is not None:
                return PlanTurn([self._question(step, say)], _asked(state, step.id, now))
        if ask == "start" or ours == START:  # (an offer; "aside" alone is the assistant's)
            fresh = state or PlanState(language=language, started_at=now)
            return PlanTurn([self._offer(say)], _asked(fresh, "offer", now))
        if ours in (NOT_NOW, DONE):  # an old "not now" tapped again
            return PlanTurn([say.text("plan_not_now")], state)
        return None

    # -- the question waiting for an answer --------------------------------------------------

    def _answer(
        self, state: PlanState, text: str, word: str | None, aside: bool, now: datetime, say: _Say
    ) -> PlanTurn | None:
        if state.step == "offer":
            if word in ("yes", "go_on"):
                if state.keep is None:
                    return PlanTurn([_keep_question(say)], _asked(state, "keep", now))
                resume = _before(self._plan, state.resume) if state.resume else None
                return self._next(state, resume, now, say)
            if word in ("no", "done", "skip"):
                return PlanTurn([say.text("plan_not_now")], _paused(state, None))
            return self._set_aside(state)  # they moved on to something else
        if state.step == "keep":
            if word in ("yes", "no"):
                state.keep = word == "yes"
                return self._next(state, None, now, say)
            if word == "done":
                return PlanTurn([say.text("plan_not_now")], _paused(state, None))
            return PlanTurn([_keep_question(say)], _asked(state, "keep", now))
        step = self._plan.step(state.step or "")
        if step is None:
            return self._set_aside(state)
        if word == "done":
            return self._stop(state, step.id, say)
        if word is None and ("?" in text or aside):  # their own question or request
            return self._set_aside(state, say)
        if step.kind == "yes_no":
            return self._yes_no(state, step, text, word, now, say)
        if word != "skip":
            state.answer(step.id, text)
        return replace(self._next(state, step.id, now, say), answered=True)

    def _yes_no(
        self, state: PlanState, step: Step, text: str, word: str | None, now: datetime, say: _Say
    ) -> PlanTurn:
        if word == "yes":
            state.answer(step.id, text)
            after = self._plan.after(step.id)
            paused = _paused(state, after.id if after else None)
            go_on = say.message("plan_danger_go_on", [("plan_button_person", PERSON_PAYLOAD),
                                                      ("plan_button_go_on", GO_ON)])  # fmt: skip
            danger = BotMessage(render("crisis_danger", say.channel, say.language))
            return PlanTurn([danger, go_on], paused, answered=True, flags="danger")
        if word != "skip":
            state.answer(step.id, text)
        turn = self._next(state, step.id, now, say)
        if word != "no" and word != "skip":  # not sure, or words we cannot read as yes or no
            turn = replace(turn, messages=[say.text("plan_danger_unsure"), *turn.messages])
        return replace(turn, answered=True)

    def _next(self, state: PlanState, done: str | None, now: datetime, say: _Say) -> PlanTurn:
        step = self._plan.after(done)
        if step is not None:
            return PlanTurn([self._question(step, say)], _asked(state, step.id, now))
        end = say.message(
            "plan_done_kept" if state.keep and state.answers else "plan_done_not_kept",
            [("plan_button_person", PERSON_PAYLOAD), ("plan_button_not_now", NOT_NOW)],
        )
        return PlanTurn([end], _paused(state, None))

    def _stop(self, state: PlanState, step: str, say: _Say) -> PlanTurn:
        kept = bool(state.keep and state.answers)
        text = say.text("plan_stopped_kept" if kept else "plan_stopped_not_kept")
        return PlanTurn([text], _paused(state, step))

    def _send_back(self, state: PlanState | None, now: datetime, say: _Say) -> PlanTurn:
        waiting = state is not None and _waiting(state, now)
        paused = _paused(state, _pending(state)) if state is not None and waiting else state
        if say.channel == "web":
            if state is None or not state.answers:
                return PlanTurn([say.text("plan_nothing_kept")], paused)
            lines = [f"{self.label(step_id, say.language)}: {answer}"
                     for step_id, answer in state.answers.items()]  # fmt: skip
            shown = render("plan_shown_web", "web", say.language)
            return PlanTurn([BotMessage("\n".join([shown, *lines]))], paused, shows_answers=True)
        choices = [("plan_button_person", PERSON_PAYLOAD)]
        if paused is not None and paused.resume:
            choices.append(("plan_button_go_on", GO_ON))
        return PlanTurn([say.message("plan_not_sent", choices)], paused)

    def _set_aside(self, state: PlanState | None, say: _Say | None = None) -> PlanTurn:
        """Not an answer: the plan waits ("go on" resumes) and the assistant answers; after a
        question of theirs (`say`), its answer ends with how to pick the questions up."""
        paused = _paused(state, _pending(state)) if state is not None else None
        hint = [say.text("plan_set_aside")] if say and paused and paused.resume else []
        return PlanTurn(hint, paused, passthrough=True)

    # -- texts -------------------------------------------------------------------------------

    def _offer(self, say: _Say) -> BotMessage:
        return say.message("plan_offer", [("plan_button_start", START),
                                          ("plan_button_not_now", NOT_NOW)])  # fmt: skip

    def _question(self, step: Step, say: _Say) -> BotMessage:
        if step.kind == "yes_no":
            choices = [("plan_button_yes", YES), ("plan_button_no", NO),
                       ("plan_button_not_sure", NOT_SURE)]  # fmt: skip
        else:
            choices = [("plan_button_skip", SKIP), ("plan_button_done", DONE)]
        return say.message(step.reply, choices)

    def label(self, step_id: str, language: str = "en") -> str:
        """What an answer is called (the console; the web page that shows the answers)."""
        step = self._plan.step(step_id)
        if step is None:
            return step_id
        return step.label.get(language) or step.label["en"]

    @property
    def order(self) -> list[str]:
        return [s.id for s in self._plan.steps]


@dataclass(frozen=True)
class _Say:
    channel: str
    language: str
    days: str

    def text(self, reply_id: str) -> BotMessage:
        return BotMessage(render(reply_id, self.channel, self.language, plan_days=self.days))

    def message(self, reply_id: str, choices: list[tuple[str, str]]) -> BotMessage:
        buttons = [
            {"title": render(title, self.channel, self.language), "payload": payload}
            for title, payload in choices
        ]
        return BotMessage(self.text(reply_id).text, buttons)


def _keep_question(say: _Say) -> BotMessage:
    choices = [("plan_button_keep", KEEP), ("plan_button_dont_keep", DONT_KEEP)]
    return say.message("plan_keep_question", choices)


def _waiting(state: PlanState | None, now: datetime) -> bool:
    return state is not None and state.step is not None and now - state.asked_at <= STEP_TTL


def _pending(state: PlanState | None) -> str | None:
    """The question to resume at: the one waiting (not the offer or the keep question)."""
    if state is None:
        return None
    if state.step and state.step not in ("offer", "keep"):
        return state.step
    return state.resume


def _asked(state: PlanState, step: str, now: datetime) -> PlanState:
    return replace(state, step=step, asked_at=now)


def _paused(state: PlanState | None, resume: str | None) -> PlanState | None:
    """No question waiting; None when nothing is left worth keeping (not kept, nothing to
    resume, or not kept at all)."""
    if state is None:
        return None
    paused = replace(state, step=None, resume=resume)
    if not paused.keep and resume is None:
        return None
    if paused.keep is None:
        return None
    return paused


def _before(planning: Planning, step_id: str) -> str | None:
    """The question before `step_id` (so that `_next` asks `step_id` itself)."""
    ids = [s.id for s in planning.steps]
    index = ids.index(step_id) if step_id in ids else 0
    return ids[index - 1] if index > 0 else None
