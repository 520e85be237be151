"""Verbeterbord: het digitale verbeterbord voor teams, teams van teams en ambities."""
