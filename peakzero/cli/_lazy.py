"""A command group that imports a command's module only when that command runs.

click documents this pattern as a "LazyGroup" (click docs, "Complex Applications: Lazily
Loading Subcommands"); here it is built on Typer's group. The top-level ``peakzero`` group knows
its commands from a registry, name -> :class:`LazyCommand` (``"module:attr"`` and a one-line
help), and lists them in ``peakzero --help`` without importing anything: each command module, and
the engines it uses (pandas, pvlib, HiGHS, WeasyPrint, ...), is imported when that command is
resolved, i.e. when it is run or its own ``--help`` is asked for.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives and its help line for ``peakzero --help``.

    Parameters
    ----------
    target
        ``"package.module:attr"``; ``attr`` is a ``typer.Typer`` (a command group), a click /
        Typer command object, or a plain function (one command, options from its signature).
    help
        The help shown in the command list; the same text as the command's own help (a test
        checks that they agree).
    """

    target: str
    help: str


def load_command(name: str, entry: LazyCommand) -> Any:
    """Import ``entry.target`` and turn it into a click command named ``name``."""
    module_name, _, attr = entry.target.partition(":")
    obj = getattr(importlib.import_module(module_name), attr)
    if isinstance(obj, typer.Typer):
        command: Any = typer.main.get_group(obj)  # as app.add_typer(obj, name=name) does
    elif isinstance(obj, TyperCommand | TyperGroup):
        command = obj
    elif callable(obj):
        single = typer.Typer(rich_markup_mode=None, add_completion=False)
        single.command(name)(obj)
        command = typer.main.get_command(single)
    else:
        raise TypeError(f"{entry.target} is not a Typer app, a command or a function")
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """A Typer group whose subcommands come from :attr:`registry`, imported on first use."""

    registry: ClassVar[Mapping[str, LazyCommand]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        eager = super().list_commands(ctx)
        return [*eager, *(name for name in self.registry if name not in eager)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in self.registry:
            command = load_command(cmd_name, self.registry[cmd_name])
            self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the commands with their registry help, importing none of them."""
        stubs: dict[str, Callable[[int], str]] = {}
        for name in self.list_commands(ctx):
            loaded = self.commands.get(name)
            if loaded is not None:
                if not loaded.hidden:
                    stubs[name] = loaded.get_short_help_str
            else:
                stub = TyperCommand(name=name, help=self.registry[name].help)
                stubs[name] = stub.get_short_help_str
        if not stubs:
            return
        limit = formatter.width - 6 - max(len(name) for name in stubs)
        with formatter.section("Commands"):
            formatter.write_dl([(name, short(limit)) for name, short in stubs.items()])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:  # click's UsageError, which Typer does not re-export
            message = getattr(exc, "message", None)
            if isinstance(message, str) and args and "Did you mean" not in message:
                close = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if close:
                    suggestions = ", ".join(repr(m) for m in close)
                    exc.message = f"{message.rstrip('.')}. Did you mean {suggestions}?"  # type: ignore[attr-defined]
            raise
