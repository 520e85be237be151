"""How fast a busy board reads and an action changes, through the whole HTTP stack on SQLite."""

from __future__ import annotations

import itertools

from benchmarks.conftest import ACTIONS_ON_THE_BOARD, Bench

# A board is read in a fixed number of statements, however many cards it holds (no N+1):
# authentication, the team, the sprint, the actions, the escalations, the child teams and
# their counts. Raise this only on purpose.
MAX_BOARD_STATEMENTS = 12


def test_read_a_board_with_many_actions(benchmark, bench: Bench) -> None:
    url = f"/api/v1/teams/{bench.world.team.id}/board"
    headers = bench.world.headers("member")

    def read() -> dict:
        response = bench.client.get(url, headers=headers)
        assert response.status_code == 200
        return response.json()

    board = benchmark(read)
    assert sum(len(column["actions"]) for column in board["columns"]) == ACTIONS_ON_THE_BOARD


def test_read_a_team_of_teams_board(benchmark, bench: Bench) -> None:
    url = f"/api/v1/teams/{bench.world.team_of_teams.id}/board"
    headers = bench.world.headers("lead")

    def read() -> dict:
        response = bench.client.get(url, headers=headers)
        assert response.status_code == 200
        return response.json()

    board = benchmark(read)
    assert len(board["children"]) == 2
    assert sum(lane["open_escalations"] for lane in board["children"]) == 20


def test_patch_an_action(benchmark, bench: Bench) -> None:
    headers = bench.world.headers("member")
    created = bench.client.post(
        "/api/v1/actions",
        json={"title": "Steeds anders", "team_id": bench.world.team.id},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/actions/{created.json()['id']}"
    version = itertools.count(1)

    def patch() -> None:
        current = next(version)
        response = bench.client.patch(
            url, json={"title": f"Titel {current}", "version": current}, headers=headers
        )
        assert response.status_code == 200, response.text

    benchmark(patch)


def test_sql_statements_for_a_board(benchmark, bench: Bench, capsys) -> None:
    """Printed, and kept in the benchmark's extra_info: the statements one board read sends."""
    world = bench.world
    headers = world.headers("member")
    boards = {
        f"team ({ACTIONS_ON_THE_BOARD} actions)": world.team.id,
        "team (150 actions)": world.other_team.id,
        "team of teams": world.team_of_teams.id,
    }
    counts = {
        name: bench.count_statements(
            lambda team_id=team_id: bench.client.get(
                f"/api/v1/teams/{team_id}/board", headers=headers
            ).raise_for_status()
        )
        for name, team_id in boards.items()
    }
    benchmark.extra_info["sql_statements"] = counts
    busy = f"/api/v1/teams/{world.team.id}/board"
    benchmark.pedantic(lambda: bench.client.get(busy, headers=headers), rounds=1, iterations=1)
    with capsys.disabled():
        print(f"\nSQL statements per board read: {counts}")
    busy_count, quiet_count, _ = counts.values()
    assert busy_count == quiet_count, f"more cards, more statements (N+1?): {counts}"
    assert max(counts.values()) <= MAX_BOARD_STATEMENTS, counts
