"""Dependency recording: a job that uses a memo records the memo, not everything it read,
and a change reaches the job through the memo (and through memos inside memos)."""

from __future__ import annotations

from scholarsite.deps import Recorder, memo_ref


def test_a_job_records_one_key_per_memo_and_changes_reach_it():
    rec = Recorder()
    nav = ("nav", "en")
    reads = [f"page.title:p{i}" for i in range(1000)]

    def navigation() -> str:
        for key in reads:
            rec.read(key)
        return "<nav>"

    def fragment() -> str:
        rec.memo(nav, navigation)
        return "<header>"

    jobs = {}
    for name in ("a", "b"):
        with rec.frame() as keys:
            rec.read(f"pub.title:{name}")
            assert rec.memo(("header",), fragment) == "<header>"
        jobs[name] = frozenset(keys)
    assert jobs["a"] == {"pub.title:a", memo_ref(("header",))}  # not the 1,000 page keys

    dirty = rec.invalidate({"page.title:p7"})  # read by the navigation, inside the header
    assert {memo_ref(nav), memo_ref(("header",))} <= dirty
    assert not jobs["a"].isdisjoint(dirty) and not jobs["b"].isdisjoint(dirty)
    assert nav not in rec.memos and ("header",) not in rec.memos

    with rec.frame():
        rec.memo(("header",), fragment)  # computed again
    assert rec.invalidate({"pub.title:a"}) == {"pub.title:a"}  # reaches no memo
    assert ("header",) in rec.memos


def test_a_memo_dropped_by_a_failed_rebuild_still_leads_to_its_jobs():
    rec = Recorder()
    with rec.frame() as keys:
        rec.memo("m", lambda: rec.read("x") or 1)
    rec.commit()
    rec.invalidate({"x"})
    rec.memo("m", lambda: rec.read("x") or 2)
    rec.rollback()  # the attempt failed: its memo is forgotten
    assert "m" not in rec.memos
    assert not frozenset(keys).isdisjoint(rec.invalidate({"x"}))


def test_a_build_records_nothing():
    rec = Recorder(tracking=False)
    assert rec.memo("m", lambda: rec.read("x") or 3) == 3
    assert rec.memo("m", lambda: 4) == 3
    assert rec.memo_keys == {}
