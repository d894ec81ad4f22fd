"""The composer turns figures into sentences: never an invented number, never "xx"."""

from __future__ import annotations

from dataclasses import dataclass

from dangjian.reports.composer import Context, Inputs, compose, render_sentence
from dangjian.reports.genres import BUILTIN_CODES, load_builtin


@dataclass
class F:
    key: str
    label: str
    value: object
    unit: str


def ctx(figures: dict[str, object], seed: str = "s", **kw) -> Context:  # type: ignore[no-untyped-def]
    return Context(
        org_name="测试局机关党委",
        period_words="2025年上半年",
        year=2025,
        seed=seed,
        figures={k: F(k, k, v, "人次" if k.startswith("talks") else "次") for k, v in figures.items()},
        end_words="2025年6月底",
        **kw,
    )


def text_of(runs) -> str:  # type: ignore[no-untyped-def]
    return "".join(r.text for r in runs)


def test_series_lists_only_nonzero_entries_in_order() -> None:
    series = {"m": [["党员大会", "a"], ["支部委员会", "b"], ["党小组会", "c"]]}
    runs = render_sentence("共召开{series:m}。", ctx({"a": 6, "b": 0, "c": 12}), series)
    assert text_of(runs) == "共召开党员大会6次、党小组会12次。"
    assert [r.figure for r in runs if r.kind == "figure"] == ["a", "c"]


def test_sentence_with_a_zero_figure_is_left_out_rather_than_saying_zero() -> None:
    assert render_sentence("开展警示教育{w}。", ctx({"w": 0}), {}) is None
    assert (
        render_sentence("开展警示教育{w}，谈话{talks.count}。", ctx({"w": 2, "talks.count": 0}), {}) is None
    )


def test_approximation_keeps_the_exact_value_as_the_figure() -> None:
    runs = render_sentence("开展谈心谈话{~talks.count}。", ctx({"talks.count": 23}), {})
    assert text_of(runs) == "开展谈心谈话20余人次。"
    assert runs[1].figure == "talks.count"


def test_every_builtin_genre_without_data_gives_prompts_not_numbers() -> None:
    for code in BUILTIN_CODES:
        document = compose(load_builtin(code), ctx({}))
        text = document.plain_text()
        assert "xx" not in text.lower() and "{" not in text, code
        assert document.prompts(), code
        assert not document.figure_keys(), code
        headings = [b.full_text for b in document.blocks if b.type == "heading" and b.level == 1]
        # The model-organ briefing has no problems part unless asked (REPORTS.md).
        for number, heading in zip(("一、", "二、", "三、"), headings, strict=False):
            assert heading.startswith(number), code


def test_problems_and_next_steps_come_from_the_officer_with_ordinals() -> None:
    inputs = Inputs(problems=["一是学用结合不够紧密。", "理论联系实际不够。"], next_steps=[])
    document = compose(load_builtin("work_summary"), ctx({}, inputs=inputs))
    texts = [b.full_text for b in document.blocks]
    assert "一是学用结合不够紧密。" in texts and "二是理论联系实际不够。" in texts
    assert any("【待补充：" in t and "工作打算（3至5条）" in t for t in texts)


def test_variants_are_reproducible_and_differ_between_periods() -> None:
    body = load_builtin("work_summary")
    figures = {"activities.count.central_study": 6, "activities.first_agenda": 4}
    first = compose(body, ctx(figures, seed="work_summary|1|2024")).plain_text()
    again = compose(body, ctx(figures, seed="work_summary|1|2024")).plain_text()
    others = {compose(body, ctx(figures, seed=f"work_summary|1|{y}")).plain_text() for y in range(2018, 2026)}
    assert first == again
    assert len(others) > 1


def test_money_kept_in_wan_yuan_keeps_its_unit() -> None:
    from decimal import Decimal

    from dangjian.metrics.figures import Figure
    from dangjian.reports.composer import figure_text

    entered = Figure(
        "integrity.public_expense", "三公经费", Decimal("17.05"), "万元", "integrity.publicexpense"
    )
    assert figure_text(entered) == "17.05万元"
    assert figure_text(Figure("dues.paid", "党费", Decimal("3456"), "元", "dues.payment")) == "3456元"
