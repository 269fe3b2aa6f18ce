"""The words of check-ins and of the family's weekly digest, in the reader's language.

The service stores summaries and digests as values (counts, dates, codes); these functions word them, so
the check-in page, the digest page and the digest email say the same thing. Strings are extracted into the
gettext catalogs like the templates' (``web/**.py`` in babel.cfg).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date

from learnpath.web.i18n import load_translations

__all__ = [
    "Section",
    "decision_lines",
    "digest_email",
    "digest_sections",
    "digest_subject",
    "digest_text",
    "forecast_lines",
    "long_date",
    "progress_lines",
    "status_word",
    "suggestion_lines",
]


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    link: str = ""


def long_date(value: str | date | None, locale: str) -> str:
    if value is None:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(value[:10])
    return format_date(day, format="long", locale=locale)


def _skill_name(skill: dict[str, str], locale: str) -> str:
    return (skill.get("name_es", "") or skill["name"]) if locale == "es" else skill["name"]


def status_word(status: str, locale: str) -> str:
    t = load_translations(locale)
    return {
        "on_track": t.gettext("on track"),
        "at_risk": t.gettext("at risk"),
        "met": t.gettext("reached"),
    }.get(status, t.gettext("not known yet"))


def progress_lines(progress: dict[str, Any], locale: str) -> list[str]:
    """Practice in a period, in plain words."""
    t = load_translations(locale)
    n = int(progress.get("attempts", 0))
    if n == 0:
        return [t.gettext("No practice in this time.")]
    lines = [
        t.ngettext(
            "%(num)s question answered, %(right)s right.", "%(num)s questions answered, %(right)s right.", n
        )
        % {"num": n, "right": progress.get("correct", 0)}
    ]
    minutes = int(progress.get("minutes", 0))
    if minutes:
        lines.append(
            t.ngettext("About %(num)s minute of practice.", "About %(num)s minutes of practice.", minutes)
            % {"num": minutes}
        )
    mastered = [_skill_name(s, locale) for s in progress.get("mastered", [])]
    if mastered:
        lines.append(t.gettext("Mastered: %(skills)s.") % {"skills": ", ".join(mastered)})
    return lines


def forecast_lines(changes: list[dict[str, Any]], locale: str) -> list[str]:
    """Each goal's forecast, and how it moved since the last check-in."""
    t = load_translations(locale)
    out = []
    for c in changes:
        f = c.get("forecast") or {}
        words = {"title": c.get("title", ""), "status": status_word(f.get("status", ""), locale)}
        if f.get("date"):
            line = t.gettext("“%(title)s”: expected by %(date)s (%(status)s).") % {
                **words,
                "date": long_date(f["date"], locale),
            }
        else:
            line = t.gettext("“%(title)s”: %(status)s.") % words
        shift = c.get("shift_days")
        if shift:
            line += " " + (
                t.ngettext("%(num)s day later than last time.", "%(num)s days later than last time.", shift)
                % {"num": shift}
                if shift > 0
                else t.ngettext(
                    "%(num)s day sooner than last time.", "%(num)s days sooner than last time.", -shift
                )
                % {"num": -shift}
            )
        elif c.get("new"):
            line += " " + t.gettext("New since last time.")
        out.append(line)
    return out


def suggestion_lines(suggestions: list[dict[str, Any]], locale: str) -> list[str]:
    t = load_translations(locale)
    out = []
    for s in suggestions:
        kind, title = s.get("kind"), s.get("title", "")
        if kind == "at_risk":
            out.append(
                t.gettext("“%(title)s” is at risk: expected %(forecast)s, aimed for %(target)s.")
                % {
                    "title": title,
                    "forecast": long_date(s.get("forecast_date"), locale) or t.gettext("not known yet"),
                    "target": long_date(s.get("target_date"), locale) or t.gettext("no date"),
                }
                + " "
                + t.gettext("Move the date or plan more practice.")
            )
        elif kind == "goal_met":
            out.append(t.gettext("“%(title)s” looks reached: mark it as met.") % {"title": title})
        elif kind == "awaiting_agreement":
            out.append(t.gettext("“%(title)s” still waits for everyone to agree.") % {"title": title})
        elif kind == "no_practice":
            out.append(t.gettext("No practice since the last check-in: plan some together."))
        elif kind == "no_goals":
            out.append(t.gettext("No active goals: agree on a new one."))
        elif kind == "practise":
            out.append(
                t.gettext("Next step for “%(title)s”: practise %(skill)s.")
                % {"title": title, "skill": _skill_name(s["skill"], locale)}
            )
    return out


