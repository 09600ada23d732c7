"""Statistical confidentiality: small counts are suppressed in every view and export.

The rule (published on the methodology page):

* **Primary suppression.** A count (unit Personen or another count unit) with ``0 < value < threshold``
  (default 3: the values 1 and 2) is suppressed, and so is a rate whose numerator is in that range.
  **Zero is shown as 0**: a true zero reveals nothing about a person, and hiding zeros would make every
  table of a rare nationality unreadable. Zero cells are never hidden, so a "·" is never 0.
* **Secondary (complementary) suppression.** Wherever a *linear relation* between published figures holds
  exactly in the data, a suppressed value could be recovered by adding or subtracting. The relations
  considered are
  - districts → city: the Stadtbezirke of a city add up to the city value (same indicator, date,
    nationality, source);
  - nationality parts → totals: single nationalities add up to ``_T``, Romania + Bulgaria to ``RO+BG``
    (also across the indicators ``auslaender`` and ``eu2_bestand``);
  - consecutive periods with flows: stock(t) − stock(t−1) = Zuzüge(t) − Fortzüge(t);
  - for the population table: every margin over district, nationality (incl. "Ausländer" = all but DE and
    EU-2 = RO + BG), age group and sex.
  A relation is used only where it holds exactly — a relation that does not hold cannot be exploited
  exactly. For every group of connected relations we check, with linear algebra, whether a suppressed value
  is *determined* by the published ones (its unit vector lies in the row space of the relations restricted
  to the suppressed cells). While a value is determined, the smallest published non-zero part of one of its
  relations (parts before totals) is suppressed as well — for one district hidden under a published city
  total this is the "next-smallest district".
* **Protection against bounds (``audit``).** Not being determined is not enough: a reader knows that every
  "·" is a whole number ≥ 1, so a published 0 or a small total can still pin a hidden cell (five "·" under a
  total of 5 are 1 each). After the linear step, observations and every period's population cube are audited
  together (``joint_table``; an observation derived from the population table equals its margin): each hidden
  cell's interval, by linear programming, must be at least the protection range wide; more cells are hidden
  until it is. Cells hidden in a frozen edition stay hidden (``frozen``), values an edition showed count as
  published. The tests check this with an independent integer program.
* **Uncertain rates.** A rate whose denominator is below ``small_denominator`` (default 30) is marked
  ``uncertain`` and shown with a note.

Suppressed cells keep their row in the public views (``observation_public``, ``population_public``,
``area_population_public``) with NULL values and ``suppressed = true``; pages show "·" with a footnote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np

from integrationsmonitor.build import audit
from integrationsmonitor.config import COUNT_UNITS

COUNT_UNITS_SQL = "(" + ", ".join(f"'{u}'" for u in sorted(COUNT_UNITS)) + ")"
TOTAL = "_T"
FOREIGN = "AUS"  # population margin: all nationalities except DE
EU2 = "RO+BG"
STOCKS_WITH_FLOWS = ("auslaender", "eu2_bestand")
RATE_OF = {"eu2_anteil": ("eu2_bestand", EU2), "auslaenderanteil": ("auslaender", TOTAL)}

Key = Hashable
Relation = Sequence[tuple[Key, int]]  # sum(coefficient * value) == 0 holds exactly in the data


# ----------------------------------------------------------------------------- generic engine
def determined_cells(suppressed: Iterable[Key], relations: Iterable[Relation]) -> set[Key]:
    """Suppressed cells whose value follows from the published cells and the relations (linear algebra)."""
    hidden = sorted(set(suppressed), key=repr)
    index = {k: i for i, k in enumerate(hidden)}
    rows = []
    for rel in relations:
        row = np.zeros(len(hidden))
        for key, coef in rel:
            if key in index:
                row[index[key]] += coef
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    reduced, pivots = _rref(np.array(rows))
    free_columns = [j for j in range(len(hidden)) if j not in pivots]
    free = np.ones(len(hidden), dtype=bool)
    for row, col in enumerate(pivots):
        # a pivot cell is fixed unless its row also involves a free (undetermined) cell
        free[col] = bool(free_columns) and bool(np.any(np.abs(reduced[row, free_columns]) > 1e-9))
    return {k for k, i in index.items() if not free[i]}


def _rref(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form by Gauss-Jordan elimination (elementwise numpy: no BLAS threads)."""
    m = matrix.astype(float).copy()
    pivots: list[int] = []
    row = 0
    for col in range(m.shape[1]):
        if row >= m.shape[0]:
            break
        best = row + int(np.argmax(np.abs(m[row:, col])))
        if abs(m[best, col]) < 1e-9:
            continue
        m[[row, best]] = m[[best, row]]
        m[row] = m[row] / m[row, col]
        factors = m[:, col].copy()
        factors[row] = 0.0
        nz = np.nonzero(np.abs(factors) > 1e-12)[0]
        if nz.size:
            m[nz] -= np.outer(factors[nz], m[row])
        pivots.append(col)
        row += 1
    return m[:row], pivots


