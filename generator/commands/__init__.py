"""Subcommands of ``gongkai``; each module is one subcommand (see generator.cli)."""
