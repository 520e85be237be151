"""The admin pages: locations and staff, teams and their members, sprints."""
