"""``bedside diary add/list/show/edit/delete``: the Consensus Sleep Diary."""

from __future__ import annotations

from typing import Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, fail, number, print_json, print_table, short_time

diary_app = typer.Typer(help="The morning sleep diary (Consensus Sleep Diary).")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
NightArg = Annotated[
    str, typer.Option("--night", help="The night, YYYY-MM-DD (the evening's date).")
]
TimeOpt = "HH:MM on the night, or an ISO date-time with offset."


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(diary_app, name="diary")


@diary_app.command("add")
def add(
    ctx: typer.Context,
    night: NightArg,
    bedtime: Annotated[str, typer.Option("--bedtime", help="Got into bed: " + TimeOpt)],
    tried: Annotated[str, typer.Option("--tried", help="Tried to sleep: " + TimeOpt)],
    sol: Annotated[int, typer.Option("--sol", help="Minutes to fall asleep.")],
    awakenings: Annotated[int, typer.Option("--awakenings", help="Awakenings, not the final one.")],
    waso: Annotated[int, typer.Option("--waso", help="Total minutes of those awakenings.")],
    final_wake: Annotated[str, typer.Option("--final-wake", help="Final awakening: " + TimeOpt)],
    out_of_bed: Annotated[str, typer.Option("--out-of-bed", help="Got out of bed: " + TimeOpt)],
    quality: Annotated[int, typer.Option("--quality", help="1 very poor ... 5 very good.")],
    rested: Annotated[int | None, typer.Option("--rested", help="1 not at all ... 5 very.")] = None,
    naps: Annotated[int | None, typer.Option("--naps", help="Naps yesterday.")] = None,
    nap_min: Annotated[int | None, typer.Option("--nap-min", help="Minutes napping.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Comments.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Fill in the morning diary for a night and see its metrics."""
    from bedside.services import diary

    fields = {
        "night": date_option(night, "night"),
        "bedtime": bedtime,
        "tried": tried,
        "sol_min": sol,
        "awakenings": awakenings,
        "waso_min": waso,
        "final_wake": final_wake,
        "out_of_bed": out_of_bed,
        "quality": quality,
        "rested": rested,
        "nap_count": naps,
        "nap_min": nap_min,
        "comment": note,
    }
    with scope(ctx) as s:
        entry = diary.add_entry(s, fields)
    if as_json:
        print_json(entry)
    else:
        _print_entry(entry)


@diary_app.command("show")
def show(ctx: typer.Context, night: NightArg, as_json: JsonFlag = False) -> None:
    """Show a night's diary with its derived metrics."""
    from bedside.services import diary

    when = date_option(night, "night")
    assert when is not None
    with scope(ctx) as s:
        entry = diary.get_entry(s, when)
    if as_json:
        print_json(entry)
    else:
        _print_entry(entry)


@diary_app.command("list")
def list_(
    ctx: typer.Context,
    from_: Annotated[str | None, typer.Option("--from", help="First night, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last night, YYYY-MM-DD.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List diary entries with their metrics."""
    from bedside.services import diary

    start, end = date_option(from_, "from"), date_option(to, "to")
    with scope(ctx) as s:
        items = diary.list_entries(s, start, end)
    if as_json:
        print_json(items)
        return
    print_table(
        "Sleep diary",
        ["night", "in bed", "out", "TIB", "SOL", "WASO", "TST", "SE %", "quality"],
        [
            (
                e.night,
                short_time(e.bedtime)[11:],
                short_time(e.out_of_bed)[11:],
                number(e.time_in_bed_min),
                number(e.sleep_onset_latency_min),
                number(e.wake_after_sleep_onset_min),
                number(e.total_sleep_time_min),
                number(e.sleep_efficiency_pct, 1),
                e.quality,
            )
            for e in items
        ],
    )


@diary_app.command("edit")
def edit(
    ctx: typer.Context,
    night: NightArg,
    bedtime: Annotated[str | None, typer.Option("--bedtime")] = None,
    tried: Annotated[str | None, typer.Option("--tried")] = None,
    sol: Annotated[int | None, typer.Option("--sol")] = None,
    awakenings: Annotated[int | None, typer.Option("--awakenings")] = None,
    waso: Annotated[int | None, typer.Option("--waso")] = None,
    final_wake: Annotated[str | None, typer.Option("--final-wake")] = None,
    out_of_bed: Annotated[str | None, typer.Option("--out-of-bed")] = None,
    quality: Annotated[int | None, typer.Option("--quality")] = None,
    rested: Annotated[int | None, typer.Option("--rested")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Change answers of a night's diary (options not given stay as they are)."""
    from bedside.services.diary import edit_night

    when = date_option(night, "night")
    assert when is not None
    given = {
        "bedtime": bedtime,
        "tried": tried,
        "sol_min": sol,
        "awakenings": awakenings,
        "waso_min": waso,
        "final_wake": final_wake,
        "out_of_bed": out_of_bed,
        "quality": quality,
        "rested": rested,
        "comment": note,
    }
    with scope(ctx) as s:
        entry = edit_night(s, when, {k: v for k, v in given.items() if v is not None})
    if as_json:
        print_json(entry)
    else:
        _print_entry(entry)


@diary_app.command("delete")
def delete(ctx: typer.Context, night: NightArg) -> None:
    """Delete a night's diary."""
    from bedside.services import diary

    when = date_option(night, "night")
    assert when is not None
    with scope(ctx) as s:
        entry = diary.get_entry(s, when)
        diary.delete_entry(s, entry.id)
    typer.echo(f"Diary for night {when} deleted.")


def _naps(count: int | None, minutes: int | None) -> str:
    """``2 (45 min)``, ``2`` or ``45 min``: the naps as the person gave them."""
    parts = [str(count)] if count is not None else []
    if minutes is not None:
        parts.append(f"({minutes} min)" if parts else f"{minutes} min")
    return " ".join(parts)


def _print_entry(entry: object) -> None:
    from bedside.services.diary_schemas import DiaryOut

    if not isinstance(entry, DiaryOut):
        fail("unexpected diary result")
    rows = [
        ("into bed", short_time(entry.bedtime)),
        ("tried to sleep", short_time(entry.tried)),
        ("final awakening", short_time(entry.final_wake)),
        ("out of bed", short_time(entry.out_of_bed)),
        ("time in bed", f"{entry.time_in_bed_min:.0f} min"),
        ("time to fall asleep", f"{entry.sleep_onset_latency_min:.0f} min"),
        (
            "awake during the night",
            f"{entry.wake_after_sleep_onset_min:.0f} min in {entry.awakenings} awakening(s)",
        ),
        ("awake before getting up", f"{entry.terminal_wake_min:.0f} min"),
        (
            "total sleep",
            f"{entry.total_sleep_time_min:.0f} min ({entry.total_sleep_time_min / 60:.1f} h)",
        ),
        ("sleep efficiency", f"{entry.sleep_efficiency_pct:.1f} %"),
        ("quality (1-5)", entry.quality),
        ("rested (1-5)", entry.rested if entry.rested is not None else "-"),
    ]
    if entry.nap_count is not None or entry.nap_min is not None:
        rows.append(("naps yesterday", _naps(entry.nap_count, entry.nap_min)))
    if entry.comment:
        rows.append(("comments", entry.comment))
    print_table(f"Night of {entry.night}", ["", ""], rows)
