"""The JSON API under /api/v1: thin routes over the same services and queries as the pages."""
