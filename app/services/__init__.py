"""Verbs that change state. Each one checks its rules, writes its audit events and commits."""
