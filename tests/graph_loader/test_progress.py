"""Load progress (pure): the watermark and the ranges committed ahead of it."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from graph_loader.writer import Progress, advance


def test_in_order_batches_move_the_watermark() -> None:
    done, ahead = advance(0, [], 0, 100)
    assert (done, ahead) == (100, [])
    assert advance(done, ahead, 100, 250) == (250, [])


def test_a_batch_committed_early_waits_ahead_until_the_gap_fills() -> None:
    done, ahead = advance(100, [], 250, 400)
    assert (done, ahead) == (100, [250, 400])
    assert advance(done, ahead, 100, 250) == (400, [])


def test_a_resumed_batch_may_reclaim_committed_rows() -> None:
    # After a crash the first new batch claims every row from the file's start.
    assert advance(100, [200, 300], 0, 150) == (150, [200, 300])
    assert advance(150, [200, 300], 0, 200) == (300, [])


def test_committed_rows_of_a_progress() -> None:
    p = Progress(10, [(20, 30), (40, 45)])
    assert [r for r in range(1, 50) if p.committed(r)] == [
        *range(1, 11), *range(21, 31), *range(41, 46)]
    assert p.highest == 45
    assert Progress().highest == 0 and not Progress().committed(1)


@given(st.integers(2, 40), st.randoms(use_true_random=False))
def test_any_commit_order_ends_with_every_row_done(n: int, rnd: random.Random) -> None:
    """Batches of consecutive ranges, committed in any order: the progress after each
    commit names exactly the rows committed so far, and all of them at the end."""
    bounds = sorted(rnd.sample(range(1, 10 * n), n))
    batches = list(zip([0, *bounds[:-1]], bounds, strict=True))
    order = batches[:]
    rnd.shuffle(order)
    done, ahead = 0, []
    covered: set[int] = set()
    for after, last in order:
        done, ahead = advance(done, ahead, after, last)
        covered |= set(range(after + 1, last + 1))
        p = Progress(done, sorted(zip(ahead[::2], ahead[1::2], strict=True)))
        assert {r for r in range(1, bounds[-1] + 1) if p.committed(r)} == covered
    assert (done, ahead) == (bounds[-1], [])
