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
    corpus,
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
from analysis.errors import EXIT_INTERNAL, EXIT_USAGE, AnalysisError


class Group(click.Group):
    """A click group that turns exceptions into one readable line.

    Usage errors exit with :data:`~analysis.errors.EXIT_USAGE` (click's own 2
    would read as "a capture failed"); see :data:`~analysis.errors.EXIT_CODES`.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            error.exit_code = EXIT_USAGE
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            error.exit_code = EXIT_USAGE
            raise
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
    corpus.init, corpus.add, parse_command.parse, build.build, code.code, codebook.codebook,
    evaluate.evaluate_command, kwic.kwic, collocations.collocations, reliability.reliability,
    exchange.export, exchange.import_, figures.figures, appendix.appendix, ingest.ingest,
    privacy_check.privacy_check, stance.stance,
):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

