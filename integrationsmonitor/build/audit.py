"""Protection levels: the interval each hidden cell can take given everything a reader knows (as τ-ARGUS).

Linear secondary suppression only proves that no hidden cell is a *linear function* of published figures. A
reader knows more: the methodology says a "·" is never 0 (zeros are shown as 0), and counts are whole numbers.
Published zeros, small totals and flows then bound the hidden cells, often to one value (five hidden age groups
under a published total of 5 are 1 each). This module computes, by linear programming (HiGHS through
``scipy.optimize.linprog``; exact integer bounds with ``milp`` where an LP optimum is fractional), the interval
``[lo, hi]`` of every hidden cell over all tables that agree with everything published:

* every published figure, every exact relation between figures (see ``suppression``),
* every hidden cell is an integer ≥ 1 (no upper bound: the reader cannot tell a small count from a complementary
  cell),

and requires ``hi − lo ≥ range`` with ``range = max(IMH_SCHUTZBEREICH, threshold)`` persons. Because the range is
at least the threshold, no hidden cell can be shown to be a small count (``hi ≥ lo + threshold``), so the
published rule "· = weniger als 3 Fälle" cannot be applied to any single cell either. A reader who could tell
which "·" are small counts would pin every hidden total of two hidden ones (1 + 1 = 2) — no suppression can
prevent that, which is why the rule is stated for the reader above.

``protect`` hides further published cells (the nearest published non-zero cell of a relation of an exposed cell,
fewest new gaps first) until no hidden cell is exposed. Zero cells are never hidden, so "· is never 0" stays
true. Cells a frozen edition published (``Table.known``) count as published.

Speed: the hidden cells fall apart into small components (cells linked by a relation). Components are solved side
by side in one block-diagonal LP per step, and cached by their hidden cells. Every integral LP solution is a
feasible table for the reader and so a *witness*: a cell whose witnessed values already span the range needs no
LP of its own.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import block_diag, csr_array

Key = Hashable
Relation = Sequence[tuple[Key, int]]
INTEGRAL_TOL = 1e-6
#: counters of the last ``protect`` run (rounds, LP/MILP solves, seconds): read by bench/ and the build report
LAST_RUN: dict[str, float] = {}
CAP = 10**7  # upper bound for hidden cells (persons): keeps every LP bounded; far above any count here


def method_text(threshold: int, protection_range: int) -> str:
    """The published rule for the methodology page (values from the build manifest)."""
    return (
        f"**Schutz gegen Eingrenzen.** Ein „·“ ist nie 0 und immer eine ganze Zahl. Auch wer alle veröffentlichten "
        "Zahlen zusammennimmt – Stadt = Summe der Stadtbezirke, Staatsangehörigkeiten = insgesamt, RO + BG, "
        "Alters- und Geschlechtersummen, Bestand − Vorjahr = Zuzüge − Fortzüge, dazu jeder eingefrorene "
        "Berichtsstand –, kann keine verborgene Zahl genauer eingrenzen als auf einen Bereich von "
        f"**{protection_range} Personen** (Schutzbereich; z. B. „zwischen 1 und {1 + protection_range}“). Weil der "
        f"Schutzbereich mindestens die Schwelle {threshold} ist, lässt sich auch nicht erkennen, welches „·“ eine "
        "kleine Fallzahl ist. Jeder Build prüft das mit linearer Optimierung (Intervall jeder verborgenen Zahl) und "
        "verbirgt weitere Zahlen, bis es gilt; eine einmal in einem Berichtsstand verborgene Zahl bleibt verborgen."
    )


@dataclass(frozen=True)
class Rule:
    """What a hidden cell must withstand: an interval at least ``range_`` persons wide."""

    threshold: int
    range_: int

    @classmethod
    def of(cls, threshold: int, protection_range: int) -> Rule:
        return cls(threshold, max(protection_range, threshold))


@dataclass(frozen=True)
class Exposure:
    """A hidden cell that fails the rule, with the interval a reader can narrow it to."""

    key: Key
    value: float
    interval: tuple[float, float]
    binding: frozenset[int] = frozenset()  # relations (indices) that bound the interval in the LP


@dataclass
class Table:
    """Values, exact relations and the cells a reader knows anyway (published in a frozen edition)."""

    values: dict[Key, float]
    relations: list[Relation]
    known: set[Key] = field(default_factory=set)
    by_cell: dict[Key, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_cell = defaultdict(list)
        for i, rel in enumerate(self.relations):
            for key, _ in rel:
                self.by_cell[key].append(i)


# ----------------------------------------------------------------------------- one component
@dataclass
class _Component:
    cells: list[Key]
    a_eq: csr_array
    b_eq: np.ndarray
    true: np.ndarray
    relation_ids: list[int]  # row → index in Table.relations


def _component(table: Table, cells: list[Key]) -> _Component:
    index = {k: j for j, k in enumerate(cells)}
    rows, cols, data, rhs, ids = [], [], [], [], []
    seen: set[int] = set()
    for k in cells:
        for i in table.by_cell[k]:
            if i in seen:
                continue
            seen.add(i)
            r = len(rhs)
            const = 0.0
            for key, coef in table.relations[i]:
                if key in index:
                    rows.append(r)
                    cols.append(index[key])
                    data.append(float(coef))
                else:
                    const += coef * table.values[key]
            rhs.append(-const)
            ids.append(i)
    a_eq = csr_array((data, (rows, cols)), shape=(len(rhs), len(cells)))
    true = np.array([float(table.values[k]) for k in cells])
    return _Component(cells, a_eq, np.array(rhs), true, ids)


@dataclass
class _Batch:
    """Many components side by side (block-diagonal): one LP optimises several components at once, because the
    objective is separable and the blocks share no variable. Integral LP solutions are witnesses: feasible
    tables for the reader, so every cell's value in them is a value the reader cannot exclude."""

    blocks: list[_Component]
    upper: np.ndarray
    offsets: np.ndarray = field(init=False)
    low_seen: np.ndarray = field(init=False)
    high_seen: np.ndarray = field(init=False)
    solves: int = 0
    binding: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # cell → relations

    def __post_init__(self) -> None:
        sizes = [len(b.cells) for b in self.blocks]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        true = np.concatenate([b.true for b in self.blocks])
        self.low_seen, self.high_seen = true.copy(), true.copy()

    def span(self, b: int) -> slice:
        return slice(int(self.offsets[b]), int(self.offsets[b + 1]))

    def solve(self, objectives: dict[int, np.ndarray], probed: dict[int, int] | None = None) -> dict[int, np.ndarray]:
        """Optimal integer cell values of each block in ``objectives`` (block → objective over its cells).

        ``probed``: block → the cell optimised; the relations with a non-zero dual value bound it (kept in
        ``binding``: hiding a published cell of such a relation widens the interval)."""
        order = sorted(objectives)
        self.solves += 1
        LAST_RUN["solves"] = LAST_RUN.get("solves", 0) + 1
        upper = np.concatenate([self.upper[self.span(b)] for b in order])
        res = linprog(np.concatenate([objectives[b] for b in order]),
                      A_eq=block_diag([self.blocks[b].a_eq for b in order], format="csr"),
                      b_eq=np.concatenate([self.blocks[b].b_eq for b in order]),
                      bounds=np.column_stack([np.ones(len(upper)), upper]), method="highs")
        if res.status != 0:  # the true table is feasible, so only numerical trouble lands here
            raise RuntimeError(f"Geheimhaltungsprüfung: LP ohne Lösung ({res.message})")
        out, start, row = {}, 0, 0
        duals = res.eqlin.marginals
        for b in order:
            n = len(self.blocks[b].cells)
            m = len(self.blocks[b].relation_ids)
            if probed and b in probed:
                self.binding[probed[b]] |= {self.blocks[b].relation_ids[r] for r in
                                            np.nonzero(np.abs(duals[row:row + m]) > INTEGRAL_TOL)[0]}
            row += m
            part = res.x[start:start + n]
            start += n
            if np.all(np.abs(part - np.round(part)) < INTEGRAL_TOL):
                part = np.round(part)
            else:  # fractional vertex: the exact integer optimum of this block
                part = self._milp(b, objectives[b])
            span = self.span(b)
            self.low_seen[span] = np.minimum(self.low_seen[span], part)
            self.high_seen[span] = np.maximum(self.high_seen[span], part)
            out[b] = part
        return out

    def _milp(self, b: int, objective: np.ndarray) -> np.ndarray:
        block = self.blocks[b]
        n = len(block.cells)
        res = milp(objective, constraints=LinearConstraint(block.a_eq, block.b_eq, block.b_eq),
                   integrality=np.ones(n), bounds=Bounds(np.ones(n), self.upper[self.span(b)]))
        if res.status != 0:
            raise RuntimeError(f"Geheimhaltungsprüfung: MILP ohne Lösung ({res.message})")
        self.solves += 1
        return np.round(res.x)


