"""Numbering layer: heading sequences, inline items and counts."""

from dangjian.proofread import check


def nums(text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == "numbering"]


def test_skipped_heading_numbers():
    text = "一、政治建设\n（一）学习。\n（二）组织。\n（四）作风。\n二、思想建设\n四、组织建设\n"
    assert ("（四）", "（三）") in nums(text)
    assert ("四、", "三、") in nums(text)


def test_inline_items_and_counts():
    assert ("四", "三") in nums("存在问题：一是学习不深；二是落实不够；四是作风不实。")
    text = "今年以来，我们重点抓了以下五个方面工作：\n（一）甲。\n（二）乙。\n（三）丙。\n（四）丁。\n"
    assert ("五", None) in nums(text)
    assert ("8", None) in nums(
        "本年度完成了8个方面的工作：\n" + "".join(f"{i}.第{i}项。\n" for i in range(1, 8))
    )


def test_continuous_numbering_across_sections_and_excerpts_are_clean():
    text = "一、政治建设\n1.甲。\n2.乙。\n二、思想建设\n3.丙。\n4.丁。\n"
    assert nums(text) == []
    assert nums("二、存在的问题\n一是学习不深；二是落实不够。") == []
    text = "主要做法有以下三点：一是健全制度；二是压实责任；三是强化督导。"
    assert nums(text) == []
