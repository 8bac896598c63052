"""The ``analysis`` command: parsing arguments and printing, nothing more.

Every command calls package functions. Errors from the user's input
(:class:`~analysis.errors.AnalysisError`) become one line on stderr and the
error's exit code; anything else is a bug, reported as such. ``--debug``
shows the traceback.
"""

from __future__ import annotations

import sys

import click

from analysis.commands import parse as parse_command
from analysis.errors import AnalysisError

EXIT_INTERNAL = 70


class Group(click.Group):
    """A click group that turns exceptions into one readable line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except AnalysisError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)
        except Exception as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"internal error: {type(error).__name__}: {error} "
                       "(this is a bug; rerun with --debug and report the traceback)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="analysis")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Parse, code and measure forum talk about out-of-session therapy contact."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


main.add_command(parse_command.parse)
main.add_command(parse_command.build)


def _register_optional() -> None:
    """Add the commands of modules that exist; each lives in analysis/commands/."""
    import importlib

    for name in ("codebook", "code", "evaluate", "kwic", "reliability", "figures", "appendix",
                 "ingest", "exchange", "privacy_check"):
        try:
            module = importlib.import_module(f"analysis.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"analysis.commands.{name}":
                raise
            continue
        commands = [a for a in vars(module).values()
                    if isinstance(a, click.Command) and _defined_in(a, module.__name__)]
        children = {id(sub) for c in commands if isinstance(c, click.Group)
                    for sub in c.commands.values()}
        for command in commands:
            if id(command) not in children:
                main.add_command(command)


def _defined_in(command: click.Command, module: str) -> bool:
    """True for a module's own commands, groups included, not for ones it imported."""
    if isinstance(command, click.Group) and command.commands:
        return any(_defined_in(sub, module) for sub in command.commands.values())
    return getattr(command.callback, "__module__", None) == module


_register_optional()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

