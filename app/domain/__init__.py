"""Pure rules on values: no database, no HTTP."""
