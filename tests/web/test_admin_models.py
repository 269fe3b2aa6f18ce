"""The admin page lists the learner-model versions: the one in use, replaced ones and rejected ones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from fastapi.testclient import TestClient

from learnpath.service.context import ServiceContext
from learnpath.service.models import fit_model
from learnpath.storage.tables import User
from learnpath.testing.practice import add_practice
from learnpath.testing.school import TinySchool


def test_the_admin_page_lists_model_versions(
    ctx: ServiceContext, school: TinySchool, browser_for: Callable[[str], TestClient]
) -> None:
    admin = browser_for("admin")
    assert "No model fitted yet" in admin.get("/admin").text
    add_practice(ctx, 1, np.random.default_rng(3))
    kept = fit_model(ctx, "irt")
    rejected = fit_model(ctx, "irt", {"reg_theta": 1e6, "reg_item": 1e6})
    assert kept.accepted and not rejected.accepted
    page = admin.get("/admin").text
    assert "Learner model versions" in page and "No model fitted yet" not in page
    assert page.index("Not used: less accurate") < page.index("In use"), "newest first"
    assert f"{rejected.candidate_auc:.3f}" in page and f"{kept.candidate_auc:.3f}" in page


def test_the_model_list_in_spanish(
    ctx: ServiceContext, school: TinySchool, browser_for: Callable[[str], TestClient]
) -> None:
    add_practice(ctx, 1, np.random.default_rng(3))
    fit_model(ctx, "irt")
    with ctx.unit() as s:
        user = s.get(User, school.ids["admin"])
        assert user is not None
        user.locale = "es"
    page = browser_for("admin").get("/admin").text
    assert "Versiones del modelo del estudiante" in page and "En uso" in page
