"""Every command of the window, its keys, and what the review commands do.

`BINDINGS` is the one list of shortcuts: the menus, the Help > Keyboard shortcuts dialog
and docs/keyboard.md (checked by a test) are all made from it. A binding whose `window` is
"conflicts" acts only in the conflicts window, which adds its action to itself.
"""

from __future__ import annotations

import re
import time
from functools import partial
from dataclasses import dataclass
from typing import TYPE_CHECKING
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from annotator.gui.undo import History
from annotator.gui.writes import Outcome, Writer
from annotator.services import browse
from annotator.services import history as history_service
from annotator.services import pairs
from annotator.services.common import ReviewError, check_unlocked
from annotator.services import review as review_service

if TYPE_CHECKING:
    from annotator.storage.reviews import Event


@dataclass(frozen=True)
class Binding:
    name: str
    label: str
    keys: tuple[str, ...]
    help: str
    group: str
    review_area: bool = False  # only while the text or the claims have focus
    window: str = "main"  # "conflicts": a key of the conflicts window, not in the menus


BINDINGS = (
    Binding("confirm", "&Confirm", ("A",), "Confirm the current figure (or every figure of the "
            "current claim) and move to the next unreviewed one. A figure with a warning "
            "needs A twice (within 4 s); a figure a lead has settled asks first", "Review"),
    Binding("confirm_enter", "Confirm (Enter)", ("Return", "Enter"), "The same as A, while the "
            "text or the claims list has the focus", "Review", review_area=True),
    Binding("correct", "C&orrect…", ("E",), "Correct the value, unit, currency or kind, with a "
            "note; the original stays in view", "Review"),
    Binding("flag", "&Flag (reject)…", ("F", "X"), "Flag the figure as wrong, with a reason: "
            "a digit 1–7 picks the reason and flags at once (X rejects, as in Prodigy); to "
            "add a note, Tab to it and press Enter", "Review"),
    Binding("skip", "S&kip", ("Space",), "Leave the figure undecided and go on to the next "
            "unreviewed one (Space skips, as in Prodigy); nothing is recorded", "Review"),
    Binding("undo", "&Undo", ("Ctrl+Z",), "Undo your last decision (recorded in the database)",
            "Review"),
    Binding("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo what was undone", "Review"),
    Binding("pair_confirm", "Same passage", ("D",), "In a duplicated passage: confirm that it "
            "repeats the other copy", "Review"),
    Binding("pair_reject", "Not a duplicate", ("Shift+D",), "In a duplicated passage: reject the "
            "pair", "Review"),
    Binding("next", "&Next figure", ("J",), "Next figure (on to the next article at the end)",
            "Navigate"),
    Binding("previous", "&Previous figure", ("K",), "Previous figure", "Navigate"),
    Binding("next_arrow", "Next figure (Down)", ("Down",), "The same as J, while the text or "
            "the claims list has the focus", "Navigate", review_area=True),
    Binding("previous_arrow", "Previous figure (Up)", ("Up",), "The same as K, while the text "
            "or the claims list has the focus", "Navigate", review_area=True),
    Binding("next_unreviewed", "Next &unreviewed", ("N",), "Next unreviewed figure anywhere in "
            "the dataset, in list order (a filter narrows the list)", "Navigate"),
    Binding("next_article", "Next article", ("]",), "Open the next article of the list",
            "Navigate"),
    Binding("previous_article", "Previous article", ("[",), "Open the previous article",
            "Navigate"),
    Binding("other_copy", "Go to &other copy", ("G",), "In a duplicated passage: open the "
            "other copy", "Navigate"),
    Binding("search", "&Search all articles…", ("Ctrl+F",), "Search every article; a "
            "Simplified query finds Traditional text and the other way round", "Navigate"),
    Binding("focus_list", "Filter articles", ("Ctrl+L",), "Put the cursor in the article "
            "filter box", "Navigate"),
    Binding("script_original", "Original script", ("Ctrl+1",), "Show the text as stored",
            "View"),
    Binding("script_hans", "Simplified", ("Ctrl+2",), "Show the text in Simplified Chinese",
            "View"),
    Binding("script_hk", "Traditional (Hong Kong)", ("Ctrl+3",), "Show the text in Hong Kong "
            "Traditional Chinese", "View"),
    Binding("script_tw", "Traditional (Taiwan)", ("Ctrl+4",), "Show the text in Taiwan "
            "Traditional Chinese", "View"),
    Binding("cycle_script", "Next script", ("S",), "Cycle Original → Simplified → HK → Taiwan",
            "View"),
    Binding("open_database", "&Open database…", ("Ctrl+Alt+O",), "Open another annotator "
            "database (or make a new one) in place of this one; File > Open recent lists "
            "the last ones", "File"),
    Binding("merge", "&Merge…", ("Ctrl+Shift+M",), "Copy in another reviewer's database: "
            "every check of `annotator merge`; a reviewer not on a dataset's roster is shown "
            "with their key's fingerprint and asked about", "File"),
    Binding("import", "&Import files…", ("Ctrl+O",), "Import article files into a dataset",
            "File"),
    Binding("import_folder", "Import &folder…", ("Ctrl+Shift+O",), "Import every article file "
            "of a folder", "File"),
    Binding("export", "&Export…", ("Ctrl+E",), "Export the dataset's claims as JSONL, CSV or "
            "ClaimReview JSON-LD, by status and script; a signed-off dataset with its "
            "manifest", "File"),
    Binding("change_reviewer", "Change &reviewer…", ("Ctrl+Shift+N",), "Review under "
            "another name from now on (remembered for the next start and the command line)",
            "File"),
    Binding("quit", "&Quit", ("Ctrl+Q",),
            "Close the window (writes any decision still waiting for the lock first)", "File"),
    Binding("dataset_view", "&Dataset overview…", ("Ctrl+D",), "Progress per reviewer, "
            "agreement, open work and sign-off state of the current dataset", "Dataset"),
    Binding("conflicts_view", "&Conflicts…", ("Ctrl+Shift+C",), "Figures on which reviewers "
            "disagree: take one reviewer's decision or make the final one", "Dataset"),
    Binding("sign_off", "&Sign off…", ("Ctrl+Shift+S",), "Sign the dataset as it is now "
            "(refused while figures are unreviewed or in conflict); enough signatures lock it",
            "Dataset"),
    Binding("reopen", "&Reopen…", ("Ctrl+Shift+R",), "Unlock a signed-off dataset, with a "
            "reason; the signatures made before no longer count", "Dataset"),
    Binding("conflict_take", "Take this reviewer's decision", ("T",), "In the conflicts "
            "window: the decision under the cursor (← → moves between reviewers) becomes the "
            "final one", "Conflicts", window="conflicts"),
    Binding("conflict_confirm", "Decide: confirm", ("Shift+A",), "In the conflicts window: "
            "the final decision is the figure as extracted", "Conflicts", window="conflicts"),
    Binding("conflict_correct", "Decide: correct…", ("Shift+E",), "In the conflicts window: "
            "the final decision is a correction you type", "Conflicts", window="conflicts"),
    Binding("conflict_flag", "Decide: flag…", ("Shift+F",), "In the conflicts window: the "
            "final decision is a flag with a reason", "Conflicts", window="conflicts"),
    Binding("shortcuts", "&Keyboard shortcuts", ("F1",), "This list", "Help"),
    Binding("about", "&About annotator", ("Ctrl+F1",), "The version, the database open, its "
            "schema, and the versions of Python, Qt and OpenCC", "Help"),
)

