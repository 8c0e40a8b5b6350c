"""``python -m govoffice``: the ``govoffice`` command, for environments where the console
script is not on ``PATH`` (e.g. ``python -m govoffice --help``)."""

from govoffice.cli import main

if __name__ == "__main__":
    main(prog_name="govoffice")