def _sweep(batch: _Batch, active: list[int]) -> None:
    """Two LPs for all blocks: every cell as high and as low as possible together (many witnesses at once)."""
    if active:
        for sense in (-1.0, 1.0):
            batch.solve({b: np.full(len(batch.blocks[b].cells), sense) for b in active})


def _probe(batch: _Batch, tasks: dict[int, list[tuple[int, int]]]) -> dict[int, tuple[int, int, float]]:
    """One LP: for each block its next task (global cell index, sense: 1 = min, −1 = max), with the optimum."""
    objectives, chosen = {}, {}
    for b, queue in tasks.items():
        j, sense = queue[0]
        objective = np.zeros(len(batch.blocks[b].cells))
        objective[j - batch.offsets[b]] = sense
        objectives[b] = objective
        chosen[b] = (j, sense)
    x = batch.solve(objectives, {b: j for b, (j, _) in chosen.items()})
    return {b: (j, sense, float(x[b][j - batch.offsets[b]])) for b, (j, sense) in chosen.items()}


def _narrow_blocks(batch: _Batch, active: list[int], true: np.ndarray, width: int,
                   stop_early: bool) -> dict[int, set[int]]:
    """Cells (global index) whose interval is narrower than ``width``: max first, then min, per cell."""
    narrow: dict[int, set[int]] = {b: set() for b in active}
    tasks = {b: [(j, s) for j in _order(batch, b, true) for s in (-1, 1)
                 if batch.high_seen[j] - batch.low_seen[j] < width] for b in active}
    bounds: dict[int, float] = {}
    while any(tasks.values()):
        answers = _probe(batch, {b: q for b, q in tasks.items() if q})
        for b, (j, sense, value) in answers.items():
            tasks[b].pop(0)
            if sense == 1:
                if bounds[j] - value < width:
                    narrow[b].add(j)
                    if stop_early:
                        tasks[b] = []
            else:
                bounds[j] = value
            tasks[b] = [t for t in tasks[b] if batch.high_seen[t[0]] - batch.low_seen[t[0]] < width]
    return narrow


