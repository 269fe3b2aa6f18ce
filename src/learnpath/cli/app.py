"""The Typer application every command module registers on."""

import typer

app = typer.Typer(name="learnpath", help="learnpath: personalized learning.", no_args_is_help=True)