def protect(values: dict[Key, float], primary: Iterable[Key], relations: list[Relation],
            rank: Callable[[Key], tuple] | None = None,
            keep: Callable[[Key], bool] | None = None) -> set[Key]:
    """Primary suppression plus complementary cells until no suppressed value is determined.

    ``rank`` orders candidate complementary cells (smaller first); by default parts before totals is not
    known, so the smallest value wins. Cells with value 0 are chosen only when nothing else is left, and cells
    for which ``keep`` is true (the figures readers look for first, e.g. city-wide ones) only when no other
    candidate is left — even if hiding them would open fewer new gaps.
    """
    rank = rank or (lambda k: (0,))
    keep = keep or (lambda k: False)
    suppressed = {k for k in primary if k in values}
    by_cell: dict[Key, list[int]] = defaultdict(list)
    for i, rel in enumerate(relations):
        for key, _ in rel:
            by_cell[key].append(i)
    for component in _components(relations, by_cell):
        comp_cells = {k for i in component for k, _ in relations[i]}
        comp_rel = [relations[i] for i in component]
        hidden = suppressed & comp_cells
        while hidden:
            exposed = _single_hidden(hidden, comp_rel) or determined_cells(hidden, comp_rel)
            if not exposed:
                break
            added = False
            for cell in sorted(exposed, key=repr):
                candidates: set[Key] = set()
                frontier = {cell}
                for _ in range(4):  # nearest published cells first: same relation, then one relation further
                    around = {k for c in frontier for i in by_cell[c] for k, _ in relations[i]}
                    candidates = {k for k in around - hidden if values[k] != 0}  # "·" is never 0
                    if candidates:
                        break
                    frontier = around
                if not candidates:
                    continue
                # a candidate whose other relations already hold a hidden cell opens no new gap (cost 0)
                def cost(k: Key, hidden: set[Key] = hidden) -> int:
                    return sum(1 for i in by_cell[k] if not any(m in hidden for m, _ in relations[i]))

                best = min(candidates, key=lambda k: (keep(k), cost(k), rank(k), values[k], repr(k)))
                hidden.add(best)
                added = True
            if not added:
                break
        suppressed |= hidden
    return suppressed


def _single_hidden(hidden: set[Key], relations: list[Relation]) -> set[Key]:
    """Cheap first test: the only hidden cell of a relation is always determined."""
    exposed = set()
    for rel in relations:
        inside = [k for k, _ in rel if k in hidden]
        if len(inside) == 1:
            exposed.add(inside[0])
    return exposed


def _components(relations: list[Relation], by_cell: dict[Key, list[int]]) -> list[list[int]]:
    seen: set[int] = set()
    components = []
    for start in range(len(relations)):
        if start in seen:
            continue
        stack, comp = [start], []
        seen.add(start)
        while stack:
            i = stack.pop()
            comp.append(i)
            for key, _ in relations[i]:
                for j in by_cell[key]:
                    if j not in seen:
                        seen.add(j)
                        stack.append(j)
        components.append(comp)
    return components