WARNING_AGAIN_S = 4.0  # a second A within this long confirms a figure with a warning

SCRIPT_ACTIONS = {"script_original": "original", "script_hans": "hans", "script_hk": "hk",
                  "script_tw": "tw"}
SCRIPT_SHORT_LABELS = {"original": "Original", "hans": "简体", "hk": "繁體 (港)",
                       "tw": "繁體 (台)"}


def menu_path(name: str) -> str:
    """Where a command is in this window: "Dataset > Conflicts (Ctrl+Shift+C)"."""
    b = next(b for b in BINDINGS if b.name == name)
    label = b.label.replace("&", "").rstrip("…")
    return f"{b.group} > {label} ({b.keys[0]})"


# What the core's messages tell a command-line user to run, and the window's own way.
_CLI_HINTS = (
    (re.compile(r"\s*\(see: annotator conflicts[^)]*\)"),
     lambda: f"; settle them in {menu_path('conflicts_view')}"),
    (re.compile(r";? reopen it first \(annotator reopen[^)]*\)"),
     lambda: f"; reopen it first: {menu_path('reopen')}"),
    (re.compile(r"; see: annotator signoff[^)]*\)?"),
     lambda: f"; see {menu_path('sign_off')}"),
)


def _replacement(make: Callable[[], str]) -> Callable[[re.Match], str]:
    return lambda _m: make()


