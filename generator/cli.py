"""The ``gongkai`` command line: a thin layer over the library.

Each subcommand lives in ``generator/commands/<name>.py`` and exposes
``HELP`` (one line), ``configure(parser)`` and ``run(args) -> int``. The CLI
parses arguments, calls ``run`` and turns a ``UsageError`` into one clear line
and exit code 2. Exit codes: 0 success, 1 the content has errors (or a check
failed), 2 usage error.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import pkgutil
import sys

from . import __version__, commands


class UsageError(Exception):
    """Bad arguments or paths: exit 2 with the message."""


def command_names() -> dict[str, str]:
    """Subcommand name -> module name, in alphabetical order (nothing imported)."""
    found = {}
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            # a trailing _ lets a command be named after a keyword: import_.py -> import
            found[info.name.rstrip("_")] = f"{commands.__name__}.{info.name}"
    return found


def command_modules(only: str | None = None) -> dict[str, object]:
    """Subcommand name -> module, in alphabetical order; with ``only``, that command alone."""
    names = command_names()
    if only in names:
        names = {only: names[only]}
    return {name: importlib.import_module(module) for name, module in names.items()}


def chosen_command(argv: list[str]) -> str | None:
    """The subcommand ``argv`` names (its first word that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of ``only`` (a run of one command imports only its own)."""
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="政府信息公开年度报告与指南：校验、导入、建站、数据包。"
        " Validate, import, build the site and the data package.",
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in command_modules(only).items():
        p = sub.add_parser(
            name,
            help=module.HELP,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.configure(p)
        p.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except UsageError as exc:
        print(f"gongkai {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    """The ``gongkai`` command: :func:`main`, then exit with its status.

    The objects a command leaves (a build's corpus and state, hundreds of
    thousands of them) are frozen before exiting, so that the interpreter's last
    garbage collection does not walk them all (a third of a second of a
    one-report rebuild); everything is still freed and closed as usual.
    """
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    entry()
