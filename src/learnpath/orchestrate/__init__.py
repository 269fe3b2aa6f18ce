"""Pure orchestration: grouping, teams, rotations, dashboards"""