def in_window_terms(message: str) -> str:
    """A core message as the window says it: its menus and keys, not `annotator …`."""
    for pattern, repl in _CLI_HINTS:
        message = pattern.sub(_replacement(repl), message)
    return message


def locked_text(dataset: str | None) -> str:
    return (f"{dataset!r} is signed off and locked; reopen it first: "
            f"{menu_path('reopen')}")


def settlement_in_force(events: list[Event]) -> Event | None:
    """The adjudication event that decides a figure now, else None.

    As the core derives a figure's state (annotator.storage.reviews.derive): the latest
    adjudication not undone settles the figure until a reviewer decides on it again.
    """
    by_id = {e.id: e for e in events}

    def origin(e):
        seen = {e.id}
        while e.action in ("undo", "redo") and e.ref in by_id and e.ref not in seen:
            e = by_id[e.ref]
            seen.add(e.id)
        return e

    adjudications: list = []
    last_at: dict[str, str] = {}
    for e in events:
        o = origin(e)
        if o.action == "adjudicate":
            if e.action == "undo":
                adjudications = [a for a in adjudications if origin(a).id != o.id]
            else:
                adjudications.append(e)
        elif e.new_state is not None:
            last_at[e.reviewer] = e.at
    if not adjudications:
        return None
    latest = adjudications[-1]
    if not (latest.new_state or {}).get("status") or \
            any(at > latest.at for at in last_at.values()):
        return None
    return latest


def keyboard_markdown() -> str:
    """The shortcut table of docs/keyboard.md."""
    lines = []
    for group in dict.fromkeys(b.group for b in BINDINGS):
        lines += [f"### {group}", "", "| Keys | Command | What it does |", "|---|---|---|"]
        for b in (b for b in BINDINGS if b.group == group):
            keys = " / ".join(f"`{k}`" for k in b.keys)
            lines.append(f"| {keys} | {b.label.replace('&', '').rstrip('…')} | {b.help} |")
        lines.append("")
    return "\n".join(lines)


