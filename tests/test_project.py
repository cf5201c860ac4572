"""Project-wide guarantees: migrations, production settings, reference data after migrate."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from plans.models import Project

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(
        SECRET_KEY="k8#vQ2!pL9zR4mW7xT1nB6cY3hJ5dF0gS8aE2uI4oP6qZ9wX-r3Tq7Vn",
        ALLOWED_HOSTS="povertyplan.example.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_programme_projects_are_reference_data_after_migrate():
    codes = set(Project.objects.filter(programme__code="ntp-spr-2021-2025").values_list("code", flat=True))
    assert {"DA1", "DA2", "DA3", "DA3.TDA1", "DA3.TDA2", "DA4", "DA5", "DA6", "DA7"} <= codes
    assert Project.objects.get(code="DA3.TDA2").parent.code == "DA3"


def test_every_record_of_the_projects_apps_keeps_who_created_and_changed_it():
    from django.apps import apps

    from povertyplan.models import Tracked

    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"households", "accounts", "plans", "assignments"}
    ]
    auto_through = {m for m in ours if m._meta.auto_created}
    # Records of an action (an upload, an export, a round's closing: its frozen results, whose
    # author is the round's closed_by) name their user themselves and are never edited.
    action_records = {"ImportJob", "ExportRecord", "RoundResult"}
    untracked = [
        m.__name__
        for m in ours
        if m not in auto_through and not issubclass(m, Tracked) and m.__name__ not in action_records
    ]
    assert len(ours) > 15
    assert untracked == []
