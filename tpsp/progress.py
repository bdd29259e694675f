"""Progress of long commands: each step is printed as it starts, and a spinner runs beside
it while the terminal waits (nothing extra is written when the output is piped)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.markup import escape

from tpsp.console import console


@contextmanager
def steps() -> Iterator[Callable[[str], None]]:
    """Yields ``progress(message)``: call it as each step starts."""
    with console.status("starting", spinner="dots") as status:

        def progress(message: str) -> None:
            console.print(f"[bold cyan]▶[/] {escape(message)}", soft_wrap=True)
            status.update(f"{escape(message)} …")

        yield progress
