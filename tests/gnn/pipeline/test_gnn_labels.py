"""Labels known at a cut-off and the time-based split."""

from __future__ import annotations

import numpy as np
import pytest

from gnn.errors import LabelError
from gnn.snapshot.labels import Cutoffs, choose_cutoffs, first_known, time_split
from tests.gnn.pipeline.conftest import day, toy_snapshot


def test_first_known_takes_beneficiaries_and_black_list_only() -> None:
    first = first_known(toy_snapshot())
    assert first[1] == day(12)  # beneficiary of i0
    assert first[3] == day(15)  # black list
    assert np.isinf(first[2])  # grey list is a suspicion, not a label
    assert np.isinf(first[0])  # the victim


def test_a_label_after_the_cutoff_does_not_appear_in_training() -> None:
    first = np.array([day(1), day(5), day(9), day(13), np.inf, np.inf, np.inf, np.inf])
    split = time_split(first, None, Cutoffs(day(4), day(8), day(12)))
    assert split.y_train.tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
    # validation: unknown at T1; positive if first labelled in [T1, T2)
    assert not split.val[0]
    assert split.y_val[split.val].tolist() == [1, 0, 0, 0, 0, 0, 0]
    # test: unknown at T2; positive if first labelled in [T2, T3); day 13 is after T3
    assert split.test.tolist() == [False, False, True, True, True, True, True, True]
    assert split.y_test[split.test].tolist() == [1, 0, 0, 0, 0, 0]


def test_accounts_opened_after_a_cutoff_are_left_out_of_its_window() -> None:
    first = np.array([day(1), day(5), day(9), np.inf])
    opened = np.array([day(0), day(0), day(0), day(6)])
    split = time_split(first, opened, Cutoffs(day(4), day(8), day(12)))
    assert not split.train[3] and not split.val[3]
    assert split.test[3]


def test_a_window_without_positives_is_an_error() -> None:
    first = np.array([day(1), np.inf, np.inf])
    with pytest.raises(LabelError):
        time_split(first, None, Cutoffs(day(4), day(8), day(12)))


def test_cutoffs_leave_history_before_t1_when_labels_come_early() -> None:
    """Most labels in the first days (as in AMLSim): T1 goes where a quarter of the
    timeline lies behind it, and the later labels are halved between val and test."""
    early = [day(d) for d in (1, 1, 2, 2, 3, 3, 4, 5)]
    late = [day(d) for d in (40, 41, 60, 61, 80, 81)]
    first = np.concatenate([np.array(early + late), np.full(5, np.inf)])
    cut = choose_cutoffs(first, day(100), window_days=7, min_positives=2, start=day(0))
    assert cut.t1 == day(25)
    split = time_split(first, None, cut, min_positives=2)
    counts = split.counts()
    assert counts["train"]["positives"] == 8
    assert counts["val"]["positives"] == 3
    assert counts["test"]["positives"] == 3
    # without the data's start: the label-time quantiles, T1 in the first days
    assert choose_cutoffs(first, day(100), window_days=7, min_positives=2).t1 < day(10)


def test_cutoffs_fall_back_to_label_quantiles_in_small_worlds() -> None:
    first = np.concatenate([np.array([day(d) for d in range(1, 13)]), np.full(5, np.inf)])
    cut = choose_cutoffs(first, day(100), window_days=28, min_positives=2)
    assert cut.t3 == day(100)
    split = time_split(first, None, cut, min_positives=2)
    counts = split.counts()
    assert counts["train"]["positives"] == 6
    assert counts["val"]["positives"] == 3
    assert counts["test"]["positives"] == 3
    with pytest.raises(LabelError):
        choose_cutoffs(first[:4], day(100), min_positives=2)