def _exact(values: dict[Key, float], rel: Relation) -> bool:
    return abs(sum(values[k] * c for k, c in rel)) < 1e-6


# ----------------------------------------------------------------------------- observations
ObsKey = tuple  # (indicator_id, area_id, period, nationality, source)


def observation_relations(values: dict[ObsKey, float], parent_of: dict[str, str],
                          staat_codes: set[str]) -> list[Relation]:
    """All exact linear relations between count observations (see module docstring)."""
    relations: list[Relation] = []
    children: dict[tuple, list[ObsKey]] = defaultdict(list)
    parts: dict[tuple, list[ObsKey]] = defaultdict(list)
    series: dict[tuple, list[ObsKey]] = defaultdict(list)
    for key in values:
        ind, area, period, nat, src = key
        if area in parent_of:
            children[(ind, parent_of[area], period, nat, src)].append(key)
        if nat in staat_codes or nat == "XX":
            parts[(ind, area, period, src)].append(key)
        series[(ind, area, nat, src)].append(key)
    for total, members in children.items():
        if total in values and len(members) >= 1:
            relations.append([(total, -1), *((m, 1) for m in members)])
    for (ind, area, period, src), members in parts.items():
        total = (ind, area, period, TOTAL, src)
        if total in values and not any(m[3] == "DE" for m in members):
            relations.append([(total, -1), *((m, 1) for m in members)])
        for eu2_total in ((ind, area, period, EU2, src), ("eu2_bestand", area, period, EU2, src)):
            ro, bg = (ind, area, period, "RO", src), (ind, area, period, "BG", src)
            if eu2_total in values and ro in values and bg in values:
                relations.append([(eu2_total, -1), (ro, 1), (bg, 1)])
    for (ind, area, nat, src), keys in series.items():
        if ind not in STOCKS_WITH_FLOWS:
            continue
        keys = sorted(keys, key=lambda k: k[2])
        for prev, cur in zip(keys, keys[1:], strict=False):
            zu, fort = ("zuzuege", area, cur[2], nat, src), ("fortzuege", area, cur[2], nat, src)
            if zu in values and fort in values:
                relations.append([(cur, 1), (prev, -1), (zu, -1), (fort, 1)])
    return [rel for rel in relations if _exact(values, rel)]


def linear_observations(values: dict[ObsKey, float], threshold: int, parent_of: dict[str, str],
                        staat_codes: set[str], forced: Iterable[ObsKey] = ()) -> set[ObsKey]:
    """Primary + linear secondary suppression for count observations; ``forced`` cells are suppressed anyway."""
    primary = _primary(values, threshold) | set(forced)
    relations = observation_relations(values, parent_of, staat_codes)
    return protect(values, primary, relations, rank=lambda k: _observation_rank(k, parent_of))


def _observation_rank(key: ObsKey, parent_of: dict[str, str]) -> tuple:
    # parts before totals: a district or a single nationality is hidden before the city or the sum
    return (key[1] not in parent_of and key[3] in (TOTAL, EU2), )


def suppress_observations(values: dict[ObsKey, float], threshold: int, parent_of: dict[str, str],
                          staat_codes: set[str], forced: Iterable[ObsKey] = (),
                          protection_range: int | None = None) -> set[ObsKey]:
    """Linear suppression, then more cells until the interval audit passes (see ``audit``)."""
    hidden = linear_observations(values, threshold, parent_of, staat_codes, forced)
    table = audit.Table(values, observation_relations(values, parent_of, staat_codes))
    rule = audit.Rule.of(threshold, protection_range or threshold)
    hidden, _ = audit.protect(table, hidden, rule,
                              rank=lambda k: _observation_rank(k, parent_of))
    return hidden


def _primary(values: dict[Key, float], threshold: int) -> set[Key]:
    return {k for k, v in values.items() if 0 < v < threshold}


# ----------------------------------------------------------------------------- population
PopKey = tuple  # (area_id, nationality, age_group, sex) within one period