class ReviewActions(QObject):
    """The QActions, and the review, navigation, script and duplicate commands."""

    def __init__(self, session, dialogs, parent_widget, review_area=None, *, writer: Writer):
        super().__init__(parent_widget)
        self.session, self.dialogs, self.parent_widget = session, dialogs, parent_widget
        self.writer = writer
        self.clock: Callable[[], float] = time.monotonic
        self._armed: tuple[str, float] | None = None  # (target, when) of a warned first A
        self.actions: dict[str, QAction] = {}
        for b in BINDINGS:
            self.actions[b.name] = self._make(b, review_area)
        self._scripts = QActionGroup(self)
        for name, script in SCRIPT_ACTIONS.items():
            action = self.actions[name]
            action.setCheckable(True)
            action.setIconText(SCRIPT_SHORT_LABELS[script])
            action.setChecked(script == session.script)
            self._scripts.addAction(action)
        self._connect()
        session.scriptChanged.connect(self._script_shown)
        session.currentChanged.connect(self.refresh_enabled)
        self.history = History(session, writer, self.actions["undo"], self.actions["redo"], self)
        self.refresh_enabled()

    def _make(self, b: Binding, review_area) -> QAction:
        owner = review_area if b.review_area and review_area is not None else self.parent_widget
        action = QAction(b.label, owner)
        action.setObjectName(f"action_{b.name}")
        action.setShortcuts([QKeySequence(k) for k in b.keys])
        action.setToolTip(f"{b.help} ({', '.join(b.keys)})")
        action.setStatusTip(b.help)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut
                                  if b.review_area else Qt.ShortcutContext.WindowShortcut)
        if b.window == "main":  # the others become live where their window adds them
            owner.addAction(action)
        return action

    def _connect(self) -> None:
        handlers: dict[str, Callable[[], object]] = {
            "confirm": self.confirm_pressed, "confirm_enter": self.confirm_pressed,
            "correct": self.correct,
            "flag": self.flag, "undo": lambda: self._batched(self.history.undo),
            "redo": lambda: self._batched(self.history.redo),
            "pair_confirm": lambda: self.review_pair("confirm"),
            "pair_reject": lambda: self.review_pair("reject"),
            "next": self.session.next_figure, "next_arrow": self.session.next_figure,
            "previous": self.session.previous_figure,
            "previous_arrow": self.session.previous_figure,
            "next_unreviewed": self.session.next_unreviewed,
            "skip": self.skip,
            "next_article": lambda: self._step_article(+1),
            "previous_article": lambda: self._step_article(-1),
            "other_copy": self.open_other_copy, "cycle_script": self.cycle_script,
        }
        for name, script in SCRIPT_ACTIONS.items():
            handlers[name] = partial(self.session.set_script, script)
        for name, fn in handlers.items():
            self.connect_action(name, fn)

    def _batched(self, fn: Callable[[], object]) -> None:
        """Undo and redo show the change and then move to it: drawn once (session.batch)."""
        with self.session.batch():
            fn()

    def connect_action(self, name: str, fn: Callable[[], object]) -> None:
        self.actions[name].triggered.connect(lambda _checked=False: fn())

    # --- decisions ------------------------------------------------------------------

    def _target(self) -> tuple[str, str] | None:
        """(id, description) of what a decision applies to: the figure, else the claim."""
        s = self.session
        fig = s.current_figure()
        if fig is not None:
            return fig.id, f"figure “{fig.text}”"
        claim = s.current_claim()
        if claim is not None:
            return claim.id, f"all {len(claim.figures)} figure(s) of the claim"
        s.message.emit("No figure selected")
        return None

    def _push(self, label: str, perform, target: str | None = None) -> bool:
        """Write a decision (`perform(db)` returns the service's Changes). True when it is
        written, or kept to be written once another program's lock lets go."""
        outcome = self.writer.write(label, perform, target=target)
        return outcome is not Outcome.REFUSED

    def push(self, label: str, perform: Callable[[object], object]) -> bool:
        """Record a decision made elsewhere (the conflicts window) as one undoable step:
        one service call is one batch of events, which the core undoes as one."""
        return self._push(label, perform)

    def refused(self, target_id: str) -> bool:
        """Say why a decision on a signed-off dataset is refused before asking for it."""
        s = self.session
        if s.locked:  # known without a query: the open dataset is locked
            s.message.emit(locked_text(s.dataset))
            return True
        try:
            check_unlocked(s.db, review_service.figure_ids_of(s.db, target_id))
        except ReviewError as e:
            s.message.emit(in_window_terms(str(e)))
            return True
        return False

    # --- guards: a settlement, a warning ------------------------------------------------

    def _figures_of(self, target_id: str) -> list[browse.FigureView]:
        s = self.session
        fig = s.current_figure()
        if fig is not None and fig.id == target_id:
            return [fig]
        claim = s.current_claim()
        return list(claim.figures) if claim is not None and claim.id == target_id else []

    def _settled(self, figures: list[browse.FigureView]) -> list[tuple[browse.FigureView,
                                                                        Event]]:
        """The figures whose state is a lead's settlement (an adjudication in force)."""
        out = []
        for f in figures:
            settlement = settlement_in_force(history_service.history(self.session.db, f.id))
            if settlement is not None:
                out.append((f, settlement))
        return out

    def settlement_allowed(self, target_id: str, verb: str) -> bool:
        """A decision on a figure a lead settled replaces the settlement (and a conflict
        the lead settled comes back): asked first, never done silently."""
        settled = self._settled(self._figures_of(target_id))
        if not settled:
            return True
        f, ev = settled[0]
        state = ev.new_state or {}
        how = {"confirmed": "confirmed as extracted", "corrected": "corrected",
               "flagged": "flagged"}.get(str(state.get("status")), "decided")
        which = (f"“{f.text}”" if len(settled) == 1 else
                 f"{len(settled)} figures of this claim (“{f.text}” …)")
        text = (f"{ev.reviewer} settled {which} ({how}, {ev.at[:16].replace('T', ' ')} UTC)."
                f"\n\nYour {verb} replaces that final decision: the figure goes back to the "
                "reviewers' own decisions, and is in conflict again if they disagree.")
        if self.dialogs.confirm(self.parent_widget, "Override a settled figure", text,
                                f"{verb.capitalize()} anyway"):
            return True
        self.session.message.emit(f"Kept {ev.reviewer}'s final decision on {which}")
        return False

    def _warning_allowed(self, target_id: str) -> bool:
        """A figure with a warning (135 %, 202410月) is confirmed only by a second A on it
        within WARNING_AGAIN_S: the first says why; E and F stay one key away."""
        warned = [f for f in self._figures_of(target_id)
                  if f.warnings and f.status != "confirmed"]
        if not warned:
            self._armed = None
            return True
        now = self.clock()
        armed, self._armed = self._armed, None
        if armed is not None and armed[0] == target_id and now - armed[1] <= WARNING_AGAIN_S:
            return True
        self._armed = (target_id, now)
        if len(warned) == 1 and warned[0].id == target_id:
            first = "This figure has a warning"
        else:
            first = f"{len(warned)} figure(s) of this claim have a warning"
        self.session.message.emit(f"{first}: press A again to confirm anyway "
                                  "(E corrects, F flags)")
        return False

    def _decide(self, action: str, **fields) -> bool:
        target = self._target()
        if target is None:
            return False
        tid, what = target
        s = self.session
        reviewer = s.reviewer
        return self._push(f"{action} {what}", lambda db: review_service.review(
            db, reviewer=reviewer, target_id=tid, action=action, **fields), target=tid)

    def _decide_and_move(self, action: str, **fields) -> bool:
        """A decision made is a figure done: go on to the next one still to review."""
        with self.session.batch():
            if self._decide(action, **fields):
                self.session.next_unreviewed()
                return True
        return False

    def confirm(self) -> bool:
        """Confirm what is under the cursor and move on (what A does after its checks)."""
        return self._decide_and_move("confirm")

    def confirm_pressed(self) -> bool:
        """A or Enter: a locked dataset refuses, a lead's settlement is asked about, and a
        figure with a warning waits for a second A (see _warning_allowed)."""
        target = self._target()
        if target is None or self.refused(target[0]):
            self._armed = None
            return False
        tid = target[0]
        if self._settled(self._figures_of(tid)):
            self._armed = None
            if not self.settlement_allowed(tid, "confirm"):
                return False
        elif not self._warning_allowed(tid):
            return False
        return self.confirm()

    def correct(self) -> bool:
        fig = self.session.current_figure()
        if fig is None:
            self.session.message.emit("Select one figure to correct (J / K)")
            return False
        if self.refused(fig.id) or not self.settlement_allowed(fig.id, "correction"):
            return False
        shown = self.session.shown
        a, b = shown.span_to_display(fig.start, fig.end) if shown else (fig.start, fig.end)
        surface = shown.text[a:b] if shown else fig.text
        values = self.dialogs.correct(self.parent_widget, fig, surface)
        if values is None:
            return False
        return self._decide_and_move("correct", **values)

    def flag(self) -> bool:
        target = self._target()
        if target is None or self.refused(target[0]) \
                or not self.settlement_allowed(target[0], "flag"):
            return False
        answer = self.dialogs.flag(self.parent_widget, target[1])
        if answer is None:
            return False
        reason, note = answer
        return self._decide_and_move("flag", reason=reason, note=note)

    def skip(self) -> bool:
        """Space: on to the next figure still to review, this one left as it is (the
        way Prodigy's ignore moves on; nothing is written, so nothing to undo)."""
        s = self.session
        if s.current_figure() is None and s.current_claim() is None:
            s.message.emit("No figure selected")
            return False
        self._armed = None
        return s.next_unreviewed()

    # --- duplicates -----------------------------------------------------------------

    def review_pair(self, verdict: str) -> bool:
        s = self.session
        if s.pair is None:
            s.message.emit("The cursor is not in a duplicated passage")
            return False
        pair_id = s.pair[0]["pair_id"]
        label = "same passage" if verdict == "confirm" else "not a duplicate"
        reviewer = s.reviewer
        return self._push(label, lambda db: pairs.review_pair(
            db, reviewer=reviewer, pair_id=pair_id, action=verdict))

    def open_other_copy(self) -> bool:
        s = self.session
        if s.pair is None:
            s.message.emit("The cursor is not in a duplicated passage")
            return False
        other = s.pair[1]
        if s.article is None or other["article_id"] != s.article.id:
            if not s.open_article(other["article_id"]):
                return False
        s.select_at(s.shown.span_to_display(other["start"], other["end"])[0] if s.shown else 0)
        return True

    # --- view -------------------------------------------------------------------------

    def cycle_script(self) -> None:
        scripts = browse.DISPLAY_SCRIPTS
        i = scripts.index(self.session.script)
        self.session.set_script(scripts[(i + 1) % len(scripts)])

    def _script_shown(self, script: str) -> None:
        for name, s in SCRIPT_ACTIONS.items():
            if s == script:
                self.actions[name].setChecked(True)

    def _step_article(self, direction: int) -> None:
        s = self.session
        row = s.articles.row_of(s.article.id) if s.article else None
        target = 0 if row is None else row + direction
        if s.articles.id_at(target):
            s.open_row(target)

    def refresh_enabled(self) -> None:
        in_pair = self.session.pair is not None
        for name in ("pair_confirm", "pair_reject", "other_copy"):
            self.actions[name].setEnabled(in_pair)