def decision_lines(decisions: list[dict[str, Any]], locale: str) -> list[str]:
    """What a check-in decided, one line each."""
    t = load_translations(locale)
    out = []
    for d in decisions:
        words = {"title": d.get("title", ""), "date": long_date(d.get("target_date"), locale)}
        if d["kind"] == "adjust_date":
            out.append(t.gettext("New target date for “%(title)s”: %(date)s.") % words)
        elif d["kind"] == "drop_goal":
            out.append(t.gettext("“%(title)s” was dropped.") % words)
        elif d["kind"] == "goal_met":
            out.append(t.gettext("“%(title)s” was met. Well done!") % words)
        elif d["kind"] == "add_goal" and words["date"]:
            out.append(t.gettext("New goal: “%(title)s”, by %(date)s.") % words)
        elif d["kind"] == "add_goal":
            out.append(t.gettext("New goal: “%(title)s”.") % words)
    return out


def _goal_line(t: gettext.NullTranslations, goal: dict[str, Any], locale: str) -> str:
    return forecast_lines([{"title": goal.get("title", ""), "forecast": goal.get("forecast") or {}}], locale)[
        0
    ]


def digest_subject(content: dict[str, Any], locale: str) -> str:
    t = load_translations(locale)
    return t.gettext("Weekly digest: %(start)s to %(end)s") % {
        "start": long_date(content["week_start"], locale),
        "end": long_date(content["week_end"], locale),
    }


def digest_sections(content: dict[str, Any], locale: str) -> list[Section]:
    """One section per child (practice, goals, check-ins, new work), then what waits in the app."""
    t = load_translations(locale)
    sections = []
    for child in content.get("children", []):
        lines = progress_lines(child.get("progress", {}), locale)
        goals = child.get("goals", [])
        if goals:
            lines += [_goal_line(t, g, locale) for g in goals]
        else:
            lines.append(t.gettext("No goals yet."))
        for c in child.get("checkins", []):
            line = t.gettext("Check-in on %(date)s.") % {"date": long_date(c["held_at"], locale)}
            if c.get("notes"):
                line += " " + t.gettext("Notes: %(notes)s") % {"notes": c["notes"]}
            lines.append(line)
        for work in child.get("portfolio", []):
            lines.append(t.gettext("New work: %(title)s") % {"title": work.get("title", "")})
        sections.append(Section(child["name"], lines, f"/learners/{child['learner_id']}/plan"))
    waiting = int(content.get("waiting", 0))
    if waiting:
        sections.append(
            Section(
                t.gettext("Waiting for you"),
                [
                    t.ngettext(
                        "%(num)s notice waits for you in learnpath.",
                        "%(num)s notices wait for you in learnpath.",
                        waiting,
                    )
                    % {"num": waiting}
                ],
                "/notifications",
            )
        )
    return sections


def digest_text(content: dict[str, Any], locale: str, name: str, base_url: str) -> str:
    """The plain-text body of the digest email."""
    t = load_translations(locale)
    out = [t.gettext("Hello %(name)s,") % {"name": name}, "", digest_subject(content, locale), ""]
    for section in digest_sections(content, locale):
        out += [section.title, "-" * len(section.title), *section.lines]
        if section.link:
            out.append(base_url.rstrip("/") + section.link)
        out.append("")
    out.append(t.gettext("You get this email once a week from learnpath."))
    return "\n".join(out) + "\n"


def digest_email(content: dict[str, Any], locale: str, name: str, base_url: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the digest email in ``locale``."""
    from learnpath.web.render import environment

    subject = digest_subject(content, locale)
    html = (
        environment(locale)
        .get_template("digest_email.html")
        .render(
            locale=locale,
            subject=subject,
            name=name,
            sections=digest_sections(content, locale),
            base_url=base_url.rstrip("/"),
        )
    )
    return subject, digest_text(content, locale, name, base_url), html