CITY_AGE_STRUCTURE = ("RO", "BG")  # nationalities whose city-wide age structure is a published margin


def population_cube(base: dict[PopKey, int], parent_of: dict[str, str]) -> tuple[dict[PopKey, int], list[Relation]]:
    """The published margins of the population table and the relations between them.

    Published are: the cells (district × nationality × age group × sex), their sums over age group and/or
    sex within a district and nationality (age pyramids), the key figures per district and city
    (residents, Germans, foreigners = all but DE, each nationality, EU-2 = RO + BG), and the city-wide age
    structure of RO and BG (sum over districts and sex; the EU-2 page shows it). Other sums of the population
    table (e.g. the city pyramid of other nationalities) are not published margins; a page that needs one adds
    it here first.
    """
    cells: dict[PopKey, int] = defaultdict(int)
    for (area, nat, age, sex), persons in base.items():
        areas = [area] + ([parent_of[area]] if area in parent_of else [])
        nats = [nat, TOTAL] + ([FOREIGN] if nat != "DE" else []) + ([EU2] if nat in ("RO", "BG") else [])
        for a in areas:
            for n in nats:
                for g in (age, TOTAL):
                    for s in (sex, TOTAL):
                        cells[(a, n, g, s)] += persons
    cells = dict(cells)
    groups: dict[tuple, list[PopKey]] = defaultdict(list)
    for key in cells:
        a, n, g, s = key
        both_total = g == TOTAL and s == TOTAL
        if a in parent_of and (both_total or (s == TOTAL and g != TOTAL and n in CITY_AGE_STRUCTURE)):
            groups[("area", parent_of[a], n, g, s)].append(key)
        if n not in (TOTAL, FOREIGN, EU2) and both_total:
            groups[("nat", a, TOTAL, g, s)].append(key)
            if n != "DE":
                groups[("nat", a, FOREIGN, g, s)].append(key)
            if n in ("RO", "BG"):
                groups[("nat", a, EU2, g, s)].append(key)
        if a in parent_of and n not in (TOTAL, FOREIGN, EU2):
            if g != TOTAL:
                groups[("age", a, n, TOTAL, s)].append(key)
            if s != TOTAL:
                groups[("sex", a, n, g, TOTAL)].append(key)
    published = set(base) | {m for members in groups.values() for m in members} | {g[1:] for g in groups}
    cells = {k: v for k, v in cells.items() if k in published}
    relations: list[Relation] = []
    for (_, *total), members in groups.items():
        total = tuple(total)
        if total in cells:
            relations.append([(tuple(total), -1), *((m, 1) for m in members)])
    return cells, relations


def linear_population(base: dict[PopKey, int], threshold: int, parent_of: dict[str, str],
                      forced: Iterable[PopKey] = ()) -> set[PopKey]:
    """Primary + linear secondary suppression of one period (base cells and margins with '_T'/'AUS'/'RO+BG')."""
    cells, relations = population_cube(base, parent_of)
    primary = _primary(cells, threshold) | set(forced)
    return protect(cells, primary, relations, rank=lambda k: _population_rank(k, parent_of),
                   keep=lambda k: k[0] not in parent_of)


def _population_rank(key: PopKey, parent_of: dict[str, str]) -> tuple:
    return (sum(c in (TOTAL, FOREIGN, EU2) for c in key[1:]) + (key[0] not in parent_of), )


def suppress_population(base: dict[PopKey, int], threshold: int, parent_of: dict[str, str],
                        forced: Iterable[PopKey] = (), protection_range: int | None = None) -> set[PopKey]:
    """Suppressed cells of one period: linear suppression, then more until the interval audit passes.

    City-wide figures are what a committee reads first: another district cell is hidden rather than a city figure.
    """
    hidden = linear_population(base, threshold, parent_of, forced)
    cells, relations = population_cube(base, parent_of)
    rule = audit.Rule.of(threshold, protection_range or threshold)
    hidden, _ = audit.protect(audit.Table(cells, relations), hidden, rule,
                              rank=lambda k: _population_rank(k, parent_of), keep=lambda k: k[0] not in parent_of)
    return hidden


