"""The `tpsp` command group: help texts read as paragraphs, and a failing command ends with one
line saying what went wrong and one with what to try next (the traceback with --verbose)."""

import contextlib
import inspect
import os
import sys
import traceback
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup
from typer.exceptions import TyperException

from tpsp.errors import TpspError

VERBOSE_HINT = "run again with --verbose to see the traceback"


class TpspGroup(TyperGroup):
    def __init__(self, **attributes: Any) -> None:
        super().__init__(**attributes)
        self.help = reflow(self.help)
        for command in self.commands.values():
            command.help = reflow(command.help)

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise  # --help, exit codes and usage errors: typer prints those itself
        except BrokenPipeError:
            _silence_stdout()  # the reader went away (`tpsp --help | head`): nothing to say
            raise typer.Exit(1) from None
        except Exception as error:
            report_error(error, verbose=bool(ctx.params.get("verbose")))
            raise typer.Exit(1) from error


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would report the broken pipe once more
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def reflow(help_text: str | None) -> str | None:
    """Joins the lines of each paragraph of a docstring, which rich help would keep as typed."""
    if not help_text:
        return help_text
    paragraphs = inspect.cleandoc(help_text).split("\n\n")
    return "\n\n".join(
        paragraph if paragraph.startswith("\b") else " ".join(paragraph.split())
        for paragraph in paragraphs
    )


def report_error(error: BaseException, verbose: bool) -> None:
    console = Console(stderr=True, highlight=False)
    if verbose:
        console.file.write("".join(traceback.format_exception(error)))
    console.print(f"[red]error:[/] {escape(error_line(error))}", soft_wrap=True)
    hint = error_hint(error)
    if not verbose and (hint is None or not isinstance(error, TpspError)):
        # an error tpsp did not foresee: the traceback is where its cause is
        hint = f"{hint}; {VERBOSE_HINT}" if hint else VERBOSE_HINT
    if hint:
        console.print(f"[yellow]hint:[/] {escape(hint)}", soft_wrap=True)


def error_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    message = lines[0] if lines else ""
    if isinstance(error, TpspError):
        return message or type(error).__name__
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def error_hint(error: BaseException) -> str | None:
    if isinstance(error, TpspError):
        return error.hint
    # only a command that opened the warehouse has imported duckdb (the anonymizer never does)
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(error, duckdb.IOException) and "lock" in str(error):
        return "another process holds the warehouse (a build, dagster dev); retry after it ends"
    if isinstance(error, FileNotFoundError | PermissionError | IsADirectoryError):
        return "check the paths given on the command line"
    return None
