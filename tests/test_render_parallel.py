"""Pages rendered in worker processes are the pages rendered one by one, in the same order."""

from __future__ import annotations

from generator.render import collect_pages, iter_pages, plan_pages
from generator.workers import default_jobs


def test_workers_give_the_same_pages_in_the_same_order(repo) -> None:
    from generator.commands.package import load_corpus

    corpus, root = load_corpus(repo), repo
    plan = plan_pages(corpus, root)
    assert plan.tasks
    one = list(iter_pages(plan, jobs=1))
    two = list(iter_pages(plan, jobs=2, min_parallel=0))
    assert two == one
    reports = [p.path for p in one if p.path.count("/") == 2 and p.path[-7:-3].isdigit()]
    assert reports == sorted(f"agencies/{r}.md" for r in corpus.reports)
    assert sorted(one, key=lambda p: p.path) == collect_pages(corpus, root)
    assert default_jobs() >= 1