# ----------------------------------------------------------------------------- build step
POP = "#bev"  # population cells in the joint audit: (POP, period, area, nationality, age group, sex)


@dataclass
class Observations:
    """Count observations (and rate numerators) by key, with their rows in ``observation``."""

    values: dict[ObsKey, float] = field(default_factory=dict)
    rowids: dict[ObsKey, list[int]] = field(default_factory=lambda: defaultdict(list))
    from_population: set[ObsKey] = field(default_factory=set)


@dataclass
class Population:
    """Population base cells per period and the source of each period."""

    base: dict[dt.date, dict[PopKey, int]] = field(default_factory=lambda: defaultdict(dict))
    source: dict[dt.date, str] = field(default_factory=dict)


@dataclass
class Frozen:
    """What frozen editions (Berichtsstände) published: cells they hid, and the values they showed."""

    hidden: set[ObsKey] = field(default_factory=set)
    published: dict[ObsKey, float] = field(default_factory=dict)


@dataclass
class Outcome:
    """Suppressed cells of a build and what the interval audit did."""

    obs_hidden: set[ObsKey]
    pop_hidden: dict[dt.date, set[PopKey]]
    linear_cells: int
    audit_cells: int
    unprotected: list[audit.Exposure]


def apply(con: duckdb.DuckDBPyConnection, threshold: int, small_denominator: int,
          protection_range: int | None = None, frozen: Frozen | None = None) -> Outcome:
    """Mark suppressed and uncertain cells in place and fill ``population_suppressed`` (called by the build).

    ``frozen``: cells hidden in an earlier frozen edition stay hidden; values a frozen edition showed count as
    known to the reader in the audit (they cannot protect anything).
    """
    frozen = frozen or Frozen()
    parent_of, staat_codes = _structure(con)
    obs = _load_observations(con)
    population = _load_population(con)
    forced = {k for k in frozen.hidden if obs.values.get(k, 0) != 0}
    obs_hidden, pop_hidden = _linear_fixed_point(obs, population, threshold, parent_of, staat_codes, forced)
    linear_cells = len(obs_hidden) + sum(len(h) for h in pop_hidden.values())
    rule = audit.Rule.of(threshold, protection_range or threshold)
    outcome = _interval_audit(obs, population, obs_hidden, pop_hidden, rule, parent_of, staat_codes, frozen)
    outcome.linear_cells = linear_cells
    _write_observation_flags(con, obs, outcome.obs_hidden, threshold, small_denominator)
    _write_population_suppressed(con, outcome.pop_hidden)
    return outcome


def _structure(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], set[str]]:
    parent_of = dict(con.execute(
        "select id, parent_id from area where level = 'stadtbezirk' and parent_id is not null").fetchall())
    staat_codes = {r[0] for r in con.execute("select code from nationality where kind = 'staat'").fetchall()}
    return parent_of, staat_codes


def _load_observations(con: duckdb.DuckDBPyConnection) -> Observations:
    rows = con.execute(
        f"""select o.rowid, o.indicator_id, o.area_id, o.period, o.nationality, o.source, o.value, o.source_file
        from observation o join indicator i on i.id = o.indicator_id
        where i.unit in {COUNT_UNITS_SQL} and o.value is not null"""  # noqa: S608 - constant list of units
    ).fetchall()
    # rates take part through their numerators (a hidden district numerator = city numerator − the others)
    rows += [(rowid, f"{ind}#zaehler", area, period, nat, src, num, source_file)
             for rowid, ind, area, period, nat, src, num, source_file in con.execute(
                 "select rowid, indicator_id, area_id, period, nationality, source, numerator, source_file "
                 "from observation where numerator is not null").fetchall()]
    obs = Observations()
    for rowid, ind, area, period, nat, src, value, source_file in rows:
        key = (ind, area, period, nat, src)
        obs.values[key] = value
        obs.rowids[key].append(rowid)
        if source_file == "population":
            obs.from_population.add(key)
    return obs