def _order(batch: _Batch, b: int, true: np.ndarray) -> list[int]:
    """Cells of block b, smallest true value first (small counts are the likeliest to be exposed)."""
    span = batch.span(b)
    return sorted(range(span.start, span.stop), key=lambda j: (true[j], j))


@dataclass
class Witnesses:
    """The smallest and largest value of each hidden cell seen in a feasible table so far.

    Hiding one more cell only enlarges the set of tables a reader has to consider (the old tables stay
    feasible, with the new cell at its true value), so witnessed values and cells found wide enough stay valid
    while ``protect`` hides more."""

    low: dict[Key, float] = field(default_factory=dict)
    high: dict[Key, float] = field(default_factory=dict)
    wide: set[Key] = field(default_factory=set)


def _audit_blocks(blocks: list[_Component], rule: Rule, seen: Witnesses,
                  stop_early: bool = False) -> list[list[Exposure]]:
    """Exposed cells of every block: intervals narrower than the protection range."""
    if not blocks:
        return []
    cap = max(CAP, 2 * max(float(b.true.max(initial=0)) for b in blocks))
    batch = _Batch(blocks, np.full(int(sum(len(b.cells) for b in blocks)), float(cap)))
    true = batch.low_seen.copy()
    cells = [k for block in blocks for k in block.cells]
    batch.low_seen = np.array([min(seen.low.get(k, t), t) for k, t in zip(cells, true, strict=True)])
    batch.high_seen = np.array([max(seen.high.get(k, t), t) for k, t in zip(cells, true, strict=True)])
    open_ = [b for b, block in enumerate(blocks)
             if block.a_eq.shape[0] and any(k not in seen.wide for k in block.cells)]  # a cell in no relation is free
    _sweep(batch, [b for b in open_ if len(blocks[b].cells) > 1])
    narrow = _narrow_blocks(batch, open_, true, rule.range_, stop_early)
    result = []
    for b, block in enumerate(blocks):
        for j, k in enumerate(block.cells, start=int(batch.offsets[b])):
            seen.low[k], seen.high[k] = float(batch.low_seen[j]), float(batch.high_seen[j])
            if batch.high_seen[j] - batch.low_seen[j] >= rule.range_:
                seen.wide.add(k)
        bad = sorted(narrow.get(b, ()), key=lambda j: (true[j], j))
        result.append([Exposure(block.cells[j - batch.offsets[b]], float(true[j]),
                                (float(batch.low_seen[j]), float(batch.high_seen[j])),
                                frozenset(batch.binding.get(j, ()))) for j in bad])
    return result


