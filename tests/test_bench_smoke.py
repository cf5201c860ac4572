"""bench/imports.py on 50 households (generator, our import, baseline, floor), so that it cannot rot."""

import importlib.util
from pathlib import Path

import pytest

from households.models import Assessment, Household, Member

BENCH = Path(__file__).resolve().parents[1] / "bench" / "imports.py"


@pytest.fixture
def bench():
    spec = importlib.util.spec_from_file_location("bench_imports", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_benchmark_files_import_with_ours_the_baseline_and_the_floor(bench):
    commune, user = bench.prepare()
    households = bench.synthetic(50)
    files = bench.workbooks(commune, user, households)

    figures = bench.run_ours(commune, user, files)

    members = sum(len(item.members) for item in households)
    assert {kind: figures[kind]["new"] for kind in bench.KINDS} == {
        "households": 50,
        "members": members,
        "assessments": 50,
    }
    assert Member.objects.filter(household__commune=commune).count() == members
    stored = dict(
        Assessment.objects.filter(household__commune=commune).values_list("household__code", "classification")
    )
    assert stored == {item.code: item.level for item in households}  # the rule agrees with the generator

    baseline = bench.run_baseline(commune, user, files["households"])
    assert (baseline["rows"], baseline["new"]) == (50, 50)
    assert Household.objects.exclude(commune=commune).filter(code=households[0].code).count() == 1

    floor = bench.run_floor(commune, user, files, households)
    assert set(floor) == set(bench.KINDS)
    assert all(times["read"] > 0 and times["write"] > 0 for times in floor.values())
