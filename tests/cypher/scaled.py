"""A small world at any amount scale and time unit, with typology rings planted in it.

Every timestamp is BASE + k * unit for a whole k, so a world in hours has hour-grained
timestamps and the same world in days is day-stamped like AMLSim. Amounts are multiples
of `amount`. The background is ordinary activity, so that the thresholds the heuristics
derive from the data (quantiles, typical gaps) have something to measure.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tests.cypher.conftest import DAY, HOUR, Builder

BASE = 1_767_225_600  # 2026-01-01T00:00:00Z, a whole day
SPAN = 300  # units of background activity
RING_AT = 150  # rings start here (units)


@dataclass
class World:
    amount: float = 1.0
    unit: int = HOUR

    def __post_init__(self) -> None:
        self.g = Builder()

    @property
    def as_of(self) -> int:
        return self.ts(SPAN + 10)

    @property
    def window_s(self) -> int:
        return (SPAN + 20) * self.unit

    def ts(self, k: float) -> int:
        return BASE + round(k) * self.unit

    def acc(self, name: str) -> str:
        return self.g.account(name, "per_" + name)

    def pay(self, src: str, dst: str, amount: float, k: float) -> str:
        return self.g.transfer(self.acc(src), self.acc(dst), round(amount * self.amount, 2),
                               self.ts(k))

    def background(self, n: int = 40, per_account: int = 6, seed: int = 11) -> None:
        """Each of n accounts pays a few others at random times, with ordinary amounts."""
        rnd = random.Random(seed)
        for i in range(n):
            for _ in range(per_account):
                j = rnd.randrange(n - 1)
                j = j + 1 if j >= i else j
                self.pay(f"bg{i}", f"bg{j}", rnd.uniform(100, 1000), rnd.randrange(SPAN))


Ring = Callable[[World, bool], set[str]]


def cycle(w: World, near_miss: bool = False, scrambled: bool = False) -> set[str]:
    """c0 -> c1 -> ... -> c4 -> c0, one hop a unit.

    In the near miss one hop happens long before the others (outside any span a ring
    keeps). Scrambled, the third hop comes before the first: read from any start the money
    would go back in time once (AMLSim books a ring's transfers in any order in its span).
    """
    names = [f"cy{i}" for i in range(5)]
    for i in range(5):
        at = RING_AT + i
        if i == 2 and near_miss:
            at = 10
        elif i == 2 and scrambled:
            at = RING_AT - 5
        w.pay(names[i], names[(i + 1) % 5], 500 + 37 * i, at)
    return set(names)


def fan_in(w: World, near_miss: bool = False, senders: int = 15) -> set[str]:
    """Many one-off senders pay one hub within a few units; the near miss has two."""
    n = 2 if near_miss else senders
    for i in range(n):
        w.pay(f"fi_s{i}", "fi_hub", 300 + 20 * i, RING_AT + i // 4)
    return {"fi_hub"}


def fan_out(w: World, near_miss: bool = False) -> set[str]:
    n = 2 if near_miss else 15
    for i in range(n):
        w.pay("fo_hub", f"fo_r{i}", 300 + 20 * i, RING_AT + i // 4)
    return {"fo_hub"}


def scatter_gather(w: World, near_miss: bool = False) -> set[str]:
    """src -> m0..m3 -> dst; the near miss pays dst before the money came in."""
    mids = [f"sg_m{i}" for i in range(4)]
    for i, m in enumerate(mids):
        w.pay("sg_src", m, 800, RING_AT)
        w.pay(m, "sg_dst", 780 - 10 * i, RING_AT - 2 if near_miss else RING_AT + 1)
    return {"sg_src", "sg_dst", *mids}


def gather_scatter(w: World, near_miss: bool = False) -> set[str]:
    """12 senders pay a hub, which pays 12 receivers; the near miss keeps the money."""
    for i in range(12):
        w.pay(f"gs_s{i}", "gs_hub", 400 + 10 * i, RING_AT + i // 6)
        if not near_miss:
            w.pay("gs_hub", f"gs_r{i}", 390 + 10 * i, RING_AT + 2 + i // 6)
    return {"gs_hub"}


def bipartite(w: World, near_miss: bool = False) -> set[str]:
    """Four senders each pay the same four receivers; the near miss shares one receiver."""
    senders = [f"bp_s{i}" for i in range(4)]
    receivers = [f"bp_r{j}" for j in range(4)]
    for i, s in enumerate(senders):
        for j, r in enumerate(receivers):
            if near_miss and j != i and j != 0:
                r = f"bp_x{i}{j}"
            w.pay(s, r, 600 + 11 * i + 7 * j, RING_AT + (i + j) % 2)
    return set(senders) | set(receivers)


def stack(w: World, near_miss: bool = False) -> set[str]:
    """Three layers of three, every account of a layer paying every one of the next."""
    layers = [[f"st{k}_{i}" for i in range(3)] for k in range(3)]
    for k in range(2):
        at = RING_AT + (1 - k if near_miss else k) * 2
        for a in layers[k]:
            for b in layers[k + 1]:
                w.pay(a, b, 700 - 50 * k, at)
    return set(layers[1])


def transfer_cycle(w: World, near_miss: bool = False) -> set[str]:
    """A round trip of large, slightly shrinking amounts, a unit a hop, in order; the near
    miss sends back more than came in."""
    names = ["tc0", "tc1", "tc2"]
    for i, amount in enumerate((950, 930, 1200 if near_miss else 910)):
        w.pay(names[i], names[(i + 1) % 3], amount, RING_AT + i)
    return set(names)


def fast_pass_through(w: World, near_miss: bool = False) -> set[str]:
    """Large inflows leave again within the unit they came in; in the near miss they stay
    for a good part of the typical gap first."""
    for i in range(3):
        w.pay(f"fp_s{i}", "fp_m", 900 + 20 * i, RING_AT + 3 * i)
        w.pay("fp_m", f"fp_d{i}", 880 + 20 * i, RING_AT + 3 * i + (15 if near_miss else 0))
    return {"fp_m"}


RINGS: dict[str, Ring] = {
    "transfer_cycle": transfer_cycle, "fast_pass_through": fast_pass_through,
    "cycle": cycle, "fan_in": fan_in, "fan_out": fan_out, "scatter_gather": scatter_gather,
    "gather_scatter": gather_scatter, "bipartite": bipartite, "stack": stack,
}
UNITS = {"hours": HOUR, "days": DAY}