# ----------------------------------------------------------------------------- whole table
@dataclass
class Auditor:
    """Audits the hidden cells of a table against a rule, component by component (cells linked by a relation).

    Components are kept in a union-find structure: hiding more cells only merges components, and only the
    components that changed are audited again (side by side, in one batch)."""

    table: Table
    rule: Rule
    stop_early: bool = False  # protect only needs one exposed cell per component
    seen: Witnesses = field(default_factory=Witnesses)
    parent: dict[Key, Key] = field(default_factory=dict)
    members: dict[Key, list[Key]] = field(default_factory=dict)
    results: dict[Key, list[Exposure]] = field(default_factory=dict)
    dirty: set[Key] = field(default_factory=set)

    def add(self, cells: Iterable[Key]) -> None:
        """Hide ``cells`` (cells known from a frozen edition count as published)."""
        for k in sorted(set(cells), key=repr):
            if k in self.parent or k in self.table.known:
                continue
            self.parent[k], self.members[k] = k, [k]
            self.dirty.add(k)
            for i in self.table.by_cell[k]:
                for other, _ in self.table.relations[i]:
                    if other in self.parent:
                        self._union(k, other)

    def _find(self, k: Key) -> Key:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def _union(self, a: Key, b: Key) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.results.pop(rb, None)
        self.dirty.discard(rb)
        self.dirty.add(ra)

    def exposures(self) -> list[list[Exposure]]:
        """Exposed cells per component (components without exposed cells left out)."""
        todo = sorted((r for r in self.dirty if r in self.members), key=repr)
        blocks = [_component(self.table, sorted(self.members[r], key=repr)) for r in todo]
        for root, exposed in zip(todo, _audit_blocks(blocks, self.rule, self.seen, self.stop_early), strict=True):
            self.results[root] = exposed
        self.dirty.clear()
        return [e for e in self.results.values() if e]


def audit(table: Table, hidden: Iterable[Key], rule: Rule) -> list[Exposure]:
    """Every hidden cell that a reader can narrow below the protection range."""
    auditor = Auditor(table, rule)
    auditor.add(hidden)
    return [e for group in auditor.exposures() for e in group]


