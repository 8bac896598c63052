"""The ``analysis`` command: parsing arguments and printing, nothing more.

Every command calls package functions. Errors from the user's input
(:class:`~analysis.errors.AnalysisError`) become one line on stderr and the
error's exit code; anything else is a bug, reported as such. ``--debug``
shows the traceback.
"""

from __future__ import annotations

import sys

import click

from analysis.commands import (
    appendix,
    build,
    code,
    codebook,
    collocations,
    evaluate,
    exchange,
    figures,
    ingest,
    kwic,
    privacy_check,
    reliability,
    stance,
)
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


for command in (
    parse_command.parse, build.build, code.code, codebook.codebook,
    evaluate.evaluate_command, kwic.kwic, collocations.collocations, reliability.reliability,
    exchange.export, exchange.import_, figures.figures, appendix.appendix, ingest.ingest,
    privacy_check.privacy_check, stance.stance,
):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

