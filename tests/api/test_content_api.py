"""The content API: shapes, filters, 422 with every bad field in the one error shape, PATCH semantics."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool

PROJECT: dict[str, Any] = {
    "code": "P-1",
    "kind": "project",
    "title": "Build a shop",
    "title_es": "Construye una tienda",
    "minutes": 45,
    "grade_band": "K-2",
    "skills": ["ADD", "SUB"],
    "tags": ["Shopping", " Role Play "],
    "body": "Make price tags and sell things.",
    "rubric": {
        "levels": ["Starting", "Got it"],
        "criteria": [
            {
                "name": "Adding",
                "cells": [{"descriptor": "Adds some", "points": 1}, {"descriptor": "Adds all", "points": 2}],
            }
        ],
    },
    "difficulty": 0.5,
}


def _h(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_create_read_filter_and_patch(client: TestClient, school: TinySchool) -> None:
    teacher = _h(client, "teacher1")
    r = client.post("/api/v1/content", json=PROJECT, headers=teacher)
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"] == f"/api/v1/content/{body['id']}"
    assert body["modality"] == "do" and body["grade_band"] == "K-2" and body["grade_low"] == 0
    assert body["tags"] == ["shopping", "role-play"] and body["skills"] == ["ADD", "SUB"]
    assert body["rubric"]["max_points"] == 2 and body["video_file"] is None
    assert (body["difficulty"], body["author_difficulty"], body["difficulty_attempts"]) == (0.5, 0.5, 0)
    learner = _h(client, "learner1")
    got = client.get(f"/api/v1/content/{body['id']}", headers=learner).json()
    assert got["title_es"] == "Construye una tienda"
    listed = client.get(
        "/api/v1/content", params={"kind": "project", "tag": "shopping"}, headers=learner
    ).json()
    assert [c["code"] for c in listed["data"]] == ["P-1"]
    assert client.get("/api/v1/content", params={"skill": "MUL"}, headers=learner).json()["data"] == []
    r = client.patch(
        f"/api/v1/content/{body['id']}", json={"minutes": 50, "grade_band": "1-3"}, headers=teacher
    )
    assert r.status_code == 200 and r.json()["minutes"] == 50 and r.json()["grade_band"] == "1-3"
    assert r.json()["title"] == "Build a shop", "fields not sent stay as they were"


def test_every_bad_field_comes_back_in_the_one_error_shape(client: TestClient, school: TinySchool) -> None:
    teacher = _h(client, "teacher1")
    bad = {
        **PROJECT,
        "kind": "video",
        "minutes": 0,
        "grade_band": "9-3",
        "skills": ["NOPE"],
        "url": "ftp://x",
    }
    r = client.post("/api/v1/content", json=bad, headers=teacher)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error" and error["status"] == 422
    assert {f["field"] for f in error["fields"]} == {"grade_band", "minutes", "url", "duration"}
    error = client.post("/api/v1/content", json={**PROJECT, "skills": ["NOPE"]}, headers=teacher).json()[
        "error"
    ]
    assert error["fields"] == [{"field": "skills", "message": "unknown skills: NOPE"}]
    r = client.post("/api/v1/content", json={**PROJECT, "minutes": "many", "colour": "red"}, headers=teacher)
    assert r.status_code == 422 and {f["field"] for f in r.json()["error"]["fields"]} == {"minutes", "colour"}
    created = client.post("/api/v1/content", json=PROJECT, headers=teacher).json()
    r = client.patch(f"/api/v1/content/{created['id']}", json={"rubric": None}, headers=teacher)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "rubric"
    r = client.patch(f"/api/v1/content/{created['id']}", json={"title": None}, headers=teacher)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "title"
    r = client.post("/api/v1/content", json=PROJECT, headers=teacher)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "code"


def test_setting_difficulty_sets_the_authors_value(client: TestClient, school: TinySchool) -> None:
    teacher = _h(client, "admin")
    created = client.post("/api/v1/content", json=PROJECT, headers=teacher).json()
    r = client.patch(f"/api/v1/content/{created['id']}", json={"difficulty": -1.25}, headers=teacher).json()
    assert (r["difficulty"], r["author_difficulty"]) == (-1.25, -1.25)
    r = client.patch(f"/api/v1/content/{created['id']}", json={"difficulty": 9}, headers=teacher)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "difficulty"
