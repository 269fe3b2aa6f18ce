"""The demo school's own content: grade 3-5 math skills, their prerequisites and items (pure)."""

from learnpath.demo.content import DOMAINS, PREREQUISITES, SKILLS, DemoSkill, build_items

__all__ = ["DOMAINS", "PREREQUISITES", "SKILLS", "DemoSkill", "build_items"]