def _load_population(con: duckdb.DuckDBPyConnection) -> Population:
    population = Population()
    for area, period, nat, age, sex, persons, src in con.execute(
            "select area_id, period, nationality, age_group, sex, persons, source from population").fetchall():
        population.base[period][(area, nat, age, sex)] = persons
        population.source[period] = src
    return population


def _linear_fixed_point(obs: Observations, population: Population, threshold: int, parent_of: dict[str, str],
                        staat_codes: set[str], forced: set[ObsKey]) -> tuple[set[ObsKey], dict[dt.date, set[PopKey]]]:
    """Linear suppression of observations and population; both share margins: repeat until they agree."""
    forced_pop: dict[dt.date, set[PopKey]] = defaultdict(set)
    pop_hidden: dict[dt.date, set[PopKey]] = {}
    obs_hidden: set[ObsKey] = set()
    for _ in range(10):
        for period, base in population.base.items():
            pop_hidden[period] = linear_population(base, threshold, parent_of, forced_pop[period])
        forced_obs = forced | _observations_of_hidden_margins(obs, population, pop_hidden)
        obs_hidden = linear_observations(obs.values, threshold, parent_of, staat_codes, forced_obs)
        if not _margins_to_hide(obs, obs_hidden, pop_hidden, forced_pop):
            break
    return obs_hidden, pop_hidden


def _observations_of_hidden_margins(obs: Observations, population: Population,
                                    pop_hidden: dict[dt.date, set[PopKey]]) -> set[ObsKey]:
    return {key for period, hidden in pop_hidden.items()
            for key in _population_observation_keys(hidden, period, population.source[period])
            if key in obs.from_population}


def _margins_to_hide(obs: Observations, obs_hidden: set[ObsKey], pop_hidden: dict[dt.date, set[PopKey]],
                     forced_pop: dict[dt.date, set[PopKey]]) -> bool:
    """Add population margins whose observation is hidden to ``forced_pop``; True if any was new."""
    feedback = False
    for key in obs_hidden & obs.from_population:
        pop_key = _population_margin_key(key)
        if pop_key is not None and pop_key not in pop_hidden.get(key[2], set()):
            forced_pop[key[2]].add(pop_key)
            feedback = True
    return feedback


def joint_table(obs: Observations, population: Population, parent_of: dict[str, str], staat_codes: set[str],
                frozen: Frozen) -> audit.Table:
    """Everything a reader sees in one table: observations, every period's population cube, and the equalities
    between an observation derived from the population table and its margin."""
    values: dict[Key, float] = dict(obs.values)
    relations: list[Relation] = list(observation_relations(obs.values, parent_of, staat_codes))
    for period, base in population.base.items():
        cells, rels = population_cube(base, parent_of)
        values.update({(POP, period, *k): v for k, v in cells.items()})
        relations += [[((POP, period, *k), c) for k, c in rel] for rel in rels]
    for key in obs.from_population:
        margin = _population_margin_key(key)
        if margin is not None and (POP, key[2], *margin) in values:
            relations.append([(key, 1), ((POP, key[2], *margin), -1)])
    relations = [rel for rel in relations if _exact(values, rel)]
    known = {k for k, v in frozen.published.items() if k in values and values[k] == v}
    return audit.Table(values, relations, known)


def _interval_audit(obs: Observations, population: Population, obs_hidden: set[ObsKey],
                    pop_hidden: dict[dt.date, set[PopKey]], rule: audit.Rule, parent_of: dict[str, str],
                    staat_codes: set[str], frozen: Frozen) -> Outcome:
    """Hide more cells until no hidden cell can be pinned or narrowed (observations and population together)."""
    table = joint_table(obs, population, parent_of, staat_codes, frozen)
    hidden = set(obs_hidden) | {(POP, p, *k) for p, keys in pop_hidden.items() for k in keys}
    before = len(hidden)

    def rank(k: Key) -> tuple:
        return _population_rank(k[2:], parent_of) if k[0] == POP else _observation_rank(k, parent_of)

    hidden, unprotected = audit.protect(table, hidden, rule, rank=rank,
                                        keep=lambda k: k[0] == POP and k[2] not in parent_of)
    obs_out = {k for k in hidden if k[0] != POP}
    pop_out: dict[dt.date, set[PopKey]] = {p: set() for p in population.base}
    for k in hidden:
        if k[0] == POP:
            pop_out[k[1]].add(tuple(k[2:]))
    return Outcome(obs_out, pop_out, 0, len(hidden) - before, unprotected)


