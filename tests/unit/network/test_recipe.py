"""The recipe is chosen on a validation split carved from the training set."""

import json

import numpy as np
import pytest

from spinaps.network.recipe import HIDDEN_RECIPE_GRID, RECIPE_GRID, select_recipe, validation_split


def test_stratified_split_takes_the_fraction_of_every_class():
    y = np.repeat([0, 1, 2], [50, 100, 30])
    val = validation_split(y, fraction=0.2, seed=3)
    assert [int(val[y == c].sum()) for c in range(3)] == [10, 20, 6]
    assert np.array_equal(val, validation_split(y, fraction=0.2, seed=3))  # same seed, same split
    assert not np.array_equal(val, validation_split(y, fraction=0.2, seed=4))


def test_grouped_split_keeps_whole_groups_and_leaves_some_for_training():
    groups = np.repeat(np.arange(10), 20)
    y = np.tile([0, 1], 100)
    val = validation_split(y, groups=groups, fraction=0.25, seed=0)
    for g in range(10):  # a group is wholly in or wholly out
        assert val[groups == g].all() or not val[groups == g].any()
    assert val.mean() >= 0.25 and val.mean() < 0.25 + 0.1  # stops at the first group past the fraction
    two = np.repeat([0, 1], 5)
    assert validation_split(two[:10] * 0, groups=two, fraction=0.5).mean() == 0.5  # never both groups


@pytest.mark.parametrize("fraction", [0.0, 0.6, float("nan")])
def test_fraction_out_of_range_is_named(fraction):
    with pytest.raises(ValueError, match="fraction"):
        validation_split([0, 1] * 5, fraction=fraction)


def test_groups_must_match_the_labels():
    with pytest.raises(ValueError, match="groups"):
        validation_split([0, 1, 0], groups=[1, 2])
    with pytest.raises(ValueError, match="at least 2 groups"):
        validation_split([0, 1, 0], groups=[1, 1, 1])


def test_grid_is_the_documented_one():
    assert len(RECIPE_GRID) == 6
    assert {(r["tau"], r["lr"]) for r in RECIPE_GRID} == {(t, lr) for t in (4, None) for lr in (1e-2, 3e-3, 1e-3)}
    assert all(r["lr_final"] == pytest.approx(r["lr"] / 10) for r in RECIPE_GRID)


def _two_classes(n, rng):
    """Class c raises the spike probability of its half of 20 inputs from 0.3 to 0.7."""
    y = rng.integers(0, 2, n)
    x = np.full((n, 20), 0.3, np.float32)
    x[y == 0, :10] = 0.7
    x[y == 1, 10:] = 0.7
    return x, y


def test_select_recipe_chooses_the_recipe_that_learns():
    x, y = _two_classes(400, np.random.default_rng(0))
    good = {"tau": 4, "lr": 1e-2, "lr_final": 1e-3, "epochs": 8}
    useless = {"tau": 4, "lr": 1e-6, "lr_final": 1e-6, "epochs": 1}  # the weights barely leave 0: chance level
    sel = select_recipe(x, y, [useless, good], passes=3, seed=0)
    acc = sel.validation_accuracy.values
    assert sel.attrs["chosen"] == 1 and json.loads(sel.attrs["chosen_recipe"]) == good
    # chance is 0.5 (minus no-spike); the learnt recipe is far above it (k = 5 standard errors)
    assert acc[1] - acc[0] > 5 * float(sel.validation_se[1])
    assert sel.attrs["n_validation"] == int(validation_split(y, seed=0).sum())
    assert sel.validation_accuracy.attrs["units"] == "1" and sel.train_seconds.attrs["units"] == "s"
    again = select_recipe(x, y, [useless, good], passes=3, seed=0)
    assert np.array_equal(again.validation_accuracy.values, acc)  # same seed, same numbers


def test_hidden_network_recipe_is_chosen_the_same_way():
    """network="hidden" trains and scores the hidden-layer network (its own grid by
    default); the learnt recipe beats the useless one by 5 standard errors."""
    grid = {(t, lr) for t in (4, None) for lr in (1e-2, 5e-3, 2e-3)}
    assert {(r["tau"], r["lr"]) for r in HIDDEN_RECIPE_GRID} == grid
    x, y = _two_classes(400, np.random.default_rng(3))
    good = {"tau": 4, "lr": 1e-2, "lr_final": 1e-3, "epochs": 6, "hidden": 16}
    useless = {"tau": 4, "lr": 1e-7, "lr_final": 1e-7, "epochs": 1, "hidden": 16}
    sel = select_recipe(x, y, [useless, good], passes=3, seed=0, network="hidden")
    acc = sel.validation_accuracy.values
    assert sel.attrs["network"] == "hidden" and sel.attrs["chosen"] == 1
    assert acc[1] - acc[0] > 5 * float(sel.validation_se[1])
    with pytest.raises(ValueError, match="network = 'deep'"):
        select_recipe(x, y, [good], network="deep")


def test_a_window_of_all_steps_is_spelled_none():
    x, y = _two_classes(200, np.random.default_rng(1))
    sel = select_recipe(x, y, [{"tau": None, "epochs": 2}], passes=1, n_steps=6, groups=np.arange(200) % 5)
    assert sel.attrs["n_steps"] == 6 and json.loads(sel.attrs["validation_groups"])


def test_bad_candidates_are_refused():
    x, y = _two_classes(50, np.random.default_rng(2))
    with pytest.raises(ValueError, match="candidates"):
        select_recipe(x, y, [])
    with pytest.raises(ValueError, match="candidates"):
        select_recipe(x, y, ["tau=4"])
    with pytest.raises(ValueError, match="passes"):
        select_recipe(x, y, passes=0)
    with pytest.raises(ValueError, match="deadline"):
        select_recipe(x, y, [{"epochs": 1}], deadline=9)


def test_the_deadline_scores_an_earlier_decision():
    """Scored by step 1, a recipe is judged on the decisions taken at the first step
    only, which are fewer than by the last step (accuracy grows with the deadline)."""
    x, y = _two_classes(300, np.random.default_rng(3))
    recipe = [{"tau": 4, "epochs": 4}]
    first, last = (select_recipe(x, y, recipe, passes=2, deadline=d) for d in (1, None))
    assert first.attrs["deadline"] == 1 and last.attrs["deadline"] == "T"
    assert float(first.validation_accuracy[0]) < float(last.validation_accuracy[0])
