"""TraceStepper: the trace table fills one row per step, in evaluation order or in reverse."""
import matplotlib

matplotlib.use("Agg")  # headless: the stepper draws the graph at every step

import pytest  # noqa: E402

import course.ad as ad  # noqa: E402
from course.widgets import TraceStepper  # noqa: E402
from slide_function import L as slide_L, adjoints, tangents_along_w1  # noqa: E402

W1, W2 = 2.0, 3.0
ORDER = ["w1", "w2", "v1", "v2", "v3", "L"]


@pytest.fixture
def forward():
    return TraceStepper(ad.trace(slide_L, W1, W2, tangents=(1.0, 0.0)), direction="forward")


@pytest.fixture
def reverse():
    return TraceStepper(ad.trace(slide_L, W1, W2, adjoints=True), direction="reverse")


def test_forward_rows_fill_in_evaluation_order_with_tangents(forward):
    assert forward.rows() == [] and forward.current is None
    expected = tangents_along_w1(W1, W2)
    for k in range(1, len(ORDER) + 1):
        forward.next()
        rows = forward.rows()
        assert [r[0] for r in rows] == ORDER[:k]
        assert forward.current.name == ORDER[k - 1]
        name, _, _, tangent = rows[-1]
        assert float(tangent) == pytest.approx(expected[name], rel=1e-3, abs=1e-12)  # 4 digits shown


def test_reverse_rows_fill_in_reverse_order_with_adjoints(reverse):
    assert reverse.quantity == "adjoint"
    expected = adjoints(W1, W2)
    for k in range(1, len(ORDER) + 1):
        reverse.next()
        assert [r[0] for r in reverse.rows()] == ORDER[::-1][:k]
        name, _, _, adjoint = reverse.rows()[-1]
        assert float(adjoint) == pytest.approx(expected[name], rel=1e-3)


def test_steps_stay_within_bounds(forward):
    forward.prev()
    assert forward.step == 0 and forward.prev_button.disabled
    forward.go(100)
    assert forward.step == len(ORDER) and forward.next_button.disabled
    forward.next()
    assert forward.step == len(ORDER)
    forward.go(-3)
    assert forward.step == 0 and not forward.next_button.disabled


def test_buttons_and_slider_move_the_state(forward):
    forward.next_button.click()
    forward.next_button.click()
    assert forward.step == 2 and forward.slider.value == 2
    forward.prev_button.click()
    assert forward.step == 1 and [r[0] for r in forward.rows()] == ["w1"]
    forward.slider.value = 4
    assert forward.step == 4 and forward.current.name == "v2"


def test_table_widget_shows_the_rows_and_bolds_the_current_one(reverse):
    reverse.go(2)
    html = reverse.table.value
    assert html.count("<tr") == 1 + 2  # header and two rows
    assert "<th>adjoint</th>" in html and 'font-weight:bold"><td>v3' in html


def test_missing_quantity_and_bad_direction_rejected():
    g = ad.trace(slide_L, W1, W2)  # no tangents, no adjoints
    with pytest.raises(ValueError, match="tangent"):
        TraceStepper(g)
    with pytest.raises(ValueError, match="direction"):
        TraceStepper(g, direction="sideways")