def _write_observation_flags(con: duckdb.DuckDBPyConnection, obs: Observations, obs_hidden: set[ObsKey],
                             threshold: int, small_denominator: int) -> None:
    con.execute("update observation set suppressed = false, uncertain = false")
    _update_rowids(con, [rid for key in obs_hidden for rid in obs.rowids[key]])
    # rates: numerator below the threshold, or the count they are computed from is hidden
    con.execute(
        "update observation set suppressed = true where numerator is not null and numerator > 0 and numerator < $t",
        {"t": threshold},
    )
    rate_rows = con.execute("select rowid, indicator_id, area_id, period, source from observation "
                            "where indicator_id in ('eu2_anteil', 'auslaenderanteil')").fetchall()
    _update_rowids(con, [rid for rid, ind, area, period, src in rate_rows
                         if (RATE_OF[ind][0], area, period, RATE_OF[ind][1], src) in obs_hidden])
    con.execute(
        "update observation set uncertain = true where denominator is not null and denominator < $n",
        {"n": small_denominator},
    )


def _write_population_suppressed(con: duckdb.DuckDBPyConnection, pop_hidden: dict[dt.date, set[PopKey]]) -> None:
    con.execute("create or replace table population_suppressed (area_id varchar, period date, nationality varchar,"
                " age_group varchar, sex varchar)")
    pop_rows = [(a, period, n, g, s) for period, hidden in pop_hidden.items() for (a, n, g, s) in hidden]
    if pop_rows:  # one statement with list parameters (executemany is one round trip per row)
        columns = list(zip(*pop_rows, strict=True))
        con.execute("insert into population_suppressed select unnest($a), unnest($p), unnest($n), unnest($g), "
                    "unnest($s)", {"a": list(columns[0]), "p": list(columns[1]), "n": list(columns[2]),
                                   "g": list(columns[3]), "s": list(columns[4])})


def _update_rowids(con: duckdb.DuckDBPyConnection, rowids: list[int]) -> None:
    if not rowids:
        return
    con.execute("create or replace temp table _hide as select unnest($ids::bigint[]) as rid", {"ids": rowids})
    con.execute("update observation set suppressed = true where rowid in (select rid from _hide)")
    con.execute("drop table _hide")


POPULATION_INDICATORS = {("einwohner", TOTAL): TOTAL, ("auslaender", TOTAL): FOREIGN, ("eu2_bestand", EU2): EU2}


def _population_observation_keys(hidden: set[PopKey], period: dt.date, source: str) -> Iterable[ObsKey]:
    """Observation rows derived from population margins that are hidden."""
    inverse = {v: k for k, v in POPULATION_INDICATORS.items()}
    for area, nat, age, sex in hidden:
        if age != TOTAL or sex != TOTAL:
            continue
        if nat in inverse:
            ind, obs_nat = inverse[nat]
            yield (ind, area, period, obs_nat, source)
        if nat not in (TOTAL, FOREIGN, EU2, "DE"):
            yield ("auslaender", area, period, nat, source)


def _population_margin_key(key: ObsKey) -> PopKey | None:
    ind, area, _period, nat, _src = key
    if (ind, nat) in POPULATION_INDICATORS:
        return (area, POPULATION_INDICATORS[(ind, nat)], TOTAL, TOTAL)
    if ind == "auslaender" and nat not in (TOTAL, FOREIGN, EU2, "DE"):
        return (area, nat, TOTAL, TOTAL)
    return None