def protect(table: Table, hidden: Iterable[Key], rule: Rule,
            rank: Callable[[Key], tuple] | None = None, keep: Callable[[Key], bool] | None = None,
            max_rounds: int = 500) -> tuple[set[Key], list[Exposure]]:
    """Hide more cells until the audit passes; returns the hidden cells and what could not be protected."""
    rank = rank or (lambda k: (0,))
    keep = keep or (lambda k: False)
    LAST_RUN.clear()
    started = time.perf_counter()
    hidden = _slack_pass(table, set(hidden), rule, rank, keep)
    LAST_RUN["slack_cells"] = len(hidden)
    auditor = Auditor(table, rule, stop_early=True)
    auditor.add(hidden)
    groups = auditor.exposures()
    for n in range(max_rounds):
        LAST_RUN["rounds"], LAST_RUN["seconds"] = n + 1, time.perf_counter() - started
        if not groups:
            return hidden, []
        # one more cell per exposed component and round: the narrowest cell's complement
        narrowest = [min(g, key=_width) for g in groups]
        added = {_complement(table, hidden, e.key, e.binding, rank, keep) for e in narrowest} - {None}
        if not added:
            break
        hidden |= added
        auditor.add(added)
        groups = auditor.exposures()
    return hidden, [e for g in groups for e in g]


def _slack_pass(table: Table, hidden: set[Key], rule: Rule, rank: Callable[[Key], tuple],
                keep: Callable[[Key], bool]) -> set[Key]:
    """Cheap first round without LP: a relation whose hidden cells are all parts (same sign) bounds each of them
    by the published remainder; while that leaves less room than the range, hide one more cell of it."""
    changed = True
    while changed:
        changed = False
        for rel in table.relations:
            room = _room(table, rel, hidden)
            if room is None or room >= rule.range_:
                continue
            best = _relation_complement(table, hidden, rel, rule.range_ - room, rank, keep)
            if best is not None:
                hidden.add(best)
                changed = True
    return hidden


def _room(table: Table, rel: Relation, hidden: set[Key]) -> float | None:
    """Width left to each hidden cell of ``rel`` if they all carry the same sign (each is ≥ 1); else None."""
    inside = [(k, c) for k, c in rel if k in hidden and k not in table.known]
    if not inside or len({c > 0 for _, c in inside}) != 1:
        return None
    sign = 1 if inside[0][1] > 0 else -1
    rest = -sign * sum(c * table.values[k] for k, c in rel if not (k in hidden and k not in table.known))
    return rest - sum(abs(c) for _, c in inside)


def _relation_complement(table: Table, hidden: set[Key], rel: Relation, deficit: float,
                         rank: Callable[[Key], tuple], keep: Callable[[Key], bool]) -> Key | None:
    """A published non-zero cell of ``rel`` that gives the relation enough room (a total, or a large part)."""
    signs = {c > 0 for k, c in rel if k in hidden}
    candidates = [(k, c) for k, c in rel if k not in hidden and k not in table.known and table.values[k] != 0]
    if not candidates:
        return None

    def order(kc: tuple[Key, int]) -> tuple:
        k, c = kc
        enough = (c > 0) not in signs or abs(c) * table.values[k] - 1 >= deficit
        return (keep(k), not enough, _cost(table, hidden, k), rank(k), table.values[k], repr(k))

    return min(candidates, key=order)[0]


def _cost(table: Table, hidden: set[Key], k: Key) -> int:
    """Relations of ``k`` without a hidden cell yet: each becomes a new gap to protect."""
    return sum(1 for i in table.by_cell[k] if not any(m in hidden for m, _ in table.relations[i]))


def _width(e: Exposure) -> tuple:
    return (e.interval[1] - e.interval[0], repr(e.key))


def _complement(table: Table, hidden: set[Key], cell: Key, binding: frozenset[int], rank: Callable[[Key], tuple],
                keep: Callable[[Key], bool]) -> Key | None:
    """The published non-zero cell to hide next to ``cell``: in a relation that bounds it (LP duals) if there
    is one, else the nearest relation; fewest new gaps first."""
    bounding = [k for i in binding for k, _ in table.relations[i]
                if k not in hidden and k not in table.known and table.values[k] != 0]
    if bounding:
        return min(bounding, key=lambda k: (keep(k), _cost(table, hidden, k), rank(k), table.values[k], repr(k)))
    frontier = {cell}
    for _ in range(4):
        around = {k for c in frontier for i in table.by_cell[c] for k, _ in table.relations[i]}
        candidates = [k for k in around - hidden - table.known if table.values[k] != 0]
        if candidates:
            return min(candidates, key=lambda k: (keep(k), _cost(table, hidden, k), rank(k), table.values[k], repr(k)))
        frontier = around
    return None
